"""Plain data types shared by every stage; no I/O, no Dagster.

Numbers are `Decimal` from the printed text to the Parquet column (decimal128): a count of 3 or an
amount of 59490886.67 yuan never passes through a float. The enums are `StrEnum`s, so a value
compares equal to its string and serialises as one (`Severity.WARN == "warn"`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ogi.text.numbers import json_number


class Severity(StrEnum):
    """How much a finding matters: info (recorded), warn (a fact about the source), error (a stage failed)."""

    INFO = "info"
    WARN = "warn"
    ERROR = "error"


class Stage(StrEnum):
    """Where in the chain something happened (a finding was made, a document stopped)."""

    FETCH = "fetch"
    READ = "read"
    CLEANUP = "cleanup"
    PARSE = "parse"
    METADATA = "metadata"
    IDENTITIES = "identities"
    AUTHORITY = "authority"
    NORMALIZE = "normalize"


class Placement(StrEnum):
    """How a cell's number got into its grid position.

    `printed`: read where the source prints it. `inferred`: cut from a run of digits with the help
    of an identity, so it is never evidence for that identity. `ocr`: read from a scan by OCR,
    never evidence either.
    """

    PRINTED = "printed"
    INFERRED = "inferred"
    OCR = "ocr"


class TableSource(StrEnum):
    """The rendering a table's rows came from."""

    HTML = "html"
    PDF = "pdf"
    DOCX = "docx"
    TEXT = "text"
    SPREADSHEET = "spreadsheet"
    OCR = "ocr"


@dataclass
class Finding:
    """Something found about a source or raised by a stage: never silently dropped."""

    check: str
    severity: Severity | str
    message: str
    stage: Stage | str = Stage.PARSE
    table: str | None = None
    row: str | None = None
    col: str | None = None
    printed: Decimal | None = None
    expected: Decimal | None = None
    evidence: str | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON of the record schema: enums as their strings, numbers as JSON numbers."""
        return {
            "check": self.check,
            "severity": str(self.severity),
            "message": self.message,
            "stage": str(self.stage),
            "table": self.table,
            "row": self.row,
            "col": self.col,
            "printed": json_number(self.printed),
            "expected": json_number(self.expected),
            "evidence": self.evidence,
        }


@dataclass
class Table:
    """A printed table: rows of cell texts in reading order.

    Each printed cell appears once (a rowspan/colspan cell is not repeated), so a row holds what a
    reader sees on that line. `source` says which rendering the rows came from.
    """

    rows: list[list[str]]
    source: str = TableSource.HTML


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
    """One canonical cell of a standard table (report-tables.md); `value` in yuan for money."""

    table: str
    row: str
    col: str
    value: Decimal | None
    raw: str | None
    unit: str | None = None
    unit_source: str | None = None
    placement: Placement | str = Placement.PRINTED
    confidence: float | None = None  # OCR confidence of the cell's text, 0–1; None unless placement is ocr

    def to_json(self) -> dict[str, Any]:
        return {"table": self.table, "row": self.row, "col": self.col, "value": json_number(self.value),
                "raw": self.raw, "unit": self.unit, "unit_source": self.unit_source,
                "placement": str(self.placement)}


@dataclass
class Fact:
    """A figure stated in prose (pre-2019 reports), with the sentence it came from."""

    key: str
    value: Decimal
    evidence: str
    unit: str | None = None
    period: str = "year"
    scope: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "value": json_number(self.value), "evidence": self.evidence, "unit": self.unit,
                "period": self.period, "scope": self.scope}


def report_id_for(sha256: str) -> str:
    """Stable: the same bytes give the same report id on every run and every machine."""
    return f"r{sha256[:20]}"
