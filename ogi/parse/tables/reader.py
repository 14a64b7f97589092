"""Token stream → canonical cells of the three standard tables, with findings.

Label-driven: a row is found by what its label means (labels.py), its numbers are the printed
cells that follow it, in column order. Nothing is invented: a position no printed cell fills is
left out (raw None) and a finding says so; a printed blank stays blank (raw "", value None).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ogi.model import Block, Cell, Finding
from ogi.parse.tables import align, labels, runtogether, segment
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
    return _sections(stream)[0]


def _sections(stream: Stream) -> tuple[dict[str, Stream], set[str]]:
    """Tokens of each table, and the tables a later heading closes (their last row is printed whole)."""
    sections: dict[str, Stream] = {}
    closed: set[str] = set()
    current: str | None = None
    for tok in stream:
        if tok is not None:
            sec = labels.section_of(tok.raw)
            if sec is not None and current is not None and sec != current:
                closed.add(current)
            if sec == "end":
                current = None
                continue
            if sec is not None:
                current = sec
        if current is not None:
            sections.setdefault(current, []).append(tok)
    return sections, closed


def _printed_empty(aligned: align.Aligned, closed: bool, table: str, findings: list[Finding]) -> set[int]:
    """The rows (ids) of a table that prints its labels and no number at all: their cells are printed blank.

    A row counts only once a later label (or heading) shows it ended: the last row of a cut document
    may have lost its cells with the rest.
    """
    rows = aligned.rows
    if len(rows) < 3 or aligned.orphans or any(r.group is not None and r.group.has_numbers for r in rows):
        return set()
    findings.append(Finding("blank_table", "info", f"the {table} table prints its row labels and no number at all: "
                            "its cells are left blank", table=table))
    return {id(r) for k, r in enumerate(rows) if k < len(rows) - 1 or closed}


def _is_continuation(raw: str) -> bool:
    """The wrapped tail of a label (PDF text): short text that is no label of its own."""
    text = squash(raw)
    return (0 < len(text) <= 30 and labels.request_label(raw, labels.GROUP_RESULTS) is None
            and labels.active_item(raw) is None and labels.section_of(raw) is None)


# A printed row that stops short shows its missing trailing cells as blank (report-tables.md:
# "fills from the left and leaves the rest blank"); a finding records that the row was short.
_SHORT_FILL = Printed(raw="", value=None, kind="blank")


def _evidence(stream: Stream, start: int, end: int) -> str:
    return " | ".join(t.raw for t in stream[start:end] if t is not None)[:300]


def _count_cell(table: str, row: str, col: str, p: Printed | None, placement: str = "printed") -> Cell:
    if p is None:
        return Cell(table, row, col, value=None, raw=None)
    return Cell(table, row, col, value=p.value, raw=p.raw, unit=p.unit if p.unit not in (None, "元", "万元") else None,
                placement=placement)


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


def _value_columns(groups: list[align.Group | None], count: int) -> int | None:
    """Where a table's value columns start, when every row that prints exactly its cells says the same.

    A converter printing the whole grid puts every row's cells in the same columns; a row with empty
    cells on both sides of its numbers can then be read by those columns.
    """
    starts = {g.tokens[0].col for g in groups if g is not None and not g.run and len(g.tokens) == count
              and g.tokens[0].col >= 0 and not g.spaced and not g.cell_line}
    return starts.pop() if len(starts) == 1 else None


def _fit(g: align.Group, count: int, start: int | None = None) -> list[Printed] | None:
    """A row's `count` cells out of more printed ones: the empty cells beyond its columns are layout.

    A converter that prints the whole grid pads a row with empty cells: after its cells (a short
    row, or a spanning cell), or between its label and its cells (a label spanning columns). Empty
    cells on one side only say where the row's cells are; on both sides (more than the extra count
    each) only the table's own value columns (`start`) do: None without them.
    """
    values = g.values
    extra = len(values) - count
    if extra <= 0:
        return values
    if start is not None and all(t.col >= 0 for t in g.tokens):
        inside = [p for t, p in zip(g.tokens, values, strict=True) if start <= t.col < start + count]
        outside = [p for t, p in zip(g.tokens, values, strict=True) if not start <= t.col < start + count]
        if len(inside) == count and all(p.kind == "blank" for p in outside):
            return inside
    lead = next((k for k, p in enumerate(values) if p.kind != "blank"), len(values))
    trail = next((k for k, p in enumerate(reversed(values)) if p.kind != "blank"), len(values))
    if lead >= extra > trail:
        return values[extra:]
    if trail >= extra > lead or (lead < extra and trail < extra):
        return values[:count]  # trailing padding, or more numbers than columns (the first ones, as printed)
    if lead == len(values):
        return values[:count]  # every cell blank
    return None


def _classify_request(raw: str, group: str | None) -> tuple[str, str, str | None] | None:
    key = labels.request_label(raw, group)
    if key is None:
        return None
    if key.startswith("group:"):
        return "group", key, key
    after = None if key in ("total_processed", "carried_forward") else labels.ROW_GROUP.get(key, group)
    return "row", key, after


def _group_evidence(stream: Stream, row: align.Row, g: align.Group | None) -> str:
    end = g.end if g is not None else row.index + 1
    return _evidence(stream, row.index, max(end, row.index + 1))


def _unplaced_group(table: str, row: str | None, g: align.Group, why: str) -> Finding:
    what = f"row {row}" if row else "a row of numbers"
    printed = " ".join(t.raw for t in g.tokens)
    return Finding("unplaced_value", "warn", f"{what} ({printed!r}) {why}; left unplaced", table=table, row=row,
                   evidence=printed[:300])


def _orphans_by_order(aligned: align.Aligned, order: tuple[str, ...], table: str,
                      ) -> tuple[list[tuple[str, align.Group]], list[Finding]]:
    """Rows of numbers no label claimed, placed by the template's row order where that leaves one way.

    Between the last row before them that has cells and the next row that has cells, the template
    rows that are not printed (or printed without cells) must be exactly as many as the orphans.
    """
    placed: list[tuple[str, align.Group]] = []
    findings: list[Finding] = []
    rows = aligned.rows
    has_cells = [r.group is not None and r.group.has_numbers for r in rows]
    pos = {k: n for n, k in enumerate(order)}
    gaps: dict[tuple[int, int], list[align.Group]] = {}
    for g, _, after in aligned.orphans:
        lo = max((n for n in range(min(after, len(rows))) if has_cells[n]), default=-1)
        hi = next((n for n in range(after, len(rows)) if has_cells[n]), len(rows))
        gaps.setdefault((lo, hi), []).append(g)
    # a row printed with its label and (blank) cells is no free place; a label printed alone may have its
    # numbers printed before it
    present = {r.key for r in rows if r.groups}
    for (lo, hi), groups in gaps.items():
        start = pos.get(rows[lo].key, -1) if lo >= 0 else -1
        stop = pos.get(rows[hi].key, len(order)) if hi < len(rows) else len(order)
        free = [k for k in order[start + 1:stop] if k not in present]
        full = all((g.run or len(g.values) >= len(keys.REQUEST_COLS)) and not g.beside_text for g in groups) \
            and table == "requests"
        if 0 < start + 1 <= stop and len(free) == len(groups) and full and (lo >= 0 or hi < len(rows)):
            placed += list(zip(free, groups, strict=True))
        else:
            findings += [_unplaced_group(table, None, g, "has no label and the row order does not say whose it is")
                         for g in groups]
    return placed, findings


def read_requests(stream: Stream, fmt: str | None = None, closed: bool = True) -> tuple[list[Cell], list[Finding]]:
    """The requests table: rows aligned to their labels (align.py), cells read by the row's rendering."""
    aligned = align.align(stream, _classify_request, {labels.GROUP_OTHER: "other"} if fmt != "2021" else {},
                          group_rows_always=fmt == "2019")
    cells: list[Cell] = []
    findings: list[Finding] = []
    empty = _printed_empty(aligned, closed, "requests", findings)
    uncertain: list[runtogether.UncertainRow] = []
    ncol = len(keys.REQUEST_COLS)
    order = keys.request_rows(fmt or ("2021" if any(r.key.startswith("other_") for r in aligned.rows) else "2019"))
    by_order, orphan_findings = _orphans_by_order(aligned, order, "requests")
    given = {key for key, _ in by_order}
    claims = [(r.key, r.group, r, r.by_order) for r in aligned.rows if not (r.key in given and r.group is None)]
    claims += [(key, g, None, True) for key, g in by_order]
    claims.sort(key=lambda c: order.index(c[0]) if c[0] in order else len(order))
    value_start = _value_columns([g for _, g, _, _ in claims], ncol)
    for key, g, row, inferred in claims:
        evidence = _group_evidence(stream, row, g) if row is not None else " ".join(t.raw for t in g.tokens) if g else ""
        if g is None and row is not None and id(row) in empty:
            cells += [_count_cell("requests", key, col, _SHORT_FILL) for col in keys.REQUEST_COLS]
            continue
        if row is not None and row.unsettled and (g is None or not g.has_numbers):
            findings.append(Finding("unplaced_value", "warn", f"row {key}: its label is printed apart from the rows of "
                                    "numbers, and which row is its own is not printed", table="requests", row=key,
                                    evidence=evidence))
            continue
        if g is None:
            findings.append(Finding("unplaced_value", "warn", f"row {key}: label printed without numbers",
                                    table="requests", row=key, evidence=evidence))
            continue
        if g.run:
            raw = g.tokens[0].raw
            parts = segment.run_parts(raw)
            if len(parts) == ncol and all(read_number(p).kind == "number" for p in parts):
                cells += [_count_cell("requests", key, col, read_number(p), "inferred" if inferred else "printed")
                          for col, p in zip(keys.REQUEST_COLS, parts, strict=True)]
            else:
                uncertain.append(runtogether.run_row(key, len(cells), raw))
            continue
        values = g.values
        if (g.spaced or g.cell_line) and len(values) < ncol and all(p.kind == "number" for p in values):
            uncertain.append(runtogether.short_row(key, len(cells), [p.raw for p in values]))
            continue
        if g.cell_line and len(values) < ncol:
            findings.append(_unplaced_group("requests", key, g, f"prints {len(values)} of {ncol} cells one per line, "
                                            "so which cells are blank is not printed"))
            continue
        if g.spaced and len(values) > ncol:
            findings.append(_unplaced_group("requests", key, g, f"prints {len(values)} numbers for {ncol} columns"))
            continue
        taken = _fit(g, ncol, value_start)
        if taken is None:
            findings.append(_unplaced_group("requests", key, g, f"prints {len(values)} cells for {ncol} columns with "
                                            "empty cells on both sides, so where its columns start is not printed"))
            continue
        placement = "inferred" if inferred else "printed"
        for col, p in zip(keys.REQUEST_COLS, taken + [_SHORT_FILL] * (ncol - len(taken)), strict=True):
            cells.append(_count_cell("requests", key, col, p, placement))
        findings.extend(_short_row_findings("requests", key, taken, ncol, len(values) < ncol, evidence))
    for dup in aligned.duplicates:
        if dup.group is not None and dup.group.has_numbers:
            findings.append(Finding("duplicate_row", "warn", f"row {dup.key} printed again; the first one is kept",
                                    table="requests", row=dup.key, evidence=_group_evidence(stream, dup, dup.group)))
    findings += orphan_findings
    if uncertain:
        cells, settled = runtogether.settle_requests(cells, uncertain)
        findings.extend(settled)
    return cells, findings


