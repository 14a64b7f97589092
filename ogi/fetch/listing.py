"""Read what a government listing page says: its links (with full titles), where its other pages
are (next links, rel=next, TRS createPageHTML scripts, Hanweb dataproxy configs), and the
attachments of a report page.

Nothing here is tied to one site's markup: pagination is taken from the signals CMSs emit.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from ogi.fetch.titles import best_title, normalize_title

__all__ = [
    "ATTACHMENT_EXTS",
    "DataproxyConfig",
    "Link",
    "ListingPage",
    "attachment_ext",
    "attachment_links",
    "createpage_urls",
    "dataproxy_page",
    "page_heading",
    "parse_listing",
]

ATTACHMENT_EXTS = frozenset(
    {"pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "ofd", "rtf", "zip", "rar", "7z"}
)
_PAGE_EXTS = frozenset({"html", "htm", "shtml", "xhtml", "jsp", "asp", "aspx", "php", "do", "action", "cgi"})
_NEXT_TEXT = re.compile(r"^\s*(下一页|下页|后一页|next\s*page|next|›|»|>|>>)\s*$", re.I)
_NEXT_LOOSE = re.compile(r"下一页|下页|next", re.I)
_ATTACH_TEXT = re.compile(r"附件|下载|原文|全文|点击查看|pdf|word|文档", re.I)
_PAGEISH_URL = re.compile(
    r"(?:(?:index|list|page|default|more)[_-]?\d+\.s?html?$)"
    r"|(?:[?&](?:page|pagenum|pageno|curpage|p|pn|currentpage|pageindex|startrecord)=\d+)",
    re.I,
)
_CREATEPAGE = re.compile(r"createPageHTML\s*\(([^()]*)\)", re.I)
_VAR = r"(?:var|let|const)?\s*{name}\s*=\s*(['\"]?)([^;'\"\n]+)\1"
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_RECORD = re.compile(r"<record[^>]*>\s*(.*?)\s*</record>", re.S | re.I)
_SKIP_CONTAINER = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|footer|header|breadcrumb|crumb|share|sidebar|foot|top)($|[\s_-])", re.I
)
_REFRESH = re.compile(r"^\s*\d*\s*[;,]?\s*url\s*=\s*['\"]?([^'\"]+)", re.I)
# Keys a Hanweb jpage/dataproxy configuration carries, as seen in page scripts and nextgroup links.
_DP_KEYS = (
    "col",
    "appid",
    "webid",
    "path",
    "columnid",
    "sourcecontenttype",
    "unitid",
    "webname",
    "permissiontype",
    "keyWordCount",
)
_DP_KEYS_LOWER = {k.lower(): k for k in _DP_KEYS}


@dataclass
class Link:
    """A link on a page: absolute URL, the fullest title it offers, and its raw text."""

    url: str
    title: str
    text: str = ""


@dataclass
class DataproxyConfig:
    """Where a Hanweb listing loads its records from, and with which parameters."""

    url: str  # absolute dataproxy.jsp URL without query
    params: dict[str, str] = field(default_factory=dict)
    perpage: int = 15
    total: int | None = None

    def page_url(self, start: int, end: int) -> str:
        """GET URL for records start..end (1-based, inclusive), as jpage requests them."""
        q = {"startrecord": str(start), "endrecord": str(end), "perpage": str(self.perpage)}
        q.update(self.params)
        parts = urlsplit(self.url)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(q), ""))


@dataclass
class ListingPage:
    """What one listing page says."""

    url: str
    links: list[Link] = field(default_factory=list)
    next_urls: list[str] = field(default_factory=list)  # other listing pages it points to
    dataproxy: list[DataproxyConfig] = field(default_factory=list)
    refresh: str | None = None  # <meta http-equiv=refresh> target


def _soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "lxml")


def _base(soup: BeautifulSoup, url: str) -> str:
    tag = soup.find("base", href=True)
    if isinstance(tag, Tag):
        href = str(tag.get("href") or "").strip()
        if href:
            joined = urljoin(url, href)
            # <base href="file:///etc/"> on a web page must not turn its links into local paths.
            if urlsplit(joined).scheme.lower() in ("http", "https") or urlsplit(url).scheme.lower() == "file":
                return joined
    return url


def _abs(base: str, href: str | None) -> str | None:
    """Absolute http(s) URL for an href (file: only on a local page), or None for javascript:,
    mailto:, data:, fragments and every other scheme."""
    if not href:
        return None
    href = htmllib.unescape(href.strip()).replace("\\", "/")
    if not href or href.startswith("#"):
        return None
    low = href.lower()
    if low.startswith(("javascript:", "mailto:", "tel:", "data:", "about:")):
        return None
    url = urljoin(base, href).split("#", 1)[0]
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("http", "https"):
        return url
    # A local page (a catalog's bundled listing) may link to its neighbours; a web page never
    # names a local file: file://, ftp:, data: and the like found on it are dropped.
    return url if scheme == "file" and urlsplit(base).scheme.lower() == "file" else None


def _links_in(soup: BeautifulSoup | Tag, base: str) -> list[Link]:
    out: list[Link] = []
    for a in soup.find_all("a", href=True):
        url = _abs(base, str(a.get("href")))
        if not url:
            continue
        text = a.get_text(" ", strip=True)
        title = best_title(text, str(a.get("title") or "") or None)
        out.append(Link(url=url, title=title, text=normalize_title(text)))
    return out


def _script_text(soup: BeautifulSoup) -> str:
    return "\n".join(s.get_text() for s in soup.find_all("script"))


def _resolve_arg(arg: str, scripts: str) -> str:
    """A createPageHTML argument: a literal, or a variable assigned somewhere in the page's scripts."""
    arg = arg.strip()
    if not arg:
        return arg
    if arg[0] in "'\"" and arg[-1:] == arg[0]:
        return arg[1:-1]
    if re.fullmatch(r"[A-Za-z_$][\w$]*", arg):
        m = re.search(_VAR.format(name=re.escape(arg)), scripts)
        if m:
            return m.group(2).split("//", 1)[0].split("/*", 1)[0].strip()
    return arg


