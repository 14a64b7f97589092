"""Facts stated in sentences ("共受理政府信息公开申请216件"), read with the context around them.

A fact is a whole-body total or a figure the spec names; a channel's, platform's or column's
count is not; letters, visits and consultations are not requests; a figure needs its unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ogi.model import Fact
from ogi.parse.facts.vocabulary import (
    BOTH_EACH,
    BOTH_SAME,
    CHANNEL,
    CLAUSE_END,
    CUMULATIVE,
    DESIGNATED,
    FEES_CONTEXT,
    GOI,
    HEADING,
    JOINED_OUTCOMES,
    NONE_STATED,
    NOT_REQUESTS,
    PLATFORM,
    PROC_MENTION,
    PROC_OUTCOMES,
    RULES,
    SENTENCE_END,
    SUBGROUP,
    WHOLE_AREA,
    YEAR_MARK,
    ZERO,
    Rule,
    unit_of,
)
from ogi.text.normalize import squash
from ogi.text.numerals import figure_value


@dataclass
class Context:
    """What the text around a sentence says it is about (the latest headings, the last figures read)."""

    top: str = ""
    sub: str = ""
    last_heading: str = ""
    request_sentence: int = -9  # index of the last sentence that stated a request figure
    proceeding: str | None = None  # review / litigation named last in the previous sentence with a case count

    @property
    def headings(self) -> str:
        return self.top + self.sub


def heading_of(line: str) -> str | None:
    """A section heading (三、依申请公开情况): it says what the sentences under it are about."""
    text = squash(line)
    if len(text) <= 40 and "。" not in text and (
            HEADING.match(text) or (text.endswith("情况") and not re.search(r"无|未|没有", text))):
        return text
    return None


def _period(text: str, start: int) -> str:
    """cumulative when a since-inception marker (历年, 以来, 截至…累计) is closer to the figure than a year."""
    before = text[:start]
    cum = max((m.end() for m in CUMULATIVE.finditer(before)), default=-1)
    year = max((m.end() for m in YEAR_MARK.finditer(before)), default=-1)
    return "cumulative" if cum > year else "year"


def _clause_before(text: str, start: int) -> str:
    ends = [m.end() for m in CLAUSE_END.finditer(text, 0, start)]
    return text[ends[-1] if ends else 0:start]


def _accept(rule: Rule, text: str, m: re.Match[str], ctx: Context, index: int) -> bool:
    """Context and trap checks: is this match a figure of the rule's key?"""
    clause = _clause_before(text, m.start()) + m.group(0)
    fill = m.groupdict().get("fill") or ""
    if rule.kind == "total":
        if re.search(r"其中[^,;:。]{0,3}[,:]?[^,;:。]*$", text[:m.start()]) or NOT_REQUESTS.search(clause):
            return False
        words = PLATFORM if rule.key == "proactive_items" else CHANNEL
        if words.search(clause) and "等" not in clause:
            return False
        subject = _clause_before(text, m.start())
        if SUBGROUP.search(subject) and not WHOLE_AREA.search(subject):
            return False  # 区直、县直各单位主动公开政府信息303条: a part, never the total
    if rule.key == "requests_received" and (DESIGNATED.search(clause) or DESIGNATED.search(m.group(0))):
        return False  # 作为依申请公开信息数46条: items marked for disclosure on request, not requests
    if rule.kind == "request" and JOINED_OUTCOMES.search(text[max(0, m.start() - 8):m.start()]):
        return False  # 予以公开及部分公开42件: two outcomes together
    if rule.key == "requests_received" and not re.search(r"信息公开|依申请|公开政府信息|公开政务信息", m.group(0)) \
            and not ("依申请" in ctx.headings or GOI.search(text)):
        return False  # 受理申请42件 counts requests only where the text is about 依申请公开
    if rule.kind == "request":
        if NOT_REQUESTS.search(clause):
            return False
        about_requests = "申请" in text or "申请" in ctx.headings or index - ctx.request_sentence <= 1
        if not about_requests or (NOT_REQUESTS.search(text) and not re.search(r"信息公开申请|依申请", text)):
            return False
    if rule.kind == "proceeding" and not (GOI.search(text) or PROC_MENTION.search(ctx.last_heading)):
        return False
    if rule.kind == "fees" and not (FEES_CONTEXT.search(text) or GOI.search(ctx.headings)):
        return False
    return not re.search(r"复议|诉讼|来信|来访|咨询|热线|信箱", fill)


