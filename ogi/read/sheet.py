"""XLSX spreadsheets (and .xls/.et converted to XLSX) → Document: each sheet one Table, merged cells once.

Some bodies publish the statistics tables as a spreadsheet. A sheet is a grid like a DOCX table:
a merged range is one printed cell, shown in its first row and column only (as docx.py does), so
the same table reader reads it. A number is shown as the sheet shows it (its number format's
decimals and thousands separators), never as a float's binary expansion. Never raises.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ogi.model import Document, Finding, Table, TableSource
from ogi.read.docx import package_over_caps
from ogi.read.layout import clean_cell, printed_rows

__all__ = ["MAX_SHEET_CELLS", "cell_text", "read_xlsx"]

_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SHEET_CELLS = 200_000  # a report's sheet has a few hundred; more is not read (a finding says so)
_DECIMALS = re.compile(r"0\.(0+)")


def cell_text(value: Any, number_format: str | None = None) -> str:
    """A cell's value as the sheet prints it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        fmt = (number_format or "General").split(";")[0]
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        percent = "%" in fmt
        if percent:
            number *= 100
        m = _DECIMALS.search(fmt)
        if m:  # "0.00": that many decimals, rounded as the sheet shows them
            number = number.quantize(Decimal(1).scaleb(-len(m.group(1))), rounding=ROUND_HALF_UP)
        elif number == number.to_integral_value() or (fmt != "General" and "0" in fmt):
            number = number.quantize(Decimal(1), rounding=ROUND_HALF_UP)  # "0", "#,##0", or a whole number
        text = f"{number:,f}" if "#,##" in fmt else f"{number:f}"
        return text + ("%" if percent else "")
    return clean_cell(str(value))


def _sheet_rows(ws: Any) -> list[list[str]]:
    """Printed rows of a worksheet: a merged range's text in its top-left slot only."""
    covered: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered.add((r, c))
    grid: list[list[tuple[int, str]]] = []
    for row in ws.iter_rows():
        grid.append([(cell.column, cell_text(cell.value, cell.number_format)) for cell in row
                     if (cell.row, cell.column) not in covered])
    # The used range may run past the table: keep the columns up to the rightmost printed text, so a
    # blank cell inside the table stays a printed blank and the empty margin is no cell at all.
    width = max((col for cells in grid for col, text in cells if text), default=0)
    grid = [[(col, text) for col, text in cells if col <= width] for cells in grid]
    return printed_rows(grid)


def read_xlsx(data: bytes) -> Document:
    """Every sheet's cells as a Table, in sheet order; never raises."""
    doc = Document(content_type=_MIME)
    over = package_over_caps(data, "XLSX")  # the caps of ogi.read.limits, before openpyxl inflates a part
    if over is not None:
        doc.findings.append(over)
        return doc
    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        doc.findings.append(Finding("unreadable", "error", f"not a readable XLSX package: {type(exc).__name__}: {exc}"[:300],
                                    stage="read"))
        return doc
    except Exception as exc:
        doc.findings.append(Finding("unreadable", "error", f"cannot open XLSX: {type(exc).__name__}: {exc}"[:300],
                                    stage="read"))
        return doc
    try:
        title = book.properties.title
        if title:
            doc.meta["title"] = str(title)
        for ws in book.worksheets:
            if ws.max_row * ws.max_column > MAX_SHEET_CELLS:
                doc.findings.append(Finding("truncated", "warn", stage="read",
                                            message=f"sheet {ws.title!r} spans {ws.max_row}×{ws.max_column} cells, over "
                                                    f"{MAX_SHEET_CELLS}; not read"))
                continue
            rows = _sheet_rows(ws)
            if rows:  # a sheet's name is a tab label, not report text
                doc.blocks.append(Table(rows=rows, source=TableSource.SPREADSHEET))
    except Exception as exc:
        doc.findings.append(Finding("unreadable", "error", f"cannot read XLSX sheets: {type(exc).__name__}: {exc}"[:300],
                                    stage="read"))
    return doc