def createpage_urls(scripts: str, base: str) -> list[str]:
    """Pages announced by TRS `createPageHTML(total, current, "index", "html")` (also with a leading
    container id and trailing record count, and with variables for the numbers): page 0 is
    index.html, page i is index_i.html, next to the current page."""
    urls: list[str] = []
    for m in _CREATEPAGE.finditer(scripts):
        raw = [a for a in re.split(r",(?=(?:[^'\"]*['\"][^'\"]*['\"])*[^'\"]*$)", m.group(1))]
        args = [_resolve_arg(a, scripts) for a in raw]
        nums = [int(a) for a in args if re.fullmatch(r"\d+", a)]
        strs = [a for a in args if not re.fullmatch(r"\d+", a)]
        if not nums or len(strs) < 2:
            continue
        total = nums[0]
        # The extension is the last string that looks like one; the name is the string before it.
        ext_i = next(
            (i for i in range(len(strs) - 1, 0, -1) if re.fullmatch(r"s?html?|jsp|php|aspx?", strs[i], re.I)),
            None,
        )
        if ext_i is None:
            continue
        name, ext = strs[ext_i - 1], strs[ext_i]
        if not re.fullmatch(r"[\w.-]+", name):
            continue
        for i in range(min(total, 1000)):
            urls.append(urljoin(base, f"{name}.{ext}" if i == 0 else f"{name}_{i}.{ext}"))
    return urls


