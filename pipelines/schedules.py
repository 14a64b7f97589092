"""Schedules that follow the Regulations' deadlines (政府信息公开条例 第五十条).

Departments publish their annual report by 31 January, people's governments theirs by 31 March,
for the statistics year just ended. So, in China's time zone:

- 1 February: discover and fetch statistics year Y − 1 (the departments' reports are due);
- 1 April: again for Y − 1 (the governments' own reports are due, and the departments' late ones);
- the 15th of every month: a catch-up for late publishers and pages replaced after publication, for
  the latest year that is due (Y − 1 from February, Y − 2 in January).

Each tick asks for discovery over the catalog's regions (one run per range of adjacent regions); the
discovery follow-up sensor (pipelines/sensors.py) then asks for the reports of that year, so the
reports are fetched from listings crawled on the same day. Run keys make a tick idempotent.
"""

from __future__ import annotations

from enum import StrEnum

from dagster import (
    DefaultScheduleStatus,
    ScheduleEvaluationContext,
    SkipReason,
    schedule,
)

from pipelines.automation import catalog_regions, discovery_requests, statistics_year_due
from pipelines.jobs import discovery_job
from pipelines.resources import SourceCatalog

TIMEZONE = "Asia/Shanghai"


class Deadline(StrEnum):
    """Why a schedule ticks."""

    DEPARTMENTS = "departments"  # 31 January: 各级人民政府部门
    GOVERNMENTS = "governments"  # 31 March: 县级以上地方人民政府
    CATCH_UP = "catch_up"  # monthly: late publishers


def _tick(context: ScheduleEvaluationContext, catalog: SourceCatalog, deadline: Deadline):
    when = context.scheduled_execution_time
    year = statistics_year_due(when)
    regions = catalog_regions(catalog.entries(), year)
    if not regions:
        return SkipReason(f"the catalog has nothing for statistics year {year}")
    context.log.info(f"{deadline} tick {when:%Y-%m-%d}: statistics year {year}, {len(regions)} region(s)")
    return discovery_requests(regions, str(year), trigger=f"schedule:{deadline}",
                              run_key=f"{deadline}:{when:%Y-%m-%d}:{year}")


def _deadline_schedule(name: str, cron: str, deadline: Deadline, description: str):
    @schedule(name=name, cron_schedule=cron, execution_timezone=TIMEZONE, job=discovery_job,
              default_status=DefaultScheduleStatus.STOPPED, description=description)
    def _deadline(context: ScheduleEvaluationContext, catalog: SourceCatalog):
        return _tick(context, catalog, deadline)

    return _deadline


after_departments_deadline = _deadline_schedule(
    "after_departments_deadline", "0 2 1 2 *", Deadline.DEPARTMENTS,
    "1 February: departments' reports for the year just ended are due (31 January): discover, then fetch and "
    "publish statistics year Y − 1.")
after_governments_deadline = _deadline_schedule(
    "after_governments_deadline", "0 2 1 4 *", Deadline.GOVERNMENTS,
    "1 April: governments' own reports are due (31 March): discover, then fetch and publish statistics year "
    "Y − 1 again.")
monthly_catch_up = _deadline_schedule(
    "monthly_catch_up", "0 3 15 * *", Deadline.CATCH_UP,
    "15th of each month: catch up with late publishers for the latest statistics year due.")

SCHEDULES = [after_departments_deadline, after_governments_deadline, monthly_catch_up]
