"""Pre-2019 facts: sentences and ad-hoc 统计表 in, facts out; traps (letters, platforms, percentages) stay out."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ogi.model import Block, Table
from ogi.parse.facts import extract_facts
from ogi.reference.keys import FACT_KEYS
from ogi.text.numerals import chinese_int


def facts_of(*blocks: Block) -> dict[tuple[str, str], int | float]:
    """(key, period) → value, for compact assertions."""
    return {(f.key, f.period): f.value for f in extract_facts(list(blocks), "body")}


def year(**values: int | float) -> dict[tuple[str, str], int | float]:
    return {(k, "year"): v for k, v in values.items()}


# --- how reports phrase the figures ----------------------------------------------------------------

@pytest.mark.parametrize(("text", "want"), [
    ("2012年，全市各级行政机关共主动公开政府信息45873条，其中通过政府网站公开21564条，通过政府公报公开1203条。",
     year(proactive_items=45873)),
    ("二〇一七年，区政府全年主动公开政府信息1,326条，其中通过区政府门户网站公开980条。", year(proactive_items=1326)),
    ("2018年,全市各级行政机关主动公开政府信息 78246条,政府网站公开信息64675条。", year(proactive_items=78246)),
    ("2017年，市政府累计公开政务信息10180条，其中市本级政府文件14条。", year(proactive_items=10180)),
    ("通过政府网站、政府公报、新闻发布会等渠道主动公开政府信息5678条。", year(proactive_items=5678)),
    ("主动公开政府信息数：3260条", year(proactive_items=3260)),
    ("全年共受理政府信息公开申请216件。", year(requests_received=216)),
    ("2017年受理政府信息公开申请共7件，均依法按期答复。", year(requests_received=7)),
    ("本年度共受理公民、法人和其他组织提出的政府信息公开申请58件。", year(requests_received=58)),
    ("全年共受理依申请公开事项18件。", year(requests_received=18)),
    ("全年共受理依申请政府信息公开42件，办结42件。", year(requests_received=42)),
    ("政府信息公开申请数为42件。", year(requests_received=42)),
    ("全年共收到42件政府信息公开申请，其中32件予以公开，5件部分公开，2件不予公开。",
     year(requests_received=42, requests_granted=32, requests_partially_granted=5, requests_denied=2)),
    ("全年共受理政府信息公开申请12件，其中同意公开9件，部分公开2件，不予公开1件，按时答复率100%。",
     year(requests_received=12, requests_granted=9, requests_partially_granted=2, requests_denied=1)),
    ("答复申请中，“同意公开”498件，“同意局部公开”8件，“不予公开”13件。",
     year(requests_granted=498, requests_partially_granted=8, requests_denied=13)),
    ("本机关全年共受理政府信息公开申请12件，其中按时办结10件，延期办结2件。",
     year(requests_received=12, requests_completed_on_time=10, requests_completed_extended=2)),
    ("全年共受理政府信息公开申请十二件，其中同意公开十件。", year(requests_received=12, requests_granted=10)),
    ("全年共收取检索、复制、邮寄等费用320元，对3名经济困难的申请人减免了相关费用。", year(fees_charged=320)),
    ("本年度收取政府信息公开费用0元。", year(fees_charged=0)),
    ("依申请提供政府信息时，全年未收取任何费用。", year(fees_charged=0)),
    ("依申请公开收费为零。", year(fees_charged=0)),
    ("全市受理政府信息公开行政复议案件20件。其中，维持具体行政行为1件，占总数5%；被依法纠错12件，占总数60%；其他情形数7件，占总数35%。",
     year(review_cases=20, review_upheld=1, review_corrected=12, review_other=7)),
    ("全市各级法院审理政府信息公开行政诉讼案件3件。其中，维持具体行政行为或驳回原告诉讼请求2件，被依法纠错1件。",
     year(litigation_cases=3, litigation_upheld=2, litigation_corrected=1)),
    ("因政府信息公开引发行政复议3起，其中维持2起，纠错1起；行政诉讼2起，其中驳回原告诉讼请求1起，其他情形1起。",
     year(review_cases=3, review_upheld=2, review_corrected=1, litigation_cases=2, litigation_upheld=1,
          litigation_other=1)),
    ("因政府信息公开申请提起行政复议和行政诉讼各1件。", year(review_cases=1, litigation_cases=1)),
    ("因政府信息公开申请引起的行政复议、行政诉讼分别为3件和1件。", year(review_cases=3, litigation_cases=1)),
    ("本年度未发生因政府信息公开申请提起的政府信息公开行政复议和行政诉讼案件，行政复议0件，行政诉讼0件。",
     year(review_cases=0, litigation_cases=0)),
    ("全年没有发生涉及政府信息公开的行政复议，发生政府信息公开行政诉讼1件。", year(review_cases=0, litigation_cases=1)),
    ("2015年，我局共依申请公开12件。", year(requests_received=12)),
    ("全年共有42人次提出政府信息公开申请。", year(requests_received=42)),
    ("全年共收取信息检索费、复制费等共计120元。", year(fees_charged=120)),
    ("全年未收到政府信息公开申请。", year(requests_received=0)),
    ("全年无依申请公开事项。", year(requests_received=0)),
])
def test_sentence_phrasings(text: str, want: dict[tuple[str, str], int]) -> None:
    assert facts_of(text) == want


@pytest.mark.parametrize("text", [
    "“市长信箱”全年共受理群众来信4402件，按时办结4400件，办结率98.6%。",  # letters are not requests
    "全年接待群众来访咨询56件次。",
    "全年受理政府信息公开咨询120件。",
    "全年办理人大代表建议112件，按时办结112件。",
    "全年办理行政复议案件56件。",  # not about 政府信息公开
    "市政府门户网站全年发布信息8962条，网站总访问量达1620万人次。",
    "2018年，我市门户网站“政府信息公开发布平台”主动公开政府信息3510条。",  # one platform
    "在公共资源配置领域主动公开政府信息764条。",  # one field
    "全年通过网上受理政府信息公开申请9件。",  # one channel
    "全年主动公开政府信息3000余条。",  # an approximation is not a printed count
    "全年主动公开政府信息1.2万条。",
    "共受理政府信息公开申请数同比增长5%，同意公开率为85%。",  # percentages
    "全年共办结政府信息公开申请40件。",  # completed, not received
    "我局严格按照《条例》规定受理和答复政府信息公开申请。",  # no figure
    "建立了保密审查、依申请公开等五项工作制度。",
    "申请人对未予公开的决定不服提起政府信息公开行政复议，经复议维持原决定。",
    "未发生政府信息公开行政诉讼败诉案件。",  # no lost suits is not no suits
    "全年组织业务培训6次，培训人员420人次。",
    "全年共受理行政许可申请1234件。",
    "全年共受理申请1234件，办结率100%。",  # 申请 of what? not said
])
def test_traps_are_not_facts(text: str) -> None:
    assert facts_of(text) == {}


def test_the_first_whole_body_statement_wins() -> None:
    got = facts_of("全年通过门户网站主动公开政府信息980条。", "全年共主动公开政府信息1326条。",
                   "全市共受理政府信息公开申请386件。", "其中，市本级受理政府信息公开申请120件。",
                   "2018年全市受理政府信息公开申请400件。")
    assert got == year(proactive_items=1326, requests_received=386)


def test_cumulative_statements_keep_their_period() -> None:
    got = facts_of("2016年共主动公开政府信息3260条；《条例》实施以来累计公开政府信息25847条。",
                   "自2008年《条例》实施以来，累计受理政府信息公开申请317件。")
    assert got == {("proactive_items", "year"): 3260, ("proactive_items", "cumulative"): 25847,
                   ("requests_received", "cumulative"): 317}
    assert facts_of("截至2016年底，累计主动公开政府信息25847条。") == {("proactive_items", "cumulative"): 25847}


def test_headings_give_context() -> None:
    # Outcomes in a sentence of their own, under the section about requests.
    got = facts_of("二、依申请公开情况", "（二）答复情况", "同意公开的有32件，同意部分公开的有5件，不予以公开的3件。")
    assert got == year(requests_granted=32, requests_partially_granted=5, requests_denied=3)
    # Without it, 同意公开 could be anything.
    assert facts_of("同意公开的有32件。") == {}
    # A section that answers its own heading with "none".
    assert facts_of("四、因政府信息公开申请提起行政复议、行政诉讼情况", "本年度无此类情况。") == year(
        review_cases=0, litigation_cases=0)
    assert facts_of("四、政府信息公开的收费及减免情况", "无。") == year(fees_charged=0)
    assert facts_of("三、政府信息公开的收费及减免情况", "全年未收取任何费用。") == year(fees_charged=0)
    assert facts_of("一、概述", "政务服务中心办理事项未收取任何费用。") == {}
    assert facts_of("五、行政复议和行政诉讼情况", "行政复议和行政诉讼案件均为零。") == year(review_cases=0, litigation_cases=0)
    assert facts_of("三、依申请公开情况", "全年共收到申请42件，均已按时答复。") == year(requests_received=42)


# --- totals, not their parts; what is not a request ---------------------------------------------------


@pytest.mark.parametrize(("text", "want"), [
    # the subgroup before the total, in one sentence (the issue's own example)
    ("2015年，区直、县直各单位主动公开政府信息303条，全县共主动公开政府信息425条。", year(proactive_items=425)),
    ("2015年，全县共主动公开政府信息425条，其中县政府主动公开政府信息122条，区直、县直各单位主动公开政府信息303条。",
     year(proactive_items=425)),
    ("全年各乡镇主动公开政府信息1200条，县直部门主动公开政府信息800条，全县合计主动公开政府信息2000条。",
     year(proactive_items=2000)),
    # the whole area's own total, listing its parts, is a total
    ("全县各乡镇、各部门共受理政府信息公开申请56件，其中县政府办公室受理12件。", year(requests_received=56)),
    ("全市各级行政机关主动公开政府信息78246条。", year(proactive_items=78246)),
    # 作为依申请公开信息: items marked for disclosure on request, not requests
    ("全年主动公开政府信息1520条，作为依申请公开信息数46条。", year(proactive_items=1520)),
    ("本年度我局主动公开政府信息数120条，其中作为依申请公开信息数46条，不予公开信息数3条。", year(proactive_items=120)),
    # consultations and letters are not requests; the request count beside them is
    ("全年共受理政府信息公开咨询320人次，受理政府信息公开申请12件。", year(requests_received=12)),
    ("全年接待群众来信来访82件，受理依申请公开3件。", year(requests_received=3)),
    # two outcomes stated together are neither one
    ("办结依申请公开81件，其中：予以公开及部分公开42件，占51.85%；不予公开5件，占6.17%。", year(requests_denied=5)),
    # 历年累计 stays cumulative beside the year's figure
    ("自2008年以来，累计主动公开政府信息12000条，2016年主动公开政府信息1500条。",
     {("proactive_items", "cumulative"): 12000, ("proactive_items", "year"): 1500}),
])
def test_totals_not_parts_and_what_is_no_request(text: str, want: dict[tuple[str, str], int]) -> None:
    assert facts_of(text) == want


@pytest.mark.parametrize("text", [
    "全年各乡镇共受理政府信息公开申请20件。",  # one group of bodies: a part of the total
    "区直、县直各单位主动公开政府信息303条。",
    "市本级主动公开政府信息560条。",
    "全年作为依申请公开信息46条。",
])
def test_a_part_alone_is_no_total(text: str) -> None:
    assert facts_of(text) == {}


def test_the_reports_own_statistics_table_wins_over_its_prose() -> None:
    """The issue's case: prose marks 46 items for disclosure on request; the 统计表 says no request was received."""
    table = Table([["统计指标", "单位", "本年度"], ["主动公开政府信息数", "条", "425"],
                   ["受理依申请公开信息总数", "件", "0"]])
    got = facts_of("2016年，区直、县直各单位主动公开政府信息303条，全县共主动公开政府信息425条，作为依申请公开信息数46条。",
                   table)
    assert got == year(proactive_items=425, requests_received=0)


