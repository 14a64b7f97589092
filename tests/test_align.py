"""Labels and numbers aligned to the template grid, whatever the rendering did to the rows.

Each test prints one requests table (or part of one) the way a real pipeline does — PDF-to-markdown
conversions, one cell per line, PDF text — and checks that every placed number is the one printed in
that row, and that what the printed structure does not settle is left unplaced with a finding.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from template_labels import GROUPS, LABELS

from ogi.model import Cell
from ogi.parse.tables.reader import read_tables
from ogi.reference import keys

ROWS = keys.request_rows("2021")


def table() -> dict[str, list[str]]:
    """A consistent 2021 requests table (I1–I3 hold), every row different so a misplaced row shows."""
    outcome = [r for r in ROWS if r not in ("new_received", "carried_over", "total_processed", "carried_forward")]
    rows: dict[str, list[int]] = {r: [k + 1, k % 3, 0, 0, k % 2, 0] for k, r in enumerate(outcome)}
    rows["carried_over"] = [2, 0, 0, 0, 0, 0]
    rows["carried_forward"] = [3, 1, 0, 0, 0, 0]
    rows["total_processed"] = [sum(rows[r][c] for r in outcome) for c in range(6)]
    rows["new_received"] = [rows["total_processed"][c] + rows["carried_forward"][c] - rows["carried_over"][c]
                            for c in range(6)]
    return {r: [str(v) for v in [*rows[r], sum(rows[r])]] for r in ROWS}


T = table()
HEAD = ["三、收到和处理政府信息公开申请情况"]
TAIL = ["四、政府信息公开行政复议、行政诉讼情况"]


def md(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def md_row(row: str, *, group: bool = True) -> str:
    cells = ([GROUPS[row]] if group and row in GROUPS else []) + [LABELS[row], *T[row]]
    return md(*cells)


HEADER_MD = [md("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"), md(*["---"] * 2),
             md("自然人", "法人或其他组织", "总计"), md("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")]


def requests_of(blocks: list[str]) -> tuple[dict[tuple[str, str], Cell], list]:
    read = read_tables(HEAD + blocks + TAIL)
    return {(c.row, c.col): c for c in read.cells if c.table == "requests"}, read.findings


def assert_never_misplaced(cells: dict[tuple[str, str], Cell]) -> None:
    """Every placed number is the one printed in its row and column."""
    for (row, col), c in cells.items():
        assert c.raw == T[row][keys.REQUEST_COLS.index(col)], (row, col, c.raw)


def assert_all_read(cells: dict[tuple[str, str], Cell]) -> None:
    assert_never_misplaced(cells)
    assert {r for r, _ in cells} == set(ROWS)
    assert len(cells) == len(ROWS) * len(keys.REQUEST_COLS)


def test_plain_markdown_is_read_whole() -> None:
    cells, _ = requests_of(HEADER_MD + [md_row(r) for r in ROWS])
    assert_all_read(cells)
    assert all(c.placement == "printed" for c in cells.values())


@pytest.mark.parametrize("values_on", ["head", "tail"])
def test_labels_wrapped_mid_word(values_on: str) -> None:
    """（二）部分公 / 开（区分…）: two fragments that are nothing alone are one label, with its numbers on either line."""
    lines = HEADER_MD[:]
    for r in ROWS:
        label = LABELS[r]
        if r in ("partially_granted", "denied_third_party", "not_processed_duplicate", "other_misc") or len(label) < 6:
            cut = 5 if len(label) > 6 else 2
            head, tail = label[:cut], label[cut:]
            group = [GROUPS[r]] if r in GROUPS else []
            if values_on == "head":
                lines += [md(*group, head, *T[r]), md(*([""] * len(group)), tail, *[""] * 7)]
            else:
                lines += [md(*group, head, *[""] * 7), md(*([""] * len(group)), tail, *T[r])]
        else:
            lines.append(md_row(r))
    cells, _ = requests_of(lines)
    assert_all_read(cells)


def test_value_rows_separated_from_their_labels() -> None:
    """A label row with empty cells, then the row of numbers under it; and a block of three of each."""
    lines = HEADER_MD[:]
    block = ["not_processed_publication", "not_processed_excessive", "not_processed_confirmation"]
    for r in ROWS:
        if r in ("granted", "unavailable_unclear"):
            lines += [md(*([GROUPS[r]] if r in GROUPS else []), LABELS[r], *[""] * 7), md("", *T[r])]
        elif r == block[0]:
            lines += [md(LABELS[b], *[""] * 7) for b in block] + [md("", *T[b]) for b in block]
        elif r not in block:
            lines.append(md_row(r))
    cells, _ = requests_of(lines)
    assert_all_read(cells)
    # the block's rows got their numbers by the order of the block: not evidence for an identity
    assert all(cells[(b, c)].placement == "inferred" for b in block for c in keys.REQUEST_COLS)


def test_a_block_whose_counts_differ_places_nothing_in_a_wrong_row() -> None:
    """Three labels, two rows of numbers: which is whose is not printed."""
    block = ["not_processed_publication", "not_processed_excessive", "not_processed_confirmation"]
    lines = HEADER_MD[:]
    for r in ROWS:
        if r == block[0]:
            lines += [md(LABELS[b], *[""] * 7) for b in block] + [md("", *T[b]) for b in block[:2]]
        elif r not in block:
            lines.append(md_row(r))
    cells, findings = requests_of(lines)
    assert_never_misplaced(cells)
    assert not any(row in block for row, _ in cells)  # not even their empty cells are claimed
    assert {f.row for f in findings if f.check == "unplaced_value"} >= set(block)


def test_header_fragments_repeated_headers_and_page_footers_inside_the_table() -> None:
    lines = [md("（本列数据的勾稽关系为：第一项加第二项之和，", "申请人"), md("---", "---"),
             md("等于第三项加第四项之和）", "情况"), md("自然人", "法人或其他组织", "总计"),
             md("商业", "科研", "社会公益", "法律服务", "其他"), md("企业", "机构", "组织", "机构", "")]
    for r in ROWS:
        lines.append(md_row(r))
        if r == "not_processed_duplicate":  # a page break inside the 其他处理 group's neighbourhood
            lines += [md("— 5 —"), *HEADER_MD[2:]]
        if r == "other_unpaid_fee":  # the repeated header's 总计 / 其他 must not open rows
            lines += [md("第 6 页"), md("自然人", "法人或其他组织", "总计"), md("其他", "总计")]
    cells, _ = requests_of(lines)
    assert_all_read(cells)


def test_rows_as_little_tables_under_placeholder_headers() -> None:
    lines = HEADER_MD[:]
    for r in ROWS:
        lines += [md("项目", *[f"数据{k}" for k in range(1, 7)]), md(*["---"] * 7), md_row(r), ""]
    cells, _ = requests_of([x for x in lines if x])
    assert_all_read(cells)


def test_a_block_under_the_header_row_of_another_table() -> None:
    lines = HEADER_MD[:]
    for r in ROWS:
        if r == "denied_third_party":
            lines += [md("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"), md(*["---"] * 5)]
        if r == "unavailable_needs_creation":
            lines += [md("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"), md(*["---"] * 4)]
        lines.append(md_row(r))
    cells, _ = requests_of(lines)
    assert_all_read(cells)


def test_one_cell_per_line_without_separators() -> None:
    """Crawled text with each cell on its own line (the blank lines between them dropped)."""
    lines: list[str] = ["申请人情况", "自然人", "法人或其他组织", "总计"]
    for r in ROWS:
        lines += ([GROUPS[r]] if r in GROUPS else []) + [LABELS[r], *T[r]]
    cells, _ = requests_of(lines)
    assert_all_read(cells)


def test_one_cell_per_line_with_lone_pipes_between_cells() -> None:
    lines: list[str] = ["申请人情况", "|", "自然人", "|", "商业", "企业", "|"]
    for r in ROWS:
        for cell in ([GROUPS[r]] if r in GROUPS else []) + [LABELS[r], *T[r]]:
            lines += [cell, "|"]
    cells, _ = requests_of(lines)
    assert_all_read(cells)


def test_a_short_row_one_cell_per_line_does_not_say_where_its_blanks_are() -> None:
    """`3 |` `3 |` then a run of `|`: two printed numbers, five blank cells somewhere."""
    lines = ["申请人情况 |", "自然人 |", "法人或其他组织 |", "总计 |", "||||||"]
    lines += [LABELS["new_received"] + " |", "3 |", "3 |", "|||||||", LABELS["carried_over"] + " |",
              *[f"{v} |" for v in T["carried_over"]]]
    cells, findings = requests_of(lines)
    assert not any(row == "new_received" for row, _ in cells)
    assert [cells[("carried_over", c)].raw for c in keys.REQUEST_COLS] == T["carried_over"]
    assert any(f.check == "unplaced_value" and f.row == "new_received" for f in findings)


def test_numbers_printed_before_their_label_are_placed_by_the_row_order() -> None:
    """PDF text: a row's numbers land on the line above its label; the template's order says whose they are."""
    lines = []
    for r in ROWS:
        vals = " ".join(T[r])
        if r == "denied_process_info":
            lines += [vals, LABELS[r]]
        else:
            lines.append(f"{LABELS[r]} {vals}")
    cells, _ = requests_of(lines)
    assert_all_read(cells)
    assert cells[("denied_process_info", "total")].placement == "inferred"


def test_pdf_text_short_rows_are_placed_only_where_identities_settle_them() -> None:
    """`9 1 0 0 1 0`: six numbers, seven columns, no blank printed: I2 over the applicant columns settles it."""
    t = {r: list(v) for r, v in T.items()}
    lines = []
    for r in ROWS:
        vals = t[r]
        if r == "other_misc":
            vals = vals[:6]  # the total cell is blank in the source
        lines.append(f"{LABELS[r]} {' '.join(vals)}")
    cells, _ = requests_of(lines)
    misc = [cells[("other_misc", c)] for c in keys.REQUEST_COLS]
    assert [c.raw for c in misc] == [*T["other_misc"][:6], ""]
    assert misc[-1].value is None and all(c.placement == "inferred" for c in misc)
    assert_never_misplaced({k: v for k, v in cells.items() if k[0] != "other_misc"})


def test_an_unknown_numbered_label_keeps_its_numbers() -> None:
    """A row whose label is not the template's (a local row) never hands its numbers to the row before it."""
    lines = [f"{LABELS[r]} {' '.join(T[r])}" for r in ROWS if r != "denied_query_matter"]
    at = lines.index(next(x for x in lines if x.startswith(LABELS["denied_enforcement_file"]))) + 1
    lines.insert(at, "9.其他本地增设事项 5 0 0 0 0 0 5")
    cells, findings = requests_of(lines)
    assert_never_misplaced(cells)
    assert cells[("denied_enforcement_file", "total")].value == Decimal(T["denied_enforcement_file"][-1])
    assert any(f.check == "unplaced_value" and "5 0 0 0 0 0 5" in (f.evidence or "") for f in findings)


