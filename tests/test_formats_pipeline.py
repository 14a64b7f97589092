"""The pipeline reads every office format and scan: published, or recorded with why not.

Real LibreOffice and Tesseract in a real in-process run of the reports job over one partition with
a Word 97 .doc, a scanned (image-only) PDF and a .doc cut short. The .doc is the labelled 包头 2022
report typeset in the official layout (tests/corpus/tools/make_scans.py) and saved by LibreOffice.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

from tests.conftest import CORPUS, ROOT, definitions_for, run_partition

CASES = ROOT / "tests" / "corpus"


def _tool(path: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_doc_and_a_scan_are_published_and_a_broken_doc_is_recorded(tmp_path, dagster_instance, libreoffice,
                                                                     tesseract) -> None:
    labels = json.loads((CASES / "tp01_baotou_2022" / "labels.json").read_text(encoding="utf-8"))
    docx = _tool(CASES / "tools" / "make_scans.py").build_docx(labels)
    files = tmp_path / "files"
    files.mkdir()
    (files / "baotou.doc").write_bytes(_tool(CORPUS / "tools" / "make_office.py").soffice(docx, "r.docx", "doc:MS Word 97"))
    shutil.copy(CASES / "scan150_chifeng_2022" / "document.pdf", files / "chifeng-scan.pdf")
    (files / "cut.doc").write_bytes((CORPUS / "office" / "sample_2021.doc").read_bytes()[:5000])
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(
        "source_id,location,origin_url,region,year,agency,note\n"
        f"baotou-doc,files/baotou.doc,{labels['origin_url']},150000,2022,包头市人民政府办公室,\n"
        "chifeng-scan,files/chifeng-scan.pdf,http://www.chifeng.gov.cn/zwgk/zfxxgk/zfxxgknb/202301/nb.pdf,150000,2022,"
        "赤峰市人民政府办公室,\n"
        "cut-doc,files/cut.doc,http://www.baotou.gov.cn/info/2203/cut.doc,150000,2022,,\n",
        encoding="utf-8")
    data = tmp_path / "data"
    defs = definitions_for(data, catalog)
    assert run_partition(defs, dagster_instance, "150000|2022").success
    warehouse = defs.resources["lake"].warehouse()
    ledger = {r["source_id"]: r for r in warehouse.read("documents").to_pylist()}
    assert ledger["baotou-doc"]["status"] == "published"
    assert ledger["chifeng-scan"]["status"] == "published"
    assert ledger["cut-doc"]["status"] == "failed" and "conversion_failed" in ledger["cut-doc"]["message"]
    by_report: dict[str, list[dict]] = {}
    for c in warehouse.read("cells").to_pylist():
        by_report.setdefault(c["report_id"], []).append(c)
    doc_cells = {(c["table"], c["row"], c["col"]): c["raw"] for c in by_report[ledger["baotou-doc"]["report_id"]]}
    assert doc_cells == {(c["table"], c["row"], c["col"]): c["raw"] for c in labels["cells"]}
    scan_cells = by_report[ledger["chifeng-scan"]["report_id"]]
    assert {c["placement"] for c in scan_cells} == {"ocr"} and len([c for c in scan_cells if c["raw"] is not None]) >= 170
    assert all(c["confidence"] is not None for c in scan_cells if c["raw"])
    findings = {(f["report_id"], f["check"]) for f in warehouse.read("findings").to_pylist()}
    assert (ledger["chifeng-scan"]["report_id"], "ocr_derived") in findings
    # The report itself says it was read by OCR, for BI filters; the typed .doc does not.
    ocr = {r["report_id"]: r["ocr_derived"] for r in warehouse.read("reports").to_pylist()}
    assert ocr[ledger["chifeng-scan"]["report_id"]] is True and ocr[ledger["baotou-doc"]["report_id"]] is False
    assert list((data / "raw" / "derived" / "libreoffice-docx").rglob("*"))  # kept beside the raw bytes
