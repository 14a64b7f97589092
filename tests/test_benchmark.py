"""`ogi benchmark`: the pipeline end to end over generated reports, figures printed as one JSON object.

A behaviour test, not a timed one: it checks the figures are there and sensible, never how fast.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

KEYS = ("reports", "wall_s", "reports_per_s", "peak_rss_mib", "peak_rss", "stage_ms", "floor_ratio", "gx_share",
        "gx", "rerun_ratio", "cores_used", "dagster_overhead_s", "pdf", "ledger",
        "normalise_sample")
STAGES = ("decode", "clean", "tables", "normalise", "validate", "write")


def test_benchmark_prints_one_json_object_with_every_figure(tmp_path) -> None:
    keep = tmp_path / "bench"
    out = subprocess.run([sys.executable, "-m", "ogi_cli", "benchmark", "--reports", "40", "--json", "--sample", "20",
                          "--keep", str(keep)], capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    figures = json.loads(out.stdout)  # the whole of stdout is one object
    assert set(KEYS) <= set(figures)
    assert figures["reports"] == 40
    for key in ("wall_s", "reports_per_s", "peak_rss_mib", "rerun_ratio", "cores_used", "gx_share"):
        assert figures[key] > 0, key
    assert set(figures["stage_ms"]) == set(STAGES)
    assert all(figures["stage_ms"][s] > 0 for s in STAGES)
    assert figures["floor_ratio"]["html"] > 1 and figures["floor_ratio"]["text"] > 1
    assert 0 < figures["gx_share"] < 1 and figures["gx"]["expectations_run"] > 0
    assert figures["dagster_overhead_s"]["empty_partition_run"] > 0
    assert figures["peak_rss"]["self_mib"] > 0 and "which" in figures["peak_rss"]
    assert figures["pdf"]["documents"] >= 3 and figures["pdf"]["median_ms"] > 0
    # the real pipeline ran: every generated report reached the published ledger
    assert figures["ledger"].get("published") == 40
    assert len(list((keep / "reports").iterdir())) == 40 and (keep / "catalog.csv").is_file()
