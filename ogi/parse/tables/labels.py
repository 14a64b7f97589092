"""Printed labels → canonical keys, by meaning rather than exact wording.

Labels in the wild differ in numbering (`1.` / `1、` / `（1）`), brackets, spacing and typos
(上年转结, 其他法律行政止公开); matching runs on squashed text (textnorm.squash).
"""

from __future__ import annotations

import functools
import re

from ogi.text.normalize import squash

MAX_LABEL_CHARS = 90
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十]+\)|\(?\d+\)|\d+[、.．])+")


def strip_numbering(text: str) -> str:
    return _NUMBERING.sub("", text)


def could_be_label(text: str) -> bool:
    """A table label is short and not a sentence."""
    return 0 < len(text) <= MAX_LABEL_CHARS and "。" not in text


# --- requests ------------------------------------------------------------------------------------
# Group labels carry no numbers of their own; the rows under them do.
GROUP_DENIED = "group:denied"
GROUP_UNAVAILABLE = "group:unavailable"
GROUP_NOT_PROCESSED = "group:not_processed"
GROUP_OTHER = "group:other"
GROUP_RESULTS = "group:results"

# Ordered: the first pattern that matches wins, so specific wordings come before general ones.
_REQUEST_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pat))
    for key, pat in (
        ("new_received", r"本年(度)?新收"),
        ("carried_over", r"上一?年(度)?(结转|转结)"),
        ("carried_forward", r"(结转|转结)下一?年"),
        ("denied_state_secret", r"国家秘密"),
        ("denied_law_prohibited", r"法律.{0,6}(禁止|止)公开|禁止公开|法律行政法规禁|法规禁止"),
        ("denied_security_stability", r"三安全一稳定|危及"),
        ("denied_third_party", r"第三方"),
        ("denied_internal_affairs", r"内部事务"),
        ("denied_process_info", r"过程性信息"),
        ("denied_enforcement_file", r"执法案卷"),
        ("denied_query_matter", r"查询事项"),
        ("unavailable_not_held", r"不掌握"),
        ("unavailable_needs_creation", r"另行制作|没有现成"),
        ("unavailable_unclear", r"仍不明确|内容不明确|补正后申请"),
        ("other_no_correction", r"不补正|逾期不补"),
        ("other_unpaid_fee", r"缴纳费用|收费通知|逾期未按收费"),
        ("not_processed_petition", r"信访|举报投诉"),
        ("not_processed_duplicate", r"重复申请"),
        ("not_processed_publication", r"出版物"),
        ("not_processed_excessive", r"大量反复|反复申请"),
        ("not_processed_confirmation", r"确认或重新|重新出具"),
        ("partially_granted", r"部分公开"),
        ("granted", r"予以公开"),
        (GROUP_DENIED, r"不予公开"),
        (GROUP_UNAVAILABLE, r"无法提供"),
        (GROUP_NOT_PROCESSED, r"不予处理"),
        (GROUP_OTHER, r"其他处理"),
        (GROUP_RESULTS, r"办理结果"),
    )
)
_TOTAL_PROCESSED = re.compile(r"^(\(七\)|七[、.])?总计$")
_OTHER_MISC = re.compile(r"^(\d+[、.]|\(\d+\))?其他(情形)?$")


@functools.lru_cache(maxsize=8192)
def request_label(label: str, group: str | None) -> str | None:
    """Key of a requests-table row label, a GROUP_* marker, or None for anything else.

    `group` is the last group label seen; it disambiguates 3.其他 (only a row under (六)其他处理)
    and the bare 总计 (the column header before any outcome row, the (七) row after them).
    """
    text = squash(label)
    if not could_be_label(text) or "勾稽" in text:
        return None
    if _TOTAL_PROCESSED.match(text):
        return "total_processed" if (text != "总计" or group is not None) else None
    if _OTHER_MISC.match(text):
        return "other_misc" if group == GROUP_OTHER else None
    for key, pat in _REQUEST_PATTERNS:
        if pat.search(text):
            return key
    return None


