"""Random, truncated and mangled documents: the parser returns a record with findings, never raises."""

from __future__ import annotations

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ogi.parse.report import parse_bytes
from tests.conftest import CORPUS, SCHEMA

SOURCES = sorted(p for p in (CORPUS / "seeds").glob("*.txt")) + sorted((CORPUS / "pages").rglob("*.html"))
DOCS = [p.read_bytes() for p in SOURCES]
TABLE_WORDS = ["一、本年新收政府信息公开申请数量", "(七)总计", "行政复议", "结果维持", "总计", "信息内容", "规章",
               "本年制发件数", "|", " | ", "||", "\n", "0", "12", "-", "无", "<td rowspan=3>", "</tr>", "<table>",
               "第二十条第(一)项", "三、本年度办理结果", "21710000218", "2648-18538", "二〇一九年"]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parses(data: bytes, name: str) -> None:
    record = parse_bytes(data, name).to_record()
    jsonschema.validate(record, SCHEMA)


@FAST
@given(st.binary(max_size=4000), st.sampled_from(["x.html", "x.txt", "x.pdf", "x.docx", "x"]))
def test_random_bytes(data: bytes, name: str) -> None:
    _parses(data, name)


@FAST
@given(st.integers(0, len(DOCS) - 1), st.floats(0.0, 1.0))
def test_truncated_reports(index: int, fraction: float) -> None:
    data = DOCS[index]
    _parses(data[: int(len(data) * fraction)], SOURCES[index].name)


@FAST
@given(st.lists(st.one_of(st.sampled_from(TABLE_WORDS), st.text(max_size=20)), max_size=300))
def test_table_like_noise(pieces: list[str]) -> None:
    _parses("".join(pieces).encode("utf-8"), "noise.txt")
    _parses(("<html><body><table><tr><td>" + "</td><td>".join(pieces) + "</td></tr></table></body></html>").encode(),
            "noise.html")


@FAST
@given(st.integers(0, len(DOCS) - 1), st.lists(st.tuples(st.floats(0, 1), st.binary(max_size=8)), max_size=20))
def test_mangled_reports(index: int, edits: list[tuple[float, bytes]]) -> None:
    data = bytearray(DOCS[index])
    for where, junk in edits:
        pos = int(len(data) * where)
        data[pos:pos + len(junk)] = junk
    _parses(bytes(data), SOURCES[index].name)


HEADINGS = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况"]
ROW_WORDS = TABLE_WORDS + ["1.属于国家秘密", "2.", "（二）部分公开", "4910000502.没有", "500000 5", "（1）", "数据1", "项目",
                           "— 4 —", "第 3 页", "|  |", "商业", "企业", "行政规范性文件", "77132470", "5949.088667", "0 1 1 0"]


@FAST
@given(st.lists(st.one_of(st.sampled_from(ROW_WORDS + HEADINGS), st.text(max_size=12)), max_size=200))
def test_whole_pages_on_one_line(pieces: list[str]) -> None:
    """A crawler's one-line page of random table words: read within bounds, never a crash."""
    line = "".join([HEADINGS[0], *pieces[: len(pieces) // 2], HEADINGS[1], *pieces[len(pieces) // 2:], HEADINGS[3]])
    _parses(("标题: x2022年政府信息公开工作年度报告\n" + line + "。" * 50).encode("utf-8"), "crawler.txt")


@FAST
@given(st.lists(st.one_of(st.sampled_from(ROW_WORDS), st.text(max_size=8)), max_size=200),
       st.sampled_from(["\n", "\n|\n", "\n\n", " |\n"]))
def test_one_cell_per_line_and_markdown_noise(pieces: list[str], joiner: str) -> None:
    _parses((HEADINGS[1] + "\n" + joiner.join(pieces) + "\n" + HEADINGS[3]).encode("utf-8"), "cells.txt")
    _parses((HEADINGS[1] + "\n" + "\n".join("| " + " | ".join(pieces[k:k + 9]) + " |"
                                            for k in range(0, len(pieces), 9)) + "\n" + HEADINGS[3]).encode("utf-8"),
            "noise.md")
