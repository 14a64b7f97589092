"""The source catalog: which documents to fetch, for which region and year.

A CSV users edit (README documents the columns). `location` is an http(s) URL or a path relative
to the catalog file; `origin_url` is where the document was published, which decides authority for
bundled copies. `kind` is `report` (default: one document, `year` required) or `listing` (a
政府信息公开年报 column to discover reports from; `year` left empty, the titles tell). The optional
`robots` column is empty (robots.txt is honoured) or `ignore`, for a site whose robots.txt blocks
its own disclosure column: the override is recorded in each fetch record (`ignored (catalog)`).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from ogi.overrides import Override, OverrideField
from ogi.reference.divisions import FIRST_YEAR  # the Regulations took effect on 2008-05-01

COLUMNS = ("source_id", "location", "origin_url", "region", "year", "agency", "note", "kind", "robots")
KINDS = ("report", "listing")
ROBOTS = ("", "obey", "ignore")
_REGION = re.compile(r"^\d{6}$")


@cache
def _province_level() -> frozenset[str]:
    from ogi.reference.regions import NATIONAL, province_codes

    return frozenset([NATIONAL, *province_codes()])


@dataclass(frozen=True)
class CatalogEntry:
    source_id: str
    location: str
    origin_url: str | None
    region: str
    year: int | None
    agency: str | None = None
    note: str | None = None
    kind: str = "report"
    from_web: bool = False  # found on a fetched web page (not a catalog row): http(s) only
    robots: str = ""  # "ignore": fetch although robots.txt disallows (recorded in the fetch record)

    @property
    def partition(self) -> tuple[int, str] | None:
        return (self.year, self.region) if self.year is not None else None


class CatalogError(ValueError):
    """A catalog that cannot be read at all (missing columns); a bad row is a `CatalogRowError` instead."""


@dataclass(frozen=True)
class CatalogRowError:
    """A catalog row skipped: where it is (file:line) and what is wrong with it."""

    path: str
    line: int
    source_id: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.problem}"


@dataclass(frozen=True)
class Catalog:
    """The rows that load, and the rows skipped with the reason (the rest of the catalog still loads)."""

    entries: list[CatalogEntry]
    errors: list[CatalogRowError]


def last_statistics_year() -> int:
    """The latest year a catalog row may name: the current year (its report appears next year)."""
    return dt.date.today().year


def _row_problem(row: dict[str, str | None], seen: set[str]) -> str | None:
    sid = (row.get("source_id") or "").strip()
    region = (row.get("region") or "").strip()
    year_text = (row.get("year") or "").strip()
    kind = (row.get("kind") or "").strip() or "report"
    if not sid:
        return "source_id missing"
    if sid in seen:
        return f"source_id repeated: {sid!r}"
    if not (row.get("location") or "").strip():
        return f"location missing for {sid!r}"
    if not _REGION.match(region) or region not in _province_level():
        return (f"region must be a province-level GB/T 2260 code like 150000, or 000000 for central bodies, "
                f"got {region!r}")
    if kind not in KINDS:
        return f"kind must be one of {KINDS}, got {kind!r}"
    if kind == "report" and not year_text:
        return "year missing: a report row needs its statistics year"
    if year_text:
        if not year_text.isdigit():
            return f"year must be the statistics year, got {year_text!r}"
        first, last = FIRST_YEAR, last_statistics_year()
        if not first <= int(year_text) <= last:
            return f"year {year_text} is outside the statistics years {first}–{last} (history starts in {first})"
    robots = (row.get("robots") or "").strip().lower()
    if robots not in ROBOTS:
        return f"robots must be empty, obey or ignore, got {robots!r}"
    return None


def load_catalog_with_errors(path: Path) -> Catalog:
    """Read and validate the catalog: every good row, and every bad row skipped with file:line and why.

    Raises CatalogError only for a catalog that cannot be read at all (required columns missing);
    OSError / UnicodeDecodeError for a file that cannot be opened or decoded.
    """
    entries: list[CatalogEntry] = []
    errors: list[CatalogRowError] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"source_id", "location", "region", "year"} - set(reader.fieldnames or ())
        if missing:
            raise CatalogError(f"{path}: missing columns {sorted(missing)}")
        end = reader.line_num
        for row in reader:
            lineno, end = end + 1, reader.line_num  # a quoted cell may span lines: the row's first line
            if None in row:  # more cells than the header has columns
                row.pop(None)
            if not any((v or "").strip() for v in row.values()):
                continue
            sid = (row.get("source_id") or "").strip()
            problem = _row_problem(row, seen)
            if problem is not None:
                errors.append(CatalogRowError(str(path), lineno, sid, problem))
                continue
            year_text = (row.get("year") or "").strip()
            seen.add(sid)
            entries.append(CatalogEntry(
                source_id=sid,
                location=(row.get("location") or "").strip(),
                origin_url=(row.get("origin_url") or "").strip() or None,
                region=(row.get("region") or "").strip(),
                year=int(year_text) if year_text else None,
                agency=(row.get("agency") or "").strip() or None,
                note=(row.get("note") or "").strip() or None,
                kind=(row.get("kind") or "").strip() or "report",
                robots=(row.get("robots") or "").strip().lower(),
            ))
    return Catalog(entries, errors)


def load_catalog(path: Path) -> list[CatalogEntry]:
    """The catalog's good rows (bad rows skipped; `load_catalog_with_errors` says which and why)."""
    return load_catalog_with_errors(path).entries


def partitions_of(entries: list[CatalogEntry]) -> list[tuple[int, str]]:
    """The (year, region) partitions the catalog's report rows fill."""
    return sorted({e.partition for e in entries if e.kind == "report" and e.partition is not None})


def listing_regions(entries: list[CatalogEntry]) -> list[str]:
    return sorted({e.region for e in entries if e.kind == "listing"})


def apply_overrides(entries: list[CatalogEntry], overrides: dict[str, list[Override]]) -> list[CatalogEntry]:
    """Entries with the region and year the overrides file gives them: the partition they are fetched into."""
    out = []
    for entry in entries:
        changes: dict[str, object] = {}
        for o in overrides.get(entry.source_id, []):
            if o.field == OverrideField.REGION:
                changes["region"] = o.value
            elif o.field == OverrideField.YEAR:
                changes["year"] = int(o.value)
        out.append(replace(entry, **changes) if changes else entry)
    return out
