"""Stages 4 and 5: normalised datasets staged and checked with great-expectations, then published.

Write-audit-publish the Dagster way:
- `staged/<dataset>` (group staging): each partition's published datasets built from the parsed
  reports, written to the staging area and validated batch by batch with the suites of
  expectations/. Every check result is recorded per partition (a partitioned asset check), against
  the staged materialisation it validated.
- `<dataset>` (group datasets): publishing. For each partition of the run it reads that
  partition's blocking check results from the Dagster instance and publishes only when all of them
  passed for the current staged data — per partition, also inside one run over a range, so one bad
  partition never holds back the others. Only published partitions are recorded as materialised,
  each with its own row count, file, publication and source sha256s; a held-back partition is not
  recorded, and the run fails saying which and why.
"""

import hashlib
from collections.abc import Iterator
from contextlib import ExitStack

import pyarrow as pa
import pyarrow.dataset as ds
from dagster import (
    AssetCheckEvaluation,
    AssetCheckKey,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetIn,
    AssetKey,
    AssetMaterialization,
    AssetOut,
    AssetSpec,
    BackfillPolicy,
    Failure,
    MetadataValue,
    Output,
    multi_asset,
)
from dagster._core.definitions.asset_checks.asset_check_evaluation import (
    AssetCheckEvaluationTargetMaterializationData,
)
from dagster._core.event_api import AssetRecordsFilter, PartitionKeyFilter
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

from expectations.checks import CHECKS, PartitionAudit
from expectations.generate import SUITES_DIR
from expectations.validate import SuiteOutcome, Validator, validator
from ogi.datasets.fingerprint import DETERMINING, parsed_digest, partition_fingerprint
from ogi.datasets.registry import PUBLISHED
from ogi.datasets.rows import normalised_tables
from ogi.datasets.storage import scan_batches
from ogi.datasets.warehouse import Partition, PublicationConflict
from ogi.versions import code_version
from ogi.work.stage import WorkLimits
from pipelines.io import PartitionedInput, PartitionedOutput
from pipelines.metadata import column_schema
from pipelines.partitions import REPORT_PARTITIONS, key_of, run_partitions
from pipelines.resources import DataLake, DocumentWork, ExpectationSuites, SourceCatalog

STAGED = {name: AssetKey(["staged", name]) for name in PUBLISHED}
# Checked whole per partition (one row per document or report, small); the others batch by batch.
WHOLE = ("documents", "reports", "coverage")

NORMALISE_ROWS = 128  # parsed reports per batch normalised by a worker (~0.6 MB each as Python objects there)


