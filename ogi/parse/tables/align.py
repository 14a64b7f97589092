"""A table section's tokens → its row labels, each with the printed cells that belong to it.

Every rendering of a standard table is a sequence of labels and numbers. Which numbers belong to
which label follows from the structure the rendering kept, and from nothing else:

- numbers printed in the same row as a label (or after it, where a rendering keeps no row ends) are
  that label's cells;
- numbers in the same row as the wrapped tail of a label (`只计这一情形，不计其他情形） 19 1 0 …`) are
  the cells of the label it continues; a label wrapped mid-word (`（二）部分公` / `开（区分…）`) is
  read as one label;
- a row of numbers with no text of its own is the row of the one label waiting for cells just
  before it, or replaces the empty cells of a label row printed just before it; a block of k such
  rows after k waiting labels pairs up in order; anything else is left for the template order to
  place, or left unplaced;
- column headers printed again inside a table (a page break) and page footers are skipped, so their
  总计 / 其他 never open a row.

No number is moved by similarity or guess: a value group that cannot be given to a label by these
rules is returned as an orphan, which the reader places only by the template's row order, or
reports unplaced.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ogi.parse.tables.tokens import PAGE_FOOTER, Stream, Token
from ogi.text.normalize import squash
from ogi.text.numbers import Printed, read_number

# Column header words of the requests table (and their wrapped halves).
_HEADER_WORDS = frozenset({
    "申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计",
    "商业", "企业", "科研", "机构", "社会公益", "组织", "法律服务", "法人或其他", "申请人", "情况",
})
def is_footer(raw: str) -> bool:
    """A page footer printed inside a table (— 4 —, 第 4 页, 4/10); a bare number is not one."""
    return bool(PAGE_FOOTER.fullmatch(raw.strip()))


# Header cells of the other two tables, and placeholder headers of PDF converters (项目 | 数据1 …).
_OTHER_HEADERS = re.compile(r"^(?:结果维持|结果纠正|其他结果|尚未审结|行政复议|行政诉讼|未经复议直接起诉|复议后起诉|信息内容|项目|"
                            r"数据\d{1,2}|列\d{1,2}|本年制发件数|本年废止件数|现行有效件数|本年处理决定数量|本年收费金额.*)$")


def _is_header_word(raw: str) -> bool:
    text = squash(raw)
    return (text in _HEADER_WORDS or text.startswith("(本列数据") or "勾稽关系" in text
            or bool(_OTHER_HEADERS.match(text)))


_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．])")


@dataclass
class Group:
    """Printed cells that stand together: the numbers of one printed row, or one run of digits."""

    tokens: list[Token]
    start: int  # stream index of the first token
    end: int  # stream index after the last token
    detached: bool  # printed in a row of its own (no text before it in its row)
    line: int = 0  # how many row ends come before it
    beside_text: bool = False  # an orphan printed beside a text of its own (an unknown label): never placed by order

    @functools.cached_property
    def values(self) -> list[Printed]:
        return [read_number(t.raw) for t in self.tokens]

    @property
    def run(self) -> bool:
        return len(self.tokens) == 1 and self.tokens[0].glued

    @property
    def spaced(self) -> bool:
        return any(t.spaced for t in self.tokens)

    @property
    def cell_line(self) -> bool:
        return any(t.cell_line for t in self.tokens)

    @property
    def all_blank(self) -> bool:
        return not self.run and all(p.kind in ("blank", "placeholder") for p in self.values)

    @property
    def has_numbers(self) -> bool:
        return self.run or any(p.kind == "number" for p in self.values)

    def from_col(self, col: int) -> Group:
        """The group without its leading empty cells left of `col` (label columns of a row of numbers)."""
        k = 0
        while k < len(self.tokens) and 0 <= self.tokens[k].col < col and read_number(self.tokens[k].raw).kind == "blank":
            k += 1
        return Group(self.tokens[k:], self.start, self.end, self.detached, self.line, self.beside_text) if k else self


@dataclass
class Row:
    """A row label found in the stream, with the value groups given to it."""

    key: str
    index: int  # stream index of its (first) label token
    text: str
    col: int  # cell index of the label in its printed row, -1 if unknown
    groups: list[Group] = field(default_factory=list)
    line: int = 0  # how many row ends come before its label
    by_order: bool = False  # its cells came to it by the row order of a block, not by a shared row
    unsettled: bool = False  # it waited for a row of numbers that could not be told apart from others

    @property
    def group(self) -> Group | None:
        """The group holding its cells: the one with numbers, else one printing placeholders (-, 无), else blanks."""
        for test in (lambda g: g.has_numbers, lambda g: not all(p.kind == "blank" for p in g.values)):
            found = [g for g in self.groups if test(g)]
            if found:
                return found[0]
        return self.groups[0] if self.groups else None


@dataclass
class Aligned:
    rows: list[Row]
    orphans: list[tuple[Group, int, int]]  # a group with no label: (group, index of the row before, index of the row after)
    duplicates: list[Row]  # a row label printed again after its row was read: kept out


# A classifier: (raw text, the group label in force) → (kind "row" / "group", key, the group in force after it),
# or None for text that is no label.
Classify = Callable[[str, str | None], tuple[str, str, str | None] | None]


@dataclass
class _Text:
    index: int
    raw: str
    col: int
    kind: str  # row | group | cont (text that is no label) | tail (the rest of a wrapped label) | header
    key: str | None = None
    line: int = 0
    cell_line: bool = False  # a cell of its own on a line of its own: never a wrapped label's tail


def _items(stream: Stream, classify: Classify, group_rows: dict[str, str], group_rows_always: bool,
           is_header: Callable[[str], bool] | None) -> list[_Text | Group]:
    """Texts (classified) and value groups in stream order; wrapped labels joined."""
    raw_items: list[_Text | Group] = []
    i = 0
    row_has_text = False
    line = 0
    while i < len(stream):
        tok = stream[i]
        if tok is None:
            row_has_text = False
            line += 1
            i += 1
            continue
        if tok.glued or read_number(tok.raw).kind != "text":
            j = i
            toks: list[Token] = []
            while j < len(stream) and stream[j] is not None and (stream[j].glued or read_number(stream[j].raw).kind != "text"):
                toks.append(stream[j])
                j += 1
                if toks[-1].glued:
                    break
            raw_items.append(Group(toks, i, j, detached=not row_has_text, line=line))
            i = j
            continue
        row_has_text = True
        raw_items.append(_Text(i, tok.raw, tok.col, "cont", line=line, cell_line=tok.cell_line))
        i += 1
    texts = [t for t in raw_items if isinstance(t, _Text)]
    # Header words printed next to each other are a header row, wherever it is repeated.
    for k, t in enumerate(texts):
        if is_footer(t.raw) or (is_header is not None and is_header(t.raw)):
            t.kind = "header"
            continue
        if _is_header_word(t.raw):
            near = [texts[k + d] for d in (-1, 1) if 0 <= k + d < len(texts) and abs(texts[k + d].index - t.index) <= 2]
            if any(_is_header_word(n.raw) for n in near) or squash(t.raw) not in ("其他", "总计"):
                t.kind = "header"
    after = {id(x): raw_items[n + 1] if n + 1 < len(raw_items) else None for n, x in enumerate(raw_items)}
    group: str | None = None
    k = 0
    while k < len(texts):
        t = texts[k]
        if t.kind in ("header", "tail"):
            k += 1
            continue
        found = classify(t.raw, group)
        nxt = texts[k + 1] if k + 1 < len(texts) else None
        if found is None and nxt is not None and nxt.kind == "cont" and nxt.index - t.index <= 12 \
                and not _NUMBERED.match(squash(nxt.raw)) and not (t.cell_line and nxt.cell_line):
            # A label wrapped mid-word: a fragment that is nothing alone, and the rest of it — nothing
            # alone either, or carrying the label's key word after a numbered start (6.属于四 / 类过程性信息).
            # A numbered text starts a label of its own, so it is never the rest of another.
            joined = classify(t.raw + nxt.raw, group)
            tail = classify(nxt.raw, group)
            numbered = bool(_NUMBERED.match(squash(t.raw)))
            if joined is not None and joined[0] == "row" and (tail is None or (numbered and tail[:2] == joined[:2])):
                found = joined
                t.raw += nxt.raw
                nxt.kind = "tail"
        if found is not None:
            kind, key, group = found
            follower = after[id(t)]
            if kind == "group" and key in group_rows and (group_rows_always or (
                    isinstance(follower, Group) and not follower.detached and follower.has_numbers)):
                kind, key = "row", group_rows[key]  # 2019: (六)其他处理 is one row with numbers
            t.kind, t.key = kind, key
        k += 1
    return raw_items


def align(stream: Stream, classify: Classify, group_rows: dict[str, str] | None = None,
          is_header: Callable[[str], bool] | None = None, group_rows_always: bool = False) -> Aligned:
    """Row labels with their value groups, orphan groups, and repeated labels (see the module doc).

    `group_rows` names group labels that are a row of their own when numbers follow them in their row
    (always, with `group_rows_always`: the format says so); `is_header` says which other texts are the
    table's headers (never a label's continuation).
    """
    items = _items(stream, classify, group_rows or {}, group_rows_always, is_header)
    rows: list[Row] = []
    duplicates: list[Row] = []
    seen: set[str] = set()
    pending: list[Row] = []
    orphans: list[tuple[Group, int]] = []  # (group, number of rows before it)
    owner: Row | None = None  # the row whose cells the current printed row may hold
    last_text: _Text | None = None
    k = 0
    while k < len(items):
        item = items[k]
        if isinstance(item, _Text):
            if item.kind == "header":
                last_text = None  # cells beside a repeated header or a footer are no row's
                k += 1
                continue
            last_text = item
            if item.kind == "row" and item.key is not None:
                if rows and rows[-1].key == item.key and owner is rows[-1]:
                    k += 1  # the wrapped tail of the same label (补正后申请内 / 容仍不明确)
                    continue
                row = Row(item.key, item.index, item.raw, item.col, line=item.line)
                if item.key in seen:
                    duplicates.append(row)
                    owner = row
                else:
                    seen.add(item.key)
                    rows.append(row)
                    pending.append(row)
                    owner = row
            k += 1
            continue
        g = item
        if not g.detached and last_text is not None and owner is not None and (
                last_text.kind == "row" or (last_text.kind in ("cont", "tail") and g.line - owner.line <= 2
                                            and (last_text.kind == "tail" or (not _NUMBERED.match(squash(last_text.raw))
                                                                              and not last_text.cell_line)))):
            # cells in the row of a label, or of a wrapped label's tail; an unknown numbered label's are no one's
            if not _give(owner, g, pending) and g.has_numbers:
                g.beside_text = True
                orphans.append((g, len(rows)))
            k += 1
            continue
        if not g.detached:
            if g.has_numbers:
                g.beside_text = True
                orphans.append((g, len(rows)))
            k += 1
            continue
        # A row of numbers with no text of its own.
        if not g.has_numbers:
            k += 1
            continue
        if pending:
            # the block: this row of numbers and the rows of cells right after it (a printed-blank one too)
            block = [g]
            m = k + 1
            while m < len(items) and isinstance(items[m], Group) and items[m].detached:
                block.append(items[m])  # type: ignore[arg-type]
                m += 1
            while len(block) > 1 and not block[-1].has_numbers:
                block.pop()
                m -= 1
            if len(block) == len(pending):
                for row, grp in zip(list(pending), block, strict=True):
                    _give(row, grp.from_col(row.col + 1), pending, replace=True)
                    row.by_order = len(block) > 1
                k = m
                continue
            if len(pending) == 1 and len(block) == 1:
                _give(pending[0], g.from_col(pending[0].col + 1), pending, replace=True)
                k += 1
                continue
            # k waiting labels and m rows of numbers: which is whose is not printed, and the blank
            # cells printed beside the waiting labels may be no more than where their numbers were not
            orphans += [(x, len(rows)) for x in block if x.has_numbers]
            for row in pending:
                row.unsettled = True
            k = m
            continue
        orphans.append((g, len(rows)))
        k += 1
    placed = [(g, at) for g, at in orphans]
    return Aligned(rows=rows, orphans=[(g, at - 1, at) for g, at in placed], duplicates=duplicates)


def _give(row: Row, g: Group, pending: list[Row], replace: bool = False) -> bool:
    """`g` holds `row`'s cells; labels that waited before it printed none of their own.

    False when the row already has numbers and `g` brings others: the row is not read twice.
    """
    if replace:
        row.groups = [g]
    elif row.groups and g.all_blank and any(x.has_numbers for x in row.groups):
        return True  # the empty cells beside a wrapped label's tail
    elif row.groups and all(x.all_blank for x in row.groups) and g.has_numbers:
        row.groups = [g]
    elif row.groups and g.has_numbers:
        return False
    else:
        row.groups.append(g)
    if g.has_numbers and row in pending:
        del pending[:pending.index(row) + 1]
    return True
