"""A parsed report against its own source: the source gate, and the prose against the table."""

from __future__ import annotations

from decimal import Decimal

from ogi.model import Cell, Placement
from ogi.parse.crosscheck import source_gate, text_against_table
from ogi.parse.report import parse_bytes
from tests.conftest import CORPUS

SEED_004 = (CORPUS / "seeds" / "004_dc9309ee2353fe7a.txt").read_text(encoding="utf-8")


def test_a_number_the_source_does_not_print_is_left_out():
    blocks = ["一、本年新收政府信息公开申请数量 | 65 | 66 |"]
    printed = Cell("requests", "new_received", "total", Decimal(66), "66")
    invented = Cell("requests", "carried_over", "total", Decimal(7), "7")
    inferred = Cell("requests", "granted", "total", Decimal(3), "3", placement=Placement.INFERRED)
    kept, findings = source_gate(blocks, [printed, invented, inferred])
    assert kept == [printed, inferred]  # inferred cells are cut from runs: checked by the identities instead
    assert [(f.check, f.severity, f.row) for f in findings] == [("source_gate", "error", "carried_over")]


def test_every_placed_number_of_the_seeds_passes_the_gate():
    for path in sorted((CORPUS / "seeds").glob("*.txt")):
        report = parse_bytes(path.read_bytes(), path.name)
        assert not [f for f in report.findings if f.check == "source_gate"], path.name


def test_the_prose_and_the_table_disagree():
    text = SEED_004.replace("收到公民、法人或其他组织的政府信息公开申请66件", "收到公民、法人或其他组织的政府信息公开申请67件")
    assert text != SEED_004
    report = parse_bytes(text.encode(), "tongliao.txt")
    found = [f for f in report.findings if f.check == "text_table_disagree"]
    assert len(found) == 1
    assert (found[0].printed, found[0].expected, found[0].severity) == (Decimal(66), Decimal(67), "warn")
    assert "67件" in found[0].evidence
    agreeing = parse_bytes(SEED_004.encode(), "tongliao.txt")
    assert not [f for f in agreeing.findings if f.check == "text_table_disagree"]


def test_no_table_no_comparison():
    assert text_against_table(["共受理政府信息公开申请216件。"], [], "body") == []
