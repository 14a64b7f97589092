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
