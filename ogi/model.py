"""Plain data types shared by every stage; no I/O, no Dagster."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["info", "warn", "error"]


@dataclass
class Finding:
    """Something found about a source or raised by a stage: never silently dropped."""

    check: str
    severity: Severity
    message: str
    stage: str = "parse"
    table: str | None = None
    row: str | None = None
    col: str | None = None
    printed: float | None = None
    expected: float | None = None
    evidence: str | None = None

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        return d


@dataclass
class Table:
    """A printed table: rows of cell texts in reading order.

    Each printed cell appears once (a rowspan/colspan cell is not repeated), so a row holds what a
    reader sees on that line. `source` says which rendering the rows came from.
    """

    rows: list[list[str]]
    source: str = "html"


Block = str | Table


@dataclass
class Document:
    """A report after reading and cleanup: text lines and tables in reading order."""

    blocks: list[Block] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    encoding: str | None = None
    content_type: str | None = None

    def text_lines(self) -> list[str]:
        return [b for b in self.blocks if isinstance(b, str)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


@dataclass
class Cell:
    """One canonical cell of a standard table (report-tables.md)."""

    table: str
    row: str
    col: str
    value: float | int | None
    raw: str | None
    unit: str | None = None
    unit_source: str | None = None
    placement: str = "printed"  # printed | inferred (split by the identities) | ocr (read from a scan)
    confidence: float | None = None  # OCR confidence (0..1) of an "ocr" cell; None otherwise

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Fact:
    """A figure stated in prose (pre-2019 reports), with the sentence it came from."""

    key: str
    value: float | int
    evidence: str
    unit: str | None = None
    period: str = "year"
    scope: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def document_to_json(doc: Document) -> dict[str, Any]:
    """A cleaned document as plain JSON, to hand it from one pipeline stage to the next."""
    return {
        "blocks": [b if isinstance(b, str) else {"rows": b.rows, "source": b.source} for b in doc.blocks],
        "meta": doc.meta,
        "findings": [f.to_json() for f in doc.findings],
        "encoding": doc.encoding,
        "content_type": doc.content_type,
    }


def document_from_json(data: dict[str, Any]) -> Document:
    blocks: list[Block] = [b if isinstance(b, str) else Table(rows=b["rows"], source=b.get("source", "html"))
                           for b in data.get("blocks", [])]
    return Document(
        blocks=blocks,
        meta=dict(data.get("meta") or {}),
        findings=[Finding(**f) for f in data.get("findings", [])],
        encoding=data.get("encoding"),
        content_type=data.get("content_type"),
    )
