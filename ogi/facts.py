"""Figures stated in prose or in ad-hoc 统计表 (pre-2019 reports), each kept with its evidence.

Older reports have no standard tables: the figures are phrased in sentences ("共受理政府信息公开
申请216件") or printed in a small statistics table of their own (rows such as 主动公开政府信息数, columns
本年度 / 历年累计). The rules below read the phrasing most reports share, not any one report:

* a fact is a whole-body total or a figure the spec names (report-tables.md "Pre-2019 prose
  facts"); a channel's, platform's or column's count is not (其中通过政府网站公开…, 当面申请…);
* letters, visits, hotlines and consultations are not requests (受理群众来信4402件);
* a figure needs its unit (件/条/元…) right after it, so percentages (占总数的5%, 办结率100%) and
  approximations (3000余条, 1.2万条) never become facts;
* statistics-table rows come first (a table is the report's own tally), then the first sentence
  stating each (key, period).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ogi.model import Block, Fact, Table
from ogi.numbers import read_number
from ogi.tables.tokens import Token, stream_of
from ogi.textnorm import squash

# --- numbers ---------------------------------------------------------------------------------------

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_POWER = {"十": 10, "百": 100, "千": 1000}
# Arabic with or without thousands separators, or a small Chinese numeral (三件, 十二件); never 万/余.
_NUM = r"(?P<n>\d{1,3}(?:,\d{3})+(?![\d.])|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"


def chinese_int(text: str) -> int | None:
    """三 → 3, 十二 → 12, 一百零五 → 105; None otherwise (三四件 means "three or four", not 34)."""
    if not text or any(ch not in _CN_DIGIT and ch not in _CN_POWER for ch in text):
        return None
    total, digit, last_power = 0, None, 10_000
    for ch in text:
        if ch in _CN_DIGIT:
            if digit is not None:
                return None  # two digits in a row: 三四, 一〇五
            if _CN_DIGIT[ch] == 0 and len(text) > 1:
                if last_power == 10_000:
                    return None  # a leading 零
                continue  # 一百零五: the 零 only marks a skipped place
            digit = _CN_DIGIT[ch]
        else:
            power = _CN_POWER[ch]
            if power >= last_power:
                return None
            total += (1 if digit is None else digit) * power
            digit, last_power = None, power
    return total + (digit or 0)


def _value(text: str) -> int | float | None:
    """A printed figure as a JSON number (exact: Decimal first), or None when it is not one."""
    text = text.replace(",", "")
    if text and text[0] in _CN_DIGIT | _CN_POWER:
        return chinese_int(text)
    try:
        d = Decimal(text)
    except InvalidOperation:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


# --- sentence rules ------------------------------------------------------------------------------

# Words that may stand between a label and its figure: 共计、总数为、达、有、"的"…
_CONN = r"(?:[”\"’':]|的|共计|共|总计|合计|累计|总数|总量|数量|件数|条数|数|为|是|达到|达|有|计)*+"
_U_ITEMS = r"(?P<u>条|件|项|篇|则|个)"
_U_REQ = r"(?P<u>件(?!次)|条|宗|份|个|项|起|例|人次|次)"
_U_CASES = r"(?P<u>件(?!次)|起|宗|例|个|次)"
_U_MONEY = r"(?P<u>万元|元)"
_VERB_RECEIVE = r"(?:受理|收到|接到|接收|接受|办理)(?:了)?"
_REQ_OBJECT = r"(?:政府信息公开|政务公开|信息公开|公开政府信息(?:的)?)(?:的)?申请(?:书)?"
_BEFORE_NUM = r"(?<![\d.])(?<!\d,)"


@dataclass(frozen=True)
class _Rule:
    """One phrasing of one fact key; `kind` says which context and trap checks apply."""

    key: str
    pattern: re.Pattern[str]
    kind: str  # total | request | proceeding | fees


def _rules(kind: str, key: str, *patterns: str) -> list[_Rule]:
    return [_Rule(key, re.compile(p), kind) for p in patterns]


_RULES: list[_Rule] = [
    *_rules("total", "proactive_items",
            rf"主动(?:公开|发布|公布)(?:了)?(?:各类|各项|相关|的)?(?:政府|政务)?信息(?:公开)?{_CONN}{_NUM}{_U_ITEMS}",
            rf"(?<!申请)(?<!同意)(?<!予以)(?<!不予)(?<!部分)(?<!主动)公开(?:了)?(?:各类|各项)?(?:政府|政务)信息"
            rf"{_CONN}{_NUM}{_U_ITEMS}"),
    *_rules("total", "requests_received",
            rf"{_VERB_RECEIVE}(?P<fill>[^,;:。]{{0,16}}?){_REQ_OBJECT}{_CONN}{_NUM}{_U_REQ}",
            rf"{_VERB_RECEIVE}(?P<fill>[^,;:。]{{0,8}}?)(?:依申请公开(?:政府信息|信息)?|依申请(?:政府)?信息公开)(?:的)?(?:申请|事项|请求)?{_CONN}{_NUM}{_U_REQ}",
            rf"(?<!办结)(?<!答复)(?<!回复)(?<!处理)(?<!的)(?:政府信息公开|依申请公开(?:政府信息)?)(?:的)?(?:申请|事项)"
            rf"(?:总数|数量|件数|数)?{_CONN}{_NUM}{_U_REQ}",
            rf"(?<!的)(?<!办结)(?<!答复)(?<!共有)依申请公开(?:政府信息|信息)?{_CONN}{_NUM}{_U_REQ}",
            rf"(?<!依)申请公开(?:政府|政务)?信息{_CONN}{_NUM}{_U_REQ}",
            rf"{_VERB_RECEIVE}(?:各类)?申请{_CONN}{_NUM}{_U_REQ}",
            rf"{_BEFORE_NUM}{_NUM}(?P<u>人次|件|个|位)(?:申请人|公民|群众)?(?:提出|提交)(?:了)?(?:政府信息公开|信息公开|依申请公开)(?:的)?申请",
            rf"{_VERB_RECEIVE}(?:各类)?{_BEFORE_NUM}{_NUM}{_U_REQ}(?:的)?(?:政府信息公开|依申请公开|信息公开)(?:的)?申请"),
    *_rules("request", "requests_granted",
            rf"(?<!不)(?<!部分)(?:同意公开|予以公开|全部公开|准予公开)(?:答复)?{_CONN}{_NUM}{_U_REQ}",
            rf"{_BEFORE_NUM}{_NUM}{_U_REQ}(?:申请)?(?:已|均|被)?(?:同意公开|予以公开|全部公开)(?!部分)"),
    *_rules("request", "requests_partially_granted",
            rf"(?:同意部分公开|部分同意公开|予以部分公开|部分予以公开|部分公开|同意局部公开|局部公开)(?:答复)?{_CONN}{_NUM}{_U_REQ}",
            rf"{_BEFORE_NUM}{_NUM}{_U_REQ}(?:申请)?(?:已|均|被)?(?:同意部分公开|部分同意公开|予以部分公开|部分公开|局部公开)"),
    *_rules("request", "requests_denied",
            rf"(?:不予(?:以)?公开|不同意公开)(?:答复)?(?:范围)?{_CONN}{_NUM}{_U_REQ}",
            rf"{_BEFORE_NUM}{_NUM}{_U_REQ}(?:申请)?(?:已|均|被)?(?:不予(?:以)?公开|不同意公开)"),
    *_rules("request", "requests_completed_on_time",
            rf"(?:按时|按期|如期|在(?:法定|规定)(?:期限|时限|时间)内)(?:办结|答复|办理|回复){_CONN}{_NUM}{_U_REQ}"),
    *_rules("request", "requests_completed_extended",
            rf"延期(?:办结|答复|办理|回复){_CONN}{_NUM}{_U_REQ}"),
    *_rules("proceeding", "review_cases", rf"行政复议(?:申请|案件|案)?{_CONN}{_NUM}{_U_CASES}"),
    *_rules("proceeding", "litigation_cases", rf"行政诉讼(?:案件|案)?{_CONN}{_NUM}{_U_CASES}"),
    *_rules("fees", "fees_charged",
            rf"收取(?:了)?(?P<fill>[^,;:。]{{0,12}}?)费(?:用)?(?:等|共计|共|总计|合计|总额|金额|为|是|达|计|的)*{_NUM}{_U_MONEY}",
            rf"(?<!事业性)收费(?:金额|总额|数额)?(?:共计|共|总计|合计|为|是|达|计|的)*{_NUM}{_U_MONEY}"),
]

# Both proceedings in one phrase: 行政复议和行政诉讼案件各1件 / 均为0 / 分别为3件和1件.
_BOTH_SAME = re.compile(rf"行政复议(?:案件)?(?:和|与|及|、|或)行政诉讼(?:案件)?(?:(?:和|及|、)申诉(?:案件)?)?(?:数量|数)?(?:均|都|各)(?:为|是|有)?{_NUM}{_U_CASES}?")
_BOTH_EACH = re.compile(rf"行政复议(?:案件)?(?:和|与|及|、)行政诉讼(?:案件)?(?:数量|数)?(?:分别为|分别是|分别有|分别)"
                        rf"{_NUM}(?:件|起)?(?:和|、|,|及)(?P<m>\d+|[零〇一二两三四五六七八九十]+)(?:件|起)")

# Stated as none: the figure is 0.
# A negation, then either a verb (未发生…, 没有收到…) or a cause (未因…) with a few words, or the noun itself.
_NEGATED = r"(?:未|没有|无)(?:(?:发生|出现|收到|接到|接收|受理|产生|涉及|有)(?:过)?[^,;:。\d]{{0,{n}}}?|(?:因|由|针对)[^,;:。\d]{{0,{n}}}?)?"
_NO_PROC_AFTER = r"(?!(?:案件)?(?:被纠错|纠错|被撤销|败诉))"
_ZERO: tuple[tuple[tuple[str, ...], re.Pattern[str], str], ...] = (
    (("requests_received",),
     re.compile(_NEGATED.format(n=14) + r"(?:政府信息公开|信息公开)(?:的)?申请"
                r"(?!提起|引起|引发|而|的行政|人|表|书|程序|渠道|流程|方式)"),
     "total"),
    (("requests_received",),
     re.compile(_NEGATED.format(n=4) + r"依申请公开(?:政府信息)?(?:的)?(?:申请|事项|情况|件|(?=[,;。]|$))"),
     "total"),
    (("review_cases", "litigation_cases"),
     re.compile(_NEGATED.format(n=24) + r"行政复议(?:案件)?(?:和|与|及|、|或)(?:[^,;:。]{0,4}?)行政诉讼" + _NO_PROC_AFTER),
     "proceeding"),
    (("review_cases",),
     re.compile(_NEGATED.format(n=24) + r"行政复议(?!(?:案件)?(?:和|与|及|、|或))" + _NO_PROC_AFTER),
     "proceeding"),
    (("litigation_cases",),
     re.compile(_NEGATED.format(n=24) + r"(?<!复议和)(?<!复议与)(?<!复议及)(?<!复议、)(?<!复议或)(?<!案件和)行政诉讼"
                + _NO_PROC_AFTER),
     "proceeding"),
    (("fees_charged",),
     re.compile(r"(?:未|没有|均未|从未|并未)(?:向[^,;:。]{0,12}?)?收取(?:任何|过)?[^,;:。]{0,12}?费|不(?:再)?收取任何[^,;:。]{0,8}?费用"
                r"|(?:无|没有|未发生|未产生|未有)(?:任何)?[^,;:。]{0,6}?收费(?!标准|项目|依据|政策)"
                r"|收(?:取)?费(?:用)?(?:金额|总额)?(?:均)?为(?:零|0)(?![\d.])|零收费"),
     "fees"),
)

_PROC_OUTCOMES = (
    ("upheld", re.compile(rf"维持(?:原)?(?:具体)?(?:行政行为|决定|答复)?(?:或(?:者)?驳回(?:原告)?(?:的)?诉讼请求)?{_CONN}{_NUM}{_U_CASES}")),
    ("upheld", re.compile(rf"(?<!或)(?<!或者)驳回(?:原告)?(?:的)?(?:诉讼请求|起诉){_CONN}{_NUM}{_U_CASES}")),
    ("corrected", re.compile(rf"(?:被依法纠错|依法纠错|被纠错|纠错|被撤销|撤销|纠正){_CONN}{_NUM}{_U_CASES}")),
    ("other", re.compile(rf"其他(?:情形|结果|方式结案)(?:数)?{_CONN}{_NUM}{_U_CASES}")),
)
_PROC_MENTION = re.compile(r"行政复议|行政诉讼")

_CLAUSE_END = re.compile(r"[,;:!?。]")
_PLATFORM = re.compile(r"网站|平台|微博|微信|公报|客户端|新媒体|栏目|专栏|专题|两微一端|短信|报纸|电视|广播|发布会|公开栏|APP|"
                       r"政务号|头条|抖音|领域")
_CHANNEL = re.compile(r"当面|现场|网上|网络|在线|信函|邮寄|传真|电子邮件|邮件|电话")
_NOT_REQUESTS = re.compile(r"来信|来访|来电|热线|信箱|咨询|建议|提案|议案|投诉|举报|信访")
_GOI = re.compile(r"信息公开|依申请|政府信息")
_FEES_CONTEXT = re.compile(r"信息公开|政府信息|申请|检索|复制|邮寄|打印|减免")
_CUMULATIVE = re.compile(r"历年|以来|迄今|至今|(?:截至|截止)(?:到)?[^;。]{0,14}?累计")
_YEAR_MARK = re.compile(r"全年|本年|今年|当年|年度|\d{4}年(?!以来)")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d)|"
                      r"第[一二三四五六七八九十]+(?:部分|章|节))")
_TOP_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十]+(?:部分|章|节))")
_NONE_STATED = re.compile(r"^.{0,16}?(?:无|没有|未|均未|并未)(?:发生|出现|产生|收到|接到)?(?:过)?"
                          r"(?:此类|相关|该类|类似|上述|这类|任何)?(?:情况|情形|案件|事项|申请|收费|费用)?(?:发生)?$")
_SENTENCE_END = re.compile(r"(?<=[。！!？?])")


# --- statistics tables ---------------------------------------------------------------------------

_PERCENT = re.compile(r"[+\-]?\d[\d,.]*%")
_UNITS = {"条", "件", "元", "万元", "个", "项", "次", "人", "人次", "宗", "起", "篇", "份"}
_HEADER_WORD = re.compile(r"(?:统计)?指标(?:名称)?|统计项目|项目|内容|类别|类型|名称|单位|计量单位|序号|备注")
_COL_CUMULATIVE = re.compile(r"(?:历年)?累计(?:数)?|历年(?:合计|总计)?")
_COL_YEAR = re.compile(r"本年度?(?:数)?|今年|当年|年度|本期|统计数|数量|数值|(?P<y>\d{4})年(?:度)?(?:数)?")
_COL_SKIP = re.compile(r"上年度?(?:数)?|去年|上期|同比(?:增减|增长)?|增减|增长(?:率)?|比上年.*|环比")
_LABEL_NOISE = re.compile(r"[（(][^）)]*[）)]|[:：]$")
_LABEL_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(]?[一二三四五六七八九十\d]+[)）、.．]|其中[:：]?|\s)+")
_TABLE_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((k, re.compile(p)) for k, p in (
    ("proactive_items", r"(?:本年度?|全年)?(?:共)?主动公开(?:的)?(?:政府|政务)?信息(?:总数|数量|条数|总量|数)?"),
    ("requests_received", r"(?:本年度?|全年)?(?:收到|受理|接收|接到)?(?:的)?(?:政府信息公开|依申请公开|信息公开)?(?:的)?"
                          r"申请(?:总数|数量|件数|总量|数)|依申请公开(?:政府信息)?(?:总数|数量|件数|数)"),
    ("requests_granted", r"(?:同意公开|予以公开|全部公开)(?:答复)?(?:的)?(?:申请)?(?:数|件数|数量)?"),
    ("requests_partially_granted", r"(?:同意部分公开|部分同意公开|部分公开)(?:答复)?(?:的)?(?:申请)?(?:数|件数|数量)?"),
    ("requests_denied", r"(?:不予公开|不同意公开|不予以公开)(?:答复)?(?:的)?(?:申请)?(?:数|件数|数量)?"),
    ("requests_completed_on_time", r"(?:按时|按期)(?:办结|答复)(?:数|件数|数量)?"),
    ("requests_completed_extended", r"延期(?:办结|答复)(?:数|件数|数量)?"),
    ("review_cases", r"(?:因)?(?:政府信息公开(?:申请)?(?:提起|引起|引发)?(?:的)?)?(?:申请)?行政复议(?:案件)?(?:数量|总数|件数|数)?"),
    ("litigation_cases", r"(?:因)?(?:政府信息公开(?:申请)?(?:提起|引起|引发)?(?:的)?)?(?:提起)?行政诉讼(?:案件)?(?:数量|总数|件数|数)?"),
    ("fees_charged", r"(?:依申请公开(?:政府信息|信息)?)?(?:收取(?:的)?费用|收费)(?:金额|数额|总额)?"),
))
_TABLE_OUTCOMES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((k, re.compile(p)) for k, p in (
    ("upheld", r"维持(?:原)?(?:具体)?(?:行政行为)?(?:或(?:者)?驳回原告诉讼请求)?(?:数|件数)?"),
    ("corrected", r"(?:被)?(?:依法)?纠错(?:数|件数)?"),
    ("other", r"其他(?:情形|结果)(?:数|件数)?"),
))


@dataclass
class _Row:
    """A label with the printed cells after it, as one statistics-table row."""

    label: str
    block: int
    values: list[str] = field(default_factory=list)
    unit: str | None = None


def _unit_of(key: str, printed: str | None = None) -> str:
    """Money keeps its printed unit (元 or 万元, never converted); counts are 条 (items) or 件 (requests, cases)."""
    if key == "fees_charged":
        return printed if printed in ("元", "万元") else "元"
    if key == "proactive_items":
        return printed if printed in ("条", "件", "项") else "条"
    return "件"


def _words(raw: str) -> list[str]:
    """Cells of a header printed as one text line ("统计指标  单位  本年度  历年累计")."""
    parts = [p for p in re.split(r"\s*\|\s*|\t|\s{2,}", raw.strip()) if p]
    if len(parts) == 1:
        parts = raw.split()
    return [squash(p) for p in parts if squash(p)]


def _column(word: str) -> tuple[str, int | None] | None:
    """What a header cell says about its column: (period, printed year); None for a non-period cell."""
    if _COL_SKIP.fullmatch(word):
        return ("skip", None)
    if _COL_CUMULATIVE.fullmatch(word):
        return ("cumulative", None)
    m = _COL_YEAR.fullmatch(word)
    if m:
        return ("year", int(m.group("y")) if m.group("y") else None)
    return None


def _header(tokens: list[Token]) -> list[str | None] | None:
    """Column periods when these tokens are a header row (统计指标 | 单位 | 本年度 | 历年累计), else None."""
    words = [squash(t.raw) for t in tokens] if len(tokens) > 1 else [w for t in tokens for w in _words(t.raw)]
    if len(words) < 2 or not all(_HEADER_WORD.fullmatch(w) or _column(w) for w in words):
        return None
    cols = [c for c in (_column(w) for w in words) if c is not None]
    if not any(p in ("year", "cumulative") for p, _ in cols):
        return None
    # Two printed years (2016年 | 2015年): the latest is the report's, the other a comparison.
    years = [y for p, y in cols if p == "year" and y is not None]
    latest = max(years) if years else None
    return [None if p == "skip" or (p == "year" and y is not None and y != latest) else p for p, y in cols]


def _header_run(line: list[Token]) -> tuple[int, int, list[str | None] | None]:
    """Where a header sits in a line of cells: a whole row, or the first cells of a one-cell-per-line run."""
    if _header(line) is not None:
        return 0, len(line), _header(line)
    ok = [bool(_HEADER_WORD.fullmatch(squash(t.raw)) or _column(squash(t.raw))) for t in line]
    k = 0
    while k < len(line):
        if not ok[k]:
            k += 1
            continue
        end = k
        while end < len(line) and ok[end]:
            end += 1
        head = _header(line[k:end]) if end - k >= 2 else None
        if head is not None:
            return k, end, head
        k = end
    return -1, -1, None


def _clean_label(label: str) -> tuple[str, str | None]:
    """The label's words without numbering, 其中 and notes in brackets; and a unit printed with it."""
    text = squash(label)
    unit = None
    m = re.search(r"[（(](条|件|元|万元|个|项)[)）]", text)
    if m:
        unit = m.group(1)
    parts = label.split()
    if len(parts) > 1 and squash(parts[-1]) in _UNITS:
        unit = squash(parts[-1])
        text = squash(" ".join(parts[:-1]))
    for _ in range(2):
        text = _LABEL_NOISE.sub("", _LABEL_PREFIX.sub("", text))
    return text, unit