def _dataproxy_configs(raw: str, base: str) -> list[DataproxyConfig]:
    """Hanweb listings: a `dataproxy.jsp` URL in a script or a <nextgroup> CDATA link, with the
    columnid/unitid/webid… parameters from that URL or from the script's config object nearby
    (e.g. `ajaxParam: {columnid: 2337, unitid: 7767, webid: 1}`). Mentions of one endpoint are merged."""
    by_endpoint: dict[str, DataproxyConfig] = {}
    for m in re.finditer(r"""([^\s"'<>()]*dataproxy\.jsp[^\s"'<>()]*)""", raw, re.I):
        found = htmllib.unescape(m.group(1)).lstrip("=(\"'")
        url = urljoin(base, found)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            continue
        endpoint = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        params: dict[str, str] = {}
        for k, v in parse_qsl(parts.query, keep_blank_values=True):
            key = _DP_KEYS_LOWER.get(k.lower())
            if key:
                params[key] = v
        window = raw[max(0, m.start() - 3000) : m.end() + 3000]
        for k, v in re.findall(r"""['"]?(\w+)['"]?\s*[:=]\s*['"]?([^'",{}\[\]\s&;)]*)['"]?""", window):
            key = _DP_KEYS_LOWER.get(k.lower())
            if key and key not in params and v:
                params[key] = v
        cfg = by_endpoint.get(endpoint)
        if cfg is None:
            perpage = _int_near(window, _PERPAGE) or _int_near(raw, _PERPAGE) or 15
            total = _int_near(raw, _TOTAL)
            by_endpoint[endpoint] = DataproxyConfig(url=endpoint, params=params, perpage=perpage, total=total)
        else:
            for k, v in params.items():
                cfg.params.setdefault(k, v)
    return [c for c in by_endpoint.values() if c.params.get("columnid")]


_PERPAGE = r"perpage|perPage|PerPage|pageSize|pagesize"
_TOTAL = r"totalRecord|totalrecord|recordCount|totalrecords"


def _int_near(text: str, names: str) -> int | None:
    m = re.search(rf"""(?:{names})['"]?\s*[:=]\s*['"]?(\d+)""", text)
    if not m:
        m = re.search(rf"<(?:{names})>\s*(\d+)\s*<", text)
    return int(m.group(1)) if m else None


def _inline_records(raw: str, base: str) -> list[Link]:
    """Records a Hanweb page embeds in <script type="text/xml"><record><![CDATA[…]]></record>."""
    links: list[Link] = []
    for rec in _RECORD.finditer(raw):
        body = rec.group(1)
        inner = "".join(_CDATA.findall(body)) or body
        links.extend(_links_in(_soup(inner), base))
    return links


def dataproxy_page(xml_text: str, base: str) -> tuple[list[Link], int | None, int | None]:
    """Parse a dataproxy answer: (links from the CDATA records, totalrecord, totalpage)."""
    links = _inline_records(xml_text, base)
    total = re.search(r"<totalrecord>\s*(\d+)\s*</totalrecord>", xml_text, re.I)
    pages = re.search(r"<totalpage>\s*(\d+)\s*</totalpage>", xml_text, re.I)
    return links, int(total.group(1)) if total else None, int(pages.group(1)) if pages else None


def _next_links(soup: BeautifulSoup, base: str) -> list[str]:
    urls: list[str] = []
    for tag in soup.find_all(["a", "link"], href=True):
        rel = tag.get("rel") or []
        rels = [r.lower() for r in (rel if isinstance(rel, list) else [rel])]
        url = _abs(base, str(tag.get("href")))
        if not url:
            continue
        if "next" in rels:
            urls.append(url)
            continue
        if tag.name != "a":
            continue
        text = tag.get_text(" ", strip=True)
        title = str(tag.get("title") or "")
        says_next = (
            _NEXT_TEXT.match(text) or (len(text) <= 8 and _NEXT_LOOSE.search(text)) or _NEXT_TEXT.match(title)
        )
        numbered = re.fullmatch(r"\d{1,3}|尾页|末页|最后一页|last", text, re.I) and _PAGEISH_URL.search(url)
        if says_next or numbered:
            urls.append(url)
    return urls


def parse_listing(text: str, url: str) -> ListingPage:
    """Everything a listing page says about reports and about its other pages."""
    soup = _soup(text)
    base = _base(soup, url)
    page = ListingPage(url=url)
    page.links = _links_in(soup, base)
    scripts = _script_text(soup)
    page.links.extend(_inline_records(scripts, base))
    page.next_urls = _next_links(soup, base) + createpage_urls(scripts, base)
    # Some columns show their list in a frame: the frame is another page of this listing.
    for frame in soup.find_all(["iframe", "frame"], src=True):
        src = _abs(base, str(frame.get("src")))
        if src and _is_page_url(src):
            page.next_urls.append(src)
    page.dataproxy = _dataproxy_configs(text, base)
    meta = soup.find("meta", attrs={"http-equiv": re.compile("^refresh$", re.I)})
    if isinstance(meta, Tag):
        m = _REFRESH.match(str(meta.get("content") or ""))
        if m:
            page.refresh = _abs(base, m.group(1))
    return page


