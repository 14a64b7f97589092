"""Office formats by conversion: .doc, .wps, .rtf, .xls and .et read to the same cells as their twins.

corpus/office/ holds the sample report (corpus/docx/sample_2021.docx) saved by LibreOffice in each
format (corpus/tools/make_office.py). Real conversions, real LibreOffice: no test here mocks it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ogi.fetch.store import DerivedStore, sha256_hex
from ogi.model import Document
from ogi.parse.report import SourceInfo, parse_bytes, parse_document
from ogi.read import read_document
from ogi.read.cleanup import clean
from ogi.read.convert import Target, converted, libreoffice_version
from ogi.read.sandbox import Limits
from ogi.read.sheet import cell_text

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
OFFICE = CORPUS / "office"
DOCX = CORPUS / "docx" / "sample_2021.docx"


def _cells(doc: Document) -> list[tuple[str, str, str, str | None, object]]:
    """The canonical cells of a document read (one conversion per test: the read is reused)."""
    report = parse_document(clean(doc), SourceInfo(uri="x", sha256="0" * 64), year_hint=2024)
    return [(c.table, c.row, c.col, c.raw, c.value) for c in report.cells]


@pytest.fixture(scope="module")
def docx_cells() -> list[tuple[str, str, str, str | None, object]]:
    cells = _cells(read_document(DOCX.read_bytes(), DOCX.name))
    assert len(cells) == 200 and all(raw is not None for _, _, _, raw, _ in cells)
    return cells


@pytest.mark.parametrize("name", ["sample_2021.doc", "sample_2021.wps", "sample_2021.rtf"])
def test_word_formats_read_to_the_docx_cells(name: str, libreoffice: str, docx_cells: list) -> None:
    data = (OFFICE / name).read_bytes()
    doc = read_document(data, name)
    assert doc.meta["converted_by"] == f"libreoffice {libreoffice}" and doc.meta["converted_to"] == "docx"
    assert doc.findings == []
    assert [t.rows for t in doc.tables()] == [t.rows for t in read_document(DOCX.read_bytes(), "a.docx").tables()]
    assert _cells(doc) == docx_cells


def test_xlsx_reads_to_the_docx_cells_without_libreoffice(docx_cells: list) -> None:
    doc = read_document((OFFICE / "sample_2021.xlsx").read_bytes(), "sample_2021.xlsx")
    assert _cells(doc) == docx_cells


@pytest.mark.parametrize("name", ["sample_2021.xls", "sample_2021.et"])
def test_xls_and_et_read_to_the_xlsx_cells(name: str, libreoffice: str, docx_cells: list) -> None:
    data = (OFFICE / name).read_bytes()
    xlsx = read_document((OFFICE / "sample_2021.xlsx").read_bytes(), "a.xlsx")
    doc = read_document(data, name)
    assert doc.meta["converted_to"] == "xlsx" and doc.content_type == "application/vnd.ms-excel"
    assert [t.rows for t in doc.tables()] == [t.rows for t in xlsx.tables()]
    assert _cells(doc) == docx_cells


def test_converted_bytes_are_kept_beside_the_raw_ones(tmp_path: Path, libreoffice: str) -> None:
    data = (OFFICE / "sample_2021.doc").read_bytes()
    store = DerivedStore(tmp_path)
    first = converted(data, "doc", Target.DOCX, store=store)
    assert first.data is not None and not first.cached and first.version == libreoffice
    kept = store.path(sha256_hex(data), "libreoffice-docx", libreoffice)
    assert kept.read_bytes() == first.data
    again = converted(data, "doc", Target.DOCX, store=store)
    assert again.cached and again.data == first.data
    doc = read_document(data, "r.doc", derived=store)
    assert doc.meta["converted_sha256"] == sha256_hex(first.data) and len(doc.tables()) == 3


def test_a_file_libreoffice_cannot_read_is_a_finding(libreoffice: str) -> None:
    junk = (OFFICE / "sample_2021.doc").read_bytes()[:5000]  # a download cut short
    doc = read_document(junk, "broken.doc")
    assert [(f.check, f.stage) for f in doc.findings] == [("conversion_failed", "read")]
    assert doc.blocks == [] and doc.content_type == "application/msword"
    report = parse_bytes(junk, "broken.doc")  # and the parse goes on to a record
    assert report.cells == [] and "conversion_failed" in [f.check for f in report.findings]


def _converters_running() -> list[str]:
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if "ogi-convert-" in line and "soffice" in line]


def test_a_conversion_over_its_time_limit_is_killed(libreoffice: str) -> None:
    data = (OFFICE / "sample_2021.doc").read_bytes()
    conv = converted(data, "doc", Target.DOCX, limits=Limits(timeout_s=0.3))
    assert conv.data is None and conv.finding is not None
    assert conv.finding.check == "conversion_failed" and "time limit" in conv.finding.message
    assert _converters_running() == []  # the whole process group went


def test_without_libreoffice_the_document_is_recorded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine where soffice is not installed
    libreoffice_version.cache_clear()
    try:
        for name in ("sample_2021.doc", "sample_2021.xls"):
            doc = read_document((OFFICE / name).read_bytes(), name)
            assert [(f.check, f.severity, f.stage) for f in doc.findings] == [("converter_missing", "warn", "read")]
            assert "scripts/bootstrap" in doc.findings[0].message
        report = parse_bytes((OFFICE / "sample_2021.wps").read_bytes(), "r.wps")
        assert "converter_missing" in [f.check for f in report.findings]
    finally:
        libreoffice_version.cache_clear()


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (None, "General", ""),
        (447228, "General", "447228"),
        (3.0, "General", "3"),
        (96171.6, "General", "96171.6"),
        (0.1 + 0.2, "General", "0.30000000000000004"),
        (1234.5, "#,##0", "1,235"),
        (1234.5, "#,##0.00", "1,234.50"),
        (2.345, "0.00", "2.35"),
        (0.125, "0.0%", "12.5%"),
        ("（一）予以公开 ", "@", "（一）予以公开"),
    ],
)
def test_spreadsheet_numbers_as_the_sheet_shows_them(value: object, fmt: str, text: str) -> None:
    assert cell_text(value, fmt) == text
