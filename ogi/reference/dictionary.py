"""The data dictionary: every canonical key with its Chinese label, table, printed order and formats.

Labels are those of the official templates (国办公开办函〔2019〕60号 and 〔2021〕30号) as
spec/report-tables.md gives them; `order` is the printed order within the table, so BI tools sort
rows and columns as the reports print them rather than alphabetically.
"""

from __future__ import annotations

from dataclasses import dataclass

from ogi.reference import keys


@dataclass(frozen=True)
class Entry:
    kind: str  # row | col | fact | item | measure | proceeding | outcome
    table: str | None  # active | requests | review_litigation; None for prose facts
    key: str
    label: str
    order: int
    formats: tuple[str, ...]


_BOTH = ("2019", "2021")

_REQUEST_COL_LABELS = {
    "natural_person": "自然人", "commercial": "法人或其他组织·商业企业", "research": "法人或其他组织·科研机构",
    "social_org": "法人或其他组织·社会公益组织", "legal_service": "法人或其他组织·法律服务机构",
    "other_org": "法人或其他组织·其他", "total": "总计",
}
_REQUEST_ROW_LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "三、本年度办理结果·（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied_state_secret": "（三）不予公开·1.属于国家秘密",
    "denied_law_prohibited": "（三）不予公开·2.其他法律行政法规禁止公开",
    "denied_security_stability": "（三）不予公开·3.危及“三安全一稳定”",
    "denied_third_party": "（三）不予公开·4.保护第三方合法权益",
    "denied_internal_affairs": "（三）不予公开·5.属于三类内部事务信息",
    "denied_process_info": "（三）不予公开·6.属于四类过程性信息",
    "denied_enforcement_file": "（三）不予公开·7.属于行政执法案卷",
    "denied_query_matter": "（三）不予公开·8.属于行政查询事项",
    "unavailable_not_held": "（四）无法提供·1.本机关不掌握相关政府信息",
    "unavailable_needs_creation": "（四）无法提供·2.没有现成信息需要另行制作",
    "unavailable_unclear": "（四）无法提供·3.补正后申请内容仍不明确",
    "not_processed_petition": "（五）不予处理·1.信访举报投诉类申请",
    "not_processed_duplicate": "（五）不予处理·2.重复申请",
    "not_processed_publication": "（五）不予处理·3.要求提供公开出版物",
    "not_processed_excessive": "（五）不予处理·4.无正当理由大量反复申请",
    "not_processed_confirmation": "（五）不予处理·5.要求行政机关确认或重新出具已获取信息",
    "other": "（六）其他处理",
    "other_no_correction": "（六）其他处理·1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "（六）其他处理·2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_misc": "（六）其他处理·3.其他",
    "total_processed": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
_ACTIVE_ITEM_LABELS = {
    "regulations": "规章", "normative_documents": "行政规范性文件", "licensing": "行政许可",
    "other_services": "其他对外管理服务事项", "penalty": "行政处罚", "coercion": "行政强制",
    "fees": "行政事业性收费", "procurement": "政府集中采购",
}
_ACTIVE_MEASURE_LABELS = {
    "issued": ("本年制发件数", ("2021",)), "repealed": ("本年废止件数", ("2021",)),
    "in_force": ("现行有效件数", ("2021",)), "decisions": ("处理决定数量", _BOTH),
    "fee_amount": ("本年收费金额（万元）", ("2021",)),
    "new_made": ("本年新制作数量", ("2019",)), "new_published": ("本年新公开数量", ("2019",)),
    "total_published": ("对外公开总数量", ("2019",)), "prev_year_items": ("上一年项目数量", ("2019",)),
    "change": ("本年增/减", ("2019",)), "items": ("采购项目数量", ("2019",)), "amount": ("采购总金额", ("2019",)),
}
_PROCEEDING_LABELS = {"review": "行政复议", "litigation_direct": "行政诉讼·未经复议直接起诉",
                      "litigation_after_review": "行政诉讼·复议后起诉"}
_OUTCOME_LABELS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
                   "total": "总计"}
_FACT_LABELS = {
    "proactive_items": "主动公开政府信息（条）", "requests_received": "受理政府信息公开申请（件）",
    "requests_granted": "同意公开（件）", "requests_partially_granted": "同意部分公开（件）",
    "requests_denied": "不予公开（件）", "requests_completed_on_time": "按时办结（件）",
    "requests_completed_extended": "延期办结（件）", "review_cases": "政府信息公开行政复议（件）",
    "review_upheld": "行政复议·维持", "review_corrected": "行政复议·纠错", "review_other": "行政复议·其他情形",
    "litigation_cases": "政府信息公开行政诉讼（件）", "litigation_upheld": "行政诉讼·维持",
    "litigation_corrected": "行政诉讼·纠错", "litigation_other": "行政诉讼·其他情形",
    "fees_charged": "依申请公开收费（元）",
}


def _item_formats(item: str) -> tuple[str, ...]:
    return tuple(f for f in ("2019", "2021") if item in keys.TEMPLATE_MEASURES[f])


def entries() -> list[Entry]:
    out: list[Entry] = []
    for i, item in enumerate(keys.ACTIVE_ITEMS):
        out.append(Entry("item", "active", item, _ACTIVE_ITEM_LABELS[item], i, _item_formats(item)))
    for i, measure in enumerate(keys.ACTIVE_MEASURES):
        label, formats = _ACTIVE_MEASURE_LABELS[measure]
        out.append(Entry("measure", "active", measure, label, i, formats))
    order = {k: i for i, k in enumerate(keys.ALL_REQUEST_ROWS)}
    for row in keys.ALL_REQUEST_ROWS:
        formats = ("2019",) if row in keys.OTHER_ROWS_2019 else ("2021",) if row in keys.OTHER_ROWS_2021 else _BOTH
        out.append(Entry("row", "requests", row, _REQUEST_ROW_LABELS[row], order[row], formats))
    for i, col in enumerate(keys.REQUEST_COLS):
        out.append(Entry("col", "requests", col, _REQUEST_COL_LABELS[col], i, _BOTH))
    for i, proc in enumerate(keys.PROCEEDINGS):
        out.append(Entry("proceeding", "review_litigation", proc, _PROCEEDING_LABELS[proc], i, _BOTH))
    for i, outcome in enumerate(keys.OUTCOMES):
        out.append(Entry("outcome", "review_litigation", outcome, _OUTCOME_LABELS[outcome], i, _BOTH))
    for i, fact in enumerate(keys.FACT_KEYS):
        out.append(Entry("fact", None, fact, _FACT_LABELS[fact], i, ("pre2019",)))
    return out
