"""The parse side of OCR: cells traced back to the OCR cell they came from (no Tesseract needed)."""

from __future__ import annotations

import json

from ogi.model import Document, Table
from ogi.parse.identities import identity_rows
from ogi.parse.scanned import settle_ocr_cells
from ogi.parse.tables.reader import read_tables
from ogi.read.ocr import UNREADABLE_MARK

HEADER = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
          ["自然人", "法人或其他组织", "总计"],
          ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]


def _ocr_doc(rows: list[list[str]], conf: list[list[float | None]], note: list[list[str | None]],
             lines: list[str] = ()) -> Document:
    table = Table(rows=HEADER + rows, source="ocr")
    grid = {"rows": table.rows, "confidence": [[None] * len(r) for r in HEADER] + conf,
            "note": [[None] * len(r) for r in HEADER] + note}
    return Document(blocks=["三、收到和处理政府信息公开申请情况", table, *lines],
                    meta={"ocr": "true", "ocr_cells": json.dumps([grid], ensure_ascii=False),
                          "ocr_lines": json.dumps(list(lines), ensure_ascii=False)})


def test_each_cell_gets_its_ocr_reading_and_unreadable_ones_are_unplaced() -> None:
    rows = [["一、本年新收政府信息公开申请数量", "5", "0", UNREADABLE_MARK, "0", "0", "0", "5"],
            ["二、上年结转政府信息公开申请数量", "1", "0", "0", "", "0", "0", "1"]]
    conf = [[None, 0.97, 0.91, None, 0.9, 0.9, 0.9, 0.95], [None, 0.88, 0.9, 0.9, None, 0.9, 0.9, 0.93]]
    note = [[None, None, None, "readings disagree: page '3', chi '8'", None, None, None, None], [None] * 8]
    doc = _ocr_doc(rows, conf, note)
    cells, findings = settle_ocr_cells(read_tables(doc.blocks).cells, doc)
    got = {(c.row, c.col): c for c in cells}
    assert {c.placement for c in cells} == {"ocr"}
    assert (got["new_received", "natural_person"].raw, got["new_received", "natural_person"].confidence) == ("5", 0.97)
    assert got["new_received", "total"].confidence == 0.95
    assert got["new_received", "research"].raw is None and got["new_received", "research"].value is None
    assert got["carried_over", "social_org"].raw == ""  # a printed blank stays a blank
    assert [(f.check, f.row, f.col) for f in findings] == [("unplaced_value", "new_received", "research")]
    assert "chi '8'" in findings[0].message
    # an identity resting on an OCR'd figure is not evaluated, however the numbers add up
    assert all(not r.evaluable for r in identity_rows(cells))


def test_figures_read_from_ocr_text_lines_are_not_placed() -> None:
    """Outside a ruled cell a figure has one reading and nothing to corroborate it."""
    doc = _ocr_doc([], [], [], lines=["二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1"])
    cells, findings = settle_ocr_cells(read_tables(doc.blocks).cells, doc)
    carried = [c for c in cells if c.row == "carried_over"]
    assert len(carried) == 7 and all(c.raw is None and c.placement == "ocr" for c in carried)
    assert {f.check for f in findings} == {"unplaced_value"} and len(findings) == 7


def test_documents_not_read_by_ocr_are_untouched() -> None:
    table = Table(rows=HEADER + [["一、本年新收政府信息公开申请数量", "5", "0", "0", "0", "0", "0", "5"]])
    doc = Document(blocks=["三、收到和处理政府信息公开申请情况", table])
    cells = read_tables(doc.blocks).cells
    assert settle_ocr_cells(cells, doc) == (cells, [])
    assert {c.placement for c in cells} == {"printed"} and {c.confidence for c in cells} == {None}
