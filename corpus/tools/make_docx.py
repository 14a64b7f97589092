"""Write corpus/docx/sample_2021.docx: a 2021-format report as Word publishes it.

The tables follow the official template of 国办公开办函〔2021〕30号 with its merged cells
(row/column spans in the header, vertical labels like 三、本年度办理结果 spanning many rows), so the
DOCX reader meets the same merges as in real attachments. Numbers and labels are those printed
in 淮安市人民政府 2024 年政府信息公开工作年度报告 (corpus/pdf/huaian_2024.pdf), so the DOCX and
the PDF must read to the same figures. Run: python corpus/tools/make_docx.py [out.docx]
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import docx
from docx.table import Table as DocxTable

OUT = Path(__file__).resolve().parents[1] / "docx" / "sample_2021.docx"
FIXED = datetime(2025, 2, 25, 10, 0, 0)

ACTIVE: list[tuple[str, list[str]] | str] = [
    "第二十条第（一）项",
    ("信息内容", ["本年制发件数", "本年废止件数", "现行有效件数"]),
    ("规章", ["1", "0", "11"]),
    ("行政规范性文件", ["8", "26", "66"]),
    "第二十条第（五）项",
    ("信息内容", ["本年处理决定数量"]),
    ("行政许可", ["447228"]),
    "第二十条第（六）项",
    ("信息内容", ["本年处理决定数量"]),
    ("行政处罚", ["3985758"]),
    ("行政强制", ["88283"]),
    "第二十条第（八）项",
    ("信息内容", ["本年收费金额（单位：万元）"]),
    ("行政事业性收费", ["96171.6"]),
]

APPLICANTS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]

# (level-1 label spanning rows or None, level-2 label, level-3 label or None, 7 values)
REQUEST_ROWS: list[tuple[str | None, str | None, str | None, list[str]]] = [
    ("一、本年新收政府信息公开申请数量", None, None, ["3001", "53", "0", "0", "61", "4", "3119"]),
    ("二、上年结转政府信息公开申请数量", None, None, ["34", "0", "0", "0", "0", "0", "34"]),
    ("三、本年度办理结果", "（一）予以公开", None, ["1288", "21", "0", "0", "50", "3", "1362"]),
    (
        "三、本年度办理结果",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        None,
        ["447", "7", "0", "0", "0", "0", "454"],
    ),
    ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", ["2", "0", "0", "0", "0", "0", "2"]),
    (
        "三、本年度办理结果",
        "（三）不予公开",
        "2.其他法律行政法规禁止公开",
        ["30", "1", "0", "0", "0", "0", "31"],
    ),
    ("三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”", ["5", "0", "0", "0", "0", "0", "5"]),
    ("三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益", ["6", "0", "0", "0", "0", "0", "6"]),
    ("三、本年度办理结果", "（三）不予公开", "5.属于三类内部事务信息", ["7", "1", "0", "0", "0", "0", "8"]),
    ("三、本年度办理结果", "（三）不予公开", "6.属于四类过程性信息", ["12", "0", "0", "0", "0", "0", "12"]),
    ("三、本年度办理结果", "（三）不予公开", "7.属于行政执法案卷", ["9", "0", "0", "0", "0", "0", "9"]),
    ("三、本年度办理结果", "（三）不予公开", "8.属于行政查询事项", ["105", "0", "0", "0", "0", "0", "105"]),
    (
        "三、本年度办理结果",
        "（四）无法提供",
        "1.本机关不掌握相关政府信息",
        ["746", "12", "0", "0", "10", "1", "769"],
    ),
    (
        "三、本年度办理结果",
        "（四）无法提供",
        "2.没有现成信息需要另行制作",
        ["11", "0", "0", "0", "0", "0", "11"],
    ),
    ("三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确", ["1", "0", "0", "0", "0", "0", "1"]),
    ("三、本年度办理结果", "（五）不予处理", "1.信访举报投诉类申请", ["56", "6", "0", "0", "0", "0", "62"]),
    ("三、本年度办理结果", "（五）不予处理", "2.重复申请", ["25", "0", "0", "0", "0", "0", "25"]),
    ("三、本年度办理结果", "（五）不予处理", "3.要求提供公开出版物", ["0", "0", "0", "0", "0", "0", "0"]),
    ("三、本年度办理结果", "（五）不予处理", "4.无正当理由大量反复申请", ["0", "0", "0", "0", "0", "0", "0"]),
    (
        "三、本年度办理结果",
        "（五）不予处理",
        "5.要求行政机关确认或重新出具已获取信息",
        ["1", "0", "0", "0", "0", "0", "1"],
    ),
    (
        "三、本年度办理结果",
        "（六）其他处理",
        "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ["67", "3", "0", "0", "1", "0", "71"],
    ),
    (
        "三、本年度办理结果",
        "（六）其他处理",
        "2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ["6", "0", "0", "0", "0", "0", "6"],
    ),
    ("三、本年度办理结果", "（六）其他处理", "3、其他", ["108", "2", "0", "0", "0", "0", "110"]),
    ("三、本年度办理结果", "（七）总计", None, ["2932", "53", "0", "0", "61", "4", "3050"]),
    ("四、结转下年度继续办理", None, None, ["103", "0", "0", "0", "0", "0", "103"]),
]

OUTCOMES = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
REVIEW_VALUES = ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"]

INTRO = [
    "本报告由淮安市人民政府办公室根据《中华人民共和国政府信息公开条例》（国令第711号）（以下简称《条例》）"
    "规定编制。报告所列统计期限自2024年1月1日至2024年12月31日。",
]
OVERVIEW = [
    "2024年，我市坚持以习近平新时代中国特色社会主义思想为指导，严格落实《中华人民共和国政府信息公开条例》各项规定。",
    "（一）主动公开情况。2024年，市政府网站主动公开各类政府信息5500余条。",
    "（二）依申请公开情况。2024年，全市共受理政府信息公开申请3119件，答复3050件。",
]


def _set(cell: object, text: str) -> None:
    """Put text in a (possibly merged) cell, one paragraph per line as Word users type it."""
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]  # type: ignore[attr-defined]
    for line in lines[1:]:
        cell.add_paragraph(line)  # type: ignore[attr-defined]


def _merge(table: DocxTable, r0: int, c0: int, r1: int, c1: int, text: str) -> None:
    cell = table.cell(r0, c0)
    if (r0, c0) != (r1, c1):
        cell = cell.merge(table.cell(r1, c1))
    _set(cell, text)


Span = tuple[int, int, int, int, str]  # first row, first column, last row, last column, printed text
RequestRow = tuple[str | None, str | None, str | None, list[str]]


def active_layout(active: list[tuple[str, list[str]] | str] = ACTIVE) -> tuple[int, int, list[Span]]:
    """The active table's grid: (rows, columns, printed cells with their spans), in typing order."""
    spans: list[Span] = []
    for r, item in enumerate(active):
        if isinstance(item, str):
            spans.append((r, 0, r, 3, item))
            continue
        label, values = item
        spans.append((r, 0, r, 0, label))
        if len(values) == 1:
            spans.append((r, 1, r, 3, values[0]))
        else:
            spans.extend((r, c, r, c, v) for c, v in enumerate(values, start=1))
    return len(active), 4, spans


