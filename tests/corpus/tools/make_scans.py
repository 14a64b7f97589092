#!/usr/bin/env python3
"""Scanned renderings of labelled reports: tests/corpus/scan*/{document.pdf, labels.json}.

A scan case is a labelled 2021-format case printed and scanned: its printed cells are typeset as a
Word report in the official table layout (corpus/tools/make_docx.py's tables, with the case's own
numbers), LibreOffice prints it to PDF, each page is rasterised at the scan's resolution, skewed,
noised and JPEG-compressed as a scanner would, and the pages are bound into an image-only PDF. The
labels are the source case's own (ground truth from the printed texts), so `ogi accuracy` measures
what OCR loses, per rendering (scan_200dpi, …).

Needs LibreOffice, a CJK font (Debian: fonts-arphic-uming) and pypdfium2. Deterministic for a given
LibreOffice and font. `measure` renders one source at several resolutions into a temporary folder
and prints the accuracy of each, without writing cases.

Usage: .venv/bin/python tests/corpus/tools/make_scans.py [measure]
"""

from __future__ import annotations

import importlib.util
import io
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

TOOLS = Path(__file__).resolve().parent
CORPUS = TOOLS.parent
REPO = CORPUS.parent.parent
FIXED = datetime(2025, 3, 1, 9, 0, 0)


def _make_docx():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_docx", REPO / "corpus" / "tools" / "make_docx.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@dataclass(frozen=True)
class Scan:
    case_id: str
    source: str  # the labelled case whose printed cells are scanned
    rendering: str
    dpi: int
    skew_deg: float = 0.0
    noise: float = 0.0  # grey-level standard deviation of the sensor noise
    quality: int = 75  # JPEG quality of the pages inside the PDF

    def describe(self) -> str:
        parts = [f"{self.dpi} dpi"]
        if self.skew_deg:
            parts.append(f"skewed {self.skew_deg:+.1f}°")
        if self.noise:
            parts.append(f"sensor noise σ={self.noise:g}")
        parts.append(f"JPEG quality {self.quality}")
        return (f"{self.source} printed in the official Word layout and scanned ({', '.join(parts)}), bound as an "
                "image-only PDF: every figure comes from OCR.")


SCANS = [
    Scan("scan200_wuxi_liangxi_2022", "hr01_wuxi_liangxi_2022", "scan_200dpi", 200, quality=75),
    Scan("scan150_chifeng_2022", "tc02_chifeng_2022", "scan_150dpi_skew_noise", 150, skew_deg=-1.0,
         noise=10, quality=50),
]
SCAN_CASE_IDS = frozenset(s.case_id for s in SCANS)

_REQ_ROWS = ("new_received", "carried_over", "granted", "partially_granted", "denied_state_secret",
             "denied_law_prohibited", "denied_security_stability", "denied_third_party", "denied_internal_affairs",
             "denied_process_info", "denied_enforcement_file", "denied_query_matter", "unavailable_not_held",
             "unavailable_needs_creation", "unavailable_unclear", "not_processed_petition", "not_processed_duplicate",
             "not_processed_publication", "not_processed_excessive", "not_processed_confirmation",
             "other_no_correction", "other_unpaid_fee", "other_misc", "total_processed", "carried_forward")
_REQ_COLS = ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")
_REVIEW = [(p, o) for p in ("review", "litigation_direct", "litigation_after_review")
           for o in ("upheld", "corrected", "other", "pending", "total")]


def _fee_header(cell: dict) -> str:
    unit = cell.get("unit")
    if unit and cell.get("unit_source") == "printed" and unit not in cell["raw"]:
        return f"本年收费金额（单位：{unit}）"
    return "本年收费金额"


