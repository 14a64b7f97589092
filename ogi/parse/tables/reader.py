"""Token stream → canonical cells of the three standard tables, with findings.

Label-driven: a row is found by what its label means (labels.py), its numbers are the printed
cells that follow it, in column order. Nothing is invented: a position no printed cell fills is
left out (raw None) and a finding says so; a printed blank stays blank (raw "", value None).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from ogi.model import Block, Cell, Finding
from ogi.parse.tables import labels, runtogether
from ogi.parse.tables.tokens import Stream, Token, stream_of
from ogi.reference import keys
from ogi.text.normalize import squash
from ogi.text.numbers import Printed, read_number, to_yuan

_FORMAT_MARKERS = {
    "2021": ("制发件数", "废止件数", "现行有效件数", "本年收费金额", "不补正", "缴纳费用", "收费通知"),
    "2019": ("新制作数量", "新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量", "其他对外管理服务事项"),
}


@dataclass
class TableRead:
    """What the reader found: the format, the cells, and findings about the source."""

    format: str | None
    cells: list[Cell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def detect_format(stream: Stream) -> str | None:
    """2021 or 2019 from the content (headers, rows), not from the year; None without tables."""
    text = "".join(squash(t.raw) for t in stream if t is not None and len(t.raw) <= 90)
    scores = {fmt: sum(text.count(m) for m in markers) for fmt, markers in _FORMAT_MARKERS.items()}
    if scores["2021"] == scores["2019"] == 0:
        return None
    return "2021" if scores["2021"] >= scores["2019"] else "2019"


def _split_sections(stream: Stream) -> dict[str, Stream]:
    """Tokens of each table, cut at the headings and anchor cells that open them."""
    sections: dict[str, Stream] = {}
    current: str | None = None
    for tok in stream:
        if tok is not None:
            sec = labels.section_of(tok.raw)
            if sec == "end":
                current = None
                continue
            if sec is not None:
                current = sec
        if current is not None:
            sections.setdefault(current, []).append(tok)
    return sections


def _is_value(tok: Token | None) -> bool:
    return tok is not None and read_number(tok.raw).kind != "text"


def _is_continuation(raw: str) -> bool:
    """The wrapped tail of a label (PDF text): short text that is no label of its own."""
    text = squash(raw)
    return (0 < len(text) <= 30 and labels.request_label(raw, labels.GROUP_RESULTS) is None
            and labels.active_item(raw) is None and labels.section_of(raw) is None)


def _take_values(stream: Stream, start: int, count: int) -> tuple[list[Printed], int, bool]:
    """Up to `count` printed cells from `start`; stops at a label, or at a row end once a value was read.

    Before the first value, up to two wrapped-label fragments are passed over (a label wrapped onto
    the next line, with or without the numbers on it). Returns the values, the index after them,
    and whether the row ended before `count` cells.
    """
    values: list[Printed] = []
    i = start
    skipped = 0
    while i < len(stream) and len(values) < count:
        tok = stream[i]
        if tok is None:
            if values:
                return values, i, True
            i += 1
            continue
        p = read_number(tok.raw)
        if p.kind == "text":
            if not values and skipped < 2 and _is_continuation(tok.raw):
                skipped += 1
                i += 1
                continue
            return values, i, True
        values.append(p)
        i += 1
    return values, i, len(values) < count


# A printed row that stops short shows its missing trailing cells as blank (report-tables.md:
# "fills from the left and leaves the rest blank"); a finding records that the row was short.
_SHORT_FILL = Printed(raw="", value=None, kind="blank")


def _evidence(stream: Stream, start: int, end: int) -> str:
    return " | ".join(t.raw for t in stream[start:end] if t is not None)[:300]


def _count_cell(table: str, row: str, col: str, p: Printed | None) -> Cell:
    if p is None:
        return Cell(table, row, col, value=None, raw=None)
    return Cell(table, row, col, value=p.value, raw=p.raw, unit=p.unit if p.unit not in (None, "元", "万元") else None)


def _short_row_findings(table: str, row: str, values: list[Printed], count: int, ended: bool, evidence: str) -> list[Finding]:
    found = []
    if ended and len(values) < count:
        found.append(
            Finding("short_row", "warn", f"row {row} prints {len(values)} of {count} cells; the rest are left blank",
                    table=table, row=row, evidence=evidence)
        )
    else:
        trailing = 0
        for p in reversed(values):
            if p.kind != "blank":
                break
            trailing += 1
        if 0 < trailing < len(values) and any(p.kind == "number" for p in values):
            found.append(
                Finding("short_row", "warn",
                        f"row {row} prints {len(values) - trailing} values and leaves the last {trailing} cell(s) blank",
                        table=table, row=row, evidence=evidence)
            )
    return found


def read_requests(stream: Stream) -> tuple[list[Cell], list[Finding]]:
    cells: list[Cell] = []
    findings: list[Finding] = []
    seen: set[str] = set()
    runs: list[runtogether.PendingRow] = []
    group: str | None = None
    ncol = len(keys.REQUEST_COLS)
    i = 0
    while i < len(stream):
        tok = stream[i]
        if tok is None:
            i += 1
            continue
        key = labels.request_label(tok.raw, group)
        if key is None:
            i += 1
            continue
        nxt = i + 1
        while nxt < len(stream) and stream[nxt] is None:
            nxt += 1
        if key == labels.GROUP_OTHER and nxt < len(stream) and _is_value(stream[nxt]):
            key = "other"  # 2019: (六)其他处理 is a single row with numbers
        if key.startswith("group:"):
            group = key
            i += 1
            continue
        if key in ("total_processed", "carried_forward"):
            group = None
        group = labels.ROW_GROUP.get(key, group)
        run = runtogether.run_at(stream, i + 1, ncol, _is_continuation)
        if run is not None and key not in seen:  # cells run together: split once all rows are known
            seen.add(key)
            runs.append(runtogether.PendingRow(key, len(cells), run.text))
            i = run.end
            continue
        values, end, ended = _take_values(stream, i + 1, ncol)
        evidence = _evidence(stream, i, end)
        if not values:
            findings.append(Finding("unplaced_value", "warn", f"row {key}: label printed without numbers",
                                    table="requests", row=key, evidence=evidence))
            i += 1
            continue
        if key in seen:
            findings.append(Finding("duplicate_row", "warn", f"row {key} printed again; the first one is kept",
                                    table="requests", row=key, evidence=evidence))
            i = end
            continue
        seen.add(key)
        for col, p in zip(keys.REQUEST_COLS, values + [_SHORT_FILL] * (ncol - len(values)), strict=True):
            cells.append(_count_cell("requests", key, col, p))
        findings.extend(_short_row_findings("requests", key, values, ncol, ended, evidence))
        i = end
    if runs:
        cells, split_findings = runtogether.place_request_runs(cells, runs)
        findings.extend(split_findings)
    return cells, findings


def read_active(stream: Stream, fmt: str | None) -> tuple[list[Cell], list[Finding]]:
    cells: list[Cell] = []
    findings: list[Finding] = []
    measures: list[tuple[str, str | None]] | None = None
    seen: set[str] = set()
    i = 0
    while i < len(stream):
        tok = stream[i]
        if tok is None:
            i += 1
            continue
        one_line = labels.active_header_cells(tok.raw) or runtogether.header_cells(tok.raw)
        if one_line is not None:
            found = [m for m in (labels.active_measure(c) for c in one_line) if m is not None]
            if found:
                measures = found
            i += 1
            continue
        if labels.is_active_header_start(tok.raw):
            measures = []
            j = i + 1
            while j < len(stream):
                t = stream[j]
                if t is None or t.raw.strip() == "":
                    j += 1
                    continue
                m = labels.active_measure(t.raw)
                if m is None:
                    break
                measures.append(m)
                j += 1
            i = j
            continue
        item = labels.active_item(tok.raw)
        if item is None:
            i += 1
            continue
        template = keys.TEMPLATE_MEASURES.get(fmt or "", {}).get(item)
        row_measures = measures if measures else [(m, None) for m in (template or ())]
        if not row_measures:
            findings.append(Finding("unplaced_value", "warn", f"item {item}: no header says what its numbers measure",
                                    table="active", row=item, evidence=tok.raw))
            i += 1
            continue
        run = runtogether.run_at(stream, i + 1, len(row_measures), _is_continuation)
        if run is not None and item not in seen:
            seen.add(item)
            parts, split_findings = runtogether.split_active(item, [m for m, _ in row_measures], run.text)
            findings.extend(split_findings)
            for (measure, header_unit), p in zip(row_measures, parts or [], strict=False):
                cells.append(replace(_active_cell(item, measure, header_unit, p, fmt), placement="inferred"))
            i = run.end
            continue
        values, end, ended = _take_values(stream, i + 1, len(row_measures))
        evidence = _evidence(stream, i, end)
        if item in seen:
            i = max(end, i + 1)
            continue
        seen.add(item)
        padded: list[Printed | None] = [*values, *([_SHORT_FILL] * (len(row_measures) - len(values)))]
        for (measure, header_unit), p in zip(row_measures, padded, strict=True):
            cells.append(_active_cell(item, measure, header_unit, p, fmt))
        findings.extend(_short_row_findings("active", item, values, len(row_measures), ended, evidence))
        i = max(end, i + 1)
    return cells, findings


def _active_cell(item: str, measure: str, header_unit: str | None, p: Printed | None, fmt: str | None) -> Cell:
    if p is None:
        return Cell("active", item, measure, value=None, raw=None)
    if measure not in keys.MONEY_MEASURES:
        return _count_cell("active", item, measure, p)
    if p.unit in ("元", "万元", "亿元", "万"):
        unit, source = p.unit, "printed"
    elif header_unit:
        unit, source = header_unit, "printed"
    elif measure in keys.TEMPLATE_MONEY_UNIT and fmt == "2021":
        unit, source = keys.TEMPLATE_MONEY_UNIT[measure], "template"
    else:
        unit, source = None, None
    value: Decimal | None = p.value
    if value is not None and unit is not None:
        value = to_yuan(value, unit)
    return Cell("active", item, measure, value=value, raw=p.raw, unit=unit, unit_source=source)


def _value_row(stream: Stream, n: int) -> tuple[int, int] | None:
    """A printed row of at least n cells that are all numbers or blanks (with a number among them)."""
    start = 0
    for i, tok in enumerate([*stream, None]):
        if tok is None:
            row = [t for t in stream[start:i] if t is not None]
            kinds = [read_number(t.raw).kind for t in row]
            if len(row) >= n and "text" not in kinds and "number" in kinds:
                return start, i
            start = i + 1
    return None


def _after_headers(stream: Stream) -> int | None:
    """Where the data starts in a rendering without row ends: right after the last outcome header."""
    headers = [i for i, t in enumerate(stream) if t is not None and labels.is_review_outcome_header(t.raw)]
    if not headers:
        return None
    last = headers[0]
    for i in range(headers[0], len(stream)):
        t = stream[i]
        if t is None:
            continue
        if labels.is_review_outcome_header(t.raw):
            last = i
        elif read_number(t.raw).kind == "number":
            break
    return last + 1


def read_review(stream: Stream) -> tuple[list[Cell], list[Finding]]:
    """The single data row of 15 numbers (3 proceedings × 5 outcomes) under the headers.

    Where rows are known, it is the first row of numbers; in a one-cell-per-line rendering, the
    cells after the last outcome header. Header layouts vary too much (wrapped, permuted) to map
    columns from them; the data row's order is the template's.
    """
    n = len(keys.PROCEEDINGS) * len(keys.OUTCOMES)
    row = _value_row(stream, n)
    run = runtogether.lone_run(stream, n) if row is None else None
    if run is not None:
        return runtogether.review_cells(run.text)
    if row is not None:
        start, stop = row
    else:
        after = _after_headers(stream)
        if after is None:
            return [], []
        start, stop = after, len(stream)
    values: list[Printed] = []
    i = start
    while i < stop and len(values) < n:
        t = stream[i]
        i += 1
        if t is None:
            continue
        p = read_number(t.raw)
        if p.kind == "text":
            break
        values.append(p)
    evidence = _evidence(stream, start, i)
    cells: list[Cell] = []
    findings: list[Finding] = []
    if len(values) < n:
        findings.append(Finding("short_row", "warn", f"review/litigation row prints {len(values)} of {n} cells",
                                table="review_litigation", evidence=evidence))
    padded: list[Printed | None] = [*values, *([_SHORT_FILL if values else None] * (n - len(values)))]
    k = 0
    for proc in keys.PROCEEDINGS:
        for outcome in keys.OUTCOMES:
            cells.append(_count_cell("review_litigation", proc, outcome, padded[k]))
            k += 1
    return cells, findings


_APPLICANT_HEADERS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构")


def _standard_requests(stream: Stream, sections: dict[str, Stream]) -> bool:
    """The standard requests table: under its section heading, or printing the applicant columns."""
    if "requests" in sections:
        return True
    heads = {squash(t.raw) for t in stream if t is not None and len(t.raw) <= 12}
    return sum(h in heads for h in _APPLICANT_HEADERS) >= 2


def read_tables(blocks: list[Block]) -> TableRead:
    """Read the three standard tables from a document's blocks."""
    stream = stream_of(blocks, unglue=True)
    fmt = detect_format(stream)
    sections = _split_sections(stream)
    result = TableRead(format=fmt)
    active, f1 = read_active(sections.get("active", stream if "requests" not in sections else []), fmt)
    requests, f2 = read_requests(sections.get("requests", stream))
    if requests and not _standard_requests(stream, sections):
        # A pre-2019 统计表 has rows like 同意部分公开数 too; without the applicant columns or the
        # section heading it is not the standard table, and its figures are prose facts.
        requests, f2 = [], []
    review, f3 = read_review(sections.get("review_litigation", []))
    result.cells = active + requests + review
    result.findings = f1 + f2 + f3
    if fmt is None and requests:
        result.format = "2021" if any(c.row.startswith("other_") for c in requests) else "2019"
    if not (active or requests or review):
        result.format = None  # a stray template word in prose is not a table
    if result.format is not None:
        for table, got in (("active", active), ("requests", requests), ("review_litigation", review)):
            if not got:
                result.findings.append(Finding("missing_table", "warn", f"no {table} table found in a {result.format}-format report",
                                               table=table))
    return result
