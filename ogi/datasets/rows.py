"""Normalisation: a partition's parsed documents → the rows of the published datasets (registry contracts).

Two passes over the partition's `parsed_reports`: the first reads what report identity needs of
each document (body, year, scope, rendering, host, date, printed figures) and decides which
documents are one report and which copy is canonical (ogi/datasets/identity.py); the second emits,
batch by batch, every published row — the ledger row of every document, and for each canonical
report its reports / cells / facts / findings / identities rows and the analysis rows (requests,
active, review_litigation, headline). Coverage comes last, from what the first pass saw.

Every row carries `year`, `region`, `report_id` and `source_sha256`: the lineage back to the exact
bytes in the raw store. Numbers stay Decimal from the parser to the Parquet column; a number the
column cannot hold exactly is left empty with a finding, never rounded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ogi.datasets.analysis import active_row, headline_row, requests_rows, review_row
from ogi.datasets.continuity import YearFigures, check, figures_of
from ogi.datasets.identity import (
    Candidate,
    FigureCodec,
    Figures,
    body_id,
    canonical_agency,
    decide,
    rendering_of,
)
from ogi.datasets.registry import PUBLISHED, DocumentStatus
from ogi.model import Finding, Placement, Severity, Stage
from ogi.overrides import Override, OverrideField
from ogi.parse.report import ParsedReport
from ogi.parse.stage import cell_fields, fact_fields, identity_fields, report_from_row
from ogi.read.stage import finding_fields
from ogi.reference import divisions
from ogi.reference.regions import NATIONAL, name_of
from ogi.work.pool import Pool
from ogi.work.stage import WorkLimits, read_ahead

_SCALE = 4  # decimal places of the decimal128(24, 4) columns
_LIMIT = Decimal(10) ** (24 - _SCALE)


def representable(value: Decimal | None) -> bool:
    """Whether the column can hold the number exactly (no rounding: a rounded number is a wrong number)."""
    if value is None:
        return True
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and (exponent >= -_SCALE or value == value.quantize(Decimal(1).scaleb(-_SCALE))) \
        and abs(value) < _LIMIT


def _exact(value: Decimal | None) -> Decimal | None:
    return value if representable(value) else None


@dataclass
class DatasetRows:
    """Rows per published dataset for one batch of documents."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {name: [] for name in PUBLISHED})

    def extend(self, other: DatasetRows) -> None:
        for name, rows in other.rows.items():
            self.rows[name].extend(rows)

    def tables(self) -> dict[str, pa.Table]:
        return {name: PUBLISHED[name].table(rows) for name, rows in self.rows.items()}

    def __len__(self) -> int:
        return sum(len(r) for r in self.rows.values())


def _host(url: str | None) -> str | None:
    return urlsplit(url).hostname if url and "://" in url else None


def _agency(row: dict[str, Any], overrides: list[Override]) -> str | None:
    for o in overrides:
        if o.field == OverrideField.AGENCY:
            return o.value
    return row.get("agency_hint") or row.get("agency")


def _override(overrides: list[Override], kind: OverrideField) -> str | None:
    return next((o.value for o in overrides if o.field == kind), None)


def _is_report(row: dict[str, Any], listed: bool) -> bool:
    """Parsed, authoritative, and something was read (a format, or `listed`: any cell or fact): a report
    (the others are failed or excluded)."""
    return (row.get("status") == "ok" and row.get("authoritative") is not False
            and (row.get("format") is not None or listed))


@dataclass(slots=True)
class _Seen:
    """What the first pass keeps of a document: enough for identity and coverage, never its rows."""

    source_id: str
    report_id: str | None
    body_id: str | None
    agency: str | None
    region_code: str | None
    region_name: str | None
    scope: str | None
    agency_hint: str | None
    is_report: bool
    excluded_by: str | None