def _table_rows(blocks: list[Block]) -> list[tuple[_Row | None, list[str | None] | None]]:
    """Every labelled row with the header columns in force for it; (None, None) where a table ends.

    Rows come from `stream_of`, so an HTML table, pipe rows, space-separated rows and one cell per
    line are all read the same way: a label starts a row, the printed numbers after it are its cells.
    """
    out: list[tuple[_Row | None, list[str | None] | None]] = []
    columns: list[str | None] | None = None
    row: _Row | None = None
    line: list[Token] = []

    def end_table() -> None:
        nonlocal row, columns
        if row is not None:
            out.append((row, columns))
        row, columns = None, None
        out.append((None, None))

    def end_line() -> None:
        nonlocal row, columns, line
        start, stop, head = _header_run(line)
        for k, tok in enumerate(line):
            if k == start and head is not None:
                end_table()
                columns = head
            if start <= k < stop:
                continue
            raw = tok.raw.strip()
            text = squash(raw)
            if read_number(raw).kind != "text" or _PERCENT.fullmatch(text):
                if row is not None:
                    row.values.append(raw)
            elif text in _UNITS or re.fullmatch(r"[（(](?:条|件|元|万元)[)）]", text):
                if row is not None:
                    row.unit = text.strip("（()）")
            elif len(text) > 60 or "。" in text:  # a sentence: whatever table there was has ended
                end_table()
            elif row is not None and not row.values and re.fullmatch(r"[（(][^）)]*[）)]", text):
                row.label += raw  # a note printed under its label: （不同渠道和方式公开相同信息计1条）
            else:
                if row is not None:
                    out.append((row, columns))
                row = _Row(raw, tok.block)
        line = []

    last_block = -1
    for tok in stream_of(blocks):
        if tok is None:
            end_line()
            continue
        if tok.block != last_block and last_block >= 0 and (
                isinstance(blocks[tok.block], Table) or isinstance(blocks[last_block], Table)):
            end_line()
            end_table()
        last_block = tok.block
        line.append(tok)
    end_line()
    end_table()
    return out