def test_an_unreadable_table_is_a_finding_that_says_which_and_why() -> None:
    lines = ["二、主动公开政府信息情况", "第二十条第（一）项", "信息内容 本年制发件数 本年废止件数 现行有效件数", "规章 0 0 0",
             "三、收到和处理政府信息公开申请情况", f"{LABELS['new_received']} 3 3", f"{LABELS['carried_over']} 0 0",
             f"{LABELS['granted']} 3 3", "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况"]
    read = read_tables(lines)
    missing = {f.table: f.message for f in read.findings if f.check == "missing_table"}
    assert "requests" in missing and "could be placed with evidence" in missing["requests"]
    assert "numbers with no cell positions" in missing["requests"]
    assert "review_litigation" in missing and "without any number" in missing["review_litigation"]
    cut = read_tables(lines[:4])
    assert "is not printed" in next(f.message for f in cut.findings if f.table == "requests")


def test_a_whole_grid_with_empty_cells_between_labels_and_numbers() -> None:
    """A converter printing the whole grid: a label spanning columns leaves empty cells before the numbers,
    and a row with blank trailing cells ends empty — the table's own value columns say which is which."""
    width = 9  # one group column, one label column, seven value columns
    lines = [md("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "申请人情况", *[""] * 6),
             md(*["---"] * width)]
    for r in ROWS:
        labels = ([GROUPS[r]] if r in GROUPS and r != "granted" else []) + [LABELS[r]]
        values = list(T[r])
        if r == "carried_over":
            values[-1] = ""  # its total printed blank: empty cells on both sides of the numbers
        lines.append(md(*labels, *[""] * (width - len(labels) - 7), *values))
    cells, _ = requests_of(lines)
    assert_never_misplaced({k: v for k, v in cells.items() if k[0] != "carried_over"})
    assert [cells[("carried_over", c)].raw for c in keys.REQUEST_COLS] == [*T["carried_over"][:6], ""]
    assert {r for r, _ in cells} == set(ROWS)
