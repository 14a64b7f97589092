"""Normalisation: a parsed document → the rows of the published datasets (registry contracts).

Takes the typed ParsedReport the parse stage hands over (numbers are Decimal end to end). Every
row carries `report_id` and `source_sha256`: the lineage back to the exact bytes in the raw store.
Non-authoritative copies and failed documents are recorded in `documents`, the ledger of every
source document and what became of it, and kept out of the report datasets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyarrow as pa

from ogi.datasets.registry import PUBLISHED, DocumentStatus
from ogi.model import Finding, Severity, Stage
from ogi.parse.report import ParsedReport
from ogi.parse.stage import cell_fields, fact_fields, identity_fields
from ogi.read.stage import finding_fields

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


def ledger_row(doc: dict[str, Any], *, status: DocumentStatus, stage: Stage | str | None, message: str | None,
               authoritative: bool | None = None, fmt: str | None = None) -> dict[str, Any]:
    """The `documents` row of one catalog document, from the columns every stage carries."""
    return {
        "source_id": doc["source_id"], "location": doc["location"], "origin_url": doc.get("origin_url"),
        "agency_hint": doc.get("agency_hint"),
        "report_id": doc.get("report_id") if status != DocumentStatus.FAILED or doc.get("sha256") else None,
        "sha256": doc.get("sha256"), "size": doc.get("size"), "content_type": doc.get("content_type"),
        "encoding": doc.get("encoding"), "fetched_at": doc.get("fetched_at"), "http_status": doc.get("http_status"),
        "unchanged": doc.get("unchanged"), "status": str(status), "stage": str(stage) if stage else None,
        "message": message, "error_kind": doc.get("error_kind"), "authoritative": authoritative, "format": fmt,
    }


def document_rows(parsed: dict[str, Any], report: ParsedReport | None) -> DatasetRows:
    """All published rows of one parsed_reports row; `report` is its ParsedReport when it parsed."""
    out = DatasetRows()
    if parsed.get("status") != "ok" or report is None:
        out.rows["documents"].append(ledger_row(parsed, status=DocumentStatus.FAILED,
                                                stage=parsed.get("failed_stage") or Stage.PARSE,
                                                message=parsed.get("message") or "failed"))
        return out
    meta = report.meta
    if meta.authoritative is False:
        reason = next((f.message for f in report.findings if f.check == "non_authoritative"), "not authoritative")
        out.rows["documents"].append(ledger_row(parsed, status=DocumentStatus.EXCLUDED, stage=Stage.AUTHORITY,
                                                message=reason, authoritative=False, fmt=report.format))
        return out
    if report.format is None and not report.cells and not report.facts:
        problems = [f"{f.check}: {f.message}" for f in report.findings if f.severity in (Severity.WARN, Severity.ERROR)]
        out.rows["documents"].append(ledger_row(
            parsed, status=DocumentStatus.FAILED, stage=Stage.PARSE, authoritative=meta.authoritative,
            message="no standard tables and no prose statistics could be read"
                    + (f" ({'; '.join(problems)})" if problems else "")))
        return out
    out.rows["documents"].append(ledger_row(parsed, status=DocumentStatus.PUBLISHED, stage=None, message=None,
                                            authoritative=meta.authoritative, fmt=report.format))
    rid, sha = report.report_id, report.source.sha256
    region = meta.region
    base = {"report_id": rid, "source_sha256": sha}
    findings = list(report.findings)
    for c in report.cells:
        row = cell_fields(c)
        if not representable(row["value"]):
            findings.append(Finding("unrepresentable_value", Severity.WARN, Stage.NORMALIZE,
                                    f"{c.table}/{c.row}/{c.col} prints {c.raw!r}, more precise than the dataset's "
                                    f"{_SCALE} decimals: kept as printed text, value left empty",
                                    table=c.table, row=c.row, col=c.col, evidence=c.raw))
            row["value"] = None
        out.rows["cells"].append({**base, **row})
    for f in report.facts:
        if not representable(f.value):
            findings.append(Finding("unrepresentable_value", Severity.WARN, Stage.NORMALIZE,
                                    f"fact {f.key} states {f.value}, more precise than the dataset's {_SCALE} "
                                    "decimals: left out", evidence=f.evidence))
            continue
        out.rows["facts"].append({**base, **fact_fields(f)})
    for seq, f in enumerate(findings):
        row = finding_fields(f)
        row["printed"], row["expected"] = _exact(row["printed"]), _exact(row["expected"])
        out.rows["findings"].append({**base, "seq": seq, **row})
    for i in report.identities:
        row = identity_fields(i)
        row["printed"], row["expected"] = _exact(row["printed"]), _exact(row["expected"])
        out.rows["identities"].append({**base, **row})
    out.rows["reports"].append({
        "report_id": rid, "source_id": parsed["source_id"], "source_sha256": sha, "source_uri": report.source.uri,
        "origin_url": parsed.get("origin_url"), "title": meta.title, "stated_year": meta.year, "format": report.format,
        "published": parsed.get("published"), "agency": meta.agency,
        "region_code": region.code if region else None, "region_name": region.name if region else None,
        "province_code": region.province_code if region else None, "region_level": region.level if region else None,
        "scope": meta.scope, "authoritative": meta.authoritative, "encoding": report.source.encoding,
        "parser_version": parsed.get("parser_version"), "n_cells": len(report.cells), "n_facts": len(report.facts),
        "n_findings": len(findings),
    })
    return out
