"""Runs of the code location's jobs in-process, for `ogi materialize` and the tests.

One run per region, covering that region's years as one partition range (single-run backfill), on
the project's Dagster instance (DAGSTER_HOME=.dagster) so the runs show up in `dagster dev`.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def ensure_dagster_home() -> None:
    """Dagster writes nowhere outside the project: its home is .dagster/ with telemetry off."""
    if not os.environ.get("DAGSTER_HOME"):
        home = PROJECT_ROOT / ".dagster"
        home.mkdir(exist_ok=True)
        config = home / "dagster.yaml"
        if not config.exists():
            config.write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
        os.environ["DAGSTER_HOME"] = str(home)


def materialize_partitions(partitions: list[tuple[int, str]], *, defs=None, instance=None,
                           raise_on_error: bool = True, log_level: str = "WARNING") -> list:  # list[ExecuteInProcessResult]
    """Materialize every asset for the given (year, region) partitions: one run per region."""
    from dagster import DagsterInstance

    from pipelines.definitions import defs as default_defs
    from pipelines.partitions import partition_key

    defs = defs or default_defs
    instance = instance or DagsterInstance.get()
    years_by_region: dict[str, list[int]] = defaultdict(list)
    for year, region in partitions:
        years_by_region[region].append(year)
    job = defs.resolve_job_def("reports_job")
    results = []
    for region, years in sorted(years_by_region.items()):
        start, end = partition_key(min(years), region), partition_key(max(years), region)
        result = job.execute_in_process(
            instance=instance,
            tags={"dagster/asset_partition_range_start": str(start), "dagster/asset_partition_range_end": str(end)},
            raise_on_error=raise_on_error,
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        )
        results.append(result)
    return results


def discover_regions(regions: list[str], *, defs=None, instance=None, log_level: str = "WARNING") -> list[tuple[int, str]]:
    """Run discovery for the regions (one run over their range) and return the (year, region) it found."""
    import pyarrow.parquet as pq
    from dagster import DagsterInstance

    from ogi.datasets import warehouse
    from pipelines.definitions import defs as default_defs
    if not regions:
        return []
    defs = defs or default_defs
    instance = instance or DagsterInstance.get()
    job = defs.resolve_job_def("discovery_job")
    result = job.execute_in_process(
        instance=instance,
        tags={"dagster/asset_partition_range_start": min(regions), "dagster/asset_partition_range_end": max(regions)},
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
    )
    root = defs.resources["lake"].stages
    found: set[tuple[int, str]] = set()
    for region in regions:
        path = warehouse.region_path(root, "discovered_reports", region)
        if result.success and path.exists():
            found.update((int(y), region) for y in pq.read_table(path).column("year").to_pylist() if y is not None)
    return sorted(found)
