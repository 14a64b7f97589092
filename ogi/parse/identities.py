"""The tables' accounting identities, built once as data.

Each identity instance (I1 for one column, I3 for one row, …) becomes one row of a frame with its
two sides. `ogi parse` turns the rows into findings; the great-expectations suites validate the
very same frame (expectations/), so the CLI and the Dagster checks cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal

from ogi.model import Cell, Finding
from ogi.reference import keys


@dataclass(frozen=True)
class IdentityRow:
    """One identity instance. `printed` is the total side as printed, `expected` what the parts sum to."""

    identity: str
    table: str
    subject: str  # the column (I1, I2), row (I3) or proceeding (I4) it is about
    printed: Decimal | None
    expected: Decimal | None
    printed_terms: str
    expected_terms: str
    evaluable: bool
    reason: str | None  # why not evaluable: "blank operand: …", "inferred operand: …", "ocr operand: …"
    holds: bool | None
    # The printed numbers of each side, term by term (None where a term is not a printed number): what
    # the GX identity suites add up and compare themselves, rather than trusting `printed`/`expected`.
    printed_operands: tuple[Decimal | None, ...] = ()
    expected_operands: tuple[Decimal | None, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


IDENTITY_COLUMNS = tuple(IdentityRow.__dataclass_fields__)


def _side(cells: dict[tuple[str, str], Cell],
          terms: Sequence[tuple[str, str]]) -> tuple[tuple[Decimal | None, ...], Decimal | None, str | None]:
    """The operands of one side (None where a term is no printed number), their sum, and the reason
    the first unusable operand cannot be evidence (None when all are)."""
    operands: list[Decimal | None] = []
    reason: str | None = None
    for row, col in terms:
        cell = cells.get((row, col))
        why = None
        if cell is None or cell.raw is None:
            why = f"missing operand: {row}/{col}"
        elif cell.placement != "printed":
            why = f"{cell.placement} operand: {row}/{col}"
        elif cell.value is None:
            why = f"blank operand: {row}/{col}" if cell.raw == "" else f"non-numeric operand: {row}/{col} {cell.raw!r}"
        operands.append(None if why else Decimal(cell.value))
        reason = reason or why
    total = None if reason else sum((o for o in operands if o is not None), Decimal(0))
    return tuple(operands), total, reason


def _instance(identity: str, table: str, subject: str, cells: dict[tuple[str, str], Cell],
              printed_terms: Sequence[tuple[str, str]], expected_terms: Sequence[tuple[str, str]]) -> IdentityRow:
    printed_ops, printed, why_p = _side(cells, printed_terms)
    expected_ops, expected, why_e = _side(cells, expected_terms)
    reason = why_p or why_e
    evaluable = reason is None
    return IdentityRow(
        identity=identity,
        table=table,
        subject=subject,
        printed=printed if evaluable else None,
        expected=expected if evaluable else None,
        printed_terms=" + ".join(f"{r}/{c}" for r, c in printed_terms),
        expected_terms=" + ".join(f"{r}/{c}" for r, c in expected_terms),
        evaluable=evaluable,
        reason=reason,
        holds=(printed == expected) if evaluable else None,
        printed_operands=printed_ops,
        expected_operands=expected_ops,
    )


Term = tuple[str, str]  # (row, col)


def column_identity_terms(rows_present: set[str]) -> list[tuple[str, str, list[Term], list[Term]]]:
    """I1 and I2 of every requests column as (identity, column, printed side, expected side).

    The one definition of these identities: identity_rows evaluates them, and the run-together
    splitter uses them to settle readings.
    """
    other_rows = [r for r in (*keys.OTHER_ROWS_2021, *keys.OTHER_ROWS_2019) if r in rows_present] or ["other"]
    outcome_rows = [*keys.OUTCOME_ROWS_COMMON, *other_rows]
    out: list[tuple[str, str, list[Term], list[Term]]] = []
    for col in keys.REQUEST_COLS:
        out.append(("I1", col, [("total_processed", col), ("carried_forward", col)],
                    [("new_received", col), ("carried_over", col)]))
    for col in keys.REQUEST_COLS:
        out.append(("I2", col, [("total_processed", col)], [(r, col) for r in outcome_rows]))
    return out


def identity_rows(cells: Iterable[Cell]) -> list[IdentityRow]:
    """Every identity instance I1–I4 that the report's tables give rise to."""
    cells = list(cells)
    req = {(c.row, c.col): c for c in cells if c.table == "requests"}
    rev = {(c.row, c.col): c for c in cells if c.table == "review_litigation"}
    out: list[IdentityRow] = []
    if req:
        rows_present = {r for r, _ in req}
        for identity, col, printed, expected in column_identity_terms(rows_present):
            out.append(_instance(identity, "requests", col, req, printed, expected))
        for row in keys.ALL_REQUEST_ROWS:
            if row in rows_present:
                out.append(_instance("I3", "requests", row, req, [(row, "total")], [(row, c) for c in keys.APPLICANT_COLS]))
    if rev:
        for proc in keys.PROCEEDINGS:
            out.append(_instance("I4", "review_litigation", proc, rev, [(proc, "total")],
                                 [(proc, o) for o in keys.OUTCOMES if o != "total"]))
    return out


_SUBJECT_FIELD = {"I1": "col", "I2": "col", "I3": "row", "I4": "row"}
_SIDES = {
    "I1": ("total_processed + carried_forward", "new_received + carried_over"),
    "I2": ("total_processed", "the sum of the outcome rows"),
    "I3": ("total", "the sum of the applicant columns"),
    "I4": ("total", "upheld + corrected + other + pending"),
}


def identity_findings(rows: Iterable[IdentityRow]) -> list[Finding]:
    """A break is a warn finding about the source; an identity resting on a blank operand is info."""
    found: list[Finding] = []
    for r in rows:
        where = {_SUBJECT_FIELD[r.identity]: r.subject}
        if r.evaluable and not r.holds:
            found.append(Finding(
                check=r.identity, severity="warn", stage="identities", table=r.table,
                message=f"{r.identity} broken for {_SUBJECT_FIELD[r.identity]} {r.subject}: "
                        f"{_SIDES[r.identity][0]} is printed as {r.printed}, {_SIDES[r.identity][1]} is {r.expected}",
                printed=r.printed,
                expected=r.expected,
                evidence=f"{r.printed_terms} = {r.printed} ≠ {r.expected_terms} = {r.expected}",
                **where,
            ))
        elif not r.evaluable:
            found.append(Finding(
                check="unverifiable", severity="info", stage="identities", table=r.table,
                message=f"{r.identity} for {r.subject} unverifiable: {r.reason}",
                evidence=r.reason, **where,
            ))
    return found
