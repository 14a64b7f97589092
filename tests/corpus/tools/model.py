"""The report model behind the labelled corpus: one set of printed cells, many renderings.

A case is built once as printed cell texts (what the source shows in each canonical position),
then rendered as HTML, crawler text, markdown, PDF text or run-together text. The labels are
derived from the same printed texts, so a rendering can only be wrong by misplacing a text, and
the renderers place texts by the official table layout. Identity breaks are computed here, from
the spec's rules, independently of the parser (`ogi/identities.py`).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

# --- canonical keys (report-tables.md) -----------------------------------------------------------

REQ_COLS = ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")
APPLICANT_COLS = REQ_COLS[:-1]
DENIED = ("denied_state_secret", "denied_law_prohibited", "denied_security_stability", "denied_third_party",
          "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_query_matter")
UNAVAILABLE = ("unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear")
NOT_PROCESSED = ("not_processed_petition", "not_processed_duplicate", "not_processed_publication",
                 "not_processed_excessive", "not_processed_confirmation")
OTHER = {"2019": ("other",), "2021": ("other_no_correction", "other_unpaid_fee", "other_misc")}
PROCEEDINGS = ("review", "litigation_direct", "litigation_after_review")
OUTCOMES = ("upheld", "corrected", "other", "pending", "total")

ACTIVE_LAYOUT: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "2021": [
        ("regulations", ("issued", "repealed", "in_force")),
        ("normative_documents", ("issued", "repealed", "in_force")),
        ("licensing", ("decisions",)),
        ("penalty", ("decisions",)),
        ("coercion", ("decisions",)),
        ("fees", ("fee_amount",)),
    ],
    "2019": [
        ("regulations", ("new_made", "new_published", "total_published")),
        ("normative_documents", ("new_made", "new_published", "total_published")),
        ("licensing", ("prev_year_items", "change", "decisions")),
        ("other_services", ("prev_year_items", "change", "decisions")),
        ("penalty", ("prev_year_items", "change", "decisions")),
        ("coercion", ("prev_year_items", "change", "decisions")),
        ("fees", ("prev_year_items", "change")),
        ("procurement", ("items", "amount")),
    ],
}
MONEY = {"fee_amount", "amount"}
SIGNED = {"change"}


def outcome_rows(fmt: str) -> tuple[str, ...]:
    return ("granted", "partially_granted", *DENIED, *UNAVAILABLE, *NOT_PROCESSED, *OTHER[fmt])


def request_rows(fmt: str) -> tuple[str, ...]:
    return ("new_received", "carried_over", *outcome_rows(fmt), "total_processed", "carried_forward")


# --- printed text → value --------------------------------------------------------------------------

PLACEHOLDERS = {"-", "--", "—", "/", "无", "－", "／"}
_NUM = re.compile(r"^(?P<sign>[+\-])?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?P<unit>万元|元)?$")
_FACTOR = {"元": Decimal(1), "万元": Decimal(10000)}


def read_printed(raw: str) -> tuple[Decimal | None, str | None]:
    """The number a printed cell means and the unit printed in it; (None, None) for blanks and '-'."""
    text = raw.strip()
    if text == "" or text in PLACEHOLDERS:
        return None, None
    m = _NUM.match(text)
    if not m:
        raise ValueError(f"not a printed number: {raw!r}")
    value = Decimal(m.group("num").replace(",", "") + (m.group("frac") or ""))
    if m.group("sign") == "-":
        value = -value
    return value, m.group("unit")


def json_value(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# --- the model -------------------------------------------------------------------------------------


@dataclass
class Tables:
    """The printed cells of the three tables of one report (texts as printed, "" = blank)."""

    fmt: str
    active: dict[str, list[str]]
    requests: dict[str, list[str]]
    review: list[str]
    fee_header_unit: str | None = None  # unit printed in the fee header, e.g. 万元
    procurement_header_unit: str | None = None  # 2019: unit printed in the 采购总金额 header
    short_rows: dict[str, int] = field(default_factory=dict)  # row → cells printed (rest not printed)
    inferred: set[tuple[str, str]] = field(default_factory=set)  # (table, row) split by count/identities

    def check(self) -> None:
        for item, measures in ACTIVE_LAYOUT[self.fmt]:
            if len(self.active[item]) != len(measures):
                raise ValueError(f"active {item}: {self.active[item]}")
        if set(self.active) != {i for i, _ in ACTIVE_LAYOUT[self.fmt]}:
            raise ValueError(f"active items {sorted(self.active)}")
        if list(self.requests) != list(request_rows(self.fmt)):
            raise ValueError("requests rows out of order or missing")
        for row, raws in self.requests.items():
            if len(raws) != 7:
                raise ValueError(f"requests {row}: {raws}")
            if row in self.short_rows and any(r != "" for r in raws[self.short_rows[row]:]):
                raise ValueError(f"short row {row} has printed cells past its end")
        if len(self.review) != 15:
            raise ValueError("review row must have 15 cells")
        for raw in self.all_raws():
            read_printed(raw)

    def all_raws(self) -> list[str]:
        return [r for v in self.active.values() for r in v] + [r for v in self.requests.values() for r in v] + self.review

    def review_rows(self) -> dict[str, list[str]]:
        return {p: self.review[5 * k:5 * k + 5] for k, p in enumerate(PROCEEDINGS)}

    # ---- labels

    def label_cells(self) -> list[dict[str, object]]:
        cells: list[dict[str, object]] = []
        for item, measures in ACTIVE_LAYOUT[self.fmt]:
            for measure, raw in zip(measures, self.active[item], strict=True):
                value, unit = read_printed(raw)
                cell: dict[str, object] = {"table": "active", "row": item, "col": measure, "raw": raw.strip()}
                if measure in MONEY:
                    header = self.fee_header_unit if measure == "fee_amount" else self.procurement_header_unit
                    if unit:
                        source = "printed"
                    elif header:
                        unit, source = header, "printed"
                    elif measure == "fee_amount" and self.fmt == "2021":
                        unit, source = "万元", "template"
                    else:
                        source = None
                    if value is not None and unit:
                        value = value * _FACTOR[unit]
                    cell["value"] = json_value(value)
                    if value is not None:
                        cell["unit"] = unit
                        cell["unit_source"] = source
                else:
                    cell["value"] = json_value(value)
                if ("active", item) in self.inferred:
                    cell["placement"] = "inferred"
                cells.append(cell)
        for row, raws in self.requests.items():
            for col, raw in zip(REQ_COLS, raws, strict=True):
                cell = {"table": "requests", "row": row, "col": col, "raw": raw.strip(),
                        "value": json_value(read_printed(raw)[0])}
                if ("requests", row) in self.inferred:
                    cell["placement"] = "inferred"
                cells.append(cell)
        for proc, raws in self.review_rows().items():
            for outcome, raw in zip(OUTCOMES, raws, strict=True):
                cell = {"table": "review_litigation", "row": proc, "col": outcome, "raw": raw.strip(),
                        "value": json_value(read_printed(raw)[0])}
                if ("review_litigation", proc) in self.inferred:
                    cell["placement"] = "inferred"
                cells.append(cell)
        return cells

    def identity_breaks(self) -> list[dict[str, str]]:
        """Every identity the printed numbers break, under the spec's rules (printed operands only)."""
        return identity_breaks(self.label_cells(), self.fmt)


