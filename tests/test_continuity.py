"""Checks across years of one body: I5, the stock of rules in force, tenfold jumps — found by GX, recorded as findings.

Two reports of the same body (通辽市人民政府办公室): the real 2022 report (seed 004) and a 2021
report made from it whose printed figures disagree with it on purpose: it carries forward 5
requests that 2022 does not carry over (I5), has 100 normative documents in force where 2022's
111 − 16 issued + 11 repealed says 106 (stock), and received 6 requests against 2022's 66 (a jump).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import AssetCheckKey, AssetKey
from dagster._core.event_api import PartitionKeyFilter
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

from ogi.datasets.warehouse import Partition
from pipelines.runs import materialize_partitions
from tests.conftest import CORPUS, definitions_for

SEED = (CORPUS / "seeds" / "004_dc9309ee2353fe7a.txt").read_text(encoding="utf-8")


def _year_2021() -> str:
    text = SEED.replace("2022", "2021")
    text = text.replace("行政规范性文件 | 16 | 11 | 111 |", "行政规范性文件 | 20 | 2 | 100 |")
    text = text.replace("一、本年新收政府信息公开申请数量 | 65 | 0 | 0 | 0 | 0 | 1 | 66 |",
                        "一、本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 1 | 6 |")
    text = text.replace("四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
                        "四、结转下年度继续办理 | 5 | 0 | 0 | 0 | 0 | 0 | 5 |")
    assert text.count("| 6 |") >= 1 and "| 100 |" in text
    return text


def _catalog(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "2021.txt").write_text(_year_2021(), encoding="utf-8")
    (docs / "2022.txt").write_text(SEED, encoding="utf-8")
    origin = "https://www.tongliao.gov.cn/zwgk/zfxxgk/zfxxgknb/{y}.html"
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("source_id,location,origin_url,region,year,agency,note\n"
                       + "".join(f"tl-{y},docs/{y}.txt,{origin.format(y=y)},150000,{y},通辽市人民政府办公室,\n"
                                 for y in (2021, 2022)), encoding="utf-8")
    return catalog


def _check(instance, name: str, key: str):
    check_key = AssetCheckKey(AssetKey(["staged", "continuity"]), name)
    return instance.event_log_storage.get_latest_asset_check_execution_by_key(
        [check_key], partition_filter=PartitionKeyFilter(key=key))[check_key]


@pytest.mark.parametrize("one_run", [True, False], ids=["one run over both years", "a run per year"])
def test_breaks_across_years_are_warnings_and_findings(tmp_path: Path, fresh_instance, one_run: bool):
    defs = definitions_for(tmp_path / "data", _catalog(tmp_path))
    years = [Partition("150000", 2021), Partition("150000", 2022)]
    if one_run:
        results = materialize_partitions(years, defs=defs, instance=fresh_instance)
    else:
        results = [r for p in years for r in materialize_partitions([p], defs=defs, instance=fresh_instance)]
    assert all(r.success for r in results)  # warnings never block publication
    warehouse = defs.resources["lake"].warehouse()
    continuity = {(r["check"], r["subject"]): r for r in warehouse.read("continuity").to_pylist()}
    assert all(r["year"] == 2022 for r in continuity.values())  # 2021 has no year before it here
    assert continuity[("I5", "requests/total")]["holds"] is False
    assert continuity[("active_stock", "normative_documents")]["holds"] is False
    assert continuity[("active_stock", "regulations")]["holds"] is True
    assert continuity[("requests_jump", "requests/new_received")]["holds"] is False
    assert continuity[("requests_jump", "requests/new_received")]["ratio"] == pytest.approx(11.0)
    findings = [f for f in warehouse.read("findings").to_pylist() if f["year"] == 2022]
    kinds = {f["check"] for f in findings}
    assert {"I5", "active_stock", "requests_jump"} <= kinds
    i5 = next(f for f in findings if f["check"] == "I5")
    assert (i5["severity"], int(i5["printed"]), int(i5["expected"])) == ("warn", 0, 5)
    for name in ("continuity_I5", "continuity_stock", "continuity_jump"):
        record = _check(fresh_instance, name, "150000|2022")
        assert record.status == AssetCheckExecutionRecordStatus.FAILED, name
        evaluation = record.event.dagster_event.event_specific_data
        assert evaluation.severity.value == "WARN"
        assert evaluation.metadata["first_failing_reports"].value
    assert Partition("150000", 2022) in warehouse.partitions()
