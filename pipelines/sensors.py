"""Sensors: react to changes of the source catalog, and fetch the reports once discovery has run.

- `catalog_sensor` reads the catalog (OGI_CATALOG) every few minutes and keeps, as its cursor, one
  digest per partition of its rows: a `report` row added or changed asks for a run of exactly its
  partition (reports_job), a `listing` row added or changed asks for discovery of its region,
  followed up for every year the listing shows. Nothing changed: no run. The first evaluation
  only records the catalog as it is (turning the sensor on never backfills history; use
  `ogi backfill` for that). An unreadable catalog is a skipped tick that says why, never a crash.
- `discovery_follow_up` runs after each successful discovery run started by the automation (tag
  `ogi/follow_up_years`): reports_job for each region of the run and each year asked for that has
  catalog rows or reports found on the region's listings.
"""

from __future__ import annotations

import hashlib
import json

from dagster import (
    DagsterEventType,
    DagsterRunStatus,
    DefaultSensorStatus,
    RunStatusSensorContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    run_status_sensor,
    sensor,
)

from ogi.datasets.warehouse import Partition
from ogi.fetch.catalog import CatalogEntry, CatalogError
from pipelines.automation import FOLLOW_UP_YEARS, discovery_requests, reports_requests
from pipelines.jobs import discovery_job, reports_job
from pipelines.partitions import has_year
from pipelines.resources import SourceCatalog

LISTING = "listing"


def catalog_digests(entries: list[CatalogEntry]) -> dict[str, str]:
    """One digest per partition of the catalog's rows: `year|region` for report rows, `listing|region`."""
    rows: dict[str, list[str]] = {}
    for e in entries:
        key = f"{LISTING}|{e.region}" if e.kind == "listing" else f"{e.year}|{e.region}"
        rows.setdefault(key, []).append(json.dumps([e.source_id, e.location, e.origin_url, e.agency, e.kind],
                                                   ensure_ascii=False))
    return {key: hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()[:16] for key, lines in rows.items()}


def changed_keys(before: dict[str, str], now: dict[str, str]) -> list[str]:
    """Partitions whose rows were added or changed (a partition whose rows are all gone needs no run)."""
    return sorted(k for k, digest in now.items() if before.get(k) != digest)


@sensor(jobs=[discovery_job, reports_job], minimum_interval_seconds=300, default_status=DefaultSensorStatus.STOPPED,
        description="A catalog row added or changed → a run of exactly its partition (listing → discovery of "
                    "its region, then its reports). Nothing changed → no run.")
def catalog_sensor(context: SensorEvaluationContext, catalog: SourceCatalog):
    try:
        entries = catalog.entries()
    except (OSError, UnicodeDecodeError, CatalogError) as exc:
        return SkipReason(f"catalog {catalog.path} unreadable: {exc}")
    # A year that is not a partition yet (this year) waits: when it becomes one, its rows count as added.
    entries = [e for e in entries if e.kind == "listing" or has_year(e.year)]
    now = catalog_digests(entries)
    cursor = json.dumps(now, sort_keys=True, separators=(",", ":"))
    if context.cursor is None:
        return SensorResult(skip_reason=SkipReason(f"catalog baseline recorded: {len(entries)} row(s), "
                                                   f"{len(now)} partition(s)"), cursor=cursor)
    changed = changed_keys(json.loads(context.cursor), now)
    if not changed:
        return SensorResult(skip_reason=SkipReason("catalog unchanged"), cursor=cursor)
    listings = [k.split("|")[1] for k in changed if k.startswith(f"{LISTING}|")]
    partitions = [Partition(k.split("|")[1], int(k.split("|")[0])) for k in changed if not k.startswith(f"{LISTING}|")]
    run_key = "catalog:" + hashlib.sha256(cursor.encode()).hexdigest()[:12]
    requests = (reports_requests(partitions, trigger="sensor:catalog", run_key=run_key)
                + discovery_requests(listings, "*", trigger="sensor:catalog", run_key=run_key))
    context.log.info(f"catalog changed: {', '.join(changed)}")
    return SensorResult(run_requests=requests, cursor=cursor)


def _run_regions(tags: dict[str, str]) -> list[str]:
    from pipelines.partitions import REGION_CODES

    if tags.get("ogi/regions"):
        return tags["ogi/regions"].split(",")
    if "dagster/partition" in tags:
        return [tags["dagster/partition"]]
    start, end = tags.get("dagster/asset_partition_range_start"), tags.get("dagster/asset_partition_range_end")
    if start and end:
        return REGION_CODES[REGION_CODES.index(start):REGION_CODES.index(end) + 1]
    return []


def _years_found(context: RunStatusSensorContext) -> dict[str, set[int]]:
    """Years of the reports the run's discovery found, per region (its materialisations' metadata)."""
    found: dict[str, set[int]] = {}
    records = context.instance.get_records_for_run(context.dagster_run.run_id,
                                                   of_type=DagsterEventType.ASSET_MATERIALIZATION).records
    for record in records:
        mat = record.asset_materialization
        years = mat.metadata.get("years_found") if mat else None
        if mat is not None and mat.partition and years is not None:
            found.setdefault(mat.partition, set()).update(int(y) for y in years.value)
    return found


@run_status_sensor(run_status=DagsterRunStatus.SUCCESS, monitored_jobs=[discovery_job], request_jobs=[reports_job],
                   default_status=DefaultSensorStatus.STOPPED,
                   description="After a successful discovery run started by a schedule or the catalog sensor: "
                               "fetch and publish the reports of the years it was started for.")
def discovery_follow_up(context: RunStatusSensorContext, catalog: SourceCatalog):
    run = context.dagster_run
    if run.job_name != "discovery_job" or FOLLOW_UP_YEARS not in run.tags:
        return SkipReason("not a discovery run started by the automation")
    asked = run.tags[FOLLOW_UP_YEARS]
    found = _years_found(context)
    entries = catalog.entries()
    partitions = set()
    for region in _run_regions(run.tags):
        years = found.get(region, set()) | {e.year for e in entries
                                            if e.kind == "report" and e.region == region and e.year is not None}
        if asked != "*":
            years &= {int(y) for y in asked.split(",")}
        partitions.update(Partition(region, y) for y in years)
    if not partitions:
        return SkipReason(f"discovery run {run.run_id[:8]} found nothing for years {asked}")
    return reports_requests(sorted(partitions), trigger=f"follow_up:{run.run_id[:8]}", run_key=f"follow_up:{run.run_id}")


SENSORS = [catalog_sensor, discovery_follow_up]
