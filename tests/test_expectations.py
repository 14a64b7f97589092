"""Every expectation of every suite: a crafted dataset that passes it, and one that fails it.

Valid rows are made from the registry (each field's allowed values, range, pattern), so the test
follows the suites as the registry changes; each expectation is then run alone, on the valid frame
(it must pass) and on a copy broken in the one way it guards against (it must fail).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

from expectations.generate import SUITES_DIR
from expectations.validate import validator
from ogi.datasets.registry import DATASETS, Dataset, Field

_PATTERNED = {
    r"^[0-9a-f]{64}$": lambda i: f"{i:064x}",
    r"^r[0-9a-f]{20}$": lambda i: f"r{i:020x}",
    r"^b\d{6}-[0-9a-f]{8}$": lambda i: f"b430900-{i:08x}",
    r"^\d{6}$": lambda i: "430000",
}


def _value(f: Field, i: int) -> Any:
    """A valid value of a field for row i (distinct across rows where it can be, for primary keys)."""
    if f.pattern:
        return _PATTERNED[f.pattern](i)
    if f.allowed:
        return f.allowed[i % len(f.allowed)] if f.name not in ("status", "stage") else f.allowed[0]
    t = f.type
    if pa.types.is_boolean(t):
        return True
    if pa.types.is_integer(t):
        low = int(f.minimum) if f.minimum is not None else 0
        return low + i if f.maximum is None or low + i <= f.maximum else low
    if pa.types.is_decimal(t):
        return Decimal(i)
    if pa.types.is_floating(t):
        return 0.5
    if pa.types.is_date(t):
        return dt.date(2020, 1, 1)
    if pa.types.is_timestamp(t):
        return dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    if pa.types.is_list(t):
        return [Decimal(i)] if pa.types.is_decimal(t.value_type) else []
    return f"{f.name}-{i}"


# Rows the hand-written rules need to be consistent: a published document names its report, a
# report is filed under the partition's year and province, authoritative.
_FIXUPS = {
    "documents": lambda r, i: r.update(status="published", stage=None, message=None),
    "reports": lambda r, i: r.update(stated_year=2020, province_code="430000", authoritative=True),
    "cells": lambda r, i: r.update(raw=str(i), placement="printed", unit_source="printed"),
    "identities": lambda r, i: r.update(identity="I1", evaluable=True, printed_operands=[Decimal(1), Decimal(2)],
                                        expected_operands=[Decimal(3)]),
}


def valid_frame(dataset: Dataset, rows: int = 3) -> pd.DataFrame:
    records = []
    for i in range(rows):
        record = {f.name: _value(f, i) for f in dataset.fields}
        _FIXUPS.get(dataset.name, lambda r, i: None)(record, i)
        records.append(record)
    frame = dataset.table(records).to_pandas()
    if dataset.name == "reports":
        frame = frame.assign(partition_year=2020, partition_region="430000")
    return frame


def _target(bad: pd.DataFrame, kw: dict[str, Any]) -> Any:
    """The row to break: one the expectation's row_condition selects (made to, for a simple `col=="value"`)."""
    condition = kw.get("row_condition")
    if not condition:
        return bad.index[0]
    selected = bad.query(condition, engine="python").index
    if len(selected):
        return selected[0]
    for column, value in re.findall(r'(\w+)=="([^"]+)"', condition):
        bad.loc[bad.index[0], column] = value
    assert len(bad.query(condition, engine="python").index), condition
    return bad.query(condition, engine="python").index[0]