def _suites_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(SUITES_DIR.glob("*.json")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


STAGED_VERSION = f"{code_version('datasets')}+suites.{_suites_digest()}"

CHECK_SPECS = [
    AssetCheckSpec(name=c.name, asset=STAGED[c.dataset], description=c.description, blocking=c.blocking,
                   partitions_def=REPORT_PARTITIONS)
    for c in CHECKS
]


def _staged_out(name: str) -> AssetOut:
    d = PUBLISHED[name]
    return AssetOut(
        key=STAGED[name], group_name="staging", kinds={"parquet"}, io_manager_key="stage_io",
        code_version=STAGED_VERSION,
        description=f"Staged (checked, not yet published) `{name}`: {d.description}",
        metadata={"dagster/column_schema": column_schema(d)},
    )


def _normalised(parsed: PartitionedInput, partition: Partition, limits: WorkLimits, overrides, catalog_agencies,
                previous, figures) -> Iterator[dict[str, pa.Table]]:
    """Each batch of parsed reports as tables of every published dataset (two passes: identity, then rows,
    the second in the document-work pool)."""
    yield from normalised_tables(partition.year, partition.region,
                                 lambda columns: parsed.record_batches(partition, NORMALISE_ROWS, columns),
                                 limits=limits, overrides=overrides, catalog_agencies=catalog_agencies,
                                 previous=previous, figures=figures)


def _stage_partition(parsed: PartitionedInput, partition: Partition, spill, run_id: str, validator: Validator,
                     chunk_rows: int, limits: WorkLimits, overrides, catalog_agencies, previous,
                     figures) -> tuple[dict[str, str], PartitionAudit, list[str]]:
    """Build, spill and audit one partition: the spill key of each dataset, the audit, the source sha256s.

    Rows are written as they come; validation runs on chunks of up to `chunk_rows` rows of a dataset
    (a GX validation costs ~0.2 s whatever its size, so tiny batches would make it dominate), except
    the one-row-per-document datasets, checked whole so their primary keys are checked across batches.
    """
    audit = PartitionAudit(partition)
    pending: dict[str, list[pa.Table]] = {name: [] for name in PUBLISHED}
    keys = {name: f"{run_id}/{name}/{partition.hive}/data.parquet" for name in PUBLISHED}
    sources: set[str] = set()

    def flush(name: str, sink) -> None:
        if pending[name]:
            table = pa.concat_tables(pending[name])
            pending[name] = []
            audit.add(validator, name, table)
            sink.write(table)

    with ExitStack() as stack:
        sinks = {name: stack.enter_context(spill.parquet_sink(keys[name], PUBLISHED[name].schema)) for name in PUBLISHED}
        for tables in _normalised(parsed, partition, limits, overrides, catalog_agencies, previous, figures):
            for name, table in tables.items():
                if table.num_rows == 0:
                    continue
                pending[name].append(table)
                if name in _BREAK_CHECK:
                    _note_breaks(audit, name, table)
                if name not in WHOLE and sum(t.num_rows for t in pending[name]) >= chunk_rows:
                    flush(name, sinks[name])
            sources.update(s for s in tables["documents"].column("sha256").to_pylist() if s)
            for doc in tables["documents"].select(["report_id", "origin_url", "location"]).to_pylist():
                if doc["report_id"]:
                    audit.sources.setdefault(doc["report_id"], doc["origin_url"] or doc["location"])
        for name in PUBLISHED:
            if name in WHOLE and not pending[name]:
                pending[name].append(PUBLISHED[name].empty())
            flush(name, sinks[name])
    return keys, audit, sorted(sources)


def _spilled(spill, key: str) -> Iterator[pa.RecordBatch]:
    """A spilled dataset's batches, read only when the IO manager writes it: opening every dataset's scan at
    once would start reading all of them ahead together (the largest moment of a partition's staging)."""
    yield from scan_batches(ds.dataset(spill.path(key), format="parquet", filesystem=spill.fs))


def _check_metadata(outcome: SuiteOutcome, sample_reports: list[str], urls: dict[str, str]) -> dict:
    failed = outcome.failed
    return {
        "expectations_evaluated": outcome.expectations,
        "expectations_failed": len(failed),
        "rows_evaluated": outcome.evaluated_rows,
        "batches": outcome.batches,
        "unexpected_rows": sum(o.unexpected_count or 0 for o in failed),
        "failures": MetadataValue.md("\n".join(
            f"- `{o.expectation}` on `{o.column}`: {o.unexpected_count} unexpected, e.g. {o.sample[:3]}"
            for o in failed) or "none"),
        **({"first_failing_reports": MetadataValue.json(sample_reports[:10]),
            "first_failing_sources": MetadataValue.md("\n".join(f"- `{r}`: {urls.get(r, '?')}" for r in sample_reports[:10]))}
           if sample_reports else {}),
    }


def _fingerprint(parsed: PartitionedInput, partition: Partition, parameters, overrides, agencies, previous) -> str:
    source = parsed.parts.get(partition)
    columns = sorted(DETERMINING & set(source.schema.names)) if source is not None else []
    digest, source_ids = parsed_digest(scan_batches(source, batch_size=1024, columns=columns)
                                       if source is not None else [])
    return partition_fingerprint(version=STAGED_VERSION, parameters=parameters, parsed=digest, overrides=overrides,
                                 source_ids=source_ids, agencies=agencies, previous=previous)


def _reusable(context: AssetExecutionContext, lake: DataLake, pk: str, partition: Partition,
              fingerprint: str) -> dict[str, AssetCheckEvaluation] | None:
    """The check results of the partition's last staging when it had this very fingerprint, its staged files
    are all still there and every check's latest result is for them; else None (stage it again)."""
    stages = lake.stage_files()
    last = _latest_materialization(context, STAGED["documents"], pk)
    recorded = last.asset_materialization.metadata.get("fingerprint") if last and last.asset_materialization else None
    if recorded is None or recorded.value != fingerprint:
        return None
    if not all(stages.exists("/".join(STAGED[name].path), partition) for name in PUBLISHED):
        return None
    storage = context.instance.event_log_storage
    results: dict[str, AssetCheckEvaluation] = {}
    for check in CHECKS:
        key = AssetCheckKey(STAGED[check.dataset], check.name)
        # The latest finished evaluation (this run has already planned its own, still without a result).
        done = {AssetCheckExecutionRecordStatus.SUCCEEDED, AssetCheckExecutionRecordStatus.FAILED}
        history = storage.get_asset_check_execution_history(key, limit=1, status=done,
                                                            partition_filter=PartitionKeyFilter(key=pk))
        record = history[0] if history else None
        mat = _latest_materialization(context, STAGED[check.dataset], pk)
        if record is None or record.event is None or mat is None:
            return None
        evaluation = record.event.dagster_event.event_specific_data
        target = evaluation.target_materialization_data
        if target is None or target.storage_id != mat.storage_id:
            return None
        results[check.name] = evaluation
    return results


def _latest_materialization(context: AssetExecutionContext, key: AssetKey, partition_key: str):
    records = context.instance.fetch_materializations(
        AssetRecordsFilter(asset_key=key, asset_partitions=[partition_key]), limit=1).records
    return records[0] if records else None


_BREAK_CHECK = {"identities": lambda r: f"identity_{r['identity']}", "continuity": lambda r: {
    "I5": "continuity_I5", "active_stock": "continuity_stock", "requests_jump": "continuity_jump"}[r["check"]]}


def _note_breaks(audit: PartitionAudit, name: str, table: pa.Table) -> None:
    """Remember which reports break each identity or continuity check: the check's first failing reports in the UI."""
    column = "identity" if name == "identities" else "check"
    for row in table.select(["report_id", column, "holds"]).to_pylist():
        if row["holds"] is False:
            reports = audit.failing_reports.setdefault(_BREAK_CHECK[name](row), [])
            if row["report_id"] not in reports:
                reports.append(row["report_id"])


@multi_asset(
    outs={STAGED[name].to_python_identifier(): _staged_out(name) for name in PUBLISHED},
    check_specs=CHECK_SPECS,
    ins={"parsed_reports": AssetIn()},
    partitions_def=REPORT_PARTITIONS,
    backfill_policy=BackfillPolicy.single_run(),
    can_subset=False,
)
def staged_datasets(context: AssetExecutionContext, parsed_reports: PartitionedInput, lake: DataLake,
                    catalog: SourceCatalog, expectation_suites: ExpectationSuites, document_work: DocumentWork):
    gx = validator(expectation_suites.directory, expectation_suites.parameters())  # great-expectations: imported and set up once per process
    overrides = catalog.overrides()
    entries = catalog.entries()
    spill = lake.stage_files().storage.child("_spill")
    run_id = context.run.run_id
    outputs = {name: PartitionedOutput() for name in PUBLISHED}
    audits: dict[Partition, PartitionAudit] = {}
    in_run: dict[Partition, dict] = {}
    history = lake.body_history()
    parameters = expectation_suites.parameters()
    reused: dict[Partition, dict[str, AssetCheckEvaluation]] = {}
    run_names: dict[Partition, str] = {}  # names this run's validations of each partition in Data Docs
    try:
        for partition in run_partitions(context):  # in year order: a year's figures serve the next
            agencies = [e.agency for e in entries if e.kind == "report" and e.partition == (partition.year, partition.region)]
            last = Partition(partition.region, partition.year - 1)
            previous = in_run[last] if last in in_run else history.read(last)  # the year before, for continuity
            fingerprint = _fingerprint(parsed_reports, partition, parameters, overrides, agencies, previous)
            earlier = _reusable(context, lake, key_of(partition), partition, fingerprint)
            if earlier is not None:  # inputs, code and suites unchanged: the staged files and their checks stand
                reused[partition] = earlier
                in_run[partition] = history.read(partition)
                for name in PUBLISHED:
                    outputs[name].unchanged.add(partition)
                    outputs[name].metadata[partition] = {"fingerprint": fingerprint, "reused": True}
                context.log.info(f"partition {partition.label} unchanged (fingerprint {fingerprint[:12]}): "
                                 "not normalised or validated again")
                continue
            gx.run_name = run_names[partition] = f"{partition.year}-{partition.region}-{run_id[:8]}"
            in_run[partition] = {}
            keys, audit, sources = _stage_partition(parsed_reports, partition, spill, run_id, gx,
                                                    expectation_suites.chunk_rows, document_work.limits(),
                                                    overrides, agencies, previous, in_run[partition])
            history.write(partition, in_run[partition])
            audits[partition] = audit
            for name in PUBLISHED:
                outputs[name].parts[partition] = _spilled(spill, keys[name])
                outputs[name].metadata[partition] = {"source_documents": len(sources), "fingerprint": fingerprint,
                                                     "reused": False}
        for name in PUBLISHED:
            yield Output(outputs[name], output_name=STAGED[name].to_python_identifier())
    finally:
        spill.delete_prefix(run_id)
    docs = gx.build_docs(lake.root_path / "gx_data_docs")  # GX Data Docs of this run's validations
    for partition, earlier in reused.items():
        _relog_checks(context, partition, earlier)
    for partition, audit in audits.items():
        pk = key_of(partition)
        for check in CHECKS:
            outcome = audit.result(check)
            mat = _latest_materialization(context, STAGED[check.dataset], pk)
            breaks = audit.failing_reports.get(check.name, [])
            urls = audit.sources
            context.log_event(AssetCheckEvaluation(
                asset_key=STAGED[check.dataset], check_name=check.name, passed=outcome.success,
                severity=AssetCheckSeverity.ERROR if check.blocking else AssetCheckSeverity.WARN,
                blocking=check.blocking, partition=pk, description=check.description,
                metadata={**_check_metadata(outcome, breaks, urls), "data_docs": MetadataValue.path(str(docs)),
                          **_pages(docs, check.suites, run_names[partition])},
                target_materialization_data=AssetCheckEvaluationTargetMaterializationData(
                    storage_id=mat.storage_id, run_id=mat.run_id, timestamp=mat.timestamp) if mat else None,
            ))
        failures = audit.blocking_failures()
        if failures:
            context.log.error(f"partition {partition.label} fails blocking checks {failures}: it will not be published")
    # The checks' own outputs: their results are the per-partition evaluations logged above.
    for output_name in context.assets_def.check_specs_by_output_name:
        yield Output(None, output_name=output_name)


def _pages(index, suites: tuple[str, ...], run_name: str) -> dict[str, MetadataValue]:
    """The Data Docs page of each suite a check ran for this partition in this run (the index lists only
    the latest build's; the pages of every run stay)."""
    root = index.parent / "validations"
    pages = {}
    for suite in suites:
        found = sorted((root / suite / run_name).glob("*/*.html"))
        if found:
            pages[f"data_docs_{suite}"] = MetadataValue.path(str(found[-1]))
    return pages


def _relog_checks(context: AssetExecutionContext, partition: Partition, earlier: dict[str, AssetCheckEvaluation]) -> None:
    """An unchanged partition's check results, recorded again for its new staged materialisation: the same
    verdicts on the same bytes, saying which run evaluated them."""
    pk = key_of(partition)
    for check in CHECKS:
        before = earlier[check.name]
        mat = _latest_materialization(context, STAGED[check.dataset], pk)
        context.log_event(AssetCheckEvaluation(
            asset_key=STAGED[check.dataset], check_name=check.name, passed=before.passed, severity=before.severity,
            blocking=check.blocking, partition=pk, description=check.description,
            metadata={**before.metadata, "evaluated_in_run": MetadataValue.text(
                before.target_materialization_data.run_id if before.target_materialization_data else "?"),
                "reused": True},
            target_materialization_data=AssetCheckEvaluationTargetMaterializationData(
                storage_id=mat.storage_id, run_id=mat.run_id, timestamp=mat.timestamp) if mat else None,
        ))
    if any(not earlier[c.name].passed for c in CHECKS if c.blocking):
        context.log.error(f"partition {partition.label} fails blocking checks (unchanged since they were evaluated)")


def _published_spec(name: str) -> AssetSpec:
    d = PUBLISHED[name]
    return AssetSpec(
        key=AssetKey(name), group_name="datasets", partitions_def=REPORT_PARTITIONS, kinds={"parquet"},
        description=d.description, skippable=True, code_version=STAGED_VERSION, deps=[STAGED[name]],
        metadata={"dagster/column_schema": column_schema(d), "primary_key": ", ".join(d.primary_key)},
    )


def blocking_verdict(context: AssetExecutionContext, pk: str) -> list[str]:
    """Why a partition may not be published: each blocking check that did not pass on its current staged data."""
    problems = []
    storage = context.instance.event_log_storage
    for check in (c for c in CHECKS if c.blocking):
        key = AssetCheckKey(STAGED[check.dataset], check.name)
        record = storage.get_latest_asset_check_execution_by_key([key], partition_filter=PartitionKeyFilter(key=pk))
        record = record.get(key)
        mat = _latest_materialization(context, STAGED[check.dataset], pk)
        if record is None or record.event is None:
            problems.append(f"{check.name}: no result")
            continue
        evaluation = record.event.dagster_event.event_specific_data
        target = evaluation.target_materialization_data
        if mat is None or target is None or target.storage_id != mat.storage_id:
            problems.append(f"{check.name}: its result is not for the current staged data")
        elif record.status != AssetCheckExecutionRecordStatus.SUCCEEDED:
            problems.append(f"{check.name}: failed")
    return problems


def _data_version(sources: list[str]) -> str:
    digest = hashlib.sha256(STAGED_VERSION.encode())
    for s in sources:
        digest.update(s.encode())
    return digest.hexdigest()[:20]


@multi_asset(
    specs=[_published_spec(name) for name in PUBLISHED],
    ins={f"staged_{name}": AssetIn(key=STAGED[name]) for name in PUBLISHED},
    backfill_policy=BackfillPolicy.single_run(),
    can_subset=False,
)
def datasets(context: AssetExecutionContext, lake: DataLake, **inputs: PartitionedInput):
    staged = {name: inputs[f"staged_{name}"] for name in PUBLISHED}
    warehouse = lake.warehouse()
    held_back: dict[str, list[str]] = {}
    conflicts: dict[str, str] = {}
    for partition in run_partitions(context):
        pk = key_of(partition)
        documents = staged["documents"].count(partition)
        if documents == 0:
            context.log.info(f"partition {partition.label} has no documents: nothing to publish")
            continue
        problems = blocking_verdict(context, pk)
        if problems:
            held_back[partition.label] = problems
            context.log.error(f"partition {partition.label} held back, previous publication kept: {problems}")
            continue
        # All staged datasets of the partition must come from one staging run: two runs staging it at once
        # could otherwise leave one's cells beside the other's reports, and publishing would mix them.
        staging_runs = {m.run_id for name in PUBLISHED if (m := _latest_materialization(context, STAGED[name], pk))}
        if len(staging_runs) > 1:
            conflicts[partition.label] = (f"{partition.label}: its staged datasets come from {len(staging_runs)} runs "
                                          f"({', '.join(sorted(staging_runs))}) staging it at once: not published")
            context.log.error(conflicts[partition.label])
            continue
        sources = sorted({s for r in staged["documents"].rows(partition) if (s := r["sha256"])})
        files = {name: staged[name].files[partition] for name in PUBLISHED if partition in staged[name].files}
        manifest = warehouse.published_as(partition, files)
        unchanged = manifest is not None
        if unchanged:  # the published files already hold these very bytes: that publication stands
            context.log.info(f"partition {partition.label}: published data unchanged (publication "
                             f"{manifest.publication}), not published again")
        else:
            try:
                manifest = warehouse.publish(partition, files, run_id=context.run.run_id, source_sha256=sources)
            except PublicationConflict as exc:  # another run publishes (or published) it: its publication stands
                conflicts[partition.label] = str(exc)
                context.log.error(str(exc))
                continue
        version = _data_version(sources)
        for name, published in manifest.files().items():
            yield AssetMaterialization(
                asset_key=AssetKey(name), partition=pk,
                metadata={
                    "dagster/row_count": published.rows,
                    "path": MetadataValue.path(warehouse.storage.uri(published.path)),
                    "publication": manifest.publication,
                    "published_at": manifest.published_at,
                    "unchanged": unchanged,
                    "file_sha256": published.sha256,
                    "bytes": published.bytes,
                    "source_documents": len(sources),
                    "source_sha256": MetadataValue.json(sources[:50]),
                    "manifest": MetadataValue.path(warehouse.storage.uri(warehouse.manifest_key(partition))),
                    "dagster/column_schema": column_schema(PUBLISHED[name]),
                },
                tags={"dagster/data_version": version, "dagster/code_version": STAGED_VERSION},
            )
    if conflicts:
        raise Failure(
            description="partitions another run was publishing at the same time (theirs stands, unmixed): "
                        + "; ".join(conflicts.values())
                        + ("; held back by failed blocking checks: " + "; ".join(held_back) if held_back else ""),
            metadata={"conflicts": MetadataValue.json(conflicts), "held_back": MetadataValue.json(held_back)},
        )
    if held_back:
        raise Failure(
            description="partitions held back by failed blocking checks (their published data is unchanged): "
                        + "; ".join(f"{label}: {', '.join(why)}" for label, why in held_back.items()),
            metadata={"held_back": MetadataValue.json(held_back)},
        )
