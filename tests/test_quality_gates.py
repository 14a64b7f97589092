"""Quality gates on the sample corpus: source facts warn and publish, structural problems block."""

from __future__ import annotations

from pathlib import Path

from dagster import AssetCheckKey, AssetKey
from dagster._core.event_api import PartitionKeyFilter
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

from ogi.datasets.warehouse import Partition


def _record(instance, dataset: str, check: str, key: str):
    check_key = AssetCheckKey(AssetKey(["staged", dataset]), check)
    return instance.event_log_storage.get_latest_asset_check_execution_by_key(
        [check_key], partition_filter=PartitionKeyFilter(key=key))[check_key]


def test_seed_001s_breaks_are_warnings_and_findings_and_the_partition_publishes(sample_warehouse, sample_instance):
    reports = {r["report_id"]: r for r in sample_warehouse.read("reports").to_pylist()}
    yiyang = next(rid for rid, r in reports.items() if r["year"] == 2020 and r["region"] == "430000")
    breaks = sorted((f["check"], f["col"] if f["check"] in ("I1", "I2") else f["row"])
                    for f in sample_warehouse.read("findings").to_pylist()
                    if f["report_id"] == yiyang and f["check"] in ("I1", "I2", "I3", "I4"))
    assert breaks == [("I1", "natural_person"), ("I2", "natural_person"), ("I2", "total"),
                      ("I3", "denied_process_info")]
    for identity, status in (("I1", "FAILED"), ("I2", "FAILED"), ("I3", "FAILED"), ("I4", "SUCCEEDED")):
        record = _record(sample_instance, "identities", f"identity_{identity}", "430000|2020")
        assert record.status == getattr(AssetCheckExecutionRecordStatus, status), identity
        evaluation = record.event.dagster_event.event_specific_data
        assert evaluation.severity.value == "WARN" and evaluation.blocking is False
        if status == "FAILED":
            assert evaluation.metadata["first_failing_reports"].value == [yiyang]
            assert "yiyang.gov.cn" in evaluation.metadata["first_failing_sources"].value
            assert evaluation.metadata["expectations_failed"].value == 1
    assert Partition("430000", 2020) in sample_warehouse.partitions()
    # No other partition of the sample breaks an identity: its identity checks pass.
    for key in ("150000|2022", "000000|2022"):
        assert _record(sample_instance, "identities", "identity_I2", key).status == \
            AssetCheckExecutionRecordStatus.SUCCEEDED


def test_every_check_links_its_data_docs(sample_lake, sample_instance):
    record = _record(sample_instance, "cells", "cells_contract", "430000|2020")
    docs = record.event.dagster_event.event_specific_data.metadata["data_docs"].value
    assert docs.endswith("index.html") and (sample_lake.root_path / "gx_data_docs" / "index.html").exists()
    pages = list((sample_lake.root_path / "gx_data_docs" / "validations").rglob("*.html"))
    assert any("contract_cells" in str(p) and "2020-430000" in str(p) for p in pages)
    # And the check names the very page of its partition's validation, which stays after later runs.
    page = Path(record.event.dagster_event.event_specific_data.metadata["data_docs_contract_cells"].value)
    assert page.exists() and "contract_cells" in page.parts and page.parent.parent.name.startswith("2020-430000-")
