"""The tables' accounting identities, built once as data.

Each identity instance (I1 for one column, I3 for one row, …) becomes one row of a frame with its
two sides. `ogi parse` turns the rows into findings; the great-expectations suites validate the
very same frame (expectations/), so the CLI and the Dagster checks cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal

from ogi.model import Cell, Finding, Placement
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

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


IDENTITY_COLUMNS = tuple(IdentityRow.__dataclass_fields__)
# Cells that are no evidence for an identity: placed by the identities themselves (inferred), or read
# from a scan (ocr), where a misread would "verify" or "break" an identity the source never printed.
UNVERIFIABLE_PLACEMENTS = frozenset({Placement.INFERRED, Placement.OCR})


def _side(cells: dict[tuple[str, str], Cell], terms: Sequence[tuple[str, str]]) -> tuple[Decimal | None, str | None]:
    """Sum of printed operands, or None with the reason an operand cannot be evidence."""
    total = Decimal(0)
    for row, col in terms:
        cell = cells.get((row, col))
        if cell is None or cell.raw is None:
            return None, f"missing operand: {row}/{col}"
        if cell.placement in UNVERIFIABLE_PLACEMENTS:
            return None, f"{Placement(cell.placement).value} operand: {row}/{col}"
        if cell.value is None:
            return None, f"blank operand: {row}/{col}" if cell.raw == "" else f"non-numeric operand: {row}/{col} {cell.raw!r}"
        total += Decimal(cell.value)
    return total, None


def _instance(identity: str, table: str, subject: str, cells: dict[tuple[str, str], Cell],
              printed_terms: Sequence[tuple[str, str]], expected_terms: Sequence[tuple[str, str]]) -> IdentityRow:
    printed, why_p = _side(cells, printed_terms)
    expected, why_e = _side(cells, expected_terms)
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
