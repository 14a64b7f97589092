"""Datasets a BI analyst can sum without being misled: report identity, analysis tables, reference data, BI."""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from ogi.datasets import bi
from ogi.datasets.registry import PUBLISHED, REFERENCE
from ogi.datasets.warehouse import Partition
from ogi.model import Table
from ogi.overrides import OverrideError, load_overrides
from ogi.read.pdf import read_pdf
from ogi.reference import divisions, keys
from ogi.reference.dictionary import entries
from tests.conftest import CORPUS, ROOT, definitions_for, project_copy, run_partition

ANALYSIS = ("reports", "cells", "facts", "findings", "identities", "requests", "active", "review_litigation",
            "headline")


def _headline(warehouse, agency_part: str) -> list[dict]:
    reports = {r["report_id"]: r for r in warehouse.read("reports").to_pylist()}
    return [r for r in warehouse.read("headline").to_pylist() if agency_part in (reports[r["report_id"]]["agency"] or "")]


def test_each_report_is_counted_once(sample_warehouse):
    """益阳 2020 and 通辽 2022 each come as the seed text and the page: one report each, 42 and 66 requests."""
    con = duckdb.connect()
    con.execute(sample_warehouse.views_sql())
    by_partition = dict(con.execute(
        "select year || '/' || region, sum(new_received) from requests where applicant = 'total' "
        "and (year, region) in ((2020, '430000'), (2022, '150000')) group by all").fetchall())
    assert by_partition == {"2020/430000": 42, "2022/150000": 66}
    assert con.execute("select sum(requests_received) from headline where year = 2020 and region = '430000'"
                       ).fetchone()[0] == 42
    ledger = {r["source_id"]: r for r in sample_warehouse.read("documents").to_pylist()}
    for copy, page in (("seed-001-txt", "yiyang-2020-html"), ("seed-004-txt", "tongliao-2022-html")):
        assert ledger[page]["status"] == "published"
        assert ledger[copy]["status"] == "duplicate"
        assert ledger[copy]["duplicate_of"] == ledger[page]["report_id"]
        assert "same body, year and scope" in ledger[copy]["duplicate_reason"]
        assert ledger[copy]["body_id"] == ledger[page]["body_id"]
    reports = sample_warehouse.read("reports").to_pylist()
    assert Counter((r["year"], r["body_id"], r["scope"]) for r in reports).most_common(1)[0][1] == 1
    yiyang = next(r for r in reports if r["source_id"] == "yiyang-2020-html")
    assert yiyang["copies"] == 1


def _page_of(blocks: list) -> bytes:
    """A report page as a government site serves it: the report's text and tables as HTML."""
    parts = []
    for b in blocks:
        if isinstance(b, Table):
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in b.rows)
            parts.append(f"<table>{rows}</table>")
        else:
            parts.append(f"<p>{html.escape(b)}</p>")
    return ("<html><head><meta charset='utf-8'><title>洪泽区2023年政府信息公开工作年度报告</title></head><body>"
            "<div class='nav'><a href='/'>首页</a></div><div class='content'>" + "".join(parts)
            + "<p>发布时间：{date}</p></div></body></html>").encode()


