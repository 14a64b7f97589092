"""Scans by OCR: real Tesseract on scans rendered from labelled reports (tests/corpus/scan*).

The scans are made by tests/corpus/tools/make_scans.py: a labelled case typeset in the official
Word layout, printed by LibreOffice, rasterised, degraded and bound as an image-only PDF. Its labels
are the source case's, so every figure OCR places can be checked against the printed one.
"""

from __future__ import annotations

import hashlib
import io
import json
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageDraw

from ogi.model import Table
from ogi.parse.report import SourceInfo, parse_document, read_and_clean
from ogi.read import read_document
from ogi.read.html import page_images, read_html
from ogi.read.ocr import (
    CONFIDENCE_FLOOR,
    UNREADABLE_MARK,
    _tesseract_info,
    ocr_page_images,
    read_image,
    snap_label,
)
from ogi.read.scan import prepare_page

CASES = Path(__file__).resolve().parents[1] / "corpus"
SCAN = CASES / "scan200_wuxi_liangxi_2022"


def _key(cell: dict) -> tuple[str, str, str]:
    return cell["table"], cell["row"], cell["col"]


def test_a_200_dpi_scan_gives_95_percent_of_its_figures_and_none_wrong(tesseract: str) -> None:
    data = (SCAN / "document.pdf").read_bytes()
    labels = json.loads((SCAN / "labels.json").read_text(encoding="utf-8"))
    doc = read_and_clean(data, "document.pdf")
    assert doc.meta["ocr"] == "true" and doc.meta["ocr_engine"] == tesseract
    report = parse_document(doc, SourceInfo(uri="document.pdf", sha256=hashlib.sha256(data).hexdigest()),
                            year_hint=labels["year"])
    assert report.format == "2021"
    want = {_key(c): c for c in labels["cells"]}
    placed = {(c.table, c.row, c.col): c for c in report.cells if c.raw is not None}
    wrong = [k for k, c in placed.items()
             if k not in want or "".join(c.raw.split()) != want[k]["raw"]
             or (c.value is None) != (want[k]["value"] is None)
             or (c.value is not None and Decimal(c.value) != Decimal(str(want[k]["value"])))]
    assert wrong == []
    assert len(placed) >= 0.95 * len(want), f"{len(placed)} of {len(want)} figures"
    # every figure is marked as read by OCR, with the confidence it was placed on
    assert {c.placement for c in report.cells} == {"ocr"}
    assert all(c.confidence is not None and CONFIDENCE_FLOOR <= c.confidence <= 1.0
               for c in placed.values() if c.raw != "")
    # what is not placed says why, cell by cell
    unplaced = {(c.table, c.row, c.col) for c in report.cells if c.raw is None}
    said = {(f.table, f.row, f.col) for f in report.findings if f.check == "unplaced_value"}
    assert unplaced <= said
    checks = {f.check for f in report.findings}
    assert "ocr_derived" in checks and "image_only" not in checks
    # no identity rests on an OCR'd figure: none is "broken", none "holds"
    assert report.identities and all(not r.evaluable and r.reason.startswith(("ocr operand", "missing operand"))
                                     for r in report.identities)
    assert not checks & {"I1", "I2", "I3", "I4"}


@pytest.fixture(scope="module")
def review_page() -> tuple[bytes, tuple[int, int, int, int]]:
    """Page 2 of the scan at 300 dpi with the first figure of the review table scribbled over."""
    with pdfplumber.open(SCAN / "document.pdf") as pdf:
        image = pdf.pages[1].to_image(resolution=300).original.convert("L")
    review = prepare_page(image).grids[-1]
    cell = next(c for c in review.cells if c.row == max(c.row for c in review.cells))
    x0, y0, x1, y1 = cell.box
    draw = ImageDraw.Draw(image)
    draw.line([(x0 + 15, y0 + 10), (x1 - 15, y1 - 10)], fill=0, width=7)
    draw.line([(x0 + 15, y1 - 10), (x1 - 15, y0 + 10)], fill=0, width=7)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue(), cell.box


def test_pictures_of_a_report_page_are_read_where_they_stand(tesseract: str, review_page: tuple) -> None:
    """A page pasting its tables as pictures: their reading goes where each picture stood, and a
    figure no two models agree on is left unplaced with a finding, never guessed."""
    png, _ = review_page
    html = ("<html><body><div class='article'><h1>某区2022年政府信息公开工作年度报告</h1>"
            "<p>三、收到和处理政府信息公开申请情况</p><p><img src='/u/p2.png' width='1240'></p>"
            "<p><img src='/images/logo.png'></p><p>五、存在的主要问题及改进情况</p>"
            "<p>本年度未收取信息处理费。</p></div></body></html>").encode()
    doc = read_html(html)
    pictures = page_images(doc, "https://www.example.gov.cn/art/2023/1/5/art_1.html")
    assert pictures == [("https://www.example.gov.cn/u/p2.png", 2)]  # the logo is chrome
    doc = ocr_page_images(doc, [(at, png) for _, at in pictures])
    assert doc.blocks[:2] == ["某区2022年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    assert isinstance(doc.blocks[2], Table) and doc.blocks[-1] == "本年度未收取信息处理费。"
    assert doc.meta["ocr"] == "true" and json.loads(doc.meta["ocr_images"]) == [hashlib.sha256(png).hexdigest()]
    review_rows = [t.rows[-1] for t in doc.tables() if len(t.rows[-1]) == 15]
    assert review_rows and review_rows[0][0] == UNREADABLE_MARK  # the scribbled cell

    report = parse_document(doc, SourceInfo(uri="page.html", sha256="0" * 64), year_hint=2022)
    review = {c.col: c for c in report.cells if c.table == "review_litigation" and c.row == "review"}
    assert review["upheld"].raw is None and review["upheld"].placement == "ocr"
    assert any(f.check == "unplaced_value" and (f.table, f.row, f.col) == ("review_litigation", "review", "upheld")
               for f in report.findings)
    assert review["corrected"].raw == "1" and review["corrected"].value == 1  # its neighbours stand


def test_a_page_without_pictures_to_read_is_left_alone() -> None:
    doc = read_html("<html><body><table><tr><td>规章</td><td>0</td></tr></table><img src='a.png'></body></html>".encode())
    assert page_images(doc, "https://x.gov.cn/a.html") == []  # it prints its table as text


def test_without_tesseract_scans_are_recorded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine where Tesseract is not installed
    _tesseract_info.cache_clear()
    try:
        scan = read_document((SCAN / "document.pdf").read_bytes(), "scan.pdf")
        assert [f.check for f in scan.findings] == ["image_only", "converter_missing"]
        assert "tesseract" in scan.findings[1].message.lower() and "ocr" not in scan.meta
        buf = io.BytesIO()
        Image.new("L", (400, 300), 255).save(buf, format="PNG")
        image = read_image(buf.getvalue())
        assert [(f.check, f.stage) for f in image.findings] == [("converter_missing", "read")]
    finally:
        _tesseract_info.cache_clear()


@pytest.mark.parametrize(
    ("read", "label"),
    [
        ("(二)总计", "（七）总计"),  # one character off the template: corrected
        ("行政处昼", "行政处罚"),
        ("2.其他法律行政法规茜止公开", "2.其他法律行政法规禁止公开"),
        ("规定", "规定"),  # short readings are never corrected: 规定 is not 规章
        ("(3下巴公开", "(3下巴公开"),  # too far from any label
        ("行政许可", "行政许可"),
    ],
)
def test_a_misread_label_is_corrected_only_when_unambiguous(read: str, label: str) -> None:
    assert snap_label(read) == label
