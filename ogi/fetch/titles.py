"""Tell annual-report titles from look-alikes, and read the statistics year from a title.

Listings of a 政府信息公开 column mix the reports with guides (指南), work plans (工作要点),
notices about compiling the reports (关于做好…年度报告编制工作的通知) and letters (函); only the
reports are wanted. Decided from the title text alone, so it works on any site.
"""

from __future__ import annotations

import re
import unicodedata

from ogi.text.numerals import find_chinese_year as chinese_year

__all__ = [
    "best_title",
    "chinese_year",
    "is_annual_report",
    "is_truncated",
    "normalize_title",
    "report_year",
    "title_verdict",
]

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_YEAR_NIAN = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年|年度)")
_WS = re.compile(r"\s+")
_TRUNC = ("…", "...", "。。。", "..", "‥")

# A report title speaks of disclosure (信息公开 / 政务公开) and calls itself a report.
_TOPIC = re.compile(r"(政府信息公开|信息公开|政务公开|政务信息公开|公开信息)")
_REPORT = re.compile(r"(年度报告|年报|工作报告|年度工作报告|情况报告|报告)")
# Words that make a title something other than the report itself.
_NOT_REPORT = (
    "通知",
    "函",
    "要点",
    "指南",
    "编制",
    "做好",
    "印发",
    "报送",
    "填报",
    "提交",
    "督查",
    "督促",
    "考核",
    "考评",
    "评估",
    "测评",
    "检查",
    "通报",
    "解读",
    "图解",
    "方案",
    "意见",
    "目录",
    "制度",
    "规定",
    "办法",
    "培训",
    "会议",
    "征集",
    "征求",
    "申请表",
    "流程",
    "规范",
    "细则",
    "计划",
)


def normalize_title(text: str | None) -> str:
    """NFKC (full-width digits and brackets to ASCII), whitespace collapsed."""
    if not text:
        return ""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def is_truncated(text: str | None) -> bool:
    """True when link text was cut short by the CMS ("…" / "..." at the end)."""
    t = (text or "").rstrip()
    return t.endswith(_TRUNC)


def best_title(text: str | None, title_attr: str | None) -> str:
    """The fullest title a link offers: its `title` attribute when the text is truncated or shorter."""
    t = normalize_title(text)
    a = normalize_title(title_attr)
    if not a:
        return t
    if not t or is_truncated(t):
        return a
    # Prefer the attribute when it extends the text (CMSs often cut text without marking it).
    stem = t.rstrip("….")
    if len(a) > len(t) and (a.startswith(stem[: max(4, len(stem) // 2)]) or stem in a):
        return a
    return t


def report_year(title: str | None) -> int | None:
    """Statistics year from a title: "2019年度…" / "…2019年…" / "二〇一九年…" / "（2019）"."""
    t = normalize_title(title)
    if not t:
        return None
    m = _YEAR_NIAN.search(t)
    if m:
        return int(m.group(1))
    cn = chinese_year(t)
    if cn:
        return cn
    m = _YEAR.search(t)
    return int(m.group(1)) if m else None


def title_verdict(title: str | None) -> tuple[bool, str]:
    """(is_report, reason): why a title is or is not an annual disclosure report."""
    t = normalize_title(title)
    if not t:
        return False, "empty title"
    core = t.rstrip("….。‥") if is_truncated(t) else t
    if not _TOPIC.search(core):
        return False, "not about information disclosure"
    for word in _NOT_REPORT:
        if word in core:
            return False, f"look-alike ({word})"
    m = _REPORT.search(core)
    if not m:
        return False, "not a report"
    if m.group(1) == "报告" and report_year(core) is None and "年度" not in core:
        # A bare "…报告" without any year is usually a topical report, not the annual one.
        return False, "report without a year"
    return True, "annual report"


def is_annual_report(title: str | None) -> bool:
    """True for titles like "平潭综合实验区2019年度政府信息公开工作年度报告" or "2019年政府信息公开年报"."""
    return title_verdict(title)[0]
