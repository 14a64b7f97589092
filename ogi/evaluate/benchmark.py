"""`ogi benchmark`: how fast the per-report hot path runs, and how much memory it takes.

Speed targets live here, as printed figures, not in timed tests: a national year is ~100k reports,
so per-report read + clean + parse time is what decides whether a backfill takes hours or days.
"""

from __future__ import annotations

import resource
import statistics
import time
from pathlib import Path

from ogi.fetch.catalog import load_catalog
from ogi.parse.report import parse_bytes

NATIONAL_YEAR = 100_000


def _documents(catalog: Path) -> list[tuple[str, bytes, str | None]]:
    docs = []
    for entry in load_catalog(catalog):
        path = catalog.parent / entry.location
        if not entry.location.startswith(("http://", "https://")) and path.is_file():
            docs.append((str(path), path.read_bytes(), entry.region))
    return docs


def run(catalog: Path, rounds: int) -> str:
    docs = _documents(catalog)
    timings: dict[str, list[float]] = {}
    for _ in range(rounds):
        for name, data, region in docs:
            started = time.perf_counter()
            parse_bytes(data, name, province_hint=region)
            timings.setdefault(name, []).append(time.perf_counter() - started)
    lines = [f"{'document':<60} {'KiB':>7} {'median ms':>10}"]
    sizes = {name: len(data) for name, data, _ in docs}
    medians = []
    for name, values in timings.items():
        med = statistics.median(values) * 1000
        medians.append(med)
        lines.append(f"{Path(name).name[:60]:<60} {sizes[name] / 1024:>7.1f} {med:>10.2f}")
    total_ms = sum(medians)
    per_doc = total_ms / max(len(medians), 1)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append(f"documents: {len(docs)}, rounds: {rounds}")
    lines.append(f"mean per document: {per_doc:.2f} ms  → {1000 / per_doc if per_doc else 0:.0f} documents/s on one core")
    lines.append(f"a national year ({NATIONAL_YEAR:,} reports) at this rate: {NATIONAL_YEAR * per_doc / 1000 / 60:.1f} min of parsing per core")
    lines.append(f"peak RSS of this process: {rss_mib:.0f} MiB")
    return "\n".join(lines)
