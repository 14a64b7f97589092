"""Stage 4: normalised datasets, validated with great-expectations, published write-audit-publish.

For each partition the six datasets are built from the parsed reports, staged as Parquet, validated
with the suites in expectations/, and only then swapped into the warehouse. A failed blocking check
holds that partition back (its previously published files stay as they were); the other partitions
of the run are published. Dagster keeps one result per check per run, so a run over a range of
partitions reports each check once, with every partition's outcome in its metadata.
"""

import json
from pathlib import Path

import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetIn,
    AssetKey,
    AssetSpec,
    BackfillPolicy,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from expectations.checks import CHECKS, run_checks
from expectations.validate import SuiteOutcome
from ogi.datasets import publish
from ogi.datasets import registry as schemas
from ogi.datasets.rows import DatasetRows, failed_rows, report_rows
from pipelines.io import records
from pipelines.partitions import REPORT_PARTITIONS, run_partitions
from pipelines.resources import DataLake, ExpectationSuites

DATASET_DESCRIPTIONS = {
    "documents": "Ledger of every catalog document and what became of it: published, excluded (non-authoritative copy) "
                 "or failed (with the stage and message). Lineage: sha256 of the raw bytes.",
    "reports": "One row per authoritative report: title, stated year, format, agency, region (GB/T 2260), scope "
               "(body / jurisdiction), publication date, source URI and sha256.",
    "cells": "Every printed cell of the three standard tables in canonical keys (table/row/col), the value exact "
             "(decimal, money in yuan) beside the raw text; a blank cell has raw '' and no value.",
    "facts": "Figures stated in prose (pre-2019 reports), each with its evidence sentence, period and scope.",
    "findings": "Everything found about the sources: broken identities with printed and expected values, short rows, "
                "removed spam and duplicates, missing tables.",
    "identities": "Identities I1–I4 of every report as data: printed side, expected side, evaluable or why not.",
}


def _spec(name: str) -> AssetSpec:
    return AssetSpec(
        key=AssetKey(name),
        description=DATASET_DESCRIPTIONS[name],
        group_name="datasets",
        deps=[AssetKey("parsed_reports")],
        partitions_def=REPORT_PARTITIONS,
        kinds={"parquet", "great_expectations"},
        metadata={"columns": MetadataValue.md("\n".join(f"- `{f.name}`: {f.type}" for f in schemas.DATASETS[name]))},
    )


CHECK_SPECS = [
    AssetCheckSpec(name=c.name, asset=AssetKey(c.asset), description=c.description, blocking=c.blocking,
                   partitions_def=REPORT_PARTITIONS)
    for c in CHECKS
]


def partition_rows(parsed: pd.DataFrame) -> DatasetRows:
    rows = DatasetRows()
    for doc in records(parsed):
        if doc.get("status") != "ok":
            rows.extend(failed_rows(doc, doc.get("stage") or "parse", doc.get("message") or "failed"))
        else:
            rows.extend(report_rows(doc, json.loads(doc["record"]), json.loads(doc["identities"])))
    return rows


def _outcome_md(outcome: SuiteOutcome) -> str:
    return "; ".join(
        f"{o.expectation}({o.column}) failed on {o.unexpected_count} rows, e.g. {o.sample[:3]}" for o in outcome.failed
    ) or "passed"


@multi_asset(
    specs=[_spec(name) for name in schemas.DATASETS],
    check_specs=CHECK_SPECS,
    ins={"parsed_reports": AssetIn()},
    backfill_policy=BackfillPolicy.single_run(),
    can_subset=False,
)
def datasets(context: AssetExecutionContext, parsed_reports: pd.DataFrame, lake: DataLake,
             expectation_suites: ExpectationSuites):
    suites_dir = Path(expectation_suites.directory)
    per_check: dict[str, list[tuple[str, SuiteOutcome]]] = {c.name: [] for c in CHECKS}
    rows_by_dataset = {name: 0 for name in schemas.DATASETS}
    published, held_back = [], []
    for year, region in run_partitions(context):
        part = parsed_reports[(parsed_reports["year"] == year) & (parsed_reports["region"] == region)]
        tables = partition_rows(part).tables()
        staged = publish.stage(tables, lake.staging, year, region)
        outcomes = run_checks(tables, year, region, suites_dir)
        label = f"{year}/{region}"
        for name, outcome in outcomes.items():
            per_check[name].append((label, outcome))
        blockers = [c.name for c in CHECKS if c.blocking and not outcomes[c.name].success]
        if blockers:
            staged.discard()
            held_back.append(f"{label} (failed: {', '.join(blockers)})")
            context.log.error(f"partition {label} not published: blocking checks failed: {blockers}")
            continue
        staged.publish(lake.warehouse)
        published.append(label)
        for name, table in tables.items():
            rows_by_dataset[name] += table.num_rows
    for name in schemas.DATASETS:
        yield MaterializeResult(asset_key=AssetKey(name), metadata={
            "rows_published": rows_by_dataset[name],
            "partitions_published": MetadataValue.text(", ".join(published) or "none"),
            "partitions_held_back": MetadataValue.text(", ".join(held_back) or "none"),
            "path": MetadataValue.path(str(lake.warehouse / name)),
        })
    for check in CHECKS:
        results = per_check[check.name]
        failed = [(label, o) for label, o in results if not o.success]
        yield AssetCheckResult(
            asset_key=AssetKey(check.asset),
            check_name=check.name,
            passed=not failed,
            severity=AssetCheckSeverity.ERROR if check.blocking else AssetCheckSeverity.WARN,
            metadata={
                "partitions_checked": len(results),
                "partitions_failed": len(failed),
                "rows_evaluated": sum(o.evaluated_rows for _, o in results),
                "failures": MetadataValue.md("\n".join(f"- {label}: {_outcome_md(o)}" for label, o in failed) or "none"),
            },
        )
