"""Printed text of PDF and DOCX pages as a reader sees it: wrapped lines joined, footers dropped,
a table's rows of printed cells. Shared by the layout readers (pdf.py, docx.py)."""

from __future__ import annotations

import re

from ogi.text.cjk import CJK_CHAR
from ogi.text.cjk import WHITESPACE as _WS

_CJK_RE = CJK_CHAR
_BETWEEN_CJK = re.compile(f"(?<={_CJK_RE}){_WS}+(?={_CJK_RE})")
_ANY_WS = re.compile(f"{_WS}+")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")

# Page footers/headers printed by word processors: "— 4 —", "-4-", "第4页 共9页", "4/9".
_FOOTER_RES = (
    re.compile(r"^[-—–－―‐‑‒_~·•\s]*[-—–－―‐‑‒_~·•]\s*\d{1,4}\s*[-—–－―‐‑‒_~·•][-—–－―‐‑‒_~·•\s]*$"),
    re.compile(r"^第\s*\d{1,4}\s*页\s*[，,/／]?\s*(共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^共\s*\d{1,4}\s*页\s*[，,]?\s*第\s*\d{1,4}\s*页$"),
)
# Looser forms, trusted only outside tables: a cell "4/9" might be data.
_FOOTER_LOOSE_RES = (
    re.compile(r"^(?:page|p\.)\s*\d{1,4}(\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE),
    re.compile(r"^\d{1,4}\s*[/／]\s*\d{1,4}$"),
)
# Bare page numbers are footers only in the page margins: a table cell "4" is a value.
_BARE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")


def is_footer(line: str, in_table: bool = False) -> bool:
    """A page number line; bare digits are not matched (they may be table values)."""
    s = line.strip()
    if not s or len(s) > 24:
        return False
    res = _FOOTER_RES if in_table else _FOOTER_RES + _FOOTER_LOOSE_RES
    return any(r.match(s) for r in res)


def clean_text(text: str) -> str:
    """Printed text as a reader sees it: wrapped lines joined, no stray spaces inside Chinese.

    Spaces (and line breaks) are removed only between two Chinese characters or punctuation, so
    "本\\n年\\n度" becomes "本年度" while "申请 21 0 0" keeps the spaces that separate numbers.
    """
    text = _INVISIBLE.sub("", text)
    text = _BETWEEN_CJK.sub("", text)
    return _ANY_WS.sub(" ", text).strip()


def clean_cell(text: str | None) -> str:
    """A table cell's printed text with page footers dropped and wrapped lines joined."""
    if not text:
        return ""
    lines = [ln for ln in text.splitlines() if not is_footer(ln, in_table=True)]
    return clean_text("\n".join(lines))


_VALUE_CELL = re.compile(r"^[+\-−]?\d[\d,，.]*\s*%?\s*(?:万元|元|件|条)?$")


def printed_rows(grid_rows: list[list[tuple[int, str]]]) -> list[list[str]]:
    """Rows of (grid column, cleaned text) → rows of printed cells for `Table.rows`.

    An empty cell left of the first column that holds numbers is an unlabelled part of the
    row header (a label column the row does not use, or a label cut off by a page break): it
    carries no value and would read as a blank first value, so it is dropped. Empty cells among
    the value columns stay "" (blank is not 0). Rows with no text at all are dropped.
    """
    counts: dict[int, int] = {}
    for row in grid_rows:
        for col, text in row:
            if _VALUE_CELL.match(text):
                counts[col] = counts.get(col, 0) + 1
    value_cols = [col for col, n in counts.items() if n >= 2]
    first_value = min(value_cols) if value_cols else 0
    out: list[list[str]] = []
    for row in grid_rows:
        cells = [text for col, text in row if text or col >= first_value]
        if any(cells):
            out.append(cells)
    return out


