"""Arrow schemas of the published datasets: the contract BI tools read (docs/datasets in README)."""

from __future__ import annotations

import pyarrow as pa

AMOUNT = pa.decimal128(24, 4)  # exact: counts and money in yuan (1.23万元 → 12300.0000)

DOCUMENTS = pa.schema([
    ("source_id", pa.string()),
    ("location", pa.string()),
    ("origin_url", pa.string()),
    ("agency_hint", pa.string()),
    ("report_id", pa.string()),
    ("sha256", pa.string()),
    ("size", pa.int64()),
    ("content_type", pa.string()),
    ("encoding", pa.string()),
    ("fetched_at", pa.string()),
    ("http_status", pa.int32()),
    ("unchanged", pa.bool_()),
    ("status", pa.string()),  # published | excluded | failed
    ("stage", pa.string()),  # where a failed or excluded document stopped: fetch | read | parse | authority
    ("message", pa.string()),
    ("authoritative", pa.bool_()),
    ("format", pa.string()),
])

REPORTS = pa.schema([
    ("report_id", pa.string()),
    ("source_id", pa.string()),
    ("source_sha256", pa.string()),
    ("source_uri", pa.string()),
    ("origin_url", pa.string()),
    ("title", pa.string()),
    ("stated_year", pa.int16()),  # the statistics year the document states (partition `year` is the catalog's)
    ("format", pa.string()),
    ("published", pa.date32()),
    ("agency", pa.string()),
    ("region_code", pa.string()),
    ("region_name", pa.string()),
    ("province_code", pa.string()),
    ("region_level", pa.string()),
    ("scope", pa.string()),
    ("authoritative", pa.bool_()),
    ("encoding", pa.string()),
    ("parser_version", pa.string()),
    ("n_cells", pa.int32()),
    ("n_facts", pa.int32()),
    ("n_findings", pa.int32()),
])

CELLS = pa.schema([
    ("report_id", pa.string()),
    ("source_sha256", pa.string()),
    ("table", pa.string()),
    ("row", pa.string()),
    ("col", pa.string()),
    ("value", AMOUNT),
    ("raw", pa.string()),
    ("unit", pa.string()),
    ("unit_source", pa.string()),
    ("placement", pa.string()),
])

FACTS = pa.schema([
    ("report_id", pa.string()),
    ("source_sha256", pa.string()),
    ("key", pa.string()),
    ("value", AMOUNT),
    ("unit", pa.string()),
    ("evidence", pa.string()),
    ("period", pa.string()),
    ("scope", pa.string()),
])

FINDINGS = pa.schema([
    ("report_id", pa.string()),
    ("source_sha256", pa.string()),
    ("stage", pa.string()),
    ("check", pa.string()),
    ("severity", pa.string()),
    ("message", pa.string()),
    ("table", pa.string()),
    ("row", pa.string()),
    ("col", pa.string()),
    ("printed", AMOUNT),
    ("expected", AMOUNT),
    ("evidence", pa.string()),
])

IDENTITIES = pa.schema([
    ("report_id", pa.string()),
    ("source_sha256", pa.string()),
    ("identity", pa.string()),
    ("table", pa.string()),
    ("subject", pa.string()),
    ("printed", AMOUNT),
    ("expected", AMOUNT),
    ("printed_terms", pa.string()),
    ("expected_terms", pa.string()),
    ("evaluable", pa.bool_()),
    ("reason", pa.string()),
    ("holds", pa.bool_()),
])

DATASETS: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "reports": REPORTS,
    "cells": CELLS,
    "facts": FACTS,
    "findings": FINDINGS,
    "identities": IDENTITIES,
}
