"""Publication under faults: killed at every step, and raced by a second process, on a local folder and
on a real S3-compatible server (moto, 127.0.0.1).

The child process (tests/reliability/publish_child.py) runs the real Warehouse.publish on staged files of
a real materialisation and SIGKILLs itself at step k. After each kill, readers through the manifests —
Warehouse.read and DuckDB over Warehouse.views_sql() — see every dataset of the partition from exactly
one publication (the old or the new, never mixed), no temporary file, and a re-run publishes files
identical (sha256) to an uninterrupted publication's, and nothing else.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest

from ogi.datasets.registry import PUBLISHED
from ogi.datasets.storage import Storage
from ogi.datasets.warehouse import Partition, PublicationConflict, Warehouse
from tests.conftest import ROOT, definitions_for, project_copy, run_partition
from tests.ops.s3server import s3_environment, s3_server

PARTITION = Partition("430000", 2020)
BUCKET = "ogi-faults"


def canonical(table) -> list[str]:
    """A table's rows as a sorted list of JSON lines (content, not order)."""
    return sorted(json.dumps(r, sort_keys=True, default=str, ensure_ascii=False) for r in table.to_pylist())


@pytest.fixture(scope="module")
def staged(tmp_path_factory, fresh_instance_module):
    """Two staged sets of the partition: `old` from a real materialisation, `new` the same minus each
    dataset's last row (so every non-empty dataset tells the two publications apart)."""
    folder = tmp_path_factory.mktemp("staged")
    data, catalog = project_copy(folder)
    defs = definitions_for(data, catalog)
    assert run_partition(defs, fresh_instance_module, "430000|2020").success
    stages = Storage(data / "stages")
    old = {name: (str(data / "stages"), f"staged/{name}/{PARTITION.hive}/data.parquet") for name in PUBLISHED}
    assert all(stages.exists(key) for _, key in old.values())
    new_root = folder / "new-stages"
    new_storage = Storage(new_root)
    new = {}
    for name, (_, key) in old.items():
        table = ds.dataset(stages.path(key), schema=PUBLISHED[name].schema, format="parquet").to_table()
        trimmed = table.slice(0, max(table.num_rows - 1, 0)) if table.num_rows > 1 else table
        new_storage.write_parquet(key, PUBLISHED[name].schema, [trimmed])
        new[name] = (str(new_root), key)
    rows = {"old": {}, "new": {}}
    for which, files in (("old", old), ("new", new)):
        for name, (root, key) in files.items():
            rows[which][name] = canonical(ds.dataset(Storage(root).path(key), format="parquet").to_table())
    assert sum(rows["old"][n] != rows["new"][n] for n in PUBLISHED) >= 6
    return {"old": old, "new": new, "rows": rows}


@pytest.fixture(scope="module")
def fresh_instance_module(tmp_path_factory):
    from dagster import DagsterInstance

    home = tmp_path_factory.mktemp("dagster_home")
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    with DagsterInstance.local_temp(tempdir=str(home)) as instance:
        yield instance


@pytest.fixture(scope="module")
def s3():
    with s3_server() as server, s3_environment(server):
        server.create_bucket(BUCKET)
        yield server


def _staged_arg(files: dict) -> dict:
    return {name: [root, key] for name, (root, key) in files.items()}


def child(warehouse: str, files: dict, report: Path, **kw) -> subprocess.Popen:
    args = {"warehouse": warehouse, "year": PARTITION.year, "region": PARTITION.region,
            "staged": _staged_arg(files), "report": str(report), **kw}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tests.reliability.publish_child", json.dumps(args)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def publish_in_process(warehouse: Warehouse, files: dict):
    return warehouse.publish(PARTITION, {n: (Storage(r), k) for n, (r, k) in files.items()})


def duckdb_rows(warehouse: Warehouse, s3server=None) -> dict[str, int]:
    con = duckdb.connect()
    con.execute("set autoinstall_known_extensions = false")
    con.execute("set autoload_known_extensions = false")
    if s3server is not None:
        con.register_filesystem(s3server.filesystem())
    con.execute(warehouse.views_sql())
    return {name: canonical(con.sql(f"select * from {name}").to_arrow_table()) for name in PUBLISHED}


