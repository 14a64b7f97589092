"""Run a JSON expectation suite over a pandas frame with an ephemeral GX context."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

SUITES_DIR = Path(__file__).parent / "suites"


@dataclass
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int | None
    sample: list[Any] = field(default_factory=list)


@dataclass
class SuiteOutcome:
    suite: str
    success: bool
    evaluated_rows: int
    outcomes: list[ExpectationOutcome]

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]


def load_suite(name: str, directory: Path | None = None) -> dict[str, Any]:
    path = (directory or SUITES_DIR) / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _context() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


_counter = 0


def validate(frame: pd.DataFrame, suite_json: dict[str, Any]) -> SuiteOutcome:
    """Validate `frame` against a suite given as JSON (the files in suites/)."""
    global _counter
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from great_expectations.core.expectation_suite import ExpectationSuite

        context = _context()
        _counter += 1
        source = context.data_sources.add_pandas(f"frame_{_counter}")
        asset = source.add_dataframe_asset("frame")
        batch = asset.add_batch_definition_whole_dataframe("whole").get_batch(batch_parameters={"dataframe": frame})
        suite = ExpectationSuite(name=suite_json["name"], expectations=suite_json["expectations"])
        result = batch.validate(suite)
        context.data_sources.delete(source.name)
    outcomes = []
    for r in result.results:
        cfg = r.expectation_config
        res = r.result or {}
        outcomes.append(ExpectationOutcome(
            expectation=cfg.type,
            column=cfg.kwargs.get("column") or cfg.kwargs.get("column_A"),
            success=bool(r.success),
            unexpected_count=res.get("unexpected_count"),
            sample=[_plain(v) for v in (res.get("partial_unexpected_list") or [])[:10]],
        ))
    return SuiteOutcome(suite=suite_json["name"], success=bool(result.success), evaluated_rows=len(frame), outcomes=outcomes)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)