def test_a_page_its_pdf_attachment_and_a_repost_are_one_report(tmp_path: Path, fresh_instance):
    pdf = (CORPUS / "pdf" / "hongze_2023.pdf").read_bytes()
    page = _page_of(read_pdf(pdf).blocks)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.html").write_bytes(page.replace(b"{date}", b"2024-01-30"))
    (tmp_path / "docs" / "report.pdf").write_bytes(pdf)
    # The repost misprints one figure: the total of new requests, one more than the page prints.
    repost = page.replace(b"{date}", b"2024-02-20").replace(b"<div class='nav'>", b"<div class='nav portal'>")
    row = re.search(rb"<tr><td>[^<]*\xe6\x9c\xac\xe5\xb9\xb4\xe6\x96\xb0\xe6\x94\xb6.*?</tr>", repost)  # 本年新收
    cells = re.findall(rb"<td>([^<]*)</td>", row.group(0))
    total = int(cells[-1])
    fixed = row.group(0)[: row.group(0).rindex(b"<td>")] + f"<td>{total + 1}</td></tr>".encode()
    (tmp_path / "docs" / "repost.html").write_bytes(repost.replace(row.group(0), fixed))
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(
        "source_id,location,origin_url,region,year,agency,note\n"
        "page,docs/page.html,https://www.hongze.gov.cn/xxgk/2024/t20240130_1.html,320000,2023,淮安市洪泽区人民政府办公室,\n"
        "attachment,docs/report.pdf,https://www.hongze.gov.cn/xxgk/2024/P020240130.pdf,320000,2023,淮安市洪泽区人民政府办公室,\n"
        "repost,docs/repost.html,https://www.huaian.gov.cn/zwgk/2024/t20240220_9.html,320000,2023,淮安市洪泽区人民政府办公室,\n",
        encoding="utf-8")
    defs = definitions_for(tmp_path / "data", catalog)
    assert run_partition(defs, fresh_instance, "320000|2023").success
    warehouse = defs.resources["lake"].warehouse()
    ledger = {r["source_id"]: r for r in warehouse.read("documents").to_pylist()}
    reports = warehouse.read("reports").to_pylist()
    assert len(reports) == 1
    canonical = reports[0]
    assert canonical["copies"] == 2
    copies = [sid for sid, r in ledger.items() if r["status"] == "duplicate"]
    assert sorted([canonical["source_id"], *copies]) == ["attachment", "page", "repost"]
    for sid in copies:
        assert ledger[sid]["duplicate_of"] == canonical["report_id"]
        assert ledger[sid]["duplicate_reason"]
    # The rules: equally complete copies → the page over its PDF; the original over the later repost.
    assert canonical["source_id"] == "page", [r["duplicate_reason"] for r in ledger.values()]
    assert "pdf copy of a html report" in ledger["attachment"]["duplicate_reason"]
    cells = warehouse.read("cells")
    assert set(cells.column("report_id").to_pylist()) == {canonical["report_id"]}
    published = {(r["table"], r["row"], r["col"]): r["value"] for r in cells.to_pylist()}
    disagreement = [f for f in warehouse.read("findings").to_pylist() if f["check"] == "copy_disagrees"]
    assert len(disagreement) == 1 and disagreement[0]["report_id"] == canonical["report_id"]
    assert (disagreement[0]["table"], disagreement[0]["row"], disagreement[0]["col"]) == \
        ("requests", "new_received", "total")
    assert disagreement[0]["printed"] == published[("requests", "new_received", "total")]
    assert disagreement[0]["expected"] == disagreement[0]["printed"] + 1
    assert "repost" in disagreement[0]["evidence"]


def test_every_dataset_reads_with_pyarrow_pandas_and_duckdb(sample_warehouse):
    con = duckdb.connect()
    con.execute(f"set variable ogi_warehouse = '{sample_warehouse.storage.base}'")
    con.execute((ROOT / "bi" / "views.sql").read_text(encoding="utf-8"))
    for name, dataset in {**PUBLISHED, **REFERENCE}.items():
        table = sample_warehouse.read(name)
        expected = [f.name for f in dataset.fields]
        assert table.schema.names[:len(expected)] == expected, name
        for f in dataset.fields:
            assert table.schema.field(f.name).type == f.type, (name, f.name)
        if dataset.primary_key:
            keys_seen = Counter(tuple(r[k] for k in dataset.primary_key) for r in
                                table.select(list(dataset.primary_key)).to_pylist())
            assert not [k for k, n in keys_seen.items() if n > 1], f"{name}: duplicate primary key"
        duck = con.execute(f"select count(*) from {name}").fetchone()[0]
        assert duck == table.num_rows, name
        if name in PUBLISHED:
            types = dict(con.execute(f"select column_name, column_type from (describe {name})").fetchall())
            assert types["region"] == "VARCHAR" and types["year"] == "SMALLINT", name
            # pandas over the Hive folder: the physical partition columns carry the types.
            frame = pd.read_parquet(sample_warehouse.storage.path(name), partitioning=None)
            assert len(frame) == table.num_rows
            if len(frame):
                assert set(frame["region"]) <= {"000000", "150000", "430000", "440000", "650000"}
                assert str(frame["year"].dtype) == "int16"
    assert con.execute("select count(*) from reports where region = '000000'").fetchone()[0] == 1