def assert_one_publication(warehouse: Warehouse, staged: dict, old_publication: str, s3server=None) -> str:
    """Every dataset of the partition, as readers see it, is of the one publication the manifest names:
    the old one, or a complete new one. Returns which."""
    manifest = warehouse.manifest(PARTITION)
    assert manifest is not None
    which = "old" if manifest.publication == old_publication else "new"
    for name, published in manifest.files().items():
        assert published.path == f"{name}/{PARTITION.hive}/part-{manifest.publication}.parquet"
        assert warehouse.storage.exists(published.path), published.path
    expected = staged["rows"][which]
    in_duckdb = duckdb_rows(warehouse, s3server)
    for name in PUBLISHED:
        assert canonical(warehouse.read(name)) == expected[name], (name, which)
        assert in_duckdb[name] == expected[name], (name, which)
        assert manifest.datasets[name].rows == len(expected[name])
    # No temporary or unfinished file is among what readers open.
    for name in PUBLISHED:
        assert all(not os.path.basename(p).startswith(".") and p.endswith(".parquet") for p in warehouse.files(name))
    return which


def _roots(kind: str, tmp_path: Path, label: str) -> str:
    return str(tmp_path / label / "warehouse") if kind == "local" else f"s3://{BUCKET}/{tmp_path.name}/{label}/warehouse"


def _step(name: str) -> str:
    """A step without the publication id: `deleted:cells` for `deleted:cells/year=…/part-<id>.parquet`."""
    return name.split("/")[0]


def _leftovers(warehouse: Warehouse) -> list[str]:
    """Every object below the partition's dataset folders (data files and temporary files)."""
    return [k for name in PUBLISHED for k in warehouse.storage.list(f"{name}/{PARTITION.hive}")]


@pytest.mark.parametrize("kind", ["local", "s3"])
def test_killed_at_every_publication_step_readers_see_one_publication(kind, staged, tmp_path, request):
    s3server = request.getfixturevalue("s3") if kind == "s3" else None
    # The uninterrupted publication of `new` over `old`: its steps, and the files it leaves.
    baseline = Warehouse(Storage(_roots(kind, tmp_path, "baseline")))
    publish_in_process(baseline, staged["old"])
    report = tmp_path / "baseline.json"
    proc = child(baseline.storage.root, staged["new"], report)
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    steps = json.loads(report.read_text())["steps"]
    assert [s for s in steps if s.startswith("copied:")] == [f"copied:{n}" for n in PUBLISHED]
    assert steps.count("committed") == 1 and sum(s.startswith("deleted:") for s in steps) == len(PUBLISHED)
    assert len(steps) == 3 * len(PUBLISHED) + 1
    assert assert_one_publication(baseline, staged, "-", s3server) == "new"
    expected_files = {n: (f.rows, f.sha256) for n, f in baseline.manifest(PARTITION).files().items()}

    seen = {"old": 0, "new": 0}
    # Every step on a local folder; on object storage (a moto server: ~5 s a kill) every kind of step at its
    # boundaries: the first copy, the last copy, the commit, the first and the last deletion.
    commit = steps.index("committed")
    kills = range(len(steps)) if kind == "local" else sorted({0, 1, commit - 1, commit, commit + 1, len(steps) - 1})
    for k in kills:
        name = steps[k]
        warehouse = Warehouse(Storage(_roots(kind, tmp_path, f"kill-{k}")))
        old = publish_in_process(warehouse, staged["old"])
        report = tmp_path / f"kill-{k}.json"
        proc = child(warehouse.storage.root, staged["new"], report, kill_at=k)
        assert proc.wait(timeout=120) == -9, (k, name, proc.stderr.read())
        assert _step(json.loads(report.read_text())["steps"][-1]) == _step(name)
        which = assert_one_publication(warehouse, staged, old.publication, s3server)
        assert which == ("old" if steps.index("committed") > k else "new"), (k, name)
        seen[which] += 1
        # The re-run publishes exactly what an uninterrupted run does, and leaves nothing else behind.
        again = publish_in_process(warehouse, staged["new"])  # the baseline's files: rows checked above
        assert {n: (f.rows, f.sha256) for n, f in again.files().items()} == expected_files, (k, name)
        assert sorted(_leftovers(warehouse)) == sorted(f.path for f in again.files().values()), (k, name)
    if kind == "local":
        assert seen == {"old": 2 * len(PUBLISHED), "new": len(PUBLISHED) + 1}
    else:
        assert seen == {"old": 3, "new": 3}


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def _first_paused(kind: str, staged: dict, tmp_path: Path, **kw):
    """A fresh warehouse with `old` published, and a child publishing `new` paused half-way (cells copied)."""
    warehouse = Warehouse(Storage(_roots(kind, tmp_path, "race")))
    old = publish_in_process(warehouse, staged["old"])
    paused, go = tmp_path / "paused", tmp_path / "go"
    first = child(warehouse.storage.root, staged["new"], tmp_path / "first.json", pause_at="copied:cells",
                  paused=str(paused), go=str(go), **kw)
    _wait_for(paused, first)
    return warehouse, old, first, go


