"""DOCX attachments → Document: paragraphs and tables in body order, merged cells once.

python-docx's `row.cells` repeats a merged cell in every grid slot it covers (and hands back the
top cell for vMerge continuations), which would duplicate labels and numbers; this reader walks
the XML instead: one `w:tc` is one printed cell, a vMerge continuation is skipped. Never raises.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from ogi.model import Block, Document, Finding, Table
from ogi.read.layout import clean_cell, clean_text, printed_rows

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (_q(t) for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_CUSTOM_XML, _INS, _SMART_TAG = _q("customXml"), _q("ins"), _q("smartTag")
_WRAPPERS = (_SDT, _SDT_CONTENT, _CUSTOM_XML, _INS, _SMART_TAG)


def _children(el: Any) -> Iterator[Any]:
    """Block-level children, looking through content controls and custom XML wrappers."""
    for child in el:
        if child.tag in _WRAPPERS:
            yield from _children(child)
        else:
            yield child


def _text(el: Any) -> str:
    """Visible text of a paragraph (or any element): runs, tabs, breaks; no deleted text, no
    AlternateContent fallbacks (they repeat the text box they stand in for)."""
    out: list[str] = []
    for node in el.iter():
        tag = node.tag
        if not isinstance(tag, str):
            continue
        if tag == _q("t"):
            if not _in_fallback(node, el):
                out.append(node.text or "")
        elif tag == _q("tab"):
            out.append("\t")
        elif tag in (_q("br"), _q("cr")):
            out.append("\n")
        elif tag == _q("noBreakHyphen"):
            out.append("-")
    return "".join(out)


def _in_fallback(node: Any, stop: Any) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == f"{{{MC}}}Fallback":
            return True
        parent = parent.getparent()
    return False


def _tc_props(tc: Any) -> tuple[str | None, str | None]:
    """(vMerge value, legacy hMerge value) of a cell; vMerge without val means continue."""
    vmerge = tc.find(f"{_q('tcPr')}/{_q('vMerge')}")
    hmerge = tc.find(f"{_q('tcPr')}/{_q('hMerge')}")
    v = None if vmerge is None else (vmerge.get(_q("val")) or "continue")
    h = None if hmerge is None else (hmerge.get(_q("val")) or "continue")
    return v, h


def _cell_text(tc: Any) -> str:
    """A cell's paragraphs joined (wrapped/vertical labels become one label); nested tables'
    text follows in reading order."""
    parts: list[str] = []
    for child in _children(tc):
        if child.tag == _P:
            parts.append(_text(child))
        elif child.tag == _TBL:
            for row in _table_rows(child):
                parts.append(" ".join(c for c in row if c))
    return clean_cell("\n".join(parts))


def _grid_span(tc: Any) -> int:
    span = tc.find(f"{_q('tcPr')}/{_q('gridSpan')}")
    try:
        return max(1, int(span.get(_q("val")))) if span is not None else 1
    except (TypeError, ValueError):
        return 1


def _grid_before(tr: Any) -> int:
    before = tr.find(f"{_q('trPr')}/{_q('gridBefore')}")
    try:
        return max(0, int(before.get(_q("val")))) if before is not None else 0
    except (TypeError, ValueError):
        return 0


def _table_rows(tbl: Any) -> list[list[str]]:
    """Rows of printed cells: each `w:tc` once; vMerge/hMerge continuation cells skipped."""
    grid_rows: list[list[tuple[int, str]]] = []
    for tr in _children(tbl):
        if tr.tag != _TR:
            continue
        row: list[tuple[int, str]] = []
        col = _grid_before(tr)
        for tc in _children(tr):
            if tc.tag != _TC:
                continue
            start, col = col, col + _grid_span(tc)
            v, h = _tc_props(tc)
            if v == "continue" or h == "continue":
                continue
            row.append((start, _cell_text(tc)))
        grid_rows.append(row)
    return printed_rows(grid_rows)


def _blocks(body: Any) -> tuple[list[Block], int]:
    """Body paragraphs and tables in order, plus the number of drawings/pictures seen."""
    blocks: list[Block] = []
    for child in _children(body):
        if child.tag == _P:
            # a tab separates cells of a table typed as text: keep it visible as a column gap
            parts = [clean_text(part) for part in _text(child).split("\t")]
            text = "  ".join(p for p in parts if p)
            if text:
                blocks.append(text)
        elif child.tag == _TBL:
            rows = _table_rows(child)
            if rows:
                blocks.append(Table(rows=rows, source="docx"))
    pictures = sum(
        1 for el in body.iter() if isinstance(el.tag, str) and el.tag in (_q("drawing"), _q("pict"))
    )
    return blocks, pictures


def _unreadable(doc: Document, message: str) -> Document:
    doc.findings.append(Finding(check="unreadable", severity="error", stage="read", message=message))
    return doc


def _core_meta(document: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    try:
        cp = document.core_properties
        for name, value in (
            ("title", cp.title),
            ("author", cp.author),
            ("created", cp.created),
            ("modified", cp.modified),
            ("subject", cp.subject),
        ):
            if value:
                meta[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    except Exception:
        pass
    return meta


def read_docx(data: bytes) -> Document:
    """Read a DOCX's body into a Document; never raises (damage becomes an `unreadable` finding)."""
    doc = Document(content_type=_MIME)
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except (zipfile.BadZipFile, KeyError) as exc:
        return _unreadable(doc, f"not a readable DOCX package: {type(exc).__name__}: {exc}"[:300])
    except Exception as exc:
        return _unreadable(doc, f"cannot open DOCX: {type(exc).__name__}: {exc}"[:300])
    doc.meta = _core_meta(document)
    try:
        doc.blocks, pictures = _blocks(body)
    except Exception as exc:
        return _unreadable(doc, f"cannot read DOCX body: {type(exc).__name__}: {exc}"[:300])
    if pictures and not doc.blocks:
        doc.findings.append(
            Finding(
                check="image_only",
                severity="warn",
                stage="read",
                message=f"DOCX body is {pictures} picture(s) and no text (a scan pasted into Word?)",
            )
        )
    elif pictures and not doc.tables():
        doc.findings.append(
            Finding(
                check="image_in_page",
                severity="warn",
                stage="read",
                message=f"DOCX has {pictures} picture(s) and no table (tables pasted as images?); pictures beside text are not OCR'd",
            )
        )
    return doc
