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

import io
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]
OUT = CORPUS / "office"
SAMPLE = CORPUS / "docx" / "sample_2021.docx"
FIXED = datetime(2025, 2, 25, 10, 0, 0)

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_docx  # noqa: E402 - the tables' layout and texts, shared with the DOCX


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

    book = openpyxl.Workbook()
    book.properties.title = "淮安市人民政府2024年政府信息公开工作年度报告"
    book.properties.creator = "ogi-pipeline test corpus"
    book.properties.created = book.properties.modified = FIXED
    book.remove(book.active)
    sheets = (("主动公开", "二、主动公开政府信息情况", make_docx.active_layout()),
              ("依申请公开", "三、收到和处理政府信息公开申请情况", make_docx.requests_layout()),
              ("复议诉讼", "四、政府信息公开行政复议、行政诉讼情况", make_docx.review_layout()))
    for title, heading, (_, _, spans) in sheets:
        ws = book.create_sheet(title)
        ws.cell(1, 1, heading)
        for r0, c0, r1, c1, text in spans:  # the Word table's cells, one sheet row below the heading
            ws.cell(r0 + 2, c0 + 1, _number(text)).alignment = Alignment(wrap_text=True, vertical="center")
            if (r0, c0) != (r1, c1):
                ws.merge_cells(start_row=r0 + 2, start_column=c0 + 1, end_row=r1 + 2, end_column=c1 + 1)
    closing = book.create_sheet("说明")
    closing.cell(1, 1, "五、存在的主要问题及改进情况")
    out = io.BytesIO()
    book.save(out)
    return make_docx._stable_zip(out.getvalue())


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
