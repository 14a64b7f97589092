"""Checks of a parsed report against its own source text, before anything leaves the parser.

- The source gate: every number placed as printed must occur in the document's text (a table cell or
  a line). A placed number that is nowhere in the source is a parser bug, and a wrong number is worse
  than a missing one: the cell is left out with an error finding, never published.
- Text against table: where the prose states the requests received ("收到…申请66件") and the table
  prints new_received, the two must agree; a disagreement is a finding about the source, with both.
"""

from __future__ import annotations

from ogi.model import Block, Cell, Finding, Placement, Severity, Stage, Table
from ogi.parse.facts import extract_facts
from ogi.text.normalize import squash


def _haystack(blocks: list[Block]) -> str:
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            parts.extend(squash(cell) for row in block.rows for cell in row)
        else:
            parts.append(squash(block))
    return "\x00".join(parts)


def source_gate(blocks: list[Block], cells: list[Cell]) -> tuple[list[Cell], list[Finding]]:
    """The cells whose printed text occurs in the source, and an error finding for each that does not."""
    text = _haystack(blocks)
    kept: list[Cell] = []
    findings: list[Finding] = []
    for cell in cells:
        raw = squash(cell.raw or "")
        if cell.placement != Placement.PRINTED or not raw or raw in text:
            kept.append(cell)
            continue
        findings.append(Finding("source_gate", Severity.ERROR, f"{cell.table}/{cell.row}/{cell.col} was read as "
                                f"{cell.raw!r}, which the source does not print: left out", stage=Stage.PARSE,
                                table=cell.table, row=cell.row, col=cell.col, evidence=cell.raw))
    return kept, findings


def text_against_table(blocks: list[Block], cells: list[Cell], scope: str | None) -> list[Finding]:
    """Prose figures against the table cells that state the same thing."""
    sentences = [b for b in blocks if isinstance(b, str) and "。" in b and "|" not in b]
    if not sentences:
        return []
    stated = {f.key: f for f in extract_facts(sentences, scope) if f.period == "year"}
    received = stated.get("requests_received")
    table = next((c for c in cells if (c.table, c.row, c.col) == ("requests", "new_received", "total")), None)
    if received is None or table is None or table.value is None or table.placement != Placement.PRINTED:
        return []
    if received.value == table.value:
        return []
    return [Finding("text_table_disagree", Severity.WARN,
                    f"the text states {received.value} requests received, the table prints {table.value}",
                    stage=Stage.PARSE, table="requests", row="new_received", col="total", printed=table.value,
                    expected=received.value, evidence=received.evidence)]