def test_fact_fields() -> None:
    sentence = "全年共收取检索、复制费用1.5万元。"
    (fact,) = extract_facts(["四、政府信息公开的收费及减免情况", sentence], "jurisdiction")
    assert (fact.key, fact.value, fact.unit, fact.period, fact.scope, fact.evidence) == (
        "fees_charged", 1.5, "万元", "year", "jurisdiction", sentence)


@pytest.mark.parametrize(("text", "value"), [("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105),
                                             ("两千三百", 2300), ("〇", 0), ("三四", None), ("十十", None), ("", None)])
def test_chinese_numerals(text: str, value: int | None) -> None:
    assert chinese_int(text) == value


# --- ad-hoc statistics tables ------------------------------------------------------------------

WUYUAN = [
    ["统 计 指 标", "单位", "本年度", "历年累计"],
    ["主动公开政府信息数", "条", "3260", "25847"],
    ["其中：政府网站公开数", "条", "2980", "21035"],
    ["受理政府信息公开申请数", "件", "42", "317"],
    ["其中：同意公开数", "件", "30", "226"],
    ["同意部分公开数", "件", "5", "31"],
    ["不予公开数", "件", "2", "18"],
    ["政府信息公开行政复议数", "件", "1", "6"],
    ["政府信息公开行政诉讼数", "件", "0", "3"],
    ["依申请公开收费金额", "元", "0", "120"],
]
WUYUAN_FACTS = {
    **{(k, "year"): v for k, v in [("proactive_items", 3260), ("requests_received", 42), ("requests_granted", 30),
                                   ("requests_partially_granted", 5), ("requests_denied", 2), ("review_cases", 1),
                                   ("litigation_cases", 0), ("fees_charged", 0)]},
    **{(k, "cumulative"): v for k, v in [("proactive_items", 25847), ("requests_received", 317),
                                         ("requests_granted", 226), ("requests_partially_granted", 31),
                                         ("requests_denied", 18), ("review_cases", 6), ("litigation_cases", 3),
                                         ("fees_charged", 120)]},
}


@pytest.mark.parametrize("rendering", ["html", "pipes", "markdown", "spaces", "single_spaces", "cell_per_line",
                                       "label_line_apart"])
def test_statistics_table_in_every_rendering(rendering: str) -> None:
    """本年度 / 历年累计 columns → period year / cumulative; 其中：政府网站公开数 is a platform, not a fact."""
    rows = WUYUAN
    blocks: list[Block] = {
        "html": lambda: [Table(rows)],
        "pipes": lambda: [" | ".join(r) for r in rows],
        "markdown": lambda: ["| " + " | ".join(r) + " |" for r in rows[:1]] + ["|---|---|---|---|"]
        + ["| " + " | ".join(r) + " |" for r in rows[1:]],
        "spaces": lambda: ["  ".join(r) for r in rows],
        "single_spaces": lambda: [" ".join(c.replace(" ", "") for c in r) for r in rows],
        "cell_per_line": lambda: [c + " |" for r in rows for c in r],
        # PDF text with the label column wrapped: the label on a line, its unit and numbers on the next
        "label_line_apart": lambda: [" ".join(c.replace(" ", "") for c in rows[0])]
        + [x for r in rows[1:] for x in (r[0], " ".join(r[1:]))],
    }[rendering]()
    got = facts_of("本年度政府信息公开各项数据详见下表。", "婺源县人民政府2016年度政府信息公开情况统计表", *blocks,
                   "三、存在的问题和改进措施")
    assert got == WUYUAN_FACTS


def test_statistics_table_evidence_and_units() -> None:
    facts = {(f.key, f.period): f for f in extract_facts([Table(WUYUAN)], None)}
    fee = facts[("fees_charged", "cumulative")]
    assert (fee.value, fee.unit, fee.evidence) == (120, "元", "依申请公开收费金额 | 元 | 0 | 120")
    assert facts[("proactive_items", "year")].unit == "条"


TEMPLATE = [r.split("\t") for r in """\
统 计 指 标\t单位\t统计数
一、主动公开情况\t——\t——
（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）\t条\t1234
其中：主动公开规范性文件数\t条\t36
2.政府网站公开政府信息数\t条\t1100
三、依申请公开情况\t——\t——
（一）收到申请数\t件\t42
1.当面申请数\t件\t10
3.网络申请数\t件\t30
（二）申请办结数\t件\t42
1.按时办结数\t件\t40
2.延期办结数\t件\t2
2.同意公开答复数\t件\t20
3.同意部分公开答复数\t件\t6
4.不同意公开答复数\t件\t3
其中：涉及国家秘密\t件\t1
四、行政复议数量\t件\t3
（一）维持具体行政行为数\t件\t2
（二）被依法纠错数\t件\t1
（三）其他情形数\t件\t0
五、行政诉讼数量\t件\t1
（一）维持具体行政行为或者驳回原告诉讼请求数\t件\t1
（二）被依法纠错数\t件\t0
（三）其他情形数\t件\t0
六、举报投诉数量\t件\t5
（一）维持具体行政行为数\t件\t4
（二）被纠错数\t件\t1
七、依申请公开信息收取的费用\t万元\t0.02
（四）政府信息公开专项经费\t万元\t3.5""".splitlines()]


def test_the_old_national_statistics_template() -> None:
    """Sub-items (channels, platforms) are not facts; 举报投诉 outcomes do not leak into 行政诉讼."""
    facts = {(f.key, f.period): (f.value, f.unit) for f in extract_facts([Table(TEMPLATE)], "body")}
    assert facts == {(k, "year"): v for k, v in {
        "proactive_items": (1234, "条"), "requests_received": (42, "件"), "requests_completed_on_time": (40, "件"),
        "requests_completed_extended": (2, "件"), "requests_granted": (20, "件"),
        "requests_partially_granted": (6, "件"), "requests_denied": (3, "件"), "review_cases": (3, "件"),
        "review_upheld": (2, "件"), "review_corrected": (1, "件"), "review_other": (0, "件"),
        "litigation_cases": (1, "件"), "litigation_upheld": (1, "件"), "litigation_corrected": (0, "件"),
        "litigation_other": (0, "件"), "fees_charged": (Decimal("0.02"), "万元")}.items()}


def test_table_columns_that_are_not_the_report_year() -> None:
    rows = [["项目", "2016年", "2015年", "同比增长"], ["主动公开政府信息数（条）", "3260", "3001", "8.6%"]]
    assert facts_of(Table(rows)) == year(proactive_items=3260)
    # Two values and no header: which is which is unknown, so neither is a fact.
    assert facts_of(Table([["主动公开政府信息数", "3260", "25847"]])) == {}
    # A blank cell is not a printed 0.
    assert facts_of(Table([["统计指标", "本年度", "历年累计"], ["受理政府信息公开申请数", "", "317"]])) == {
        ("requests_received", "cumulative"): 317}


def test_table_rows_come_before_prose() -> None:
    got = facts_of("全年共主动公开政府信息3000条。", Table([["主动公开政府信息数", "条", "3260"]]))
    assert got == year(proactive_items=3260)


# --- robustness ------------------------------------------------------------------------------------

_WORDS = ["受理", "政府信息公开", "申请", "主动公开", "信息", "行政复议", "行政诉讼", "维持", "纠错", "其他情形", "同意公开",
          "部分公开", "不予公开", "未", "收取", "费用", "元", "件", "条", "，", "。", "|", "  ", "1,326", "0", "十二", "历年累计",
          "本年度", "其中", "万", "%", "（", "）", "一、", "情况", "无"]
_TEXT = st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=6)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_TEXT, st.lists(st.lists(_TEXT, max_size=5), max_size=6).map(Table)), max_size=8))
def test_random_blocks_never_raise(blocks: list[Block]) -> None:
    for fact in extract_facts(blocks, "body"):
        assert fact.key in FACT_KEYS
        assert fact.period in ("year", "cumulative")
        assert isinstance(fact.value, Decimal) and fact.value >= 0  # exact: never a float
        assert fact.evidence


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_random_text_never_raises(text: str) -> None:
    extract_facts([text, *text.splitlines()], None)


