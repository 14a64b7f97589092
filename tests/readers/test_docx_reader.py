"""DOCX reader: body order, merged cells printed once, damaged files as findings."""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import docx
from reader_fixtures import png_bytes

from ogi.model import Document, Table
from ogi.read.docx import read_docx
from ogi.read.pdf import read_pdf

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SAMPLE = CORPUS / "docx" / "sample_2021.docx"


def _make_docx_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_docx", CORPUS / "tools" / "make_docx.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _save(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_fixture_is_current() -> None:
    assert SAMPLE.read_bytes() == _make_docx_module().build(), "run corpus/tools/make_docx.py"


def test_sample_reads_in_body_order() -> None:
    d = read_docx(SAMPLE.read_bytes())
    assert d.findings == []
    assert d.meta["title"] == "淮安市人民政府2024年政府信息公开工作年度报告"
    kinds = ["T" if isinstance(b, Table) else b[:2] for b in d.blocks]
    i2, i3, i4, i5 = (kinds.index(h) for h in ("二、", "三、", "四、", "五、"))
    assert kinds[i2 + 1] == kinds[i3 + 1] == kinds[i4 + 1] == "T"
    assert i2 < i3 < i4 < i5 and kinds.count("T") == 3
    assert all(t.source == "docx" for t in d.tables())


def test_sample_merged_cells_once() -> None:
    active, requests, review = read_docx(SAMPLE.read_bytes()).tables()
    assert active.rows[0] == ["第二十条第（一）项"]
    assert active.rows[5:7] == [["信息内容", "本年处理决定数量"], ["行政许可", "447228"]]
    assert requests.rows[:3] == [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
        ["自然人", "法人或其他组织", "总计"],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    ]
    assert requests.rows[3] == ["一、本年新收政府信息公开申请数量", "3001", "53", "0", "0", "61", "4", "3119"]
    # the vertical label, typed one character per paragraph, is one cell in its first row only
    assert requests.rows[5] == [
        "三、本年度办理结果",
        "（一）予以公开",
        "1288",
        "21",
        "0",
        "0",
        "50",
        "3",
        "1362",
    ]
    assert requests.rows[6][0].startswith("（二）部分公开")
    assert requests.rows[7][:2] == ["（三）不予公开", "1.属于国家秘密"]
    assert requests.rows[8][0] == "2.其他法律行政法规禁止公开"
    assert sum(c == "三、本年度办理结果" for r in requests.rows for c in r) == 1
    assert review.rows == [
        ["行政复议", "行政诉讼"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
        ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"],
    ]


def test_python_docx_alone_would_repeat_merged_cells() -> None:
    """Why the reader walks the XML: row.cells repeats a merged cell in every slot it covers."""
    table = docx.Document(io.BytesIO(SAMPLE.read_bytes())).tables[1]
    naive = [c.text for c in table.rows[5].cells]
    assert naive.count(naive[1]) == 2  # （一）予以公开 spans two grid columns


def _values(d: Document) -> list[tuple[str, ...]]:
    """The 7-number tails of the requests table rows, in order."""
    out = []
    for t in d.tables():
        for r in t.rows:
            if 8 <= len(r) <= 10 and all(c.isdigit() for c in r[-7:]):
                out.append(tuple(r[-7:]))
    return out


def test_docx_and_pdf_of_same_report_agree() -> None:
    pdf = read_pdf((CORPUS / "pdf" / "huaian_2024.pdf").read_bytes())
    docx_doc = read_docx(SAMPLE.read_bytes())
    assert _values(docx_doc) == _values(pdf)
    assert len(_values(pdf)) == 25
    assert docx_doc.tables()[-1].rows[-1] == pdf.tables()[-1].rows[-1]


def test_blank_cells_vmerge_tabs_and_content_controls() -> None:
    document = docx.Document()
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=3, cols=4)
    a = table.cell(0, 0).merge(table.cell(2, 0))
    a.paragraphs[0].text = "（六）"
    a.add_paragraph("其他处理")
    for r, vals in enumerate([("1", "2", ""), ("3", "", "5"), ("7", "8", "9")]):
        for c, v in enumerate(vals, start=1):
            table.cell(r, c).text = v
    document.add_paragraph("信息内容\t本年处理决定数量")
    document.add_paragraph("   ")  # blank paragraphs are dropped
    d = read_docx(_save(document))
    t = d.tables()[0]
    assert t.rows == [["（六）其他处理", "1", "2", ""], ["3", "", "5"], ["7", "8", "9"]]
    assert d.blocks[0] == "三、收到和处理政府信息公开申请情况"
    assert d.blocks[-1] == "信息内容  本年处理决定数量"


def test_sdt_wrapped_paragraphs_are_read() -> None:
    document = docx.Document()
    p = document.add_paragraph("一、总体情况")
    body = document.element.body
    from docx.oxml import parse_xml

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    sdt = parse_xml(
        f'<w:sdt xmlns:w="{w}"><w:sdtContent><w:p><w:r><w:t>控件 内 文字</w:t></w:r></w:p></w:sdtContent></w:sdt>'
    )
    p._p.addnext(sdt)
    assert body is not None
    d = read_docx(_save(document))
    assert d.blocks == ["一、总体情况", "控件内文字"]


def test_picture_only_docx_is_image_only() -> None:
    document = docx.Document()
    document.add_picture(io.BytesIO(png_bytes()))
    d = read_docx(_save(document))
    assert [(f.check, f.severity, f.stage) for f in d.findings] == [("image_only", "warn", "read")]


def test_damaged_docx_is_unreadable() -> None:
    data = SAMPLE.read_bytes()
    zip_without_word = io.BytesIO()
    with zipfile.ZipFile(zip_without_word, "w") as zf:
        zf.writestr("hello.txt", "not a document")
    for bad in (b"", b"garbage", data[: len(data) // 2], zip_without_word.getvalue()):
        d = read_docx(bad)
        assert d.blocks == []
        assert [(f.check, f.severity, f.stage) for f in d.findings] == [("unreadable", "error", "read")]


def test_repeated_header_row_is_emitted_once() -> None:
    """A header row marked to repeat on every page (w:tblHeader) is stored once and read once."""
    from docx.oxml import OxmlElement

    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("信息内容", "本年处理决定数量"), ("行政处罚", "4119"), ("行政强制", "195")]):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
    d = read_docx(_save(document))
    assert d.tables()[0].rows == [["信息内容", "本年处理决定数量"], ["行政处罚", "4119"], ["行政强制", "195"]]
