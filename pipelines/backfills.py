"""Backfills through the Dagster instance: all years of a region, a year of all regions, any set.

`submit_backfill` records an asset backfill of the report assets over exactly the partitions asked
for in the instance (it shows in the UI's Backfills, like one launched from the asset graph). The
assets' single-run backfill policy makes Dagster cover each range with one run (not one per
partition). The daemon of `dagster dev` / `dagster-daemon` executes it; `execute_backfill` runs the
same daemon iteration here instead, on the same storage, launching each run synchronously in this
process (so `ogi backfill` needs no daemon, and tests see the backfill finish).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterable

from dagster import AssetKey, DagsterInstance, DagsterRun, DagsterRunStatus, RunsFilter

from ogi.datasets.warehouse import Partition
from pipelines.partitions import key_of
from pipelines.ranges import run_tags

LOCATION_NAME = "ogi_pipeline"
BACKFILL_TAG = "dagster/backfill"
_LOG = logging.getLogger("ogi.backfill")


def report_asset_keys() -> list[AssetKey]:
    """The assets of the reports job (fetch → publish): what a backfill of year × region partitions runs.
    Discovery (by region), the reference tables and the yearly summaries run as jobs of their own."""
    from pipelines.jobs import REPORT_ASSETS

    return sorted(key for assets_def in REPORT_ASSETS for key in assets_def.keys)


def submit_backfill(instance: DagsterInstance, partitions: Iterable[Partition], *, title: str | None = None,
                    tags: dict[str, str] | None = None, log_level: str = "INFO") -> str:
    """Record a backfill of the report assets over exactly these partitions; its id."""
    from dagster._core.execution.backfill import PartitionBackfill
    from dagster._core.utils import make_new_backfill_id

    from pipelines.definitions import defs

    wanted = sorted(set(partitions))
    backfill = PartitionBackfill.from_asset_partitions(
        backfill_id=make_new_backfill_id(),
        asset_graph=defs.resolve_asset_graph(),
        partition_names=[key_of(p) for p in wanted],
        asset_selection=report_asset_keys(),
        backfill_timestamp=time.time(),
        tags={**run_tags(wanted), "ogi/trigger": "backfill", **(tags or {})},
        dynamic_partitions_store=instance,
        all_partitions=False,
        title=title or f"ogi backfill of {len(wanted)} partition(s)",
        description=", ".join(p.label for p in wanted)[:1000],
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
    )
    instance.add_backfill(backfill)
    return backfill.backfill_id


def _synchronous(instance: DagsterInstance) -> DagsterInstance:
    """The same storage, with runs submitted straight to a launcher that executes them in this process."""
    from dagster._serdes import ConfigurableClassData

    ref = instance.get_ref()._replace(
        run_coordinator_data=ConfigurableClassData("dagster._core.run_coordinator", "DefaultRunCoordinator", "{}\n"),
        run_launcher_data=ConfigurableClassData("dagster._core.launcher.sync_in_memory_run_launcher",
                                                "SyncInMemoryRunLauncher", "{}\n"),
    )
    return DagsterInstance.from_ref(ref)


def backfill_runs(instance: DagsterInstance, backfill_id: str) -> list[DagsterRun]:
    return sorted(instance.get_runs(RunsFilter(tags={BACKFILL_TAG: backfill_id})), key=lambda r: r.run_id)


def execute_backfill(instance: DagsterInstance, backfill_id: str, *, max_iterations: int = 200,
                     module_name: str = "pipelines.definitions") -> tuple[str, list[DagsterRun]]:
    """Run the backfill daemon's iterations here until the backfill is done; its status and runs."""
    from dagster._core.execution.backfill import BulkActionStatus
    from dagster._core.remote_origin import InProcessCodeLocationOrigin
    from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
    from dagster._core.workspace.context import WorkspaceProcessContext
    from dagster._core.workspace.load_target import InProcessWorkspaceLoadTarget
    from dagster._daemon.backfill import execute_backfill_iteration

    origin = InProcessCodeLocationOrigin(
        loadable_target_origin=LoadableTargetOrigin(executable_path=sys.executable, module_name=module_name,
                                                    working_directory=os.getcwd()),
        location_name=LOCATION_NAME)
    with _synchronous(instance) as sync, WorkspaceProcessContext(sync, InProcessWorkspaceLoadTarget(origin)) as ctx:
        for _ in range(max_iterations):
            for error in execute_backfill_iteration(ctx, _LOG):
                if error is not None:
                    _LOG.error(error.to_string())
            backfill = sync.get_backfill(backfill_id)
            if backfill is None or backfill.status != BulkActionStatus.REQUESTED:
                break
        status = sync.get_backfill(backfill_id).status
        runs = backfill_runs(sync, backfill_id)
    unfinished = [r.run_id for r in runs if not r.is_finished]
    if unfinished:
        _LOG.warning(f"backfill {backfill_id}: runs not finished: {unfinished}")
    return str(status.value), runs


def succeeded(runs: Iterable[DagsterRun]) -> bool:
    runs = list(runs)
    return bool(runs) and all(r.status == DagsterRunStatus.SUCCESS for r in runs)
