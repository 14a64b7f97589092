"""Rows printed with their cells run together (`21710000218`): cut by column count and identities.

The rule under test everywhere: a number is placed only when every reading consistent with the
table agrees on it; otherwise the row stays unplaced and a finding carries its digits.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from template_labels import GROUPS, LABELS

from ogi.model import Cell
from ogi.parse.identities import identity_rows
from ogi.parse.tables import runtogether as rt
from ogi.parse.tables.reader import read_tables
from ogi.parse.tables.tokens import split_glued
from ogi.reference import keys

LABELS_2021 = {row: GROUPS.get(row, "") + label for row, label in LABELS.items()}
ROWS_2021 = keys.request_rows("2021")
OUTCOMES_2021 = [r for r in ROWS_2021 if r not in ("new_received", "carried_over", "total_processed", "carried_forward")]


def requests_table(applicants: dict[str, list[int]]) -> dict[str, list[int]]:
    """A consistent 2021 requests table (I1, I2, I3 hold) from the outcome rows' applicant columns.

    `applicants` gives the six applicant columns of the outcome rows and of carried_over and
    carried_forward; new_received, total_processed and every total follow from the identities.
    """
    zero = [0] * 6
    rows = {r: list(applicants.get(r, zero)) for r in (*OUTCOMES_2021, "carried_over", "carried_forward")}
    rows["total_processed"] = [sum(rows[r][c] for r in OUTCOMES_2021) for c in range(6)]
    rows["new_received"] = [rows["total_processed"][c] + rows["carried_forward"][c] - rows["carried_over"][c]
                            for c in range(6)]
    return {r: [*rows[r], sum(rows[r])] for r in ROWS_2021}


def run_together_blocks(table: dict[str, list[int]], override: dict[str, str] | None = None) -> list[str]:
    """The requests table as crawler text: each row its label glued to its cells' digits."""
    override = override or {}
    lines = ["三、收到和处理政府信息公开申请情况", "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和",
             "申请人情况", "自然人法人或其他组织总计", "商业企业科研机构社会公益组织法律服务机构其他"]
    for row in ROWS_2021:
        digits = override.get(row, "".join(str(v) for v in table[row]))
        lines.append(LABELS_2021[row] + digits)
    lines.append("五、存在的主要问题及改进情况")
    return lines


def requests_cells(cells: list[Cell]) -> dict[str, list[Decimal | None]]:
    out: dict[str, list[Decimal | None]] = {}
    for c in cells:
        if c.table == "requests":
            out.setdefault(c.row, []).append(c.value)
    return out


# --- readings of one string ------------------------------------------------------------------------


def test_unique_split_under_i3():
    assert rt.sum_readings("21710000218", 7) == [("217", "1", "0", "0", "0", "0", "218")]
    assert rt.sum_readings("4000004", 7) == [("4", "0", "0", "0", "0", "0", "4")]


def test_i3_leaves_two_readings():
    assert sorted(rt.sum_readings("110000011", 7)) == [("1", "10", "0", "0", "0", "0", "11"),
                                                       ("11", "0", "0", "0", "0", "0", "11")]


def test_glued_signs_open_only_the_change_cell():
    change = [False, True, False]  # prev_year_items, change (本年增/减), decisions
    assert rt.readings("35-47", change) == [("35", "-4", "7")]
    assert rt.readings("12+30", change) == [("12", "+3", "0")]
    assert rt.readings("2648-18538", [False, True]) == [("2648", "-18538")]
    assert len(rt.readings("2648-18538", change)) == 4  # ambiguous: -1|8538, -18|538, -185|38, -1853|8
    assert rt.readings("35-47", [False, False, False]) == []  # no signed column, no reading


def test_review_row_needs_i4():
    assert rt.review_readings("12301162000200000") == [
        ("12", "3", "0", "1", "16", "2", "0", "0", "0", "2", "0", "0", "0", "0", "0")]


def test_split_glued_label():
    assert split_glued("一、本年新收政府信息公开申请数量21710000218") == ("一、本年新收政府信息公开申请数量", "21710000218")
    assert split_glued("行政许可35-47") == ("行政许可", "35-47")
    assert split_glued("2019") is None
    assert split_glued("全年共受理申请216件。") is None
    assert split_glued("共受理申请，其中办结216。") is None


