"""Read + cleanup: raw bytes of any format → Document (text lines and tables in reading order).

One dispatcher for every format: the bytes decide (magic first, then name and content type),
because extensions and Content-Types lie. Each reader feeds the same table path: .doc/.wps/.rtf and
.xls/.et are converted by LibreOffice and read as DOCX/XLSX (ogi/read/convert.py), scans are read
by OCR (ogi/read/ocr.py). `derived` is where converted bytes and OCR readings are kept beside the
raw bytes (ogi/fetch/store.DerivedStore), so a document is converted or OCR'd once per tool version;
without it they are recomputed on every read.
"""

from __future__ import annotations

from ogi.fetch.store import DerivedStore
from ogi.model import Document, Finding


def read_document(data: bytes, uri: str | None = None, content_type: str | None = None,
                  max_bytes: int | None = None, *, derived: DerivedStore | None = None) -> Document:
    """The reader the bytes call for. Never raises: a reader bug becomes a `reader_error` finding,
    a document over `max_bytes` (default ogi.read.limits.MAX_INPUT_BYTES) a `too_large` one."""
    from ogi.read.limits import MAX_INPUT_BYTES, MAX_MARKUP_BYTES
    from ogi.read.sniff import read_other, sniff

    cap = MAX_INPUT_BYTES if max_bytes is None else max_bytes
    if len(data) > cap:
        doc = Document(content_type=content_type)
        doc.findings.append(Finding("too_large", "error", f"{len(data):,} bytes, over the {cap:,}-byte cap of a "
                                    "document: not read", stage="read"))
        return doc
    try:
        kind = sniff(data, uri, content_type)
        if kind in ("html", "text") and len(data) > min(cap, MAX_MARKUP_BYTES):
            doc = Document(content_type=content_type)
            doc.findings.append(Finding("too_large", "error", f"a {kind} page of {len(data):,} bytes, over the "
                                        f"{MAX_MARKUP_BYTES:,}-byte cap of a page: not read", stage="read"))
            return doc
        if kind == "html":
            from ogi.read.html import read_html

            return read_html(data, content_type)
        if kind == "text":
            from ogi.read.text import read_text

            return read_text(data, content_type)
        if kind == "pdf":
            from ogi.read.ocr import PdfScanReader
            from ogi.read.pdf import read_pdf

            scans = PdfScanReader(store=derived)
            doc = read_pdf(data, ocr=scans)
            scans.finish(doc)
        elif kind == "docx":
            from ogi.read.docx import read_docx

            doc = read_docx(data)
        elif kind in ("doc", "wps", "xls"):
            from ogi.read.convert import read_converted

            doc = read_converted(data, kind, store=derived)
        elif kind == "xlsx":
            from ogi.read.sheet import read_xlsx

            doc = read_xlsx(data)
        elif kind == "image":
            from ogi.read.ocr import read_image

            doc = read_image(data, store=derived)
        else:
            doc = read_other(data, kind, uri)
        if uri:
            doc.meta.setdefault("source_name", uri)
        return doc
    except Exception as exc:  # a reader bug must not take the partition down: record it
        doc = Document(content_type=content_type)
        doc.findings.append(Finding("reader_error", "error", f"{type(exc).__name__}: {exc}", stage="read"))
        return doc
