"""What the schedules and sensors ask for: run requests over exactly the partitions concerned.

Shared by pipelines/schedules.py (the law's deadlines) and pipelines/sensors.py (catalog changes,
discovery follow-up). Every request covers a rectangle of partitions (pipelines.runs.partition_ranges)
so a tick pays one run start-up per range, never one per partition, and carries the tags that say
why it was asked for (the Dagster UI filters runs by them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dagster import RunRequest

from ogi.datasets.warehouse import Partition
from ogi.fetch.catalog import CatalogEntry
from pipelines.ranges import partition_ranges, run_tags

# Tag of a discovery run started by the automation: the statistics years whose reports to fetch once it
# has succeeded ("*": every year the listings show). Runs started by hand have none and start nothing.
FOLLOW_UP_YEARS = "ogi/follow_up_years"
TRIGGER = "ogi/trigger"


def statistics_year_due(when: dt.datetime | dt.date) -> int:
    """The latest statistics year whose reports are due by `when`: departments' by 31 January of the next
    year (so from 1 February of Y it is Y − 1; in January of Y it is still Y − 2)."""
    return when.year - 1 if (when.month, when.day) > (1, 31) else when.year - 2


def catalog_regions(entries: Iterable[CatalogEntry], year: int | None = None) -> list[str]:
    """Regions the catalog has something for: listings (every year) or report rows (of `year`, when given)."""
    return sorted({e.region for e in entries
                   if e.kind == "listing" or (e.kind == "report" and (year is None or e.year == year))})


def discovery_requests(regions: Iterable[str], years: str, trigger: str, run_key: str | None) -> list[RunRequest]:
    """discovery_job over the regions (one run per range of adjacent regions), followed up for `years`."""
    from pipelines.partitions import REGION_CODES

    order = {code: i for i, code in enumerate(REGION_CODES)}
    ordered = sorted(set(regions), key=lambda r: order[r])
    requests = []
    start = 0
    for i in range(1, len(ordered) + 1):
        if i == len(ordered) or order[ordered[i]] != order[ordered[i - 1]] + 1:
            first, last = ordered[start], ordered[i - 1]
            requests.append(RunRequest(
                job_name="discovery_job",
                run_key=f"{run_key}:discovery:{first}-{last}" if run_key else None,
                tags={"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last,
                      FOLLOW_UP_YEARS: years, TRIGGER: trigger, "ogi/regions": ",".join(ordered[start:i])},
            ))
            start = i
    return requests


def reports_requests(partitions: Iterable[Partition], trigger: str, run_key: str | None) -> list[RunRequest]:
    """reports_job over exactly these partitions, one run per rectangle."""
    requests = []
    for part in partition_ranges(partitions):
        requests.append(RunRequest(
            job_name="reports_job",
            run_key=f"{run_key}:reports:{part.start_key}-{part.end_key}" if run_key else None,
            tags={**part.tags(), **run_tags(part.partitions()), TRIGGER: trigger},
        ))
    return requests
