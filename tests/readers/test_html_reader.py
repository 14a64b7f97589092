"""The HTML reader on real page markup: wrappers that hold the report, sloppy nesting, lost text.

Pages are the labelled corpus's own (tests/corpus) with their markup changed the way real sites
change it; a reading is right when it yields the very cells the unchanged page yields.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ogi.model import Table
from ogi.parse.report import parse_bytes
from ogi.read.html import read_html

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
PAGE = (CORPUS / "hr01_wuxi_liangxi_2022" / "document.html").read_bytes().decode("utf-8")
REPORT_HEADING = "三、收到和处理政府信息公开申请情况"


def _cells(html: str) -> list[tuple[str, str, str, str | None]]:
    report = parse_bytes(html.encode("utf-8"), "page.html")
    return [(c.table, c.row, c.col, c.raw) for c in report.cells]


BASELINE = _cells(PAGE)


def _body(html: str) -> tuple[str, str, str]:
    """(up to and with <body …>, the body's inside, from </body> on)."""
    m = re.search(r"(?is)(.*?<body[^>]*>)(.*)(</body>.*)", html)
    assert m
    return m.group(1), m.group(2), m.group(3)


def _wrap(before: str, after: str = "") -> str:
    head, inside, tail = _body(PAGE)
    return head + before + inside + after + tail


ASPNET_FORM_OPEN = (
    '<form method="post" action="./Default.aspx?id=1024" id="form1">'
    '<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1Mg9k'
    'FgJmD2QWAgIDD2QWBAIBDxYCHgRUZXh0BQnpppbpobVkZGQ=" /></div>'
    '<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
    '<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>')


@pytest.mark.parametrize(("name", "before", "after"), [
    ("asp.net form around the whole body", ASPNET_FORM_OPEN, "</form>"),
    ("nav around the whole body", '<nav class="main"><ul><li><a href="/">首页</a></li><li><a href="/a">机构</a></li>'
                                  '<li><a href="/b">政策</a></li><li><a href="/c">公开</a></li></ul>', "</nav>"),
    ("embed before the body", '<embed src="/flash/banner.swf" width="1000" height="120">', ""),
    ("unclosed noscript before the body", "<noscript>您的浏览器不支持JavaScript，请开启后浏览本站", ""),
    ("unclosed select before the body", '<select onchange="go(this)"><option>网站群导航<option>区级部门<option>街道', ""),
    ("unclosed button before the body", '<button type="button" class="search">搜索', ""),
])
def test_a_wrapper_never_takes_the_report_with_it(name: str, before: str, after: str) -> None:
    html = _wrap(before, after)
    assert _cells(html) == BASELINE, name
    doc = read_html(html.encode("utf-8"))
    assert any(isinstance(b, str) and REPORT_HEADING in b for b in doc.blocks)
    assert len(doc.tables()) == len(read_html(PAGE.encode("utf-8")).tables())


def test_an_unclosed_wrapper_that_swallowed_the_report_is_a_finding() -> None:
    doc = read_html(_wrap('<select><option>网站群导航<option>区级部门').encode("utf-8"))
    kept = [f for f in doc.findings if f.check == "wrapper_kept"]
    assert kept and "<select>" in kept[0].message
    # the drop-down's own options are not report text
    assert not any(isinstance(b, str) and "网站群导航" in b for b in doc.blocks)


def test_small_widgets_and_navigation_lists_are_still_chrome() -> None:
    widgets = ('<form action="/search"><input name="q"><button>搜索</button></form>'
               '<select><option>友情链接</option><option>国务院</option></select>'
               '<noscript>请开启JavaScript</noscript>')
    doc = read_html(_wrap(widgets).encode("utf-8"))
    text = "".join(b for b in doc.blocks if isinstance(b, str))
    assert "搜索" not in text and "友情链接" not in text and "请开启JavaScript" not in text
    assert _cells(_wrap(widgets)) == BASELINE


def test_link_farms_inside_the_article_are_dropped_by_what_they_are() -> None:
    farm = "<ul>" + "".join(f'<li><a href="/l{i}">相关链接第{i}条政务公开专题</a></li>' for i in range(8)) + "</ul>"
    head, inside, tail = _body(PAGE)
    html = head + inside.replace(REPORT_HEADING, REPORT_HEADING + "</p>" + farm + "<p>", 1) + tail
    doc = read_html(html.encode("utf-8"))
    assert not any(isinstance(b, str) and "相关链接第" in b for b in doc.blocks)
    assert _cells(html) == BASELINE


def test_four_hundred_unclosed_spans_are_read_to_the_end() -> None:
    """Inline tags never closed nest 800 deep: no depth cut, no recursion limit, every paragraph kept."""
    paragraphs = "".join(f"<p><span style='font-size:12pt'>第{i}段：本机关依法公开政府信息。" for i in range(400))
    html = _wrap(paragraphs)
    doc = read_html(html.encode("utf-8"))
    lines = [b for b in doc.blocks if isinstance(b, str) and re.match(r"第\d+段", b)]
    assert len(lines) == 400 and lines[-1].startswith("第399段")
    assert not [f for f in doc.findings if f.check in ("tree_cut", "text_lost")]
    assert _cells(html) == BASELINE  # the tables after the nesting are still read


def test_text_after_the_closing_html_tag_is_read() -> None:
    head, inside, tail = _body(PAGE)
    start = inside.index("<table")
    html = head + inside[:start] + "</body></html>" + inside[start:] + tail
    doc = read_html(html.encode("utf-8"))
    assert any(f.check == "text_after_html_end" for f in doc.findings)
    assert _cells(html) == BASELINE


def test_text_the_parser_loses_is_a_finding() -> None:
    """An attribute quote never closed swallows the text after it into the attribute: counted, and said."""
    html = ('<html><body><p>一、总体情况</p><p class="MsoNormal>' + "本年新收政府信息公开申请数量" * 40
            + "</p><p>二、主动公开政府信息情况</p></body></html>")
    doc = read_html(html.encode("utf-8"))
    finding = next(f for f in doc.findings if f.check == "text_lost")
    assert finding.severity == "warn" and "letters and digits" in finding.message


def test_tables_keep_their_place_in_reading_order() -> None:
    doc = read_html(_wrap(ASPNET_FORM_OPEN, "</form>").encode("utf-8"))
    kinds = [isinstance(b, Table) for b in doc.blocks]
    heading = next(i for i, b in enumerate(doc.blocks) if isinstance(b, str) and REPORT_HEADING in b)
    assert kinds[heading + 1]
