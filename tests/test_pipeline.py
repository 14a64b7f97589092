"""The Dagster code location for real: definitions load, partitions materialise, checks run, WAP holds."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds

from ogi.datasets.registry import PUBLISHED, STAGES
from ogi.datasets.warehouse import Partition
from tests.conftest import CORPUS, ROOT, definitions_for, project_copy, run_partition


def test_definitions_validate(tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    out = subprocess.run([sys.executable, "-m", "dagster", "definitions", "validate", "-m", "pipelines.definitions"],
                         capture_output=True, text=True, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stdout + out.stderr


def test_one_partition_in_process_with_checks(tmp_path, dagster_instance):
    data, catalog = project_copy(tmp_path)
    defs = definitions_for(data, catalog)
    result = run_partition(defs, dagster_instance, "430000|2020")
    assert result.success
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    continuity = {"continuity_I5", "continuity_stock", "continuity_jump"}
    assert set(checks) == ({f"{name}_contract" for name in PUBLISHED} | {f"identity_I{i}" for i in range(1, 5)}
                           | continuity)
    # Continuity across years only warns: last year's report may be the wrong one.
    assert all(checks[name].severity.value == "WARN" for name in continuity)
    assert all(checks[f"{name}_contract"].passed for name in PUBLISHED)
    assert all(e.partition == "430000|2020" for e in checks.values())
    # Seed 001 breaks I1, I2 and I3 in print: the identity checks say so, as warnings.
    assert not checks["identity_I2"].passed and checks["identity_I2"].severity.value == "WARN"
    assert checks["identity_I4"].passed
    ledger = {r["source_id"]: r for r in defs.resources["lake"].warehouse().read("documents").to_pylist()}
    # The seed text and the page are one report: the page is canonical, the text a linked duplicate.
    assert (ledger["yiyang-2020-html"]["status"], ledger["yiyang-2020-html"]["stage"]) == ("published", None)
    assert (ledger["seed-001-txt"]["status"], ledger["seed-001-txt"]["stage"]) == ("duplicate", "identity")
    assert ledger["seed-001-txt"]["duplicate_of"] == ledger["yiyang-2020-html"]["report_id"]
    assert (ledger["missing-gone-html"]["status"], ledger["missing-gone-html"]["stage"]) == ("failed", "fetch")
    assert ledger["missing-gone-html"]["error_kind"] == "not_found"
    assert (ledger["broken-truncated-html"]["status"], ledger["broken-truncated-html"]["stage"]) == ("failed", "parse")


def test_a_bad_document_is_recorded_and_the_partition_still_materialises(tmp_path, dagster_instance):
    data, catalog = project_copy(tmp_path)
    with catalog.open("a", encoding="utf-8") as fh:
        fh.write("garbage-bytes,pages/garbage.bin,https://www.tongliao.gov.cn/garbage.bin,150000,2022,,\n")
    (tmp_path / "pages").unlink()
    shutil.copytree(CORPUS / "pages", tmp_path / "pages")
    (tmp_path / "pages" / "garbage.bin").write_bytes(os.urandom(3000))
    defs = definitions_for(data, catalog)
    result = run_partition(defs, dagster_instance, "150000|2022")
    assert result.success
    warehouse = defs.resources["lake"].warehouse()
    ledger = {r["source_id"]: r for r in warehouse.read("documents").to_pylist()}
    assert ledger["garbage-bytes"]["status"] == "failed"
    assert ledger["garbage-bytes"]["message"]
    assert ledger["tongliao-2022-html"]["status"] == "published"
    assert ledger["seed-004-txt"]["status"] == "duplicate"
    assert warehouse.read("cells").num_rows == 200  # seed 004's 200 printed cells, once (the text is a copy)


def _published_bytes(data):
    return {p.relative_to(data): p.read_bytes() for p in (data / "warehouse").rglob("*") if p.is_file()}


def test_failing_blocking_check_leaves_the_published_partition_untouched(tmp_path, dagster_instance):
    data, catalog = project_copy(tmp_path)
    assert run_partition(definitions_for(data, catalog), dagster_instance, "150000|2022").success
    before = _published_bytes(data)
    assert any("year=2022" in str(p) for p in before)
    # A catalog mistake: the 益阳 2020 report filed under Inner Mongolia 2022. reports_contract (blocking)
    # sees a report of another year and province and must hold the partition back.
    with catalog.open("a", encoding="utf-8") as fh:
        fh.write("misfiled,seeds/001_8cbdb91b66522a37.txt,http://www.yiyang.gov.cn/x.htm,150000,2022,,\n")
    result = run_partition(definitions_for(data, catalog), dagster_instance, "150000|2022", raise_on_error=False)
    assert not result.success
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert not checks["reports_contract"].passed
    assert checks["reports_contract"].severity.value == "ERROR"
    assert _published_bytes(data) == before
    assert not list((data / "stages" / "_spill").rglob("*.parquet"))


def test_rerun_is_idempotent(tmp_path, dagster_instance):
    """The same partition twice: no new raw blobs, and the very same published files.

    Nothing the published rows depend on changed (the fetch time and `unchanged` flag of the second
    fetch are not a change of the data), so the partition is not staged or published again: the first
    publication stands, file for file.
    """
    data, catalog = project_copy(tmp_path)
    defs = definitions_for(data, catalog)
    warehouse = defs.resources["lake"].warehouse()
    run_partition(defs, dagster_instance, "430000|2020")
    blobs = sorted(p.name for p in (data / "raw").rglob("*") if p.is_file())
    first = warehouse.manifest(Partition("430000", 2020))
    keep = [c for c in PUBLISHED["documents"].names if c not in ("fetched_at", "unchanged")]
    ledger = ds.dataset(warehouse.storage.path(first.datasets["documents"].path)).to_table(columns=keep)
    run_partition(defs, dagster_instance, "430000|2020")
    second = warehouse.manifest(Partition("430000", 2020))
    assert sorted(p.name for p in (data / "raw").rglob("*") if p.is_file()) == blobs
    assert first.publication == second.publication
    for name in PUBLISHED:
        a, b = first.datasets[name], second.datasets[name]
        assert (a.path, a.sha256, a.rows) == (b.path, b.sha256, b.rows), name
    assert ledger.equals(ds.dataset(warehouse.storage.path(second.datasets["documents"].path)).to_table(columns=keep))
    # The previous publication's files are gone: one file per dataset and partition.
    for name in PUBLISHED:
        assert len(list((data / "warehouse" / name).rglob("*.parquet"))) == 1


def test_pyarrow_reads_partitions_with_region_as_string(sample_warehouse):
    table = sample_warehouse.read("reports")
    assert table.schema.field("region").type == pa.string()
    assert table.schema.field("year").type == pa.int16()
    regions = set(table.column("region").to_pylist())
    assert "000000" in regions, "the sample corpus has a central body (region 000000)"
    assert all(len(r) == 6 for r in regions)
    assert sample_warehouse.read("cells").schema.field("value").type == pa.decimal128(24, 4)
    # Plain globbing over the Hive folders, as README shows it, reads the same rows.
    part = ds.partitioning(pa.schema([("year", pa.int16()), ("region", pa.string())]), flavor="hive")
    plain = ds.dataset(sample_warehouse.storage.path("reports"), format="parquet", partitioning=part).to_table()
    assert plain.num_rows == table.num_rows


def test_duckdb_reads_partitions_with_region_as_string(sample_warehouse):
    con = duckdb.connect()
    glob = sample_warehouse.storage.path("reports") + "/*/*/*.parquet"
    rows = con.execute("select region, year, count(*) from read_parquet(?, hive_partitioning=true, "
                       "hive_types={'region': 'VARCHAR', 'year': 'SMALLINT'}) group by all order by all",
                       [glob]).fetchall()
    assert any(r == "000000" for r, _, _ in rows)
    con.execute(sample_warehouse.views_sql())
    types = dict(con.execute("select column_name, column_type from (describe select * from cells)").fetchall())
    assert types["region"] == "VARCHAR"
    assert types["value"].startswith("DECIMAL(24,4)")
    # Seed 001's blank cells are NULL, not 0.
    assert con.execute("select count(*) from cells where raw = '' and value is null").fetchone()[0] >= 13
    assert con.execute("select count(*) from reports").fetchone()[0] == sample_warehouse.read("reports").num_rows


def test_non_authoritative_copies_are_recorded_and_kept_out(sample_warehouse):
    ledger = sample_warehouse.read("documents").to_pylist()
    copies = [r for r in ledger if r["source_id"] in ("seed-002-txt", "essay-zengcheng-2010-html")]
    assert len(copies) == 2
    assert all(r["status"] == "excluded" and r["stage"] == "authority" and r["authoritative"] is False for r in copies)
    excluded_ids = {r["report_id"] for r in copies}
    for dataset in ("reports", "cells", "facts", "findings", "identities"):
        ids = set(sample_warehouse.read(dataset).column("report_id").to_pylist())
        assert not ids & excluded_ids, dataset


def test_every_row_leads_back_to_stored_bytes(sample_lake, sample_warehouse):
    raw = sample_lake.raw_store
    for dataset in ("reports", "cells", "facts", "findings", "identities"):
        for sha in set(sample_warehouse.read(dataset).column("source_sha256").to_pylist()):
            assert hashlib.sha256(raw.get(sha)).hexdigest() == sha


def test_no_json_strings_inside_parquet(sample_lake):
    """Stage hand-offs and published datasets are typed: nested data is list<struct>, never a JSON string."""
    stages = sample_lake.stage_files()
    files = [p for p in sample_lake.stages.rglob("*.parquet")]
    assert files
    checked = 0
    for path in files:
        table = ds.dataset(str(path)).to_table()
        for field in table.schema:
            if not pa.types.is_string(field.type) and not pa.types.is_large_string(field.type):
                continue
            for value in table.column(field.name).to_pylist():
                if isinstance(value, str) and value[:1] in "{[":
                    try:
                        json.loads(value)
                    except ValueError:
                        continue
                    raise AssertionError(f"{path}: column {field.name} holds JSON: {value[:80]}")
                checked += 1
    assert checked > 1000
    assert {"blocks", "findings", "meta"} <= set(STAGES["clean_documents"].names)
    assert pa.types.is_list(STAGES["parsed_reports"].schema.field("cells").type)
    assert stages.exists("parsed_reports", Partition("430000", 2020))
