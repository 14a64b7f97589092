"""great-expectations suites as JSON: contracts generated from the registry, rules written by hand.

A contract suite says what every field of a dataset promises (types of the columns present,
required columns, primary-key uniqueness, allowed values, ranges, patterns) and is generated from
ogi/datasets/registry.py — `python -m expectations.generate` rewrites suites/contract_*.json (and the
identity suites, one template for I1–I4), and a test fails when they are not current. Rules that are not a property of one field (a blank cell
has no value; a report is filed under its own year and province) live in suites/rules_*.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ogi.datasets.registry import PUBLISHED, REFERENCE, Dataset

SUITES_DIR = Path(__file__).parent / "suites"


def _expectation(type_: str, meta: str, **kwargs: Any) -> dict[str, Any]:
    return {"type": type_, "kwargs": kwargs, "meta": {"notes": meta}}


def contract_suite(dataset: Dataset) -> dict[str, Any]:
    """The GX suite of a dataset's field contracts, derived from the registry alone."""
    out: list[dict[str, Any]] = [
        # The set, exactly (the order is the registry's by construction: every table is built on its schema).
        _expectation("expect_table_columns_to_match_set", "the registry's columns, exactly",
                     column_set=dataset.names, exact_match=True),
    ]
    for f in dataset.fields:
        if not f.nullable:
            out.append(_expectation("expect_column_values_to_not_be_null", f"{f.name} is required", column=f.name))
        if f.allowed:
            out.append(_expectation("expect_column_values_to_be_in_set", f"{f.name} takes known values",
                                    column=f.name, value_set=list(f.allowed)))
        if f.minimum is not None or f.maximum is not None:
            out.append(_expectation("expect_column_values_to_be_between", f"{f.name} in range", column=f.name,
                                    min_value=f.minimum, max_value=f.maximum))
        if f.pattern:
            out.append(_expectation("expect_column_values_to_match_regex", f"{f.name} is well-formed",
                                    column=f.name, regex=f.pattern))
    if len(dataset.primary_key) == 1:
        out.append(_expectation("expect_column_values_to_be_unique", "primary key", column=dataset.primary_key[0]))
    elif dataset.primary_key:
        out.append(_expectation("expect_compound_columns_to_be_unique", "primary key",
                                column_list=list(dataset.primary_key)))
    return {
        "name": f"contract_{dataset.name}",
        "meta": {"generated_from": "ogi/datasets/registry.py", "dataset": dataset.name,
                 "description": f"Field contract of `{dataset.name}`: {dataset.description}"},
        "expectations": out,
    }


IDENTITIES = {
    "I1": "requests, every column: new_received + carried_over = total_processed + carried_forward",
    "I2": "requests, every column: total_processed = the sum of the outcome rows",
    "I3": "requests, every row: total = the sum of the six applicant columns",
    "I4": "review_litigation, every proceeding: total = upheld + corrected + other + pending",
}


def identity_suite(identity: str) -> dict[str, Any]:
    """One identity's suite: GX adds up the printed operands of both sides and compares the sums itself,
    on the instances whose operands are all printed numbers (report-tables.md; the others are
    `unverifiable` findings, not passes and not breaks)."""
    return {
        "name": f"identity_{identity}",
        "meta": {"generated_from": "expectations/generate.py", "dataset": "identities",
                 "description": f"Identity {identity} ({IDENTITIES[identity]}), evaluated by great-expectations on "
                                "the printed operands of every evaluable instance."},
        "expectations": [_expectation(
            "expect_column_pair_sums_to_be_equal", IDENTITIES[identity], column_A="printed_operands",
            column_B="expected_operands", row_condition=f'identity=="{identity}" and evaluable==True',
            condition_parser="pandas")],
    }


def continuity_suites() -> dict[str, dict[str, Any]]:
    """The checks of a body's report against its report of the year before (ogi/datasets/continuity.py)."""
    def suite(name: str, description: str, expectation: dict[str, Any]) -> dict[str, Any]:
        return {"name": name, "meta": {"generated_from": "expectations/generate.py", "dataset": "continuity",
                                       "description": description}, "expectations": [expectation]}

    return {
        "continuity_I5": suite("continuity_I5", "I5: carried over this year = the body's carried forward last year.",
                               _expectation("expect_column_pair_sums_to_be_equal", "I5", column_A="printed_operands",
                                            column_B="expected_operands",
                                            row_condition='check=="I5" and evaluable==True', condition_parser="pandas")),
        "continuity_stock": suite(
            "continuity_stock", "In force last year + issued − repealed = in force (2021 format both years).",
            _expectation("expect_column_pair_sums_to_be_equal", "in_force + repealed = last in_force + issued",
                         column_A="printed_operands", column_B="expected_operands",
                         row_condition='check=="active_stock" and evaluable==True', condition_parser="pandas")),
        "continuity_jump": suite(
            "continuity_jump", "New requests within a tenfold change of the body's last year.",
            _expectation("expect_column_values_to_be_between", "0.1 < this year ÷ last year < 10", column="ratio",
                         min_value=0.1, max_value=10, strict_min=True, strict_max=True,
                         row_condition='check=="requests_jump"', condition_parser="pandas")),
    }


def render(suite: dict[str, Any]) -> str:
    return json.dumps(suite, ensure_ascii=False, indent=2) + "\n"


def load_suite(name: str, directory: Path | None = None) -> dict[str, Any]:
    return json.loads(((directory or SUITES_DIR) / f"{name}.json").read_text(encoding="utf-8"))


def generated_suites() -> dict[str, str]:
    """File name → text of every generated contract suite."""
    out = {f"contract_{d.name}.json": render(contract_suite(d)) for d in (*PUBLISHED.values(), *REFERENCE.values())}
    out.update({f"identity_{i}.json": render(identity_suite(i)) for i in IDENTITIES})
    out.update({f"{name}.json": render(suite) for name, suite in continuity_suites().items()})
    return out


def write_generated(directory: Path = SUITES_DIR) -> list[Path]:
    written = []
    for name, text in generated_suites().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    for path in write_generated():
        print(f"wrote {path}")
