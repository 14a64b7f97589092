"""The vocabulary of pre-2019 reports: how each fact is phrased, and the words that say a figure is not one.

Shared by the statistics-table reader and the prose reader; no logic beyond the patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Arabic with or without thousands separators, or a small Chinese numeral (三件, 十二件); never 万/余.
NUM = r"(?P<n>\d{1,3}(?:,\d{3})+(?![\d.])|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"

# --- phrasing of each fact ----------------------------------------------------------------------------

# Words that may stand between a label and its figure: 共计、总数为、达、有、"的"…
CONN = r"(?:[”\"’':]|的|共计|共|总计|合计|累计|总数|总量|数量|件数|条数|数|为|是|达到|达|有|计)*+"
U_ITEMS = r"(?P<u>条|件|项|篇|则|个)"
U_REQ = r"(?P<u>件(?!次)|条|宗|份|个|项|起|例|人次|次)"
U_CASES = r"(?P<u>件(?!次)|起|宗|例|个|次)"
U_MONEY = r"(?P<u>万元|元)"
VERB_RECEIVE = r"(?:受理|收到|接到|接收|接受|办理)(?:了)?"
REQ_OBJECT = r"(?:政府信息公开|政务公开|信息公开|公开政府信息(?:的)?)(?:的)?申请(?:书)?"
BEFORE_NUM = r"(?<![\d.])(?<!\d,)"


@dataclass(frozen=True)
class Rule:
    """One phrasing of one fact key; `kind` says which context and trap checks apply."""

    key: str
    pattern: re.Pattern[str]
    kind: str  # total | request | proceeding | fees


def _rules(kind: str, key: str, *patterns: str) -> list[Rule]:
    return [Rule(key, re.compile(p), kind) for p in patterns]


RULES: list[Rule] = [
    *_rules("total", "proactive_items",
            rf"主动(?:公开|发布|公布)(?:了)?(?:各类|各项|相关|的)?(?:政府|政务)?信息(?:公开)?{CONN}{NUM}{U_ITEMS}",
            rf"(?<!申请)(?<!同意)(?<!予以)(?<!不予)(?<!部分)(?<!主动)公开(?:了)?(?:各类|各项)?(?:政府|政务)信息"
            rf"{CONN}{NUM}{U_ITEMS}"),
    *_rules("total", "requests_received",
            rf"{VERB_RECEIVE}(?P<fill>[^,;:。]{{0,16}}?){REQ_OBJECT}{CONN}{NUM}{U_REQ}",
            rf"{VERB_RECEIVE}(?P<fill>[^,;:。]{{0,8}}?)(?:依申请公开(?:政府信息|信息)?|依申请(?:政府)?信息公开)(?:的)?(?:申请|事项|请求)?{CONN}{NUM}{U_REQ}",
            rf"(?<!办结)(?<!答复)(?<!回复)(?<!处理)(?<!的)(?:政府信息公开|依申请公开(?:政府信息)?)(?:的)?(?:申请|事项)"
            rf"(?:总数|数量|件数|数)?{CONN}{NUM}{U_REQ}",
            rf"(?<!的)(?<!办结)(?<!答复)(?<!共有)依申请公开(?:政府信息|信息)?{CONN}{NUM}{U_REQ}",
            rf"(?<!依)申请公开(?:政府|政务)?信息{CONN}{NUM}{U_REQ}",
            rf"{VERB_RECEIVE}(?:各类)?申请{CONN}{NUM}{U_REQ}",
            rf"{BEFORE_NUM}{NUM}(?P<u>人次|件|个|位)(?:申请人|公民|群众)?(?:提出|提交)(?:了)?(?:政府信息公开|信息公开|依申请公开)(?:的)?申请",
            rf"{VERB_RECEIVE}(?:各类)?{BEFORE_NUM}{NUM}{U_REQ}(?:的)?(?:政府信息公开|依申请公开|信息公开)(?:的)?申请",
            rf"{VERB_RECEIVE}(?:各类)?{BEFORE_NUM}{NUM}{U_REQ}(?:的)?(?:政府信息)?依申请公开(?!信息数)"),
    *_rules("request", "requests_granted",
            rf"(?<!不)(?<!部分)(?:同意公开|予以公开|全部公开|准予公开)(?:答复)?{CONN}{NUM}{U_REQ}",
            rf"{BEFORE_NUM}{NUM}{U_REQ}(?:申请)?(?:已|均|被)?(?:同意公开|予以公开|全部公开)(?!部分)"),
    *_rules("request", "requests_partially_granted",
            rf"(?:同意部分公开|部分同意公开|予以部分公开|部分予以公开|部分公开|同意局部公开|局部公开)(?:答复)?{CONN}{NUM}{U_REQ}",
            rf"{BEFORE_NUM}{NUM}{U_REQ}(?:申请)?(?:已|均|被)?(?:同意部分公开|部分同意公开|予以部分公开|部分公开|局部公开)"),
    *_rules("request", "requests_denied",
            rf"(?:不予(?:以)?公开|不同意公开)(?:答复)?(?:范围)?{CONN}{NUM}{U_REQ}",
            rf"{BEFORE_NUM}{NUM}{U_REQ}(?:申请)?(?:已|均|被)?(?:不予(?:以)?公开|不同意公开)"),
    *_rules("request", "requests_completed_on_time",
            rf"(?:按时|按期|如期|在(?:法定|规定)(?:期限|时限|时间)内)(?:办结|答复|办理|回复){CONN}{NUM}{U_REQ}"),
    *_rules("request", "requests_completed_extended",
            rf"延期(?:办结|答复|办理|回复){CONN}{NUM}{U_REQ}"),
    *_rules("proceeding", "review_cases", rf"行政复议(?:申请|案件|案)?{CONN}{NUM}{U_CASES}"),
    *_rules("proceeding", "litigation_cases", rf"行政诉讼(?:案件|案)?{CONN}{NUM}{U_CASES}"),
    *_rules("fees", "fees_charged",
            rf"收取(?:了)?(?P<fill>[^,;:。]{{0,12}}?)费(?:用)?(?:等|共计|共|总计|合计|总额|金额|为|是|达|计|的)*{NUM}{U_MONEY}",
            rf"(?<!事业性)收费(?:金额|总额|数额)?(?:共计|共|总计|合计|为|是|达|计|的)*{NUM}{U_MONEY}"),
]

# Both proceedings in one phrase: 行政复议和行政诉讼案件各1件 / 均为0 / 分别为3件和1件.
BOTH_SAME = re.compile(rf"行政复议(?:案件)?(?:和|与|及|、|或)行政诉讼(?:案件)?(?:(?:和|及|、)申诉(?:案件)?)?(?:数量|数)?(?:均|都|各)(?:为|是|有)?{NUM}{U_CASES}?")
BOTH_EACH = re.compile(rf"行政复议(?:案件)?(?:和|与|及|、)行政诉讼(?:案件)?(?:数量|数)?(?:分别为|分别是|分别有|分别)"
                        rf"{NUM}(?:件|起)?(?:和|、|,|及)(?P<m>\d+|[零〇一二两三四五六七八九十]+)(?:件|起)")

# Stated as none: the figure is 0.
# A negation, then either a verb (未发生…, 没有收到…) or a cause (未因…) with a few words, or the noun itself.
NEGATED = r"(?:未|没有|无)(?:(?:发生|出现|收到|接到|接收|受理|产生|涉及|有)(?:过)?[^,;:。\d]{{0,{n}}}?|(?:因|由|针对)[^,;:。\d]{{0,{n}}}?)?"
NO_PROC_AFTER = r"(?!(?:案件)?(?:被纠错|纠错|被撤销|败诉))"
ZERO: tuple[tuple[tuple[str, ...], re.Pattern[str], str], ...] = (
    (("requests_received",),
     re.compile(NEGATED.format(n=14) + r"(?:政府信息公开|信息公开)(?:的)?申请"
                r"(?!提起|引起|引发|而|的行政|人|表|书|程序|渠道|流程|方式)"),
     "total"),
    (("requests_received",),
     re.compile(NEGATED.format(n=4) + r"依申请公开(?:政府信息|信息)?(?:的)?(?:申请|事项|情况|件|(?=[,;。]|$))"),
     "total"),
    (("requests_received",),  # 未收到要求公开其它信息的申请
     re.compile(r"(?:未|没有)(?:收到|接到|受理)(?:过)?(?:(?!复议|诉讼)[^,;:。\d]){0,12}?公开(?:(?!复议|诉讼)[^,;:。\d]){0,8}?"
                r"(?:的)?申请(?!人|表|书|程序|渠道|流程|方式)"),
     "total"),
    (("review_cases", "litigation_cases"),
     re.compile(NEGATED.format(n=24) + r"行政复议(?:案件)?(?:和|与|及|、|或)(?:[^,;:。]{0,4}?)行政诉讼" + NO_PROC_AFTER),
     "proceeding"),
    (("review_cases",),
     re.compile(NEGATED.format(n=24) + r"行政复议(?!(?:案件)?(?:和|与|及|、|或))" + NO_PROC_AFTER),
     "proceeding"),
    (("litigation_cases",),
     re.compile(NEGATED.format(n=24) + r"(?<!复议和)(?<!复议与)(?<!复议及)(?<!复议、)(?<!复议或)(?<!案件和)行政诉讼"
                + NO_PROC_AFTER),
     "proceeding"),
    (("fees_charged",),
     re.compile(r"(?:未|没有|均未|从未|并未)(?:[向对][^,;:。]{0,14}?)?收取(?:任何|过)?[^,;:。]{0,12}?费|不(?:再)?收取任何[^,;:。]{0,8}?费用"
                r"|(?:无|没有|未发生|未产生|未有)(?:任何)?[^,;:。]{0,8}?收费(?!标准|项目|依据|政策)"
                r"|收(?:取)?费(?:用)?(?:金额|总额)?(?:均)?为(?:零|0)(?![\d.])|零收费"),
     "fees"),
)

PROC_OUTCOMES = (
    ("upheld", re.compile(rf"维持(?:原)?(?:具体)?(?:行政行为|决定|答复)?(?:或(?:者)?驳回(?:原告)?(?:的)?诉讼请求)?{CONN}{NUM}{U_CASES}")),
    ("upheld", re.compile(rf"(?<!或)(?<!或者)驳回(?:原告)?(?:的)?(?:诉讼请求|起诉){CONN}{NUM}{U_CASES}")),
    ("corrected", re.compile(rf"(?:被依法纠错|依法纠错|被纠错|纠错|被撤销|撤销|纠正){CONN}{NUM}{U_CASES}")),
    ("other", re.compile(rf"其他(?:情形|结果|方式结案)(?:数)?{CONN}{NUM}{U_CASES}")),
)
PROC_MENTION = re.compile(r"行政复议|行政诉讼")

CLAUSE_END = re.compile(r"[,;:!?。]")
PLATFORM = re.compile(r"网站|平台|微博|微信|公报|客户端|新媒体|栏目|专栏|专题|两微一端|短信|报纸|电视|广播|发布会|公开栏|APP|"
                       r"政务号|头条|抖音|领域")
CHANNEL = re.compile(r"当面|现场|网上|网络|在线|信函|邮寄|传真|电子邮件|邮件|电话")
NOT_REQUESTS = re.compile(r"来信|来访|来电|热线|信箱|咨询|建议|提案|议案|投诉|举报|信访")
GOI = re.compile(r"信息公开|依申请|政府信息")
# The subject of a clause is one group of bodies, not the whole reporting body: 区直、县直各单位, 各乡镇,
# 市本级. A figure for it is part of the total, never the total, unless the clause says it is the
# whole area's (全县各乡镇、各部门共…).
SUBGROUP = re.compile(r"区直|县直|市直|旗直|州直|盟直|省直|各单位|各部门|部门|各乡镇|乡镇|各街道|街道|各镇|各乡|本级|所属单位|"
                      r"下属单位|直属单位|各级")
WHOLE_AREA = re.compile(r"全(?:县|市|区|省|旗|州|盟|乡|镇|局|委|系统)|本机关|我局|我委|我办|本部门|本单位")
# Items of information marked for disclosure on request (作为依申请公开信息), not requests received.
DESIGNATED = re.compile(r"作为依申请|依申请公开(?:的)?(?:政府)?信息数|列为依申请")
# An outcome figure of two outcomes together (予以公开及部分公开42件): not either one's.
JOINED_OUTCOMES = re.compile(r"(?:予以公开|同意公开|全部公开|部分公开|不予公开|公开)(?:及|和|与|、|或|以及)$")
FEES_CONTEXT = re.compile(r"信息公开|政府信息|申请|检索|复制|邮寄|打印|减免")
CUMULATIVE = re.compile(r"历年|以来|迄今|至今|(?:截至|截止)(?:到)?[^;。]{0,14}?累计")
YEAR_MARK = re.compile(r"全年|本年|今年|当年|年度|\d{4}年(?!以来)")
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d)|"
                      r"第[一二三四五六七八九十]+(?:部分|章|节))")
TOP_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十]+(?:部分|章|节))")
NONE_STATED = re.compile(r"^.{0,16}?(?:无|没有|未|均未|并未)(?:发生|出现|产生|收到|接到)?(?:过)?"
                          r"(?:此类|相关|该类|类似|上述|这类|任何)?(?:情况|情形|案件|事项|申请|收费|费用)?(?:发生)?$")
SENTENCE_END = re.compile(r"(?<=[。！!？?])")


def unit_of(key: str, printed: str | None = None) -> str:
    """Money keeps its printed unit (元 or 万元, never converted); counts are 条 (items) or 件 (requests, cases)."""
    if key == "fees_charged":
        return printed if printed in ("元", "万元") else "元"
    if key == "proactive_items":
        return printed if printed in ("条", "件", "项") else "条"
    return "件"
