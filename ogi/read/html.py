"""HTML page → Document: the article's text lines and tables, with what the chrome said kept as meta.

Runs on lxml (the per-report hot path). The main content is found structurally: from <body>, go
down while a single child holds nearly all of the non-link text; site chrome (nav, link lists,
footers) is mostly link text or a small share, so it falls away without site-specific rules.

Chrome is removed by what a block is, never by the tag that wraps it: an ASP.NET page wraps its
whole body in a <form>, some CMSs put the article inside <nav>, and an unclosed <select>,
<button> or <noscript> (or an <embed> the parser does not know is empty) swallows everything after
it. Such an element is dropped only when it holds little of the page's text; one that holds the
report is unwrapped, with a finding. The tree is parsed without libxml2's depth limit (sloppy
markup with inline tags never closed nests hundreds deep) and walked iteratively; text the parser
lost, compared with the page's own text, is a finding.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from ogi.model import Block, Document, Finding, Table
from ogi.text.encoding import MIXED, decode
from ogi.text.normalize import collapse_space

# Never visible text.
_INVISIBLE_TAGS = ("script", "style", "template")
# Usually chrome or widgets, but an unclosed one (or a page-wide wrapper) may hold the whole report.
_WRAPPER_TAGS = ("noscript", "iframe", "form", "select", "button", "object", "embed", "svg", "nav", "textarea")
# An element holding this much of the page's non-link text, or a table, holds the report.
_REPORT_SHARE = 0.2
_REPORT_CHARS = 200
# Below this share of the source's own letters and digits, the parser lost text.
_KEPT_SHARE = 0.9
_CLOSING = re.compile(r"</\s*(?:body|html)\s*>", re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article", "header", "footer", "aside", "blockquote", "pre", "tr", "center", "address", "figure", "figcaption", "hr", "main"]
)
_META_NAMES = {
    "articletitle": "title",
    "pubdate": "published",
    "contentsource": "source",
    "siteidcode": "site_id_code",
    "sitename": "site_name",
    "columnname": "column",
    "keywords": "keywords",
    "description": "description",
    "author": "author",
}
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")
# Share of a node's non-link text that one child must hold for the descent to continue.
_DOMINANT_SHARE = 0.85


def cell_text(el: etree._Element) -> str:
    """A table cell's printed text: <br> and wrapped lines joined, stray spaces between CJK dropped."""
    parts: list[str] = []
    for node in el.iter():
        if node.tag == "br":
            parts.append("\n")
        if node.text and node.tag not in ("script", "style"):
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    text = "".join(parts).replace("\xa0", " ")
    text = collapse_space(text)
    return _CJK_GAP.sub("", text)


def _is_layout_table(table: etree._Element) -> bool:
    return table.find(".//table") is not None


def table_rows(table: etree._Element) -> list[list[str]]:
    """Rows of printed cells; a spanning cell appears once, in the row where it is printed."""
    rows: list[list[str]] = []
    for tr in table.iter("tr"):
        if tr.getparent() is not None and _closest_table(tr) is not table:
            continue
        cells = [cell_text(td) for td in tr if td.tag in ("td", "th")]
        if cells:
            rows.append(cells)
    return rows


def _has_rows(table: etree._Element) -> bool:
    """Whether `table_rows(table)` has a row, without reading any cell's text."""
    for tr in table.iter("tr"):
        if (tr.getparent() is None or _closest_table(tr) is table) and any(td.tag in ("td", "th") for td in tr):
            return True
    return False


_UNREAD = Table(rows=[], source="html")  # a table's place among the blocks of `_blocks(..., tables=False)`


def _closest_table(el: etree._Element) -> etree._Element | None:
    node = el.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node


# Pictures that are chrome, not a scanned page: icons, logos, share buttons, QR codes, spacers.
_CHROME_IMAGE = re.compile(r"logo|icon|ico_|btn|button|share|qrcode|ewm|erweima|spacer|blank\.gif|arrow|bullet|dot\.", re.I)
_MIN_SCAN_SIDE = 200  # pixels: a declared width or height below this is a glyph-sized picture
_PICTURE_WEIGHT = 30  # characters a picture that may be a scanned page counts for: a title's worth, never an article's


