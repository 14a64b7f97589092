"""Rows whose cells were printed run together, with no separator (`21710000218`, `35-47`).

Some crawlers drop every cell boundary, so a row arrives as its label and one string of digits.
Only the column count and the table's own identities can cut it back into cells:

- a requests row is cut into 7 numbers that satisfy I3 (total = the applicant columns' sum), the
  review row into 3 × 5 numbers that satisfy I4 per proceeding, an active row into its header's
  measure count (a sign may only open a 本年增/减 cell, so `35-47` is 35, -4, 7);
- where a requests row still has several readings, the column identities I1 and I2 are solved
  jointly over the ambiguous rows only (a small bounded search);
- a row that keeps more than one reading, or has none, is left unplaced with a finding: no number
  is ever guessed. Every cell placed this way is `placement: inferred`, so the identities used to
  place it are never counted as evidence for the source (ogi/identities.py).

Blank cells leave no trace in such text. A requests or review row's readings assume no cell was
blank (the row's sum rejects most readings a vanished blank would give, and a row whose only
reading breaks its identity is left unplaced); an active row, which has no identity, allows any of
its cells to have been a vanished blank unless the report shows it prints every cell. Rows printed
as fewer space-separated numbers than columns (PDF text whose blanks vanished) are read the same
way: every placement of the numbers is a reading, and only the column identities can confirm one.
Where several readings remain, the cells they all agree on are placed and the rest left unplaced.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from ogi.model import Cell, Finding
from ogi.parse.identities import column_identity_terms
from ogi.parse.tables.tokens import Stream, Token
from ogi.reference import keys
from ogi.text.normalize import squash
from ogi.text.numbers import Printed, read_number

# Bounds that keep this cheap on the per-report hot path. A count of requests or cases never has
# more than 7 digits; a row with more readings than MAX_READINGS is unplaced without looking further.
MAX_COUNT_DIGITS = 7
MAX_READINGS = 64
_LONGEST_LONE_COUNT = 6  # a separate token of more digits than this after a row label is a run
_STEP_BUDGET = 20_000  # enumeration steps per row
_SEARCH_BUDGET = 50_000  # nodes of the joint I1/I2 search per table

_RUN = re.compile(r"[+\-]?\d+(?:[+\-]\d+)*")
_HEADER_START = ("信息内容", "内容", "项目")
# Where one measure header ends and the next begins in a header row printed without separators.
_MEASURE_START = re.compile(r"(?=本年|上一?年|现行有效|对外公开|采购)|(?<!本年)(?=处理决定)")


class _Exhausted(Exception):
    """The step budget ran out: the readings found so far say nothing about how many there are."""


class _Enough(Exception):
    """More than `limit` readings: the row is certainly ambiguous, no need to count on."""


class _Budget:
    """A step counter shared by one enumeration, so no input can make it run long."""

    def __init__(self, steps: int) -> None:
        self.left = steps

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise _Exhausted


@dataclass(frozen=True)
class Run:
    """A row's cells run together: the printed text (NFKC, no spaces) and the stream index after it."""

    text: str
    end: int


# --- finding runs in the token stream -------------------------------------------------------------


def _clean(raw: str) -> str:
    return squash(raw).replace("−", "-").replace("﹣", "-")


def run_text(tok: Token, cells: int) -> str | None:
    """The token's text when it is one row's `cells` (≥ 2) cells run together, else None.

    A glued token is one; a separate token is one only when no single printed number looks like
    it: a sign inside it (`2648-18538`), a leading zero (`000`), or more digits than a count has.
    A lone short number after a label is a short row, not a run.
    """
    if cells < 2:
        return None
    text = _clean(tok.raw)
    if not _RUN.fullmatch(text):
        return None
    digits = sum(ch.isdigit() for ch in text)
    if (tok.glued or any(ch in "+-" for ch in text[1:])
            or (text[0] == "0" and digits > 1) or digits > _LONGEST_LONE_COUNT):
        return text
    return None


