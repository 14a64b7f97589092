"""Plain text (crawler output, pasted reports) → Document of lines."""

from __future__ import annotations

from ogi.model import Document, Finding
from ogi.read.html import encoding_findings
from ogi.text.encoding import decode


def read_text(data: bytes, content_type: str | None = None) -> Document:
    text, encoding = decode(data, content_type)
    doc = Document(encoding=encoding, content_type=content_type or "text/plain")
    doc.findings.extend(encoding_findings(data, text, encoding))
    # A tab-separated row keeps its empty cells: only spaces around it go, never its tabs.
    doc.blocks = [line.strip(" \r\n\f\v\u3000\xa0") if "\t" in line else line.strip()
                  for line in text.splitlines() if line.strip()]
    if not doc.blocks:
        doc.findings.append(Finding("empty_document", "error", "the document has no text", stage="read"))
    return doc
