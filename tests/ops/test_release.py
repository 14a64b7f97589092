"""Releases: a dated snapshot with a manifest, and a diff that lists a changed figure by primary key."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json

import pyarrow.parquet as pq
import pytest

from ogi.datasets.registry import PUBLISHED
from ogi.datasets.release import ReleaseError, make_release, releases
from ogi.datasets.storage import Storage
from ogi.datasets.warehouse import Partition
from pipelines.runs import materialize_partitions
from tests.conftest import definitions_for, project_copy
from tests.ops.test_cli_errors import assert_fails, ogi

PARTITION = Partition("430000", 2020)


@pytest.fixture
def published(tmp_path, fresh_instance):
    data, catalog = project_copy(tmp_path)
    defs = definitions_for(data, catalog)
    result, = materialize_partitions([PARTITION], defs=defs, instance=fresh_instance)
    assert result.success
    return data, defs.resources["lake"]


def _republish_with_one_figure_changed(lake):
    """What a parser fix does: the same report, one cell's value read differently, published the normal way."""
    warehouse = lake.warehouse()
    manifest = warehouse.manifest(PARTITION)
    cells = pq.read_table(warehouse.storage.path(manifest.datasets["cells"].path), schema=PUBLISHED["cells"].schema)
    rows = cells.to_pylist()
    target = next(r for r in rows if r["value"] is not None and r["value"] > 0)
    before = target["value"]
    target["value"] = before + decimal.Decimal(1)
    scratch = Storage(lake.root_path / "scratch")
    scratch.write_parquet("cells.parquet", PUBLISHED["cells"].schema, [PUBLISHED["cells"].table(rows)])
    staged = {name: (warehouse.storage, f.path) for name, f in manifest.files().items()}
    staged["cells"] = (scratch, "cells.parquet")
    warehouse.publish(PARTITION, staged, source_sha256=manifest.source_sha256)
    return target, before


def test_a_release_diff_lists_a_changed_figure(published):
    data, lake = published
    target = Storage(data / "releases")
    first = make_release(lake.warehouse(), target, today=dt.date(2026, 1, 15))
    assert first.manifest.version == "v2026.01.15" and first.manifest.previous is None
    assert first.manifest.rows["cells"] == lake.warehouse().read("cells").num_rows
    for f in first.manifest.files:  # checksums and row counts of the very files in the release
        body = (data / "releases" / "v2026.01.15" / f.path).read_bytes()
        assert hashlib.sha256(body).hexdigest() == f.sha256
        assert pq.ParquetFile(data / "releases" / "v2026.01.15" / f.path).metadata.num_rows == f.rows

    cell, before = _republish_with_one_figure_changed(lake)
    second = make_release(lake.warehouse(), target, today=dt.date(2026, 1, 15))
    assert second.manifest.version == "v2026.01.15.2" and second.manifest.previous == "v2026.01.15"
    assert [(d.dataset, d.partition, d.added, d.removed, d.changed) for d in second.diff] == \
        [("cells", "2020/430000", 0, 0, 1)]
    change = second.diff[0].examples[0]
    assert change["key"] == [cell["report_id"], cell["table"], cell["row"], cell["col"]]
    assert (change["column"], change["before"], change["after"]) == ("value", before, before + 1)
    folder = data / "releases" / "v2026.01.15.2"
    assert json.loads((folder / "diff.json").read_text())[0]["changed"] == 1
    markdown = (folder / "diff.md").read_text()
    assert f"{cell['row']}" in markdown and "value" in markdown and "→" in markdown
    assert [m.version for m in releases(target)] == ["v2026.01.15", "v2026.01.15.2"]


def test_a_warehouse_of_an_older_layout_is_refused_with_what_to_do(published, tmp_path):
    data, lake = published
    old = data / "warehouse" / "cells" / "year=2019" / "region=430000" / "data.parquet"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"PAR1 an old layout file")
    with pytest.raises(ReleaseError, match="older layout"):
        make_release(lake.warehouse(), Storage(data / "releases"))
    env = {"OGI_DATA_DIR": str(data), "OGI_CATALOG": str(tmp_path / "catalog.csv")}
    assert_fails(ogi("release", env=env), 1, "older layout", "ogi materialize")
    assert_fails(ogi("materialize", env=env), 1, "older layout", "mv ")


def test_release_with_nothing_published(tmp_path):
    assert_fails(ogi("release", env={"OGI_DATA_DIR": str(tmp_path / "empty")}), 1, "nothing is published")
