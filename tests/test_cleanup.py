"""Cleanup records every change it makes; the article survives it."""

from __future__ import annotations

from ogi.model import Document
from ogi.parse.report import parse_bytes
from ogi.read.cleanup import clean
from tests.conftest import catalog_location


def test_duplicated_body_and_injected_spam_are_removed_with_findings():
    record = parse_bytes(catalog_location("huhhot-2018-html").read_bytes(), "huhhot.html").to_record()
    checks = {f["check"] for f in record["findings"]}
    assert {"duplicate_block_removed", "spam_removed"} <= checks
    spam = next(f for f in record["findings"] if f["check"] == "spam_removed")
    assert "pg电子" in spam["evidence"]
    facts = {f["key"]: f["value"] for f in record["facts"]}
    assert facts["requests_received"] == 216 and facts["review_cases"] == 20


def test_chrome_is_kept_as_metadata_before_it_is_dropped():
    record = parse_bytes(catalog_location("yiyang-2020-html").read_bytes(), "yiyang.html").to_record()
    assert record["report"]["published"] == "2021-01-29"
    assert any(f["check"] == "chrome_removed" for f in record["findings"])


def test_pinyin_glosses_are_removed():
    doc = clean(Document(blocks=["本机关政(zheng)府(fu)信息公开工作年度报告", "共受理政府信息公开申请3件。"]))
    assert doc.blocks[0] == "本机关政府信息公开工作年度报告"
    assert any(f.check == "pinyin_removed" for f in doc.findings)


def test_traditional_script_is_flagged():
    doc = clean(Document(blocks=["這個機關的政府資訊公開工作報告，國務院辦公廳統計資料。"]))
    assert any(f.check == "traditional_script" for f in doc.findings)
    simplified = clean(Document(blocks=["这个机关的政府信息公开工作报告，国务院办公厅统计资料。"]))
    assert not any(f.check == "traditional_script" for f in simplified.findings)


def test_a_sentence_that_mentions_a_lottery_is_not_spam():
    doc = clean(Document(blocks=["依法公开福利彩票公益金使用情况等信息共12条，接受社会监督，群众满意度进一步提升，各项工作有序推进，取得良好成效。"]))
    assert not any(f.check == "spam_removed" for f in doc.findings)
