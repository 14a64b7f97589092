"""`ogi benchmark`: the real pipeline end to end over generated reports, and where its time goes.

The domain half lives here (generate, write, time the domain functions, the figures); the half that
drives Dagster and great-expectations is handed in by the command line (ogi_cli/benchmark.py), as
the domain package imports no orchestration.

A national year is ~100k reports, so what decides whether a backfill takes hours or days is the
per-report cost of the whole pipeline (raw bytes → validated Parquet), not of the parser alone.
The benchmark

1. generates N reports (ogi/evaluate/generate.py: formats of the partition's year, four site
   templates, GBK and UTF-8, pages and text renderings, a fifth with broken identities), writes them
   as files with a catalog CSV whose rows all fall in one partition (year × province);
2. materialises the reports job for that partition in-process through Dagster, as `ogi
   materialize` does (pipelines/runs.materialize_partitions, on a data folder and instance of its
   own), timing it, the CPU it used (process and children) and the time spent in
   great-expectations (expectations/validate.Validator, timed around its calls in the run);
3. runs it again unchanged (nothing new fetched), then runs an empty partition (Dagster's cost of a
   run with nothing in it);
4. times the domain functions themselves, in-process, on a sample of the same reports: decode
   (ogi.read.read_document: sniff, decode, the reader's blocks), clean (ogi.read.cleanup.clean),
   tables (ogi.parse.report.parse_document: tables, facts, metadata, identities), normalise
   (ogi.datasets.rows.normalise_partition of one report), validate (the partition's suites through
   expectations.checks.PartitionAudit on the sample's tables, amortised per report, as the pipeline
   validates a partition in chunks) and write (ogi.datasets.storage.Storage.write_parquet of the
   sample's tables, amortised) — and, as a floor, lxml.html.fromstring on the same bytes;
5. times the real PDFs of corpus/pdf apart (their reading dominates when a partition has them).

Speed targets live here, as printed figures, never in timed tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ogi.evaluate.generate import HTML, GeneratedReport, generate

NATIONAL_YEAR = 100_000
YEAR = 2022
REGION = "320000"  # 江苏省
EMPTY_REGION = "110000"  # a partition with no document in the benchmark's catalog
STAGES = ("decode", "clean", "tables", "normalise", "validate", "write")
PDF_DIR = Path(__file__).resolve().parents[2] / "corpus" / "pdf"
CATALOG_COLUMNS = ("source_id", "location", "origin_url", "region", "year", "agency", "note")


# --- the reports on disk ------------------------------------------------------------------------------


def write_reports(folder: Path, reports: Iterable[GeneratedReport]) -> Path:
    """Each report as a file under folder/reports, and folder/catalog.csv listing them (one partition)."""
    docs = folder / "reports"
    docs.mkdir(parents=True, exist_ok=True)
    catalog = folder / "catalog.csv"
    with catalog.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(CATALOG_COLUMNS)
        for r in reports:
            suffix = Path(r.filename).suffix
            (docs / f"{r.name}{suffix}").write_bytes(r.data)
            note = f"generated: {r.format} {r.rendering} {r.site} {r.encoding}{' broken' if r.broken else ''}"
            out.writerow([r.name, f"reports/{r.name}{suffix}", r.origin_url, r.region, r.year, r.agency, note])
    return catalog


# --- timing helpers -------------------------------------------------------------------------------------


@dataclass
class Usage:
    wall: float
    cpu_self: float
    cpu_children: float

    @classmethod
    def now(cls) -> Usage:
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return cls(time.perf_counter(), me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime)

    def since(self, start: Usage) -> dict[str, float]:
        wall = self.wall - start.wall
        cpu = (self.cpu_self - start.cpu_self) + (self.cpu_children - start.cpu_children)
        return {"wall_s": wall, "cpu_s": cpu, "cpu_children_s": self.cpu_children - start.cpu_children,
                "cores_used": cpu / wall if wall > 0 else 0.0}


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000 if values else 0.0


# --- the domain functions in-process ------------------------------------------------------------------------


def _clean_row(r: GeneratedReport, doc, sha: str) -> dict[str, Any]:
    from ogi.model import report_id_for
    from ogi.read.stage import document_fields

    return {"source_id": r.name, "location": f"reports/{r.name}{Path(r.filename).suffix}", "origin_url": r.origin_url,
            "agency_hint": r.agency, "sha256": sha, "size": len(r.data),
            "fetched_at": dt.datetime.now(dt.UTC), "unchanged": False, "http_status": None, "error_kind": None,
            "report_id": report_id_for(sha), **document_fields(doc), "status": "ok", "failed_stage": None,
            "message": None}


# Validates a partition's tables of every dataset as the pipeline does: (seconds without set-up, set-up
# seconds, expectations evaluated).
Validate = Callable[[dict[str, Any]], tuple[float, float, int]]
# Runs the pipeline over the folder's catalog: {"first", "rerun", "empty": run figures, "ledger": counts}.
Pipeline = Callable[[Path, Path], dict[str, Any]]


def stage_times(sample: list[GeneratedReport], validate: Validate) -> dict[str, Any]:
    """Per-report medians of the domain functions on `sample`, the lxml floor, GX and Parquet on the sample."""
    import lxml.html

    from ogi.datasets.registry import PUBLISHED
    from ogi.datasets.rows import DatasetRows, normalise_partition
    from ogi.datasets.storage import Storage
    from ogi.parse.report import SourceInfo, parse_document
    from ogi.parse.stage import CARRIED, report_fields
    from ogi.read import read_document
    from ogi.read.cleanup import clean

    times: dict[str, list[float]] = {s: [] for s in ("decode", "clean", "tables", "normalise")}
    floor: dict[str, list[float]] = {"html": [], "text": []}
    parsed_rows = []
    for r in sample:
        uri = f"reports/{r.name}{Path(r.filename).suffix}"
        sha = hashlib.sha256(r.data).hexdigest()
        t0 = time.perf_counter()
        doc = read_document(r.data, uri)
        t1 = time.perf_counter()
        doc = clean(doc)
        t2 = time.perf_counter()
        clean_row = _clean_row(r, doc, sha)
        source = SourceInfo(uri=uri, sha256=sha, content_type=doc.content_type, encoding=doc.encoding,
                            origin_uri=r.origin_url)
        t3 = time.perf_counter()
        report = parse_document(doc, source, province_hint=REGION, agency_hint=r.agency, year_hint=r.year)
        t4 = time.perf_counter()
        lxml.html.fromstring(r.data)
        t5 = time.perf_counter()
        times["decode"].append(t1 - t0)
        times["clean"].append(t2 - t1)
        times["tables"].append(t4 - t3)
        floor["html" if r.rendering == HTML else "text"].append((t4 - t3 + t2 - t0) / max(t5 - t4, 1e-9))
        parsed = {**{k: clean_row.get(k) for k in CARRIED}, **report_fields(report)}
        parsed_rows.append(parsed)
        t6 = time.perf_counter()
        list(normalise_partition(YEAR, REGION, lambda p=parsed: iter([[p]])))
        times["normalise"].append(time.perf_counter() - t6)

    # The partition's tables of the whole sample, validated and written as the pipeline does (amortised).
    everything = DatasetRows()
    n0 = time.perf_counter()
    for rows in normalise_partition(YEAR, REGION, lambda: iter([parsed_rows])):
        everything.extend(rows)
    normalise_sample_s = time.perf_counter() - n0  # with report identity across the sample (pairwise)
    tables = {name: t for name, t in everything.tables().items() if t.num_rows}
    validate_s, gx_setup, expectations = validate(tables)
    folder = Path(tempfile.mkdtemp(prefix="ogi-bench-write-"))
    try:
        storage = Storage(folder)
        w0 = time.perf_counter()
        for name, table in tables.items():
            storage.write_parquet(f"{name}/data.parquet", PUBLISHED[name].schema, [table])
        write_s = time.perf_counter() - w0
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    n = max(len(sample), 1)
    stage_ms = {s: _median_ms(v) for s, v in times.items()}
    stage_ms.update(validate=validate_s * 1000 / n, write=write_s * 1000 / n)
    return {
        "stage_ms": {s: round(stage_ms[s], 3) for s in STAGES},
        "floor_ratio": {k: round(statistics.median(v), 2) if v else None for k, v in floor.items()},
        "floor_documents": {k: len(v) for k, v in floor.items()},
        "sample": len(sample),
        "sample_validate_s": validate_s, "sample_gx_setup_s": gx_setup, "sample_expectations": expectations,
        "sample_rows": {name: t.num_rows for name, t in tables.items()},
        "sample_normalise_s": normalise_sample_s,
    }


def pdf_times(rounds: int = 3) -> dict[str, Any]:
    """The real PDFs of corpus/pdf: read + clean + parse per file (median of `rounds`), apart from the rest."""
    from ogi.parse.report import parse_bytes

    out: dict[str, Any] = {}
    for path in sorted(PDF_DIR.glob("*.pdf")):
        data = path.read_bytes()
        took = []
        cells = 0
        for _ in range(rounds):
            started = time.perf_counter()
            cells = len(parse_bytes(data, str(path)).cells)
            took.append(time.perf_counter() - started)
        out[path.name] = {"kib": round(len(data) / 1024, 1), "median_ms": round(_median_ms(took), 1), "cells": cells}
    values = [v["median_ms"] for v in out.values()]
    return {"documents": len(out), "median_ms": round(statistics.median(values), 1) if values else None,
            "files": out}


# --- the whole benchmark ----------------------------------------------------------------------------------


def _peak_rss() -> dict[str, Any]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self_mib": round(me, 1), "children_mib": round(kids, 1),
            "which": "max of RUSAGE_SELF (this process: Dagster runs in-process) and RUSAGE_CHILDREN (the largest "
                     "child waited for: converters, OCR, pool workers, Dagster's `tail -F` compute-log mirrors). A "
                     "child started by fork counts the parent's resident pages at the fork, so a children peak equal "
                     "to this process's is that, not memory of its own"}


def run(pipeline: Pipeline, validate: Validate, reports: int = 1000, seed: int = 0, keep: Path | None = None,
        sample: int = 200) -> dict[str, Any]:
    """Generate, run the pipeline twice and an empty partition, time the stages: one dict of figures."""
    started = time.perf_counter()
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="ogi-bench-"))
    if keep and folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty: --keep needs a new or empty folder")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        # Written as generated, only the timed sample and the mix kept: the reports' bytes are not held
        # in this process while the pipeline runs in it (they would count in its peak RSS, ~40 KB a report).
        every = max(1, reports // sample) if sample else reports + 1
        kept: list[GeneratedReport] = []
        mix: dict[str, dict[str, int]] = {"format": {}, "rendering": {}, "site": {}, "encoding": {}}
        total_bytes = broken = 0

        def tally(items: Iterable[GeneratedReport]) -> Iterator[GeneratedReport]:
            nonlocal total_bytes, broken
            for i, r in enumerate(items):
                for key, value in (("format", r.format), ("rendering", r.rendering), ("site", r.site),
                                   ("encoding", r.encoding)):
                    mix[key][value] = mix[key].get(value, 0) + 1
                total_bytes += len(r.data)
                broken += r.broken
                if i % every == 0 and len(kept) < sample:
                    kept.append(r)
                yield r

        catalog = write_reports(folder, tally(generate(reports, seed, year=YEAR, region=REGION, unique_body=True)))
        generated_s = time.perf_counter() - started
        runs = pipeline(folder, catalog)
        stages = stage_times(kept, validate)
        pdfs = pdf_times()
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    first, rerun, empty = runs["first"], runs["rerun"], runs["empty"]
    work_s = sum(stages["stage_ms"].values()) / 1000 * reports
    rss = _peak_rss()
    wall = first["wall_s"]
    return {
        "reports": reports,
        "seed": seed,
        "partition": f"{REGION}|{YEAR}",
        "broken": broken,
        "bytes": total_bytes,
        "mix": mix,
        "wall_s": round(wall, 3),
        "reports_per_s": round(reports / wall, 2) if wall else 0.0,
        "success": first["success"],
        "ledger": runs["ledger"],
        "peak_rss_mib": max(rss["self_mib"], rss["children_mib"]),
        "peak_rss": rss,
        "cores_used": round(first["cores_used"], 3),
        "cpu_s": round(first["cpu_s"], 3),
        "cpu_children_s": round(first["cpu_children_s"], 3),
        "stage_ms": stages["stage_ms"],
        "stage_ms_how": "medians per report of the domain functions on a sample (decode, clean, tables, "
                        "normalise); validate and write: the sample's tables validated / written at once, per report",
        "floor_ratio": stages["floor_ratio"],
        "floor_documents": stages["floor_documents"],
        "gx_share": round(first["gx_s"] / wall, 4) if wall else 0.0,
        "gx_share_with_setup": round((first["gx_s"] + first["gx_setup_s"]) / wall, 4) if wall else 0.0,
        "gx": {"run_s": round(first["gx_s"], 3), "setup_s": round(first["gx_setup_s"], 3),
               "validations": first["gx_validations"], "expectations_run": first["gx_expectation_results"],
               "expectations_evaluated_by_checks": first["expectations_evaluated"],
               "sample_expectations": stages["sample_expectations"],
               "sample_validate_s": round(stages["sample_validate_s"], 3),
               "sample_setup_s": round(stages["sample_gx_setup_s"], 3),
               "by_suite": first.get("gx_by_suite", {})},
        "rerun_ratio": round(rerun["wall_s"] / wall, 4) if wall else 0.0,
        "rerun_wall_s": round(rerun["wall_s"], 3),
        "dagster_overhead_s": {
            "empty_partition_run": round(empty["wall_s"], 3),
            "run_minus_report_work": round(wall - work_s, 3),
            "outside_steps": round(wall - sum(first["steps_s"].values()), 3),
        },
        # normalise of one report (stage_ms) misses what grows with the partition: report identity
        # compares the reports of a partition pairwise. The sample normalised as one partition shows it.
        "normalise_sample": {"reports": stages["sample"], "s": round(stages["sample_normalise_s"], 3),
                             "ms_per_report": round(stages["sample_normalise_s"] * 1000 / max(stages["sample"], 1), 3)},
        "steps_s": {k: round(v, 3) for k, v in first["steps_s"].items()},
        "rerun_steps_s": {k: round(v, 3) for k, v in rerun["steps_s"].items()},
        "sample": stages["sample"],
        "pdf": pdfs,
        "national_year_hours_one_process": round(NATIONAL_YEAR / (reports / wall) / 3600, 2) if wall else None,
        "generate_s": round(generated_s, 3),
        "total_s": round(time.perf_counter() - started, 3),
        "kept": str(folder) if keep else None,
    }


def table(figures: dict[str, Any]) -> str:
    """The figures as a table to read."""
    f = figures
    lines = [
        f"ogi benchmark: {f['reports']} generated reports (seed {f['seed']}, {f['broken']} with broken identities, "
        f"{f['bytes'] / 1024 / 1024:.1f} MiB) in partition {f['partition']}",
        "  mix: " + "; ".join(f"{k} " + ", ".join(f"{a} {b}" for a, b in sorted(v.items())) for k, v in f["mix"].items()),
        "",
        f"{'pipeline (reports job, in-process Dagster)':<48} {'value':>12}",
        f"{'first run wall':<48} {f['wall_s']:>10.2f} s",
        f"{'reports per second':<48} {f['reports_per_s']:>12.2f}",
        f"{'unchanged re-run wall':<48} {f['rerun_wall_s']:>10.2f} s  (ratio {f['rerun_ratio']:.3f})",
        f"{'cores used (CPU of process + children / wall)':<48} {f['cores_used']:>12.2f}",
        f"{'peak RSS':<48} {f['peak_rss_mib']:>8.0f} MiB  (self {f['peak_rss']['self_mib']:.0f}, "
        f"children {f['peak_rss']['children_mib']:.0f})",
        f"{'great-expectations share of the run':<48} {100 * f['gx_share']:>10.1f} %  ({f['gx']['run_s']:.2f} s, "
        f"{f['gx']['validations']} validations, {f['gx']['expectations_run']} expectation results)",
        f"{'  with its set-up (import, context) in the run':<48} {100 * f['gx_share_with_setup']:>10.1f} %  "
        f"({f['gx']['setup_s']:.2f} s)",
        *(f"    {name[:44]:<44} {v['s']:>10.2f} s  ({v['rows']} rows)"
          for name, v in list(f["gx"].get("by_suite", {}).items())[:6]),
        f"{'Dagster: empty-partition run':<48} {f['dagster_overhead_s']['empty_partition_run']:>10.2f} s",
        f"{'Dagster: run wall − per-report work × N':<48} {f['dagster_overhead_s']['run_minus_report_work']:>10.2f} s",
        f"{'Dagster: run wall − its steps':<48} {f['dagster_overhead_s']['outside_steps']:>10.2f} s",
        f"{'ledger of the first run':<48} " + ", ".join(f"{k} {v}" for k, v in sorted(f["ledger"].items())),
        "",
        "steps of the first run: " + ", ".join(f"{k} {v:.2f} s" for k, v in f["steps_s"].items()),
        "",
        f"{'stage (per report, in-process, sample of ' + str(f['sample']) + ')':<48} {'ms':>12}",
        *(f"  {s:<46} {ms:>12.3f}" for s, ms in f["stage_ms"].items()),
        f"{'normalise of the whole sample as one partition':<48} {f['normalise_sample']['s']:>10.2f} s  "
        f"({f['normalise_sample']['ms_per_report']:.2f} ms per report)",
        f"{'read+clean+parse ÷ lxml.html.fromstring (median)':<48} html {f['floor_ratio']['html']}, "
        f"text {f['floor_ratio']['text']}",
        "",
        f"PDFs (corpus/pdf, read + clean + parse, median of 3): median {f['pdf']['median_ms']} ms",
        *(f"  {name:<46} {v['kib']:>7.1f} KiB {v['median_ms']:>9.1f} ms {v['cells']:>5} cells"
          for name, v in f["pdf"]["files"].items()),
        "",
        f"a national year ({NATIONAL_YEAR:,} reports) at this rate: {f['national_year_hours_one_process']} h in one process",
    ]
    return "\n".join(lines)


def main_json(figures: dict[str, Any]) -> str:
    return json.dumps(figures, ensure_ascii=False, sort_keys=False)
