"""One report, end to end without Dagster: bytes → read → clean → tables, facts, metadata → identities.

`ogi parse` prints `ParsedReport.to_record()`; the Dagster assets call the same functions stage by
stage, so the command line and the pipeline cannot drift apart.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from ogi import PARSER_VERSION
from ogi.model import Cell, Document, Fact, Finding, report_id_for
from ogi.parse.crosscheck import source_gate, text_against_table
from ogi.parse.facts import extract_facts
from ogi.parse.identities import IdentityRow, identity_findings, identity_rows
from ogi.parse.metadata import ReportMeta, report_meta
from ogi.parse.scanned import settle_ocr_cells
from ogi.parse.tables.reader import read_tables
from ogi.read import read_document
from ogi.read.cleanup import clean


@dataclass
class SourceInfo:
    uri: str
    sha256: str
    content_type: str | None = None
    encoding: str | None = None
    origin_uri: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"uri": self.uri, "sha256": self.sha256, "content_type": self.content_type, "encoding": self.encoding}


@dataclass
class ParsedReport:
    report_id: str
    source: SourceInfo
    meta: ReportMeta
    format: str | None
    cells: list[Cell] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    identities: list[IdentityRow] = field(default_factory=list)

    def to_record(self) -> dict[str, Any]:
        """The JSON object of spec/report-record.schema.json (what `ogi parse` prints)."""
        region = self.meta.region
        return {
            "report_id": self.report_id,
            "parser_version": PARSER_VERSION,
            "source": self.source.to_json(),
            "report": {
                "title": self.meta.title,
                "year": self.meta.year,
                "format": self.format,
                "published": self.meta.published,
                "agency": self.meta.agency,
                "region": {
                    "name": region.name if region else None,
                    "code": region.code if region else None,
                    "province_code": region.province_code if region else None,
                    "level": region.level if region else None,
                },
                "scope": self.meta.scope,
                "authoritative": self.meta.authoritative,
            },
            "cells": [c.to_json() for c in self.cells],
            "facts": [f.to_json() for f in self.facts],
            "findings": [f.to_json() for f in self.findings],
        }


def read_and_clean(data: bytes, uri: str, content_type: str | None = None) -> Document:
    doc = read_document(data, uri, content_type)
    return clean(doc)


def parse_document(doc: Document, source: SourceInfo, *, province_hint: str | None = None,
                   agency_hint: str | None = None, year_hint: int | None = None) -> ParsedReport:
    """Tables, facts, metadata and identities of a cleaned document."""
    tables = read_tables(doc.blocks)
    tables.cells, ocr_findings = settle_ocr_cells(tables.cells, doc)  # a scan's cells: placement ocr
    tables.findings.extend(ocr_findings)
    meta = report_meta(doc, source.origin_uri or source.uri, province_hint, agency_hint, year_hint)
    findings = list(doc.findings)
    fmt = tables.format
    facts: list[Fact] = []
    if fmt is None:
        facts = extract_facts(doc.blocks, meta.scope)
        if meta.year is not None and meta.year >= 2019:
            findings.append(Finding("missing_table", "warn",
                                    f"a {meta.year} report should print the three standard tables; none was found",
                                    stage="parse"))
        elif facts or (meta.year is not None and meta.year < 2019):
            fmt = "pre2019"
    if fmt == "pre2019" and not facts:
        findings.append(Finding("no_statistics", "info", "no statistics were found in the text", stage="parse"))
    findings.extend(tables.findings)
    cells, gate = source_gate(doc.blocks, tables.cells)
    findings.extend(gate)
    if fmt in ("2019", "2021"):
        findings.extend(text_against_table(doc.blocks, cells, meta.scope))
    rows = identity_rows(cells)
    findings.extend(identity_findings(rows))
    if meta.authoritative is False:
        findings.append(Finding("non_authoritative", "warn",
                                f"not a government's own publication ({meta.authority_reason}); kept out of the datasets",
                                stage="metadata", evidence=meta.authority_reason))
    if meta.year is None:
        findings.append(Finding("unknown_year", "warn", "the statistics year could not be read", stage="metadata"))
    return ParsedReport(
        report_id=report_id_for(source.sha256), source=source, meta=meta, format=fmt,
        cells=cells, facts=facts, findings=findings, identities=rows,
    )


def parse_bytes(data: bytes, uri: str, *, content_type: str | None = None, origin_uri: str | None = None,
                province_hint: str | None = None, agency_hint: str | None = None,
                year_hint: int | None = None) -> ParsedReport:
    doc = read_and_clean(data, uri, content_type)
    source = SourceInfo(uri=uri, sha256=hashlib.sha256(data).hexdigest(), content_type=doc.content_type,
                        encoding=doc.encoding, origin_uri=origin_uri)
    return parse_document(doc, source, province_hint=province_hint, agency_hint=agency_hint, year_hint=year_hint)