def _scan_image(img: etree._Element) -> str | None:
    """The src of a picture that may be a scanned page or table; None for chrome and data: URIs."""
    src = (img.get("src") or img.get("data-src") or "").strip()
    if not src or src.startswith("data:") or _CHROME_IMAGE.search(src):
        return None
    for attr in ("width", "height"):
        m = re.match(r"\s*(\d+)", img.get(attr) or "")
        if m and int(m.group(1)) < _MIN_SCAN_SIDE:
            return None
    return src


def _text_weights(root: etree._Element) -> dict[etree._Element, tuple[int, int]]:
    """(non-link text length, link text length) of every element, computed bottom-up once, without recursion."""
    weights: dict[etree._Element, tuple[int, int]] = {}
    in_link: dict[etree._Element, bool] = {root: root.tag == "a"}
    order: list[etree._Element] = []
    stack = [root]
    while stack:
        el = stack.pop()
        order.append(el)
        for child in el:
            if isinstance(child.tag, str):
                in_link[child] = in_link[el] or child.tag == "a"
                stack.append(child)
    for el in reversed(order):  # children before their parents
        link = in_link[el]
        own = len((el.text or "").strip())
        if el.tag == "img" and not link and _scan_image(el):
            own = _PICTURE_WEIGHT  # a scanned page is content: the article is where the pictures are
        plain, linked = (0, own) if link else (own, 0)
        for child in el:
            if not isinstance(child.tag, str):
                continue
            p, lk = weights[child]
            plain += p
            linked += lk
            tail = len((child.tail or "").strip())
            if link:
                linked += tail
            else:
                plain += tail
        weights[el] = (plain, linked)
    return weights


def main_content(body: etree._Element, weights: dict[etree._Element, tuple[int, int]] | None = None) -> etree._Element:
    weights = weights if weights is not None else _text_weights(body)
    node = body
    while True:
        total = weights.get(node, (0, 0))[0]
        if total == 0:
            return node
        children = [c for c in node if isinstance(c.tag, str)]
        best = max(children, key=lambda c: weights.get(c, (0, 0))[0], default=None)
        if best is None or weights[best][0] < _DOMINANT_SHARE * total or best.tag in ("p", "table", "tr", "tbody", "img"):
            return node
        node = best


def _is_link_farm(el: etree._Element, weights: dict[etree._Element, tuple[int, int]]) -> bool:
    """A navigation list or link farm: mostly link text, several links, little text of its own."""
    if el.tag not in ("ul", "ol", "div", "nav", "dl", "p", "span", "td") or el.find(".//table") is not None:
        return False
    plain, linked = weights.get(el, (0, 0))
    return linked >= 40 and plain < 0.2 * linked and sum(1 for _ in el.iter("a")) >= 4


def _blocks(node: etree._Element, weights: dict[etree._Element, tuple[int, int]] | None = None,
            images: list[dict[str, object]] | None = None, tables: bool = True) -> list[Block]:
    """Text lines and tables in reading order (an explicit stack: no recursion on deep markup); the
    pictures that may be scans go to `images` with their position among the blocks. `tables=False`
    gives the same text lines without reading the tables' cells (for what only needs the lines)."""
    blocks: list[Block] = []
    line: list[str] = []

    def flush() -> None:
        text = _CJK_GAP.sub("", collapse_space("".join(line).replace("\xa0", " ")))
        if text:
            blocks.append(text)
        line.clear()

    # Work items: ("open", element) walks into an element; ("close", element) ends it and adds its tail.
    stack: list[tuple[str, etree._Element]] = [("open", node)]
    while stack:
        action, el = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag in _BLOCK_TAGS or tag in ("td", "th", "table")
        if action == "close":
            if block:
                flush()
            if el is not node and el.tail:
                line.append(el.tail)
            continue
        if tag == "table" and not _is_layout_table(el):
            flush()
            if not tables:
                if _has_rows(el):
                    blocks.append(_UNREAD)  # where the table stands, its cells not read
            elif rows := table_rows(el):
                blocks.append(Table(rows=rows, source="html"))
            if el is not node and el.tail:
                line.append(el.tail)
            continue
        if weights is not None and el is not node and _is_link_farm(el, weights):
            flush()
            if el.tail:
                line.append(el.tail)
            continue
        if tag == "br":
            flush()
        if tag == "img" and images is not None:
            src = _scan_image(el)
            if src:
                flush()
                images.append({"src": src, "at": len(blocks)})
        if block:
            flush()
        if el.text and tag:
            line.append(el.text)
        stack.append(("close", el))
        stack.extend(("open", child) for child in reversed(list(el)))
    flush()
    return blocks


