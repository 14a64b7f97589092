"""Parsed reports → the typed rows of the published datasets (schemas.py).

Every row carries `report_id` and `source_sha256`: the lineage back to the exact bytes in the
raw store. Non-authoritative reports and failed documents are kept out of the report datasets
and recorded in `documents`, the ledger of every source document and what became of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyarrow as pa

from ogi.datasets import registry as schemas
from ogi.parse.identities import IdentityRow

_QUANT = Decimal("0.0001")


def _dec(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value)).quantize(_QUANT)


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@dataclass
class DatasetRows:
    """Rows per dataset for one partition."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {name: [] for name in schemas.DATASETS})

    def extend(self, other: DatasetRows) -> None:
        for name, rows in other.rows.items():
            self.rows[name].extend(rows)

    def tables(self) -> dict[str, pa.Table]:
        return {name: pa.Table.from_pylist(rows, schema=schemas.DATASETS[name]) for name, rows in self.rows.items()}


def identity_json(row: IdentityRow) -> dict[str, Any]:
    d = row.as_dict()
    for key in ("printed", "expected"):
        d[key] = None if d[key] is None else str(d[key])
    return d


def document_row(doc: dict[str, Any], *, status: str, stage: str | None, message: str | None,
                 report_id: str | None = None, authoritative: bool | None = None, fmt: str | None = None) -> dict[str, Any]:
    """The ledger row of one catalog document."""
    return {
        "source_id": doc.get("source_id"),
        "location": doc.get("location"),
        "origin_url": doc.get("origin_url"),
        "agency_hint": doc.get("agency_hint"),
        "report_id": report_id,
        "sha256": doc.get("sha256"),
        "size": doc.get("size"),
        "content_type": doc.get("content_type"),
        "encoding": doc.get("encoding"),
        "fetched_at": doc.get("fetched_at"),
        "http_status": doc.get("http_status"),
        "unchanged": doc.get("unchanged"),
        "status": status,
        "stage": stage,
        "message": message,
        "authoritative": authoritative,
        "format": fmt,
    }


def report_rows(doc: dict[str, Any], record: dict[str, Any], identities: list[dict[str, Any]]) -> DatasetRows:
    """All dataset rows of one parsed report (exact record: values as decimal strings)."""
    out = DatasetRows()
    rid = record["report_id"]
    sha = record["source"]["sha256"]
    rep = record["report"]
    region = rep.get("region") or {}
    authoritative = rep.get("authoritative")
    if authoritative is False:
        reason = next((f["message"] for f in record["findings"] if f["check"] == "non_authoritative"), "non-authoritative")
        out.rows["documents"].append(document_row(doc, status="excluded", stage="authority", message=reason,
                                                  report_id=rid, authoritative=False, fmt=rep.get("format")))
        return out
    if rep.get("format") is None and not record["cells"] and not record["facts"]:
        problems = [f"{f['check']}: {f['message']}" for f in record["findings"] if f["severity"] in ("warn", "error")]
        out.rows["documents"].append(document_row(
            doc, status="failed", stage="parse", report_id=rid, authoritative=authoritative,
            message="no standard tables and no prose statistics could be read" + (f" ({'; '.join(problems)})" if problems else ""),
        ))
        return out
    out.rows["documents"].append(document_row(doc, status="published", stage=None, message=None, report_id=rid,
                                              authoritative=authoritative, fmt=rep.get("format")))
    out.rows["reports"].append({
        "report_id": rid,
        "source_id": doc.get("source_id"),
        "source_sha256": sha,
        "source_uri": record["source"]["uri"],
        "origin_url": doc.get("origin_url"),
        "title": rep.get("title"),
        "stated_year": rep.get("year"),
        "format": rep.get("format"),
        "published": _date(rep.get("published")),
        "agency": rep.get("agency"),
        "region_code": region.get("code"),
        "region_name": region.get("name"),
        "province_code": region.get("province_code"),
        "region_level": region.get("level"),
        "scope": rep.get("scope"),
        "authoritative": authoritative,
        "encoding": record["source"].get("encoding"),
        "parser_version": record.get("parser_version"),
        "n_cells": len(record["cells"]),
        "n_facts": len(record["facts"]),
        "n_findings": len(record["findings"]),
    })
    base = {"report_id": rid, "source_sha256": sha}
    for c in record["cells"]:
        out.rows["cells"].append({**base, "table": c["table"], "row": c["row"], "col": c["col"], "value": _dec(c["value"]),
                                  "raw": c["raw"], "unit": c.get("unit"), "unit_source": c.get("unit_source"),
                                  "placement": c.get("placement") or "printed"})
    for f in record["facts"]:
        out.rows["facts"].append({**base, "key": f["key"], "value": _dec(f["value"]), "unit": f.get("unit"),
                                  "evidence": f["evidence"], "period": f.get("period"), "scope": f.get("scope")})
    for f in record["findings"]:
        out.rows["findings"].append({**base, "stage": f.get("stage"), "check": f["check"], "severity": f["severity"],
                                     "message": f["message"], "table": f.get("table"), "row": f.get("row"),
                                     "col": f.get("col"), "printed": _dec(f.get("printed")),
                                     "expected": _dec(f.get("expected")), "evidence": f.get("evidence")})
    for i in identities:
        out.rows["identities"].append({**base, **{k: i[k] for k in ("identity", "table", "subject", "printed_terms",
                                                                     "expected_terms", "evaluable", "reason", "holds")},
                                       "printed": _dec(i["printed"]), "expected": _dec(i["expected"])})
    return out


def failed_rows(doc: dict[str, Any], stage: str, message: str) -> DatasetRows:
    out = DatasetRows()
    out.rows["documents"].append(document_row(doc, status="failed", stage=stage, message=message))
    return out
