"""Shared fixtures: paths of the project's own corpus, and one materialised sample warehouse."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SCHEMA = json.loads((ROOT / "spec" / "report-record.schema.json").read_text(encoding="utf-8"))


# Fixtures whose setup is a whole materialisation: every test using one runs on one xdist worker.
SHARED_SETUP = {"sample_lake", "sample_warehouse", "sample_instance"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `pytest -n 2 --dist loadgroup` (scripts/test), a file's tests stay together, so its module
    fixtures are set up once; the files that share the sample run form one group, so it runs once."""
    for item in items:
        uses_sample = SHARED_SETUP & set(getattr(item, "fixturenames", ()))
        group = "sample-run" if uses_sample else item.nodeid.split("::", 1)[0]
        item.add_marker(pytest.mark.xdist_group(group))


def catalog_location(source_id: str) -> Path:
    import csv

    with (CORPUS / "catalog.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["source_id"] == source_id:
                return CORPUS / row["location"]
    raise KeyError(source_id)


@pytest.fixture(scope="session")
def dagster_instance(tmp_path_factory: pytest.TempPathFactory):
    from dagster import DagsterInstance

    home = tmp_path_factory.mktemp("dagster_home")
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    with DagsterInstance.local_temp(tempdir=str(home)) as instance:
        yield instance


def project_copy(folder: Path) -> tuple[Path, Path]:
    """A data folder and a catalog copy whose relative locations still resolve to the bundled corpus."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    catalog = folder / "catalog.csv"
    shutil.copy(CORPUS / "catalog.csv", catalog)
    for sub in ("seeds", "pages", "pdf", "docx"):
        if (CORPUS / sub).exists() and not (folder / sub).exists():
            (folder / sub).symlink_to(CORPUS / sub)
    return data, catalog


def definitions_for(data: Path, catalog: Path, **kw):
    from pipelines.definitions import build_definitions
    from pipelines.resources import DataLake, FetchSettings, SourceCatalog

    kw.setdefault("fetch_settings", FetchSettings())
    return build_definitions(lake=DataLake(root=str(data)), catalog=SourceCatalog(path=str(catalog)), **kw)


def run_partition(defs, instance, partition_key: str, *, raise_on_error: bool = True):
    """The reports job of these definitions for one partition, in-process (as `ogi materialize` runs it)."""
    return defs.resolve_job_def("reports_job").execute_in_process(
        partition_key=partition_key, instance=instance, raise_on_error=raise_on_error)


@pytest.fixture
def fresh_instance(tmp_path_factory: pytest.TempPathFactory):
    """A Dagster instance of its own, for tests that read back what the instance recorded."""
    from dagster import DagsterInstance

    home = tmp_path_factory.mktemp("dagster_home")
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    with DagsterInstance.local_temp(tempdir=str(home)) as instance:
        yield instance


@pytest.fixture(scope="session")
def sample_instance(tmp_path_factory: pytest.TempPathFactory):
    """The instance of the sample run alone (no other test's runs in it)."""
    from dagster import DagsterInstance

    home = tmp_path_factory.mktemp("sample_dagster_home")
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    with DagsterInstance.local_temp(tempdir=str(home)) as instance:
        yield instance


@pytest.fixture(scope="session")
def sample_lake(tmp_path_factory: pytest.TempPathFactory, sample_instance):
    """The whole bundled corpus materialised once, as `ogi materialize` does it: the DataLake it wrote."""
    from ogi.datasets.warehouse import Partition
    from ogi.fetch.catalog import load_catalog, partitions_of
    from pipelines.runs import materialize_main_job

    data, catalog = project_copy(tmp_path_factory.mktemp("sample"))
    defs = definitions_for(data, catalog)
    partitions = [Partition(r, y) for y, r in partitions_of(load_catalog(catalog))]
    results = materialize_main_job(partitions, defs=defs, instance=sample_instance)
    assert all(r.success for r in results)
    return defs.resources["lake"]


@pytest.fixture(scope="session")
def sample_warehouse(sample_lake):
    """The published warehouse of the sample run (ogi.datasets.warehouse.Warehouse)."""
    return sample_lake.warehouse()


def _need(tool: str, why_missing: str | None) -> None:
    """Skip when a system tool is genuinely absent, with the reason; fail on CI, which installs it."""
    import os

    if why_missing is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{tool} is missing on CI, where scripts/bootstrap installs it: {why_missing}")
    pytest.skip(f"{tool} not installed ({why_missing}); scripts/bootstrap installs it as root")


@pytest.fixture
def libreoffice() -> str:
    """LibreOffice's version; the test is skipped (failed on CI) without it."""
    from ogi.read.convert import libreoffice_version

    version = libreoffice_version()
    _need("LibreOffice", None if version else "no soffice on PATH")
    assert version is not None
    return version


@pytest.fixture
def tesseract() -> str:
    """The OCR engine as recorded; the test is skipped (failed on CI) without Tesseract and chi_sim."""
    from ogi.read.ocr import ocr_engine, ocr_missing

    _need("Tesseract", ocr_missing())
    engine = ocr_engine()
    assert engine is not None
    return engine