def _classify_active(raw: str, group: str | None) -> tuple[str, str, str | None] | None:
    item = labels.active_item(raw)
    return ("row", item, None) if item is not None else None


def _is_active_header(raw: str) -> bool:
    """Section anchors and measure headers of the active table: never a label's wrapped tail."""
    return (labels.is_active_header_start(raw) or labels.active_measure(raw) is not None
            or labels.active_header_cells(raw) is not None or runtogether.header_cells(raw) is not None
            or squash(raw).startswith("第二十条"))


def _active_headers(stream: Stream) -> list[tuple[int, list[tuple[str, str | None]]]]:
    """Where each measure header of the active table is printed, and the measures it names."""
    out: list[tuple[int, list[tuple[str, str | None]]]] = []
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
                out.append((i, found))
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
            if measures:
                out.append((i, measures))
            i = j
            continue
        i += 1
    return out


def _measures_for(item: str, at: int, headers: list[tuple[int, list[tuple[str, str | None]]]],
                  fmt: str | None) -> list[tuple[str, str | None]]:
    """The measures of a row: the header in force above it when it fits the item, else the template's."""
    template = keys.TEMPLATE_MEASURES.get(fmt or "", {}).get(item)
    fitting = [tuple(t[item]) for t in keys.TEMPLATE_MEASURES.values() if item in t]
    above = [m for i, m in headers if i < at]
    if above:
        measures = above[-1]
        if tuple(m for m, _ in measures) in fitting:
            return measures
    return [(m, None) for m in (template or ())]


