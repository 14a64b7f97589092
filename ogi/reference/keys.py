"""Canonical keys of report-tables.md: stable identifiers, never renamed (add new ones instead)."""

from __future__ import annotations

TABLES = ("active", "requests", "review_litigation")
FORMATS = ("2021", "2019", "pre2019")

# --- table `requests` ---------------------------------------------------------------------------
REQUEST_COLS = (
    "natural_person",
    "commercial",
    "research",
    "social_org",
    "legal_service",
    "other_org",
    "total",
)
APPLICANT_COLS = REQUEST_COLS[:-1]

DENIED_ROWS = (
    "denied_state_secret",
    "denied_law_prohibited",
    "denied_security_stability",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_file",
    "denied_query_matter",
)
UNAVAILABLE_ROWS = ("unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear")
NOT_PROCESSED_ROWS = (
    "not_processed_petition",
    "not_processed_duplicate",
    "not_processed_publication",
    "not_processed_excessive",
    "not_processed_confirmation",
)
OTHER_ROWS_2019 = ("other",)
OTHER_ROWS_2021 = ("other_no_correction", "other_unpaid_fee", "other_misc")

OUTCOME_ROWS_COMMON = ("granted", "partially_granted", *DENIED_ROWS, *UNAVAILABLE_ROWS, *NOT_PROCESSED_ROWS)


def request_rows(fmt: str) -> tuple[str, ...]:
    """Rows of the requests table in printed order for a format."""
    other = OTHER_ROWS_2021 if fmt == "2021" else OTHER_ROWS_2019
    return (
        "new_received",
        "carried_over",
        *OUTCOME_ROWS_COMMON,
        *other,
        "total_processed",
        "carried_forward",
    )


# Every requests row of either format, in printed order (the 2019 single `other` row before the 2021 three).
ALL_REQUEST_ROWS = (
    "new_received",
    "carried_over",
    *OUTCOME_ROWS_COMMON,
    *OTHER_ROWS_2019,
    *OTHER_ROWS_2021,
    "total_processed",
    "carried_forward",
)

# --- table `review_litigation` -------------------------------------------------------------------
PROCEEDINGS = ("review", "litigation_direct", "litigation_after_review")
OUTCOMES = ("upheld", "corrected", "other", "pending", "total")

# --- table `active` ------------------------------------------------------------------------------
ACTIVE_ITEMS = (
    "regulations",
    "normative_documents",
    "licensing",
    "other_services",
    "penalty",
    "coercion",
    "fees",
    "procurement",
)
ACTIVE_MEASURES = (
    "issued",
    "repealed",
    "in_force",
    "new_made",
    "new_published",
    "total_published",
    "prev_year_items",
    "change",
    "decisions",
    "fee_amount",
    "items",
    "amount",
)
MONEY_MEASURES = frozenset({"fee_amount", "amount"})
SIGNED_MEASURES = frozenset({"change"})

# The official template's measures per item, used when a header row is missing or unreadable.
TEMPLATE_MEASURES: dict[str, dict[str, tuple[str, ...]]] = {
    "2021": {
        "regulations": ("issued", "repealed", "in_force"),
        "normative_documents": ("issued", "repealed", "in_force"),
        "licensing": ("decisions",),
        "penalty": ("decisions",),
        "coercion": ("decisions",),
        "fees": ("fee_amount",),
    },
    "2019": {
        "regulations": ("new_made", "new_published", "total_published"),
        "normative_documents": ("new_made", "new_published", "total_published"),
        "licensing": ("prev_year_items", "change", "decisions"),
        "other_services": ("prev_year_items", "change", "decisions"),
        "penalty": ("prev_year_items", "change", "decisions"),
        "coercion": ("prev_year_items", "change", "decisions"),
        "fees": ("prev_year_items", "change"),
        "procurement": ("items", "amount"),
    },
}
# Unit of money measures in the official template when the header prints none.
TEMPLATE_MONEY_UNIT = {"fee_amount": "万元"}

# Every row and column key of the three tables, for checks of a cell's keys.
ALL_ROWS = tuple(dict.fromkeys((*ACTIVE_ITEMS, *ALL_REQUEST_ROWS, *PROCEEDINGS)))
ALL_COLS = tuple(dict.fromkeys((*ACTIVE_MEASURES, *REQUEST_COLS, *OUTCOMES)))

# --- pre-2019 prose facts ------------------------------------------------------------------------
FACT_KEYS = (
    "proactive_items",
    "requests_received",
    "requests_granted",
    "requests_partially_granted",
    "requests_denied",
    "requests_completed_on_time",
    "requests_completed_extended",
    "review_cases",
    "review_upheld",
    "review_corrected",
    "review_other",
    "litigation_cases",
    "litigation_upheld",
    "litigation_corrected",
    "litigation_other",
    "fees_charged",
)
