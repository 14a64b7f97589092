"""Stage 1: raw documents, fetched as they are served and kept byte for byte in the raw store."""

import pandas as pd
import pyarrow.parquet as pq
from dagster import (
    AssetDep,
    AssetExecutionContext,
    BackfillPolicy,
    MetadataValue,
    MultiToSingleDimensionPartitionMapping,
    Output,
    asset,
)

from ogi.datasets import warehouse
from ogi.fetch.sources import FETCH_FIELDS, discovered_entries, fetch_entries, record_from_row
from pipelines.partitions import REPORT_PARTITIONS, run_partitions
from pipelines.resources import DataLake, FetchSettings, SourceCatalog

RAW_COLUMNS = ["source_id", "location", "origin_url", "agency_hint", "year", "region", *FETCH_FIELDS]


@asset(
    partitions_def=REPORT_PARTITIONS,
    backfill_policy=BackfillPolicy.single_run(),
    group_name="fetch",
    io_manager_key="stage_io",
    kinds={"python", "parquet"},
    # Each year × region partition reads the discovery of its region: the listing is crawled once.
    deps=[AssetDep("discovered_reports",
                   partition_mapping=MultiToSingleDimensionPartitionMapping(partition_dimension_name="region"))],
    description=(
        "Every catalog document of the partition, and every report (page and attachments) discovered on the "
        "region's listings for the year, fetched through `requests` (http/https, host allowlist, "
        "retries, conditional requests) or read from the bundled corpus, its bytes stored content-addressed "
        "(sha256) in the raw store. One fetch-log row per document: URL, final URL, status, sha256, size, "
        "attempts, error. A failed fetch is a row with its reason, never a failed run."
    ),
)
def raw_documents(context: AssetExecutionContext, catalog: SourceCatalog, lake: DataLake,
                  fetch_settings: FetchSettings) -> Output[pd.DataFrame]:
    partitions = set(run_partitions(context))
    entries = [e for e in catalog.entries() if e.kind == "report" and e.partition in partitions]
    already_fetched = {}
    for region in {r for _, r in partitions}:
        path = warehouse.region_path(lake.stages, "discovered_reports", region)
        found = pq.read_table(path).to_pylist() if path.exists() else []
        for year in sorted(y for y, r in partitions if r == region):
            for entry, record in discovered_entries(found, year, region):
                entries.append(entry)
                if record is not None:
                    already_fetched[entry.source_id] = record
    previous = {}
    for year, region in partitions:
        table = warehouse.read_partition(lake.stages, "raw_documents", year, region)
        if table is not None:
            previous.update({row["source_id"]: record_from_row(row) for row in table.to_pylist()})
    rows = fetch_entries(entries, lake.raw_store, fetch_settings.policy(lake.state), catalog.base_dir, previous,
                         already_fetched)
    frame = pd.DataFrame(rows, columns=RAW_COLUMNS)
    # A page flagged as a spam mirror was fetched and is kept: cleanup and authority deal with it.
    flagged = frame["error_kind"] == "spam_mirror"
    failed = frame[frame["error"].notna() & ~flagged]
    for row in failed.itertuples():
        context.log.warning(f"fetch failed: {row.source_id} ({row.location}): {row.error_kind}: {row.error}")
    for row in frame[flagged].itertuples():
        context.log.info(f"flagged as a mirror, kept for the authority check: {row.source_id}: {row.error}")
    return Output(frame, metadata={
        "documents_found": len(frame),
        "fetched": int(((frame["error"].isna() | flagged) & ~frame["unchanged"].astype(bool)).sum()),
        "unchanged": int(frame["unchanged"].astype(bool).sum()),
        "failed": len(failed),
        "flagged_mirrors": int(flagged.sum()),
        "bytes": int(pd.to_numeric(frame["size"], errors="coerce").fillna(0).sum()),
        "bytes_transferred": int(pd.to_numeric(frame["bytes_transferred"], errors="coerce").fillna(0).sum()),
        "per_partition": MetadataValue.md(_per_partition(frame, flagged)),
        "failures": MetadataValue.md(
            "\n".join(f"- `{r.source_id}`: {r.error_kind}: {r.error}" for r in failed.itertuples()) or "none"
        ),
    })


def _per_partition(frame: pd.DataFrame, flagged: pd.Series) -> str:
    """found / fetched / unchanged / failed / bytes for each partition of the run, as a table."""
    lines = ["| year | region | found | fetched | unchanged | failed | bytes |", "|---|---|---|---|---|---|---|"]
    unchanged = frame["unchanged"].fillna(False).astype(bool)
    ok = frame["error"].isna() | flagged
    for (year, region), idx in frame.groupby(["year", "region"]).groups.items():
        part = frame.loc[idx]
        lines.append(
            f"| {year} | {region} | {len(part)} | {int((ok[idx] & ~unchanged[idx]).sum())} | {int(unchanged[idx].sum())} "
            f"| {int((~ok[idx]).sum())} | {int(pd.to_numeric(part['size'], errors='coerce').fillna(0).sum())} |"
        )
    return "\n".join(lines)