def identity_breaks(cells: list[dict[str, object]], fmt: str) -> list[dict[str, str]]:
    req = {(c["row"], c["col"]): c for c in cells if c["table"] == "requests"}
    rev = {(c["row"], c["col"]): c for c in cells if c["table"] == "review_litigation"}

    def side(table: dict, terms: list[tuple[str, str]]) -> Decimal | None:
        total = Decimal(0)
        for key in terms:
            c = table.get(key)
            if c is None or c["value"] is None or c.get("placement") == "inferred":
                return None
            total += Decimal(str(c["value"]))
        return total

    def broken(table: dict, left: list[tuple[str, str]], right: list[tuple[str, str]]) -> bool:
        a, b = side(table, left), side(table, right)
        return a is not None and b is not None and a != b

    out: list[dict[str, str]] = []
    if req:
        outcomes = outcome_rows(fmt)
        for col in REQ_COLS:
            if broken(req, [("total_processed", col), ("carried_forward", col)],
                      [("new_received", col), ("carried_over", col)]):
                out.append({"check": "I1", "col": col})
        for col in REQ_COLS:
            if broken(req, [("total_processed", col)], [(r, col) for r in outcomes]):
                out.append({"check": "I2", "col": col})
        for row in request_rows(fmt):
            if broken(req, [(row, "total")], [(row, c) for c in APPLICANT_COLS]):
                out.append({"check": "I3", "row": row})
    if rev:
        for proc in PROCEEDINGS:
            if broken(rev, [(proc, "total")], [(proc, o) for o in OUTCOMES[:-1]]):
                out.append({"check": "I4", "row": proc})
    return out


