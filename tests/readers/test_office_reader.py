"""Sniffing attachment formats, text cleanup, and formats recorded but not read."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from ogi.read import read_document
from ogi.read.layout import clean_cell, clean_text, is_footer, printed_rows
from ogi.read.sniff import read_other, sniff

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _zip(names: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for n in names:
            zf.writestr(n, "x")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "ctype", "kind"),
    [
        (b"%PDF-1.7\n...", None, None, "pdf"),
        (b"\r\n%PDF-1.4 junk before the header", "x.bin", None, "pdf"),
        (_zip(["[Content_Types].xml", "word/document.xml"]), "report.zip", None, "docx"),
        (_zip(["OFD.xml", "Doc_0/Document.xml"]), "report.ofd", None, "unknown"),
        (OLE2, "report.doc", None, "doc"),
        (OLE2, None, None, "doc"),
        (OLE2, "http://x.gov.cn/a/报告.WPS", None, "wps"),
        (OLE2, "table.xls", None, "xls"),
        (OLE2, "报表.et", None, "xls"),
        (OLE2, "download.do?id=4", "application/vnd.ms-excel", "xls"),
        (OLE2, "slides.ppt", None, "unknown"),
        (_zip(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]), "a.bin", None, "xlsx"),
        (b"", "统计表.xlsx", None, "xlsx"),
        (OLE2, "download.do?id=3", "application/kswps", "wps"),
        (OLE2, "a.doc", "application/kswps", "doc"),
        (b"{\\rtf1\\ansi report}", "report.doc", None, "doc"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, None, None, "image"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "scan.pdf", "application/pdf", "image"),
        (b"GIF89a" + b"\x00" * 20, None, None, "image"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "report.doc", "application/msword", "html"),
        (b"\xef\xbb\xbf  <html lang=zh>", None, None, "html"),
        ("<meta charset=gbk><p>政府信息公开</p>".encode("gb18030"), None, None, "html"),
        (b"", "http://x.gov.cn/download.jsp?filename=%E6%8A%A5%E5%91%8A.pdf&id=3", None, "pdf"),
        (b"", "a/b/report.docx", None, "docx"),
        (b"", None, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        (b"", None, "application/kswps", "wps"),
        (b"", None, "image/png", "image"),
        ("一、总体情况\n二、主动公开".encode(), None, None, "text"),
        ("一、总体情况\n二、主动公开".encode("gb18030"), "x.txt", None, "text"),
        (b"\x00\x01\x02\x03binary", None, None, "unknown"),
        (b"", None, None, "unknown"),
    ],
)
def test_sniff(data: bytes, name: str | None, ctype: str | None, kind: str) -> None:
    assert sniff(data, name, ctype) == kind


def test_sniff_corpus_files() -> None:
    assert sniff((CORPUS / "pdf" / "hongze_2023.pdf").read_bytes(), "x.doc") == "pdf"
    assert sniff((CORPUS / "docx" / "sample_2021.docx").read_bytes(), None) == "docx"


def test_clean_text() -> None:
    assert clean_text("三\n、\n本\n年\n度\n办\n理\n结\n果") == "三、本年度办理结果"
    assert clean_text("（二）部分公开（区分处理的，只计这一情 形，不\n计其他情形）") == (
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    )
    assert clean_text("总 计") == "总计"
    assert clean_text("申请 21 件") == "申请 21 件"  # digits keep their spaces
    assert clean_text(" 21 0\u00a0 0 ") == "21 0 0"
    assert clean_text("Jisupdf  Editor\u200b") == "Jisupdf Editor"


def test_clean_cell_drops_footers() -> None:
    assert clean_cell(None) == ""
    assert clean_cell("— 4 —") == ""
    assert clean_cell("8.属于行政查询事项\n- 3 -") == "8.属于行政查询事项"
    assert clean_cell("4") == "4"  # a bare number in a cell is a value
    assert clean_cell("-3") == "-3"


@pytest.mark.parametrize(
    "line",
    ["— 4 —", "- 12 -", "-4-", "－ 4 －", "第 4 页", "第4页 共9页", "共9页 第4页", "4/9", "Page 3 of 9"],
)
def test_footers(line: str) -> None:
    assert is_footer(line)


@pytest.mark.parametrize(
    "line", ["4", "2023", "+1036", "-3", "一、总体情况", "第二十条第（一）项", "1.属于国家秘密"]
)
def test_not_footers(line: str) -> None:
    assert not is_footer(line)


def test_read_other_records_what_it_is() -> None:
    for data, name, what in ((_zip(["OFD.xml", "Doc_0/Document.xml"]), "r.ofd", "ZIP container"),
                             (OLE2, "slides.ppt", "OLE2 compound file"),
                             (b"\x00\x01\x02\x03binary", "x.bin", "unknown format")):
        d = read_other(data, url_or_name=name)
        assert [(f.check, f.severity, f.stage) for f in d.findings] == [("unsupported_format", "warn", "read")]
        assert what in d.findings[0].message and name in d.findings[0].message
        assert d.blocks == []


def test_one_dispatcher_for_every_format() -> None:
    page = read_document(b"<html><body><p>x</p></body></html>", "a.htm")
    assert page.content_type == "text/html" and page.blocks == ["x"]
    assert read_document("一、总体情况".encode(), "a.txt").blocks == ["一、总体情况"]
    pdf = read_document((CORPUS / "pdf" / "hongze_2023.pdf").read_bytes(), "a.pdf")
    assert pdf is not None and len(pdf.tables()) == 5 and pdf.meta["source_name"] == "a.pdf"
    d = read_document((CORPUS / "docx" / "sample_2021.docx").read_bytes(), "a.docx")
    assert d is not None and len(d.tables()) == 3
    xlsx = read_document((CORPUS / "office" / "sample_2021.xlsx").read_bytes(), "a.xlsx")
    assert len(xlsx.tables()) == 4 and all(t.source == "spreadsheet" for t in xlsx.tables())
    ofd = read_document(_zip(["OFD.xml"]), "a.ofd")
    assert [f.check for f in ofd.findings] == ["unsupported_format"]


def test_scanned_pdf_goes_to_ocr_or_says_why_not() -> None:
    """The image-only PDF (a ruled grid, no text) is read by OCR; without Tesseract, recorded as such."""
    from ogi.read.ocr import ocr_missing

    scan = read_document((CORPUS / "pdf" / "image_only.pdf").read_bytes(), None)
    checks = [f.check for f in scan.findings]
    if ocr_missing() is None:
        assert scan.meta["ocr"] == "true" and "ocr_derived" in checks and "image_only" not in checks
    else:
        assert checks == ["image_only", "converter_missing"] and "ocr" not in scan.meta


def test_printed_rows_drop_blank_header_slots_only() -> None:
    grid = [
        [(0, "（本列数据的勾稽关系）"), (3, "申请人情况")],
        [(1, "（六）其他处理"), (2, ""), (3, "0"), (4, ""), (5, "7")],
        [(0, ""), (1, ""), (2, "3.补正后申请内容仍不明确"), (3, "1"), (4, "0"), (5, "")],
        [(0, ""), (1, ""), (2, "")],
    ]
    assert printed_rows(grid) == [
        ["（本列数据的勾稽关系）", "申请人情况"],
        ["（六）其他处理", "0", "", "7"],
        ["3.补正后申请内容仍不明确", "1", "0", ""],
    ]
    # a table of numbers only (review row) has no header slots to drop
    assert printed_rows([[(0, "1"), (1, "")], [(0, ""), (1, "2")]]) == [["1", ""], ["", "2"]]


@pytest.mark.parametrize("cut", range(3))
def test_long_chinese_text_is_text_wherever_the_sample_cuts_a_character(cut: int) -> None:
    """The sniffer looks at the first 8 KiB: a character cut there (1 or 2 of its 3 bytes) is no binary."""
    body = ("一、总体情况" * 800).encode()
    data = b"#" * cut + b" " + body
    assert sniff(data, "document.md", None) == "text"