# --- the labelled prose cases, read straight (whatever the format detection says) ----------------

CORPUS_CASES = Path(__file__).resolve().parent / "corpus"
PROSE_CASES = sorted(p for p in CORPUS_CASES.iterdir() if (p / "labels.json").is_file()
                     and json.loads((p / "labels.json").read_text(encoding="utf-8"))["rendering"] == "prose_pre2019")


@pytest.mark.parametrize("case", PROSE_CASES, ids=lambda p: p.name)
def test_labelled_prose_cases(case: Path) -> None:
    """Exactly the labelled facts: none missing, none spurious."""
    from ogi.parse.report import read_and_clean

    labels = json.loads((case / "labels.json").read_text(encoding="utf-8"))
    doc_path = next(p for p in case.iterdir() if p.name.startswith("document."))
    doc = read_and_clean(doc_path.read_bytes(), str(doc_path))
    want = {(f["key"], f.get("period", "year")): f["value"] for f in labels["facts"]}
    assert facts_of(*doc.blocks) == want


@pytest.mark.parametrize(("blocks", "want"), [
    # zero statements as real pre-2019 reports print them (realcorpus cases rr03, rr06, rr23)
    (["二、依申请公开信息的情况和不予公开信息的情况", "2013年度没有依申请公开信息的情况。不予公开信息有10条。"],
     year(requests_received=0)),
    (["三、信息公开的收费及减免情况", "2013年度没有关于信息公开的收费及减免情况。"], year(fees_charged=0)),
    (["未收到要求公开其它信息的申请,也不存在不予公开政府信息。"], year(requests_received=0)),
    (["三、政府信息公开的收费及减免情况", "我街道未对任何公民、法人和组织收取任何费用。"], year(fees_charged=0)),
    (["1、依申请公开情况:目前我乡尚未收到政府信息公开申请。"], year(requests_received=0)),
    # the count before its object, 起 as the unit (rr02)
    (["2014年,我局收到12起政府信息依申请公开,均严格按程序和时限办理。"], year(requests_received=12)),
    # a review application is not an information request
    (["全年未收到政府信息公开行政复议申请。"], year(review_cases=0)),
])
def test_phrasings_of_real_reports(blocks: list[str], want: dict[tuple[str, str], int]) -> None:
    assert facts_of(*blocks) == want
