"""Whole pages on one line (crawler archives): sections, labels and runs of digits found inside the line.

The three real 平潭 samples are in the labelled corpus (rc01..rc03) and scored by `ogi accuracy`;
these tests pin the mechanism on real-shaped pieces of such lines.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from ogi.parse.report import parse_bytes
from ogi.parse.tables import segment
from ogi.parse.tables.reader import read_tables

CORPUS = Path(__file__).resolve().parent / "corpus"


def pieces(text: str) -> list[str]:
    return [f"<{p.text}>" if p.run else p.text for p in segment.table_pieces(text)]


def test_the_next_rows_label_number_is_taken_off_the_run() -> None:
    """`…信息4910000502.没有…` is the run 491000050 and the label 2.没有…"""
    got = pieces("1.本机关不掌握相关政府信息4910000502.没有现成信息需要另行制作00000003.补正后申请内容仍不明确0000000")
    assert got == ["1.本机关不掌握相关政府信息", "<491000050>", "2.没有现成信息需要另行制作", "<0000000>",
                   "3.补正后申请内容仍不明确", "<0000000>"]


def test_bracketed_and_section_numbers_are_labels_not_runs() -> None:
    assert pieces("（三）不予公开（1）属于国家秘密0000000（2）其他法律行政法规禁止公开0000000") == [
        "（三）不予公开", "（1）属于国家秘密", "<0000000>", "（2）其他法律行政法规禁止公开", "<0000000>"]
    assert pieces("第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件77132470") == [
        "第二十条第（一）项", "信息内容本年制发件数本年废止件数现行有效件数", "规章", "<000>", "行政规范性文件", "<77132470>"]


def test_a_line_is_cut_at_the_standard_headings_and_prose_stays_prose() -> None:
    line = ("一、总体情况 2023年全区接收政府信息公开申请共计81件，其中：予以公开及部分公开42件。 二、主动公开政府信息情况"
            "第二十条第（五）项信息内容本年处理决定数量行政许可2629 三、收到和处理政府信息公开申请情况申请人情况")
    assert segment.heading_pieces(line) == [
        "一、总体情况 2023年全区接收政府信息公开申请共计81件，其中：予以公开及部分公开42件。", "二、主动公开政府信息情况",
        "第二十条第（五）项信息内容本年处理决定数量行政许可2629", "三、收到和处理政府信息公开申请情况", "申请人情况"]
    assert segment.is_heading("四、政府信息公开行政法复议、行政诉讼情况")  # the 2022 sample's own misprint


def test_a_space_inside_a_run_is_a_cell_boundary_readings_must_keep() -> None:
    """`500000 5`: the reading of the seven cells must cut where the page prints a space."""
    line = ("二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计一、本年新收政府信息公开申请数量"
            "500000 5二、上年结转政府信息公开申请数量0000000 四、政府信息公开行政复议、行政诉讼情况 五、存在的主要问题及改进情况"
            + "。" * 200)
    cells = {(c.row, c.col): c for c in read_tables([line]).cells if c.table == "requests"}
    assert [cells[("new_received", c)].raw for c in ("natural_person", "other_org", "total")] == ["5", "0", "5"]


def test_the_real_samples_place_no_figure_but_by_evidence() -> None:
    """Where a run has two readings the row sum allows, a figure is left unplaced or settled by an identity."""
    for case in ("rc01_pingtan_2023_crawler", "rc02_pingtan_2022_crawler", "rc03_pingtan_2021_crawler"):
        labels = json.loads((CORPUS / case / "labels.json").read_text(encoding="utf-8"))
        report = parse_bytes((CORPUS / case / "document.txt").read_bytes(), "document.txt")
        got = {(c.table, c.row, c.col): c for c in report.cells if c.raw is not None}
        for cell in labels["cells"]:
            placed = got.get((cell["table"], cell["row"], cell["col"]))
            if placed is not None:
                assert placed.value == Decimal(str(cell["value"])), (case, cell)
        assert report.format == "2021"
    # 77132470 (行政规范性文件, 2023): the prose states 制发77件 (and a 现行有效 figure no reading has):
    # 77 is placed, the rest stays unplaced
    report = parse_bytes((CORPUS / "rc01_pingtan_2023_crawler" / "document.txt").read_bytes(), "document.txt")
    normative = {c.col: c for c in report.cells if c.row == "normative_documents"}
    assert set(normative) == {"issued"} and normative["issued"].raw == "77"
    assert normative["issued"].placement == "inferred"
    assert any(f.check == "unplaced_value" and f.row == "normative_documents" for f in report.findings)
    # 220000022 / 191000020 have two readings each under I3; I2 over the columns settles them
    granted = {c.col: c.raw for c in report.cells if c.row == "granted"}
    assert granted == {"natural_person": "22", "commercial": "0", "research": "0", "social_org": "0",
                       "legal_service": "0", "other_org": "0", "total": "22"}
