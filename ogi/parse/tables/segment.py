"""A line that holds whole tables (crawler text, one page on one line) → its labels and runs of digits.

Some crawlers save a page as one long line and drop every cell boundary, so a table arrives as
`…规章000行政规范性文件77132470第二十条第（五）项信息内容本年处理决定数量行政许可2629…`. Read by
the template, such a line is still a sequence of labels and numbers:

1. the line is cut at the standard section headings (二、主动公开政府信息情况 … 五、存在的主要问题…),
   so prose outside the tables is never cut into figures;
2. inside a table section it is cut into text and runs of digits; a run followed by `.`/`、` and
   text ends with the next row's label number (`…信息4910000502.没有…` is the run `491000050` and
   the label `2.没有…`), so that digit goes back to its label;
3. text is cut where a table label starts (numbering such as 一、 （一） 1., 第二十条, 信息内容, the
   active table's item names), so a header never swallows the row label after it.

A run is handed on as one `glued` token (its spaces kept: a space may mark a cell boundary): only
the table reader, which knows the row's column count and identities, may cut it into cells.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Headings that open or close the standard tables, as printed inside running text.
_HEADING = re.compile(
    r"(?:[一二三四五六七八九十]+[、.．]\s*)"
    r"(?:主动公开政府信息(?:的)?情况|收到和处理政府信息公开申请(?:的)?情况|"
    r"政府信息公开行政.{0,2}复议\s*[、和及与]?\s*行政诉讼(?:的)?情况|存在的?主要问题(?:及|和)?改进情况|"
    r"其他需要报告的事项)"
)
_TABLE_SECTIONS = ("主动公开政府信息", "收到和处理政府信息公开申请", "复议")
# A run of printed numbers: digits with signs, decimal points and thousands commas, and the single
# spaces some crawlers leave between cells.
_NUM = r"[+\-]?\d+(?:[.,]\d+)*(?:[+\-]\d+(?:[.,]\d+)*)*"
# Digits in brackets are a label's numbering (（1）属于国家秘密), not a printed value.
_RUN = re.compile(rf"(?<![（(\d]){_NUM}(?:[ \u00a0\u3000]+{_NUM})*(?![）)])")
_NUMBERING_AFTER = re.compile(r"^[.、．](?=\D)")
# Where a table label starts inside a run of text.
_LABEL_START = re.compile(
    r"(?=[一二三四五六七八九十][、.．](?!\d))|(?<!第)(?=[（(](?:[一二三四五六七八九十]|\d{1,2})[）)])|(?=(?<![\d.])\d[.、．](?!\d))"
    r"|(?=第二十条)|(?=信息内容)"
)
_ITEM = re.compile(r"(行政规范性文件|(?<!行政)规范性文件|规章|行政许可|其他对外管理服务事项|行政处罚|行政强制|行政事业性收费|政府集中采购)$")
# Text that states prose, not a table cell: a sentence end.
_PROSE = re.compile(r"[。！？]")


@dataclass(frozen=True)
class Piece:
    """A cut of a line: text, or a run of printed digits (`run`)."""

    text: str
    run: bool = False


def heading_pieces(line: str) -> list[str]:
    """The line cut before and after every standard section heading it contains."""
    out: list[str] = []
    pos = 0
    for m in _HEADING.finditer(line):
        if m.start() > pos:
            out.append(line[pos:m.start()])
        out.append(m.group(0))
        pos = m.end()
    if pos < len(line):
        out.append(line[pos:])
    return [p for p in (s.strip() for s in out) if p]


def is_heading(piece: str) -> bool:
    return _HEADING.fullmatch(piece.strip()) is not None


def opens_table(heading: str) -> bool:
    """Does this heading open one of the three standard tables (rather than close them)?"""
    return any(word in heading for word in _TABLE_SECTIONS)


def holds_tables(line: str) -> bool:
    """A long line that runs standard tables together: two of their headings and runs of digits."""
    return len(line) > 200 and sum(1 for m in _HEADING.finditer(line) if opens_table(m.group(0))) >= 2


def _cut_text(text: str) -> list[str]:
    """Text between runs, cut where a table label starts; the item name that labels the next run is its own piece."""
    parts = [p.strip() for p in _LABEL_START.split(text) if p and p.strip()]
    out: list[str] = []
    for part in parts:
        m = _ITEM.search(part)
        if m and m.start() > 0 and not _PROSE.search(part):
            out += [part[:m.start()], part[m.start():]]
        else:
            out.append(part)
    return [p.strip() for p in out if p.strip()]


def table_pieces(text: str) -> list[Piece]:
    """A stretch of table text cut into label texts and runs of digits."""
    pieces: list[Piece] = []
    pos = 0
    carry = ""  # a label number taken off the end of the run before it
    for m in _RUN.finditer(text):
        run = m.group(0).strip()
        before = carry + text[pos:m.start()]
        carry = ""
        after = text[m.end():]
        if _NUMBERING_AFTER.match(after) and run[-1].isdigit():
            carry = run[-1]
            run = run[:-1].rstrip()
        if before.strip():
            pieces += [Piece(p) for p in _cut_text(before)]
        if run:
            pieces.append(Piece(run, run=True))
        pos = m.end()
    rest = carry + text[pos:]
    if rest.strip():
        pieces += [Piece(p) for p in _cut_text(rest)]
    return pieces


def looks_like_table_text(text: str) -> bool:
    """Text that reads as table rows glued together rather than prose: no sentence end, digits after labels."""
    return not _PROSE.search(text) and bool(_RUN.search(text)) and bool(re.search(r"[\u4e00-\u9fff]", text))


def run_parts(raw: str) -> list[str]:
    """The space-separated parts of a run (one part when it has no spaces), NFKC-normalised."""
    return unicodedata.normalize("NFKC", raw).split()
