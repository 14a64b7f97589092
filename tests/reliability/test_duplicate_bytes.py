"""The same bytes under several catalog rows of a partition are one document: an exact repeat read and
parsed once, published as one report (no two reports with one report_id to block the partition's uniqueness check), with every row kept
in `documents` — the later ones `duplicate`, pointing at the first row (`duplicate_of_source`) — and a
`duplicate_source` finding on the report naming the other rows."""

from __future__ import annotations

import shutil

import duckdb

from tests.conftest import CORPUS, definitions_for, project_copy, run_partition

PAGE = "pages/www.yiyang.gov.cn/xxgkpt/625/629/27495/35059/index.html"
ORIGIN = "http://www.yiyang.gov.cn/xxgkpt/625/629/27495/35059/index.htm"


def test_one_file_under_three_catalog_rows_publishes_one_report_with_every_row_traceable(tmp_path, fresh_instance):
    data, catalog = project_copy(tmp_path)
    mirror = tmp_path / "mirror" / "index.html"  # the same bytes at another location (a repost of the page)
    mirror.parent.mkdir()
    shutil.copy(CORPUS / PAGE, mirror)
    with catalog.open("a", encoding="utf-8") as fh:
        fh.write(f"yiyang-again,{PAGE},{ORIGIN},430000,2020,益阳市人民政府办公室,the same row twice\n")
        fh.write("yiyang-mirror,mirror/index.html,http://www.yiyang.gov.cn/repost/index.htm,430000,2020,,\n")
    defs = definitions_for(data, catalog)
    result = run_partition(defs, fresh_instance, "430000|2020")
    assert result.success
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert checks["reports_contract"].passed and checks["documents_contract"].passed

    warehouse = defs.resources["lake"].warehouse()
    ledger = {r["source_id"]: r for r in warehouse.read("documents").to_pylist()}
    first = ledger["yiyang-2020-html"]
    assert first["status"] == "published" and first["duplicate_of_source"] is None
    for sid in ("yiyang-again", "yiyang-mirror"):
        row = ledger[sid]
        assert (row["status"], row["stage"]) == ("duplicate", "identity"), sid
        assert row["sha256"] == first["sha256"] and row["report_id"] == first["report_id"], sid
        assert row["duplicate_of"] == first["report_id"] and row["duplicate_of_source"] == "yiyang-2020-html", sid
        assert "the same bytes" in row["duplicate_reason"], sid
    # Seed 001's text is another rendering of the same report, linked the same way.
    assert ledger["seed-001-txt"]["duplicate_of_source"] == "yiyang-2020-html"

    reports = warehouse.read("reports").to_pylist()
    assert [r["report_id"] for r in reports] == [first["report_id"]]
    same = [f for f in warehouse.read("findings").to_pylist() if f["check"] == "duplicate_source"]
    assert len(same) == 1 and same[0]["report_id"] == first["report_id"]
    assert same[0]["severity"] == "info"
    assert "yiyang-again, yiyang-mirror" in same[0]["message"] and same[0]["evidence"] == "yiyang-again, yiyang-mirror"

    # The exact repeat (same location and hints) was read and parsed once; the repost at another location
    # is read on its own (reading depends on the location), and both end as one report.
    mats = {e.asset_key.path[-1]: e.materialization.metadata for e in result.get_asset_materialization_events()}
    assert mats["clean_documents"]["read_once_for_several_rows"].value == 1
    assert mats["parsed_reports"]["parsed_once_for_several_rows"].value == 1

    con = duckdb.connect()
    con.execute(warehouse.views_sql())
    assert con.execute("select count(*) from reports where report_id = ?", [first["report_id"]]).fetchone()[0] == 1
    assert con.execute("select list(source_id order by source_id) from documents where sha256 = ?",
                       [first["sha256"]]).fetchone()[0] == ["yiyang-2020-html", "yiyang-again", "yiyang-mirror"]


def test_a_repeat_gets_the_first_rows_result_and_keeps_its_own_columns_even_when_the_work_failed():
    from ogi.work.stage import InRun

    in_run = InRun(["k1", "k2", "k1", None, "k1"])
    assert in_run.ready("k1", {"source_id": "a"}) is None  # the first row is worked
    assert in_run.ready("k2", {"source_id": "b"}) is None  # a key that does not repeat: no bookkeeping
    second = in_run.ready("k1", {"source_id": "c", "status": "ok", "error_kind": None})
    third = in_run.ready("k1", {"source_id": "e", "status": "ok", "error_kind": None})
    worked = [{"source_id": "a", "work_key": "k1", "status": "failed", "failed_stage": "read",
               "message": "time_limit: stopped", "error_kind": "time_limit"},
              {"source_id": "b", "work_key": "k2", "status": "ok"}, second,
              {"source_id": "d", "work_key": None, "status": "failed"}, third]
    out = list(in_run.settle(worked))
    assert [r["source_id"] for r in out] == ["a", "b", "c", "d", "e"]
    for r in (out[2], out[4]):
        assert (r["status"], r["failed_stage"], r["error_kind"], r["work_key"]) == ("failed", "read", "time_limit", "k1")
    assert in_run.shared == 2 and not in_run._first and not in_run._left  # nothing held after the last repeat