def _prose_agreement(item: str, measures: list[str], parts: list[tuple[str, ...]], *,
                     stated: dict[tuple[str, str], set[Decimal]]) -> list[tuple[str, ...]]:
    """The readings of a run that agree with what the report's prose states about the same cells.

    A statement no reading agrees with is about something else (or out of date) and narrows nothing.
    """
    for k, m in enumerate(measures):
        said = stated.get((item, m))
        if not said:
            continue
        agree = [p for p in parts if p[k] != "" and read_number(p[k]).value in said]
        if agree:
            parts = agree
    return parts


def read_active(stream: Stream, fmt: str | None, stated: dict[tuple[str, str], set[Decimal]] | None = None,
                zeros_printed: bool = True, closed: bool = True) -> tuple[list[Cell], list[Finding]]:
    """The active table: item rows aligned to their labels, measures from the header that fits them."""
    stated = stated or {}
    aligned = align.align(stream, _classify_active, is_header=_is_active_header)
    headers = _active_headers(stream)
    cells: list[Cell] = []
    findings: list[Finding] = []
    empty = _printed_empty(aligned, closed, "active", findings)
    for row in aligned.rows:
        item, g = row.key, row.group
        row_measures = _measures_for(item, row.index, headers, fmt)
        if not row_measures:
            findings.append(Finding("unplaced_value", "warn", f"item {item}: no header says what its numbers measure",
                                    table="active", row=item, evidence=row.text))
            continue
        if g is None and id(row) in empty:
            cells += [_active_cell(item, m, unit, _SHORT_FILL, fmt) for m, unit in row_measures]
            continue
        if row.unsettled and (g is None or not g.has_numbers):
            findings.append(Finding("unplaced_value", "warn", f"item {item}: its label is printed apart from the rows "
                                    "of numbers, and which row is its own is not printed", table="active", row=item,
                                    evidence=row.text))
            continue
        if g is None:
            continue
        names = [m for m, _ in row_measures]
        placement = "inferred" if row.by_order else "printed"
        if g.run:
            raw = g.tokens[0].raw
            parts = segment.run_parts(raw)
            if len(parts) == len(names) and all(read_number(p).kind == "number" for p in parts):
                for (measure, unit), p in zip(row_measures, parts, strict=True):
                    cells.append(_active_cell(item, measure, unit, read_number(p), fmt, placement))
                continue
            split, split_findings = runtogether.split_active(item, names, raw, zeros_printed,
                                                             functools.partial(_prose_agreement, item, names, stated=stated))
            findings.extend(split_findings)
            for k, p in split:
                cells.append(_active_cell(item, names[k], row_measures[k][1], p, fmt, "inferred"))
            continue
        values = g.values
        if (g.spaced or g.cell_line) and len(names) > 1 and len(values) < len(names):
            findings.append(_unplaced_group("active", item, g, f"prints {len(values)} numbers for {len(names)} "
                                            "columns and no cell positions"))
            continue
        taken = _fit(g, len(names))
        if taken is None:
            findings.append(_unplaced_group("active", item, g, f"prints {len(values)} cells for {len(names)} columns "
                                            "with empty cells on both sides, so where its columns start is not printed"))
            continue
        padded: list[Printed | None] = [*taken, *([_SHORT_FILL] * (len(names) - len(taken)))]
        for (measure, header_unit), p in zip(row_measures, padded, strict=True):
            cells.append(_active_cell(item, measure, header_unit, p, fmt, placement))
        findings.extend(_short_row_findings("active", item, taken, len(names), len(values) < len(names),
                                            _group_evidence(stream, row, g)))
    return cells, findings