def _table_facts(blocks: list[Block], scope: str | None) -> tuple[list[Fact], set[int]]:
    """Facts from ad-hoc statistics tables, and the blocks they were read from (not read again as prose)."""
    facts: list[Fact] = []
    used: set[int] = set()
    proceeding: str | None = None
    for row, columns in _table_rows(blocks):
        if row is None:
            proceeding = None
            continue
        label, label_unit = _clean_label(row.label)
        key = next((k for k, pat in _TABLE_LABELS if pat.fullmatch(label)), None)
        if key in ("review_cases", "litigation_cases"):
            proceeding = key.split("_")[0]
        elif key is None and proceeding is not None:
            outcome = next((o for o, pat in _TABLE_OUTCOMES if pat.fullmatch(label)), None)
            key = f"{proceeding}_{outcome}" if outcome else None
            if outcome is None:
                proceeding = None
        else:
            proceeding = None
        if key is None or not row.values:
            continue
        periods = _periods(columns, len(row.values))
        if periods is None:
            continue
        evidence = " | ".join([row.label, *([row.unit] if row.unit else []), *row.values])
        for raw, period in zip(row.values, periods, strict=True):
            printed = read_number(raw)
            if period is None or printed.value is None:
                continue
            value = int(printed.value) if printed.value == printed.value.to_integral_value() else float(printed.value)
            unit = _unit_of(key, printed.unit or row.unit or label_unit)
            facts.append(Fact(key, value, evidence, unit=unit, period=period, scope=scope))
            used.add(row.block)
    return facts, used


