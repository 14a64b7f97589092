"""Backfills through the Dagster instance, and runs retried through a transient outage of a site."""

from __future__ import annotations

from dagster import DagsterEventType, DagsterRunStatus

from ogi.datasets.warehouse import Partition
from pipelines.backfills import backfill_runs, execute_backfill, submit_backfill
from pipelines.resources import FetchSettings
from pipelines.runs import materialize_partitions
from tests.conftest import CORPUS, definitions_for, project_copy
from tests.ops.servers import serve

TONGLIAO = CORPUS / "pages/www.tongliao.gov.cn/zwgk/zfxxgk/zfxxgknb/2022_645/szfzcbm/202301/t20230118_62744.html"


def test_a_backfill_over_several_partitions_runs_through_the_instance_and_succeeds(tmp_path, fresh_instance,
                                                                                   monkeypatch):
    data, catalog = project_copy(tmp_path)
    with catalog.open("a", encoding="utf-8") as fh:  # 150000 then has documents for every year 2018–2022
        for year in (2019, 2020, 2021):
            fh.write(f"gone-{year},pages/missing/gone-{year}.html,https://www.nmg.gov.cn/{year}.html,150000,{year},,\n")
    monkeypatch.setenv("OGI_DATA_DIR", str(data))
    monkeypatch.setenv("OGI_CATALOG", str(catalog))
    monkeypatch.setenv("OGI_ALLOWED_HOSTS", "*.gov.cn")
    wanted = [Partition("150000", y) for y in range(2018, 2023)] + [Partition("430000", 2020),
                                                                     Partition("650000", 2017)]
    backfill_id = submit_backfill(fresh_instance, wanted)
    assert fresh_instance.get_backfill(backfill_id) is not None  # the UI's Backfills page shows it
    status, runs = execute_backfill(fresh_instance, backfill_id)
    assert status == "COMPLETED_SUCCESS"
    assert [r.status for r in runs] == [DagsterRunStatus.SUCCESS] * len(runs)
    ranges = sorted((r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"])
                    for r in runs)
    # The single-run backfill policy: all five years of 150000 in one run, not five.
    assert ranges == [("150000|2018", "150000|2022"), ("430000|2020", "430000|2020"), ("650000|2017", "650000|2017")]
    assert {r.run_id for r in backfill_runs(fresh_instance, backfill_id)} == {r.run_id for r in runs}
    from pipelines.resources import DataLake

    assert DataLake(root=str(data)).warehouse().partitions() == sorted(wanted)


def _site_catalog(tmp_path, site):
    data = tmp_path / "data"
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("source_id,location,origin_url,region,year,agency,note\n"
                       f"tongliao,{site.url('/zwgk/t20230118_62744.html')},"
                       "https://www.tongliao.gov.cn/zwgk/zfxxgk/zfxxgknb/2022_645/szfzcbm/202301/t20230118_62744.html,"
                       "150000,2022,通辽市人民政府办公室,\n", encoding="utf-8")
    return data, catalog


def _settings(**kw) -> FetchSettings:
    return FetchSettings(allowed_hosts="127.0.0.1", min_interval_seconds=0, max_attempts=1, connect_timeout=5,
                         read_timeout=5, outage_retry_seconds=0.1, allow_private_addresses=True,  # 127.0.0.1
                         **kw)


def _retries(result) -> int:
    return sum(1 for e in result.all_events if e.event_type == DagsterEventType.STEP_UP_FOR_RETRY)


def test_a_transient_outage_is_retried_and_never_publishes_less(tmp_path, fresh_instance):
    with serve() as site:
        site.page("/zwgk/t20230118_62744.html", TONGLIAO.read_bytes())
        data, catalog = _site_catalog(tmp_path, site)
        defs = definitions_for(data, catalog, fetch_settings=_settings(outage_retries=3))
        first, = materialize_partitions([Partition("150000", 2022)], defs=defs, instance=fresh_instance)
        assert first.success and _retries(first) == 0
        warehouse = defs.resources["lake"].warehouse()
        before = warehouse.read("documents").to_pylist()
        cells = warehouse.read("cells").num_rows
        assert [d["status"] for d in before] == ["published"] and cells == 200

        site.fail_next = 2  # the site answers 503 twice, then recovers
        second, = materialize_partitions([Partition("150000", 2022)], defs=defs, instance=fresh_instance)
        assert second.success
        assert _retries(second) == 2  # the fetch step was retried twice, then fetched it
        after = warehouse.read("documents").to_pylist()
        assert [d["status"] for d in after] == ["published"] and warehouse.read("cells").num_rows == cells

        publication = warehouse.manifest(Partition("150000", 2022)).publication
        site.fail_next = 100  # an outage longer than the retries: the run fails, the published data stays
        third, = materialize_partitions([Partition("150000", 2022)], defs=defs, instance=fresh_instance,
                                        raise_on_error=False)
        assert not third.success and _retries(third) == 3
        assert warehouse.manifest(Partition("150000", 2022)).publication == publication
        assert warehouse.read("cells").num_rows == cells


def test_a_failure_of_a_new_document_is_recorded_not_retried(tmp_path, fresh_instance):
    with serve() as site:  # never fetched before: nothing published would be lost, so no retry
        data, catalog = _site_catalog(tmp_path, site)
        site.fail_next = 100
        defs = definitions_for(data, catalog, fetch_settings=_settings())
        result, = materialize_partitions([Partition("150000", 2022)], defs=defs, instance=fresh_instance)
        assert result.success and _retries(result) == 0
        documents = defs.resources["lake"].warehouse().read("documents").to_pylist()
        assert [(d["status"], d["error_kind"]) for d in documents] == [("failed", "server_error")]
