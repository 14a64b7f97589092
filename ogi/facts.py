"""Figures stated in prose (pre-2019 reports), each kept with the sentence it came from."""

from __future__ import annotations

import re
from decimal import Decimal

from ogi.model import Block, Fact
from ogi.textnorm import squash

_SENTENCE_END = re.compile(r"(?<=[。！!？?])")
_PLATFORM = re.compile(r"(网站|平台|微博|微信|公报|客户端|新媒体|栏目|两微一端|短信)")
_NOT_REQUESTS = re.compile(r"(来信|来访|来电|热线|信箱|咨询|建议|提案|议案|投诉)")
_N = r"(\d+(?:\.\d+)?)"

# (key, pattern, sentence filter): the figure is the last group of the pattern.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pat))
    for key, pat in (
        ("proactive_items", rf"(?:主动|累计)公开(?:各类)?(?:政府|政务)?信息(?:共计?|总计|合计)?{_N}条"),
        ("requests_received", rf"(?:受理|收到|接收)(?:[^，,。]{{0,12}}?)(?:政府信息公开|依申请公开|信息公开)(?:[^，,。]{{0,6}}?)申请(?:共计?|总计|合计)?{_N}(?:件|条|个|宗)"),
        ("requests_received", rf"(?:受理|收到)(?:政府信息)?(?:依申请公开|公开申请)(?:共计?)?{_N}(?:件|条|个)"),
        ("requests_granted", rf"(?:同意公开|予以公开|全部公开)[”\"]?(?:的)?(?:共|有)?{_N}件"),
        ("requests_partially_granted", rf"(?:部分公开|局部公开|同意部分公开)[”\"]?(?:的)?(?:共|有)?{_N}件"),
        ("requests_denied", rf"不予公开[”\"]?(?:的)?(?:共|有)?{_N}件"),
        ("requests_completed_on_time", rf"按时办结{_N}件"),
        ("requests_completed_extended", rf"延期办结{_N}件"),
        ("review_cases", rf"政府信息公开(?:[^，,。]{{0,8}}?)行政复议(?:案件|案)?(?:共计?)?{_N}件"),
        ("litigation_cases", rf"政府信息公开(?:[^，,。]{{0,8}}?)行政诉讼(?:案件|案)?(?:共计?)?{_N}件"),
        ("fees_charged", rf"收取(?:[^，,。]{{0,10}}?)费(?:用)?(?:共计?)?{_N}元"),
    )
)
_OUTCOMES = (
    ("upheld", re.compile(rf"维持(?:具体行政行为|原具体行政行为)?(?:或驳回原告诉讼请求)?{_N}件")),
    ("corrected", re.compile(rf"(?:被依法纠错|依法纠错|纠正|撤销){_N}件")),
    ("other", re.compile(rf"其他(?:情形|结果)(?:数)?{_N}件")),
)
_NO_FEES = re.compile(r"(未收取任何费用|没有收取任何费用|未收取费用|未向申请人收取|未收取.{0,10}费用|无收费)")


def sentences(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            out.extend(s.strip() for s in _SENTENCE_END.split(block) if s.strip())
    return out


def _number(text: str) -> int | float:
    d = Decimal(text)
    return int(d) if d == d.to_integral_value() else float(d)


def extract_facts(blocks: list[Block], scope: str | None = None) -> list[Fact]:
    """First statement of each fact key; platform- or hotline-level figures are not the report's totals."""
    facts: dict[str, Fact] = {}
    found_at: dict[str, int] = {}
    for index, sentence in enumerate(sentences(blocks)):
        text = squash(sentence)
        period = "cumulative" if "历年累计" in text else "year"
        for key, pat in _RULES:
            if key in facts:
                continue
            m = pat.search(text)
            if not m:
                continue
            before = text[: m.start()]
            if key == "proactive_items" and _PLATFORM.search(before[-12:] + m.group(0)):
                continue
            if key.startswith("requests_") and _NOT_REQUESTS.search(m.group(0)):
                continue
            found_at[key] = index
            facts[key] = Fact(key=key, value=_number(m.group(m.lastindex or 1)), evidence=sentence, unit=_unit(key),
                              period=period, scope=scope)
        if "fees_charged" not in facts and _NO_FEES.search(text):
            facts["fees_charged"] = Fact("fees_charged", 0, sentence, unit="元", period=period, scope=scope)
        for proceeding in ("review", "litigation"):
            # Outcomes are stated in the case-count sentence or the one right after it.
            if index - found_at.get(f"{proceeding}_cases", -9) in (0, 1):
                for outcome, pat in _OUTCOMES:
                    key = f"{proceeding}_{outcome}"
                    m = pat.search(text)
                    if key not in facts and m:
                        facts[key] = Fact(key, _number(m.group(1)), sentence, unit="件", period=period, scope=scope)
    return list(facts.values())


def _unit(key: str) -> str:
    if key == "proactive_items":
        return "条"
    if key == "fees_charged":
        return "元"
    return "件"