def build_docx(labels: dict) -> bytes:
    """The source case's printed cells typeset as a Word report, tables in the official layout."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    mk = _make_docx()
    if labels["format"] != "2021":
        raise ValueError("scans are built from 2021-format cases (the Word layout of make_docx.py)")
    raw = {(c["table"], c["row"], c["col"]): c for c in labels["cells"]}

    def r(table: str, row: str, col: str) -> str:
        return raw[(table, row, col)]["raw"]

    active = [
        "第二十条第（一）项", ("信息内容", ["本年制发件数", "本年废止件数", "现行有效件数"]),
        ("规章", [r("active", "regulations", m) for m in ("issued", "repealed", "in_force")]),
        ("行政规范性文件", [r("active", "normative_documents", m) for m in ("issued", "repealed", "in_force")]),
        "第二十条第（五）项", ("信息内容", ["本年处理决定数量"]), ("行政许可", [r("active", "licensing", "decisions")]),
        "第二十条第（六）项", ("信息内容", ["本年处理决定数量"]), ("行政处罚", [r("active", "penalty", "decisions")]),
        ("行政强制", [r("active", "coercion", "decisions")]),
        "第二十条第（八）项", ("信息内容", [_fee_header(raw[("active", "fees", "fee_amount")])]),
        ("行政事业性收费", [r("active", "fees", "fee_amount")]),
    ]
    request_rows = [(l1, l2, l3, [r("requests", key, c) for c in _REQ_COLS])
                    for (l1, l2, l3, _), key in zip(mk.REQUEST_ROWS, _REQ_ROWS, strict=True)]
    review = [r("review_litigation", p, o) for p, o in _REVIEW]

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2.2)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.font.name = "Times New Roman"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    props = document.core_properties
    props.title = f"{labels['agency']}{labels['year']}年政府信息公开工作年度报告"
    props.author = "ogi-pipeline test corpus"
    props.created = props.modified = FIXED
    props.revision = 1

    def widths(table, cm: list[float]) -> None:  # type: ignore[no-untyped-def]
        table.autofit = False
        grid = table._tbl.tblGrid
        for col, w in zip(grid.findall(qn("w:gridCol")), cm, strict=True):
            col.set(qn("w:w"), str(int(Cm(w).twips)))
        for tr in table._tbl.tr_lst:
            tr_pr = tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))  # a row is never cut by a page break
            col = 0
            for tc in tr.tc_lst:
                tc.width = Cm(sum(cm[col:col + tc.grid_span]))
                col += tc.grid_span

    heading = document.add_paragraph(props.title)
    heading.runs[0].font.size = Pt(16)
    document.add_paragraph(f"本报告由{labels['agency']}根据《中华人民共和国政府信息公开条例》编制。"
                           f"报告所列统计期限自{labels['year']}年1月1日至{labels['year']}年12月31日。")
    document.add_paragraph("一、总体情况")
    document.add_paragraph("本年度，我们严格落实《条例》各项规定，依法做好主动公开和依申请公开工作。")
    document.add_paragraph("二、主动公开政府信息情况")
    widths(mk.active_table(document, active), [5.0, 4.0, 4.0, 4.0])
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    widths(mk.requests_table(document, request_rows), [1.0, 2.6, 4.9] + [1.2] * 7)
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    widths(mk.review_table(document, review), [17 / 15] * 15)
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.add_paragraph("公开内容的规范性还需加强，下一步将持续改进。")
    document.add_paragraph("六、其他需要报告的事项")
    document.add_paragraph("本年度未收取信息处理费。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_pdf(docx_bytes: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "report.docx").write_bytes(docx_bytes)
        subprocess.run(["soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(work), str(work / "report.docx")],
                       check=True, capture_output=True, timeout=180)
        return (work / "report.pdf").read_bytes()


def scan_pages(pdf: bytes, scan: Scan) -> list[Image.Image]:
    """Each page as a scanner delivers it: grey, at `dpi`, skewed, noised, JPEG-compressed."""
    import pypdfium2 as pdfium

    rng = np.random.default_rng(20250301)
    pages: list[Image.Image] = []
    doc = pdfium.PdfDocument(pdf)
    for i in range(len(doc)):
        img = doc[i].render(scale=scan.dpi / 72, grayscale=True).to_pil().convert("L")
        img = img.filter(ImageFilter.GaussianBlur(radius=scan.dpi / 400))  # optics: edges are never sharp
        if scan.skew_deg:
            img = img.rotate(scan.skew_deg, resample=Image.Resampling.BICUBIC, fillcolor=255)
        if scan.noise:
            arr = np.asarray(img, dtype=np.float64) + rng.normal(0.0, scan.noise, (img.height, img.width))
            img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=scan.quality)
        pages.append(Image.open(io.BytesIO(buf.getvalue())))
    return pages


def bind(pages: list[Image.Image], scan: Scan) -> bytes:
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=float(scan.dpi),
                  quality=scan.quality, title="scan", creationDate=FIXED.timetuple(), modDate=FIXED.timetuple())
    return out.getvalue()


def render(scan: Scan, pdf: bytes | None = None) -> bytes:
    labels = json.loads((CORPUS / scan.source / "labels.json").read_text(encoding="utf-8"))
    return bind(scan_pages(pdf or to_pdf(build_docx(labels)), scan), scan)


def write(scan: Scan) -> None:
    sys.path.insert(0, str(TOOLS))
    from make_cases import Meta, write_case

    labels = json.loads((CORPUS / scan.source / "labels.json").read_text(encoding="utf-8"))
    meta = Meta(scan.case_id, scan.rendering, labels["format"], labels["year"], labels["agency"], labels["region"],
                labels["origin_url"], scan.describe(), synthetic=labels["synthetic"])
    write_case(meta, "document.pdf", render(scan), cells=labels["cells"], breaks=labels["identity_breaks"],
               facts=labels.get("facts"))


def measure() -> None:
    """Accuracy of one source at several resolutions (not written as cases)."""
    sys.path.insert(0, str(REPO))
    from ogi.evaluate.accuracy import score_case

    source = SCANS[0].source
    labels = json.loads((CORPUS / source / "labels.json").read_text(encoding="utf-8"))
    pdf = to_pdf(build_docx(labels))
    variants = [Scan("m", source, f"{dpi}dpi skew {skew:+.1f} noise {noise:g} q{q}", dpi, skew, noise, q)
                for dpi, skew, noise, q in ((150, 0, 0, 75), (200, 0, 0, 75), (300, 0, 0, 75), (200, 1.5, 0, 75),
                                            (200, -2.0, 0, 75), (200, 1.0, 10, 50), (150, -1.0, 10, 50))]
    with tempfile.TemporaryDirectory() as tmp:
        for v in variants:
            folder = Path(tmp) / "case"
            folder.mkdir(exist_ok=True)
            (folder / "document.pdf").write_bytes(bind(scan_pages(pdf, v), v))
            shutil.copy(CORPUS / source / "labels.json", folder / "labels.json")
            s = score_case(folder)
            wrong = sum(1 for m in s.misses if m.startswith("wrong"))
            print(f"{v.rendering:<32} {s.correct}/{s.labelled} = {100 * s.accuracy:.1f}%  wrong {wrong}  "
                  f"spurious {s.spurious}")


def main(argv: list[str]) -> int:
    if argv[1:] == ["measure"]:
        measure()
        return 0
    for scan in SCANS:
        write(scan)
        print(f"wrote {CORPUS / scan.case_id}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
