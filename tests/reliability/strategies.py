"""Hypothesis strategies for hostile input: documents (HTML in any encoding, DOCX, PDF), tables, and
HTTP responses. Shared by the fuzz tests (a fixed, small budget) and scripts/fuzz-readers (long runs).

Everything is built from parts a real report has (labels, numbers, rowspan/colspan, merged DOCX
cells, text operators) mixed with the damage real sites produce, so the readers see inputs near
what they handle rather than only noise.
"""

from __future__ import annotations

import gzip
import html
import zlib
from dataclasses import dataclass, field

import badserver as bs
import bombs
from hypothesis import strategies as st

LABELS = ["一、主动公开政府信息情况", "本年新收政府信息公开申请数量", "（七）总计", "行政复议", "结果维持", "依申请公开",
          "规章", "本年制发件数", "其他处理", "自然人", "商业企业", "总计", "信息内容", "二〇二一年", "第二十条第(一)项"]
NUMBERS = st.one_of(st.integers(0, 99999).map(str), st.sampled_from(["", "-", "0", "1,234", "12.5%", "——", "无"]))
# Printable text (HTML cannot carry control characters or lone surrogates; the junk below adds them).
PRINTABLE = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co")), max_size=12)
TEXT = st.one_of(st.sampled_from(LABELS), NUMBERS, PRINTABLE)


# --- tables -----------------------------------------------------------------------------------------


@dataclass
class GridTable:
    rows: list[list[str]]
    spans: list[list[tuple[int, int]]] = field(default_factory=list)  # (rowspan, colspan) per cell


@st.composite
def tables(draw: st.DrawFn, max_rows: int = 12, max_cols: int = 8) -> GridTable:
    n_rows = draw(st.integers(1, max_rows))
    n_cols = draw(st.integers(1, max_cols))
    rows = [[draw(TEXT) for _ in range(draw(st.integers(0, n_cols)))] for _ in range(n_rows)]
    spans = [[(draw(st.sampled_from([1, 1, 1, 2, 3, 0, 99])), draw(st.sampled_from([1, 1, 2, 5, 0, -1])))
              for _ in row] for row in rows]
    return GridTable(rows, spans)


def table_html(t: GridTable) -> str:
    out = ["<table border=1>"]
    for row, spans in zip(t.rows, t.spans, strict=True):
        cells = "".join(f'<td rowspan="{r}" colspan="{c}">{html.escape(text)}</td>' for text, (r, c) in zip(row, spans,
                                                                                                         strict=True))
        out.append(f"<tr>{cells}</tr>")
    return "".join(out) + "</table>"


def table_text(t: GridTable, style: str) -> str:
    if style == "pipes":
        return "\n".join("| " + " | ".join(r) + " |" for r in t.rows)
    if style == "cell_per_line":
        return "\n".join(c for r in t.rows for c in r)
    return "\n".join("  ".join(r) for r in t.rows)


# --- documents --------------------------------------------------------------------------------------

ENCODINGS = ["utf-8", "gbk", "utf-16-le", "utf-16-be", "utf-8-sig", "mixed"]


def _encode(text: str, codec: str) -> bytes:
    if codec == "mixed":  # a UTF-8 template around a GBK article
        half = len(text) // 2
        return text[:half].encode("utf-8", "replace") + text[half:].encode("gbk", "replace")
    return text.encode(codec, "replace")