class PartitionNormalizer:
    """Normalise one partition: `scan` every parsed row first, then `rows` for each batch, then `coverage`."""

    def __init__(self, year: int, region: str, overrides: dict[str, list[Override]] | None = None,
                 catalog_agencies: Iterable[str] = (), previous: dict[str, YearFigures] | None = None) -> None:
        self.year = year
        self.region = region
        self.previous = previous or {}  # body_id|scope → the body's figures of the year before
        self.figures: dict[str, YearFigures] = {}  # this year's, for next year's checks
        self.overrides = overrides or {}
        self.catalog_agencies = sorted(set(a for a in catalog_agencies if a))
        self._candidates: list[Candidate] = []
        self._codec = FigureCodec()  # every report's figures kept compact until the identities are decided
        self._seen: dict[str, _Seen] = {}
        self._names: dict[str, str] = {}  # one copy of each agency, region, scope, host... a partition repeats
        self._decided = False
        self._canonical: set[str] = set()
        self._duplicate_of: dict[str, tuple[str, str, str]] = {}  # source_id → (canonical report_id, reason, source_id)
        self._copies: dict[str, int] = {}
        self._disagreements: dict[str, list[Finding]] = {}

    # --- pass 1 ---------------------------------------------------------------------------------------

    def _name(self, text: str | None) -> str | None:
        return None if text is None else self._names.setdefault(text, text)

    def scan(self, row: dict[str, Any]) -> None:
        """Pass 1 of one document given as a dict (its cells, facts and findings as lists of dicts)."""
        figures: dict[tuple[str, str, str], Decimal] = {}
        for c in row.get("cells") or []:
            if c["value"] is not None:
                figures[("cell", f"{c['table']}/{c['row']}", c["col"])] = c["value"]
        for f in row.get("facts") or []:
            figures[("fact", f["key"], f["period"])] = f["value"]
        unplaced = sum(1 for f in row.get("findings") or [] if f["check"] == "unplaced_value")
        self._scan(row, bool(row.get("cells")) or bool(row.get("facts")), lambda: self._codec.encode(figures), unplaced)

    def scan_batch(self, batch: pa.RecordBatch) -> None:
        """Pass 1 of a batch of parsed rows (SCAN_COLUMNS): as `scan` of each, with the figures read column-wise."""
        figures = self._codec.encode_lists(batch.column("cells"), batch.column("facts"))
        findings = batch.column("findings")
        unplaced = np.bincount(
            pc.list_parent_indices(findings).filter(
                pc.equal(pc.list_flatten(findings).field("check"), "unplaced_value")).to_numpy(zero_copy_only=False),
            minlength=batch.num_rows)
        listed = pc.or_(pc.greater(pc.fill_null(pc.list_value_length(batch.column("cells")), 0), 0),
                        pc.greater(pc.fill_null(pc.list_value_length(batch.column("facts")), 0), 0)).to_pylist()
        light = batch.select([n for n in batch.schema.names if n not in ("cells", "facts", "findings")])
        for i, row in enumerate(light.to_pylist()):
            self._scan(row, listed[i], lambda i=i: figures[i], int(unplaced[i]))

    def _scan(self, row: dict[str, Any], listed: bool, figures: Callable[[], Figures], unplaced: int) -> None:
        sid = row["source_id"]
        mine = self.overrides.get(sid, [])
        excluded = _override(mine, OverrideField.EXCLUDE)
        name = self._name
        agency = name(_agency(row, mine))
        bid = name(_override(mine, OverrideField.BODY_ID) or body_id(row.get("region_code") or self.region, agency,
                                                                      row.get("region_name")))
        scope = name(_override(mine, OverrideField.SCOPE) or row.get("scope"))
        report = _is_report(row, listed) and not excluded
        self._seen[sid] = _Seen(sid, row.get("report_id"), bid, agency, name(row.get("region_code")),
                                name(row.get("region_name")), scope, name(row.get("agency_hint")), report, excluded)
        if not report:
            return
        published = row.get("published")
        self._candidates.append(Candidate(
            source_id=sid, report_id=row["report_id"], body_id=bid, year=row.get("stated_year") or self.year,
            scope=scope, rendering=rendering_of(row.get("content_type"), row["location"]),
            host=name(_host(row.get("origin_url") or row["location"])),
            published=name(published.isoformat()) if published else None, figures=figures(),
            unplaced=unplaced))

    def decide(self) -> None:
        """Which documents are one report and which copy is canonical: once every document is scanned."""
        self._decide()

    def _decide(self) -> None:
        if self._decided:
            return
        self._decided = True
        for decision in decide(self._candidates):
            canonical = decision.canonical
            self._canonical.add(canonical.source_id)
            self._copies[canonical.source_id] = len(decision.duplicates)
            for dup, why in decision.duplicates:
                self._duplicate_of[dup.source_id] = (canonical.report_id, why, canonical.source_id)
            same_bytes = [dup.source_id for dup, _ in decision.duplicates if dup.report_id == canonical.report_id]
            if same_bytes:  # one document named by several rows: read and recorded once, every row kept
                self._disagreements.setdefault(canonical.source_id, []).append(Finding(
                    "duplicate_source", Severity.INFO,
                    f"the same bytes are also named by {', '.join(same_bytes)}: published once, from "
                    f"{canonical.source_id}; the other rows are `duplicate` in documents (duplicate_of_source "
                    f"{canonical.source_id})", stage=Stage.NORMALIZE, evidence=", ".join(same_bytes)))
            for other, key, mine, theirs in decision.disagreements:
                kind, where, what = key
                self._disagreements.setdefault(canonical.source_id, []).append(Finding(
                    "copy_disagrees", Severity.WARN,
                    f"another copy of this report ({other.source_id}) prints {theirs} for {where}/{what}, "
                    f"this one {mine}: the canonical copy's figure is published, the other is kept in its document", stage=Stage.NORMALIZE,
                    table=where.split("/")[0] if kind == "cell" else None,
                    row=where.split("/")[1] if kind == "cell" else None, col=what if kind == "cell" else None,
                    printed=mine, expected=theirs, evidence=f"{other.source_id} ({other.rendering})"))

    # --- pass 2 ---------------------------------------------------------------------------------------

    def rows(self, batch: Iterable[dict[str, Any]]) -> DatasetRows:
        self._decide()
        out = DatasetRows()
        for row in batch:
            self._document_rows(row, out)
        return out

    def _ledger(self, doc: dict[str, Any], *, status: DocumentStatus, stage: str | None, message: str | None,
                authoritative: bool | None = None, fmt: str | None = None) -> dict[str, Any]:
        seen = self._seen.get(doc["source_id"])
        duplicate = self._duplicate_of.get(doc["source_id"])
        return {
            "year": self.year, "region": self.region,
            "source_id": doc["source_id"], "location": doc["location"], "origin_url": doc.get("origin_url"),
            "agency_hint": doc.get("agency_hint"),
            "report_id": doc.get("report_id") if doc.get("sha256") else None,
            "body_id": seen.body_id if seen and seen.is_report else None,
            "sha256": doc.get("sha256"), "size": doc.get("size"), "content_type": doc.get("content_type"),
            "encoding": doc.get("encoding"), "fetched_at": doc.get("fetched_at"), "http_status": doc.get("http_status"),
            "unchanged": doc.get("unchanged"), "status": str(status),
            "duplicate_of": duplicate[0] if duplicate and status == DocumentStatus.DUPLICATE else None,
            "duplicate_reason": duplicate[1] if duplicate and status == DocumentStatus.DUPLICATE else None,
            "duplicate_of_source": duplicate[2] if duplicate and status == DocumentStatus.DUPLICATE else None,
            "overrides": [{"field": str(o.field), "value": o.value, "reason": o.reason}
                          for o in self.overrides.get(doc["source_id"], [])],
            "stage": stage, "message": message, "error_kind": doc.get("error_kind"),
            "authoritative": authoritative, "format": fmt,
        }

    def _document_rows(self, row: dict[str, Any], out: DatasetRows) -> None:
        sid = row["source_id"]
        seen = self._seen.get(sid)
        if seen is None:
            raise ValueError(f"document {sid} was not scanned before its rows were asked for")
        ledger = out.rows["documents"]
        if row.get("status") != "ok":
            ledger.append(self._ledger(row, status=DocumentStatus.FAILED,
                                       stage=row.get("failed_stage") or Stage.PARSE, message=row.get("message") or "failed"))
            return
        if row.get("authoritative") is False:
            reason = row.get("authority_reason") or "not authoritative"
            ledger.append(self._ledger(row, status=DocumentStatus.EXCLUDED, stage=str(Stage.AUTHORITY),
                                       message=f"not a government's own publication ({reason})",
                                       authoritative=False, fmt=row.get("format")))
            return
        if seen.excluded_by is not None:
            why = next(o.reason for o in self.overrides[sid] if o.field == OverrideField.EXCLUDE)
            ledger.append(self._ledger(row, status=DocumentStatus.EXCLUDED, stage="override",
                                       message=f"excluded by the overrides file: {why}",
                                       authoritative=row.get("authoritative"), fmt=row.get("format")))
            return
        if not seen.is_report:
            problems = [f"{f['check']}: {f['message']}" for f in row.get("findings") or []
                        if f["severity"] in ("warn", "error")]
            ledger.append(self._ledger(
                row, status=DocumentStatus.FAILED, stage=str(Stage.PARSE), authoritative=row.get("authoritative"),
                message="no standard tables and no prose statistics could be read"
                        + (f" ({'; '.join(problems)})" if problems else "")))
            return
        if sid in self._duplicate_of:
            ledger.append(self._ledger(row, status=DocumentStatus.DUPLICATE, stage="identity",
                                       message=self._duplicate_of[sid][1], authoritative=row.get("authoritative"),
                                       fmt=row.get("format")))
            return
        ledger.append(self._ledger(row, status=DocumentStatus.PUBLISHED, stage=None, message=None,
                                   authoritative=row.get("authoritative"), fmt=row.get("format")))
        self._report_rows(row, report_from_row(row), seen, out)

    def _report_rows(self, row: dict[str, Any], report: ParsedReport, seen: _Seen, out: DatasetRows) -> None:
        rid, sha, meta = report.report_id, report.source.sha256, report.meta
        part = {"year": self.year, "region": self.region}
        base = {**part, "report_id": rid, "source_sha256": sha}
        findings = [*report.findings, *self._disagreements.get(row["source_id"], [])]
        for c in report.cells:
            cell = cell_fields(c)
            if not representable(cell["value"]):
                findings.append(Finding("unrepresentable_value", Severity.WARN,
                                        f"{c.table}/{c.row}/{c.col} prints {c.raw!r}, more precise than the dataset's "
                                        f"{_SCALE} decimals: kept as printed text, value left empty", stage=Stage.NORMALIZE,
                                        table=c.table, row=c.row, col=c.col, evidence=c.raw))
                cell["value"] = None
            out.rows["cells"].append({**base, **cell})
        facts = []
        for f in report.facts:
            if not representable(f.value):
                findings.append(Finding("unrepresentable_value", Severity.WARN,
                                        f"fact {f.key} states {f.value}, more precise than the dataset's {_SCALE} "
                                        "decimals: left out", stage=Stage.NORMALIZE, evidence=f.evidence))
                continue
            facts.append(f)
            out.rows["facts"].append({**base, **fact_fields(f)})
        for i in report.identities:
            identity = identity_fields(i)
            out.rows["identities"].append({**base, **identity})
        analysis = {**part, "report_id": rid, "body_id": seen.body_id, "scope": seen.scope, "format": report.format,
                    "source_sha256": sha}
        cells = [c for c in report.cells if representable(c.value)]
        requests = requests_rows(analysis, cells, report.format)
        active = active_row(analysis, cells)
        out.rows["requests"].extend(requests)
        for name, value in (("active", active), ("review_litigation", review_row(analysis, cells))):
            if value is not None:
                out.rows[name].append(value)
        out.rows["headline"].append(headline_row(analysis, cells, facts, report.format))
        total = next((r for r in requests if r["applicant"] == "total"), None)
        findings.extend(self._continuity(analysis, figures_of(rid, report.format, total, active), seen, out))
        for seq, f in enumerate(findings):
            finding = finding_fields(f)
            finding["printed"], finding["expected"] = _exact(finding["printed"]), _exact(finding["expected"])
            out.rows["findings"].append({**base, "seq": seq, **finding})
        out.rows["reports"].append({
            **part, "report_id": rid, "body_id": seen.body_id, "source_id": row["source_id"], "source_sha256": sha,
            "source_uri": report.source.uri, "origin_url": row.get("origin_url"), "title": meta.title,
            "stated_year": meta.year, "format": report.format, "published": row.get("published"),
            "agency": seen.agency if _override(self.overrides.get(row["source_id"], []), OverrideField.AGENCY)
            else meta.agency,
            **self._region_columns(row), "scope": seen.scope, "authoritative": meta.authoritative,
            "encoding": report.source.encoding, "parser_version": row.get("parser_version"),
            "n_cells": len(report.cells), "n_facts": len(facts), "n_findings": len(findings),
            "n_breaks": sum(1 for i in report.identities if i.holds is False),
            "copies": self._copies.get(row["source_id"], 0),
            "ocr_derived": any(f.check == "ocr_derived" for f in report.findings)
            or any(c.placement == Placement.OCR for c in report.cells),
        })

    def _continuity(self, analysis: dict[str, Any], now: YearFigures, seen: _Seen, out: DatasetRows) -> list[Finding]:
        """This report against the body's report of the year before; remembers this year's for the next."""
        if not seen.body_id or not seen.scope:
            return []
        key = f"{seen.body_id}|{seen.scope}"
        self.figures[key] = now
        before = self.previous.get(key)
        if before is None:
            return []
        base = {"year": self.year, "region": self.region, "report_id": analysis["report_id"], "body_id": seen.body_id}
        rows, findings = check(base, now, before)
        out.rows["continuity"].extend(rows)
        return findings

    def _region_columns(self, row: dict[str, Any]) -> dict[str, Any]:
        """The body's division at every level, named as the division table of the statistics year has it."""
        code = row.get("region_code")
        table = divisions.table(self.year) if self.year >= divisions.FIRST_YEAR else {}

        def name(c: str | None) -> str | None:
            return None if c is None else table.get(c) or name_of(c)

        level = row.get("region_level")
        province = row.get("province_code")
        prefecture = county = None
        if code and level == "county":
            county = code
            prefecture = code[:4] + "00" if (code[:4] + "00") in table else None
        elif code and level == "prefecture":
            prefecture = code
        return {"region_code": code, "region_name": row.get("region_name"), "province_code": province,
                "region_level": level, "province_name": name(province) if province != NATIONAL else "中央",
                "prefecture_code": prefecture, "prefecture_name": name(prefecture), "county_code": county,
                "county_name": name(county)}

    # --- after pass 2 -----------------------------------------------------------------------------------

    def coverage(self) -> list[dict[str, Any]]:
        """Expected bodies vs canonical reports found: every government of the division table, and the catalog's."""
        self._decide()
        published = [s for s in self._seen.values() if s.source_id in self._canonical]
        found_government: dict[str, str] = {}
        for s in published:
            agency = canonical_agency(s.agency, s.region_name) or ""
            if s.region_code and s.region_name and (
                    agency.startswith(canonical_agency(s.region_name + "政府", s.region_name) or "\0")
                    or s.scope == "jurisdiction"):
                found_government.setdefault(s.region_code, s.report_id)
        out: list[dict[str, Any]] = []
        part = {"year": self.year, "region": self.region}
        if self.region != NATIONAL and self.year >= divisions.FIRST_YEAR:
            for code, name in divisions.governments(self.region, self.year):
                rid = found_government.get(code)
                out.append({**part, "body_name": f"{name}人民政府", "division_code": code,
                            "expected_because": "government", "found": rid is not None, "report_id": rid})
        reports_by_hint: dict[str, str] = {}
        for s in self._seen.values():
            if s.agency_hint and s.is_report:
                canonical = s.report_id if s.source_id in self._canonical else self._duplicate_of.get(s.source_id, (None,))[0]
                if canonical:
                    reports_by_hint.setdefault(s.agency_hint, canonical)
        for agency in self.catalog_agencies:
            rid = reports_by_hint.get(agency)
            out.append({**part, "body_name": agency, "division_code": None, "expected_because": "catalog",
                        "found": rid is not None, "report_id": rid})
        return out