# --- active --------------------------------------------------------------------------------------
_ACTIVE_ITEMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pat))
    for key, pat in (
        ("normative_documents", r"^(行政)?规范性文件$"),
        ("regulations", r"^规章$"),
        ("licensing", r"^行政许可$"),
        ("other_services", r"^其他对外管理服务事项$"),
        ("penalty", r"^行政处罚$"),
        ("coercion", r"^行政强制$"),
        ("fees", r"^行政事业性收费$"),
        ("procurement", r"^政府集中采购$"),
    )
)
_MEASURES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pat))
    for key, pat in (
        ("issued", r"制发"),
        ("repealed", r"废止"),
        ("in_force", r"现行有效"),
        ("new_made", r"新制作"),
        ("new_published", r"新公开"),
        ("total_published", r"对外公开总"),
        ("prev_year_items", r"上一?年.*项目|^上一?年度?$"),
        ("change", r"增/?减|增减"),
        ("decisions", r"处理决定"),
        ("fee_amount", r"收费金额"),
        ("items", r"采购项目"),
        ("amount", r"采购.*金额|总金额"),
    )
)
_UNIT_IN_HEADER = re.compile(r"\((万元|亿元|元)\)|（(万元|亿元|元)）|单位[:：]?(万元|亿元|元)")


@functools.lru_cache(maxsize=8192)
def active_item(label: str) -> str | None:
    text = strip_numbering(squash(label))
    text = re.sub(r"\(.*?\)$", "", text)
    for key, pat in _ACTIVE_ITEMS:
        if pat.search(text):
            return key
    return None


@functools.lru_cache(maxsize=8192)
def active_measure(label: str) -> tuple[str, str | None] | None:
    """(measure key, unit printed in the header or None) for a header cell of the active table."""
    text = squash(label)
    if not could_be_label(text):
        return None
    for key, pat in _MEASURES:
        if pat.search(text):
            m = _UNIT_IN_HEADER.search(text)
            unit = next((g for g in m.groups() if g), None) if m else None
            return key, unit
    return None


def is_active_header_start(label: str) -> bool:
    return squash(label) in {"信息内容", "项目", "内容"}


def active_header_cells(label: str) -> list[str] | None:
    """A header row extracted as one line ("信息内容 本年制发件数 本年废止件数 …"): its measure cells."""
    parts = label.split()
    if len(parts) > 1 and squash(parts[0]) == "信息内容":
        return parts[1:]
    return None


# Which group a row belongs to, so a row printed with its group label on the same line still
# opens the group for the rows after it.
ROW_GROUP = {
    **{k: GROUP_DENIED for k in ("denied_state_secret", "denied_law_prohibited", "denied_security_stability",
                                 "denied_third_party", "denied_internal_affairs", "denied_process_info",
                                 "denied_enforcement_file", "denied_query_matter")},
    **{k: GROUP_UNAVAILABLE for k in ("unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear")},
    **{k: GROUP_NOT_PROCESSED for k in ("not_processed_petition", "not_processed_duplicate", "not_processed_publication",
                                        "not_processed_excessive", "not_processed_confirmation")},
    **{k: GROUP_OTHER for k in ("other_no_correction", "other_unpaid_fee", "other_misc")},
}


# --- review_litigation ---------------------------------------------------------------------------
_OUTCOME_HEADERS = re.compile(r"^(结果维持|结果纠正|其他结果|尚未审结|总计|维持|纠正)$")


def is_review_outcome_header(label: str) -> bool:
    return bool(_OUTCOME_HEADERS.match(squash(label)))


# --- sections ------------------------------------------------------------------------------------
_MARKUP = re.compile(r"[*#>_`]+")


@functools.lru_cache(maxsize=8192)
def section_of(label: str) -> str | None:
    """Which table a heading or anchor cell opens: active / requests / review_litigation / end."""
    text = _MARKUP.sub("", squash(label))
    if len(text) > 60:
        return None
    if re.search(r"主动公开政府信息(的)?情况", text) or re.match(r"^第二十条第\(一\)项", text):
        return "active"
    if re.search(r"收到和处理政府信息公开申请|申请人情况", text):
        return "requests"
    if re.search(r"行政.?复议.{0,3}行政诉讼(的)?(情况)?$", text) and "政府信息公开" in text:
        return "review_litigation"
    if re.search(r"存在的?主要问题|改进情况|其他需要报告", text):
        return "end"
    return None
