"""A whole `ogi materialize` run killed with SIGKILL (its process group) at several moments: the
previously published partition stays intact and manifest-consistent, and a re-run publishes rows equal
to an uninterrupted run's (sorted rows; the fetch time and the `unchanged` flag excluded, they say when
the bytes were read)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pyarrow as pa

from ogi.datasets.registry import PUBLISHED
from ogi.datasets.storage import Storage
from ogi.datasets.warehouse import Partition, Warehouse
from tests.conftest import ROOT, project_copy

PARTITION = Partition("430000", 2020)


def _env(data, catalog) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env.update({"OGI_DATA_DIR": str(data), "OGI_CATALOG": str(catalog), "PYTHONPATH": str(ROOT)})
    return env


def _materialize(data, catalog) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ogi_cli", "materialize", "--region", "430000", "--year", "2020"],
                            cwd=ROOT, env=_env(data, catalog), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def _forget_stages(data) -> None:
    """Drop the stage hand-offs, so that the next run reads, stages and publishes again: an unchanged
    partition is otherwise recognised as such and nothing is rewritten (tests/test_incremental.py)."""
    shutil.rmtree(data / "stages", ignore_errors=True)


def _rows(warehouse: Warehouse) -> dict[str, list[str]]:
    out = {}
    for name in PUBLISHED:
        table = warehouse.read(name)
        keep = [f.name for f in table.schema if not pa.types.is_timestamp(f.type) and f.name != "unchanged"]
        out[name] = sorted(json.dumps(r, sort_keys=True, default=str, ensure_ascii=False)
                           for r in table.select(keep).to_pylist())
    return out


def _consistent(warehouse: Warehouse) -> str:
    """The partition's manifest names one publication whose every file exists; DuckDB over the views
    reads exactly the manifest's rows. Returns the publication."""
    manifest = warehouse.manifest(PARTITION)
    assert manifest is not None
    con = duckdb.connect()
    con.execute(warehouse.views_sql())
    for name, published in manifest.files().items():
        assert published.path.endswith(f"part-{manifest.publication}.parquet")
        assert warehouse.storage.exists(published.path)
        assert con.execute(f"select count(*) from {name}").fetchone()[0] == published.rows
        assert warehouse.read(name).num_rows == published.rows
    return manifest.publication


def test_a_killed_materialize_keeps_the_published_partition_and_a_rerun_equals_an_uninterrupted_run(tmp_path):
    data, catalog = project_copy(tmp_path)
    warehouse = Warehouse(Storage(data / "warehouse"))
    started = time.monotonic()
    first = _materialize(data, catalog)
    assert first.wait(timeout=600) == 0, first.stderr.read()[-3000:]
    took = time.monotonic() - started  # ~15–25 s here: the kills fall at 1 s, 3 s, 6 s, or earlier on a faster machine
    published = _consistent(warehouse)
    uninterrupted = _rows(warehouse)
    assert uninterrupted["reports"] and uninterrupted["cells"]

    moments = []
    for delay in (min(1.0, took * 0.05), min(3.0, took * 0.2), min(6.0, took * 0.4)):
        _forget_stages(data)
        run = _materialize(data, catalog)
        time.sleep(delay)
        os.killpg(run.pid, signal.SIGKILL)
        run.wait(timeout=60)
        moments.append((f"{delay:.2g} s", run.returncode))
        now = _consistent(warehouse)
        assert _rows(warehouse) == uninterrupted, f"after a kill at {delay:.2g} s"
        published = now
    # And killed right after a commit: the moment the manifest names a new publication (its cleanup under way).
    _forget_stages(data)
    run = _materialize(data, catalog)
    deadline = time.monotonic() + 600
    while warehouse.manifest(PARTITION).publication == published:
        assert run.poll() is None, run.stderr.read()[-3000:]
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=60)
    moments.append(("after the commit", run.returncode))
    assert _consistent(warehouse) != published
    assert _rows(warehouse) == uninterrupted
    assert all(code == -signal.SIGKILL for _, code in moments), moments

    _forget_stages(data)
    again = _materialize(data, catalog)
    assert again.wait(timeout=600) == 0, again.stderr.read()[-3000:]
    _consistent(warehouse)
    assert _rows(warehouse) == uninterrupted
    for name in PUBLISHED:  # the re-run's cleanup leaves one file per dataset: nothing of the killed runs
        assert len(warehouse.storage.list(f"{name}/{PARTITION.hive}")) == 1, name