def _periods(columns: list[str | None] | None, count: int) -> list[str | None] | None:
    """The period of each printed value; None when the cells cannot be placed under the header."""
    if columns is None:
        return ["year"] if count == 1 else None
    if count == len(columns):
        return list(columns)
    return None


# --- prose -----------------------------------------------------------------------------------------

@dataclass
class _Context:
    """What the text around a sentence says it is about (the latest headings, the last figures read)."""

    top: str = ""
    sub: str = ""
    last_heading: str = ""
    request_sentence: int = -9  # index of the last sentence that stated a request figure
    proceeding: str | None = None  # review / litigation named last in the previous sentence with a case count

    @property
    def headings(self) -> str:
        return self.top + self.sub


def _heading(line: str) -> str | None:
    """A section heading (三、依申请公开情况): it says what the sentences under it are about."""
    text = squash(line)
    if len(text) <= 40 and "。" not in text and (
            _HEADING.match(text) or (text.endswith("情况") and not re.search(r"无|未|没有", text))):
        return text
    return None


def _period(text: str, start: int) -> str:
    """cumulative when a since-inception marker (历年, 以来, 截至…累计) is closer to the figure than a year."""
    before = text[:start]
    cum = max((m.end() for m in _CUMULATIVE.finditer(before)), default=-1)
    year = max((m.end() for m in _YEAR_MARK.finditer(before)), default=-1)
    return "cumulative" if cum > year else "year"