def _active_cell(item: str, measure: str, header_unit: str | None, p: Printed | None, fmt: str | None,
                 placement: str = "printed") -> Cell:
    if p is None:
        return Cell("active", item, measure, value=None, raw=None)
    if measure not in keys.MONEY_MEASURES:
        return _count_cell("active", item, measure, p, placement)
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
    return Cell("active", item, measure, value=value, raw=p.raw, unit=unit, unit_source=source, placement=placement)


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
    glued = next((t for t in stream if t is not None and t.glued), None)
    if glued is not None:  # a run cut out of a line that holds the table (segment.py)
        parts = segment.run_parts(glued.raw)
        if len(parts) == n and all(read_number(p).kind == "number" for p in parts):
            stream = [Token(p, glued.block) for p in parts]
        else:
            return runtogether.review_cells(glued.raw)
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


def _prints_every_cell(requests: list[Cell]) -> bool:
    """The report fills every cell (0 rather than blank): its requests table shows most rows, none blank."""
    rows: dict[str, list[Cell]] = {}
    for c in requests:
        rows.setdefault(c.row, []).append(c)
    full = [r for r, cs in rows.items() if len(cs) == len(keys.REQUEST_COLS) and all(c.value is not None for c in cs)]
    return len(full) >= 20 and all(c.raw != "" for c in requests)