@pytest.mark.parametrize("kind", ["local", "s3"])
def test_a_second_run_publishing_the_same_partition_at_once_fails_clearly(kind, staged, tmp_path, request):
    s3server = request.getfixturevalue("s3") if kind == "s3" else None
    warehouse, old, first, go = _first_paused(kind, staged, tmp_path)
    second = child(warehouse.storage.root, staged["old"], tmp_path / "second.json")
    assert second.wait(timeout=120) == 3, second.stderr.read()
    go.write_text("go")
    assert first.wait(timeout=120) == 0, first.stderr.read()
    won = json.loads((tmp_path / "first.json").read_text())["publication"]
    lost = json.loads((tmp_path / "second.json").read_text())
    assert lost["other"] == won
    assert lost["error"].startswith("partition 2020/430000: another run ")
    assert f"(other publication {won})" in lost["error"]
    assert not [s for s in lost["steps"] if s.startswith("copied:")]  # it wrote nothing
    assert warehouse.manifest(PARTITION).publication == won
    assert assert_one_publication(warehouse, staged, old.publication, s3server) == "new"
    assert sorted(_leftovers(warehouse)) == sorted(f.path for f in warehouse.manifest(PARTITION).files().values())


@pytest.mark.parametrize("kind", ["local", "s3"])
def test_a_publication_committed_meanwhile_makes_the_other_fail_before_its_commit(kind, staged, tmp_path, request):
    """The optimistic check, on both storages: the first publisher is overtaken — locally by a writer that
    ignores the lock (lock=False: a filesystem without flock), on S3 after its lease expired — and, right
    before its commit, finds another publication committed: it fails naming it and removes its own files."""
    s3server = request.getfixturevalue("s3") if kind == "s3" else None
    warehouse, old, first, go = _first_paused(kind, staged, tmp_path, lease_seconds=1.0)
    if kind == "s3":
        time.sleep(1.5)  # the first publisher's lease expires while it is stalled
    second = child(warehouse.storage.root, staged["old"], tmp_path / "second.json", lock=(kind == "s3"))
    assert second.wait(timeout=120) == 0, second.stderr.read()
    overtaking = json.loads((tmp_path / "second.json").read_text())["publication"]
    go.write_text("go")
    assert first.wait(timeout=120) == 3, first.stderr.read()
    lost = json.loads((tmp_path / "first.json").read_text())
    assert lost["other"] == overtaking
    assert lost["error"].startswith("partition 2020/430000: another publication committed while ")
    assert "committed" not in lost["steps"]
    manifest = warehouse.manifest(PARTITION)
    assert manifest.publication == overtaking
    assert assert_one_publication(warehouse, staged, overtaking, s3server) == "old"
    assert sorted(_leftovers(warehouse)) == sorted(f.path for f in manifest.files().values())


