"""One Dagster instance per data folder: a run against another OGI_DATA_DIR never shows in this one's UI.

The second run goes through `ogi backfill`, so this is also the command line's backfill end to end:
submitted to that folder's instance, executed, and recorded there as a backfill with its runs.
"""

from __future__ import annotations

from dagster import DagsterInstance
from dagster._core.instance.ref import InstanceRef

from tests.conftest import project_copy
from tests.ops.test_cli_errors import ogi


def _recorded(home):
    with DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        runs = [(r.job_name, r.tags.get("ogi/data_dir"), r.tags.get("dagster/backfill")) for r in instance.get_runs()]
        return runs, [b.backfill_id for b in instance.get_backfills()]


def test_a_run_against_another_data_folder_is_recorded_only_in_that_folders_instance(tmp_path):
    default, catalog = project_copy(tmp_path / "default")
    other = tmp_path / "other" / "data"
    out = ogi("materialize", "--region", "650000", "--year", "2017",
              env={"OGI_DATA_DIR": str(default), "OGI_CATALOG": str(catalog)})
    assert out.returncode == 0, out.stdout + out.stderr
    out = ogi("backfill", "--region", "650000", env={"OGI_DATA_DIR": str(other), "OGI_CATALOG": str(catalog)})
    assert out.returncode == 0, out.stdout + out.stderr
    assert "partitions: 1 published, 0 held back" in out.stdout
    # ogi materialize runs the reference tables, the partitions and the year's summary: three runs, all
    # recorded in the default folder's instance and tagged with it.
    assert _recorded(default / ".dagster") == (
        [(job, str(default), None) for job in ("summary_job", "reports_job", "reference_job")], [])
    runs, backfills = _recorded(other / ".dagster")
    assert len(backfills) == 1 and out.stdout.startswith(f"backfill {backfills[0]}: 1 partition(s)")
    assert [(data_dir, backfill) for _, data_dir, backfill in runs] == [(str(other), backfills[0])]