def _break(expectation: dict[str, Any], frame: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    """A copy of the frame with the one defect this expectation exists to catch."""
    kind, kw = expectation["type"], expectation["kwargs"]
    bad = frame.copy(deep=True)
    column = kw.get("column")
    if kind == "expect_table_columns_to_match_set":
        return bad.drop(columns=[bad.columns[-1]])
    if kind == "expect_column_values_to_not_be_null":
        if kw.get("row_condition"):  # the rules_documents conditions: a non-published document says why
            bad["status"] = "failed" if "!=" in kw["row_condition"] else "published"
        bad[column] = bad[column].astype(object)
        bad.loc[bad.index[0], column] = None
        return bad
    if kind == "expect_column_values_to_be_null":  # rules_cells: a blank cell has no value
        bad.loc[bad.index[0], "raw"] = ""
        bad.loc[bad.index[0], column] = Decimal(1)
        return bad
    if kind == "expect_column_values_to_be_in_set" and isinstance(kw.get("mostly"), dict):
        # rules_documents: too many unreadable documents (a share: break every row)
        bad["status"], bad["stage"] = "failed", "parse"
        return bad
    if kind == "expect_column_values_to_be_in_set":
        allowed = kw["value_set"]
        bad[column] = bad[column].astype(object)
        bad.loc[bad.index[0], column] = (not allowed[0]) if isinstance(allowed[0], bool) else "__not_allowed__"
        return bad
    if kind == "expect_column_values_to_be_between":
        low, high = kw.get("min_value"), kw.get("max_value")
        row = _target(bad, kw)
        bad[column] = bad[column].astype(object)
        bad.loc[row, column] = (low - 1) if low is not None else (high + 1)
        return bad
    if kind == "expect_column_values_to_match_regex":
        bad.loc[bad.index[0], column] = "not matching"
        return bad
    if kind in ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"):
        return pd.concat([bad, bad.iloc[[0]]], ignore_index=True)
    if kind == "expect_column_pair_values_to_be_equal":
        a = kw["column_A"]
        bad[a] = bad[a].astype(object)
        bad.loc[bad.index[0], a] = f"{bad.loc[bad.index[0], kw['column_B']]}x" if isinstance(
            bad.loc[bad.index[0], kw["column_B"]], str) else bad.loc[bad.index[0], kw["column_B"]] + 1
        return bad
    if kind == "expect_column_pair_sums_to_be_equal":
        row = _target(bad, kw)
        bad.at[row, kw["column_B"]] = [sum(bad.at[row, kw["column_A"]]) + 1]
        return bad
    raise AssertionError(f"no way to break {kind}: add one here")


def _cases() -> list[tuple[str, int, str]]:
    out = []
    for path in sorted(SUITES_DIR.glob("*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        for n, e in enumerate(suite["expectations"]):
            out.append((suite["name"], n, e["type"]))
    return out


def _dataset_of(suite: dict[str, Any]) -> Dataset:
    return DATASETS[suite["meta"]["dataset"]]



def _run_alone(suite: dict[str, Any], n: int, frame: pd.DataFrame, dataset: Dataset):
    gx = validator()
    one = {"name": f"{suite['name']}#{n}", "expectations": [copy.deepcopy(suite["expectations"][n])]}
    name = gx.register(one, dataset.name)
    return gx.validate(name, dataset.name, frame).outcomes[0]


@pytest.mark.parametrize(("suite_name", "n", "kind"), _cases())
def test_each_expectation_passes_a_valid_dataset_and_fails_a_broken_one(suite_name: str, n: int, kind: str):
    suite = json.loads((SUITES_DIR / f"{suite_name}.json").read_text(encoding="utf-8"))
    dataset = _dataset_of(suite)
    frame = valid_frame(dataset)
    if suite_name.startswith("identity_"):
        frame["identity"] = suite_name.removeprefix("identity_")
        frame["expected_operands"] = [[Decimal(1), Decimal(2)] for _ in range(len(frame))]
    if suite_name.startswith("contract_"):
        frame = frame[dataset.names]
    passed = _run_alone(suite, n, frame, dataset)
    assert passed.success, f"{suite_name} #{n} {kind} fails a valid frame: {passed}"
    failed = _run_alone(suite, n, _break(suite["expectations"][n], frame, dataset), dataset)
    assert not failed.success, f"{suite_name} #{n} {kind} passes a broken frame"


def test_every_suite_is_exercised():
    names = {name for name, _, _ in _cases()}
    assert {p.stem for p in SUITES_DIR.glob("*.json")} == names
    assert len(_cases()) > 300