def _clause_before(text: str, start: int) -> str:
    ends = [m.end() for m in _CLAUSE_END.finditer(text, 0, start)]
    return text[ends[-1] if ends else 0:start]


def _accept(rule: _Rule, text: str, m: re.Match[str], ctx: _Context, index: int) -> bool:
    """Context and trap checks: is this match a figure of the rule's key?"""
    clause = _clause_before(text, m.start()) + m.group(0)
    fill = m.groupdict().get("fill") or ""
    if rule.kind == "total":
        if re.search(r"其中[^,;:。]{0,3}[,:]?[^,;:。]*$", text[:m.start()]) or _NOT_REQUESTS.search(clause):
            return False
        words = _PLATFORM if rule.key == "proactive_items" else _CHANNEL
        if words.search(clause) and "等" not in clause:
            return False
    if rule.key == "requests_received" and not re.search(r"信息公开|依申请|公开政府信息|公开政务信息", m.group(0)) \
            and not ("依申请" in ctx.headings or _GOI.search(text)):
        return False  # 受理申请42件 counts requests only where the text is about 依申请公开
    if rule.kind == "request":
        if _NOT_REQUESTS.search(clause):
            return False
        about_requests = "申请" in text or "申请" in ctx.headings or index - ctx.request_sentence <= 1
        if not about_requests or (_NOT_REQUESTS.search(text) and not re.search(r"信息公开申请|依申请", text)):
            return False
    if rule.kind == "proceeding" and not (_GOI.search(text) or _PROC_MENTION.search(ctx.last_heading)):
        return False
    if rule.kind == "fees" and not (_FEES_CONTEXT.search(text) or _GOI.search(ctx.headings)):
        return False
    return not re.search(r"复议|诉讼|来信|来访|咨询|热线|信箱", fill)


