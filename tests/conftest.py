"""Shared fixtures: paths of the project's own corpus, and one materialised sample warehouse."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SCHEMA = json.loads((ROOT / "spec" / "report-record.schema.json").read_text(encoding="utf-8"))


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


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory, dagster_instance) -> Path:
    """The whole bundled corpus materialised once, as `ogi materialize` does it."""
    from ogi.fetch.catalog import load_catalog, partitions_of
    from pipelines.definitions import build_definitions
    from pipelines.resources import DataLake, SourceCatalog
    from pipelines.runs import materialize_partitions

    data = tmp_path_factory.mktemp("data")
    catalog = data / "catalog.csv"
    shutil.copy(CORPUS / "catalog.csv", catalog)
    # The catalog's relative locations resolve against its folder: point them at the real corpus.
    for sub in ("seeds", "pages", "pdf", "docx"):
        if (CORPUS / sub).exists():
            (data / sub).symlink_to(CORPUS / sub)
    lake = DataLake(root=str(data))
    defs = build_definitions(lake=lake, catalog=SourceCatalog(path=str(catalog)))
    partitions = partitions_of(load_catalog(catalog))
    results = materialize_partitions(partitions, defs=defs, instance=dagster_instance)
    assert all(r.success for r in results)
    return lake.warehouse


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
