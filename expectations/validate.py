"""Validating dataset frames with the suites: one great-expectations context per run, GX imported lazily.

`Validator` is made once per run: one ephemeral context, one pandas data source, one dataframe
asset and batch definition per dataset, each suite registered once with a `ValidationDefinition`,
run with `batch_parameters={"dataframe": frame}` on every batch. GX is imported inside it: the
import costs ~4 s, which every Dagster code-location load and `ogi parse` would otherwise pay.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from expectations.generate import SUITES_DIR, load_suite

__all__ = ["SUITES_DIR", "ExpectationOutcome", "SuiteOutcome", "Validator", "gx_frame", "validator"]


def gx_frame(table: pa.Table) -> pd.DataFrame:
    """A batch of a dataset as the frame GX validates, with list columns as tuples and the decimals in them as text.

    Both are for GX's cost, not its verdicts (the custom sum expectation reads the text as exact decimals):
    GX fingerprints every batch with pandas' hash, which cannot hash a list or array and then pickles the
    whole frame instead (~0.4 s per 40,000 identity rows); and it converts every Decimal of a result to a
    float through `inspect.stack()` (~30 ms a value, seconds per failing identity suite).
    """
    listed = [f.name for f in table.schema if _is_list(f.type)]
    frame = table.drop_columns(listed).to_pandas() if listed else table.to_pandas()
    for name in listed:
        column = table.column(name)
        text_type = _decimals_as_text(column.type)
        if text_type is not None:
            column = column.cast(text_type)
        frame[name] = pd.Series([_tuples(v) for v in column.to_pylist()], index=frame.index, dtype=object)
    return frame[table.column_names] if listed else frame


def _is_list(type_: pa.DataType) -> bool:
    return pa.types.is_list(type_) or pa.types.is_large_list(type_)


def _decimals_as_text(type_: pa.DataType) -> pa.DataType | None:
    """The same nesting of lists with text where `type_` holds decimals; None when it holds none."""
    if _is_list(type_):
        inner = _decimals_as_text(type_.value_type)
        return None if inner is None else pa.list_(inner)
    return pa.string() if pa.types.is_decimal(type_) else None


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


@dataclass
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int | None
    sample: list[Any] = field(default_factory=list)


@dataclass
class SuiteOutcome:
    """One suite's result over one or more batches of a partition (merged with `merge`)."""

    suite: str
    success: bool = True
    evaluated_rows: int = 0
    batches: int = 0
    outcomes: list[ExpectationOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]

    @property
    def expectations(self) -> int:
        return len({(o.expectation, o.column) for o in self.outcomes})

    def merge(self, other: SuiteOutcome) -> SuiteOutcome:
        """This outcome and another batch's of the same suite: failures and counts add up."""
        by_key: dict[tuple[str, str | None], ExpectationOutcome] = {}
        for o in [*self.outcomes, *other.outcomes]:
            seen = by_key.get((o.expectation, o.column))
            if seen is None:
                by_key[(o.expectation, o.column)] = ExpectationOutcome(o.expectation, o.column, o.success,
                                                                       o.unexpected_count, list(o.sample))
            else:
                seen.success = seen.success and o.success
                seen.unexpected_count = (seen.unexpected_count or 0) + (o.unexpected_count or 0)
                seen.sample = (seen.sample + o.sample)[:10]
        return SuiteOutcome(self.suite, self.success and other.success, self.evaluated_rows + other.evaluated_rows,
                            self.batches + other.batches, list(by_key.values()))


# Values of the suites' `$PARAMETER`s: the configurable thresholds (pipelines.resources.ExpectationSuites).
DEFAULT_PARAMETERS = {"min_readable_share": 0.5}


def validator(suites_dir=SUITES_DIR, parameters: dict[str, float] | None = None) -> Validator:
    """The process's Validator for a suites folder: GX is imported, and its context and validation
    definitions set up, once per process (every run of an in-process executor shares them)."""
    params = {**DEFAULT_PARAMETERS, **(parameters or {})}
    key = (str(Path(suites_dir).resolve()), tuple(sorted(params.items())))
    if key not in _VALIDATORS:
        _VALIDATORS[key] = Validator(suites_dir, params)
    return _VALIDATORS[key]


_VALIDATORS: dict[tuple, Validator] = {}


