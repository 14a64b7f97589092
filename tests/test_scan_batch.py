"""Pass 1 of normalisation read column-wise (`scan_batch`) decides from exactly what the row-wise `scan`
sees: the same documents, the same candidates, the same figures with the same printed digits."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa

from ogi.datasets.identity import plain
from ogi.datasets.registry import PARSED_REPORTS
from ogi.datasets.rows import SCAN_COLUMNS, PartitionNormalizer
from ogi.parse.report import parse_bytes
from ogi.parse.stage import report_fields
from tests.conftest import ROOT

CASES = sorted((ROOT / "tests" / "corpus").glob("*/labels.json"))


def _document(folder: Path) -> Path:
    return next(p for p in sorted(folder.iterdir()) if p.name.startswith("document."))


def _row(i: int, **fields) -> dict:
    return {"source_id": f"s{i:04d}", "location": f"https://www.example.gov.cn/{i}.html", "status": "ok",
            "report_id": f"r{i:020x}", "content_type": "text/html", **fields}


def _corpus_rows() -> list[dict]:
    rows = []
    for i, labels in enumerate(CASES):
        meta = json.loads(labels.read_text(encoding="utf-8"))
        doc = _document(labels.parent)
        report = parse_bytes(doc.read_bytes(), doc.name, origin_uri=meta.get("origin_url"), province_hint=meta.get("region"))
        rows.append(_row(i, **report_fields(report)))
    return rows


def _edge_rows(start: int) -> list[dict]:
    cell = {"table": "t2", "row": "r1", "col": "total", "placement": "grid"}
    fact = {"key": "k", "unit": None, "evidence": "e", "period": "current", "scope": None}
    unplaced = {"stage": "parse", "check": "unplaced_value", "severity": "warn", "message": "m"}
    return [
        _row(start, format=None, cells=[{**cell, "value": None}], facts=[], findings=[]),  # a cell without a value
        _row(start + 1, format="2021", cells=[], facts=[{**fact, "value": Decimal("1.5")}, {**fact, "value": Decimal(7)}],
             findings=[unplaced, unplaced]),  # a fact key given twice: its last value
        _row(start + 2, format=None, cells=None, facts=None, findings=None),  # read nothing: not a report
        _row(start + 3, status="failed", format="2021", cells=[{**cell, "value": Decimal(3)}]),
        _row(start + 4, format="2019", authoritative=False, cells=[{**cell, "value": Decimal(3)}]),
        _row(start + 5, format="2019", cells=[{**cell, "value": Decimal("12345678901234567890.1234")},
                                              {**cell, "col": "natural_person", "value": Decimal("-0.0001")}]),
    ]


def test_scan_batch_sees_what_scan_sees():
    rows = _corpus_rows()
    rows += _edge_rows(len(rows))
    table = PARSED_REPORTS.table(rows).select(list(SCAN_COLUMNS))
    by_row, by_batch = PartitionNormalizer(2022, "150000"), PartitionNormalizer(2022, "150000")
    for batch in table.to_batches(max_chunksize=7):  # batches that split the corpus anywhere
        for row in batch.to_pylist():
            by_row.scan(row)
        by_batch.scan_batch(batch)
    assert by_row._seen == by_batch._seen
    assert len(by_row._candidates) == len(by_batch._candidates)
    edge = len(CASES)  # of the edge rows, those with a value or a format that are ok and authoritative are reports
    assert [c.source_id for c in by_batch._candidates[-3:]] == [f"s{i:04d}" for i in (edge, edge + 1, edge + 5)]
    assert len(plain(by_batch._candidates[-3].figures)) == 0  # a cell with no value is no figure
    for a, b in zip(by_row._candidates, by_batch._candidates, strict=True):
        assert (a.source_id, a.report_id, a.body_id, a.year, a.scope, a.rendering, a.host, a.published, a.unplaced) == \
               (b.source_id, b.report_id, b.body_id, b.year, b.scope, b.rendering, b.host, b.published, b.unplaced)
        figures_a, figures_b = plain(a.figures), plain(b.figures)
        assert len(a.figures) == len(b.figures) == len(figures_a)
        assert {k: v.as_tuple() for k, v in figures_a.items()} == {k: v.as_tuple() for k, v in figures_b.items()}
    assert sum(len(c.figures) for c in by_batch._candidates) > 5000  # the corpus's figures, not just the edge rows
    twice = by_batch._candidates[-2]
    assert dict(twice.figures.items()) == {("fact", "k", "current"): Decimal("7.0000")} and twice.unplaced == 2
    exact = by_batch._candidates[-1]
    assert str(exact.figures[("cell", "t2/r1", "total")]) == "12345678901234567890.1234"


def test_scan_batch_of_an_empty_batch_scans_nothing():
    normalizer = PartitionNormalizer(2022, "150000")
    normalizer.scan_batch(pa.RecordBatch.from_pylist([], schema=PARSED_REPORTS.schema).select(list(SCAN_COLUMNS)))
    assert normalizer._seen == {} and normalizer._candidates == []
