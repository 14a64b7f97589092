"""The raw store, stages and warehouse on object storage: a real S3-compatible server on 127.0.0.1."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pytest

from ogi.datasets.warehouse import Partition
from ogi.fetch.store import RawStore
from pipelines.definitions import build_definitions
from pipelines.resources import DataLake, FetchSettings, SourceCatalog
from pipelines.runs import materialize_partitions
from tests.conftest import project_copy
from tests.ops.s3server import s3_environment, s3_server

BUCKET = "ogi-team"


@pytest.fixture(scope="module")
def s3():
    with s3_server() as server, s3_environment(server):
        server.create_bucket(BUCKET)
        yield server


def test_raw_store_on_object_storage(s3):
    store = RawStore(f"s3://{BUCKET}/raw-only/raw")
    sha, created = store.put(b"%PDF-1.4 a report")
    assert created and store.has(sha) and sha in store and store.get(sha) == b"%PDF-1.4 a report"
    assert store.put(b"%PDF-1.4 a report") == (sha, False)
    assert not store.has("0" * 64)
    with pytest.raises(FileNotFoundError):
        store.get("0" * 64)
    s3fs = s3.filesystem()
    assert s3fs.cat(f"{BUCKET}/raw-only/raw/sha256/{sha[:2]}/{sha}") == b"%PDF-1.4 a report"


def test_a_partition_materialised_on_s3_reads_back_with_pyarrow_and_duckdb(tmp_path, s3, fresh_instance):
    _, catalog = project_copy(tmp_path)
    root = f"s3://{BUCKET}/team/data"
    lake = DataLake(root=root)
    defs = build_definitions(lake=lake, catalog=SourceCatalog(path=str(catalog)), fetch_settings=FetchSettings())
    result, = materialize_partitions([Partition("430000", 2020)], defs=defs, instance=fresh_instance)
    assert result.success
    # Everything lives in the bucket: raw bytes, stage files, published files and manifests.
    s3fs = s3.filesystem()
    keys = s3fs.find(f"{BUCKET}/team/data")
    assert any("/raw/sha256/" in k for k in keys)
    assert any(k.startswith(f"{BUCKET}/team/data/stages/parsed_reports/year=2020/region=430000/") for k in keys)
    assert f"{BUCKET}/team/data/warehouse/_manifests/year=2020/region=430000.json" in keys
    assert not (tmp_path / "data" / "warehouse").exists()

    warehouse = lake.warehouse()
    manifest = warehouse.manifest(Partition("430000", 2020))
    cells = warehouse.read("cells")
    assert cells.num_rows == manifest.datasets["cells"].rows > 0
    assert set(cells.column("region").to_pylist()) == {"430000"}
    # Plain pyarrow over the bucket, with the hive partition types declared.
    fs, base = pafs.FileSystem.from_uri(f"{root}/warehouse/cells")
    part = ds.partitioning(pa.schema([("year", pa.int16()), ("region", pa.string())]), flavor="hive")
    plain = ds.dataset(base, filesystem=fs, format="parquet", partitioning=part).to_table()
    assert plain.num_rows == cells.num_rows

    # DuckDB, offline: the s3fs filesystem registered with it instead of the downloadable httpfs extension.
    con = duckdb.connect()
    con.execute("set autoinstall_known_extensions = false")
    con.execute("set autoload_known_extensions = false")
    con.register_filesystem(s3fs)
    con.execute(warehouse.views_sql())
    assert con.execute("select count(*) from cells").fetchone()[0] == cells.num_rows
    statuses = dict(con.execute("select status, count(*) from documents group by status").fetchall())
    documents = warehouse.read("documents").column("status").to_pylist()
    assert statuses == {s: documents.count(s) for s in set(documents)}
    assert statuses["published"] == 1 and statuses["failed"] == 2  # seed 001's page; a truncated and a missing file
    (region,) = con.execute("select distinct region from cells").fetchone()
    assert region == "430000"
