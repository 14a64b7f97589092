"""PDF attachments → Document: text lines and tables in reading order, via pdfplumber.

Reports are mostly exported from WPS/Word, so tables are ruled. Two traps of those exports shape
this module: every text line sits on a white filled rectangle (pdfplumber would see the whole page
as a one-column table), and a table cut by a page break loses its outer border on one side (the
cells next to the break would vanish). Cell text is cleaned the way a reader reads it: wrapped
lines joined, vertical labels ("本\\n年\\n度") joined, page footers dropped. Never raises: damaged,
encrypted and image-only files become findings.
"""

from __future__ import annotations

import contextlib
import io
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pdfplumber
from pdfplumber.page import Page

from ogi.model import Block, Document, Finding, Table
from ogi.read.layout import clean_cell, is_footer, printed_rows
from ogi.read.limits import CappedZlib, bomb_in, capped, finding_for, inflation_budget

MAX_PAGES = 300  # annual reports run to a few dozen pages; more is not a report
_SNAP = 3.0

_TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": _SNAP,
    "join_tolerance": _SNAP,
    "intersection_tolerance": _SNAP,
    "edge_min_length": 3,
    "text_x_tolerance": 1.5,
    "text_y_tolerance": 3,
}
_TEXT_TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "text",
    "horizontal_strategy": "text",
    "snap_tolerance": _SNAP,
    "join_tolerance": _SNAP,
    "min_words_vertical": 3,
    "min_words_horizontal": 1,
    "text_x_tolerance": 1.5,
    "text_y_tolerance": 3,
}

# Three numbers separated only by white space: a table row printed as text, never prose.
_NUMERIC_RUN = re.compile(r"(?:^|\s)[+\-]?\d[\d,.]*%?\s+[+\-]?\d[\d,.]*%?\s+[+\-]?\d[\d,.]*%?(?=\s|$)")
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+[章节条部分])"
)
_BARE_NUMBER = re.compile(r"^\d{1,4}$")
PageOcr = Callable[[Page], "list[Block] | None"]
_GARBLED = re.compile(r"^\(cid:\d+\)$|[\ue000-\uf8ff]")
_VALUE = re.compile(r"[+\-]?\d[\d,.]*%?")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_CJK_END = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’—…]$")
_CJK_START = re.compile(r"^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’—…]")


