"""A catalog row out of range or malformed is a row error (file:line and the problem), never a crash:
the rest of the catalog loads, the raw_documents asset logs and records the errors, `ogi materialize`
prints them and proceeds. Only a catalog that cannot be read at all (missing columns) is an error."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance, build_sensor_context

from ogi.datasets.warehouse import Partition
from ogi.fetch.catalog import CatalogError, load_catalog, load_catalog_with_errors
from pipelines.resources import SourceCatalog
from pipelines.sensors import catalog_sensor
from tests.conftest import ROOT, definitions_for, project_copy, run_partition

NEXT_YEAR = dt.date.today().year + 1
THIS_YEAR = dt.date.today().year
SEED = "seeds/001_8cbdb91b66522a37.txt"

# (line in the file, row, the words its error must name); line 1 is the header
BAD_ROWS = [
    (f"early,{SEED},,430000,2007,,", "year 2007 is outside the statistics years 2008"),
    (f"late,{SEED},,430000,{NEXT_YEAR},,", f"year {NEXT_YEAR} is outside the statistics years"),
    (f"city,{SEED},,430100,2020,,", "region must be a province-level GB/T 2260 code"),
    (f"no-province,{SEED},,990000,2020,,", "got '990000'"),
    (f"short-region,{SEED},,43,2020,,", "got '43'"),
    (f"word-year,{SEED},,430000,20x0,,", "year must be the statistics year, got '20x0'"),
    (f"no-year,{SEED},,430000,,,", "year missing"),
    (f"bad-kind,{SEED},,430000,2020,,,index", "kind must be one of"),
    (f"bad-robots,{SEED},,430000,2020,,,report,maybe", "robots must be empty, obey or ignore"),
    (f"seed-001-txt,{SEED},,430000,2020,,", "source_id repeated: 'seed-001-txt'"),
    (f",{SEED},,430000,2020,,", "source_id missing"),
    ("no-location,,,430000,2020,,", "location missing"),
]


def _with_rows(catalog: Path, rows: list[str]) -> dict[str, int]:
    """Append rows (one with a note over two lines first) and return each source_id's first line."""
    text = catalog.read_text(encoding="utf-8")
    if "robots" not in text.splitlines()[0]:
        lines = text.splitlines()
        lines[0] += ",kind,robots"
        text = "\n".join(lines) + "\n"
    line = text.count("\n") + 1
    where = {}
    extra = f'multi-line-note,{SEED},,430000,2020,,"a note\nover two lines"\n'
    text += extra
    line += 2
    for row in rows:
        where[row.split(",")[0]] = line
        text += row + "\n"
        line += 1
    catalog.write_text(text, encoding="utf-8")
    return where


def test_bad_rows_are_skipped_with_file_line_and_problem_and_the_rest_loads(tmp_path):
    _, catalog = project_copy(tmp_path)
    good = {e.source_id for e in load_catalog(catalog)}
    where = _with_rows(catalog, [row for row, _ in BAD_ROWS] + [f"this-year,{SEED},,430000,{THIS_YEAR},,"])
    loaded = load_catalog_with_errors(catalog)
    assert {e.source_id for e in loaded.entries} == good | {"multi-line-note", "this-year"}
    assert len(loaded.errors) == len(BAD_ROWS)
    for error, (row, words) in zip(loaded.errors, BAD_ROWS, strict=True):
        sid = row.split(",")[0]
        line = where[sid] if sid else where[""]
        assert str(error).startswith(f"{catalog}:{line}: "), (str(error), line)
        assert words in str(error), str(error)
    assert load_catalog(catalog) == loaded.entries


def test_a_catalog_without_its_columns_is_still_an_error(tmp_path):
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("source_id,location,year\na,x.html,2020\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"missing columns \['region'\]"):
        load_catalog_with_errors(catalog)


def test_a_year_that_is_not_a_partition_yet_does_not_break_definitions_or_the_sensor(tmp_path):
    data, catalog = project_copy(tmp_path)
    _with_rows(catalog, [f"this-year,{SEED},,430000,{THIS_YEAR},,", f"late,{SEED},,430000,{NEXT_YEAR},,"])
    defs = definitions_for(data, catalog)
    assert defs.resolve_job_def("reports_job") is not None
    defs.get_repository_def().load_all_definitions()
    sensor_catalog = SourceCatalog(path=str(catalog))
    first = catalog_sensor(build_sensor_context(resources={"catalog": sensor_catalog}))
    assert not first.run_requests
    assert f"{THIS_YEAR}|430000" not in first.cursor  # it waits until the year is a partition


def test_raw_documents_logs_the_row_errors_and_records_them_in_its_metadata(tmp_path, fresh_instance):
    data, catalog = project_copy(tmp_path)
    where = _with_rows(catalog, [BAD_ROWS[0][0], BAD_ROWS[2][0]])
    defs = definitions_for(data, catalog)
    result = run_partition(defs, fresh_instance, "430000|2020")
    assert result.success
    warnings = [e.message for e in fresh_instance.all_logs(result.run_id)
                if e.level == 30 and "catalog row skipped" in (e.message or "")]
    assert len(warnings) == 2
    assert any(f"{catalog}:{where['early']}: year 2007" in w for w in warnings)
    assert any(f"{catalog}:{where['city']}: region must be" in w for w in warnings)
    mats = [e for e in result.get_asset_materialization_events()
            if e.asset_key.path == ["raw_documents"]]
    metadata = mats[0].materialization.metadata
    assert metadata["catalog_rows_skipped"].value == 2
    assert f"{catalog}:{where['early']}" in metadata["catalog_errors"].value
    # The good rows were fetched and published.
    ledger = {r["source_id"] for r in defs.resources["lake"].warehouse().read("documents").to_pylist()}
    assert {"yiyang-2020-html", "multi-line-note"} <= ledger and not ledger & {"early", "city"}


def test_ogi_materialize_prints_the_row_errors_and_proceeds(tmp_path):
    data, catalog = project_copy(tmp_path)
    where = _with_rows(catalog, [BAD_ROWS[1][0], BAD_ROWS[3][0], f"this-year,{SEED},,430000,{THIS_YEAR},,"])
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env.update({"OGI_DATA_DIR": str(data), "OGI_CATALOG": str(catalog)})
    out = subprocess.run([sys.executable, "-m", "ogi_cli", "materialize", "--region", "430000"],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-3000:]
    assert "Traceback" not in out.stderr
    assert f"ogi materialize: catalog row skipped: {catalog}:{where['late']}: year {NEXT_YEAR} is outside" in out.stderr
    assert f"ogi materialize: catalog row skipped: {catalog}:{where['no-province']}: region must be" in out.stderr
    assert f"partition {THIS_YEAR}/430000 skipped: statistics year {THIS_YEAR} is not a partition" in out.stderr
    assert "partitions: 1 published" in out.stdout
    from ogi.datasets.storage import Storage
    from ogi.datasets.warehouse import Warehouse

    warehouse = Warehouse(Storage(data / "warehouse"))
    assert warehouse.partitions() == [Partition("430000", 2020)]
    with DagsterInstance.from_config(str(data / ".dagster")) as instance:
        raw = instance.fetch_materializations(AssetKey("raw_documents"), limit=1).records
        assert raw and raw[0].asset_materialization.metadata["catalog_rows_skipped"].value == 2
