"""Any rendering of a table → one stream of printed cells, with row ends where they are known.

HTML, DOCX and PDF tables know their rows; text renderings do not always: a crawler that prints
one cell per line ("39 |", "|" for a blank) loses the row ends, while a markdown-ish rendering
prints one row per line. The table reader is driven by labels, so it needs the cells in order and
the row ends only as hints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ogi.model import Block, Table
from ogi.parse.tables import segment
from ogi.text.cjk import IDEOGRAPH
from ogi.text.numbers import is_value_token

BREAK = None  # row end marker in a token stream


@dataclass(frozen=True)
class Token:
    """One printed cell (or a label, or a run of digits) in reading order.

    `col` is the cell's index in its printed row where the rendering has cell structure (HTML and
    DOCX tables, pipe and tab rows), -1 where it has none. `spaced` marks cells cut from a text line
    at spaces (PDF text): there a blank cell leaves no trace, so a short row does not say which
    cells are blank.
    """

    raw: str
    block: int  # index of the block it came from, for evidence
    glued: bool = False  # digits printed glued to the label before them (`规章000`): cells run together
    col: int = -1
    spaced: bool = False


Stream = list[Token | None]

# A label glued to its trailing digits: the label ends in a character no number starts or ends with.
_GLUED = re.compile(r"(?P<label>.*[^\s\d+\-.,，、．:：%])(?P<digits>[+\-]?\d+(?:[+\-]\d+)*)")
_PADDING = re.compile(r"^\s*\|(\s*\|)+\s*$")
_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_SPACED_ROW = re.compile(r"^(?P<label>\S.*?\D)\s+(?P<values>(?:[+\-]?\d[\d,.]*\s+)*[+\-]?\d[\d,.]*)$")


def pipe_cells(line: str) -> list[str]:
    """Cells of a line rendered with `|` separators.

    Each cell is the text before a `|`; a markdown line that opens with `|` drops its empty first
    cell; text after the last `|` is a cell only when it is not empty.
    """
    parts = line.split("|")
    if len(parts) > 2 and parts[0].strip() == "" and any(p.strip() for p in parts[1:]):
        parts = parts[1:]
    cells = [p.strip() for p in parts[:-1]]
    if parts[-1].strip():
        cells.append(parts[-1].strip())
    return cells


def _is_cell_per_line(lines: list[str]) -> bool:
    """A crawler rendering with one cell per line: row ends are lost."""
    if len(lines) < 4:
        return False
    single = sum(1 for ln in lines if sum(1 for c in pipe_cells(ln) if c) <= 1)
    return single >= 0.9 * len(lines)


def stream_of(blocks: list[Block], unglue: bool = False) -> Stream:
    """Flatten a document's blocks into one token stream.

    `unglue` splits a text line that prints a label glued to its cells' digits (`规章000`) into the
    label and one `glued` token, and cuts a line that holds whole tables (a crawler's page on one
    line) into its headings, labels and runs (segment.py); only a reader that knows how to cut such
    runs should ask for it, since a run read as one number would be an invented figure.
    """
    out: Stream = []
    i = 0
    in_table = False  # the last heading seen opens one of the standard tables
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, Table):
            for row in block.rows:
                out.extend(Token(c, i, col=k) for k, c in enumerate(row))
                out.append(BREAK)
            i += 1
            continue
        if unglue and (segment.holds_tables(block) or (in_table and len(block) > 120
                                                       and segment.looks_like_table_text(block))):
            in_table = _segment_line(block, i, out, in_table)
            i += 1
            continue
        if "|" in block:
            j = i
            while j < len(blocks) and isinstance(blocks[j], str) and "|" in blocks[j] and not (
                    unglue and segment.holds_tables(blocks[j])):
                j += 1
            run = [b for b in blocks[i:j] if isinstance(b, str)]
            per_line = _is_cell_per_line(run)
            for k, line in enumerate(run):
                if _MD_SEPARATOR.match(line.strip()):
                    continue
                # One cell per line: a lone "|" is a printed blank cell, but a line of two or more
                # pipes is the crawler padding a short row out to the table width.
                if per_line and _PADDING.match(line):
                    continue
                out.extend(Token(c, i + k, col=-1 if per_line else n) for n, c in enumerate(pipe_cells(line)))
                if not per_line:
                    out.append(BREAK)
            if per_line:
                out.append(BREAK)
            i = j
            continue
        if unglue:
            for piece in segment.heading_pieces(block) if len(block) <= 120 else [block]:
                if segment.is_heading(piece):
                    in_table = segment.opens_table(piece)
        if "\t" in block.strip():
            out.extend(Token(c.strip(), i, col=k) for k, c in enumerate(block.strip().split("\t")))
            out.append(BREAK)
            i += 1
            continue
        cells, spaced = _line_cells(block)
        glued = split_glued(cells[0]) if unglue and len(cells) == 1 else None
        if glued is not None:
            out.extend((Token(glued[0], i), Token(glued[1], i, glued=True)))
        else:
            out.extend(Token(c, i, spaced=spaced and is_value_token(c)) for c in cells)
        out.append(BREAK)
        i += 1
    return out


def _segment_line(line: str, index: int, out: Stream, in_table: bool) -> bool:
    """A line holding whole tables: headings on their own, table text as labels and glued runs, prose as is."""
    for piece in segment.heading_pieces(line):
        if segment.is_heading(piece):
            in_table = segment.opens_table(piece)
            out.extend((Token(piece, index), BREAK))
        elif in_table and segment.looks_like_table_text(piece):
            for p in segment.table_pieces(piece):
                out.append(Token(p.text, index, glued=p.run))
                if p.run:
                    out.append(BREAK)
            out.append(BREAK)
        else:
            out.extend((Token(piece, index), BREAK))
    return in_table


def _line_cells(line: str) -> tuple[list[str], bool]:
    """A plain text line: a label followed by space-separated numbers is a row (PDF text).

    Returns the cells and whether they were cut at spaces (blank cells leave no trace there).
    """
    text = line.strip()
    if not text:
        return [], False
    gap_cells = [c.strip() for c in re.split(r"\s{2,}", text)]
    if len(gap_cells) > 1 and sum(is_value_token(c) for c in gap_cells[1:]) == len(gap_cells) - 1:
        return gap_cells, True
    m = _SPACED_ROW.match(text)
    if m and len(m.group("label")) <= 90:
        return [m.group("label").strip(), *m.group("values").split()], True
    if re.fullmatch(r"(?:[+\-]?\d[\d,.]*\s+)+[+\-]?\d[\d,.]*", text):
        return text.split(), True
    return [text], False


def split_glued(text: str) -> tuple[str, str] | None:
    """(label, digits) for a line that prints a label glued to its cells' digits (`规章000`).

    Only a short, label-like line qualifies (Chinese text, no sentence end), so prose is untouched.
    """
    line = text.strip()
    if len(line) > 120 or "。" in line:
        return None
    m = _GLUED.fullmatch(line)
    if m is None or not IDEOGRAPH.search(m.group("label")):
        return None
    return m.group("label").strip(), m.group("digits")
