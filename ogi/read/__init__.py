"""Read + cleanup: raw bytes of any format → Document (text lines and tables in reading order).

One dispatcher for every format: the bytes decide (magic first, then name and content type),
because extensions and Content-Types lie. Each reader feeds the same table path.
"""

from __future__ import annotations

from ogi.model import Document, Finding


def read_document(data: bytes, uri: str | None = None, content_type: str | None = None) -> Document:
    """The reader the bytes call for. Never raises: a reader bug becomes a `reader_error` finding."""
    from ogi.read.sniff import read_other, sniff

    try:
        kind = sniff(data, uri, content_type)
        if kind == "html":
            from ogi.read.html import read_html

            return read_html(data, content_type)
        if kind == "text":
            from ogi.read.text import read_text

            return read_text(data, content_type)
        if kind == "pdf":
            from ogi.read.pdf import read_pdf

            doc = read_pdf(data)
        elif kind == "docx":
            from ogi.read.docx import read_docx

            doc = read_docx(data)
        else:
            doc = read_other(data, kind, uri)
        if uri:
            doc.meta.setdefault("source_name", uri)
        return doc
    except Exception as exc:  # a reader bug must not take the partition down: record it
        doc = Document(content_type=content_type)
        doc.findings.append(Finding("reader_error", "error", f"{type(exc).__name__}: {exc}", stage="read"))
        return doc