class _Facts:
    """First fact of each (key, period); the order of `add` calls is the order of authority."""

    def __init__(self, scope: str | None) -> None:
        self.scope = scope
        self.by_key: dict[tuple[str, str], Fact] = {}

    def add(self, key: str, value: int | float | None, evidence: str, period: str, unit: str | None = None) -> bool:
        if value is None or (key, period) in self.by_key:
            return False
        self.by_key[(key, period)] = Fact(key, value, evidence, unit=unit or _unit_of(key), period=period,
                                          scope=self.scope)
        return True

    def add_fact(self, fact: Fact) -> None:
        self.by_key.setdefault((fact.key, fact.period), fact)


def _sentence_facts(sentence: str, index: int, ctx: _Context, facts: _Facts) -> None:
    """Every rule on one sentence (matched squashed: full-width digits and commas, no spaces)."""
    text = squash(sentence)
    case_spans: list[tuple[int, str]] = []
    for rule in _RULES:
        for m in rule.pattern.finditer(text):
            if not _accept(rule, text, m, ctx, index):
                continue
            period = _period(text, m.start())
            unit = m.group("u") if rule.key in ("fees_charged", "proactive_items") else None
            if rule.kind == "proceeding":
                case_spans.append((m.start(), rule.key.split("_")[0]))
            if facts.add(rule.key, _value(m.group("n")), sentence, period, unit) and rule.key.startswith("requests_"):
                ctx.request_sentence = index
    _both_proceedings(text, sentence, facts, ctx, case_spans)
    _zero_facts(text, sentence, facts, ctx)
    _outcomes(text, sentence, facts, ctx, case_spans)


