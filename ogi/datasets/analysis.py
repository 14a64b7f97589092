"""Analysis-ready rows of one canonical report: the wide tables and the harmonised headline figures.

`cells` is long (one row per printed cell); BI wants one row per report (`active`,
`review_litigation`, `headline`) or per report and applicant type (`requests`), with canonical
column names. Counts are integers, money is decimal yuan beside its printed unit, a blank cell
stays null (never 0), and a figure derived from several cells exists only when every one of them
is a printed number. `headline` harmonises the eras: 2019+ figures from the tables, pre-2019 from
the prose facts and statistics tables, each with its source (`cell`, `cells` for a sum of cells,
`fact`); the 2019 single (六)其他处理 row and the 2021 three are comparable as `other_total`; the
2019 and 2021 `active` measures are different questions and stay in different columns.
"""

from __future__ import annotations

from typing import Any

from ogi.model import Cell, Fact, Placement
from ogi.reference import keys

CellMap = dict[tuple[str, str, str], Cell]


def cell_map(cells: list[Cell]) -> CellMap:
    return {(c.table, c.row, c.col): c for c in cells}


def _count(cell: Cell | None) -> int | None:
    """A printed count as an integer; None for a blank, an absent or a non-integral cell (never rounded)."""
    if cell is None or cell.value is None:
        return None
    value = cell.value
    return int(value) if value == value.to_integral_value() else None


def _sum(cells: CellMap, table: str, rows: tuple[str, ...], col: str) -> int | None:
    """The sum of several printed counts; None unless every one of them is printed."""
    values = [_count(cells.get((table, r, col))) for r in rows]
    return None if any(v is None for v in values) else sum(values)  # type: ignore[arg-type]


def other_total(cells: CellMap, col: str, fmt: str | None) -> int | None:
    """(六)其他处理 as one figure: the 2019 row, or the sum of the 2021 three when all are printed."""
    if fmt == "2019" or ("requests", "other", col) in cells:
        return _count(cells.get(("requests", "other", col)))
    return _sum(cells, "requests", keys.OTHER_ROWS_2021, col)


def _flags(cells: list[Cell]) -> dict[str, int]:
    return {"inferred_cells": sum(c.placement == Placement.INFERRED for c in cells),
            "ocr_cells": sum(c.placement == Placement.OCR for c in cells)}


def requests_rows(base: dict[str, Any], cells: list[Cell], fmt: str | None) -> list[dict[str, Any]]:
    """One row per applicant type (the columns of the printed table), its rows as columns."""
    mine = [c for c in cells if c.table == "requests"]
    if not mine:
        return []
    by_key = cell_map(mine)
    out = []
    for order, col in enumerate(keys.REQUEST_COLS):
        col_cells = [c for c in mine if c.col == col]
        row = {**base, "applicant": col, "applicant_order": order,
               **{r: _count(by_key.get(("requests", r, col))) for r in keys.ALL_REQUEST_ROWS},
               "other_total": other_total(by_key, col, fmt), **_flags(col_cells)}
        out.append(row)
    return out


def active_columns() -> list[tuple[str, str]]:
    """(item, measure) of either template, in printed order: the columns of `active`."""
    seen: dict[tuple[str, str], None] = {}
    for fmt in ("2021", "2019"):
        for item, measures in keys.TEMPLATE_MEASURES[fmt].items():
            for measure in measures:
                seen.setdefault((item, measure), None)
    return sorted(seen, key=lambda im: (keys.ACTIVE_ITEMS.index(im[0]), keys.ACTIVE_MEASURES.index(im[1])))


def active_row(base: dict[str, Any], cells: list[Cell]) -> dict[str, Any] | None:
    mine = [c for c in cells if c.table == "active"]
    if not mine:
        return None
    by_key = cell_map(mine)
    row = {**base, **_flags(mine)}
    for item, measure in active_columns():
        cell = by_key.get(("active", item, measure))
        name = f"{item}_{measure}"
        if measure in keys.MONEY_MEASURES:
            row[name] = cell.value if cell else None
            row[f"{name}_unit"] = cell.unit if cell else None
        elif measure in keys.SIGNED_MEASURES:
            row[name] = _count(cell)
        else:
            row[name] = _count(cell)
    return row


