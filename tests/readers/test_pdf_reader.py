"""PDF reader on the three real reports (rows checked by hand against the printed PDFs)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from reader_fixtures import encrypted_pdf, image_only_pdf

from ogi.model import Document, Table
from ogi.read.pdf import _image_findings, _PageRead, read_pdf

PDF_DIR = Path(__file__).resolve().parents[2] / "corpus" / "pdf"
REVIEW_HEADER = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


@functools.cache
def doc(name: str) -> Document:
    return read_pdf((PDF_DIR / f"{name}.pdf").read_bytes())


def rows(d: Document) -> list[list[str]]:
    return [r for t in d.tables() for r in t.rows]


def row_with(d: Document, label: str) -> list[str]:
    """The table row holding a cell that starts with `label` (exactly one)."""
    found = [r for r in rows(d) if any(c.startswith(label) for c in r)]
    assert len(found) == 1, (label, found)
    return found[0]


def values(row: list[str]) -> list[str]:
    """The cells after the last label cell (the printed numbers, blanks included)."""
    i = max(k for k, c in enumerate(row) if c and not c.replace(".", "").isdigit())
    return row[i + 1 :]


def block_index(d: Document, text: str) -> int:
    return next(i for i, b in enumerate(d.blocks) if isinstance(b, str) and b.startswith(text))


# --- hongze_2023 -----------------------------------------------------------------------------------


def test_hongze_2023_requests_rows() -> None:
    d = doc("hongze_2023")
    assert row_with(d, "一、本年新收政府信息公开申请数量") == [
        "一、本年新收政府信息公开申请数量",
        "21",
        "0",
        "0",
        "0",
        "0",
        "0",
        "21",
    ]
    assert values(row_with(d, "二、上年结转")) == ["0"] * 7
    assert row_with(d, "（二）部分公开") == [
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "4", "0", "0", "0", "0", "0", "4",
    ]  # fmt: skip
    assert values(row_with(d, "1.本机关不掌握相关政府信息")) == ["10", "0", "0", "0", "0", "0", "10"]
    assert values(row_with(d, "2.没有现成信息需要另行制作")) == ["3", "0", "0", "0", "0", "0", "3"]
    assert values(row_with(d, "（七）总计")) == ["21", "0", "0", "0", "0", "0", "21"]
    assert values(row_with(d, "四、结转下年度继续办理")) == ["0"] * 7
    # the source's own typo is kept as printed
    assert row_with(d, "2.其他法律行政止公开")[0] == "2.其他法律行政止公开"


def test_vertical_and_wrapped_labels_are_joined() -> None:
    d = doc("hongze_2023")
    first = row_with(d, "三、本年度办理结果")
    assert first[:2] == ["三、本年度办理结果", "（一）予以公开"]
    assert row_with(d, "商业企业") == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert (
        row_with(d, "5.要求行政机关确认或重新出具已获取信息")[0] == "5.要求行政机关确认或重新出具已获取信息"
    )
    assert (
        row_with(d, "（本列数据的勾稽关系为")[0]
        == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    )


def test_hongze_2023_review_row_has_15_numbers() -> None:
    d = doc("hongze_2023")
    review = next(t for t in d.tables() if t.rows[0] == ["行政复议", "行政诉讼"])
    assert review.rows[1] == [*REVIEW_HEADER, "未经复议直接起诉", "复议后起诉"]
    assert review.rows[2] == REVIEW_HEADER * 2
    assert review.rows[-1] == ["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]


def test_hongze_2023_active_table() -> None:
    d = doc("hongze_2023")
    assert row_with(d, "规章") == ["规章", "0", "0", "0"]
    assert row_with(d, "行政规范性文件") == ["行政规范性文件", "0", "5", "5"]
    assert row_with(d, "行政许可") == ["行政许可", "550"]
    assert row_with(d, "行政处罚") == ["行政处罚", "4119"]
    assert row_with(d, "行政强制") == ["行政强制", "195"]
    assert row_with(d, "行政事业性收费") == ["行政事业性收费", "7730.28"]
    # the header cell at the top of page 3 (its top rule is missing in the file) is still read
    page3 = d.tables()[1]
    assert page3.rows[0] == ["信息内容", "本年处理决定数量"]


def test_tables_sit_between_their_headings() -> None:
    for name in ("hongze_2023", "hongze_2024", "huaian_2024"):
        d = doc(name)
        i2 = block_index(d, "二、主动公开政府信息情况")
        i3 = block_index(d, "三、收到和处理政府信息公开申请情况")
        i4 = block_index(d, "四、政府信息公开行政复议、行政诉讼情况")
        i5 = block_index(d, "五、存在的主要问题及改进情况")
        kinds = [isinstance(b, Table) for b in d.blocks]
        assert i2 < i3 < i4 < i5
        assert all(kinds[i2 + 1 : i3]), name  # active table, split over two pages
        assert all(kinds[i3 + 1 : i4]), name  # requests table, split over two pages
        assert kinds[i4 + 1 : i5] == [True], name
        assert len(d.tables()) == 5
        assert not any(kinds[:i2]), "no table before section 二 (text line backgrounds are not rules)"


def test_split_table_continues_without_invented_rows() -> None:
    d = doc("hongze_2023")
    first, second = d.tables()[2], d.tables()[3]
    assert first.rows[-1][0] == "2.没有现成信息需要另行制作"
    # the continuation opens with the next printed row; the empty label cells of the labels
    # spanning the break carry nothing and are dropped, no header row is invented
    assert second.rows[0] == ["3.补正后申请内容仍不明确", "0", "0", "0", "0", "0", "0", "0"]
    assert second.rows[-1][0] == "四、结转下年度继续办理"


def test_no_footers_no_none_cells() -> None:
    for name in ("hongze_2023", "hongze_2024", "huaian_2024"):
        d = doc(name)
        texts = d.text_lines() + [c for r in rows(d) for c in r]
        assert all(isinstance(c, str) for c in texts)
        for t in texts:
            assert t.strip() not in {f"- {n} -" for n in range(1, 8)}, t
        assert not any("\n" in c for c in texts)


def test_paragraphs_are_joined_across_lines_and_pages() -> None:
    d = doc("hongze_2023")
    assert any("2023 年全区受理政府信息公开申请 21 件，均在法定期限答复。" in t for t in d.text_lines())
    # page 1 ends inside a paragraph that page 2 finishes
    assert any("严格执行“分级审核、先审后发”程序" in t for t in d.text_lines())
    assert d.text_lines()[:2] == ["洪泽区人民政府", "2023 年政府信息公开工作年度报告"]


def test_meta_title_decoded() -> None:
    d = doc("hongze_2023")
    assert d.meta["title"] == "洪泽区人民政府2023年政府信息公开工作年度报告"
    assert d.meta["pages"] == "5"
    assert d.content_type == "application/pdf"
    assert d.findings == []


# --- hongze_2024, huaian_2024 --------------------------------------------------------------------


def test_hongze_2024_rows() -> None:
    d = doc("hongze_2024")
    assert row_with(d, "一、本年新收政府信息公开申请数量") == [
        "一、本年新收政府信息公开申请数量",
        "95",
        "0",
        "0",
        "0",
        "0",
        "0",
        "95",
    ]
    assert values(row_with(d, "（一）予以公开")) == ["50", "0", "0", "0", "0", "0", "50"]
    assert values(row_with(d, "1.本机关不掌握相关政府信息")) == ["31", "0", "0", "0", "0", "0", "31"]
    # an empty row-header cell is not a blank value: the numbers keep their columns
    assert row_with(d, "（六）其他处理") == ["（六）其他处理", "0", "0", "0", "0", "0", "0", "0"]
    assert row_with(d, "（七）总计") == ["（七）总计", "95", "0", "0", "0", "0", "0", "95"]
    review = d.tables()[-1]
    assert review.rows[-1] == ["1", "1", "0", "0", "2", "1", "0", "0", "0", "1", "2", "0", "1", "0", "3"]
    assert row_with(d, "行政事业性收费") == ["行政事业性收费", "7545"]


def test_huaian_2024_rows() -> None:
    d = doc("huaian_2024")
    assert row_with(d, "一、本年新收政府信息公开申请数量") == [
        "一、本年新收政府信息公开申请数量", "3001", "53", "0", "0", "61", "4", "3119",
    ]  # fmt: skip
    assert values(row_with(d, "二、上年结转")) == ["34", "0", "0", "0", "0", "0", "34"]
    assert values(row_with(d, "（一）予以公开")) == ["1288", "21", "0", "0", "50", "3", "1362"]
    assert row_with(d, "（三）不予公开")[:2] == ["（三）不予公开", "1.属于国家秘密"]
    assert row_with(d, "1、申请人无正当理由逾期不补正")[2:] == ["67", "3", "0", "0", "1", "0", "71"]
    assert row_with(d, "2、申请人逾期未按收费通知要求缴纳费用")[1:] == ["6", "0", "0", "0", "0", "0", "6"]
    assert row_with(d, "3、其他") == ["3、其他", "108", "2", "0", "0", "0", "0", "110"]
    assert values(row_with(d, "（七）总计")) == ["2932", "53", "0", "0", "61", "4", "3050"]
    assert values(row_with(d, "四、结转下年度继续办理")) == ["103", "0", "0", "0", "0", "0", "103"]
    # a label cut by the page break: both halves are passed through as printed
    assert row_with(d, "（四）无")[:2] == ["（四）无", "1.本机关不掌握相关政府信息"]
    assert row_with(d, "法提供")[:2] == ["法提供", "2.没有现成信息需要另行制作"]
    review = d.tables()[-1]
    assert review.rows[-1] == [
        "72",
        "64",
        "178",
        "37",
        "351",
        "13",
        "4",
        "8",
        "1",
        "26",
        "12",
        "1",
        "1",
        "6",
        "20",
    ]
    assert row_with(d, "行政许可") == ["行政许可", "447228"]
    assert row_with(d, "行政事业性收费") == ["行政事业性收费", "96171.6"]


def test_every_data_row_has_seven_numbers() -> None:
    for name in ("hongze_2023", "hongze_2024", "huaian_2024"):
        d = doc(name)
        requests = [
            t for t in d.tables() if any("予以公开" in c or "结转下年度" in c for r in t.rows for c in r)
        ]
        data_rows = [r for t in requests for r in t.rows if r[-1].isdigit()]
        assert len(data_rows) == (25 if name == "huaian_2024" else 23), name  # (六) has 3 rows in huaian
        for r in data_rows:
            assert all(c.isdigit() for c in r[-7:]) and r[-8] and not r[-8].isdigit(), (name, r)


# --- tables without rules: text alignment fallback -----------------------------------------------


def _strip_rules(page):  # type: ignore[no-untyped-def]
    return page.filter(lambda o: o.get("object_type") not in ("line", "rect", "curve"))


def test_unruled_pages_keep_rows_as_gap_separated_lines() -> None:
    d = read_pdf((PDF_DIR / "huaian_2024.pdf").read_bytes(), on_page=_strip_rules)
    # a simple table found by text alignment
    simple = [t for t in d.tables() if ["规章", "1", "0", "11"] in t.rows]
    assert simple and simple[0].rows[0] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert any(f.check == "unruled_table" for f in d.findings)
    # the complex requests table stays as lines, cells two spaces apart, order kept
    lines = d.text_lines()
    i = lines.index("一、本年新收政府信息公开申请数量  3001  53  0  0  61  4  3119")
    assert lines[i + 1] == "二、上年结转政府信息公开申请数量  34  0  0  0  0  0  34"
    assert "72  64  178  37  351  13  4  8  1  26  12  1  1  6  20" in lines


# --- damaged and image-only files ------------------------------------------------------------------


def test_image_only_pdf_fixture() -> None:
    data = (PDF_DIR / "image_only.pdf").read_bytes()
    assert data == image_only_pdf(), (
        "corpus/pdf/image_only.pdf is stale: run tests/readers/reader_fixtures.py"
    )
    d = read_pdf(data)
    assert d.blocks == []
    assert [(f.check, f.severity, f.stage) for f in d.findings] == [("image_only", "warn", "read")]
    assert "OCR" in d.findings[0].message


def test_partly_scanned_and_pasted_images() -> None:
    reads = [_PageRead([], [], True, 0.0), _PageRead([], [], False, 0.9), _PageRead([], [], True, 0.5)]
    checks = {f.check: f.message for f in _image_findings(reads)}
    assert "page(s) 2 of 3" in checks["image_only"]
    assert "page(s) 3" in checks["image_in_page"]
    garbled = [_PageRead([], [], True, 0.0, chars=100, garbled=40)]
    assert [f.check for f in _image_findings(garbled)] == ["garbled_text"]


@pytest.mark.parametrize(
    "data",
    [b"", b"garbage", b"%PDF-1.7\n", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", b"\x00" * 100],
)
def test_garbage_is_unreadable(data: bytes) -> None:
    d = read_pdf(data)
    assert d.blocks == []
    assert d.findings and d.findings[0].check == "unreadable" and d.findings[0].severity == "error"


def test_truncated_real_pdf_is_unreadable() -> None:
    data = (PDF_DIR / "hongze_2023.pdf").read_bytes()
    d = read_pdf(data[: len(data) // 2])
    assert [f.check for f in d.findings] == ["unreadable"]


def test_encrypted_pdf() -> None:
    d = read_pdf(encrypted_pdf())
    assert [(f.check, f.severity) for f in d.findings] == [("unreadable", "error")]
    assert "encrypted" in d.findings[0].message
