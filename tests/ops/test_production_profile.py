"""The production profile: deploy/dagster.yaml on a real PostgreSQL server, and its Kubernetes settings checked
against dagster-k8s' own schema (a cluster cannot run here)."""

from __future__ import annotations

import os

import pytest
import yaml
from dagster import AssetKey, DagsterInstance
from dagster._core.instance.ref import InstanceRef

from ogi.datasets.warehouse import Partition
from pipelines.runs import materialize_partitions
from tests.conftest import ROOT, definitions_for, project_copy
from tests.ops.pgserver import postgres_bin, postgres_server

DEPLOY = ROOT / "deploy" / "dagster.yaml"


def _need_postgres() -> None:
    if postgres_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have PostgreSQL's server binaries: .ci/run installs Debian's postgresql")
        pytest.skip("PostgreSQL server binaries not installed (apt-get install postgresql)")


@pytest.fixture(scope="module")
def postgres():
    _need_postgres()
    with postgres_server() as server:
        yield server


def _local_profile(home, without=("run_launcher",)) -> None:
    """deploy/dagster.yaml as it is, but for the Kubernetes launcher (no cluster here)."""
    config = yaml.safe_load(DEPLOY.read_text(encoding="utf-8"))
    for key in without:
        config.pop(key)
    (home / "dagster.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")


def test_the_pipeline_runs_on_the_production_instance_with_postgresql(tmp_path, postgres, monkeypatch):
    postgres.create_database("dagster_run")
    for key, value in postgres.env("dagster_run").items():
        monkeypatch.setenv(key, value)
    home = tmp_path / "home"
    home.mkdir()
    _local_profile(home)
    data, catalog = project_copy(tmp_path)
    defs = definitions_for(data, catalog)
    with DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        result, = materialize_partitions([Partition("430000", 2020)], defs=defs, instance=instance)
        assert result.success
        # Write-audit-publish read the blocking checks back from PostgreSQL before publishing.
        record = instance.get_latest_materialization_event(AssetKey("cells"))
        assert record is not None and record.asset_materialization.partition == "430000|2020"
        assert instance.get_run_by_id(result.run_id).tags["ogi/regions"] == "430000"
    con = postgres.connect("dagster_run")
    with con.cursor() as cur:
        cur.execute("select count(*) from runs")
        assert cur.fetchone()[0] == 1
        cur.execute("select count(*) from asset_check_executions where partition = '430000|2020'")
        assert cur.fetchone()[0] >= 10
    con.close()


def test_the_kubernetes_run_launcher_settings_are_valid_for_dagster_k8s():
    from dagster._config import process_config, resolve_to_config_type
    from dagster_k8s import K8sRunLauncher

    config = yaml.safe_load(DEPLOY.read_text(encoding="utf-8"))
    launcher = config["run_launcher"]
    assert (launcher["module"], launcher["class"]) == ("dagster_k8s", "K8sRunLauncher")
    checked = process_config(resolve_to_config_type(K8sRunLauncher.config_type()), launcher["config"])
    assert checked.success, checked.errors
    assert checked.value["job_namespace"] == "ogi"
    assert {"name": "ogi-state", "mountPath": "/var/lib/ogi/state"} in checked.value["volume_mounts"]


def test_the_whole_instance_config_is_valid():
    from dagster._core.instance.config import dagster_instance_config

    config, _ = dagster_instance_config(str(DEPLOY.parent), config_filename=DEPLOY.name)
    assert config["storage"]["postgres"]["postgres_db"]["db_name"] == {"env": "DAGSTER_PG_DB"}
    assert config["concurrency"]["pools"]["default_limit"] >= 1