def normalise_partition(year: int, region: str, batches: Callable[[], Iterator[list[dict[str, Any]]]], *,
                        overrides: dict[str, list[Override]] | None = None, catalog_agencies: Iterable[str] = (),
                        previous: dict[str, YearFigures] | None = None,
                        figures: dict[str, YearFigures] | None = None) -> Iterator[DatasetRows]:
    """All published rows of a partition, batch by batch; `batches()` is called twice (two passes).

    `previous` holds the bodies' figures of the year before (for the continuity checks); this year's
    are added to `figures` as they are read, for the year after.
    """
    normalizer = PartitionNormalizer(year, region, overrides, catalog_agencies, previous)
    if figures is not None:
        normalizer.figures = figures
    for batch in batches():
        for row in batch:
            normalizer.scan(row)
    for batch in batches():
        yield normalizer.rows(batch)
    last = DatasetRows()
    last.rows["coverage"] = normalizer.coverage()
    yield last


# What the first pass reads of a parsed row (`PartitionNormalizer.scan`): not the identities, the heaviest column.
SCAN_COLUMNS = ("source_id", "report_id", "location", "origin_url", "agency_hint", "agency", "region_code",
                "region_name", "scope", "status", "authoritative", "format", "stated_year", "published",
                "content_type", "cells", "facts", "findings")


