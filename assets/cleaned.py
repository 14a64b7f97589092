"""Stage 2: each document read (HTML, text, PDF, DOCX) and cleaned to its main content."""

from collections.abc import Iterator

import pyarrow as pa
from dagster import AssetExecutionContext, AssetIn, BackfillPolicy, Output, asset

from ogi.datasets.registry import CLEAN_DOCUMENTS
from ogi.datasets.warehouse import Partition
from ogi.read.stage import clean_rows, fetch_columns_table, read_key
from ogi.versions import code_version
from ogi.work.stage import InRun, Reuse, WorkLimits, batched, reuse_whole
from pipelines.io import PartitionedInput, PartitionedOutput, previous_batches, previous_output
from pipelines.metadata import column_schema
from pipelines.partitions import REPORT_PARTITIONS, run_partitions
from pipelines.progress import Progress
from pipelines.resources import DataLake, DocumentWork

BATCH_ROWS = 128
_KEY_COLUMNS = ["sha256", "location", "content_type", "error", "error_kind"]  # what read_key looks at  # rows per Arrow batch written: memory is a few batches, whatever the partition's size


def _cleaned(raw: PartitionedInput, partition: Partition, lake: DataLake, limits: WorkLimits, stats: dict,
             log) -> Iterator[pa.Table]:
    documents = failed = 0
    progress = Progress(log, "read", partition, total=raw.count(partition))
    source = raw.parts.get(partition)
    keys = [read_key(r) for r in source.to_table(columns=_KEY_COLUMNS).to_pylist()] if source else []
    whole = reuse_whole(previous_batches(lake, CLEAN_DOCUMENTS, partition, log), keys,
                        fetch_columns_table(source) if source else pa.table({}), CLEAN_DOCUMENTS.schema)
    if whole is not None:  # every document read before from the same bytes, by the same code: nothing to read
        for table in whole:
            for r in table.select(["source_id", "encoding"]).to_pylist():
                progress.report(r["source_id"], True, encoding=r["encoding"], reused=True)
            documents += table.num_rows
            yield table
        progress.finish()
        stats.update(documents=documents, failed=0, reused=documents, read_once_for_several_rows=0)
        return
    reuse = Reuse(previous_output(lake, CLEAN_DOCUMENTS, partition, log))
    in_run = InRun(keys)
    for rows in batched(clean_rows(raw.rows(partition), lake.raw_store, limits, reuse, in_run), BATCH_ROWS):
        for r in rows:
            if r["status"] != "ok" and r["failed_stage"] != "fetch":
                log.warning(f"read failed: {r['source_id']}: {r['message']}")
            progress.report(r["source_id"], r["status"] == "ok", failed_stage=r["failed_stage"],
                            encoding=r.get("encoding"))
        documents += len(rows)
        failed += sum(r["status"] != "ok" for r in rows)
        yield CLEAN_DOCUMENTS.table(rows)
    progress.finish()
    stats.update(documents=documents, failed=failed, reused=reuse.reused, read_once_for_several_rows=in_run.shared)


@asset(
    partitions_def=REPORT_PARTITIONS,
    backfill_policy=BackfillPolicy.single_run(),
    group_name="cleanup",
    io_manager_key="stage_io",
    ins={"raw_documents": AssetIn()},
    kinds={"python", "parquet"},
    code_version=code_version("read"),
    metadata={"dagster/column_schema": column_schema(CLEAN_DOCUMENTS)},
    description=(
        "Each fetched document decoded (encoding recorded) and reduced to its main content: site chrome, "
        "injected spam and duplicated blocks removed, each removal recorded as a finding; what the chrome "
        "states (meta tags, 发布时间, 信息来源, 网站标识码) kept as metadata. Tables stay tables."
    ),
)
def clean_documents(context: AssetExecutionContext, raw_documents: PartitionedInput, lake: DataLake,
                    document_work: DocumentWork) -> Output[PartitionedOutput]:
    out = PartitionedOutput()
    for partition in run_partitions(context):
        out.parts[partition] = _cleaned(raw_documents, partition, lake, document_work.limits(),
                                        out.metadata.setdefault(partition, {}), context.log)
    return Output(out)