def requests_layout(request_rows: list[RequestRow] = REQUEST_ROWS) -> tuple[int, int, list[Span]]:
    spans: list[Span] = [
        (0, 0, 2, 2, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
        (0, 3, 0, 9, "申请人情况"),
        (1, 3, 2, 3, "自然人"),
        (1, 4, 1, 8, "法人或其他组织"),
        (1, 9, 2, 9, "总计"),
    ]
    spans.extend((2, c, 2, c, label) for c, label in enumerate(APPLICANTS, start=4))
    tall: dict[tuple[int, str], list[int]] = {}
    for i, (l1, l2, l3, values) in enumerate(request_rows):
        r = 3 + i
        spans.extend((r, c, r, c, v) for c, v in enumerate(values, start=3))
        if l2 is None:
            spans.append((r, 0, r, 2, l1 or ""))
            continue
        tall.setdefault((0, l1 or ""), []).append(r)
        if l3 is None:
            spans.append((r, 1, r, 2, l2))
        else:
            tall.setdefault((1, l2), []).append(r)
            spans.append((r, 2, r, 2, l3))
    for (col, label), rows in tall.items():
        # the tall label is typed one character per line, as in the template's narrow column
        spans.append((rows[0], col, rows[-1], col, "\n".join(label) if col == 0 else label))
    return 3 + len(request_rows), 10, spans


def review_layout(review_values: list[str] = REVIEW_VALUES) -> tuple[int, int, list[Span]]:
    spans: list[Span] = [(0, 0, 0, 4, "行政复议"), (0, 5, 0, 14, "行政诉讼")]
    spans.extend((1, c, 2, c, label) for c, label in enumerate(OUTCOMES))
    spans += [(1, 5, 1, 9, "未经复议直接起诉"), (1, 10, 1, 14, "复议后起诉")]
    spans.extend((2, 5 + c, 2, 5 + c, OUTCOMES[c % 5]) for c in range(10))
    spans.extend((3, c, 3, c, v) for c, v in enumerate(review_values))
    return 4, 15, spans


def _table(document: docx.document.Document, layout: tuple[int, int, list[Span]]) -> DocxTable:
    rows, cols, spans = layout
    table = document.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    for r0, c0, r1, c1, text in spans:
        _merge(table, r0, c0, r1, c1, text)
    return table


def active_table(document: docx.document.Document, active: list[tuple[str, list[str]] | str] = ACTIVE) -> DocxTable:
    return _table(document, active_layout(active))


def requests_table(document: docx.document.Document, request_rows: list[RequestRow] = REQUEST_ROWS) -> DocxTable:
    return _table(document, requests_layout(request_rows))


def review_table(document: docx.document.Document, review_values: list[str] = REVIEW_VALUES) -> DocxTable:
    return _table(document, review_layout(review_values))


def build() -> bytes:
    document = docx.Document()
    props = document.core_properties
    props.title = "淮安市人民政府2024年政府信息公开工作年度报告"
    props.author = "ogi-pipeline test corpus"
    props.created = props.modified = FIXED
    props.last_modified_by = ""
    props.revision = 1
    document.add_paragraph("淮安市人民政府")
    document.add_paragraph("2024年政府信息公开工作年度报告")
    for text in INTRO:
        document.add_paragraph(text)
    document.add_paragraph("一、总体情况")
    for text in OVERVIEW:
        document.add_paragraph(text)
    document.add_paragraph("二、主动公开政府信息情况")
    active_table(document)
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    requests_table(document)
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    review_table(document)
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.add_paragraph("对照上级新要求和公众新期待，还有一些需要加强和改进的地方。")
    document.add_paragraph("六、其他需要报告的事项")
    document.add_paragraph(
        "2024年，市政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费3940元。"
    )
    raw = io.BytesIO()
    document.save(raw)
    return _stable_zip(raw.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """Same bytes on every run: fixed member timestamps and order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(build())
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