def test_bi_views_are_current_and_cover_every_dataset():
    assert bi.VIEWS_PATH.read_text(encoding="utf-8") == bi.render_views(), "run `python -m ogi.datasets.bi`"
    text = bi.render_views()
    for name in (*PUBLISHED, *REFERENCE):
        assert f"create or replace view {name} " in text


def _query(name: str) -> str:
    return (ROOT / "bi" / "queries" / f"{name}.sql").read_text(encoding="utf-8")


def test_example_queries_on_the_sample(sample_warehouse):
    con = duckdb.connect()
    con.execute(f"set variable ogi_warehouse = '{sample_warehouse.storage.base}'")
    con.execute((ROOT / "bi" / "views.sql").read_text(encoding="utf-8"))
    applications = {(y, r): (n, s) for y, r, n, s, _ in con.execute(_query("applications_by_province_year")).fetchall()}
    assert applications[(2020, "430000")] == (1, 42)
    assert applications[(2022, "150000")] == (1, 66)
    assert applications[(2022, "000000")] == (1, 746)
    assert (2018, "150000") not in applications  # 呼和浩特 2018 is a jurisdiction roll-up: not summed with bodies
    rates = {y: float(rate) for y, _, _, rate in con.execute(_query("grant_rate")).fetchall()}
    assert rates[2020] == pytest.approx(39 / 42, abs=1e-4)
    assert rates[2022] == pytest.approx((222 + 95 + 7 + 48) / (743 + 66), abs=1e-4)
    reviews = {y: row for y, *row in con.execute(_query("review_outcomes")).fetchall()}
    assert reviews[2022][0] == 24 and reviews[2022][3] == 26
    missing = con.execute(_query("reports_missing")).fetchall()
    missing_names = {(y, r, name) for y, r, _, name, _ in missing}
    assert (2020, "430000", "湖南省人民政府") in missing_names
    assert (2020, "430000", "益阳市人民政府") not in missing_names  # its office's report is in


def test_every_sum_over_reports_takes_one_scope():
    for path in sorted((ROOT / "bi" / "queries").glob("*.sql")):
        sql = path.read_text(encoding="utf-8").lower()
        sums = "sum(" in sql
        over_reports = any(f"from {d}" in sql for d in ("headline", "requests", "active", "review_litigation"))
        if sums and over_reports:
            assert "scope = 'body'" in sql or "scope = 'jurisdiction'" in sql, path.name


def test_every_row_traces_to_raw_bytes(sample_lake, sample_warehouse):
    raw = sample_lake.raw_store
    for name in ANALYSIS:
        for sha in set(sample_warehouse.read(name).column("source_sha256").to_pylist()):
            assert hashlib.sha256(raw.get(sha)).hexdigest() == sha, name


def test_regions_follow_the_division_table_year_by_year(sample_warehouse):
    regions = sample_warehouse.read("regions").to_pylist()
    for year in (2010, 2022):
        table = divisions.table(year)
        in_force = [r for r in regions if r["valid_from"] <= year and (r["valid_to"] is None or r["valid_to"] >= year)]
        assert Counter(r["level"] for r in in_force) == Counter(divisions.level_of(c) for c in table), year
        assert len(in_force) == len(table)
    xiangyang = sorted((r for r in regions if r["code"] == "420600"), key=lambda r: r["valid_from"])
    assert [(r["name"], r["valid_to"]) for r in xiangyang] == [("襄樊市", 2009), ("襄阳市", None)]
    assert xiangyang[1]["former_name"] == "襄樊市"
    chaohu = next(r for r in regions if r["code"] == "341400")
    assert (chaohu["name"], chaohu["valid_to"]) == ("巢湖市", 2010)  # the prefecture abolished in 2011