def run_at(stream: Stream, start: int, cells: int, skip: Callable[[str], bool]) -> Run | None:
    """A run of `cells` cells right after a row label at `start`, standing alone in its row.

    Up to two wrapped-label fragments (`skip`) may come first, as in the reader's own row reading.
    """
    i, skipped = start, 0
    while i < len(stream):
        tok = stream[i]
        if tok is None:
            i += 1
            continue
        text = run_text(tok, cells)
        if text is not None:
            nxt = stream[i + 1] if i + 1 < len(stream) else None
            if nxt is None or read_number(nxt.raw).kind == "text":
                return Run(text, i + 1)
            return None
        if skipped < 2 and read_number(tok.raw).kind == "text" and skip(tok.raw):
            skipped += 1
            i += 1
            continue
        return None
    return None


def lone_run(stream: Stream, cells: int) -> Run | None:
    """The first row made of one unsigned digit string long enough for `cells` cells (the review row)."""
    for i, tok in enumerate(stream):
        if tok is None or (i > 0 and stream[i - 1] is not None) or (i + 1 < len(stream) and stream[i + 1] is not None):
            continue
        text = _clean(tok.raw)
        if text.isdigit() and len(text) >= cells:
            return Run(text, i + 1)
    return None


def header_cells(raw: str) -> list[str] | None:
    """The measure cells of an active-table header printed without separators.

    `信息内容本年制发件数本年废止件数现行有效件数` → 本年制发件数, 本年废止件数, 现行有效件数.
    """
    text = squash(raw)
    start = next((s for s in _HEADER_START if text.startswith(s)), None)
    if start is None or len(text) == len(start):
        return None
    parts = [p for p in _MEASURE_START.split(text[len(start):]) if p]
    return parts or None


# --- readings of one digit string ----------------------------------------------------------------


def _number_ok(part: str) -> bool:
    digits = part.lstrip("+-")
    return digits != "" and (digits == "0" or digits[0] != "0")


def readings(text: str, signed: Sequence[bool], limit: int = MAX_READINGS) -> list[tuple[str, ...]] | None:
    """Every cut of `text` into len(signed) numbers without leading zeros (at most `limit` + 1 of them).

    A sign may only open a cell whose `signed` flag is set (本年增/减); every other cell is unsigned.
    None when the step budget ran out before the count was known.
    """
    out: list[tuple[str, ...]] = []
    budget = _Budget(_STEP_BUDGET)
    k = len(signed)

    def walk(pos: int, cell: int, acc: tuple[str, ...]) -> None:
        budget.spend()
        if cell == k:
            if pos == len(text):
                out.append(acc)
                if len(out) > limit:
                    raise _Enough
            return
        head = pos
        if pos < len(text) and text[pos] in "+-":
            if not signed[cell]:
                return
            head += 1
        stop = head
        while stop < len(text) and text[stop].isdigit():
            stop += 1
        last = len(text) - (k - cell - 1)  # leave one character for each later cell
        for end in range(head + 1, min(stop, last) + 1):
            part = text[pos:end]
            if not _number_ok(part):
                break
            walk(end, cell + 1, (*acc, part))

    try:
        walk(0, 0, ())
    except _Enough:
        pass
    except _Exhausted:
        return None
    return out