class Validator:
    """great-expectations for a process: the context and each (suite, dataset) validation made once."""

    def __init__(self, suites_dir=SUITES_DIR, parameters: dict[str, float] | None = None) -> None:
        self.parameters = {**DEFAULT_PARAMETERS, **(parameters or {})}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig

            import expectations.custom  # noqa: F401  (registers our expectations with GX)

        self._gx = gx
        self.suites_dir = Path(suites_dir)
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.source = self.context.data_sources.add_pandas("ogi")
        self._batch_definitions: dict[str, Any] = {}
        self._definitions: dict[tuple[str, str], Any] = {}
        self._columns: dict[str, frozenset[str] | None] = {}  # suite → the columns its expectations read
        self._docs_sites: set[str] = set()
        self.run_name: str | None = None  # names the validation results (the partition) in Data Docs

    def build_docs(self, folder: Path) -> Path:
        """Render GX Data Docs of every validation since the last build into `folder`; returns its index.html.

        The results stay in GX's in-memory store only until they are rendered, so a long process does not
        accumulate them; the rendered pages stay in the folder.
        """
        folder = Path(folder)
        site = str(folder.resolve())
        if site not in self._docs_sites:
            self.context.add_data_docs_site(site_name=f"ogi{len(self._docs_sites)}", site_config={
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": site},
                # The in-memory results are dropped after each build (below); GX's own index builder would then
                # delete every page whose result is no longer in the store, i.e. every earlier run's pages.
                "site_index_builder": {"module_name": "expectations.validate",
                                       "class_name": "AppendingSiteIndexBuilder"}})
            self._docs_sites.add(site)
        names = [name for name, cfg in self.context.get_config().data_docs_sites.items()
                 if cfg["store_backend"]["base_directory"] == site]
        quiet = logging.getLogger("great_expectations.render.renderer.site_builder")
        level = quiet.level
        quiet.setLevel(logging.ERROR)  # each earlier run's page "not found" in this process's store: expected
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.context.build_data_docs(site_names=names)
        finally:
            quiet.setLevel(level)
            store = self.context.validation_results_store
            for key in store.list_keys():
                store.remove_key(key)
        return folder / "index.html"

    def register(self, suite_json: dict[str, Any], dataset: str) -> str:
        """Register a suite given as JSON (not from the suites folder); returns the name to validate it by."""
        self._definition(suite_json["name"], dataset, suite_json)
        return suite_json["name"]

    def _definition(self, suite_name: str, dataset: str, suite_json: dict[str, Any] | None = None) -> Any:
        key = (suite_name, dataset)
        if key not in self._definitions:
            gx = self._gx
            if dataset not in self._batch_definitions:
                asset = self.source.add_dataframe_asset(dataset)
                self._batch_definitions[dataset] = asset.add_batch_definition_whole_dataframe("batch")
            suite_json = suite_json or load_suite(suite_name, self.suites_dir)
            self._columns[suite_name] = _read_columns(suite_json)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                suite = self.context.suites.add(gx.ExpectationSuite(name=suite_json["name"],
                                                                    expectations=suite_json["expectations"]))
                self._definitions[key] = self.context.validation_definitions.add(gx.ValidationDefinition(
                    data=self._batch_definitions[dataset], suite=suite, name=f"{suite_json['name']}@{dataset}"))
        return self._definitions[key]

    def validate(self, suite_name: str, dataset: str, frame: pd.DataFrame, *, expect_failures: bool = False) -> SuiteOutcome:
        """One batch of a dataset against one suite.

        GX's cost is per expectation, not per row: the suite runs first with BOOLEAN_ONLY results (half
        the cost), and again with SUMMARY results (unexpected counts and examples) only when it fails.
        A suite that finds things as a rule (`expect_failures`: the identity and continuity checks, whose
        breaks are findings about the sources) runs once, with SUMMARY results.
        """
        definition = self._definition(suite_name, dataset)
        frame = self._narrowed(suite_name, frame)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from great_expectations.core.run_identifier import RunIdentifier

            run_id = RunIdentifier(run_name=self.run_name) if self.run_name else None
            result = definition.run(batch_parameters={"dataframe": frame},
                                    result_format="SUMMARY" if expect_failures else "BOOLEAN_ONLY",
                                    expectation_parameters=self.parameters, run_id=run_id)
            if not result.success and not expect_failures:
                result = definition.run(batch_parameters={"dataframe": frame}, result_format="SUMMARY",
                                        expectation_parameters=self.parameters, run_id=run_id)
        outcomes = []
        for r in result.results:
            cfg = r.expectation_config
            res = r.result or {}
            error = _raised(r.exception_info)
            if error:  # an expectation that cannot run is a bug of ours, never a verdict on the data
                raise RuntimeError(f"{suite_name}: {cfg.type} on {cfg.kwargs.get('column')} raised: {error}")
            outcomes.append(ExpectationOutcome(
                expectation=cfg.type,
                column=cfg.kwargs.get("column") or cfg.kwargs.get("column_A")
                or ",".join(cfg.kwargs.get("column_list") or []) or None,
                success=bool(r.success),
                unexpected_count=res.get("unexpected_count"),
                sample=[_plain(v) for v in (res.get("partial_unexpected_list") or [])[:10]],
            ))
        return SuiteOutcome(suite=suite_name, success=bool(result.success), evaluated_rows=len(frame), batches=1,
                            outcomes=outcomes)

    def _narrowed(self, suite_name: str, frame: pd.DataFrame) -> pd.DataFrame:
        """The frame's columns the suite reads, when it reads named columns only: GX fingerprints every batch it
        is given (a hash of every value: ~0.5 s of an identity suite's 1.8 s on 100,000 rows, for the operand
        lists) and copies it for each row condition, whatever the suite reads of it."""
        columns = self._columns.get(suite_name)
        if columns is None:
            return frame
        return frame[[c for c in frame.columns if c in columns]]

    def unexpected_rows(self, suite_name: str, dataset: str, frame: pd.DataFrame) -> set[int]:
        """The index of every row any expectation of the suite finds unexpected (COMPLETE results)."""
        definition = self._definition(suite_name, dataset)
        frame = self._narrowed(suite_name, frame)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = definition.run(batch_parameters={"dataframe": frame}, result_format="COMPLETE",
                                    expectation_parameters=self.parameters)
        rows: set[int] = set()
        for r in result.results:
            error = _raised(r.exception_info)
            if error:
                raise RuntimeError(f"{suite_name}: {r.expectation_config.type} raised: {error}")
            rows.update(_index_list(r))
        return rows