def attachment_ext(url: str) -> str | None:
    """Attachment extension from the URL path, or from a query value naming a file (downfile.jsp?filename=a.pdf)."""
    parts = urlsplit(url)
    last = parts.path.rsplit("/", 1)[-1]
    if "." in last:
        ext = last.rsplit(".", 1)[-1].lower()
        if ext in ATTACHMENT_EXTS:
            return ext
    for _k, v in parse_qsl(parts.query):
        v = v.rsplit("/", 1)[-1]
        if "." in v:
            ext = v.rsplit(".", 1)[-1].lower()
            if ext in ATTACHMENT_EXTS:
                return ext
    return None


def _is_page_url(url: str) -> bool:
    """A URL naming a web page (a directory or .html/.jsp/… file), not a file download."""
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return not attachment_ext(url) and ("." not in last or last.rsplit(".", 1)[-1].lower() in _PAGE_EXTS)


def _in_chrome(tag: Tag) -> bool:
    """True when a link sits in site chrome (nav, header, footer, menus), not in the article."""
    for parent in tag.parents:
        if not isinstance(parent, Tag):
            continue
        if parent.name in ("nav", "header", "footer"):
            return True
        ident = " ".join([str(parent.get("id") or "")] + [str(c) for c in (parent.get("class") or [])])
        if ident and _SKIP_CONTAINER.search(ident):
            return True
    return False


def attachment_links(text: str, url: str) -> list[str]:
    """Attachments of a report page: links (and embedded frames/objects) to PDF/DOC/DOCX/WPS/XLS(X)…
    files, plus links whose text says 附件/下载 and that point at a file rather than a page."""
    soup = _soup(text)
    base = _base(soup, url)
    page_url = url.split("#", 1)[0]
    out: list[str] = []
    for tag in soup.find_all(["a", "iframe", "embed", "object", "source"]):
        href = tag.get("href") or tag.get("src") or tag.get("data")
        target = _abs(base, str(href) if href else None)
        if not target or target == page_url:
            continue
        if attachment_ext(target):
            if tag.name == "a" and _in_chrome(tag) and not _ATTACH_TEXT.search(tag.get_text(" ", strip=True)):
                continue
            out.append(target)
            continue
        if tag.name != "a" or _in_chrome(tag):
            continue
        label = tag.get_text(" ", strip=True) + " " + str(tag.get("title") or "")
        if not _ATTACH_TEXT.search(label):
            continue
        parts = urlsplit(target)
        last = parts.path.rsplit("/", 1)[-1]
        ext = last.rsplit(".", 1)[-1].lower() if "." in last else ""
        path = parts.path.lower()
        download_handler = bool(parts.query) and ("down" in path or "file" in path or ext not in _PAGE_EXTS)
        if download_handler or (ext and ext not in _PAGE_EXTS):
            out.append(target)
    return list(dict.fromkeys(out))


def page_heading(text: str) -> str:
    """The title a report page gives itself: ArticleTitle meta (TRS/Hanweb), else <h1>, else <title>."""
    soup = _soup(text)
    for name in ("ArticleTitle", "articletitle", "title", "dc.title", "og:title"):
        meta = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
        if isinstance(meta, Tag) and meta.get("content"):
            return normalize_title(str(meta.get("content")))
    for tag_name in ("h1", "h2"):
        h = soup.find(tag_name)
        if isinstance(h, Tag):
            t = normalize_title(h.get_text(" ", strip=True))
            if t:
                return t
    t = soup.find("title")
    return normalize_title(t.get_text(" ", strip=True)) if isinstance(t, Tag) else ""
