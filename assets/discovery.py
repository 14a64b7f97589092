"""Stage 0: discovery of annual reports on the listing pages of the catalog, per region."""

import pandas as pd
from dagster import AssetExecutionContext, BackfillPolicy, MetadataValue, Output, asset

from ogi.fetch.sources import DISCOVERED_COLUMNS, discover_listings
from pipelines.partitions import REGION_PARTITIONS
from pipelines.resources import DataLake, FetchSettings, SourceCatalog


@asset(
    partitions_def=REGION_PARTITIONS,
    backfill_policy=BackfillPolicy.single_run(),
    group_name="fetch",
    io_manager_key="stage_io",
    kinds={"python", "parquet"},
    description=(
        "Annual reports found on the catalog's listing pages (政府信息公开年报 columns) of the region: follows "
        "next-page links, TRS createPageHTML pagination and Hanweb dataproxy listings, keeps links whose titles "
        "are annual reports (year read from the title, also 二〇一九), and collects each report page's "
        "PDF/DOC/DOCX/WPS attachments. Partitioned by region only: a listing serves every year, so it is "
        "crawled once per run and feeds all year partitions of raw_documents."
    ),
)
def discovered_reports(context: AssetExecutionContext, catalog: SourceCatalog, lake: DataLake,
                       fetch_settings: FetchSettings) -> Output[pd.DataFrame]:
    regions = set(context.partition_keys)
    listings = [e for e in catalog.entries() if e.kind == "listing" and e.region in regions]
    frames = []
    summaries = []
    for region in sorted(regions):
        rows, found = discover_listings([e for e in listings if e.region == region], lake.raw_store,
                                        fetch_settings.policy(lake.state), catalog.base_dir,
                                        lake.state / "discovery-fetch-log.jsonl")
        summaries.extend(found)
        frames.append(pd.DataFrame([{**r, "region": region} for r in rows], columns=[*DISCOVERED_COLUMNS, "region"]))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*DISCOVERED_COLUMNS, "region"])
    return Output(frame, metadata={
        "listings": len(listings),
        "reports_found": len(frame),
        "listing_pages_read": sum(s["pages"] for s in summaries),
        "look_alikes_skipped": sum(s["skipped"] for s in summaries),
        "listing_errors": MetadataValue.md("\n".join(f"- `{s['listing']}`: {s['error']}" for s in summaries if s["error"])
                                           or "none"),
    })
