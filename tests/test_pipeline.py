"""The Dagster code location for real: definitions load, partitions materialise, checks run, WAP holds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from dagster import materialize

from ogi.datasets import warehouse
from tests.conftest import CORPUS, ROOT


def _project_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A data folder and a catalog copy whose relative locations still resolve to the corpus."""
    data = tmp_path / "data"
    data.mkdir()
    catalog = tmp_path / "catalog.csv"
    shutil.copy(CORPUS / "catalog.csv", catalog)
    for sub in ("seeds", "pages", "pdf", "docx"):
        if (CORPUS / sub).exists():
            (tmp_path / sub).symlink_to(CORPUS / sub)
    return data, catalog


def _defs(data: Path, catalog: Path):
    from pipelines.definitions import build_definitions
    from pipelines.resources import DataLake, SourceCatalog

    return build_definitions(lake=DataLake(root=str(data)), catalog=SourceCatalog(path=str(catalog)))


def test_definitions_validate(tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    out = subprocess.run([sys.executable, "-m", "dagster", "definitions", "validate", "-m", "pipelines.definitions"],
                         capture_output=True, text=True, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stdout + out.stderr


def test_one_partition_in_process_with_checks(tmp_path, dagster_instance):
    from pipelines.definitions import REPORT_ASSETS

    data, catalog = _project_copy(tmp_path)
    defs = _defs(data, catalog)
    result = materialize(REPORT_ASSETS, partition_key="430000|2020", instance=dagster_instance,
                         resources=defs.resources)
    assert result.success
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert set(checks) == {"documents_ledger", "reports_contract", "cells_contract",
                           "identity_I1", "identity_I2", "identity_I3", "identity_I4"}
    assert checks["documents_ledger"].passed and checks["reports_contract"].passed and checks["cells_contract"].passed
    # Seed 001 breaks I1, I2 and I3 in print: the identity checks say so, as warnings.
    assert not checks["identity_I2"].passed and checks["identity_I2"].severity.value == "WARN"
    assert checks["identity_I4"].passed
    ledger = pq.read_table(warehouse.partition_path(data / "warehouse", "documents", 2020, "430000")).to_pylist()
    status = {r["source_id"]: (r["status"], r["stage"]) for r in ledger}
    assert status["seed-001-txt"] == ("published", None)
    assert status["yiyang-2020-html"] == ("published", None)
    assert status["missing-gone-html"] == ("failed", "fetch")
    assert status["broken-truncated-html"] == ("failed", "parse")


def test_a_bad_document_is_recorded_and_the_partition_still_materialises(tmp_path, dagster_instance):
    from pipelines.definitions import REPORT_ASSETS

    data, catalog = _project_copy(tmp_path)
    with catalog.open("a", encoding="utf-8") as fh:
        fh.write("garbage-bytes,pages/garbage.bin,https://www.tongliao.gov.cn/garbage.bin,150000,2022,,\n")
    (tmp_path / "pages").unlink()
    shutil.copytree(CORPUS / "pages", tmp_path / "pages")
    (tmp_path / "pages" / "garbage.bin").write_bytes(os.urandom(3000))
    result = materialize(REPORT_ASSETS, partition_key="150000|2022", instance=dagster_instance,
                         resources=_defs(data, catalog).resources)
    assert result.success
    ledger = {r["source_id"]: r for r in
              pq.read_table(warehouse.partition_path(data / "warehouse", "documents", 2022, "150000")).to_pylist()}
    assert ledger["garbage-bytes"]["status"] == "failed"
    assert ledger["garbage-bytes"]["message"]
    assert ledger["tongliao-2022-html"]["status"] == "published"
    cells = pq.read_table(warehouse.partition_path(data / "warehouse", "cells", 2022, "150000"))
    assert cells.num_rows == 400  # both renderings of seed 004, 200 printed cells each


def test_failing_blocking_check_leaves_the_published_partition_untouched(tmp_path, dagster_instance):
    from pipelines.definitions import REPORT_ASSETS

    data, catalog = _project_copy(tmp_path)
    defs = _defs(data, catalog)
    assert materialize(REPORT_ASSETS, partition_key="150000|2022", instance=dagster_instance,
                       resources=defs.resources).success
    folder = data / "warehouse"
    before = {p: p.read_bytes() for p in folder.rglob("*.parquet")}
    assert any("year=2022" in str(p) for p in before)
    # A catalog mistake: the 益阳 2020 report filed under Inner Mongolia 2022. reports_contract (blocking)
    # sees a report of another year and province and must hold the partition back.
    with catalog.open("a", encoding="utf-8") as fh:
        fh.write("misfiled,seeds/001_8cbdb91b66522a37.txt,http://www.yiyang.gov.cn/x.htm,150000,2022,,\n")
    result = materialize(REPORT_ASSETS, partition_key="150000|2022", instance=dagster_instance,
                         resources=_defs(data, catalog).resources, raise_on_error=False)
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert not checks["reports_contract"].passed
    assert checks["reports_contract"].severity.value == "ERROR"
    after = {p: p.read_bytes() for p in folder.rglob("*.parquet")}
    assert after == before
    assert not list((data / "staging").glob("*/**/*.parquet"))


def test_rerun_is_idempotent(tmp_path, dagster_instance):
    from pipelines.definitions import REPORT_ASSETS

    data, catalog = _project_copy(tmp_path)
    defs = _defs(data, catalog)
    materialize(REPORT_ASSETS, partition_key="430000|2020", instance=dagster_instance, resources=defs.resources)
    blobs = sorted(p.name for p in (data / "raw").rglob("*") if p.is_file())
    first = {p.relative_to(data): pq.read_table(p) for p in (data / "warehouse").rglob("*.parquet")}
    materialize(REPORT_ASSETS, partition_key="430000|2020", instance=dagster_instance, resources=defs.resources)
    second = {p.relative_to(data): pq.read_table(p) for p in (data / "warehouse").rglob("*.parquet")}
    assert sorted(p.name for p in (data / "raw").rglob("*") if p.is_file()) == blobs
    assert first.keys() == second.keys()
    for path, table in first.items():
        keep = [c for c in table.column_names if c not in ("fetched_at", "unchanged")]
        assert table.select(keep).equals(second[path].select(keep)), path


PARTITIONING = ds.partitioning(pa.schema([("year", pa.int16()), ("region", pa.string())]), flavor="hive")


def test_pyarrow_reads_partitions_with_region_as_string(sample_warehouse):
    table = ds.dataset(sample_warehouse / "reports", format="parquet", partitioning=PARTITIONING).to_table()
    assert table.schema.field("region").type == pa.string()
    regions = set(table.column("region").to_pylist())
    assert "000000" in regions, "the sample corpus has a central body (region 000000)"
    assert all(len(r) == 6 for r in regions)
    assert warehouse.read_dataset(sample_warehouse, "cells").schema.field("value").type == pa.decimal128(24, 4)


def test_duckdb_reads_partitions_with_region_as_string(sample_warehouse):
    con = duckdb.connect()
    rows = con.execute(
        "select region, year, count(*) from read_parquet(?, hive_partitioning=true, "
        "hive_types={'region': 'VARCHAR', 'year': 'SMALLINT'}) group by all order by all",
        [str(sample_warehouse / "reports" / "*" / "*" / "*.parquet")],
    ).fetchall()
    assert any(r == "000000" for r, _, _ in rows)
    types = dict(con.execute(
        "select column_name, column_type from (describe select * from read_parquet(?, hive_partitioning=true, "
        "hive_types={'region': 'VARCHAR'}))", [str(sample_warehouse / "cells" / "*" / "*" / "*.parquet")]).fetchall())
    assert types["region"] == "VARCHAR"
    assert types["value"].startswith("DECIMAL(24,4)")
    # Seed 001's blank cells are NULL, not 0.
    blanks = con.execute(
        "select count(*) from read_parquet(?, hive_partitioning=true, hive_types={'region': 'VARCHAR'}) "
        "where raw = '' and value is null", [str(sample_warehouse / "cells" / "*" / "*" / "*.parquet")]).fetchone()[0]
    assert blanks >= 13


def test_non_authoritative_copies_are_recorded_and_kept_out(sample_warehouse):
    ledger = warehouse.read_dataset(sample_warehouse, "documents").to_pylist()
    copies = [r for r in ledger if r["source_id"] in ("seed-002-txt", "essay-zengcheng-2010-html")]
    assert len(copies) == 2
    assert all(r["status"] == "excluded" and r["stage"] == "authority" and r["authoritative"] is False for r in copies)
    excluded_ids = {r["report_id"] for r in copies}
    for dataset in ("reports", "cells", "facts", "findings", "identities"):
        ids = set(warehouse.read_dataset(sample_warehouse, dataset).column("report_id").to_pylist())
        assert not ids & excluded_ids, dataset


def test_every_row_leads_back_to_stored_bytes(sample_warehouse):
    import hashlib

    raw = sample_warehouse.parent / "raw"
    for dataset in ("cells", "facts", "findings", "identities"):
        shas = set(warehouse.read_dataset(sample_warehouse, dataset).column("source_sha256").to_pylist())
        for sha in shas:
            blob = next(raw.rglob(sha))
            assert hashlib.sha256(blob.read_bytes()).hexdigest() == sha
