"""Facts printed in a report's own statistics table (统计表): rows such as 主动公开政府信息数, columns 本年度 / 历年累计.

Rows come from the same token stream as the standard tables, so an HTML table, pipe rows, spaced
rows and one cell per line read alike: a label starts a row, the printed numbers after it are its cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ogi.model import Block, Fact, Table
from ogi.parse.facts.vocabulary import unit_of
from ogi.parse.tables.tokens import Token, stream_of
from ogi.text.normalize import squash
from ogi.text.numbers import read_number

_PERCENT = re.compile(r"[+\-]?\d[\d,.]*%")
_UNITS = {"条", "件", "元", "万元", "个", "项", "次", "人", "人次", "宗", "起", "篇", "份"}
_HEADER_WORD = re.compile(r"(?:统计)?指标(?:名称)?|统计项目|项目|内容|类别|类型|名称|单位|计量单位|序号|备注")
_COL_CUMULATIVE = re.compile(r"(?:历年)?累计(?:数)?|历年(?:合计|总计)?")
_COL_YEAR = re.compile(r"本年度?(?:数)?|今年|当年|年度|本期|统计数|数量|数值|(?P<y>\d{4})年(?:度)?(?:数)?")
_COL_SKIP = re.compile(r"上年度?(?:数)?|去年|上期|同比(?:增减|增长)?|增减|增长(?:率)?|比上年.*|环比")
_LABEL_NOISE = re.compile(r"[（(][^）)]*[）)]|[:：]$")
_LABEL_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(]?[一二三四五六七八九十\d]+[)）、.．]|其中[:：]?|\s)+")
_TABLE_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((k, re.compile(p)) for k, p in (
    ("proactive_items", r"(?:本年度?|全年)?(?:共)?主动公开(?:的)?(?:政府|政务)?信息(?:总数|数量|条数|总量|数)?"),
    ("requests_received", r"(?:本年度?|全年)?(?:收到|受理|接收|接到)?(?:的)?(?:政府信息公开|依申请公开|信息公开)?(?:的)?"
                          r"申请(?:总数|数量|件数|总量|数)|依申请公开(?:政府信息)?(?:总数|数量|件数|数)"
                          r"|(?:收到|受理|接收|接到)(?:的)?依申请公开(?:政府)?信息(?:总数|数量|件数|数)"),
    ("requests_granted", r"(?:同意公开|予以公开|全部公开)(?:答复)?(?:的)?(?:申请)?(?:数|件数|数量)?"),
    ("requests_partially_granted", r"(?:同意部分公开|部分同意公开|部分公开)(?:答复)?(?:的)?(?:申请)?(?:数|件数|数量)?"),
    ("requests_denied", r"(?:不予公开|不同意公开|不予以公开)(?:答复)?(?:的)?(?:申请)?(?:数|件数|数量)?"),
    ("requests_completed_on_time", r"(?:按时|按期)(?:办结|答复)(?:数|件数|数量)?"),
    ("requests_completed_extended", r"延期(?:办结|答复)(?:数|件数|数量)?"),
    ("review_cases", r"(?:因)?(?:政府信息公开(?:申请)?(?:提起|引起|引发)?(?:的)?)?(?:申请)?行政复议(?:案件)?(?:数量|总数|件数|数)?"),
    ("litigation_cases", r"(?:因)?(?:政府信息公开(?:申请)?(?:提起|引起|引发)?(?:的)?)?(?:提起)?行政诉讼(?:案件)?(?:数量|总数|件数|数)?"),
    ("fees_charged", r"(?:依申请公开(?:政府信息|信息)?)?(?:收取(?:的)?费用|收费)(?:金额|数额|总额)?"),
))
_TABLE_OUTCOMES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((k, re.compile(p)) for k, p in (
    ("upheld", r"维持(?:原)?(?:具体)?(?:行政行为)?(?:或(?:者)?驳回原告诉讼请求)?(?:数|件数)?"),
    ("corrected", r"(?:被)?(?:依法)?纠错(?:数|件数)?"),
    ("other", r"其他(?:情形|结果)(?:数|件数)?"),
))


@dataclass
class _Row:
    """A label with the printed cells after it, as one statistics-table row."""

    label: str
    block: int
    values: list[str] = field(default_factory=list)
    unit: str | None = None


def _words(raw: str) -> list[str]:
    """Cells of a header printed as one text line ("统计指标  单位  本年度  历年累计")."""
    parts = [p for p in re.split(r"\s*\|\s*|\t|\s{2,}", raw.strip()) if p]
    if len(parts) == 1:
        parts = raw.split()
    return [squash(p) for p in parts if squash(p)]


def _column(word: str) -> tuple[str, int | None] | None:
    """What a header cell says about its column: (period, printed year); None for a non-period cell."""
    if _COL_SKIP.fullmatch(word):
        return ("skip", None)
    if _COL_CUMULATIVE.fullmatch(word):
        return ("cumulative", None)
    m = _COL_YEAR.fullmatch(word)
    if m:
        return ("year", int(m.group("y")) if m.group("y") else None)
    return None


def _header(tokens: list[Token]) -> list[str | None] | None:
    """Column periods when these tokens are a header row (统计指标 | 单位 | 本年度 | 历年累计), else None."""
    words = [squash(t.raw) for t in tokens] if len(tokens) > 1 else [w for t in tokens for w in _words(t.raw)]
    if len(words) < 2 or not all(_HEADER_WORD.fullmatch(w) or _column(w) for w in words):
        return None
    cols = [c for c in (_column(w) for w in words) if c is not None]
    if not any(p in ("year", "cumulative") for p, _ in cols):
        return None
    # Two printed years (2016年 | 2015年): the latest is the report's, the other a comparison.
    years = [y for p, y in cols if p == "year" and y is not None]
    latest = max(years) if years else None
    return [None if p == "skip" or (p == "year" and y is not None and y != latest) else p for p, y in cols]


def _header_run(line: list[Token]) -> tuple[int, int, list[str | None] | None]:
    """Where a header sits in a line of cells: a whole row, or the first cells of a one-cell-per-line run."""
    if _header(line) is not None:
        return 0, len(line), _header(line)
    ok = [bool(_HEADER_WORD.fullmatch(squash(t.raw)) or _column(squash(t.raw))) for t in line]
    k = 0
    while k < len(line):
        if not ok[k]:
            k += 1
            continue
        end = k
        while end < len(line) and ok[end]:
            end += 1
        head = _header(line[k:end]) if end - k >= 2 else None
        if head is not None:
            return k, end, head
        k = end
    return -1, -1, None


def _clean_label(label: str) -> tuple[str, str | None]:
    """The label's words without numbering, 其中 and notes in brackets; and a unit printed with it."""
    text = squash(label)
    unit = None
    m = re.search(r"[（(](条|件|元|万元|个|项)[)）]", text)
    if m:
        unit = m.group(1)
    parts = label.split()
    if len(parts) > 1 and squash(parts[-1]) in _UNITS:
        unit = squash(parts[-1])
        text = squash(" ".join(parts[:-1]))
    for _ in range(2):
        text = _LABEL_NOISE.sub("", _LABEL_PREFIX.sub("", text))
    return text, unit


