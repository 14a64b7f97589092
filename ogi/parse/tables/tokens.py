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
from ogi.text.numbers import is_value_token, read_number

BREAK = None  # row end marker in a token stream


@dataclass(frozen=True)
class Token:
    """One printed cell (or a label, or a run of digits) in reading order.

    `col` is the cell's index in its printed row where the rendering has cell structure (HTML and
    DOCX tables, pipe and tab rows), -1 where it has none. `spaced` marks cells cut from a text line
    at spaces (PDF text): there a blank cell leaves no trace, so a short row does not say which
    cells are blank. `cell_line` marks a rendering with one cell per line (crawlers): rows have no
    ends, and a row shorter than the table collapsed its blank cells somewhere.
    """

    raw: str
    block: int  # index of the block it came from, for evidence
    glued: bool = False  # digits printed glued to the label before them (`规章000`): cells run together
    col: int = -1
    spaced: bool = False
    cell_line: bool = False  # one printed cell per line: no row ends, and a label's wrapped tail is a cell of its own


Stream = list[Token | None]

# A label glued to its trailing digits: the label ends in a character no number starts or ends with.
_GLUED = re.compile(r"(?P<label>.*[^\s\d+\-.,，、．:：%])(?P<digits>[+\-]?\d+(?:[+\-]\d+)*)")
_PADDING = re.compile(r"^\s*\|(\s*\|)+\s*$")
# A page footer printed among a table's lines: a page number between dashes or dots, or 第 N 页 (共 M 页).
PAGE_FOOTER = re.compile(r"[-—–·•]+\s*\d{1,3}\s*[-—–·•]+|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
                         r"|\d{1,3}\s*/\s*\d{1,3}")
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
    runs = _cell_line_runs(blocks)
    while i < len(blocks):
        block = blocks[i]
        if i in runs:
            end, alternating = runs[i]
            out.extend(_cell_line_tokens(blocks, i, end, alternating))
            out.append(BREAK)
            i = end
            continue
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
                out.extend(Token(c, i + k, col=-1 if per_line else n, cell_line=per_line)
                           for n, c in enumerate(pipe_cells(line)))
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
        if "\t" in block.strip(" ") and "\t" in block:
            out.extend(Token(c.strip(), i, col=k) for k, c in enumerate(block.strip(" ").split("\t")))
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


_LONE_PIPES = re.compile(r"^\s*\|+\s*$")
_CELL_RUN_MIN_LINES = 10
_CELL_RUN_MIN_ADJACENT = 3  # numbers printed on lines of their own, next to each other


def _single_cell(line: str) -> bool:
    """A line that is one table cell: a lone number, or a short label with no numbers after it."""
    text = line.strip()
    if not text or "|" in text or len(text) > 90 or "。" in text:
        return False
    cells, _ = _line_cells(text)
    return len(cells) == 1


def _cell_line_runs(blocks: list[Block]) -> dict[int, tuple[int, bool]]:
    """Stretches of lines that print one table cell each (no pipes, or lone `|` lines between cells).

    Returns {first block: (block after the last, cells separated by lone `|` lines)}. A stretch counts
    only when numbers stand on lines of their own next to each other, which PDF text never does.
    """
    runs: dict[int, tuple[int, bool]] = {}
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and isinstance(blocks[j], str) and (
                _LONE_PIPES.match(blocks[j]) or _single_cell(blocks[j])):  # type: ignore[arg-type]
            j += 1
        lines = [b for b in blocks[i:j] if isinstance(b, str)]
        contents = [ln for ln in lines if not _LONE_PIPES.match(ln)]
        numbers = [is_value_token(ln) and bool(ln.strip()) for ln in contents]
        adjacent = sum(1 for a, b in zip(numbers, numbers[1:], strict=False) if a and b)
        if len(lines) >= _CELL_RUN_MIN_LINES and adjacent >= _CELL_RUN_MIN_ADJACENT:
            pipes = len(lines) - len(contents)
            runs[i] = (j, pipes >= 0.3 * len(lines))
        i = max(j, i + 1)
    return runs


def _cell_line_tokens(blocks: list[Block], start: int, end: int, alternating: bool) -> list[Token]:
    """One token per printed cell; with lone `|` lines between cells, the lines between two are one cell."""
    if not alternating:
        return [Token(b.strip(), k, cell_line=True) for k, b in enumerate(blocks[start:end], start)
                if isinstance(b, str)]
    tokens: list[Token] = []
    cell: list[str] = []
    at = start
    for k in range(start, end):
        line = blocks[k]
        assert isinstance(line, str)
        if _LONE_PIPES.match(line):
            for _ in range(line.count("|")):
                tokens.append(Token("".join(cell), at, cell_line=True))
                cell = []
                at = k
            continue
        if not cell:
            at = k
        cell.append(line.strip())
    if cell:
        tokens.append(Token("".join(cell), at, cell_line=True))
    # the separator right after a cell is its end, not a blank cell: only empty stretches between two are blanks
    out: list[Token] = []
    previous_text = False
    for t in tokens:
        if t.raw == "" and previous_text:
            previous_text = False
            continue
        out.append(t)
        previous_text = t.raw != ""
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
    if PAGE_FOOTER.fullmatch(text):
        return [text], False  # — 4 —, 第 4 页: a page footer, not a row of numbers
    parts = text.split()
    k = len(parts)
    while k > 0 and read_number(parts[k - 1]).kind in ("number", "placeholder"):
        k -= 1
    values = parts[k:]
    if values and any(read_number(v).kind == "number" for v in values):
        if k == 0:
            return values, True
        label = " ".join(parts[:k])
        if len(label) <= 90 and not label[-1].isdigit():  # a label that ends in a digit may be one number cut in two
            return [label, *values], True
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