def test_header_printed_without_separators():
    assert rt.header_cells("信息内容本年制发件数本年废止件数现行有效件数") == ["本年制发件数", "本年废止件数", "现行有效件数"]
    assert rt.header_cells("信息内容上一年项目数量本年增/减处理决定数量") == ["上一年项目数量", "本年增/减", "处理决定数量"]
    assert rt.header_cells("信息内容本年处理决定数量") == ["本年处理决定数量"]
    assert rt.header_cells("信息内容") is None


def test_column_identities_are_the_checked_ones():
    """The terms used to settle ambiguous rows are exactly those ogi/identities.py evaluates."""
    for fmt in ("2019", "2021"):
        rows = keys.request_rows(fmt)
        cells = [Cell("requests", r, c, value=0, raw="0") for r in rows for c in keys.REQUEST_COLS]
        checked = {(i.printed_terms, i.expected_terms) for i in identity_rows(cells) if i.identity in ("I1", "I2")}
        ours = {(" + ".join(f"{r}/{c}" for r, c in lhs), " + ".join(f"{r}/{c}" for r, c in rhs))
                for lhs, rhs in rt.column_identities(set(rows))}
        assert ours == checked


# --- whole tables ----------------------------------------------------------------------------------


def test_ambiguity_resolved_by_column_identities():
    table = requests_table({
        "granted": [30, 2, 0, 0, 1, 0],
        "not_processed_duplicate": [11, 0, 0, 0, 0, 0],  # 110000011: 11|0… or 1|10|… under I3
        "carried_over": [3, 0, 0, 0, 0, 0],
        "carried_forward": [2, 0, 0, 0, 0, 0],
    })
    assert len(rt.sum_readings("110000011", 7)) == 2
    read = read_tables(run_together_blocks(table))
    got = requests_cells(read.cells)
    assert got == {r: [Decimal(v) for v in table[r]] for r in ROWS_2021}
    assert all(c.placement == "inferred" for c in read.cells if c.table == "requests")
    assert any(f.check == "run_together" and "not_processed_duplicate" in f.message for f in read.findings)
    assert not [f for f in read.findings if f.check == "unplaced_value"]
    # identities resting on inferred cells are unverifiable, never breaks
    rows = identity_rows(read.cells)
    assert rows and all(not r.evaluable and "inferred" in (r.reason or "") for r in rows)


def test_unresolvable_ambiguity_is_a_finding_and_no_number():
    # granted and partially_granted both print 110000011; swapping their readings keeps I1/I2.
    table = requests_table({
        "granted": [11, 0, 0, 0, 0, 0],
        "partially_granted": [1, 10, 0, 0, 0, 0],
    })
    blocks = run_together_blocks(table)
    assert sum(line.endswith("110000011") for line in blocks) == 2
    read = read_tables(blocks)
    cells = {(c.row, c.col): c for c in read.cells if c.table == "requests"}
    for row in ("granted", "partially_granted"):
        # the two readings (11|0|… and 1|10|…) disagree on these two cells: neither is placed
        assert (row, "natural_person") not in cells and (row, "commercial") not in cells
        # every reading agrees on the rest, so they are placed, as inferred
        agreed = [cells[(row, c)] for c in keys.REQUEST_COLS[2:]]
        assert [c.value for c in agreed] == [0, 0, 0, 0, 11]
        assert all(c.placement == "inferred" for c in agreed)
    others = {r: v for r, v in requests_cells(read.cells).items() if r not in ("granted", "partially_granted")}
    assert others == {r: [Decimal(v) for v in table[r]] for r in others}
    unplaced = {f.row: f for f in read.findings if f.check == "unplaced_value"}
    assert set(unplaced) == {"granted", "partially_granted"}
    assert all(f.severity == "warn" and f.evidence == "110000011" for f in unplaced.values())
    assert "2 remain" in unplaced["granted"].message