def page_meta(doc: etree._Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    for m in doc.iter("meta"):
        name = (m.get("name") or m.get("property") or "").strip().lower()
        content = (m.get("content") or "").strip()
        if name in _META_NAMES and content:
            meta.setdefault(_META_NAMES[name], content)
    title = doc.find(".//title")
    if title is not None and title.text and title.text.strip():
        meta["page_title"] = collapse_space(title.text)
    return meta


def encoding_findings(data: bytes, text: str, encoding: str) -> list[Finding]:
    """What the decoding had to do that a reader of the data should know: a page mixing UTF-8 and
    GBK, UTF-16 without a byte order mark, bytes no encoding could read (replaced by U+FFFD)."""
    out: list[Finding] = []
    if encoding == MIXED:
        out.append(Finding("mixed_encoding", "warn", "the page mixes UTF-8 and GBK/GB18030 text; each text node "
                           "was decoded in its own encoding", stage="read"))
    elif encoding.startswith("utf-16-") and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        out.append(Finding("encoding_detected", "info", f"{encoding.upper()} without a byte order mark, told from "
                           "the pattern of NUL bytes", stage="read"))
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    if replaced > 0:
        sample = text[max(0, text.index("\ufffd") - 20): text.index("\ufffd") + 20]
        out.append(Finding("encoding_errors", "warn", f"{replaced} character(s) could not be decoded as {encoding} "
                           "and were replaced (U+FFFD)", stage="read", evidence=sample))
    return out


_ALNUM = re.compile(r"[^\W_]")
_INVISIBLE = re.compile(r"(?is)<(script|style|template)\b.*?</\1\s*>|<!--.*?-->")
_TAG = re.compile(r"(?s)<[^>]*>")


def _visible_text_estimate(text: str) -> int:
    """Letters and digits of the page outside tags, scripts and styles: what a reader of the page sees."""
    return len(_ALNUM.findall(html_lib.unescape(_TAG.sub(" ", _INVISIBLE.sub(" ", text)))))


def _tree_text(root: etree._Element) -> int:
    return len(_ALNUM.findall("".join(root.itertext())))


def _wrappers(root: etree._Element, document: Document) -> None:
    """Drop widget and chrome wrappers that hold little; unwrap the ones that hold the report."""
    wrappers = list(root.iter(*_WRAPPER_TAGS))
    if not wrappers:
        return
    body = root.find(".//body")
    total = max(_text_weights(body if body is not None else root).get(body if body is not None else root, (0, 0))[0], 1)
    for el in wrappers:
        if el.getparent() is None:
            continue
        plain = len("".join(t.strip() for t in el.itertext()))
        holds_report = el.find(".//table") is not None or plain >= max(_REPORT_CHARS, _REPORT_SHARE * total) \
            or plain >= 0.5 * total
        if not holds_report:
            el.drop_tree()
            continue
        if el.tag == "select":  # the options before what it swallowed are a drop-down menu
            for option in list(el.iter("option", "optgroup")):
                if option.getparent() is not None and option.find(".//table") is None and len(option.text_content()) < 60:
                    option.drop_tree()
        document.findings.append(Finding(
            "wrapper_kept", "info", f"<{el.tag}> holds {plain} characters of the page's text (a page-wide wrapper or an "
            "unclosed tag that swallowed the report): its content is kept", stage="read",
            evidence=collapse_space(el.text_content())[:160]))
        el.drop_tag()


def read_html(data: bytes, content_type: str | None = None) -> Document:
    text, encoding = decode(data, content_type)
    document = Document(encoding=encoding, content_type=content_type or "text/html")
    document.findings.extend(encoding_findings(data, text, encoding))
    if not text.strip():
        document.findings.append(Finding("empty_document", "error", "the page has no text", stage="read"))
        return document
    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        document.findings.append(Finding("unreadable", "error", f"HTML could not be parsed: {exc}", stage="read"))
        return document
    limits = [str(e) for e in parser.error_log if "RESOURCE_LIMIT" in str(e) or "Excessive depth" in str(e)]
    if limits:
        document.findings.append(Finding("tree_cut", "warn", "the HTML parser stopped at a resource limit: the page's "
                                         "tree is cut short", stage="read", evidence=limits[0][:200]))
    seen, parsed = _visible_text_estimate(text), _tree_text(root)
    if seen >= 200 and parsed < _KEPT_SHARE * seen and _CLOSING.search(text):
        # Content after </body></html> (CMSs append it) is dropped by the parser: read it without them.
        retry = lxml.html.document_fromstring(_CLOSING.sub("", text), parser=lxml.html.HTMLParser(
            huge_tree=True, remove_comments=True))
        if _tree_text(retry) > parsed:
            root, parsed = retry, _tree_text(retry)
            document.findings.append(Finding("text_after_html_end", "info", "the page prints text after its closing "
                                             "</body> or </html>: read with the rest", stage="read"))
    if seen >= 200 and parsed < _KEPT_SHARE * seen:
        document.findings.append(Finding(
            "text_lost", "warn", f"the parsed page holds {parsed} of the {seen} letters and digits its source shows "
            f"({parsed / seen:.0%}): the rest is lost to the parser", stage="read"))
    document.meta = page_meta(root)
    for bad in list(root.iter(*_INVISIBLE_TAGS)):
        if bad.getparent() is not None:
            bad.drop_tree()
    for comment in list(root.iter(etree.Comment)):
        if comment.getparent() is not None:
            comment.drop_tree()
    _wrappers(root, document)
    body = root.find(".//body")
    if body is None:
        body = root
    page_lines = _blocks(body, tables=False)  # only its text lines are used: the chrome's facts, what was dropped
    for key, value in chrome_facts([b for b in page_lines if isinstance(b, str)]).items():
        document.meta.setdefault(key, value)
    weights = _text_weights(body)
    main = main_content(body, weights)
    images: list[dict[str, object]] = []
    document.blocks = _blocks(main, weights, images)
    if images:
        # Where each picture stands among the blocks: a scanned table is read by OCR into that place
        # (ogi/read/ocr.ocr_page_images, once the pictures are fetched into the raw store).
        document.meta["images"] = json.dumps(images, ensure_ascii=False)
    kept = sum(len(b) for b in document.blocks if isinstance(b, str))
    dropped = sum(len(b) for b in page_lines if isinstance(b, str)) - kept
    if main is not body or dropped > 0:
        document.findings.append(Finding(
            "chrome_removed", "info", f"kept the main content <{main.tag}> and dropped {max(dropped, 0)} characters of site "
            "chrome (navigation, link lists)", stage="cleanup",
            evidence=" / ".join(b for b in page_lines[:6] if isinstance(b, str))[:300],
        ))
    if not document.blocks:
        document.findings.append(Finding("empty_document", "error", "the page's body has no text or table",
                                         stage="read"))
    return document


_CHROME_FACTS = (
    ("published", re.compile(r"(?:发布|发文|成文|公开)(?:时间|日期)\s*[:：]?\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")),
    ("source", re.compile(r"(?:信息)?来源\s*[:：]\s*([^\s|丨]{2,40})")),
    ("site_id_code", re.compile(r"网站标识码\s*[:：]?\s*([0-9A-Za-z]{10})")),
    ("police_record", re.compile(r"公网安备\s*(\d{14})")),
)


def chrome_facts(lines: list[str]) -> dict[str, str]:
    """What the page's chrome states (发布时间, 信息来源, 网站标识码), also when label and value are on two lines."""
    facts: dict[str, str] = {}
    joined = "\n".join(lines[:400])
    flat = re.sub(r"[:：]\s*\n", "：", joined)
    for key, pat in _CHROME_FACTS:
        m = pat.search(flat)
        if m and key not in facts:
            facts[key] = m.group(1).strip()
    return facts


def page_images(doc: Document, page_url: str) -> list[tuple[str, int]]:
    """(absolute URL, block position) of each picture of a page's article that OCR should read.

    Only a page whose article has no table is a candidate: its statistics, if any, are pictures (a
    scanned report pasted into the page). A page that prints its tables as text needs no OCR. The
    position says where among the blocks the picture stood, so its reading goes back there.
    """
    if doc.tables() or not doc.meta.get("images"):
        return []
    out: list[tuple[str, int]] = []
    for image in json.loads(doc.meta["images"]):
        url = urljoin(page_url, str(image["src"]))
        if url not in (u for u, _ in out):
            out.append((url, int(image["at"])))
    return out