def review_row(base: dict[str, Any], cells: list[Cell]) -> dict[str, Any] | None:
    mine = [c for c in cells if c.table == "review_litigation"]
    if not mine:
        return None
    by_key = cell_map(mine)
    return {**base, **{f"{p}_{o}": _count(by_key.get(("review_litigation", p, o)))
                       for p in keys.PROCEEDINGS for o in keys.OUTCOMES}, **_flags(mine)}


HEADLINE_FIGURES = (
    "requests_received", "requests_carried_over", "requests_processed", "requests_granted",
    "requests_partially_granted", "requests_denied", "requests_other_total", "requests_carried_forward",
    "reviews", "reviews_upheld", "reviews_corrected", "suits", "suits_upheld", "suits_corrected",
    "proactive_items",
)
# The 2019 and 2021 active tables measure different things: each keeps its own columns.
HEADLINE_ACTIVE = {
    "normative_documents_issued_2021": ("2021", "normative_documents", "issued"),
    "normative_documents_in_force_2021": ("2021", "normative_documents", "in_force"),
    "normative_documents_new_published_2019": ("2019", "normative_documents", "new_published"),
    "normative_documents_total_published_2019": ("2019", "normative_documents", "total_published"),
    "licensing_decisions": (None, "licensing", "decisions"),
    "penalty_decisions": (None, "penalty", "decisions"),
}
_FACT_OF = {
    "requests_received": "requests_received", "requests_granted": "requests_granted",
    "requests_partially_granted": "requests_partially_granted", "requests_denied": "requests_denied",
    "reviews": "review_cases", "reviews_upheld": "review_upheld", "reviews_corrected": "review_corrected",
    "suits": "litigation_cases", "suits_upheld": "litigation_upheld", "suits_corrected": "litigation_corrected",
    "proactive_items": "proactive_items",
}


def _from_tables(cells: CellMap, figure: str, fmt: str | None) -> tuple[int | None, str | None]:
    req = "requests"
    single = {"requests_received": "new_received", "requests_carried_over": "carried_over",
              "requests_processed": "total_processed", "requests_granted": "granted",
              "requests_partially_granted": "partially_granted", "requests_carried_forward": "carried_forward"}
    if figure in single:
        cell = cells.get((req, single[figure], "total"))
        return (_count(cell), "cell") if cell else (None, None)
    if figure == "requests_denied":
        if not any(k[0] == req and k[1] in keys.DENIED_ROWS for k in cells):
            return None, None
        return _sum(cells, req, keys.DENIED_ROWS, "total"), "cells"
    if figure == "requests_other_total":
        if not any(k[0] == req and k[1] in (*keys.OTHER_ROWS_2019, *keys.OTHER_ROWS_2021) for k in cells):
            return None, None
        return other_total(cells, "total", fmt), "cell" if fmt == "2019" else "cells"
    rl = "review_litigation"
    if figure.startswith("reviews"):
        outcome = {"reviews": "total", "reviews_upheld": "upheld", "reviews_corrected": "corrected"}[figure]
        cell = cells.get((rl, "review", outcome))
        return (_count(cell), "cell") if cell else (None, None)
    if figure.startswith("suits"):
        outcome = {"suits": "total", "suits_upheld": "upheld", "suits_corrected": "corrected"}[figure]
        if (rl, "litigation_direct", outcome) not in cells and (rl, "litigation_after_review", outcome) not in cells:
            return None, None
        return _sum(cells, rl, ("litigation_direct", "litigation_after_review"), outcome), "cells"
    return None, None


def headline_row(base: dict[str, Any], cells: list[Cell], facts: list[Fact], fmt: str | None) -> dict[str, Any]:
    """The figures a reader wants first, harmonised across the three eras, each with its source."""
    by_key = cell_map(cells)
    year_facts = {f.key: f for f in facts if f.period == "year"}
    row = dict(base)
    for figure in HEADLINE_FIGURES:
        value, source = (None, None)
        if fmt in ("2019", "2021"):
            value, source = _from_tables(by_key, figure, fmt)
        if source is None and figure in _FACT_OF and _FACT_OF[figure] in year_facts:
            fact = year_facts[_FACT_OF[figure]]
            value = int(fact.value) if fact.value == fact.value.to_integral_value() else None
            source = "fact"
        row[figure] = value
        row[f"{figure}_source"] = source if value is not None else None
    for name, (only, item, measure) in HEADLINE_ACTIVE.items():
        cell = by_key.get(("active", item, measure))
        row[name] = _count(cell) if (only is None or only == fmt) else None
    return row