_STATED = tuple((key, re.compile(pat)) for key, pat in (
    (("normative_documents", "issued"), r"制发(?:的)?(?:行政)?规范性文件(?:共)?(\d+)件"),
    (("normative_documents", "in_force"), r"现行有效(?:的)?(?:行政)?规范性文件(?:共)?(\d+)件"),
    (("normative_documents", "repealed"), r"废止(?:了|的)?(?:行政)?规范性文件(?:共)?(\d+)件"),
    (("regulations", "issued"), r"制发(?:的)?(?:政府)?规章(?:共)?(\d+)件"),
    (("regulations", "in_force"), r"现行有效(?:的)?(?:政府)?规章(?:共)?(\d+)件"),
))


def stated_active_figures(blocks: list[Block]) -> dict[tuple[str, str], set[Decimal]]:
    """Figures of the active table that the report's prose states (制发的规范性文件77件), to choose among readings."""
    out: dict[tuple[str, str], set[Decimal]] = {}
    for b in blocks:
        if not isinstance(b, str) or "规" not in b:
            continue
        text = squash(b)
        for key, pat in _STATED:
            for m in pat.finditer(text):
                out.setdefault(key, set()).add(Decimal(m.group(1)))
    return out


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
    sections, closed = _sections(stream)
    result = TableRead(format=fmt)
    requests, f2 = read_requests(sections.get("requests", stream), fmt, "requests" in closed)
    if not requests and "requests" not in sections:
        f2 = []  # the whole document read in search of a requests table that is not there: nothing to say
    if requests and not _standard_requests(stream, sections):
        # A pre-2019 统计表 has rows like 同意部分公开数 too; without the applicant columns or the
        # section heading it is not the standard table, and its figures are prose facts.
        requests, f2 = [], []
    active, f1 = read_active(sections.get("active", stream if "requests" not in sections else []), fmt,
                             stated_active_figures(blocks), _prints_every_cell(requests), "active" in closed)
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
                result.findings.append(_why_missing(table, result.format, sections.get(table), result.findings))
    return result


_SECTION_NAMES = {"active": "二、主动公开政府信息情况", "requests": "三、收到和处理政府信息公开申请情况",
                  "review_litigation": "四、政府信息公开行政复议、行政诉讼情况"}


def _why_missing(table: str, fmt: str, section: Stream | None, findings: list[Finding]) -> Finding:
    """A table the report should print and none of whose cells could be read: which table, and why."""
    unplaced = [f for f in findings if f.table == table and f.check == "unplaced_value"]
    if section is None:
        why = f"its section ({_SECTION_NAMES[table]}) is not printed, and no row of it was found elsewhere"
    elif unplaced:
        why = (f"its section is printed, but none of its {len(unplaced)} row(s) could be placed with evidence "
               f"(first: {unplaced[0].message[:120]})")
    elif not any(t is not None and read_number(t.raw).kind == "number" for t in section):
        why = "its section is printed without any number (cut short, or the table is an image)"
    else:
        why = "its section is printed, but no row label of the template was recognised in it"
    return Finding("missing_table", "warn", f"no cell of the {table} table of this {fmt}-format report could be read: {why}",
                   table=table, evidence=_evidence(section, 0, 40) if section else None)