def test_dictionary_has_every_key_of_the_spec_in_printed_order(sample_warehouse):
    rows = sample_warehouse.read("dictionary").to_pylist()
    by_table_kind: dict[tuple, list] = {}
    for r in rows:
        by_table_kind.setdefault((r["table"], r["kind"]), []).append(r)
    printed = [r["key"] for r in sorted(by_table_kind[("requests", "row")], key=lambda r: r["printed_order"])]
    assert printed == list(keys.ALL_REQUEST_ROWS)
    assert printed.index("other") < printed.index("other_no_correction") < printed.index("total_processed")
    assert [r["key"] for r in sorted(by_table_kind[("requests", "col")], key=lambda r: r["printed_order"])] == \
        list(keys.REQUEST_COLS)
    assert {r["key"] for r in by_table_kind[(None, "fact")]} == set(keys.FACT_KEYS)
    assert {r["key"] for r in by_table_kind[("active", "item")]} == set(keys.ACTIVE_ITEMS)
    labels = {(r["table"], r["key"]): r["label"] for r in rows}
    assert labels[("requests", "new_received")] == "一、本年新收政府信息公开申请数量"
    assert next(r for r in rows if r["key"] == "other_misc")["formats"] == ["2021"]
    assert len(rows) == len(entries())


def test_coverage_lists_the_missing_bodies(sample_warehouse):
    coverage = sample_warehouse.read("coverage").to_pylist()
    hunan = [r for r in coverage if (r["year"], r["region"]) == (2020, "430000")]
    governments = [r for r in hunan if r["expected_because"] == "government"]
    assert len(governments) == len(divisions.governments("430000", 2020))
    found = {r["body_name"] for r in governments if r["found"]}
    assert found == {"益阳市人民政府"}
    catalog = {r["body_name"]: r["found"] for r in hunan if r["expected_because"] == "catalog"}
    assert catalog == {"益阳市人民政府办公室": True}
    central = [r for r in coverage if r["region"] == "000000"]
    assert central and all(r["expected_because"] == "catalog" for r in central)


def test_headline_hand_checked(sample_warehouse):
    """Figures read by hand from the seeds (corpus/seeds): a pre-2019 report, a 2019 and a 2021 one."""
    huhhot = _headline(sample_warehouse, "呼和浩特")[0]  # seed 000: 受理…申请216件; 行政复议案件20件 (维持1, 纠错12) …
    assert (huhhot["format"], huhhot["scope"]) == ("pre2019", "jurisdiction")
    assert {k: huhhot[k] for k in ("requests_received", "reviews", "reviews_upheld", "reviews_corrected", "suits",
                                   "suits_upheld", "suits_corrected", "proactive_items")} == \
        {"requests_received": 216, "reviews": 20, "reviews_upheld": 1, "reviews_corrected": 12, "suits": 3,
         "suits_upheld": 2, "suits_corrected": 1, "proactive_items": 78246}
    assert huhhot["requests_received_source"] == "fact" and huhhot["requests_processed"] is None
    yiyang = _headline(sample_warehouse, "益阳")[0]  # seed 001, 2019 format
    assert {k: yiyang[k] for k in ("requests_received", "requests_carried_over", "requests_processed",
                                   "requests_granted", "requests_partially_granted", "requests_denied",
                                   "requests_other_total", "requests_carried_forward", "reviews", "suits")} == \
        {"requests_received": 42, "requests_carried_over": 0, "requests_processed": 42, "requests_granted": 39,
         "requests_partially_granted": 0, "requests_denied": 3, "requests_other_total": 0,
         "requests_carried_forward": 0, "reviews": 0, "suits": 0}
    assert (yiyang["requests_denied_source"], yiyang["requests_other_total_source"]) == ("cells", "cell")
    assert (yiyang["normative_documents_new_published_2019"], yiyang["normative_documents_issued_2021"]) == (24, None)
    tongliao = _headline(sample_warehouse, "通辽")[0]  # seed 004, 2021 format
    assert {k: tongliao[k] for k in ("requests_received", "requests_granted", "requests_partially_granted",
                                     "requests_denied", "requests_processed", "requests_carried_forward")} == \
        {"requests_received": 66, "requests_granted": 7, "requests_partially_granted": 48, "requests_denied": 2,
         "requests_processed": 66, "requests_carried_forward": 0}
    # Its first (六)其他处理 row prints no total: the three-row sum does not exist (a blank is not a 0).
    assert tongliao["requests_other_total"] is None and tongliao["requests_other_total_source"] is None
    assert (tongliao["normative_documents_issued_2021"], tongliao["normative_documents_in_force_2021"],
            tongliao["normative_documents_new_published_2019"]) == (16, 111, None)