def __getattr__(name: str) -> Any:
    """`AppendingSiteIndexBuilder`, defined on first use so that importing this module stays free of GX."""
    if name != "AppendingSiteIndexBuilder":
        raise AttributeError(name)
    from great_expectations.render.renderer.site_builder import DefaultSiteIndexBuilder

    class AppendingSiteIndexBuilder(DefaultSiteIndexBuilder):
        """The Data Docs index of every page in the site, keeping the pages of earlier runs and processes."""

        def build(self, skip_and_clean_missing: bool = True, build_index: bool = True) -> Any:
            return super().build(skip_and_clean_missing=False, build_index=build_index)

    globals()[name] = AppendingSiteIndexBuilder
    return AppendingSiteIndexBuilder


_COLUMN_ARGUMENTS = ("column", "column_A", "column_B")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _read_columns(suite_json: dict[str, Any]) -> frozenset[str] | None:
    """Every column a suite's expectations name (in their column arguments and row conditions), or None when
    one of them reads the table as a whole (its column set, its row count) and must be given all of it."""
    columns: set[str] = set()
    for expectation in suite_json["expectations"]:
        kwargs = expectation.get("kwargs", {})
        named = [kwargs[a] for a in _COLUMN_ARGUMENTS if isinstance(kwargs.get(a), str)]
        named += list(kwargs.get("column_list") or [])
        if not named or expectation["type"].startswith("expect_table_"):
            return None
        columns.update(named)
        columns.update(_NAME.findall(kwargs.get("row_condition") or ""))  # a word that is no column selects nothing
    return frozenset(columns)


def _index_list(result: Any) -> list[int]:
    return list((result.result or {}).get("unexpected_index_list") or [])


def _raised(info: Any) -> str | None:
    """GX's exception info, flat or keyed by metric: the message of an exception raised, if any."""
    if not isinstance(info, dict):
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)