@dataclass
class _Line:
    """A text line outside tables, with what paragraph joining needs to know."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    left: float  # text body's left edge on this page
    right: float  # text body's right edge on this page
    char_w: float


@dataclass
class _PageRead:
    items: list[_Line | Block]  # str items: lines read by OCR, kept as they are
    findings: list[Finding]
    has_text: bool
    image_ratio: float  # share of the page covered by its largest image
    chars: int = 0
    garbled: int = 0  # glyphs without a Unicode mapping: "(cid:123)" or private-use code points
    ocr: bool = False  # a scanned page whose items come from OCR


# --- page objects -----------------------------------------------------------------------------------


def _is_background(obj: dict[str, Any]) -> bool:
    """Filled, unstroked boxes (text line backgrounds, cell shading) are not rules.

    Thin filled boxes stay: some exporters draw every border as a 0.5pt filled rectangle.
    """
    if obj.get("object_type") != "rect":
        return False
    if obj.get("stroke") or not obj.get("fill"):
        return False
    return min(float(obj.get("width", 0)), float(obj.get("height", 0))) > 2.0


def _is_diagonal(obj: dict[str, Any]) -> bool:
    """Slashes across header cells (斜线表头): pdfplumber would take a slanted line for a vertical
    rule (curves' slanted segments get no orientation and are ignored anyway)."""
    if obj.get("object_type") != "line":
        return False
    return float(obj.get("width", 0)) > 2.0 and float(obj.get("height", 0)) > 2.0


def _keep_for_rules(obj: dict[str, Any]) -> bool:
    return not (_is_background(obj) or _is_diagonal(obj))


def _edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict[str, Any]:
    return {
        "object_type": "synthetic_edge",
        "orientation": orientation,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
    }


def _closing_edges(edges: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Borders a page break left open: a top/bottom rule where ≥2 verticals start/end together
    at a table's extreme, and a left/right rule where ≥2 horizontals do, when no rule is there.

    Only extremes are closed, so a rowspan cell inside the table is never cut in two.
    """
    vs = [e for e in edges if e["orientation"] == "v"]
    hs = [e for e in edges if e["orientation"] == "h"]
    extra_h: list[dict[str, Any]] = []
    extra_v: list[dict[str, Any]] = []
    for group in _vertical_groups(vs):
        top = min(e["top"] for e in group)
        bottom = max(e["bottom"] for e in group)
        for y, key in ((top, "top"), (bottom, "bottom")):
            at = [e for e in group if abs(e[key] - y) <= _SNAP]
            if len(at) >= 2:
                x0, x1 = min(e["x0"] for e in at), max(e["x1"] for e in at)
                if not _covered(hs, "top", y, "x0", "x1", x0, x1):
                    extra_h.append(_edge("h", x0, x1, y, y))
    for group in _horizontal_groups(hs, vs):
        left = min(e["x0"] for e in group)
        right = max(e["x1"] for e in group)
        for x, key in ((left, "x0"), (right, "x1")):
            at = [e for e in group if abs(e[key] - x) <= _SNAP]
            if len(at) >= 2:
                top, bottom = min(e["top"] for e in at), max(e["bottom"] for e in at)
                if not _covered(vs, "x0", x, "top", "bottom", top, bottom):
                    extra_v.append(_edge("v", x, x, top, bottom))
    return extra_v, extra_h


def _covered(
    edges: list[dict[str, Any]], pos: str, at: float, lo: str, hi: str, start: float, end: float
) -> bool:
    """Whether rules at position `at` already cover [start, end] (a duplicate would be harmless)."""
    span = max(end - start, 1e-6)
    cover = sum(max(0.0, min(e[hi], end) - max(e[lo], start)) for e in edges if abs(e[pos] - at) <= _SNAP)
    return cover >= 0.95 * span


def _vertical_groups(vs: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Vertical rules that overlap in y (transitively): one table each, roughly."""
    groups: list[list[dict[str, Any]]] = []
    for e in sorted(vs, key=lambda e: e["top"]):
        if groups and e["top"] <= max(g["bottom"] for g in groups[-1]) + _SNAP:
            groups[-1].append(e)
        else:
            groups.append([e])
    return groups


def _horizontal_groups(hs: list[dict[str, Any]], vs: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Horizontal rules of one table: consecutive rules joined by a vertical rule across the gap."""
    groups: list[list[dict[str, Any]]] = []
    for e in sorted(hs, key=lambda e: e["top"]):
        if groups:
            last = groups[-1][-1]
            lo, hi = max(last["x0"], e["x0"]), min(last["x1"], e["x1"])
            linked = any(
                v["top"] <= last["top"] + _SNAP
                and v["bottom"] >= e["top"] - _SNAP
                and lo - _SNAP <= v["x0"] <= hi + _SNAP
                for v in vs
            )
            if linked or abs(e["top"] - last["top"]) <= _SNAP:
                groups[-1].append(e)
                continue
        groups.append([e])
    return [g for g in groups if len(g) >= 2]


# --- tables ------------------------------------------------------------------------------------------


def _clean_rows(raw: list[list[str | None]]) -> list[list[str]]:
    """Printed cells once: None (a grid slot covered by a merged cell) dropped, text cleaned,
    blank row-header slots and empty rows dropped (see `printed_rows`)."""
    return printed_rows([[(j, clean_cell(c)) for j, c in enumerate(r) if c is not None] for r in raw])


def _is_boxed_text(rows: list[list[str]]) -> bool:
    """A "table" of one column: text in a frame (or line backgrounds), read as text instead."""
    return not rows or all(sum(1 for c in r if c) <= 1 for r in rows)


def _ruled_tables(page: Page) -> list[tuple[tuple[float, float, float, float], list[list[str]]]]:
    ruled = page.filter(_keep_for_rules)
    edges = [e for e in ruled.edges if e["orientation"] in ("h", "v")]
    if not edges:
        return []
    extra_v, extra_h = _closing_edges(edges)
    settings = dict(_TABLE_SETTINGS, explicit_vertical_lines=extra_v, explicit_horizontal_lines=extra_h)
    out = []
    for t in ruled.find_tables(settings):
        rows = _clean_rows(t.extract(x_tolerance=1.5, y_tolerance=3))
        if not _is_boxed_text(rows):
            out.append((t.bbox, rows))
    return out


def _text_tables(
    page: Page, lines: list[_Line]
) -> list[tuple[tuple[float, float, float, float], list[list[str]]]]:
    """Unruled tables: where lines carry runs of numbers, let text alignment find the columns."""
    numeric = [ln for ln in lines if _NUMERIC_RUN.search(ln.text)]
    if len(numeric) < 2:
        return []
    height = statistics.median(ln.bottom - ln.top for ln in lines) or 10.0
    bands: list[list[_Line]] = []
    for ln in numeric:
        if bands and ln.top - bands[-1][-1].bottom <= 4 * height:
            bands[-1].append(ln)
        else:
            bands.append([ln])
    out = []
    for band in bands:
        if len(band) < 2:
            continue
        top = max(page.bbox[1], band[0].top - 2 * height)
        bottom = min(page.bbox[3], band[-1].bottom + 1)
        crop = page.crop((page.bbox[0], top, page.bbox[2], bottom))
        band_chars = [c for c in crop.chars if c.get("text", "").strip()]
        for t in crop.find_tables(_TEXT_TABLE_SETTINGS):
            rows = _clean_rows(t.extract(x_tolerance=1.5, y_tolerance=3))
            with_values = [i for i, r in enumerate(rows) if sum(1 for c in r if _VALUE.fullmatch(c)) >= 3]
            if len(with_values) < 2 or _is_boxed_text(rows):
                continue
            between = range(with_values[0], with_values[-1])
            if any(not any(_VALUE.fullmatch(c) for c in rows[i]) for i in between):
                continue  # wrapped or vertical labels between rows: alignment guessing mangles them
            # Labels left outside the columns found would come out of order: keep the lines then.
            t_top, t_bottom = t.bbox[1], t.bbox[3]
            in_rows = [c for c in band_chars if t_top - 1 <= (c["top"] + c["bottom"]) / 2 <= t_bottom + 1]
            if all(_inside(c, [t.bbox]) for c in in_rows):
                out.append((t.bbox, rows))
    return out


# --- text lines --------------------------------------------------------------------------------------


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1 for x0, top, x1, bottom in boxes)


def _is_cjk(ch: str) -> bool:
    return bool(_CJK_START.match(ch))


def _line_text(chars: list[dict[str, Any]]) -> str:
    """A line's text from its glyphs, spacing by the gaps a reader sees.

    A gap of 0.6 em or more is a column gap and becomes two spaces (text renderings of tables
    keep their cells apart); a smaller visible gap is one space, except between Chinese
    characters, where it is only justification ("号 ， 邮 编") and is dropped.
    """
    out: list[str] = []
    prev: dict[str, Any] | None = None
    for c in sorted((c for c in chars if c.get("text", "").strip()), key=lambda c: c["x0"]):
        if prev is not None:
            gap = float(c["x0"]) - float(prev["x1"])
            size = max(float(c.get("size") or 0), float(prev.get("size") or 0), 1.0)
            if gap >= 0.6 * size:
                out.append("  ")
            elif gap > 0.15 * size and not (_is_cjk(prev["text"][-1]) and _is_cjk(c["text"][0])):
                out.append(" ")
        out.append(c["text"])
        prev = c
    return "".join(out).strip()


def _text_lines(page: Page, boxes: list[tuple[float, float, float, float]]) -> list[_Line]:
    """Lines of text outside the given table boxes, footers and margin page numbers dropped."""
    outside = (
        page.filter(lambda o: not (o.get("object_type") == "char" and _inside(o, boxes))) if boxes else page
    )
    raw = outside.extract_text_lines(strip=True, return_chars=True, x_tolerance=1.5, y_tolerance=3)
    widths = [float(c["width"]) for c in page.chars if c.get("text", "").strip()]
    char_w = statistics.median(widths) if widths else 10.0
    kept = []
    page_h = float(page.height) or 842.0
    for i, r in enumerate(raw):
        text = _INVISIBLE.sub("", _line_text(r["chars"]))
        if not text or is_footer(text):
            continue
        in_margin = r["top"] > page.bbox[1] + 0.88 * page_h or r["bottom"] < page.bbox[1] + 0.1 * page_h
        if _BARE_NUMBER.match(text) and in_margin and (i == 0 or i == len(raw) - 1):
            continue
        kept.append(r | {"text": text})
    if not kept:
        return []
    long_lines = [r for r in kept if len(r["text"]) >= 10] or kept
    left = min(float(r["x0"]) for r in long_lines)
    right = max(float(r["x1"]) for r in long_lines)
    return [
        _Line(
            r["text"],
            float(r["x0"]),
            float(r["x1"]),
            float(r["top"]),
            float(r["bottom"]),
            left,
            right,
            char_w,
        )
        for r in kept
    ]


def _continues(prev: _Line, cur: _Line, same_page: bool) -> bool:
    """Whether `cur` wraps on from `prev` in one paragraph (the line break is only layout)."""
    if _NUMERIC_RUN.search(prev.text) or _NUMERIC_RUN.search(cur.text):
        return False  # table rows printed as text keep their lines
    if _HEADING.match(cur.text):
        return False
    if prev.x1 < prev.right - 1.5 * prev.char_w:
        return False  # previous line stopped short: paragraph end
    if cur.x0 > cur.left + 0.6 * cur.char_w:
        return False  # indented: a new paragraph
    gap = cur.top - prev.bottom
    return not (same_page and gap > 1.2 * max(prev.bottom - prev.top, cur.bottom - cur.top))


def _join(a: str, b: str) -> str:
    return a + b if _CJK_END.search(a) or _CJK_START.search(b) else f"{a} {b}"


# --- pages and document ------------------------------------------------------------------------------


def _read_page(page: Page, ocr: PageOcr | None = None) -> _PageRead:
    """One page: tables (ruled, else aligned text) and the text lines around them, top to bottom.

    A page without a text layer but with an image (a scan) is handed to `ocr`, when given.
    """
    with contextlib.suppress(Exception):
        page = page.dedupe_chars(tolerance=1)  # fake bold: each glyph printed twice
    chars = page.chars
    has_text = any(c.get("text", "").strip() for c in chars)
    area = float(page.width * page.height) or 1.0
    image_ratio = 0.0
    for img in page.images:
        w = max(0.0, min(float(img["x1"]), float(page.bbox[2])) - max(float(img["x0"]), float(page.bbox[0])))
        h = max(
            0.0, min(float(img["bottom"]), float(page.bbox[3])) - max(float(img["top"]), float(page.bbox[1]))
        )
        image_ratio = max(image_ratio, w * h / area)
    findings: list[Finding] = []
    if not has_text:
        blocks = ocr(page) if ocr is not None and image_ratio > 0 else None
        if blocks is not None:
            return _PageRead(list(blocks), findings, False, image_ratio, ocr=True)
        return _PageRead([], findings, False, image_ratio)
    n_chars = sum(1 for c in chars if c.get("text", "").strip())
    garbled = sum(1 for c in chars if _GARBLED.search(c.get("text", "")))

    tables = _ruled_tables(page)
    lines = _text_lines(page, [b for b, _ in tables])
    if not tables:
        tables = _text_tables(page, lines)
        if tables:
            findings.append(
                Finding(
                    check="unruled_table",
                    severity="info",
                    stage="read",
                    message=f"page {page.page_number}: table without rules, columns found by text alignment",
                )
            )
            lines = _text_lines(page, [b for b, _ in tables])
    placed: list[tuple[float, int, _Line | Table]] = []
    for i, (bbox, rows) in enumerate(tables):
        placed.append((float(bbox[1]), i, Table(rows=rows, source="pdf")))
    for j, ln in enumerate(lines):
        placed.append((ln.top, len(tables) + j, ln))
    placed.sort(key=lambda p: (p[0], p[1]))
    return _PageRead([p[2] for p in placed], findings, True, image_ratio, n_chars, garbled)


def _decode_meta(value: Any) -> str:
    """PDF info strings: UTF-16 with either BOM (WPS writes little-endian), else UTF-8/PDFDocEncoding."""
    try:
        from pdfminer.pdftypes import resolve1

        value = resolve1(value)
    except Exception:
        pass
    if isinstance(value, bytes):
        if value.startswith(b"\xfe\xff"):
            return value[2:].decode("utf-16-be", "replace").strip("\x00 ")
        if value.startswith(b"\xff\xfe"):
            return value[2:].decode("utf-16-le", "replace").strip("\x00 ")
        for enc in ("utf-8", "gb18030"):
            try:
                return value.decode(enc).strip("\x00 ")
            except UnicodeDecodeError:
                continue
        return value.decode("latin-1").strip("\x00 ")
    if hasattr(value, "name"):  # PSLiteral
        return str(value.name)
    return "" if value is None else str(value)


def _meta(pdf: pdfplumber.PDF) -> dict[str, str]:
    meta: dict[str, str] = {}
    wanted = {"Title": "title", "Author": "author", "Creator": "creator", "Producer": "producer"}
    wanted |= {"CreationDate": "created", "ModDate": "modified", "Subject": "subject"}
    try:
        for info in pdf.doc.info:
            for key, name in wanted.items():
                if key in info and name not in meta:
                    text = _decode_meta(info[key])
                    if text:
                        meta[name] = text
    except Exception:
        pass
    return meta


def _unreadable(doc: Document, message: str) -> Document:
    doc.findings.append(Finding(check="unreadable", severity="error", stage="read", message=message))
    return doc


def _why(exc: BaseException) -> str:
    """A short reason; pdfplumber wraps pdfminer's errors, so look through the chain."""
    seen: list[str] = []
    e: BaseException | None = exc
    while e is not None and len(seen) < 4:
        seen.append(f"{type(e).__name__}: {e}"[:200])
        e = e.__cause__ or e.__context__
    text = " / ".join(seen)
    if re.search(r"password|encrypt", text, re.IGNORECASE):
        return f"encrypted PDF (needs a password): {text}"
    return text


def _cap_inflation() -> None:
    """pdfminer inflates each stream whole (zlib.decompress, lzwdecode) when it is first used: route
    both through the capped codecs of ogi.read.limits, so a content stream that inflates to 1 GiB
    stops at the cap (a `decompression_bomb` finding) instead of filling memory and the parser."""
    from pdfminer import lzw, pdftypes

    if not isinstance(pdftypes.zlib, CappedZlib):
        pdftypes.zlib = CappedZlib()  # type: ignore[assignment]
        pdftypes.lzwdecode = capped(lambda data: lzw.LZWDecoder(io.BytesIO(data)).run())


def read_pdf(data: bytes, on_page: Callable[[Page], Page] | None = None, ocr: PageOcr | None = None) -> Document:
    """Read a PDF's text and tables into a Document; never raises.

    Streams are inflated under the caps of ogi.read.limits (per stream and per document): a page
    whose streams go past them is recorded as a `decompression_bomb` and the other pages are read.
    `on_page` may transform each page before reading (tests use it to strip rules). `ocr` reads a
    scanned page (no text layer, an image) into blocks, or returns None to leave it unread
    (ogi/read/ocr.PdfScanReader).
    """
    _cap_inflation()
    with inflation_budget():
        return _read_pdf(data, on_page, ocr)


def _read_pdf(data: bytes, on_page: Callable[[Page], Page] | None, ocr: PageOcr | None) -> Document:
    doc = Document(content_type="application/pdf")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        bomb = bomb_in(exc)
        if bomb is not None:
            doc.findings.append(finding_for(bomb, "cannot open PDF: "))
            return doc
        return _unreadable(doc, f"cannot open PDF: {_why(exc)}")
    try:
        with pdf:
            doc.meta = _meta(pdf)
            try:
                pages = pdf.pages
            except Exception as exc:
                return _unreadable(doc, f"cannot read the page tree: {_why(exc)}")
            doc.meta["pages"] = str(len(pages))
            if not pages:
                return _unreadable(doc, "PDF has no pages")
            if len(pages) > MAX_PAGES:
                doc.findings.append(
                    Finding(
                        check="truncated",
                        severity="warn",
                        stage="read",
                        message=f"{len(pages)} pages; only the first {MAX_PAGES} were read",
                    )
                )
            reads: list[_PageRead | None] = []
            bombed: list[int] = []
            for page in pages[:MAX_PAGES]:
                try:
                    reads.append(_read_page(on_page(page) if on_page else page, ocr))
                except Exception as exc:
                    reads.append(None)
                    bomb = bomb_in(exc)
                    if bomb is not None:
                        if not bombed:
                            doc.findings.append(finding_for(bomb, f"page {page.page_number}: "))
                        bombed.append(page.page_number)
                        continue
                    doc.findings.append(
                        Finding(
                            check="unreadable",
                            severity="error",
                            stage="read",
                            message=f"page {page.page_number}: {_why(exc)}",
                        )
                    )
                finally:
                    with contextlib.suppress(Exception):
                        page.close()
    except Exception as exc:
        bomb = bomb_in(exc)
        if bomb is not None:
            doc.findings.append(finding_for(bomb, "cannot read PDF: "))
            return doc
        return _unreadable(doc, f"cannot read PDF: {_why(exc)}")
    if len(bombed) > 1:
        doc.findings.append(Finding("decompression_bomb", "error", f"pages not read, over the inflation caps: "
                                    f"{_pages(bombed)}", stage="read"))
    doc.blocks = _assemble(reads)
    doc.findings.extend(f for r in reads if r is not None for f in r.findings)
    doc.findings.extend(_image_findings(reads))
    return doc


def _assemble(reads: list[_PageRead | None]) -> list[Block]:
    """Pages' items in order; wrapped lines of one paragraph (also across a page break) joined."""
    blocks: list[Block] = []
    prev: _Line | None = None
    text = ""
    prev_page = -1
    for page_no, r in enumerate(reads):
        if r is None:
            if prev is not None:
                blocks.append(text)
                prev = None
            continue
        for item in r.items:
            if isinstance(item, Table | str):
                if prev is not None:
                    blocks.append(text)
                    prev = None
                blocks.append(item)
                continue
            if prev is not None and _continues(prev, item, same_page=page_no == prev_page):
                text = _join(text, item.text)
            else:
                if prev is not None:
                    blocks.append(text)
                text = item.text
            prev = item
            prev_page = page_no
    if prev is not None:
        blocks.append(text)
    return blocks


def _image_findings(reads: list[_PageRead | None]) -> list[Finding]:
    """Pages without a text layer (scans) and text pages dominated by an image (pasted tables)."""
    read = [(i + 1, r) for i, r in enumerate(reads) if r is not None]
    no_text = [n for n, r in read if not r.has_text]
    scanned = [n for n, r in read if not r.has_text and r.image_ratio > 0 and not r.ocr]
    pictured = [n for n, r in read if r.has_text and r.image_ratio >= 0.15]
    out: list[Finding] = []
    if scanned:
        whole = len(scanned) == len(read)
        what = "every page" if whole else f"page(s) {_pages(scanned)} of {len(reads)}"
        out.append(
            Finding(
                check="image_only",
                severity="warn",
                stage="read",
                message=f"{what}: images without a text layer (scanned?), not read by OCR",
            )
        )
    ocred = {n for n, r in read if r.ocr}
    blank = [n for n in no_text if n not in scanned and n not in ocred]
    if blank and len(blank) == len(read):
        out.append(
            Finding(
                check="no_text",
                severity="warn",
                stage="read",
                message="no page has a text layer or an image (text drawn as outlines?)",
            )
        )
    n_chars = sum(r.chars for _, r in read)
    n_garbled = sum(r.garbled for _, r in read)
    if n_chars and n_garbled / n_chars > 0.05:
        out.append(
            Finding(
                check="garbled_text",
                severity="warn",
                stage="read",
                message=f"{n_garbled} of {n_chars} glyphs have no Unicode mapping (fonts without ToUnicode); "
                "text and numbers may be wrong or missing",
            )
        )
    if pictured:
        out.append(
            Finding(
                check="image_in_page",
                severity="warn",
                stage="read",
                message=f"page(s) {_pages(pictured)}: a large image beside the text (a table pasted as an image?); "
                "pictures beside a text layer are not OCR'd",
            )
        )
    return out


def _pages(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers[:20]) + (" …" if len(numbers) > 20 else "")
