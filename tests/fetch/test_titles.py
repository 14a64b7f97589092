"""Annual-report titles versus look-alikes, and years (also in Chinese numerals)."""

from __future__ import annotations

import pytest

from ogi.fetch.titles import best_title, is_annual_report, is_truncated, report_year, title_verdict

REPORTS = [
    ("平潭综合实验区2019年度政府信息公开工作年度报告", 2019),
    ("福州市地方税务局2013年信息公开年度报告", 2013),
    ("2019年政府信息公开年报", 2019),
    ("二〇一九年政府信息公开工作年度报告", 2019),
    ("某区人民政府二零二零年度政府信息公开工作年度报告", 2020),
    ("政府信息公开工作年度报告（２０１８年）", 2018),
    ("某县2015年政府信息公开工作报告", 2015),
    ("某市人民政府办公室2022年政务公开工作年度报告", 2022),
]
LOOKALIKES = [
    "关于2014年政府信息公开工作要点落实情况的函",
    "政府信息公开指南",
    "2020年政务公开工作要点",
    "关于做好2019年政府信息公开工作年度报告编制工作的通知",
    "关于报送2017年度政府信息公开工作年度报告的通知",
    "2019年政府信息公开工作年度报告解读",
    "2016年政府信息公开工作考核结果通报",
    "政府信息公开目录",
    "2019年国民经济和社会发展统计公报",
    "关于开展安全生产月活动的公告",
    "",
]


@pytest.mark.parametrize(("title", "year"), REPORTS)
def test_reports(title: str, year: int) -> None:
    assert is_annual_report(title), title_verdict(title)
    assert report_year(title) == year


@pytest.mark.parametrize("title", LOOKALIKES)
def test_lookalikes(title: str) -> None:
    assert not is_annual_report(title)


def test_truncated_titles() -> None:
    cut = "平潭综合实验区2019年度政府信息公开工…"
    full = "平潭综合实验区2019年度政府信息公开工作年度报告"
    assert is_truncated(cut) and is_truncated("某某...") and not is_truncated(full)
    assert best_title(cut, full) == full
    assert best_title("平潭综合实验区2019年度政府信息", full) == full  # cut without a mark
    assert best_title(full, "点击查看") == full  # a junk title attribute is ignored
    assert best_title(full, None) == full
    assert not is_annual_report(cut)  # the cut text alone says too little