def _both_proceedings(text: str, sentence: str, facts: _Facts, ctx: _Context,
                      case_spans: list[tuple[int, str]]) -> None:
    """行政复议和行政诉讼各1件 / 分别为3件和1件: one phrase, two figures."""
    if not (_GOI.search(text) or _PROC_MENTION.search(ctx.last_heading)):
        return
    m = _BOTH_EACH.search(text)
    if m:
        period = _period(text, m.start())
        facts.add("review_cases", _value(m.group("n")), sentence, period)
        facts.add("litigation_cases", _value(m.group("m")), sentence, period)
        case_spans.append((m.start(), "review"))
        return
    m = _BOTH_SAME.search(text)
    if m and (m.group("u") or _value(m.group("n")) == 0):
        period = _period(text, m.start())
        for key in ("review_cases", "litigation_cases"):
            facts.add(key, _value(m.group("n")), sentence, period)


def _zero_facts(text: str, sentence: str, facts: _Facts, ctx: _Context) -> None:
    """Figures stated as none (未收取任何费用, 未发生…行政复议和行政诉讼): 0."""
    for keys, pattern, kind in _ZERO:
        m = pattern.search(text)
        if m is None:
            continue
        clause = _clause_before(text, m.start()) + m.group(0)
        rest = _CLAUSE_END.split(text[m.end():], maxsplit=1)[0]
        if re.search(r"\d", rest):  # 未予公开的决定不服提起行政复议3件: a count, not a none
            continue
        if kind == "total" and _NOT_REQUESTS.search(clause):
            continue
        if kind == "proceeding" and not (_GOI.search(text) or _PROC_MENTION.search(ctx.last_heading)):
            continue
        if kind == "fees" and not (_FEES_CONTEXT.search(text) or _GOI.search(ctx.headings)):
            continue
        for key in keys:
            facts.add(key, 0, sentence, _period(text, m.start()))
    # A section that answers "无。" / "本年度未发生此类情况。" to its own heading.
    bare = text.rstrip("。.!！")
    if ctx.last_heading and not re.search(r"\d", bare) and len(bare) <= 30 and _NONE_STATED.match(bare) \
            and "减免" not in bare:
        heading = ctx.last_heading
        keys = []
        if "收费" in heading:
            keys.append("fees_charged")
        if "行政复议" in heading:
            keys.append("review_cases")
        if "行政诉讼" in heading:
            keys.append("litigation_cases")
        if "依申请" in heading and not keys:
            keys.append("requests_received")
        for key in keys:
            facts.add(key, 0, f"{heading} {sentence}", "year")


