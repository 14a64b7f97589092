"""Schedules follow the law's deadlines; the sensors ask for exactly the partitions a change concerns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dagster import (
    RunRequest,
    SkipReason,
    build_run_status_sensor_context,
    build_schedule_context,
    build_sensor_context,
)

from pipelines.automation import FOLLOW_UP_YEARS, statistics_year_due
from pipelines.resources import SourceCatalog
from pipelines.schedules import after_departments_deadline, after_governments_deadline, monthly_catch_up
from pipelines.sensors import catalog_sensor, discovery_follow_up
from tests.conftest import definitions_for, project_copy

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADER = "source_id,location,origin_url,region,year,agency,note,kind\n"


def _catalog(path: Path, *rows: str) -> SourceCatalog:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return SourceCatalog(path=str(path))


def _requests(result) -> list[RunRequest]:
    if isinstance(result, SkipReason):
        return []
    return list(getattr(result, "run_requests", None) or result)


@pytest.mark.parametrize(("schedule", "when"), [
    (after_departments_deadline, dt.datetime(2025, 2, 1, 2, tzinfo=SHANGHAI)),
    (after_governments_deadline, dt.datetime(2025, 4, 1, 2, tzinfo=SHANGHAI)),
    (monthly_catch_up, dt.datetime(2025, 6, 15, 3, tzinfo=SHANGHAI)),
])
def test_a_tick_after_a_deadline_of_year_y_targets_statistics_year_y_minus_1(tmp_path, schedule, when):
    catalog = _catalog(tmp_path / "catalog.csv",
                       "a,a.html,,150000,2024,,,report", "b,b.html,,430000,2024,,,report",
                       "c,c.html,,150000,2023,,,report", "d,d.html,,440000,2025,,,report")
    requests = _requests(schedule(build_schedule_context(scheduled_execution_time=when,
                                                         resources={"catalog": catalog})))
    assert requests
    assert {r.tags[FOLLOW_UP_YEARS] for r in requests} == {"2024"}
    regions = sorted(r for req in requests for r in req.tags["ogi/regions"].split(","))
    assert regions == ["150000", "430000"]  # the regions with rows for 2024, not 2023's or 2025's
    assert all(r.job_name == "discovery_job" for r in requests)
    # A tick evaluated again (a retried daemon) asks for the same runs: the run keys dedupe them.
    again = _requests(schedule(build_schedule_context(scheduled_execution_time=when, resources={"catalog": catalog})))
    assert [r.run_key for r in again] == [r.run_key for r in requests]


def test_the_schedules_tick_after_31_january_and_31_march():
    def next_tick(s, after):
        from dagster._utils.schedules import cron_string_iterator

        return next(cron_string_iterator(after.timestamp(), s.cron_schedule, s.execution_timezone))

    start = dt.datetime(2025, 1, 1, tzinfo=SHANGHAI)
    assert next_tick(after_departments_deadline, start).date() == dt.date(2025, 2, 1)
    assert next_tick(after_governments_deadline, start).date() == dt.date(2025, 4, 1)
    assert statistics_year_due(dt.date(2025, 1, 31)) == 2023  # departments' 2024 reports not yet due
    assert statistics_year_due(dt.date(2025, 2, 1)) == 2024


def test_catalog_sensor_asks_for_exactly_the_partition_of_an_added_row(tmp_path):
    path = tmp_path / "catalog.csv"
    rows = ["a,a.html,,150000,2022,,,report", "b,b.html,,430000,2020,,,report"]
    catalog = _catalog(path, *rows)
    first = catalog_sensor(build_sensor_context(resources={"catalog": catalog}))
    assert not first.run_requests  # the first evaluation records the catalog, it does not backfill history
    cursor = first.cursor
    unchanged = catalog_sensor(build_sensor_context(cursor=cursor, resources={"catalog": catalog}))
    assert not unchanged.run_requests and unchanged.cursor == cursor
    _catalog(path, *rows, "c,c.html,,650000,2017,,,report")
    added = catalog_sensor(build_sensor_context(cursor=cursor, resources={"catalog": catalog}))
    assert len(added.run_requests) == 1
    request = added.run_requests[0]
    assert request.job_name == "reports_job"
    assert (request.tags["dagster/asset_partition_range_start"], request.tags["dagster/asset_partition_range_end"]) \
        == ("650000|2017", "650000|2017")
    # A changed location is a change of its partition too; a new listing asks for discovery of its region.
    _catalog(path, "a,a2.html,,150000,2022,,,report", rows[1], "c,c.html,,650000,2017,,,report",
             "l,https://www.hunan.gov.cn/zfxxgknb/,,430000,,,,listing")
    changed = catalog_sensor(build_sensor_context(cursor=added.cursor, resources={"catalog": catalog}))
    by_job = {r.job_name: r for r in changed.run_requests}
    assert set(by_job) == {"reports_job", "discovery_job"}
    assert by_job["reports_job"].tags["dagster/asset_partition_range_start"] == "150000|2022"
    assert by_job["discovery_job"].tags["ogi/regions"] == "430000"


def test_catalog_sensor_skips_with_a_reason_when_the_catalog_is_unreadable(tmp_path):
    result = catalog_sensor(build_sensor_context(cursor="{}", resources={
        "catalog": SourceCatalog(path=str(tmp_path / "missing.csv"))}))
    assert isinstance(result, SkipReason) and "missing.csv" in result.skip_message


def test_discovery_follow_up_fetches_the_years_a_scheduled_discovery_was_for(tmp_path, fresh_instance):
    data, catalog = project_copy(tmp_path)
    defs = definitions_for(data, catalog)
    run = defs.resolve_job_def("discovery_job").execute_in_process(
        instance=fresh_instance, partition_key="430000", tags={FOLLOW_UP_YEARS: "2020"})
    assert run.success
    context = build_run_status_sensor_context(
        sensor_name="discovery_follow_up", dagster_instance=fresh_instance, dagster_run=run.dagster_run,
        dagster_event=run.get_run_success_event(), resources={"catalog": SourceCatalog(path=str(catalog))})
    requests = _requests(discovery_follow_up(context))
    assert [(r.job_name, r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"])
            for r in requests] == [("reports_job", "430000|2020", "430000|2020")]