# --- numbers --------------------------------------------------------------------------------------

WEIGHTS = {
    "granted": 30, "partially_granted": 10, "denied_state_secret": 0.4, "denied_law_prohibited": 0.6,
    "denied_security_stability": 0.4, "denied_third_party": 1.5, "denied_internal_affairs": 1.5,
    "denied_process_info": 2.5, "denied_enforcement_file": 0.8, "denied_query_matter": 1.5,
    "unavailable_not_held": 22, "unavailable_needs_creation": 3, "unavailable_unclear": 2,
    "not_processed_petition": 3, "not_processed_duplicate": 3, "not_processed_publication": 0.8,
    "not_processed_excessive": 0.8, "not_processed_confirmation": 1, "other": 4,
    "other_no_correction": 2, "other_unpaid_fee": 0.2, "other_misc": 3,
}


def gen_requests(seed: int, fmt: str, new: list[int], carried_over: list[int], carried_forward: list[int],
                 weights: dict[str, float] | None = None) -> dict[str, list[int]]:
    """A consistent requests table: per applicant column, outcomes add up and I1–I3 hold."""
    rng = random.Random(seed)
    w = {**WEIGHTS, **(weights or {})}
    outcomes = outcome_rows(fmt)
    table: dict[str, list[int]] = {r: [0] * 7 for r in request_rows(fmt)}
    for k in range(6):
        processed = new[k] + carried_over[k] - carried_forward[k]
        if processed < 0:
            raise ValueError("carried_forward exceeds what was open")
        table["new_received"][k] = new[k]
        table["carried_over"][k] = carried_over[k]
        table["carried_forward"][k] = carried_forward[k]
        table["total_processed"][k] = processed
        for r in rng.choices(outcomes, weights=[w[r] for r in outcomes], k=processed):
            table[r][k] += 1
    for r in table:
        table[r][6] = sum(table[r][:6])
    return table


def as_raws(table: dict[str, list[int]]) -> dict[str, list[str]]:
    return {r: [str(v) for v in vals] for r, vals in table.items()}


def review_raws(review: tuple[int, int, int, int], direct: tuple[int, int, int, int],
                after: tuple[int, int, int, int]) -> list[str]:
    out: list[str] = []
    for parts in (review, direct, after):
        out += [str(v) for v in parts] + [str(sum(parts))]
    return out


# --- run-together splitting, to prove a case's digits have one reading ------------------------------


def splits(text: str, n: int, signed: frozenset[int] = frozenset()) -> list[list[str]]:
    """All ways to cut `text` into n printed numbers (no leading zeros; signs only at `signed` places)."""
    out: list[list[str]] = []
    cuts_max = len(text) - 1
    for cuts in combinations(range(1, cuts_max + 1), n - 1):
        bounds = (0, *cuts, len(text))
        parts = [text[bounds[i]:bounds[i + 1]] for i in range(n)]
        ok = True
        for i, p in enumerate(parts):
            body = p[1:] if p[:1] in "+-" and i in signed else p
            if not body.isdigit() or (len(body) > 1 and body[0] == "0"):
                ok = False
                break
        if ok:
            out.append(parts)
    return out


def assert_unique_split(text: str, want: list[str], constraint=None, signed: frozenset[int] = frozenset()) -> None:
    readings = [p for p in splits(text, len(want), signed) if constraint is None or constraint(p)]
    if readings != [want]:
        raise SystemExit(f"run-together {text!r} does not read uniquely as {want}: {readings[:5]}")
