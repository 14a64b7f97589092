"""A national summary per statistics year: headline figures by province and a chart, shown in the UI."""

import base64

import pyarrow as pa
from dagster import (
    AssetExecutionContext,
    AssetIn,
    BackfillPolicy,
    MaterializeResult,
    MetadataValue,
    MultiToSingleDimensionPartitionMapping,
    asset,
)

from ogi.datasets.registry import NATIONAL_SUMMARY
from ogi.datasets.summary import chart_png, summarise
from ogi.versions import code_version
from pipelines.metadata import column_schema
from pipelines.partitions import YEAR_PARTITIONS
from pipelines.resources import DataLake


@asset(
    partitions_def=YEAR_PARTITIONS,
    backfill_policy=BackfillPolicy.single_run(),
    group_name="summaries",
    kinds={"parquet", "png"},
    code_version=code_version("datasets"),
    ins={"headline": AssetIn(partition_mapping=MultiToSingleDimensionPartitionMapping(partition_dimension_name="year"),
                             input_manager_key="published_input")},
    metadata={"dagster/column_schema": column_schema(NATIONAL_SUMMARY)},
    description=(
        "Headline figures of a statistics year by province — reports, requests received and granted, reviews and "
        "suits, summed over body reports only (a roll-up contains the body reports) and only where printed — "
        "with a bar chart of requests received by province. Reads the published `headline` as its manifests list it."
    ),
)
def national_summary(context: AssetExecutionContext, headline: pa.Table, lake: DataLake) -> MaterializeResult:
    years = sorted({int(k) for k in context.partition_keys})
    warehouse = lake.warehouse()
    rows = headline.to_pylist()
    if len(years) > 1:
        raise ValueError("the national summary runs one statistics year at a time")
    year = years[0]
    summary = summarise(year, [r for r in rows if r["year"] == year])
    png = chart_png(year, summary) if summary.num_rows else None
    written, chart_key = warehouse.write_summary("national_summary", year, summary, png)
    metadata = {"dagster/row_count": written.rows, "path": MetadataValue.path(warehouse.storage.uri(written.key)),
                "provinces": summary.num_rows, "reports": sum(summary.column("reports").to_pylist())}
    if png is not None:
        metadata["chart"] = MetadataValue.md(f"![requests received by province](data:image/png;base64,"
                                             f"{base64.b64encode(png).decode()})")
        metadata["chart_path"] = MetadataValue.path(warehouse.storage.uri(chart_key))
    return MaterializeResult(metadata=metadata)
