"""The half of `ogi benchmark` that drives Dagster and great-expectations (the domain half: ogi/evaluate/benchmark.py).

`pipeline_runs` materialises the reports job in-process over the benchmark's partition as `ogi
materialize` does (pipelines/runs.materialize_partitions, on a data folder and Dagster instance of
its own), again unchanged, then over an empty partition; great-expectations is timed around the
Validator's set-up and every validate call made during the runs (the in-process executor runs the
steps in this process). `validate_tables` validates a partition's tables with the suites of the
checks, as staged_datasets does.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ogi.evaluate.benchmark import EMPTY_REGION, REGION, YEAR, Usage


class _GxTimer:
    """Time spent in great-expectations during a run: around Validator set-up and every validate call."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.setup_seconds = 0.0
        self.calls = 0
        self.expectations = 0
        self.by_suite: dict[str, list[float]] = {}  # "suite@dataset" → [seconds, rows]

    @contextlib.contextmanager
    def installed(self) -> Iterator[_GxTimer]:
        from expectations import validate as V

        original_validate, original_init = V.Validator.validate, V.Validator.__init__
        timer = self

        def validate(self_, *args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                outcome = original_validate(self_, *args, **kwargs)
            finally:
                timer.seconds += time.perf_counter() - started
            timer.calls += 1
            if len(args) >= 3:
                entry = timer.by_suite.setdefault(f"{args[0]}@{args[1]}", [0.0, 0])
                entry[0] += time.perf_counter() - started
                entry[1] += len(args[2])
            timer.expectations += len(outcome.outcomes)
            return outcome

        def init(self_, *args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                original_init(self_, *args, **kwargs)
            finally:
                timer.setup_seconds += time.perf_counter() - started

        V.Validator.validate, V.Validator.__init__ = validate, init  # type: ignore[method-assign]
        try:
            yield self
        finally:
            V.Validator.validate, V.Validator.__init__ = original_validate, original_init  # type: ignore[method-assign]

    def reset(self) -> None:
        self.seconds = self.setup_seconds = 0.0
        self.calls = self.expectations = 0
        self.by_suite = {}




def _run(defs, instance, partition, gx: _GxTimer) -> dict[str, Any]:
    from pipelines.runs import materialize_partitions

    gx.reset()
    start = Usage.now()
    results = materialize_partitions([partition], defs=defs, instance=instance, raise_on_error=False,
                                     log_level="ERROR")
    usage = Usage.now().since(start)
    steps: dict[str, float] = {}
    expectations_evaluated = 0
    for result in results:
        for stat in instance.get_run_step_stats(result.run_id):
            if stat.end_time and stat.start_time:
                steps[stat.step_key] = steps.get(stat.step_key, 0.0) + stat.end_time - stat.start_time
        for evaluation in result.get_asset_check_evaluations():
            value = evaluation.metadata.get("expectations_evaluated")
            expectations_evaluated += int(getattr(value, "value", value) or 0)
    return {**usage, "success": all(r.success for r in results), "runs": len(results), "steps_s": steps,
            "gx_s": gx.seconds, "gx_setup_s": gx.setup_seconds, "gx_validations": gx.calls,
            "gx_expectation_results": gx.expectations, "expectations_evaluated": expectations_evaluated,
            "gx_by_suite": {k: {"s": round(v[0], 3), "rows": v[1]}
                            for k, v in sorted(gx.by_suite.items(), key=lambda kv: -kv[1][0])}}


def _ledger(data: Path) -> dict[str, int]:
    from pipelines.resources import DataLake

    try:
        rows = DataLake(root=str(data)).warehouse().read("documents").to_pylist()
    except Exception:  # noqa: BLE001 - nothing published is a figure (0 published), not a crash
        return {}
    counts: dict[str, int] = {}
    for r in rows:
        counts[str(r["status"])] = counts.get(str(r["status"]), 0) + 1
    return counts


def pipeline_runs(folder: Path, catalog: Path) -> dict[str, Any]:
    """The reports job over the partition, again unchanged, then over an empty partition."""
    from dagster import DagsterInstance

    from ogi.datasets.warehouse import Partition
    from pipelines.definitions import build_definitions
    from pipelines.resources import DataLake, FetchSettings, SourceCatalog

    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    home = folder / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    defs = build_definitions(lake=DataLake(root=str(data)), catalog=SourceCatalog(path=str(catalog)),
                             fetch_settings=FetchSettings())
    gx = _GxTimer()
    with DagsterInstance.local_temp(tempdir=str(home)) as instance, gx.installed():
        first = _run(defs, instance, Partition(REGION, YEAR), gx)
        ledger = _ledger(data)
        rerun = _run(defs, instance, Partition(REGION, YEAR), gx)
        empty = _run(defs, instance, Partition(EMPTY_REGION, YEAR), gx)
    return {"first": first, "rerun": rerun, "empty": empty, "ledger": ledger}


def validate_tables(tables: dict[str, Any]) -> tuple[float, float, int]:
    """The partition's tables through the checks' suites: (seconds, set-up seconds, expectations evaluated)."""
    from expectations.checks import PartitionAudit
    from expectations.validate import validator
    from ogi.datasets.warehouse import Partition

    started = time.perf_counter()
    gx = validator()
    setup = time.perf_counter() - started
    audit = PartitionAudit(Partition(REGION, YEAR))
    started = time.perf_counter()
    for name, table in tables.items():
        audit.add(gx, name, table)
    return time.perf_counter() - started, setup, sum(o.expectations for o in audit.outcomes.values())


def quiet() -> None:
    """No Dagster or GX chatter during the runs (the figures are the output)."""
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
    warnings.filterwarnings("ignore")
    for name in ("dagster", "great_expectations", "ogi.progress", "ogi.reports"):
        logging.getLogger(name).setLevel(logging.ERROR)
