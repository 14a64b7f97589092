"""Write corpus/office/: the sample 2021 report (corpus/docx/sample_2021.docx) in the other office
formats bodies publish, each saved by LibreOffice from the same content, so every one must read to
the DOCX's cells.

- sample_2021.doc: Word 97-2003, saved by LibreOffice from the DOCX ("MS Word 97" filter).
- sample_2021.wps: the same Word 97 bytes under WPS Writer's extension. WPS Office saves .wps in the
  Word 97 compound-file format; LibreOffice cannot write WPS's own flavour, so the fixture is what a
  .wps looks like to a reader: an OLE2 WordDocument stream named .wps.
- sample_2021.rtf: Rich Text Format, saved by LibreOffice from the DOCX.
- sample_2021.xlsx: the three tables as a workbook (openpyxl), merged cells as in the Word tables,
  numbers stored as numbers, one sheet per table with its heading above it.
- sample_2021.xls / sample_2021.et: the workbook saved by LibreOffice as Excel 97 ("MS Excel 97");
  the .et (WPS Spreadsheets) is those bytes under its extension, for the same reason as the .wps.

Needs LibreOffice (soffice). Run: .venv/bin/python corpus/tools/make_office.py
"""

from __future__ import annotations

import importlib.util
import io
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]
OUT = CORPUS / "office"
SAMPLE = CORPUS / "docx" / "sample_2021.docx"
FIXED = datetime(2025, 2, 25, 10, 0, 0)


def _make_docx():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_docx", CORPUS / "tools" / "make_docx.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def soffice(data: bytes, name: str, target: str) -> bytes:
    """`data` (a file called `name`) converted by LibreOffice with the `target` filter spec."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / name).write_bytes(data)
        subprocess.run(["soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                        "--convert-to", target, "--outdir", str(work / "out"), str(work / name)],
                       check=True, capture_output=True, timeout=180)
        produced = list((work / "out").iterdir())
        assert len(produced) == 1, produced
        return produced[0].read_bytes()


def _number(text: str) -> int | float | str:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def build_xlsx() -> bytes:
    """The DOCX's three tables as sheets, with the same merged cells and the same printed texts."""
    import openpyxl
    from openpyxl.styles import Alignment

    mk = _make_docx()
    book = openpyxl.Workbook()
    book.properties.title = "淮安市人民政府2024年政府信息公开工作年度报告"
    book.properties.creator = "ogi-pipeline test corpus"
    book.properties.created = book.properties.modified = FIXED

    def put(ws, r0: int, c0: int, r1: int, c1: int, text: str) -> None:  # type: ignore[no-untyped-def]
        ws.cell(r0 + 2, c0 + 1, _number(text)).alignment = Alignment(wrap_text=True, vertical="center")
        if (r0, c0) != (r1, c1):
            ws.merge_cells(start_row=r0 + 2, start_column=c0 + 1, end_row=r1 + 2, end_column=c1 + 1)

    active = book.active
    active.title = "主动公开"
    active.cell(1, 1, "二、主动公开政府信息情况")
    for r, item in enumerate(mk.ACTIVE):
        if isinstance(item, str):
            put(active, r, 0, r, 3, item)
            continue
        label, values = item
        put(active, r, 0, r, 0, label)
        if len(values) == 1:
            put(active, r, 1, r, 3, values[0])
        else:
            for c, v in enumerate(values, start=1):
                put(active, r, c, r, c, v)

    requests = book.create_sheet("依申请公开")
    requests.cell(1, 1, "三、收到和处理政府信息公开申请情况")
    put(requests, 0, 0, 2, 2, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    put(requests, 0, 3, 0, 9, "申请人情况")
    put(requests, 1, 3, 2, 3, "自然人")
    put(requests, 1, 4, 1, 8, "法人或其他组织")
    put(requests, 1, 9, 2, 9, "总计")
    for c, label in enumerate(mk.APPLICANTS, start=4):
        put(requests, 2, c, 2, c, label)
    spans: dict[tuple[int, str], list[int]] = {}
    for i, (l1, l2, l3, values) in enumerate(mk.REQUEST_ROWS):
        r = 3 + i
        for c, v in enumerate(values, start=3):
            put(requests, r, c, r, c, v)
        if l2 is None:
            put(requests, r, 0, r, 2, l1 or "")
            continue
        spans.setdefault((0, l1 or ""), []).append(r)
        if l3 is None:
            put(requests, r, 1, r, 2, l2)
        else:
            spans.setdefault((1, l2), []).append(r)
            put(requests, r, 2, r, 2, l3)
    for (col, label), rows in spans.items():
        put(requests, rows[0], col, rows[-1], col, label)

    review = book.create_sheet("复议诉讼")
    review.cell(1, 1, "四、政府信息公开行政复议、行政诉讼情况")
    put(review, 0, 0, 0, 4, "行政复议")
    put(review, 0, 5, 0, 14, "行政诉讼")
    for c, label in enumerate(mk.OUTCOMES):
        put(review, 1, c, 2, c, label)
    put(review, 1, 5, 1, 9, "未经复议直接起诉")
    put(review, 1, 10, 1, 14, "复议后起诉")
    for c in range(10):
        put(review, 2, 5 + c, 2, 5 + c, mk.OUTCOMES[c % 5])
    for c, v in enumerate(mk.REVIEW_VALUES):
        put(review, 3, c, 3, c, v)
    closing = book.create_sheet("说明")
    closing.cell(1, 1, "五、存在的主要问题及改进情况")
    out = io.BytesIO()
    book.save(out)
    return mk._stable_zip(out.getvalue())


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    docx_bytes = SAMPLE.read_bytes()
    doc = soffice(docx_bytes, "sample_2021.docx", "doc:MS Word 97")
    xlsx = build_xlsx()
    xls = soffice(xlsx, "sample_2021.xlsx", "xls:MS Excel 97")
    files = {
        "sample_2021.doc": doc,
        "sample_2021.wps": doc,
        "sample_2021.rtf": soffice(docx_bytes, "sample_2021.docx", "rtf:Rich Text Format"),
        "sample_2021.xlsx": xlsx,
        "sample_2021.xls": xls,
        "sample_2021.et": xls,
    }
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        print(f"wrote {OUT / name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