def test_forced_reading_that_breaks_i3_stays_unplaced():
    table = requests_table({"granted": [3, 0, 0, 0, 0, 0]})
    read = read_tables(run_together_blocks(table, {"granted": "3000000"}))
    assert "granted" not in requests_cells(read.cells)
    finding = next(f for f in read.findings if f.check == "unplaced_value" and f.row == "granted")
    assert "breaks I3" in finding.message


def test_too_few_digits_stays_unplaced():
    table = requests_table({})
    read = read_tables(run_together_blocks(table, {"carried_over": "300003"}))  # a blank cell vanished
    assert "carried_over" not in requests_cells(read.cells)
    assert any(f.check == "unplaced_value" and f.row == "carried_over" for f in read.findings)


_ACTIVE_2019_RUNS = ["二、主动公开政府信息情况", "第二十条第（五）项", "信息内容上一年项目数量本年增/减处理决定数量",
                     "行政许可35-47", "其他对外管理服务事项1234", "第二十条第（六）项", "行政处罚12+30",
                     "第二十条第（九）项", "信息内容采购项目数量采购总金额（元）", "政府集中采购00"]


def test_active_rows_2019_with_glued_signs():
    """Where the report shows it prints every cell (a requests table without blanks), a reading fills every cell."""
    table = requests_table({"granted": [30, 2, 0, 0, 1, 0]})
    blocks = _ACTIVE_2019_RUNS + run_together_blocks(table)
    read = read_tables(blocks)
    active = {(c.row, c.col): c for c in read.cells if c.table == "active"}
    assert [(active["licensing", m].raw, active["licensing", m].value) for m in ("prev_year_items", "change", "decisions")] \
        == [("35", Decimal(35)), ("-4", Decimal(-4)), ("7", Decimal(7))]
    assert [active["penalty", m].raw for m in ("prev_year_items", "change", "decisions")] == ["12", "+3", "0"]
    assert all(c.placement == "inferred" for c in active.values())
    assert active["procurement", "amount"].unit == "元"
    # 1234 as three cells has three readings and no identity to choose: nothing placed
    assert not any(row == "other_services" for row, _ in active)
    assert any(f.check == "unplaced_value" and f.row == "other_services" and f.evidence == "1234" for f in read.findings)


def test_active_runs_without_evidence_of_printed_zeros_allow_vanished_blanks():
    """`10 | (blank) | 0` glued is `100`: without evidence that the report prints every cell, 1|0|0 is no reading to trust."""
    read = read_tables(_ACTIVE_2019_RUNS + ["三、收到和处理政府信息公开申请情况"])
    active = {(c.row, c.col): c for c in read.cells if c.table == "active"}
    # 35-47 is 35|-4|7 or 35|-47|(blank): only the cell both agree on is placed
    assert [m for (row, m) in active if row == "licensing"] == ["prev_year_items"]
    assert active["licensing", "prev_year_items"].raw == "35"
    assert any(f.check == "unplaced_value" and f.row == "licensing" for f in read.findings)
    assert rt.split_active("regulations", ["issued", "repealed", "in_force"], "100", zeros_printed=False)[0] == []
    assert [p.raw for _, p in rt.split_active("regulations", ["issued", "repealed", "in_force"], "100")[0]] \
        == ["1", "0", "0"]


def test_single_measure_row_stays_printed():
    read = read_tables(["二、主动公开政府信息情况", "第二十条第（五）项", "信息内容本年处理决定数量", "行政许可3871",
                        "三、收到和处理政府信息公开申请情况"])
    cell = next(c for c in read.cells if c.row == "licensing")
    assert (cell.raw, cell.value, cell.placement) == ("3871", Decimal(3871), "printed")


def test_review_row_run_together():
    blocks = ["四、政府信息公开行政复议、行政诉讼情况", "行政复议行政诉讼",
              "结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉", "12301162000200000",
              "五、存在的主要问题及改进情况"]
    review = [c for c in read_tables(blocks).cells if c.table == "review_litigation"]
    assert [c.raw for c in review] == ["12", "3", "0", "1", "16", "2", "0", "0", "0", "2", "0", "0", "0", "0", "0"]
    assert all(c.placement == "inferred" for c in review)


