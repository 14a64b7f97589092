"""One Dagster instance per data folder: a run against another OGI_DATA_DIR never shows in this one's UI."""

from __future__ import annotations

from dagster import DagsterInstance
from dagster._core.instance.ref import InstanceRef

from tests.conftest import project_copy
from tests.ops.test_cli_errors import ogi


def _runs(home):
    with DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        return [(r.job_name, r.tags.get("ogi/data_dir")) for r in instance.get_runs()]


def test_a_run_against_another_data_folder_is_recorded_only_in_that_folders_instance(tmp_path):
    default, catalog = project_copy(tmp_path / "default")
    other = tmp_path / "other" / "data"
    for data in (default, other):
        out = ogi("materialize", "--region", "650000", "--year", "2017",
                  env={"OGI_DATA_DIR": str(data), "OGI_CATALOG": str(catalog)})
        assert out.returncode == 0, out.stdout + out.stderr
    assert _runs(default / ".dagster") == [("reports_job", str(default))]
    assert _runs(other / ".dagster") == [("reports_job", str(other))]
