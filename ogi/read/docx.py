"""DOCX attachments → Document: paragraphs and tables in body order, merged cells once.

python-docx's `row.cells` repeats a merged cell in every grid slot it covers (and hands back the
top cell for vMerge continuations), which would duplicate labels and numbers; this reader walks
the XML instead: one `w:tc` is one printed cell, a vMerge continuation is skipped. Never raises.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from ogi.model import Block, Document, Finding, Table
from ogi.read.layout import clean_cell, clean_text, printed_rows
from ogi.read.limits import (
    MAX_INFLATED_BYTES,
    MAX_XML_ELEMENTS,
    MAX_XML_PART_BYTES,
    MAX_ZIP_ENTRIES,
    DecompressionBomb,
    TooLarge,
    finding_for,
    zip_entry_count,
)

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


def package_over_caps(data: bytes, what: str = "DOCX") -> Finding | None:
    """Why the package must not be opened: too many members, parts that declare or really inflate
    past the caps, XML with more elements than a reader should hold, or a part whose header lies
    about its size. Every part is inflated here in steps, counting bytes (and tags in XML), because
    python-docx inflates each part whole: zipfile trims the output to the declared size only after
    inflating it. None for a package to open (a zip python-docx cannot even list says so itself).
    The XLSX reader checks its packages with it too (`what` names the format in the finding)."""
    entries = zip_entry_count(data)
    if entries is not None and entries > MAX_ZIP_ENTRIES:
        return finding_for(TooLarge(f"the package has {entries} members (cap {MAX_ZIP_ENTRIES})"), f"{what} not read: ")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - not a zip python-docx can open either: it reports why
        return None
    with zf:
        infos = zf.infolist()
        declared = sum(i.file_size for i in infos)
        for info in infos:
            if _is_xml(info.filename) and info.file_size > MAX_XML_PART_BYTES:
                return finding_for(DecompressionBomb(
                    f"{info.filename} declares {info.file_size:,} bytes inflated from {info.compress_size:,} "
                    f"(cap {MAX_XML_PART_BYTES // 2**20} MiB per XML part)"), f"{what} not read: ")
        if declared > MAX_INFLATED_BYTES:
            return finding_for(DecompressionBomb(f"the parts declare {declared:,} bytes inflated "
                                                 f"(cap {MAX_INFLATED_BYTES // 2**20} MiB per document)"),
                               f"{what} not read: ")
        total = 0
        for info in infos:
            try:
                problem, inflated = _scan_part(zf, info)
            except Exception as exc:  # noqa: BLE001 - damage (bad CRC, zlib error): is the header lying?
                return _damaged_part(data, info, exc)
            total += inflated
            if problem is None and total > MAX_INFLATED_BYTES:
                problem = DecompressionBomb(f"the parts inflate past {MAX_INFLATED_BYTES // 2**20} MiB")
            if problem is not None:
                return finding_for(problem, f"{what} not read: ")
    return None


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[TooLarge | None, int]:
    """Inflate one part in 1 MiB steps: (what is over a cap or None, bytes inflated)."""
    xml = _is_xml(info.filename)
    inflated = tags = 0
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            inflated += len(chunk)
            if xml:
                tags += chunk.count(b"<")
                if inflated > MAX_XML_PART_BYTES:
                    return DecompressionBomb(f"{info.filename} inflates past {MAX_XML_PART_BYTES // 2**20} MiB"), inflated
                if tags > MAX_XML_ELEMENTS:
                    return TooLarge(f"{info.filename} holds more than {MAX_XML_ELEMENTS:,} XML elements "
                                    f"({inflated:,} bytes read so far)"), inflated
    return None, inflated


def _damaged_part(data: bytes, info: zipfile.ZipInfo, exc: Exception) -> Finding:
    """A part that fails its checks: a decompression bomb when its deflate data really inflates past
    what its header declares (measured in steps, up to the cap), otherwise damage."""
    actual = _true_inflated_size(data, info, limit=max(MAX_XML_PART_BYTES, info.file_size) + 1)
    if actual is not None and actual > info.file_size:
        more = "more than " if actual > MAX_XML_PART_BYTES else ""
        return finding_for(DecompressionBomb(
            f"{info.filename} declares {info.file_size:,} bytes but inflates to {more}{actual:,}: its header lies"),
            "DOCX not read: ")
    return Finding("unreadable", "error", f"DOCX part {info.filename} is damaged: {type(exc).__name__}: {exc}"[:300],
                   stage="read")


def _true_inflated_size(data: bytes, info: zipfile.ZipInfo, limit: int) -> int | None:
    """How far a deflated member really inflates (stops counting past `limit`); None if unknown."""
    if info.compress_type != zipfile.ZIP_DEFLATED:
        return None
    head = data[info.header_offset : info.header_offset + 30]
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        return None
    start = info.header_offset + 30 + int.from_bytes(head[26:28], "little") + int.from_bytes(head[28:30], "little")
    pending = data[start : start + info.compress_size]
    d = zlib.decompressobj(-15)
    size = 0
    try:
        while pending and size <= limit:
            size += len(d.decompress(pending, 1 << 20))
            pending = d.unconsumed_tail
    except zlib.error:
        return size
    return size


def read_docx(data: bytes) -> Document:
    """Read a DOCX's body into a Document; never raises (damage becomes an `unreadable` finding,
    a package over the caps of ogi.read.limits a `decompression_bomb` or `too_large` one)."""
    doc = Document(content_type=_MIME)
    over = package_over_caps(data)
    if over is not None:
        doc.findings.append(over)
        return doc
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
    if not pictures and not doc.blocks:
        doc.findings.append(Finding("empty_document", "error", "the DOCX body has no text, table or picture",
                                    stage="read"))
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
