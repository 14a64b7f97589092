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

from ogi.model import Block, Fact
from ogi.parse.facts.prose import Context, Facts, heading_of, sentence_facts, sentences
from ogi.parse.facts.statistics_table import table_facts
from ogi.parse.facts.vocabulary import TOP_HEADING


def extract_facts(blocks: list[Block], scope: str | None = None) -> list[Fact]:
    """Statistics-table rows first (the report's own tally), then the first sentence stating each fact."""
    printed, used = table_facts(blocks, scope)
    facts = Facts(scope)
    for fact in printed:
        facts.add_fact(fact)
    ctx = Context()
    index = 0
    for i, block in enumerate(blocks):
        if not isinstance(block, str) or i in used:
            continue
        heading = heading_of(block)
        if heading is not None:
            if TOP_HEADING.match(heading):
                ctx.top, ctx.sub = heading, ""
            else:
                ctx.sub = heading
            ctx.last_heading = heading
        for sentence in sentences(block):
            sentence_facts(sentence, index, ctx, facts)
            index += 1
    return list(facts.by_key.values())
