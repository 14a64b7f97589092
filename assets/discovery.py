"""Stage 0: discovery of annual reports on the listing pages of the catalog, per region."""

from dagster import AssetExecutionContext, BackfillPolicy, MetadataValue, Output, asset

from ogi.datasets.registry import DISCOVERED_REPORTS
from ogi.fetch.sources import discover_listings
from ogi.versions import code_version
from pipelines.io import PartitionedOutput
from pipelines.metadata import column_schema
from pipelines.partitions import REGION_PARTITIONS, run_partitions
from pipelines.resources import DataLake, FetchSettings, SourceCatalog


@asset(
    partitions_def=REGION_PARTITIONS,
    backfill_policy=BackfillPolicy.single_run(),
    group_name="fetch",
    io_manager_key="stage_io",
    kinds={"python", "parquet"},
    code_version=code_version("fetch"),
    metadata={"dagster/column_schema": column_schema(DISCOVERED_REPORTS)},
    description=(
        "Annual reports found on the catalog's listing pages (政府信息公开年报 columns) of the region: follows "
        "next-page links, TRS createPageHTML pagination and Hanweb dataproxy listings, keeps links whose titles "
        "are annual reports (year read from the title, also 二〇一九), and collects each report page's "
        "PDF/DOC/DOCX/WPS attachments. Partitioned by region only: a listing serves every year, so it is "
        "crawled once per run and feeds all year partitions of raw_documents."
    ),
)
def discovered_reports(context: AssetExecutionContext, catalog: SourceCatalog, lake: DataLake,
                       fetch_settings: FetchSettings) -> Output[PartitionedOutput]:
    listings = [e for e in catalog.entries() if e.kind == "listing"]
    out = PartitionedOutput()
    summaries = []
    for partition in run_partitions(context):
        mine = [e for e in listings if e.region == partition.region]
        rows, found = discover_listings(mine, lake.raw_store, fetch_settings.policy(lake.state), catalog.base_dir,
                                        lake.fetch_log("discovery-fetch-log.jsonl"))
        summaries.extend(found)
        out.parts[partition] = DISCOVERED_REPORTS.table(rows)
        out.metadata[partition] = {"listings": len(mine), "reports_found": len(rows),
                                   "years_found": MetadataValue.json(sorted({r["year"] for r in rows if r["year"]}))}
    return Output(out, metadata={
        "listings": len(listings),
        "listing_pages_read": sum(s["pages"] for s in summaries),
        "look_alikes_skipped": sum(s["skipped"] for s in summaries),
        "listing_errors": MetadataValue.md("\n".join(f"- `{s['listing']}`: {s['error']}" for s in summaries if s["error"])
                                           or "none"),
    })