def test_review_row_ambiguous_is_unplaced():
    blocks = ["四、政府信息公开行政复议、行政诉讼情况", "结果维持结果纠正其他结果尚未审结总计",
              "11000110000000000", "五、存在的主要问题及改进情况"]
    assert len(rt.review_readings("11000110000000000")) > 1
    read = read_tables(blocks)
    assert not [c for c in read.cells if c.table == "review_litigation"]
    assert any(f.check == "unplaced_value" and f.table == "review_litigation" for f in read.findings)


# --- properties ------------------------------------------------------------------------------------

_RUNS = st.text(alphabet="0123456789", min_size=0, max_size=40)
_SIGNED_RUNS = st.text(alphabet="0123456789+-", min_size=0, max_size=30)


def _well_formed(reading: tuple[str, ...], text: str, cells: int) -> bool:
    return ("".join(reading) == text and len(reading) == cells
            and all(p.lstrip("+-") == "0" or not p.lstrip("+-").startswith("0") for p in reading))


@settings(max_examples=300, deadline=None)
@given(_RUNS)
def test_random_runs_never_raise_and_every_reading_sums(text):
    for found, cells, groups in ((rt.sum_readings(text, 7), 7, 1), (rt.review_readings(text), 15, 3)):
        assert found is None or len(found) <= rt.MAX_READINGS + 1
        for reading in found or []:
            assert _well_formed(reading, text, cells)
            size = cells // groups
            for g in range(groups):
                part = [int(p) for p in reading[g * size:(g + 1) * size]]
                assert sum(part[:-1]) == part[-1]


@settings(max_examples=300, deadline=None)
@given(_SIGNED_RUNS, st.lists(st.booleans(), min_size=1, max_size=4))
def test_random_signed_runs_never_raise(text, signed):
    found = rt.readings(text, signed)
    for reading in found or []:
        assert _well_formed(reading, text, len(signed))
        assert all(signed[k] or p[0] not in "+-" for k, p in enumerate(reading))


_COUNT = st.one_of(st.just(0), st.just(0), st.integers(0, 12), st.integers(0, 300))


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from([*OUTCOMES_2021, "carried_over", "carried_forward"]),
                       st.lists(_COUNT, min_size=6, max_size=6), max_size=8))
def test_placed_numbers_are_never_invented(applicants):
    """Whatever is placed from a consistent run-together table is the true number; the rest is a finding."""
    table = requests_table(applicants)
    if any(v < 0 for vals in table.values() for v in vals):
        return
    read = read_tables(run_together_blocks(table))
    placed: dict[str, int] = {}
    for c in read.cells:
        assert c.value == Decimal(table[c.row][keys.REQUEST_COLS.index(c.col)]), (c.row, c.col)
        placed[c.row] = placed.get(c.row, 0) + 1
    unplaced = {f.row for f in read.findings if f.check == "unplaced_value"}
    complete = {r for r, n in placed.items() if n == len(keys.REQUEST_COLS)}
    assert unplaced | complete == set(ROWS_2021)
    assert not unplaced & complete


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ROWS_2021), _SIGNED_RUNS), max_size=26))
def test_random_run_together_tables_never_raise(rows):
    blocks = ["三、收到和处理政府信息公开申请情况"] + [LABELS_2021[r] + digits for r, digits in rows]
    read = read_tables(blocks)
    by_row: dict[str, list[Cell]] = {}
    for c in read.cells:
        by_row.setdefault(c.row, []).append(c)
    for row, cells in by_row.items():
        if all(c.placement == "inferred" for c in cells):
            values = [int(c.value) for c in cells]
            assert sum(values[:-1]) == values[-1], row


def test_glued_lines_are_split_only_for_the_table_reader():
    """Other readers of the stream (prose facts) never see a run as one number."""
    from ogi.parse.tables.tokens import stream_of

    assert [t.raw for t in stream_of(["规章000"]) if t] == ["规章000"]
    assert [(t.raw, t.glued) for t in stream_of(["规章000"], unglue=True) if t] == [("规章", False), ("000", True)]
