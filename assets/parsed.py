"""Stage 3: the three standard tables, prose facts and metadata of each report, with identities."""

from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc
from dagster import AssetExecutionContext, AssetIn, BackfillPolicy, Output, asset

from ogi.datasets.registry import PARSED_REPORTS
from ogi.datasets.warehouse import Partition
from ogi.parse.stage import CARRIED, parse_key, parse_rows
from ogi.versions import code_version
from ogi.work.stage import InRun, Reuse, WorkLimits, batched, reuse_whole
from pipelines.io import PartitionedInput, PartitionedOutput, previous_batches, previous_output
from pipelines.metadata import column_schema
from pipelines.partitions import REPORT_PARTITIONS, run_partitions
from pipelines.progress import Progress
from pipelines.resources import DataLake, DocumentWork

BATCH_ROWS = 128  # a parsed report is ~0.6 MB as Python objects: memory is a few batches
_KEY_COLUMNS = ["status", "work_key", "agency_hint", "origin_url", "location", "encoding", "content_type"]  # parse_key


def _parsed(clean: PartitionedInput, partition: Partition, lake: DataLake, limits: WorkLimits, stats: dict,
            log) -> Iterator[pa.Table]:
    documents = failed = cells = 0
    formats: dict[str, int] = {}
    progress = Progress(log, "parse", partition, total=clean.count(partition))
    source = clean.parts.get(partition)
    keys = [parse_key(r, region=partition.region, year=partition.year)
            for r in source.to_table(columns=_KEY_COLUMNS).to_pylist()] if source else []
    whole = reuse_whole(previous_batches(lake, PARSED_REPORTS, partition, log), keys,
                        source.to_table(columns=list(CARRIED)) if source else pa.table({}), PARSED_REPORTS.schema)
    if whole is not None:  # every document parsed before from the same reading, by the same code: nothing to parse
        for table in whole:
            counts = table.select(["source_id", "format"]).append_column(
                "cells", pc.fill_null(pc.list_value_length(table.column("cells")), 0)).to_pylist()
            for r in counts:
                progress.report(r["source_id"], True, format=r["format"], cells=r["cells"], reused=True)
                formats[str(r["format"])] = formats.get(str(r["format"]), 0) + 1
                cells += r["cells"]
            documents += table.num_rows
            yield table
        progress.finish()
        stats.update(documents=documents, failed=0, cells=cells, reused=documents, parsed_once_for_several_rows=0,
                     **{f"format_{k}": v for k, v in sorted(formats.items()) if v})
        return
    reuse = Reuse(previous_output(lake, PARSED_REPORTS, partition, log))
    in_run = InRun(keys)
    parsed = parse_rows(clean.rows(partition), region=partition.region, year=partition.year, limits=limits,
                        reuse=reuse, in_run=in_run)
    for rows in batched(parsed, BATCH_ROWS):
        for r in rows:
            if r["status"] != "ok" and r["failed_stage"] == "parse":
                log.warning(f"parse failed: {r['source_id']}: {r['message']}")
            progress.report(r["source_id"], r["status"] == "ok", failed_stage=r["failed_stage"], format=r["format"],
                            cells=len(r["cells"] or ()), facts=len(r.get("facts") or ()),
                            findings=len(r.get("findings") or ()))
            formats[str(r["format"])] = formats.get(str(r["format"]), 0) + (r["status"] == "ok")
            cells += len(r["cells"] or ())
        documents += len(rows)
        failed += sum(r["status"] != "ok" for r in rows)
        yield PARSED_REPORTS.table(rows)
    progress.finish()
    stats.update(documents=documents, failed=failed, cells=cells, reused=reuse.reused,
                 parsed_once_for_several_rows=in_run.shared,
                 **{f"format_{k}": v for k, v in sorted(formats.items()) if v})


@asset(
    partitions_def=REPORT_PARTITIONS,
    backfill_policy=BackfillPolicy.single_run(),
    group_name="parse",
    io_manager_key="stage_io",
    ins={"clean_documents": AssetIn()},
    kinds={"python", "parquet"},
    code_version=code_version("parse"),
    metadata={"dagster/column_schema": column_schema(PARSED_REPORTS)},
    description=(
        "Each cleaned report parsed into canonical cells of the tables active / requests / review_litigation "
        "(format 2021, 2019 or pre2019 decided from the content), prose facts for pre-2019 reports, metadata "
        "(year, agency, region, scope, authority) and the identities I1–I4 as data: the same report "
        "`ogi parse` prints, as typed nested columns."
    ),
)
def parsed_reports(context: AssetExecutionContext, clean_documents: PartitionedInput, lake: DataLake,
                   document_work: DocumentWork) -> Output[PartitionedOutput]:
    out = PartitionedOutput()
    for partition in run_partitions(context):
        out.parts[partition] = _parsed(clean_documents, partition, lake, document_work.limits(),
                                       out.metadata.setdefault(partition, {}), context.log)
    return Output(out)
