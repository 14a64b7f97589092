"""Dagster tells the truth: what the instance records as materialised, checked and passed is what was published.

Each test reads back from the Dagster instance itself (materialisation records, per-partition check
executions, run tags) and compares with the warehouse files and the registry.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from dagster import AssetCheckKey, AssetKey, DagsterInstance
from dagster._core.event_api import AssetRecordsFilter, PartitionKeyFilter
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

from ogi.datasets.registry import PUBLISHED
from ogi.datasets.warehouse import Partition
from pipelines.partitions import key_of
from pipelines.runs import materialize_partitions
from tests.conftest import ROOT, definitions_for, project_copy, run_partition

MISFILED = "misfiled,seeds/001_8cbdb91b66522a37.txt,http://www.yiyang.gov.cn/x.htm,150000,2022,,\n"


def _materialisations(instance: DagsterInstance, name: str, partition_key: str):
    return instance.fetch_materializations(
        AssetRecordsFilter(asset_key=AssetKey(name), asset_partitions=[partition_key]), limit=100).records


def _check_record(instance: DagsterInstance, dataset: str, check: str, partition_key: str):
    key = AssetCheckKey(AssetKey(["staged", dataset]), check)
    return instance.event_log_storage.get_latest_asset_check_execution_by_key(
        [key], partition_filter=PartitionKeyFilter(key=partition_key)).get(key)


def _recorded_partitions(instance: DagsterInstance, name: str) -> dict[str, object]:
    """partition key → latest materialisation record of a published dataset."""
    records = instance.fetch_materializations(AssetRecordsFilter(asset_key=AssetKey(name)), limit=1000).records
    latest: dict[str, object] = {}
    for r in records:  # newest first
        latest.setdefault(r.partition_key, r)
    return latest


def test_a_held_back_partition_keeps_its_first_published_materialisation(tmp_path: Path, fresh_instance):
    data, catalog = project_copy(tmp_path)
    first = run_partition(definitions_for(data, catalog), fresh_instance, "150000|2022")
    assert first.success
    before = {name: _materialisations(fresh_instance, name, "150000|2022") for name in PUBLISHED}
    assert all(len(v) == 1 for v in before.values())
    with catalog.open("a", encoding="utf-8") as fh:
        fh.write(MISFILED)
    second = run_partition(definitions_for(data, catalog), fresh_instance, "150000|2022", raise_on_error=False)
    assert not second.success
    for name in PUBLISHED:
        after = _materialisations(fresh_instance, name, "150000|2022")
        assert len(after) == 1, f"{name}: the held-back run must not be recorded as published"
        latest = after[0]
        assert latest.run_id == first.run_id
        assert latest.asset_materialization.metadata["dagster/row_count"].value == \
            before[name][0].asset_materialization.metadata["dagster/row_count"].value
    record = _check_record(fresh_instance, "reports", "reports_contract", "150000|2022")
    assert record.status == AssetCheckExecutionRecordStatus.FAILED
    assert record.run_id == second.run_id
    # The staged data of the second run is recorded as staged (it exists), with its failed check.
    staged = fresh_instance.fetch_materializations(
        AssetRecordsFilter(asset_key=AssetKey(["staged", "reports"]), asset_partitions=["150000|2022"]), limit=1).records
    assert staged[0].run_id == second.run_id


def _range_run(defs, instance, region: str, first: int, last: int):
    """One run over a contiguous range of years (a single-run backfill)."""
    return materialize_partitions([Partition(region, y) for y in range(first, last + 1)], defs=defs,
                                  instance=instance, raise_on_error=False)


def test_one_run_over_a_range_publishes_the_good_partitions_and_says_why_not_the_bad(tmp_path: Path, fresh_instance):
    data, catalog = project_copy(tmp_path)
    with catalog.open("a", encoding="utf-8") as fh:
        fh.write(MISFILED)
    defs = definitions_for(data, catalog)
    results = _range_run(defs, fresh_instance, "150000", 2018, 2022)
    assert len(results) == 1, "one run for the whole range"
    result = results[0]
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    message = failure.step_failure_data.error.message
    assert "2022/150000" in message and "reports_contract" in message
    assert "2018/150000" not in message
    published = defs.resources["lake"].warehouse().partitions()
    assert Partition("150000", 2018) in published
    assert Partition("150000", 2022) not in published
    for name in PUBLISHED:
        recorded = _recorded_partitions(fresh_instance, name)
        assert "150000|2018" in recorded
        assert "150000|2022" not in recorded
    assert _check_record(fresh_instance, "reports", "reports_contract", "150000|2018").status == \
        AssetCheckExecutionRecordStatus.SUCCEEDED
    assert _check_record(fresh_instance, "reports", "reports_contract", "150000|2022").status == \
        AssetCheckExecutionRecordStatus.FAILED


def test_recorded_row_counts_are_those_of_each_partitions_own_file(tmp_path: Path, fresh_instance):
    """A range with empty years in it: every recorded partition has its own file with that many rows."""
    data, catalog = project_copy(tmp_path)
    defs = definitions_for(data, catalog)
    results = _range_run(defs, fresh_instance, "150000", 2018, 2022)
    assert [r.success for r in results] == [True]
    warehouse = defs.resources["lake"].warehouse()
    assert warehouse.partitions() == [Partition("150000", 2018), Partition("150000", 2022)]
    for name in PUBLISHED:
        recorded = _recorded_partitions(fresh_instance, name)
        assert set(recorded) == {"150000|2018", "150000|2022"}, name  # 2019–2021 have no documents, no files
        for key, record in recorded.items():
            meta = record.asset_materialization.metadata
            path = Path(meta["path"].value)
            assert path.exists(), (name, key)
            assert pq.ParquetFile(path).metadata.num_rows == meta["dagster/row_count"].value, (name, key)
            year, region = int(key.split("|")[1]), key.split("|")[0]
            manifest = warehouse.manifest(Partition(region, year))
            assert manifest.datasets[name].path in str(path)
            assert meta["source_documents"].value == len(manifest.source_sha256)
    # The staged datasets of the empty years are recorded with their own (empty) files, row count 0.
    for year in (2019, 2020, 2021):
        staged = fresh_instance.fetch_materializations(
            AssetRecordsFilter(asset_key=AssetKey(["staged", "cells"]), asset_partitions=[f"150000|{year}"]),
            limit=1).records[0]
        assert staged.asset_materialization.metadata["dagster/row_count"].value == 0
        assert Path(staged.asset_materialization.metadata["path"].value).exists()
    # Each partition's check results are its own: one execution per partition and check, none left planned.
    for year in range(2018, 2023):
        for check in ("cells_contract", "identity_I1"):
            dataset = "cells" if check == "cells_contract" else "identities"
            assert _check_record(fresh_instance, dataset, check, f"150000|{year}").status in (
                AssetCheckExecutionRecordStatus.SUCCEEDED, AssetCheckExecutionRecordStatus.FAILED)


def test_ogi_materialize_runs_exactly_the_years_asked_for(tmp_path: Path):
    data, catalog = project_copy(tmp_path)
    with catalog.open("a", encoding="utf-8") as fh:  # a third year between the two asked for
        fh.write("tongliao-2020-copy,seeds/004_dc9309ee2353fe7a.txt,https://www.tongliao.gov.cn/x.html,150000,2020,,\n")
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env.update(OGI_DATA_DIR=str(data), OGI_CATALOG=str(catalog))
    out = subprocess.run([sys.executable, "-m", "ogi_cli", "materialize", "--year", "2018", "--year", "2022",
                          "--region", "150000"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 partition(s)" in out.stdout
    with DagsterInstance.from_ref(_instance_ref(data / ".dagster")) as instance:
        runs = instance.get_runs()
        ranges = sorted((r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"])
                        for r in runs if r.job_name == "reports_job")
        assert ranges == [("150000|2018", "150000|2018"), ("150000|2022", "150000|2022")]
        for name in ("raw_documents", "parsed_reports"):
            records = instance.fetch_materializations(AssetRecordsFilter(asset_key=AssetKey(name)), limit=100).records
            assert {r.partition_key for r in records} == {"150000|2018", "150000|2022"}


def _instance_ref(home: Path):
    from dagster._core.instance.ref import InstanceRef

    return InstanceRef.from_dir(str(home))


def test_the_instance_shows_the_registry_and_the_warehouse(sample_lake, sample_instance):
    """Column schemas with the registry's descriptions, per-partition row counts and check results."""
    warehouse = sample_lake.warehouse()
    partitions = warehouse.partitions()
    assert len(partitions) == 6
    for name, dataset in PUBLISHED.items():
        recorded = _recorded_partitions(sample_instance, name)
        assert set(recorded) == {key_of(p) for p in partitions}, name
        for partition in partitions:
            record = recorded[key_of(partition)]
            meta = record.asset_materialization.metadata
            schema = meta["dagster/column_schema"].value
            assert [c.name for c in schema.columns] == dataset.names
            assert [c.description for c in schema.columns] == [f.description for f in dataset.fields]
            assert [c.constraints.nullable for c in schema.columns] == [f.nullable for f in dataset.fields]
            published = warehouse.manifest(partition).datasets[name]
            assert meta["dagster/row_count"].value == published.rows
            assert meta["file_sha256"].value == published.sha256
            assert record.asset_materialization.tags["dagster/data_version"]
    # Check results per partition: blocking contracts passed everywhere (they were published), and the
    # identity checks fail exactly where a published report breaks an identity.
    identities = warehouse.read("identities").to_pylist()
    for partition in partitions:
        key = key_of(partition)
        for name in PUBLISHED:
            assert _check_record(sample_instance, name, f"{name}_contract", key).status == \
                AssetCheckExecutionRecordStatus.SUCCEEDED
        for i in ("I1", "I2", "I3", "I4"):
            breaks = [r for r in identities if r["identity"] == i and r["holds"] is False
                      and (r["year"], r["region"]) == (partition.year, partition.region)]
            record = _check_record(sample_instance, "identities", f"identity_{i}", key)
            expected = AssetCheckExecutionRecordStatus.FAILED if breaks else AssetCheckExecutionRecordStatus.SUCCEEDED
            assert record.status == expected, (key, i)
            if breaks:
                evaluation = record.event.dagster_event.event_specific_data
                assert {r["report_id"] for r in breaks} <= set(evaluation.metadata["first_failing_reports"].value)


@pytest.mark.parametrize("stage", ["discovered_reports", "raw_documents", "clean_documents", "parsed_reports"])
def test_stage_assets_declare_the_registry_schema(stage: str):
    from pipelines.definitions import defs

    node = defs.resolve_asset_graph().get(AssetKey(stage))
    schema = node.metadata["dagster/column_schema"]
    from ogi.datasets.registry import STAGES

    assert [c.name for c in schema.columns] == STAGES[stage].names
    assert node.code_version and "+" in node.code_version
