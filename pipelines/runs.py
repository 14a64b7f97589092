"""Runs of the code location's jobs in-process, for `ogi materialize` and the tests.

Exactly the partitions asked for: a requested set of (year, region) partitions is split into runs,
one per region and contiguous range of years (a single-run backfill each), so a run never covers
a partition nobody asked for — `ogi materialize --year 2018 --year 2022` runs two one-year ranges,
not 2018–2022.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from ogi.datasets.warehouse import Partition

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def load_env_defaults(path: Path | None = None) -> None:
    """The project's `.env` defaults (as `dagster dev` reads them); variables already set win."""
    env = path or Path.cwd() / ".env"
    if not env.exists():
        env = PROJECT_ROOT / ".env"
    if not env.exists():
        return
    for line in env.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip())


def ensure_dagster_home(data_dir: Path) -> Path:
    """One Dagster instance per data folder: DAGSTER_HOME is `<data>/.dagster` (telemetry off) unless set.

    Runs against another data folder are then never recorded in this folder's instance, so the UI's
    state always matches the folder it shows.
    """
    if not os.environ.get("DAGSTER_HOME"):
        home = data_dir.absolute() / ".dagster"
        home.mkdir(parents=True, exist_ok=True)
        config = home / "dagster.yaml"
        if not config.exists():
            config.write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
        os.environ["DAGSTER_HOME"] = str(home)
    return Path(os.environ["DAGSTER_HOME"])


def contiguous_runs(partitions: Iterable[Partition]) -> list[tuple[str, int, int]]:
    """(region, first year, last year) of each run: per region, each maximal run of consecutive years."""
    years: dict[str, set[int]] = defaultdict(set)
    for p in partitions:
        if p.year is None:
            raise ValueError(f"not a year × region partition: {p}")
        years[p.region].add(p.year)
    runs = []
    for region in sorted(years):
        ordered = sorted(years[region])
        start = prev = ordered[0]
        for y in ordered[1:]:
            if y != prev + 1:
                runs.append((region, start, prev))
                start = y
            prev = y
        runs.append((region, start, prev))
    return runs


def materialize_partitions(partitions: Iterable[Partition | tuple[int, str]], *, defs=None, instance=None,
                           raise_on_error: bool = True, log_level: str = "WARNING",
                           tags: dict[str, str] | None = None) -> list:  # list[ExecuteInProcessResult]
    """Materialize the report assets for exactly these partitions: one run per contiguous range."""
    from dagster import DagsterInstance

    from pipelines.partitions import partition_key

    defs = defs or _default_defs()
    instance = instance or DagsterInstance.get()
    wanted = [p if isinstance(p, Partition) else Partition(p[1], p[0]) for p in partitions]
    job = defs.resolve_job_def("reports_job")
    results = []
    for region, first, last in contiguous_runs(wanted):
        result = job.execute_in_process(
            instance=instance,
            tags={**(tags or {}), "dagster/asset_partition_range_start": str(partition_key(first, region)),
                  "dagster/asset_partition_range_end": str(partition_key(last, region))},
            raise_on_error=raise_on_error,
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        )
        results.append(result)
    return results


def write_reference(*, defs=None, instance=None, log_level: str = "WARNING"):
    """Run the reference-tables job (dictionary, regions): one small unpartitioned run."""
    from dagster import DagsterInstance

    defs = defs or _default_defs()
    return defs.resolve_job_def("reference_job").execute_in_process(
        instance=instance or DagsterInstance.get(), raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}})


def summarise_years(years: Iterable[int], *, defs=None, instance=None, log_level: str = "WARNING") -> list:
    """The national summary of each statistics year (one run each)."""
    from dagster import DagsterInstance

    defs = defs or _default_defs()
    job = defs.resolve_job_def("summary_job")
    return [job.execute_in_process(partition_key=str(year), instance=instance or DagsterInstance.get(),
                                   raise_on_error=False,
                                   run_config={"loggers": {"console": {"config": {"log_level": log_level}}}})
            for year in sorted(set(years))]


def materialize_main_job(partitions: Iterable[Partition], *, defs=None, instance=None,
                         log_level: str = "WARNING") -> list:
    """What `ogi materialize` runs: the reference tables, the partitions (exactly those), their years' summaries."""
    wanted = list(partitions)
    results = [write_reference(defs=defs, instance=instance, log_level=log_level)]
    results += materialize_partitions(wanted, defs=defs, instance=instance, raise_on_error=False, log_level=log_level)
    results += summarise_years({p.year for p in wanted}, defs=defs, instance=instance, log_level=log_level)
    return results


def discover_regions(regions: list[str], *, defs=None, instance=None, log_level: str = "WARNING") -> list[Partition]:
    """Run discovery for the regions (one run per region) and return the partitions it found reports for."""
    from dagster import DagsterInstance

    if not regions:
        return []
    defs = defs or _default_defs()
    instance = instance or DagsterInstance.get()
    job = defs.resolve_job_def("discovery_job")
    found: set[Partition] = set()
    for region in sorted(set(regions)):
        result = job.execute_in_process(
            instance=instance, partition_key=region,
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
            raise_on_error=False,
        )
        if not result.success:
            continue
        for event in result.get_asset_materialization_events():
            years = event.materialization.metadata.get("years_found")
            found.update(Partition(region, int(y)) for y in (years.value if years else []))
    return sorted(found)


def _default_defs():
    from pipelines.definitions import defs

    return defs
