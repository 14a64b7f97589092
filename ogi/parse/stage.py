"""The parse stage's rows: a `clean_documents` row → a `parsed_reports` row, and back to a ParsedReport.

The parsed row is the typed hand-off to normalisation: cells, facts, identities and findings as
nested struct lists with Decimal numbers, so the next stage rebuilds the very ParsedReport that
`ogi parse` prints, with no JSON in between and no float on the way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from ogi import PARSER_VERSION
from ogi.model import Cell, Fact, Finding, Placement, Severity, Stage
from ogi.parse.identities import IdentityRow
from ogi.parse.metadata import ReportMeta
from ogi.parse.report import ParsedReport, SourceInfo, parse_document
from ogi.read.stage import document_from_row, finding_fields, finding_from_fields
from ogi.reference.regions import Region
from ogi.versions import code_version
from ogi.work.pool import FailureKind
from ogi.work.stage import LIMIT_CHECKS, InRun, Reuse, WorkLimits, bounded_rows, work_key

CARRIED = ("source_id", "location", "origin_url", "agency_hint", "sha256", "size", "fetched_at", "http_status",
           "unchanged", "error_kind", "report_id", "content_type", "encoding", "status", "failed_stage", "message")
REPORT_COLUMNS = ("title", "stated_year", "format", "published", "agency", "region_code", "region_name",
                  "province_code", "region_level", "scope", "authoritative", "authority_reason")
_EMPTY = {"parser_version": None, **dict.fromkeys(REPORT_COLUMNS), "cells": None, "facts": None, "identities": None}


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def cell_fields(c: Cell) -> dict[str, Any]:
    return {"table": c.table, "row": c.row, "col": c.col, "value": c.value, "raw": c.raw, "unit": c.unit,
            "unit_source": c.unit_source, "placement": str(c.placement), "confidence": c.confidence}


def fact_fields(f: Fact) -> dict[str, Any]:
    return {"key": f.key, "value": f.value, "unit": f.unit, "evidence": f.evidence, "period": f.period,
            "scope": f.scope}


def identity_fields(i: IdentityRow) -> dict[str, Any]:
    return {"identity": i.identity, "table": i.table, "subject": i.subject, "printed": i.printed,
            "expected": i.expected, "printed_terms": i.printed_terms, "expected_terms": i.expected_terms,
            "evaluable": i.evaluable, "reason": i.reason, "holds": i.holds,
            "printed_operands": list(i.printed_operands), "expected_operands": list(i.expected_operands)}


def report_fields(report: ParsedReport) -> dict[str, Any]:
    """A parsed report as the registry's parsed_reports columns (less the carried document columns)."""
    meta, region = report.meta, report.meta.region
    return {
        "parser_version": PARSER_VERSION,
        "title": meta.title, "stated_year": meta.year, "format": report.format, "published": _date(meta.published),
        "agency": meta.agency, "region_code": region.code if region else None,
        "region_name": region.name if region else None, "province_code": region.province_code if region else None,
        "region_level": region.level if region else None, "scope": meta.scope, "authoritative": meta.authoritative,
        "authority_reason": meta.authority_reason,
        "cells": [cell_fields(c) for c in report.cells],
        "facts": [fact_fields(f) for f in report.facts],
        "identities": [identity_fields(i) for i in report.identities],
        "findings": [finding_fields(f) for f in report.findings],
    }


def parse_row(clean: dict[str, Any], *, region: str, year: int) -> dict[str, Any]:
    """Parse one cleaned document of the partition (year, region). Never raises: a parser bug is a failed row."""
    base = {k: clean.get(k) for k in CARRIED}
    if clean.get("status") != "ok":
        return {**base, **_EMPTY, "findings": clean.get("findings")}
    source = SourceInfo(uri=clean["location"], sha256=clean["sha256"], content_type=clean.get("content_type"),
                        encoding=clean.get("encoding"), origin_uri=clean.get("origin_url"))
    try:
        report = parse_document(document_from_row(clean), source, province_hint=region,
                                agency_hint=clean.get("agency_hint"), year_hint=year)
    except Exception as exc:  # a parser bug on one report is recorded, the others proceed
        return {**base, **_EMPTY, "findings": clean.get("findings"), "status": "failed", "failed_stage": "parse",
                "message": f"{type(exc).__name__}: {exc}"}
    return {**base, **report_fields(report)}