class Facts:
    """First fact of each (key, period); the order of `add` calls is the order of authority."""

    def __init__(self, scope: str | None) -> None:
        self.scope = scope
        self.by_key: dict[tuple[str, str], Fact] = {}

    def add(self, key: str, value: Decimal | int | None, evidence: str, period: str, unit: str | None = None) -> bool:
        if value is None or (key, period) in self.by_key:
            return False
        self.by_key[(key, period)] = Fact(key, Decimal(value), evidence, unit=unit or unit_of(key), period=period,
                                          scope=self.scope)
        return True

    def add_fact(self, fact: Fact) -> None:
        self.by_key.setdefault((fact.key, fact.period), fact)


def sentence_facts(sentence: str, index: int, ctx: Context, facts: Facts) -> None:
    """Every rule on one sentence (matched squashed: full-width digits and commas, no spaces)."""
    text = squash(sentence)
    case_spans: list[tuple[int, str]] = []
    for rule in RULES:
        for m in rule.pattern.finditer(text):
            if not _accept(rule, text, m, ctx, index):
                continue
            period = _period(text, m.start())
            unit = m.group("u") if rule.key in ("fees_charged", "proactive_items") else None
            if rule.kind == "proceeding":
                case_spans.append((m.start(), rule.key.split("_")[0]))
            if facts.add(rule.key, figure_value(m.group("n")), sentence, period, unit) and rule.key.startswith("requests_"):
                ctx.request_sentence = index
    _both_proceedings(text, sentence, facts, ctx, case_spans)
    _zero_facts(text, sentence, facts, ctx)
    _outcomes(text, sentence, facts, ctx, case_spans)


def _both_proceedings(text: str, sentence: str, facts: Facts, ctx: Context,
                      case_spans: list[tuple[int, str]]) -> None:
    """行政复议和行政诉讼各1件 / 分别为3件和1件: one phrase, two figures."""
    if not (GOI.search(text) or PROC_MENTION.search(ctx.last_heading)):
        return
    m = BOTH_EACH.search(text)
    if m:
        period = _period(text, m.start())
        facts.add("review_cases", figure_value(m.group("n")), sentence, period)
        facts.add("litigation_cases", figure_value(m.group("m")), sentence, period)
        case_spans.append((m.start(), "review"))
        return
    m = BOTH_SAME.search(text)
    if m and (m.group("u") or figure_value(m.group("n")) == 0):
        period = _period(text, m.start())
        for key in ("review_cases", "litigation_cases"):
            facts.add(key, figure_value(m.group("n")), sentence, period)


def _zero_facts(text: str, sentence: str, facts: Facts, ctx: Context) -> None:
    """Figures stated as none (未收取任何费用, 未发生…行政复议和行政诉讼): 0."""
    for keys, pattern, kind in ZERO:
        m = pattern.search(text)
        if m is None:
            continue
        clause = _clause_before(text, m.start()) + m.group(0)
        rest = CLAUSE_END.split(text[m.end():], maxsplit=1)[0]
        if re.search(r"\d", rest):  # 未予公开的决定不服提起行政复议3件: a count, not a none
            continue
        if kind == "total" and NOT_REQUESTS.search(clause):
            continue
        if kind == "proceeding" and not (GOI.search(text) or PROC_MENTION.search(ctx.last_heading)):
            continue
        if kind == "fees" and not (FEES_CONTEXT.search(text) or GOI.search(ctx.headings)):
            continue
        for key in keys:
            facts.add(key, 0, sentence, _period(text, m.start()))
    # A section that answers "无。" / "本年度未发生此类情况。" to its own heading.
    bare = text.rstrip("。.!！")
    if ctx.last_heading and not re.search(r"\d", bare) and len(bare) <= 30 and NONE_STATED.match(bare) \
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


def _outcomes(text: str, sentence: str, facts: Facts, ctx: Context, case_spans: list[tuple[int, str]]) -> None:
    """维持/纠错/其他 figures belong to the proceeding named just before them, here or in the sentence before."""
    carried = ctx.proceeding
    if case_spans or carried:
        mentions = [(m.start(), "review" if m.group(0) == "行政复议" else "litigation")
                    for m in PROC_MENTION.finditer(text)]
        for outcome, pattern in PROC_OUTCOMES:
            for m in pattern.finditer(text):
                named = [p for pos, p in mentions if pos < m.start()]
                proceeding = named[-1] if named else carried
                if "诉讼请求" in m.group(0) or "起诉" in m.group(0):
                    proceeding = "litigation"
                if proceeding is None:
                    continue
                facts.add(f"{proceeding}_{outcome}", figure_value(m.group("n")), sentence, _period(text, m.start()))
    if case_spans:
        named = [m.group(0) for m in PROC_MENTION.finditer(text)]
        ctx.proceeding = "review" if named and named[-1] == "行政复议" else "litigation" if named else None
    else:
        ctx.proceeding = None


def sentences(line: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(line) if s.strip()]