def normalised_tables(year: int, region: str,
                      batches: Callable[[Sequence[str] | None], Iterator[pa.RecordBatch]], *,
                      limits: WorkLimits | None = None, overrides: dict[str, list[Override]] | None = None,
                      catalog_agencies: Iterable[str] = (), previous: dict[str, YearFigures] | None = None,
                      figures: dict[str, YearFigures] | None = None) -> Iterator[dict[str, pa.Table]]:
    """`normalise_partition` on both cores: every published dataset's table for each batch, in input order.

    `batches(columns)` reads the partition's parsed reports as Arrow batches (`columns` None: all of them).
    Pass 1 runs here on the columns identity needs; the pool's workers are forked once the identities
    are decided, so each holds the decisions and turns batches into tables (a batch crosses the pipe as
    Arrow, not as ~0.6 MB of Python objects per report), up to two batches ahead of a consumer still
    validating the last ones. A batch whose worker failed is normalised here (the same rows, or the
    real error). This year's figures of the bodies come back with each batch, into `figures`.
    """
    normalizer = PartitionNormalizer(year, region, overrides, catalog_agencies, previous)
    for batch in batches(SCAN_COLUMNS):
        normalizer.scan_batch(batch)
    normalizer.decide()
    limits = limits or WorkLimits(workers=0)
    emit = partial(_emit, normalizer)

    def emitted() -> Iterator[tuple[dict[str, pa.Table], dict[str, YearFigures]]]:
        in_flight: dict[int, pa.RecordBatch] = {}

        def sent() -> Iterator[pa.RecordBatch]:
            for index, batch in enumerate(batches(None)):
                in_flight[index] = batch
                yield batch

        with Pool(emit, workers=limits.worker_count(), limits=limits.pool_limits(), chunksize=1) as pool:
            for outcome in pool.map(sent()):
                batch = in_flight.pop(outcome.index)
                yield outcome.value if outcome.ok else emit(batch)

    for tables, found in read_ahead(emitted(), depth=2):
        if figures is not None:
            figures.update(found)
        yield tables
    last = DatasetRows()
    last.rows["coverage"] = normalizer.coverage()
    yield last.tables()


def _emit(normalizer: PartitionNormalizer, batch: pa.RecordBatch) -> tuple[dict[str, pa.Table], dict[str, YearFigures]]:
    """Pass 2 of one batch: its tables, and the figures of the bodies it reported (for next year's checks)."""
    normalizer.figures = {}
    tables = normalizer.rows(batch.to_pylist()).tables()
    return tables, normalizer.figures