def _sum_cuts(text: str, parts: int, budget: _Budget) -> Iterator[tuple[str, ...]]:
    """Cuts of unsigned `text` into `parts` counts whose last is the sum of the others (I3, I4).

    The total fixes how long any other part can be, which keeps the search small.
    """
    if not text.isdigit() or len(text) < parts:
        return

    def addends(head: str, pos: int, left: int, rest: int) -> Iterator[tuple[str, ...]]:
        budget.spend()
        if left == 0:
            if pos == len(head) and rest == 0:
                yield ()
            return
        room, widest = len(head) - pos, len(str(rest))
        longest = room - left + 1  # the longest any one part can be
        if room < left or room > left * widest or rest > 10 ** longest - 1 + 9 * (left - 1):
            return
        if -(-room // left) > 1 and rest < 10 ** (-(-room // left) - 1):  # some part has ⌈room/left⌉ digits
            return
        for width in range(1, min(widest, room - left + 1) + 1):
            part = head[pos:pos + width]
            if not _number_ok(part) or int(part) > rest:
                break
            for tail in addends(head, pos + width, left - 1, rest - int(part)):
                yield (part, *tail)

    for width in range(1, min(MAX_COUNT_DIGITS, len(text) - parts + 1) + 1):
        total = text[len(text) - width:]
        if _number_ok(total):
            for head in addends(text[:len(text) - width], 0, parts - 1, int(total)):
                yield (*head, total)


def _collect(cuts: Iterator[tuple[str, ...]], limit: int) -> list[tuple[str, ...]] | None:
    """Up to `limit` + 1 cuts; None when the budget ran out first."""
    out: list[tuple[str, ...]] = []
    try:
        for cut in cuts:
            out.append(cut)
            if len(out) > limit:
                break
    except _Exhausted:
        return None
    return out


def sum_readings(text: str, parts: int, limit: int = MAX_READINGS) -> list[tuple[str, ...]] | None:
    """Cuts of a requests row (`parts` = 7) whose total is the sum of the others (I3); None: budget ran out."""
    return _collect(_sum_cuts(text, parts, _Budget(_STEP_BUDGET)), limit)


def review_readings(text: str, limit: int = MAX_READINGS) -> list[tuple[str, ...]] | None:
    """Cuts of the review row into 3 proceedings × 5 outcomes, each satisfying I4; None: budget ran out."""
    groups, width = len(keys.PROCEEDINGS), len(keys.OUTCOMES)
    budget = _Budget(_STEP_BUDGET)
    memo: dict[tuple[int, int], list[tuple[str, ...]]] = {}

    def group(pos: int, end: int) -> list[tuple[str, ...]]:
        if (pos, end) not in memo:
            memo[(pos, end)] = list(_sum_cuts(text[pos:end], width, budget))
        return memo[(pos, end)]

    def rest(pos: int, g: int) -> Iterator[tuple[str, ...]]:
        if g == groups - 1:
            yield from group(pos, len(text))
            return
        for end in range(pos + width, len(text) - width * (groups - g - 1) + 1):
            for first in group(pos, end):
                for tail in rest(end, g + 1):
                    budget.spend()
                    yield (*first, *tail)

    return _collect(rest(0, 0), limit)


def _why_not(found: list[tuple[str, ...]] | None, text: str, cells: int, identity: str | None) -> str | None:
    """Why a row's readings do not place it; None when exactly one reading remains."""
    if found is None:
        return f"{len(text)} digits have too many readings as {cells} cells to count"
    if len(found) == 1:
        return None
    under = f" satisfy {identity}" if identity else ""
    if found:
        return f"{'more than ' + str(MAX_READINGS) if len(found) > MAX_READINGS else len(found)} readings{under}"
    if identity and text.isdigit() and len(text) == cells:
        return (f"the only reading, one digit per cell, breaks {identity} (a blank cell may have vanished, "
                "or the source breaks it)")
    return f"no reading of {len(text)} characters as {cells} numbers{under.replace('satisfy', 'satisfies')}"


def _unplaced(table: str, row: str | None, text: str, why: str, short: bool = False) -> Finding:
    what = f"row {row}" if row else "the row"
    how = (f"printed {len(text.split())} numbers with no cell positions ({text!r})" if short
           else f"printed its cells run together as {text!r}")
    return Finding("unplaced_value", "warn", f"{what} {how}: {why}; left unplaced", table=table, row=row, evidence=text)


# --- placing the readings ------------------------------------------------------------------------


def _cell(table: str, row: str, col: str, part: str) -> Cell:
    return Cell(table, row, col, value=Decimal(part), raw=part, placement="inferred")


def _blank_tolerant_readings(text: str, signed: Sequence[bool]) -> list[tuple[str, ...]] | None:
    """Cuts of `text` into len(signed) cells where any cells may be blank (they vanished from the run)."""
    k = len(signed)
    out: list[tuple[str, ...]] = []
    for kept in range(k, 0, -1):
        for places in combinations(range(k), kept):
            found = readings(text, [signed[p] for p in places])
            if found is None:
                return None
            for r in found:
                cells = [""] * k
                for p, part in zip(places, r, strict=True):
                    cells[p] = part
                out.append(tuple(cells))
            if len(out) > MAX_READINGS:
                return out
    return out


def split_active(item: str, measures: Sequence[str], text: str, zeros_printed: bool = True,
                 narrow: Callable[[list[tuple[str, ...]]], list[tuple[str, ...]]] | None = None,
                 ) -> tuple[list[tuple[int, Printed]], list[Finding]]:
    """An active row's run cut into its measures: the cells every reading agrees on (no identity applies).

    Where the report shows it prints every cell (`zeros_printed`, its requests table has no blank),
    a reading fills every measure; otherwise any cell may have been a blank that vanished. `narrow`
    keeps the readings that agree with what the report's own prose states. Returns (measure index,
    cell) for the cells placed, and a finding for the rest.
    """
    text = _clean(text)
    signed = [m in keys.SIGNED_MEASURES for m in measures]
    found = readings(text, signed) if zeros_printed else _blank_tolerant_readings(text, signed)
    if found is None or len(found) > MAX_READINGS:
        return [], [_unplaced("active", item, text, _why_not(found, text, len(measures), None) or "")]
    if narrow is not None and len(found) > 1:
        found = narrow(found)
    if not found:
        return [], [_unplaced("active", item, text, _why_not(found, text, len(measures), None) or "")]
    agreed = [(j, found[0][j]) for j in range(len(measures)) if len({r[j] for r in found}) == 1]
    placed = [(j, read_number(part)) for j, part in agreed if part != "" or len(found) == 1]
    findings = []
    if len(found) > 1:
        rest = "; the cells all readings agree on are placed" if placed else ""
        findings.append(_unplaced("active", item, text, f"{len(found)} readings and no identity to choose{rest}"))
    return placed, findings


def review_cells(text: str) -> tuple[list[Cell], list[Finding]]:
    """The review row run together: placed when exactly one cut satisfies I4 for every proceeding."""
    n = len(keys.PROCEEDINGS) * len(keys.OUTCOMES)
    found = review_readings(text)
    why = _why_not(found, text, n, "I4")
    if why is not None or found is None:
        return [], [_unplaced("review_litigation", None, text, why or "")]
    parts = iter(found[0])
    return [_cell("review_litigation", proc, outcome, next(parts))
            for proc in keys.PROCEEDINGS for outcome in keys.OUTCOMES], []


Term = tuple[str, str]


def column_identities(rows: set[str]) -> list[tuple[list[Term], list[Term]]]:
    """I1 and I2 for every column, as (one side, other side): ogi/identities.py's own terms."""
    return [(printed, expected) for _, _, printed, expected in column_identity_terms(rows)]


@dataclass(frozen=True)
class UncertainRow:
    """A requests row whose cells the printed text does not place by itself, with every way it could be read.

    `readings` are the raw texts per column ("" for a blank); None when there are too many to count.
    `checked` says every reading satisfies the row's own identity (I3) with no blank in it, so a
    single reading is already evidence; readings with blanks need the column identities to say so.
    """

    row: str
    at: int  # index in the reader's cell list where this row's cells belong
    text: str  # what the source printed, for the finding
    readings: list[tuple[str, ...]] | None
    checked: bool
    why: str | None = None  # why there is no reading
    short: bool = False  # numbers printed apart but without positions (blanks vanished), not one run


def _space_cuts(raw: str) -> list[int]:
    """Where the spaces inside a printed run fall, as offsets into the run without them."""
    cuts, pos = [], 0
    for part in _clean_keep(raw).split()[:-1]:
        pos += len(part)
        cuts.append(pos)
    return cuts


def _clean_keep(raw: str) -> str:
    return " ".join(_clean(p) for p in raw.split())


def _cut_offsets(reading: tuple[str, ...]) -> set[int]:
    out, pos = set(), 0
    for part in reading[:-1]:
        pos += len(part)
        out.add(pos)
    return out


def run_row(row: str, at: int, raw: str) -> UncertainRow:
    """A requests row printed as one run of digits: its readings under I3 that agree with its spaces."""
    text = _clean(raw)
    ncol = len(keys.REQUEST_COLS)
    found = sum_readings(text, ncol)
    why = _why_not(found, text, ncol, "I3") if not found or len(found) > MAX_READINGS else None
    if found is None or len(found) > MAX_READINGS:
        return UncertainRow(row, at, raw, None, True, why)
    cuts = _space_cuts(raw)
    if cuts:
        agree = [r for r in found if set(cuts) <= _cut_offsets(r)]
        if found and not agree:
            why = f"no reading under I3 puts a cell boundary where {raw!r} prints a space"
        found = agree
    return UncertainRow(row, at, raw, found, True, why)


def short_row(row: str, at: int, raws: list[str]) -> UncertainRow:
    """A requests row printed as fewer numbers than columns with no cell positions (blank cells vanished).

    Each reading puts the numbers, in order, into some of the columns and leaves the others blank;
    where the total is among them it must be the sum of the applicant numbers (I3, blanks adding
    nothing). No reading is evidence by itself: the column identities must confirm it.
    """
    ncol = len(keys.REQUEST_COLS)
    out: list[tuple[str, ...]] = []
    for places in combinations(range(ncol), len(raws)):
        cells = [""] * ncol
        for p, r in zip(places, raws, strict=True):
            cells[p] = r
        if cells[-1] != "":
            total = read_number(cells[-1]).value
            parts = [read_number(c).value for c in cells[:-1] if c != ""]
            if total is None or any(v is None for v in parts) or sum(parts) != total:  # type: ignore[arg-type]
                continue
        out.append(tuple(cells))
    why = None if out else f"no way to put {len(raws)} numbers into {ncol} columns satisfies I3"
    return UncertainRow(row, at, " ".join(raws), out, False, why, short=True)


def _as_int(raw: str) -> int | None:
    if raw == "":
        return None
    v = read_number(raw).value
    return int(v) if v is not None and v == int(v) else None


@dataclass
class _Settled:
    seen: set[int]  # readings that appear in some joint solution
    supported: set[int]  # of those, readings in a solution where an evaluable identity involves the row


def _joint(known: dict[Term, int | None], options: list[UncertainRow], rows: set[str]) -> list[_Settled] | None:
    """For each uncertain row, the readings that appear in some joint solution of I1/I2, and which of them
    rest on an identity that could be evaluated.

    Depth-first over the uncertain rows only; a constraint is checked as soon as its last uncertain
    row is assigned, and one with a blank or missing operand constrains nothing. Returns None when
    the search budget runs out (nothing can then be trusted).
    """
    index = {u.row: k for k, u in enumerate(options)}
    cols = {c: k for k, c in enumerate(keys.REQUEST_COLS)}
    values = [[tuple(_as_int(c) for c in r) for r in (u.readings or [])] for u in options]
    checks: list[list[tuple[list[Term], list[Term]]]] = [[] for _ in options]
    relevant: list[tuple[list[Term], list[Term], list[int]]] = []
    for lhs, rhs in column_identities(rows):
        terms = lhs + rhs
        if any(t[0] not in index and known.get(t) is None for t in terms):
            continue
        involved = sorted({index[t[0]] for t in terms if t[0] in index})
        if involved:
            checks[involved[-1]].append((lhs, rhs))
            relevant.append((lhs, rhs, involved))
    settled = [_Settled(set(), set()) for _ in options]
    chosen: list[int] = [0] * len(options)
    budget = _Budget(_SEARCH_BUDGET)

    def value(term: Term) -> int | None:
        k = index.get(term[0])
        if k is None:
            return known.get(term)
        return values[k][chosen[k]][cols[term[1]]]

    def holds(lhs: list[Term], rhs: list[Term]) -> bool | None:
        a, b = [value(t) for t in lhs], [value(t) for t in rhs]
        if any(v is None for v in a + b):
            return None  # a blank operand: the identity says nothing
        return sum(a) == sum(b)  # type: ignore[arg-type]

    # Cells on which every reading seen so far agrees, per row: the search may stop once none is left.
    agreeing: list[set[int]] = [set(range(len(keys.REQUEST_COLS))) for _ in options]

    def walk(k: int) -> bool:
        """False stops the search: every row has two readings in solutions that disagree on every cell."""
        budget.spend()
        if k == len(options):
            evidenced = {j for lhs, rhs, inv in relevant if holds(lhs, rhs) for j in inv}
            for j, c in enumerate(chosen):
                first = next(iter(settled[j].seen), None)
                settled[j].seen.add(c)
                if first is not None:
                    agreeing[j] = {n for n in agreeing[j] if values[j][first][n] == values[j][c][n]}
                if j in evidenced:
                    settled[j].supported.add(c)
            return not all(len(s.seen) > 1 and not a for s, a in zip(settled, agreeing, strict=True))
        for c in range(len(values[k])):
            chosen[k] = c
            if all(holds(lhs, rhs) is not False for lhs, rhs in checks[k]) and not walk(k + 1):
                return False
        return True

    try:
        walk(0)
    except _Exhausted:
        return None
    return settled


def _blank_or_cell(table: str, row: str, col: str, part: str) -> Cell:
    if part == "":
        return Cell(table, row, col, value=None, raw="", placement="inferred")
    return Cell(table, row, col, value=read_number(part).value, raw=part, placement="inferred")


def settle_requests(cells: list[Cell], uncertain: list[UncertainRow]) -> tuple[list[Cell], list[Finding]]:
    """Place every uncertain requests row that the evidence places, and what all its readings agree on.

    A run with one reading under I3 is placed; several readings are settled jointly by the column
    identities I1/I2 over the uncertain rows only; a row whose readings still differ keeps the cells
    every remaining reading agrees on and leaves the rest unplaced with a finding. A reading with
    blank cells (a short row whose blanks vanished) is placed only when it is the one reading left
    and an identity that could be evaluated confirms it. Every cell placed here is `inferred`.
    """
    findings: list[Finding] = []
    known: dict[Term, int | None] = {}
    for c in cells:
        known[(c.row, c.col)] = int(c.value) if c.value is not None and c.value == int(c.value) else None
    ncol = len(keys.REQUEST_COLS)
    placed: dict[str, tuple[str, ...]] = {}
    partial: dict[str, dict[int, str]] = {}
    options: list[UncertainRow] = []
    for u in uncertain:
        if not u.readings:
            findings.append(_unplaced("requests", u.row, u.text, u.why or "no reading", u.short))
        elif len(u.readings) == 1 and u.checked:
            placed[u.row] = u.readings[0]
        else:
            options.append(u)
    if options:
        for row, parts in placed.items():
            known.update({(row, col): _as_int(v) for col, v in zip(keys.REQUEST_COLS, parts, strict=True)})
        rows = {r for r, _ in known} | {u.row for u in options}
        result = _joint(known, options, rows)
        settled_rows = []
        for k, u in enumerate(options):
            assert u.readings is not None
            if result is None:
                findings.append(_unplaced("requests", u.row, u.text,
                                          "the search over the column identities I1/I2 ran out of budget", u.short))
                continue
            seen, supported = result[k].seen, result[k].supported
            if len(seen) == 1 and (u.checked or seen <= supported):
                placed[u.row] = u.readings[next(iter(seen))]
                settled_rows.append(u.row)
                continue
            if u.checked and len(seen) > 1:
                agreed = {j: u.readings[next(iter(seen))][j] for j in range(ncol)
                          if len({u.readings[c][j] for c in seen}) == 1}
                if agreed:
                    partial[u.row] = agreed
            why = ("no combination satisfies the column identities I1/I2" if not seen
                   else f"{len(seen)} remain under the column identities I1/I2" if len(seen) > 1
                   else "no identity that could be evaluated confirms its blank cells")
            left = "; the cells all readings agree on are placed" if u.row in partial else ""
            findings.append(_unplaced("requests", u.row, u.text, f"{len(u.readings)} readings and {why}{left}", u.short))
        if settled_rows:
            findings.append(Finding("run_together", "info", f"rows {', '.join(settled_rows)} had several readings "
                                    "and were settled by the column identities I1/I2 (placement inferred)",
                                    table="requests"))
    out = list(cells)
    for u in sorted(uncertain, key=lambda x: x.at, reverse=True):  # last first, so earlier points stay valid
        if u.row in placed:
            out[u.at:u.at] = [_blank_or_cell("requests", u.row, col, v)
                              for col, v in zip(keys.REQUEST_COLS, placed[u.row], strict=True)]
        elif u.row in partial:
            out[u.at:u.at] = [_blank_or_cell("requests", u.row, keys.REQUEST_COLS[j], v)
                              for j, v in sorted(partial[u.row].items())]
    return out, findings