def test_overrides_are_applied_and_recorded_and_a_number_is_refused(tmp_path: Path, fresh_instance):
    data, catalog = project_copy(tmp_path)
    (tmp_path / "overrides.csv").write_text(
        "source_id,field,value,reason\n"
        "seed-003-txt,body_id,b650100-0000abcd,the 2018 机构改革 renamed it; keep the old body's id\n"
        "urumqi-2017-html,exclude,yes,a test copy the catalog keeps for its markup only\n",
        encoding="utf-8")
    defs = definitions_for(data, catalog)
    assert run_partition(defs, fresh_instance, "650000|2017").success
    warehouse = defs.resources["lake"].warehouse()
    ledger = {r["source_id"]: r for r in warehouse.read("documents").to_pylist()}
    assert ledger["urumqi-2017-html"]["status"] == "excluded" and ledger["urumqi-2017-html"]["stage"] == "override"
    assert ledger["urumqi-2017-html"]["overrides"] == [
        {"field": "exclude", "value": "yes", "reason": "a test copy the catalog keeps for its markup only"}]
    assert ledger["seed-003-txt"]["status"] == "published"
    assert ledger["seed-003-txt"]["overrides"][0]["field"] == "body_id"
    assert [r["body_id"] for r in warehouse.read("reports").to_pylist()] == ["b650100-0000abcd"]
    bad = tmp_path / "bad.csv"
    bad.write_text("source_id,field,value,reason\nseed-003-txt,requests_received,8,the text says 7 but means 8\n",
                   encoding="utf-8")
    with pytest.raises(OverrideError, match="never 'requests_received'"):
        load_overrides(bad)


def test_region_and_year_overrides_move_a_document_to_its_partition(tmp_path: Path, fresh_instance):
    """A catalog row filed under the wrong year, corrected by the overrides file: fetched into 2022, recorded."""
    data, catalog = project_copy(tmp_path)
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace("http://www.mwr.gov.cn/xxgk/gknb/202301/t20230130_1234567.html,000000,2022,",
                                    "http://www.mwr.gov.cn/xxgk/gknb/202301/t20230130_1234567.html,000000,2021,"),
                       encoding="utf-8")
    (tmp_path / "overrides.csv").write_text(
        "source_id,field,value,reason\nmwr-2022-html,year,2022,the catalog files it under the publication year\n",
        encoding="utf-8")
    defs = definitions_for(data, catalog)
    assert [e.partition for e in defs.resources["catalog"].entries() if e.source_id == "mwr-2022-html"] == \
        [(2022, "000000")]
    assert run_partition(defs, fresh_instance, "000000|2022").success
    ledger = defs.resources["lake"].warehouse().read_partitions("documents", [Partition("000000", 2022)]).to_pylist()
    assert [(r["source_id"], r["status"], r["overrides"]) for r in ledger] == [
        ("mwr-2022-html", "published",
         [{"field": "year", "value": "2022", "reason": "the catalog files it under the publication year"}])]


def test_published_partitions_hold_their_partition_as_columns(sample_warehouse):
    for name in PUBLISHED:
        table = sample_warehouse.read(name)
        for row in table.select(["year", "region"]).to_pylist():
            assert len(row["region"]) == 6 and 2008 <= row["year"] <= 2100
    assert pa.types.is_int16(sample_warehouse.read("headline").schema.field("year").type)