def parse_key(clean: dict[str, Any], *, region: str, year: int) -> str | None:
    """What parsing a cleaned document depends on; None for a document that was not read."""
    if clean.get("status") != "ok" or not clean.get("work_key"):
        return None
    return work_key("parse", code_version("parse"), clean["work_key"], region, year, clean.get("agency_hint"),
                    clean.get("origin_url"), clean.get("location"), clean.get("encoding"), clean.get("content_type"))


def _parse_item(clean: dict[str, Any], region: str, year: int) -> dict[str, Any]:
    return {**parse_row(clean, region=region, year=year), "work_key": parse_key(clean, region=region, year=year)}


def _over_limit(clean: dict[str, Any], kind: FailureKind, message: str) -> dict[str, Any]:
    finding = finding_fields(Finding(LIMIT_CHECKS[kind], Severity.ERROR, f"parse {message}", stage=Stage.PARSE))
    return {**{k: clean.get(k) for k in CARRIED}, **_EMPTY, "findings": [*(clean.get("findings") or []), finding],
            "status": "failed", "failed_stage": "parse", "message": f"{LIMIT_CHECKS[kind]}: {message}",
            "error_kind": LIMIT_CHECKS[kind], "work_key": None}


def parse_rows(cleans: Iterable[dict[str, Any]], *, region: str, year: int, limits: WorkLimits,
               reuse: Reuse | None = None, in_run: InRun | None = None) -> Iterator[dict[str, Any]]:
    """`parse_row` over a partition's cleaned documents, in worker processes, each under `limits`.

    A document whose parse key matches a row of the stage's last output of the partition
    is not parsed again: the row `reuse` holds is reused with this run's document columns. A document
    repeated in the partition with the same hints (`in_run`) is parsed once.
    """
    reuse = reuse or Reuse(())
    in_run = in_run or InRun()

    def ready(clean: dict[str, Any]) -> dict[str, Any] | None:
        key = parse_key(clean, region=region, year=year)
        if key is None:  # not read: nothing to parse, the failed row at once
            return {**parse_row(clean, region=region, year=year), "work_key": None}
        repeat = in_run.ready(key, {k: clean.get(k) for k in CARRIED})
        if repeat is not None:
            return repeat
        before = reuse.take(key)
        return None if before is None else {**before, **{k: clean.get(k) for k in CARRIED}}

    return in_run.settle(bounded_rows(partial(_parse_item, region=region, year=year), cleans, limits, _over_limit,
                                      ready=ready))


def report_from_row(row: dict[str, Any]) -> ParsedReport:
    """The ParsedReport a parsed_reports row holds (the inverse of report_fields)."""
    region = Region(row["region_code"], row["region_name"]) if row.get("region_code") else None
    published = row.get("published")
    meta = ReportMeta(title=row.get("title"), year=row.get("stated_year"),
                      published=published.isoformat() if published else None, agency=row.get("agency"),
                      region=region, scope=row.get("scope"), authoritative=row.get("authoritative"),
                      authority_reason=row.get("authority_reason"))
    source = SourceInfo(uri=row["location"], sha256=row["sha256"], content_type=row.get("content_type"),
                        encoding=row.get("encoding"), origin_uri=row.get("origin_url"))
    return ParsedReport(
        report_id=row["report_id"], source=source, meta=meta, format=row.get("format"),
        cells=[Cell(c["table"], c["row"], c["col"], c["value"], c["raw"], c.get("unit"), c.get("unit_source"),
                    Placement(c["placement"]), c.get("confidence")) for c in row.get("cells") or []],
        facts=[Fact(f["key"], f["value"], f["evidence"], f.get("unit"), f["period"], f.get("scope"))
               for f in row.get("facts") or []],
        findings=[finding_from_fields(f) for f in row.get("findings") or []],
        identities=[IdentityRow(**{**i, "printed_operands": tuple(i.get("printed_operands") or ()),
                                   "expected_operands": tuple(i.get("expected_operands") or ())})
                    for i in row.get("identities") or []],
    )
