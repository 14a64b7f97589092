"""A body's report against its own report of the year before.

- I5 (report-tables.md): this year's carried_over equals last year's carried_forward (requests, total).
- Stock: last year's in_force + this year's issued − this year's repealed = this year's in_force, for
  regulations and normative documents, where both years use the 2021 format (the 2019 format
  counts something else).
- A jump: new requests ten times (or a tenth of) last year's, with at least 10 on the larger side —
  often a misplaced digit or a roll-up confused with a body's own report.

Rows hold the printed operands of both sides; the great-expectations suites do the arithmetic
(expectations/custom.py). A break is a WARN finding about the source, never a correction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ogi.datasets.registry import ContinuityCheck
from ogi.model import Finding, Severity, Stage

JUMP = Decimal(10)
JUMP_FLOOR = 10


STOCK_ITEMS = ("regulations", "normative_documents")


@dataclass(frozen=True)
class YearFigures:
    """What the continuity checks need of one body's canonical report of one year."""

    report_id: str
    format: str | None
    carried_over: int | None = None
    carried_forward: int | None = None
    new_received: int | None = None
    stock: tuple[tuple[str, int | None, int | None, int | None], ...] = ()  # (item, issued, repealed, in_force)


def figures_of(report_id: str, fmt: str | None, requests_total: dict[str, Any] | None,
               active: dict[str, Any] | None) -> YearFigures:
    """A report's figures from its `requests` total row and its `active` row."""
    req, act = requests_total or {}, active or {}
    stock = tuple((item, act.get(f"{item}_issued"), act.get(f"{item}_repealed"), act.get(f"{item}_in_force"))
                  for item in STOCK_ITEMS) if fmt == "2021" else ()
    return YearFigures(report_id, fmt, req.get("carried_over"), req.get("carried_forward"), req.get("new_received"),
                       stock)


def index_previous(requests: list[dict[str, Any]], active: list[dict[str, Any]]) -> dict[str, YearFigures]:
    """body_id → a year's figures, from that year's `requests` (applicant total) and `active` rows."""
    totals = {r["report_id"]: r for r in requests if r["applicant"] == "total"}
    actives = {r["report_id"]: r for r in active}
    bodies: dict[str, YearFigures] = {}
    for rid in sorted({*totals, *actives}):
        row = totals.get(rid) or actives.get(rid)
        if row and row.get("body_id") and row.get("scope"):
            bodies[f"{row['body_id']}|{row['scope']}"] = figures_of(rid, row.get("format"), totals.get(rid),
                                                                   actives.get(rid))
    return bodies


def _dec(v: int | None) -> Decimal | None:
    return None if v is None else Decimal(v)


def check(base: dict[str, Any], now: YearFigures, before: YearFigures) -> tuple[list[dict[str, Any]], list[Finding]]:
    """The continuity rows of one report against the same body's report of the year before, and the breaks."""
    rows: list[dict[str, Any]] = []
    findings: list[Finding] = []
    year = base["year"]

    def add(kind: ContinuityCheck, subject: str, printed: list[Decimal | None], expected: list[Decimal | None],
            message: str, ratio: float | None = None, jump: bool | None = None) -> None:
        evaluable = all(v is not None for v in (*printed, *expected))
        if kind == ContinuityCheck.REQUESTS_JUMP:
            holds = None if jump is None else not jump
        else:
            holds = (sum(printed) == sum(expected)) if evaluable else None  # type: ignore[arg-type]
        rows.append({**base, "check": str(kind), "subject": subject, "previous_report_id": before.report_id,
                     "printed_operands": printed, "expected_operands": expected, "ratio": ratio,
                     "evaluable": evaluable, "holds": holds})
        if holds is False:
            findings.append(Finding(str(kind), Severity.WARN, message, stage=Stage.NORMALIZE,
                                    table="requests" if subject.startswith("requests") else "active",
                                    row=None if subject.startswith("requests") else subject,
                                    printed=sum(printed), expected=sum(expected),  # type: ignore[arg-type]
                                    evidence=f"the body's {year - 1} report {before.report_id}"))

    add(ContinuityCheck.I5, "requests/total", [_dec(now.carried_over)], [_dec(before.carried_forward)],
        f"I5 broken: carried over from {year - 1} is printed as {now.carried_over}; the body's {year - 1} report "
        f"carried forward {before.carried_forward}")
    if now.format == "2021" and before.format == "2021":
        previous = {item: in_force for item, _, _, in_force in before.stock}
        for item, issued, repealed, in_force in now.stock:
            add(ContinuityCheck.ACTIVE_STOCK, item, [_dec(in_force), _dec(repealed)],
                [_dec(previous.get(item)), _dec(issued)],
                f"{item}: {previous.get(item)} in force in {year - 1} + {issued} issued − {repealed} repealed ≠ "
                f"{in_force} in force")
    received, last = now.new_received, before.new_received
    if received is not None and last is not None and max(received, last) >= JUMP_FLOOR and min(received, last) > 0:
        ratio = received / last
        add(ContinuityCheck.REQUESTS_JUMP, "requests/new_received", [_dec(received)], [_dec(last)],
            f"new requests went from {last} in {year - 1} to {received} (×{ratio:.2f}): a tenfold change",
            ratio=ratio, jump=ratio >= float(JUMP) or ratio <= 1 / float(JUMP))
    return rows, findings
