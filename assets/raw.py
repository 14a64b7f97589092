"""Stage 1: raw documents, fetched as they are served and kept byte for byte in the raw store."""

from collections import Counter

from dagster import (
    AssetExecutionContext,
    AssetIn,
    BackfillPolicy,
    MetadataValue,
    MultiToSingleDimensionPartitionMapping,
    Output,
    RetryRequested,
    asset,
)

from ogi.datasets.registry import RAW_DOCUMENTS
from ogi.datasets.warehouse import Partition
from ogi.fetch.sources import discovered_entries, fetch_entries, lost_to_outage
from ogi.versions import code_version
from pipelines.io import PartitionedInput, PartitionedOutput
from pipelines.metadata import column_schema
from pipelines.partitions import REPORT_PARTITIONS, run_partitions
from pipelines.progress import Progress
from pipelines.resources import FETCH_POOL, DataLake, DocumentWork, FetchSettings, SourceCatalog


@asset(
    partitions_def=REPORT_PARTITIONS,
    backfill_policy=BackfillPolicy.single_run(),
    group_name="fetch",
    io_manager_key="stage_io",
    kinds={"python", "parquet"},
    code_version=code_version("fetch"),
    metadata={"dagster/column_schema": column_schema(RAW_DOCUMENTS)},
    # One pool for every fetching step: the instance bounds how many run at once across all runs (and pods);
    # the per-host gate (lock files in the data folder's state/) spaces the requests to each site.
    pool=FETCH_POOL,
    # Each year × region partition reads the discovery of its region: the listing is crawled once.
    ins={"discovered_reports": AssetIn(
        partition_mapping=MultiToSingleDimensionPartitionMapping(partition_dimension_name="region"))},
    description=(
        "Every catalog document of the partition, and every report (page and attachments) discovered on the "
        "region's listings for the year, fetched through `requests` (http/https, host allowlist, "
        "retries, conditional requests from the fetch log) or read from the bundled corpus, its bytes stored "
        "content-addressed (sha256) in the raw store. One row per document: URL, final URL, status, sha256, "
        "size, attempts, error. A failed fetch is a row with its reason, never a failed run — except a transient "
        "failure (timeout, 5xx, reset) of a document fetched fine before: then the step is retried after a pause "
        "(FetchSettings.outage_retries), and if the outage lasts, the run fails and the published data stays."
    ),
)
def raw_documents(context: AssetExecutionContext, discovered_reports: PartitionedInput, catalog: SourceCatalog,
                  lake: DataLake, fetch_settings: FetchSettings, document_work: DocumentWork) -> Output[PartitionedOutput]:
    partitions = run_partitions(context)
    loaded = catalog.load()
    entries = loaded.entries
    for error in loaded.errors:  # a bad row is skipped, the rest of the catalog is fetched
        context.log.warning(f"catalog row skipped: {error}")
    policy = fetch_settings.policy(lake.state)
    log = lake.fetch_log()
    out = PartitionedOutput()
    failures = []
    lost = []
    for partition in partitions:
        mine = [e for e in entries if e.kind == "report" and e.partition == (partition.year, partition.region)]
        already_fetched = {}
        found = list(discovered_reports.rows(Partition(partition.region)))
        robots_of = {e.source_id: e.robots for e in entries if e.kind == "listing"}
        for entry, record in discovered_entries(found, partition.year, partition.region, robots_of):
            mine.append(entry)
            if record is not None:
                already_fetched[entry.source_id] = record
        progress = Progress(context.log, "fetch", partition, total=len(mine))
        rows = fetch_entries(mine, lake.raw_store, policy, catalog.base_dir, log, already_fetched,
                             limits=document_work.limits(),
                             on_row=lambda r, p=progress: p.report(
                                 r["source_id"], not r["error"] or r["error_kind"] == "spam_mirror",
                                 error_kind=r["error_kind"], http_status=r["status"], bytes=r["size"],
                                 unchanged=r["unchanged"] or None))
        progress.finish()
        lost.extend(lost_to_outage(rows, log.latest()))
        # A page flagged as a spam mirror was fetched and is kept: cleanup and authority deal with it.
        failed = [r for r in rows if r["error"] and r["error_kind"] != "spam_mirror"]
        for r in failed:
            context.log.warning(f"fetch failed: {r['source_id']} ({r['location']}): {r['error_kind']}: {r['error']}")
        failures.extend(failed)
        kinds = Counter(r["error_kind"] for r in failed)
        out.parts[partition] = RAW_DOCUMENTS.table(rows)
        out.metadata[partition] = {
            "documents_found": len(rows),
            "fetched": sum(1 for r in rows if r["sha256"] and not r["unchanged"] and r not in failed),
            "unchanged": sum(1 for r in rows if r["unchanged"]),
            "failed": len(failed),
            "failures_by_kind": MetadataValue.json(dict(kinds)),
            "bytes": sum(r["size"] or 0 for r in rows),
            "bytes_transferred": sum(r["bytes_transferred"] or 0 for r in rows),
        }
    if lost:
        # Publishing now would drop documents that are published today because their site hiccuped.
        names = ", ".join(f"{r['source_id']} ({r['error_kind']})" for r in lost[:10])
        context.log.warning(f"transient fetch failures of {len(lost)} document(s) fetched fine before: {names}; "
                            f"retrying the step in {fetch_settings.outage_retry_seconds:g} s")
        raise RetryRequested(max_retries=fetch_settings.outage_retries,
                             seconds_to_wait=fetch_settings.outage_retry_seconds) from RuntimeError(
            f"transient fetch failures of documents published before: {names}")
    return Output(out, metadata={
        "catalog_rows_skipped": len(loaded.errors),
        "catalog_errors": MetadataValue.md("\n".join(f"- `{e}`" for e in loaded.errors) or "none"),
        "failures": MetadataValue.md("\n".join(f"- `{r['source_id']}`: {r['error_kind']}: {r['error']}"
                                               for r in failures) or "none"),
    })