def _table_rows(blocks: list[Block]) -> list[tuple[_Row | None, list[str | None] | None]]:
    """Every labelled row with the header columns in force for it; (None, None) where a table ends.

    Rows come from `stream_of`, so an HTML table, pipe rows, space-separated rows and one cell per
    line are all read the same way: a label starts a row, the printed numbers after it are its cells.
    """
    out: list[tuple[_Row | None, list[str | None] | None]] = []
    columns: list[str | None] | None = None
    row: _Row | None = None
    line: list[Token] = []

    def end_table() -> None:
        nonlocal row, columns
        if row is not None:
            out.append((row, columns))
        row, columns = None, None
        out.append((None, None))

    def end_line() -> None:
        nonlocal row, columns, line
        if row is not None and line and all(read_number(t.raw).kind != "text" for t in line) \
                and all(read_number(v).kind == "blank" for v in row.values):
            # a row of numbers printed under its label's row of empty cells (PDF-to-markdown): its cells,
            # without the empty cells that stand under the label and unit columns
            cells = [t.raw.strip() for t in line]
            want = len(columns) if columns else None
            while cells and cells[0] == "" and (want is None or len(cells) > want):
                cells.pop(0)
            row.values = cells
            line = []
            return
        start, stop, head = _header_run(line)
        for k, tok in enumerate(line):
            if k == start and head is not None:
                end_table()
                columns = head
            if start <= k < stop:
                continue
            raw = tok.raw.strip()
            text = squash(raw)
            if read_number(raw).kind != "text" or _PERCENT.fullmatch(text):
                if row is not None:
                    row.values.append(raw)
            elif text in _UNITS or re.fullmatch(r"[（(](?:条|件|元|万元)[)）]", text):
                if row is not None:
                    row.unit = text.strip("（()）")
            elif len(text) > 60 or "。" in text:  # a sentence: whatever table there was has ended
                end_table()
            elif row is not None and not row.values and re.fullmatch(r"[（(][^）)]*[）)]", text):
                row.label += raw  # a note printed under its label: （不同渠道和方式公开相同信息计1条）
            else:
                if row is not None:
                    out.append((row, columns))
                row = _Row(raw, tok.block)
        line = []

    last_block = -1
    for tok in stream_of(blocks):
        if tok is None:
            end_line()
            continue
        if tok.block != last_block and last_block >= 0 and (
                isinstance(blocks[tok.block], Table) or isinstance(blocks[last_block], Table)):
            end_line()
            end_table()
        last_block = tok.block
        line.append(tok)
    end_line()
    end_table()
    return out


def table_facts(blocks: list[Block], scope: str | None) -> tuple[list[Fact], set[int]]:
    """Facts from ad-hoc statistics tables, and the blocks they were read from (not read again as prose)."""
    facts: list[Fact] = []
    used: set[int] = set()
    proceeding: str | None = None
    for row, columns in _table_rows(blocks):
        if row is None:
            proceeding = None
            continue
        label, label_unit = _clean_label(row.label)
        key = next((k for k, pat in _TABLE_LABELS if pat.fullmatch(label)), None)
        if key in ("review_cases", "litigation_cases"):
            proceeding = key.split("_")[0]
        elif key is None and proceeding is not None:
            outcome = next((o for o, pat in _TABLE_OUTCOMES if pat.fullmatch(label)), None)
            key = f"{proceeding}_{outcome}" if outcome else None
            if outcome is None:
                proceeding = None
        else:
            proceeding = None
        if key is None or not row.values:
            continue
        periods = _periods(columns, len(row.values))
        if periods is None:
            continue
        evidence = " | ".join([row.label, *([row.unit] if row.unit else []), *row.values])
        for raw, period in zip(row.values, periods, strict=True):
            printed = read_number(raw)
            if period is None or printed.value is None:
                continue
            unit = unit_of(key, printed.unit or row.unit or label_unit)
            facts.append(Fact(key, printed.value, evidence, unit=unit, period=period, scope=scope))
            used.add(row.block)
    return facts, used


def _periods(columns: list[str | None] | None, count: int) -> list[str | None] | None:
    """The period of each printed value; None when the cells cannot be placed under the header."""
    if columns is None:
        return ["year"] if count == 1 else None
    if count == len(columns):
        return list(columns)
    return None
