"""Cells of a scanned report: marked as read by OCR, with their confidence; unreadable ones unplaced.

The table reader reads OCR tables like any other (`Table` blocks); this step gives each cell it
placed back its OCR reading. The reader consumes the printed cells in stream order, so its cells'
texts are a subsequence of the tables' value cells: aligning the two sequences by text finds, for
every cell, the OCR cell it came from. A cell marked unreadable by OCR (ogi/read/ocr.UNREADABLE_MARK),
read from a line of OCR text rather than a ruled cell (one reading, nothing to corroborate it), or
not traceable to one OCR cell (a short row filled with blanks, digits split by the identities) is
left unplaced (raw None) with a finding: a scan's missing number stays missing, never guessed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from ogi.model import Cell, Document, Finding, Placement, Stage, Table, TableSource
from ogi.text.numbers import read_number

__all__ = ["settle_ocr_cells"]

_LINE_NOTE = "read from a line of OCR text, not from a ruled cell: a single reading, not placed"


@dataclass(frozen=True)
class _Source:
    text: str
    ocr: bool
    confidence: float | None = None
    note: str | None = None


def _grids_for(tables: list[Table], grids: list[dict[str, object]]) -> list[dict[str, object] | None]:
    """The recorded OCR grid of each OCR table: the one with the same rows, else the same shape, in order."""
    unused = list(range(len(grids)))
    out: list[dict[str, object] | None] = []
    for table in tables:
        shape = [len(r) for r in table.rows]
        pick = next((k for k in unused if grids[k].get("rows") == table.rows), None)
        if pick is None:
            pick = next((k for k in unused if [len(r) for r in grids[k].get("confidence", [])] == shape), None)  # type: ignore[union-attr]
        if pick is not None:
            unused.remove(pick)
        out.append(grids[pick] if pick is not None else None)
    return out


def _sources(doc: Document) -> list[_Source]:
    """Every printed cell that could hold a value, in the order the table reader meets them."""
    from ogi.parse.tables.tokens import stream_of

    ocr_tables = [b for b in doc.blocks if isinstance(b, Table) and b.source == TableSource.OCR]
    grids = _grids_for(ocr_tables, json.loads(doc.meta.get("ocr_cells") or "[]"))
    grid_of = {id(t): g for t, g in zip(ocr_tables, grids, strict=True)}
    ocr_lines = set(json.loads(doc.meta.get("ocr_lines") or "[]"))
    whole = doc.meta.get("ocr_whole") == "true"  # then every line is OCR's, also one cleanup rewrote
    out: list[_Source] = []
    for block in doc.blocks:
        if isinstance(block, Table) and block.source == TableSource.OCR:
            grid = grid_of[id(block)] or {}
            confs = grid.get("confidence") or []
            notes = grid.get("note") or []
            for i, row in enumerate(block.rows):
                for j, text in enumerate(row):
                    conf = _at(confs, i, j)
                    out.append(_Source(text.strip(), True, conf, _at(notes, i, j)))  # type: ignore[arg-type]
        elif isinstance(block, str) and (whole or block in ocr_lines):
            out.extend(_Source(tok.raw.strip(), True, note=_LINE_NOTE)
                       for tok in stream_of([block], unglue=True) if tok is not None)
        else:
            out.extend(_Source(tok.raw.strip(), False) for tok in stream_of([block], unglue=True) if tok is not None)
    return [s for s in out if read_number(s.text).kind != "text"]


def _at(grid: object, i: int, j: int) -> object:
    try:
        return grid[i][j]  # type: ignore[index]
    except (IndexError, TypeError, KeyError):
        return None


def settle_ocr_cells(cells: list[Cell], doc: Document) -> tuple[list[Cell], list[Finding]]:
    """Cells of an OCR-derived document marked `placement: ocr` with their confidence; unreadable and
    untraceable ones unplaced, each with a finding. Other documents' cells are returned as they are."""
    if doc.meta.get("ocr") != "true":
        return cells, []
    from ogi.read.ocr import UNREADABLE_MARK

    sources = _sources(doc)
    placed = [k for k, c in enumerate(cells) if c.raw is not None]
    matcher = SequenceMatcher(None, [s.text for s in sources], [cells[k].raw or "" for k in placed], autojunk=False)
    origin: dict[int, _Source] = {}
    for block in matcher.get_matching_blocks():
        for n in range(block.size):
            origin[placed[block.b + n]] = sources[block.a + n]
    out: list[Cell] = []
    findings: list[Finding] = []
    for k, cell in enumerate(cells):
        src = origin.get(k)
        if cell.raw is None or (src is not None and not src.ocr):
            out.append(cell)
            continue
        if src is None or src.text == UNREADABLE_MARK or src.note == _LINE_NOTE:
            why = src.note if src is not None and src.note else (
                "no single OCR cell printed it (a short row or a split run)" if src is None else "unreadable")
            findings.append(Finding("unplaced_value", "warn", stage=Stage.PARSE, table=cell.table, row=cell.row,
                                    col=cell.col, message=f"{cell.table}/{cell.row}/{cell.col} read by OCR, left "
                                                          f"unplaced: {why}", evidence=why))
            out.append(replace(cell, value=None, raw=None, unit=None, unit_source=None, placement=Placement.OCR))
            continue
        out.append(replace(cell, placement=Placement.OCR, confidence=src.confidence))
    return out, findings