@st.composite
def html_documents(draw: st.DrawFn) -> tuple[bytes, str | None]:
    """(bytes, Content-Type) of an HTML page: nesting, tables, entities, a charset that may lie."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["p", "table", "div", "nest", "junk", "script"]))
        if kind == "table":
            parts.append(table_html(draw(tables())))
        elif kind == "nest":
            depth = draw(st.integers(1, 60))
            parts.append("<div>" * depth + html.escape(draw(TEXT)) + "</div>" * draw(st.integers(0, depth)))
        elif kind == "junk":
            parts.append(draw(st.sampled_from(["<", ">", "&#0;", "&#xD800;", "<!--", "]]>", "<td>", "</table>",
                                               "<br/>" * 50, "\x00", "\ufffd", "&nbsp;" * 20])))
        elif kind == "script":
            parts.append("<script>" + draw(st.text(max_size=40)) + "</script>")
        else:
            parts.append(f"<{kind}>" + html.escape(draw(st.text(max_size=80))) + draw(TEXT) + f"</{kind}>")
    declared = draw(st.sampled_from(["utf-8", "gbk", "gb2312", "utf-16", "big5", "x-unknown", None]))
    meta = f'<meta charset="{declared}">' if declared and draw(st.booleans()) else ""
    page = f"<html><head>{meta}<title>{draw(TEXT)}</title></head><body>{''.join(parts)}</body></html>"
    codec = draw(st.sampled_from(ENCODINGS))
    ctype = draw(st.sampled_from([None, "text/html", f"text/html; charset={declared}" if declared else "text/html"]))
    return _encode(page, codec), ctype


@st.composite
def text_documents(draw: st.DrawFn) -> bytes:
    blocks = [table_text(draw(tables()), draw(st.sampled_from(["pipes", "cell_per_line", "columns"])))
              for _ in range(draw(st.integers(0, 4)))]
    blocks += [draw(st.text(max_size=200)) for _ in range(draw(st.integers(0, 3)))]
    return _encode("\n".join(blocks), draw(st.sampled_from(ENCODINGS)))


def _w_text(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{html.escape(text)}</w:t></w:r>'


@st.composite
def docx_documents(draw: st.DrawFn) -> tuple[bytes, list[str]]:
    """(DOCX bytes, the paragraph texts it holds in order). Tables carry gridSpan, vMerge, gridBefore,
    nested tables and content controls; the paragraphs are plain so their text can be checked."""
    body: list[str] = []
    paragraphs: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.booleans()):
            text = draw(st.sampled_from(LABELS)) + draw(st.text(alphabet="年度报告政府信息公开0123456789", max_size=20))
            paragraphs.append(text)
            body.append(f"<w:p>{_w_text(text)}</w:p>")
        else:
            t = draw(tables(max_rows=6, max_cols=5))
            rows = []
            for row, spans in zip(t.rows, t.spans, strict=True):
                cells = []
                for text, (r, c) in zip(row, spans, strict=True):
                    props = ""
                    if c != 1:
                        props += f'<w:gridSpan w:val="{c}"/>'
                    if r == 0:
                        props += "<w:vMerge/>"
                    elif r > 1:
                        props += '<w:vMerge w:val="restart"/>'
                    inner = f"<w:p>{_w_text(text)}</w:p>"
                    if r == 99:
                        inner = f"<w:sdt><w:sdtContent><w:tbl><w:tr><w:tc>{inner}</w:tc></w:tr></w:tbl></w:sdtContent></w:sdt>"
                    cells.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{inner}</w:tc>")
                before = draw(st.sampled_from(["", '<w:trPr><w:gridBefore w:val="1"/></w:trPr>', "<w:trPr/>"]))
                rows.append(f"<w:tr>{before}{''.join(cells)}</w:tr>")
            body.append("<w:tbl>" + "".join(rows) + "</w:tbl>")
    return bombs.docx("".join(body).encode("utf-8"), 1), paragraphs


_OPS = [b"BT /F1 12 Tf 72 700 Td (2021) Tj ET", b"0 0 m 100 100 l S", b"10 10 200 20 re f", b"10 10 200 20 re S",
        b"q 1 0 0 1 5 5 cm Q", b"BT /F1 9 Tf 100 500 Td [(12) 120 (34)] TJ ET", b"BT /F9 12 Tf (x) Tj ET",
        b"1 0 0 RG 0.5 w", b"BT /F1 12 Tf 72 650 Td <FEFF0041> Tj ET", b"[ 1 2 ] 0 d", b"/Im1 Do", b"(unclosed",
        b"BT ET ET BT", b"999999999999 0 Td", b"-1e308 1e308 m", b"<< /A 1 >> BDC EMC"]


@st.composite
def pdf_documents(draw: st.DrawFn) -> bytes:
    """A PDF of 1-4 pages whose content streams are random sequences of real (and broken) operators."""
    pages = []
    for _ in range(draw(st.integers(1, 4))):
        ops = draw(st.lists(st.one_of(st.sampled_from(_OPS), st.binary(max_size=16)), max_size=40))
        stream = b"\n".join(ops)
        pages.append(zlib.compress(stream) if draw(st.booleans()) else bombs.zlib_stream(stream or b" ", 1))
    return bombs.pdf(pages)


# --- HTTP responses ---------------------------------------------------------------------------------


@dataclass
class HttpResponse:
    """What a server sends, and whether it is a well-formed response the client should store."""

    raw: bytes
    well_formed: bool
    body: bytes


@st.composite
def http_responses(draw: st.DrawFn) -> HttpResponse:
    body = draw(st.one_of(st.binary(max_size=3000), st.just(bs.BODY)))
    status = draw(st.sampled_from([200, 200, 200, 204, 301, 302, 304, 403, 404, 410, 412, 429, 500, 503, 999]))
    reason = draw(st.sampled_from(["OK", "", "Whatever", "错误"]))
    encoding = draw(st.sampled_from(["identity", "identity", "gzip", "deflate", "broken-gzip", "br"]))
    payload = body
    if encoding == "gzip":
        payload = gzip.compress(body)
    elif encoding == "deflate":
        payload = zlib.compress(body)
    elif encoding == "broken-gzip":
        payload = gzip.compress(body)[:-9] + b"garbage!!"
    framing = draw(st.sampled_from(["length", "length", "short", "long", "none", "chunked", "bad-chunked"]))
    headers = [("Content-Type", draw(st.sampled_from(["text/html; charset=utf-8", "application/pdf", "text/html",
                                                      "x/\x7f", ""])))]
    if encoding not in ("identity",):
        headers.append(("Content-Encoding", "gzip" if encoding == "broken-gzip" else encoding))
    if status in (301, 302):
        headers.append(("Location", draw(st.sampled_from(["/ok", "file:///etc/passwd", "http://mirror.example.com/",
                                                          "javascript:alert(1)", "", "//127.0.0.1:1/x"]))))
    headers += draw(st.lists(st.tuples(st.sampled_from(["X-A", "Set-Cookie", "Retry-After", "ETag", "Last-Modified"]),
                                       st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126),
                                               max_size=30)), max_size=4))
    if framing == "chunked" or framing == "bad-chunked":
        headers.append(("Transfer-Encoding", "chunked"))
        size = draw(st.integers(1, 700))
        chunks = [payload[i:i + size] for i in range(0, len(payload), size)]
        data = b"".join(b"%x\r\n" % len(c) + c + b"\r\n" for c in chunks) + b"0\r\n\r\n"
        if framing == "bad-chunked":
            data = data.replace(b"\r\n", b"\n", 1) + b"zz\r\n"
    else:
        length = {"length": len(payload), "short": max(0, len(payload) - 7), "long": len(payload) + 100}.get(framing)
        if length is not None:
            headers.append(("Content-Length", str(length)))
        data = payload
    head = f"HTTP/1.1 {status} {reason}\r\n".encode() + b"Connection: close\r\n" + b"".join(
        f"{k}: {v}\r\n".encode("utf-8", "replace") for k, v in headers) + b"\r\n"
    well_formed = (status == 200 and encoding in ("identity", "gzip", "deflate") and framing in ("length", "chunked")
                   and len(body) >= 200 and body == bs.BODY)
    return HttpResponse(head + data, well_formed, body)
