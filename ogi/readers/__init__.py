"""Readers: raw bytes of any format → Document (text lines and tables in reading order)."""

from __future__ import annotations

from ogi.model import Document, Finding


def read_document(data: bytes, uri: str | None = None, content_type: str | None = None) -> Document:
    """Pick the reader from the bytes (magic first, then name and content type). Never raises."""
    from ogi.readers.html import read_html
    from ogi.readers.office import read_attachment, sniff
    from ogi.readers.text import read_text

    try:
        doc = read_attachment(data, uri, content_type)
        if doc is not None:
            return doc
        if sniff(data, uri, content_type) == "html":
            return read_html(data, content_type)
        return read_text(data, content_type)
    except Exception as exc:  # a reader bug must not take the partition down: record it
        doc = Document(content_type=content_type)
        doc.findings.append(Finding("reader_error", "error", f"{type(exc).__name__}: {exc}", stage="read"))
        return doc