def _outcomes(text: str, sentence: str, facts: _Facts, ctx: _Context, case_spans: list[tuple[int, str]]) -> None:
    """维持/纠错/其他 figures belong to the proceeding named just before them, here or in the sentence before."""
    carried = ctx.proceeding
    if case_spans or carried:
        mentions = [(m.start(), "review" if m.group(0) == "行政复议" else "litigation")
                    for m in _PROC_MENTION.finditer(text)]
        for outcome, pattern in _PROC_OUTCOMES:
            for m in pattern.finditer(text):
                named = [p for pos, p in mentions if pos < m.start()]
                proceeding = named[-1] if named else carried
                if "诉讼请求" in m.group(0) or "起诉" in m.group(0):
                    proceeding = "litigation"
                if proceeding is None:
                    continue
                facts.add(f"{proceeding}_{outcome}", _value(m.group("n")), sentence, _period(text, m.start()))
    if case_spans:
        named = [m.group(0) for m in _PROC_MENTION.finditer(text)]
        ctx.proceeding = "review" if named and named[-1] == "行政复议" else "litigation" if named else None
    else:
        ctx.proceeding = None


def _sentences(line: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]


def extract_facts(blocks: list[Block], scope: str | None = None) -> list[Fact]:
    """Statistics-table rows first (the report's own tally), then the first sentence stating each fact."""
    table_facts, used = _table_facts(blocks, scope)
    facts = _Facts(scope)
    for fact in table_facts:
        facts.add_fact(fact)
    ctx = _Context()
    index = 0
    for i, block in enumerate(blocks):
        if not isinstance(block, str) or i in used:
            continue
        heading = _heading(block)
        if heading is not None:
            if _TOP_HEADING.match(heading):
                ctx.top, ctx.sub = heading, ""
            else:
                ctx.sub = heading
            ctx.last_heading = heading
        for sentence in _sentences(block):
            _sentence_facts(sentence, index, ctx, facts)
            index += 1
    return list(facts.by_key.values())