def test_the_lock_is_released_when_its_holder_is_killed(staged, tmp_path):
    """flock dies with its process: a run killed while publishing never blocks the next one."""
    warehouse = Warehouse(Storage(tmp_path / "warehouse"))
    killed = child(warehouse.storage.root, staged["new"], tmp_path / "killed.json", kill_at=3)
    assert killed.wait(timeout=120) == -9
    assert warehouse.manifest(PARTITION) is None
    manifest = publish_in_process(warehouse, staged["new"])
    assert warehouse.manifest(PARTITION).publication == manifest.publication
    with pytest.raises(PublicationConflict, match="2020/430000"), warehouse_lock_held(warehouse):
        publish_in_process(warehouse, staged["old"])


def warehouse_lock_held(warehouse: Warehouse):
    from ogi.datasets.warehouse import PublicationLock

    return PublicationLock(warehouse, PARTITION, "held-by-test", None)


def test_a_run_whose_partition_another_run_is_publishing_fails_naming_both(tmp_path, fresh_instance):
    """Through Dagster: the publishing step meets the partition's lock held by another publisher, publishes
    nothing, records no materialisation, and the run fails naming the partition and the other publication."""
    data, catalog = project_copy(tmp_path)
    defs = definitions_for(data, catalog)
    warehouse = defs.resources["lake"].warehouse()
    with warehouse_lock_held(warehouse):
        result = run_partition(defs, fresh_instance, "430000|2020", raise_on_error=False)
    assert not result.success
    failures = [e for e in result.all_events if e.is_step_failure]
    assert [e.step_key for e in failures] == ["datasets"]
    message = failures[0].step_failure_data.error.message
    assert "partition 2020/430000: another run is publishing it" in message
    assert "(other publication held-by-test)" in message
    assert warehouse.manifest(PARTITION) is None
    assert not [e for e in result.get_asset_materialization_events() if e.asset_key.path == ["documents"]]


def test_a_partition_staged_by_two_runs_at_once_is_not_published(tmp_path, fresh_instance):
    """The latest staged datasets of a partition from two different runs (two runs staging it at once) are
    never published together: the publishing step refuses the partition, naming both runs."""
    from dagster import AssetCheckEvaluation, AssetKey, AssetMaterialization
    from dagster._core.definitions.asset_checks.asset_check_evaluation import (
        AssetCheckEvaluationTargetMaterializationData,
    )
    from dagster._core.event_api import AssetRecordsFilter

    from assets.datasets import STAGED

    data, catalog = project_copy(tmp_path)
    defs = definitions_for(data, catalog)
    assert run_partition(defs, fresh_instance, "430000|2020").success
    warehouse = defs.resources["lake"].warehouse()
    before = warehouse.manifest(PARTITION)
    # Another staging of `cells` recorded meanwhile (by another run), with its own passing contract check:
    # each staged dataset's latest check is then for its latest staging, yet they come from two runs.
    pk = "430000|2020"
    fresh_instance.report_runless_asset_event(AssetMaterialization(asset_key=STAGED["cells"], partition=pk))
    other = fresh_instance.fetch_materializations(
        AssetRecordsFilter(asset_key=STAGED["cells"], asset_partitions=[pk]), limit=1).records[0]
    fresh_instance.report_runless_asset_event(AssetCheckEvaluation(
        asset_key=STAGED["cells"], check_name="cells_contract", passed=True, partition=pk,
        target_materialization_data=AssetCheckEvaluationTargetMaterializationData(
            storage_id=other.storage_id, run_id=other.run_id, timestamp=other.timestamp)))
    job = defs.resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(instance=fresh_instance, partition_key="430000|2020", raise_on_error=False,
                                    asset_selection=[AssetKey(name) for name in PUBLISHED])
    assert not result.success
    message = next(e for e in result.all_events if e.is_step_failure).step_failure_data.error.message
    assert "2020/430000: its staged datasets come from 2 runs" in message
    assert warehouse.manifest(PARTITION).publication == before.publication
    assert not result.get_asset_materialization_events()
