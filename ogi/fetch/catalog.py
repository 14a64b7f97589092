"""The source catalog: which documents to fetch, for which region and year.

A CSV users edit (README documents the columns). `location` is an http(s) URL or a path relative
to the catalog file; `origin_url` is where the document was published, which decides authority for
bundled copies. `kind` is `report` (default: one document, `year` required) or `listing` (a
政府信息公开年报 column to discover reports from; `year` left empty, the titles tell).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ogi.overrides import Override, OverrideField

COLUMNS = ("source_id", "location", "origin_url", "region", "year", "agency", "note", "kind")
KINDS = ("report", "listing")
_REGION = re.compile(r"^\d{6}$")


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

    @property
    def partition(self) -> tuple[int, str] | None:
        return (self.year, self.region) if self.year is not None else None


class CatalogError(ValueError):
    pass


def load_catalog(path: Path) -> list[CatalogEntry]:
    """Read and validate the catalog; a malformed row is an error naming the line, not a silent skip."""
    entries: list[CatalogEntry] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"source_id", "location", "region", "year"} - set(reader.fieldnames or ())
        if missing:
            raise CatalogError(f"{path}: missing columns {sorted(missing)}")
        for lineno, row in enumerate(reader, start=2):
            if not any((v or "").strip() for v in row.values()):
                continue
            sid = (row.get("source_id") or "").strip()
            region = (row.get("region") or "").strip()
            year_text = (row.get("year") or "").strip()
            if not sid or sid in seen:
                raise CatalogError(f"{path}:{lineno}: source_id missing or repeated: {sid!r}")
            if not _REGION.match(region) or not (region == "000000" or region.endswith("0000")):
                raise CatalogError(f"{path}:{lineno}: region must be a province-level code like 150000 or 000000, got {region!r}")
            kind = (row.get("kind") or "").strip() or "report"
            if kind not in KINDS:
                raise CatalogError(f"{path}:{lineno}: kind must be one of {KINDS}, got {kind!r}")
            if kind == "report" and not year_text.isdigit():
                raise CatalogError(f"{path}:{lineno}: year must be the statistics year, got {year_text!r}")
            seen.add(sid)
            entries.append(CatalogEntry(
                source_id=sid,
                location=(row.get("location") or "").strip(),
                origin_url=(row.get("origin_url") or "").strip() or None,
                region=region,
                year=int(year_text) if year_text.isdigit() else None,
                agency=(row.get("agency") or "").strip() or None,
                note=(row.get("note") or "").strip() or None,
                kind=kind,
            ))
    return entries


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
