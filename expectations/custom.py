"""A great-expectations expectation of our own: the sums of two operand lists are equal, row by row.

The built-in pair and multicolumn expectations compare a column with a column or a sum with a
constant; an identity compares two sums of printed operands (I2: the total processed against
twenty-odd outcome rows). The identity module hands GX the operands themselves
(`printed_operands`, `expected_operands`: lists of the printed numbers), and this expectation does
the arithmetic and the comparison, so the check does not rest on a sum `ogi` already compared.
Registered with GX when this module is imported (expectations/validate.py imports it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnPairMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnPairMapMetricProvider,
    column_pair_condition_partial,
)


def _sum(operands: Any) -> Decimal | None:
    if operands is None:
        return None
    if not isinstance(operands, tuple | list):  # an array, when a frame holds the list column as it came
        operands = list(operands)
    if None in operands:
        return None
    if operands and type(operands[0]) is str:  # as gx_frame hands them: a list column cast to text, all text
        return sum(map(Decimal, operands), Decimal(0))
    return sum((value if isinstance(value, Decimal) else Decimal(str(value)) for value in operands), Decimal(0))


def _sums_equal(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return False
    left = _sum(a)
    return left is not None and left == _sum(b)


class ColumnPairSumsEqual(ColumnPairMapMetricProvider):
    """Row condition: the operands of column A add up to the operands of column B (exact decimals)."""

    condition_metric_name = "column_pair_values.sums_equal"
    condition_domain_keys = ("batch_id", "table", "column_A", "column_B", "row_condition", "condition_parser",
                             "ignore_row_if")
    condition_value_keys = ()

    @column_pair_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_A, column_B, **kwargs):  # noqa: N803 (GX's parameter names)
        import pandas as pd

        return pd.Series([_sums_equal(a, b) for a, b in zip(column_A, column_B, strict=True)],
                         index=column_A.index, dtype=bool)


class ExpectColumnPairSumsToBeEqual(ColumnPairMapExpectation):
    """Expect the sum of the numbers listed in column A to equal the sum of those in column B, on each row."""

    map_metric = "column_pair_values.sums_equal"
    success_keys = ("column_A", "column_B", "ignore_row_if", "mostly")
    args_keys = ("column_A", "column_B")
    ignore_row_if: str = "neither"
    library_metadata: ClassVar[dict[str, Any]] = {"maturity": "experimental", "tags": ["identity"],
                                                  "contributors": ["ogi-pipeline"]}
