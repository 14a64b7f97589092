"""A local imitation of government websites on 127.0.0.1, for the fetch and discovery tests.

Imported by conftest.py (fixtures `gov`, `policy`) and by the tests for the expected data.

Three listing columns, one per pagination style CMSs use (plain 下一页 links, TRS createPageHTML
index_N.html, Hanweb dataproxy.jsp with CDATA records), each three pages long and mixing annual
reports with look-alikes and notices; report pages carry attachments. Plus pages that misbehave:
500 twice, never answering, redirect loop, redirect off the allowlist, 412 challenge, soft 404,
oversize body, connection reset mid-body, GBK/UTF-8 and mislabelled encodings, spam mirrors.
Every static page supports ETag/Last-Modified; the server counts requests and body transfers.
"""

from __future__ import annotations

import hashlib
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

LAST_MODIFIED = "Mon, 20 Jan 2020 08:00:00 GMT"
MAX_BYTES = 64 * 1024  # the test policy's size cap; the oversize page is 10x this


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    etag: bool = True  # send an ETag (else only Last-Modified)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Item:
    """One link on a listing: what it is, and for reports the expected year and attachments."""

    kind: str  # report | lookalike | notice | other
    title: str
    href: str
    text: str | None = None  # link text when it differs from the title (truncated)
    title_attr: bool = True  # put the full title in the title attribute
    year: int | None = None
    attachments: list[str] = field(default_factory=list)  # hrefs as on the report page (site paths)
    heading: str | None = None  # the report page's own heading (ArticleTitle)


def pdf_bytes(name: str, size: int = 3000) -> bytes:
    head = f"%PDF-1.4\n% {name}\n".encode()
    return head + (b"0" * max(0, size - len(head) - 6)) + b"\n%%EOF"


# --- the three listing columns -------------------------------------------------------------------

PLAIN_PAGES: list[list[Item]] = [
    [
        Item(
            "report",
            "平潭综合实验区2019年度政府信息公开工作年度报告",
            "/plain/t2020_1.html",
            text="平潭综合实验区2019年度政府信息公开工…",
            year=2019,
            attachments=[
                "/plain/P020200120.pdf",
                "/module/download/downfile.jsp?classid=0&filename=pt2019.docx",
            ],
        ),
        Item("notice", "关于做好2019年政府信息公开工作年度报告编制工作的通知", "/plain/t2020_2.html"),
        Item("lookalike", "2020年政务公开工作要点", "/plain/t2020_3.html"),
        Item("nav", "政府信息公开年报", "/plain/"),  # breadcrumb back to the listing itself
    ],
    [
        Item(
            "report",
            "福州市地方税务局2013年信息公开年度报告",
            "/plain/dsj2014.html",
            year=2013,
            attachments=["/plain/files/dsj2013.doc"],
        ),
        Item("lookalike", "关于2014年政府信息公开工作要点落实情况的函", "/plain/t2014_9.html"),
        Item("report", "2018年政府信息公开年报", "/plain/files/2018nb.pdf", year=2018),
    ],
    [
        Item(
            "report",
            "二〇一七年政府信息公开工作年度报告",
            "/plain/t2018_5.html",
            year=2017,
            attachments=["/plain/files/2017nb.wps"],
        ),
        Item("lookalike", "政府信息公开指南", "/plain/guide.html"),
        Item("nav", "部门政府信息公开年报", "/plain/bm/"),  # another column: no year anywhere
    ],
]

TRS_PAGES: list[list[Item]] = [
    [
        Item(
            "report",
            "2019年政府信息公开工作年度报告",
            "/trs/zfxxgknb/202001/t20200120_1.html",
            year=2019,
            attachments=["/trs/zfxxgknb/202001/P020200120001.pdf", "/trs/zfxxgknb/202001/P020200120002.docx"],
        ),
        Item(
            "notice",
            "关于做好2019年政府信息公开工作年度报告编制工作的通知",
            "/trs/zfxxgknb/202001/t20200115_2.html",
        ),
        Item(
            "report",
            "某市生态环境局2018年度政府信息公开工作年度报告",
            "/trs/zfxxgknb/201901/t20190125_7.html",
            text="某市生态环境局2018年度政府信息公开工作年度报…",
            title_attr=False,  # only the page itself says the full title
            year=2018,
            attachments=["/trs/zfxxgknb/201901/P020190125.xls"],
            heading="某市生态环境局2018年度政府信息公开工作年度报告",
        ),
    ],
    [
        Item(
            "report",
            "2017年政府信息公开年报",
            "/trs/zfxxgknb/201801/t20180130_3.html",
            year=2017,
            attachments=["/trs/zfxxgknb/201801/P020180130.pdf"],
        ),
        Item("lookalike", "2016年政府信息公开工作考核结果通报", "/trs/zfxxgknb/201706/t20170601_4.html"),
        Item(
            "report",
            "某市2015年政府信息公开工作年度报告",
            "/trs/zfxxgknb/201601/t20160120_8.html",
            text="某市政府信息公开工作年度报告",  # the link gives no year; the page does
            title_attr=False,
            year=2015,
            attachments=["/trs/zfxxgknb/201601/P020160120.pdf"],
            heading="某市2015年政府信息公开工作年度报告",
        ),
    ],
    [
        Item(
            "report",
            "某县二零一六年政府信息公开工作年度报告",
            "/trs/zfxxgknb/201701/t20170120_5.html",
            year=2016,
            attachments=["/trs/zfxxgknb/201701/P020170120.pdf"],
        ),
        Item("lookalike", "政府信息公开指南（2016年修订）", "/trs/zfxxgknb/201601/t20160101_6.html"),
    ],
]

HANWEB_PERPAGE = 5
HANWEB_ITEMS: list[Item] = [
    # page 1
    Item(
        "report",
        "福建省人力资源和社会保障厅2019年度政府信息公开工作年度报告",
        "/art/2020/1/20/art_2337_1.html",
        text="福建省人力资源和社会保障厅2019年度政府...",
        year=2019,
        attachments=[
            "/module/download/downfile.jsp?classid=0&filename=2001201234.pdf",
            "/attach/0/rs2019.wps",
        ],
    ),
    Item("notice", "关于做好2019年政府信息公开工作年度报告编制工作的通知", "/art/2019/12/1/art_2337_2.html"),
    Item("lookalike", "2019年政务公开工作要点", "/art/2019/3/1/art_2337_3.html"),
    Item("other", "关于开展安全生产月活动的公告", "/art/2019/6/1/art_2337_4.html"),
    Item(
        "report",
        "福建省地方税务局2013年信息公开年度报告",
        "/art/2014/3/1/art_2337_5.html",
        year=2013,
        attachments=["/attach/0/ds2013.xlsx"],
    ),
    # page 2
    Item(
        "report",
        "2018年政府信息公开年报",
        "/art/2019/1/25/art_2337_6.html",
        year=2018,
        attachments=["/attach/0/nb2018.pdf"],
    ),
    Item("lookalike", "关于2014年政府信息公开工作要点落实情况的函", "/art/2014/5/1/art_2337_7.html"),
    Item("lookalike", "政府信息公开指南", "/art/2018/1/1/art_2337_8.html"),
    Item("other", "政府信息公开目录", "/art/2018/1/2/art_2337_9.html"),
    Item("notice", "关于报送2017年度政府信息公开工作年度报告的通知", "/art/2017/12/1/art_2337_10.html"),
    # page 3
    Item(
        "report",
        "二〇二〇年度政府信息公开工作年度报告",
        "/art/2021/1/20/art_2337_11.html",
        year=2020,
        attachments=["/attach/0/nb2020.pdf"],
    ),
    Item("other", "机构职能", "/art/2018/1/3/art_2337_12.html"),
    Item("lookalike", "2021年政务公开工作要点", "/art/2021/3/1/art_2337_13.html"),
    Item("other", "联系我们", "/art/2018/1/4/art_2337_14.html"),
    Item(
        "report",
        "2017年度政府信息公开工作年度报告",
        "/art/2018/1/30/art_2337_15.html",
        year=2017,
        attachments=["/attach/0/nb2017.doc"],
    ),
]
HANWEB_PARAMS = {"columnid": "2337", "unitid": "7767", "webid": "1"}


def all_items() -> dict[str, list[Item]]:
    return {
        "plain": [i for p in PLAIN_PAGES for i in p],
        "trs": [i for p in TRS_PAGES for i in p],
        "hanweb": HANWEB_ITEMS,
        "hanweb2": HANWEB_ITEMS,
    }


LISTINGS = {
    "plain": "/plain/",
    "trs": "/trs/zfxxgknb/",
    "hanweb": "/hanweb/col/col2337/index.html",
    "hanweb2": "/hanweb2/col/col99/index.html",
}


def _a(item: Item) -> str:
    text = item.text or item.title
    attr = f' title="{item.title}"' if item.title_attr and item.text else ""
    return f'<li><a href="{item.href}"{attr} target="_blank">{text}</a><span>2020-01-20</span></li>'


def _chrome(charset: str) -> tuple[str, str]:
    head = (
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        "<title>政府信息公开年报</title></head><body>"
        '<div class="header"><a href="/">首页</a> <a href="/xxgk/guide.html">政府信息公开指南</a>'
        ' <a href="/xzzx/">下载中心</a></div>'
    )
    foot = (
        '<div class="footer"><a href="/xxgk/wzdt.pdf">网站地图</a> 主办单位：某市人民政府办公室 '
        "地址：某市某路1号 联系电话：0591-00000000</div></body></html>"
    )
    return head, foot


def _report_page(item: Item, charset: str = "utf-8") -> str:
    head, foot = _chrome(charset)
    links = []
    for n, href in enumerate(item.attachments):
        name = href.rsplit("=", 1)[-1].rsplit("/", 1)[-1]
        label = ["附件：", "附件下载：", ""][n % 3] + name
        links.append(f'<p><a href="{href}">{label}</a></p>')
    heading = item.heading or item.title
    body = "　".join(["一、总体情况。本年度，我单位认真贯彻落实《中华人民共和国政府信息公开条例》。"] * 30)
    return (
        head.replace(
            "<title>政府信息公开年报</title>",
            f'<title>{heading}</title><meta name="ArticleTitle" content="{heading}">',
        )
        + f'<div class="article"><h1>{heading}</h1><div class="content">{body}</div>'
        + "".join(links)
        + "</div>"
        + foot
    )


def build_site() -> dict[str, Page]:
    """Every static page of the imitation, by path (with query where the CMS uses one)."""
    pages: dict[str, Page] = {}

    # Plain next-page links; GBK bytes declared only by <meta> (common on older sites); Last-Modified only.
    for n, items in enumerate(PLAIN_PAGES, start=1):
        head, foot = _chrome("gb2312")
        nav = []
        if n > 1:
            nav.append(
                f'<a href="/plain/?page={n - 1}">上一页</a>' if n > 2 else '<a href="/plain/">上一页</a>'
            )
        if n < len(PLAIN_PAGES):
            nav.append(f'<a href="/plain/?page={n + 1}">下一页</a>')
            nav.append(f'<a href="/plain/?page={len(PLAIN_PAGES)}">尾页</a>')
        html = head + '<ul class="list">' + "".join(_a(i) for i in items) + "</ul>"
        html += f'<div class="page">共{len(PLAIN_PAGES)}页 ' + " ".join(nav) + "</div>" + foot
        path = "/plain/" if n == 1 else f"/plain/?page={n}"
        pages[path] = Page(html.encode("gbk"), content_type="text/html", etag=False)
    for item in (i for p in PLAIN_PAGES for i in p):
        if item.href in pages:
            continue
        if item.href.endswith(".pdf"):
            pages[item.href] = Page(pdf_bytes(item.href), content_type="application/pdf", etag=False)
            continue
        html = (
            _report_page(item, "gb2312")
            if item.kind == "report"
            else _report_page(Item("other", item.title, item.href))
        )
        pages[item.href] = Page(html.encode("gbk"), content_type="text/html", etag=False)

    # TRS: pages announced only by createPageHTML; UTF-8 with charset in the header.
    for n, items in enumerate(TRS_PAGES):
        head, foot = _chrome("utf-8")
        if n == 0:
            script = 'var countPage = 3//共多少页\ncreatePageHTML(countPage, 0, "index", "html");'
        elif n == 1:
            script = 'createPageHTML(3, 1, "index", "html");'
        else:
            script = "createPageHTML('page_div', 3, 2, 'index', 'html', 7);"
        rel = [i for i in items]
        lis = "".join(
            _a(Item(i.kind, i.title, "./" + i.href.split("/zfxxgknb/", 1)[1], i.text, i.title_attr))
            for i in rel
        )
        html = head + f'<ul class="list">{lis}</ul><div id="page_div"><script>{script}</script></div>' + foot
        path = "/trs/zfxxgknb/" if n == 0 else f"/trs/zfxxgknb/index_{n}.html"
        pages[path] = Page(html.encode("utf-8"))
    for item in (i for p in TRS_PAGES for i in p):
        pages[item.href] = Page(_report_page(item).encode("utf-8"))

    # Hanweb: records from dataproxy.jsp (served dynamically below); the column page holds the config.
    head, foot = _chrome("utf-8")
    first = "".join(f"<record><![CDATA[{_a(i)}]]></record>" for i in HANWEB_ITEMS[:HANWEB_PERPAGE])
    html = (
        head
        + '<div id="2337"><script type="text/xml"><datastore>'
        + '<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/'
        + '&columnid=2337&unitid=7767&webname=%E6%9F%90%E5%B8%82&permissiontype=0"></a>]]></nextgroup>'
        + f"<recordset>{first}</recordset></datastore></script></div>"
        + '<script language="javascript" src="/module/web/jpage/jpage.js"></script>'
        + "<script type=\"text/javascript\">$(document).ready(function(){ $('#2337').jpage({"
        + "dataStore: dataStore, proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: "
        + f"{HANWEB_PERPAGE}, totalRecord: {len(HANWEB_ITEMS)}, groupSize: 3, barPosition: 'bottom'}}); }});"
        + "</script>"
        + foot
    )
    pages["/hanweb/col/col2337/index.html"] = Page(html.encode("utf-8"))
    # A second Hanweb column page with no records inline: only the script's ajaxParam config says where
    # the records are.
    html2 = (
        head
        + '<div id="div99"></div><script language="javascript" src="/module/web/jpage/jpage.js"></script>'
        + "<script>var jpageParam = {col: 1, appid: 1, webid: 1, path: '/', columnid: 2337, "
        + "sourceContentType: 1, unitid: '7767', webname: '某市', permissiontype: 0};"
        + "$('#div99').jpage({proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: "
        + f"{HANWEB_PERPAGE}, groupSize: 1, ajaxParam: jpageParam}});</script>"
        + foot
    )
    pages["/hanweb2/col/col99/index.html"] = Page(html2.encode("utf-8"))
    for item in HANWEB_ITEMS:
        pages[item.href] = Page(_report_page(item).encode("utf-8"))

    # Attachments of every report.
    for items in all_items().values():
        for item in items:
            for href in item.attachments:
                ext = href.rsplit(".", 1)[-1]
                ctype = {"pdf": "application/pdf", "doc": "application/msword"}.get(
                    ext, "application/octet-stream"
                )
                pages[href] = Page(pdf_bytes(href), content_type=ctype)

    # Encodings.
    zh = "<p>" + "政府信息公开工作年度报告，主动公开政府信息一千二百件。" * 20 + "</p>"
    gbk_doc = f"<html><head><title>编码</title></head><body>{zh}</body></html>"
    pages["/enc/gbk-header.html"] = Page(gbk_doc.encode("gbk"), content_type="text/html; charset=GBK")
    meta_doc = f'<html><head><meta charset="gb2312"><title>编码</title></head><body>{zh}</body></html>'
    pages["/enc/gbk-meta.html"] = Page(meta_doc.encode("gbk"), content_type="text/html")
    pages["/enc/utf8.html"] = Page(gbk_doc.encode("utf-8"), content_type="text/html; charset=utf-8")
    pages["/enc/mislabelled.html"] = Page(gbk_doc.encode("gbk"), content_type="text/html; charset=utf-8")

    # Documents that are not what they seem.
    soft = (
        "<html><head><title>提示信息</title></head><body><div class='box'><img src='/images/404.png'>"
        "<p>对不起，您访问的页面不存在或已被删除！</p><p>请检查您输入的网址是否正确，或返回"
        "<a href='/'>首页</a>。</p><p>5秒后自动跳转...</p></div>"
        "<script>setTimeout(function(){location.href='/'},5000);</script></body></html>"
    )
    pages["/fail/soft404.html"] = Page(soft.encode("utf-8"))
    pages["/fail/tiny.html"] = Page(b"<html><body></body></html>")
    essay = (
        "<html><head><title>政府信息公开工作年报范文</title></head><body><div>导语：本文来源于网友上传，"
        "不代表本站观点，若需要原创文章可咨询客服老师。</div>" + zh + "<p>上一篇：乡镇庆七一表彰会讲话 "
        "下一篇：卫生系统纪念建党发言稿</p><p>精品范文 免费下载</p></body></html>"
    )
    pages["/spam/essay.html"] = Page(essay.encode("utf-8"))
    casino = (
        "<html><head><title>2019年政府信息公开工作年度报告</title></head><body>"
        + zh
        + "<div>澳门葡京娱乐城 百家乐 真人视讯 体育投注 开户送彩金</div></body></html>"
    )
    pages["/spam/casino.html"] = Page(casino.encode("utf-8"))
    pages["/fail/404.html"] = Page(b"<html><body>Not Found</body></html>", status=404)
    challenge = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        '<meta id="9DhefwqGPrzGxEp9hPaoag" content="abc"><script type="text/javascript">'
        "$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=12345;$_ts.cd='qE3xrrAlEa';</script>"
        '<script type="text/javascript" charset="utf-8" src="/4QbVtADbnLVIc/c.FxJzG50F.dfe1675.js"></script>'
        "</head><body></body></html>"
    )
    pages["/fail/challenge.html"] = Page(challenge.encode("utf-8"), status=412)
    pages["/"] = Page(_report_page(Item("other", "某市人民政府门户网站", "/")).encode())
    pages["/frame/index.html"] = Page(
        (
            _chrome("utf-8")[0]
            + '<iframe src="/trs/zfxxgknb/" width="100%"></iframe>'
            + '<iframe src="/video/player.swf"></iframe>'
            + _chrome("utf-8")[1]
        ).encode()
    )
    pages["/ok/plain.html"] = Page(
        _report_page(Item("report", "2019年政府信息公开工作年度报告", "/ok/plain.html")).encode()
    )
    return pages


# --- the server --------------------------------------------------------------------------------


class GovSite:
    """State shared with the handler: pages, request and body-transfer counters, behaviours."""

    def __init__(self) -> None:
        self.pages = build_site()
        self.hits: Counter[str] = Counter()  # requests per path (incl. query)
        self.bodies: Counter[str] = Counter()  # full bodies sent with 200 per path
        self.body_bytes: Counter[str] = Counter()
        self.flaky: Counter[str] = Counter()
        self.inflight = 0
        self.max_inflight = 0
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.host = "127.0.0.1"
        self.port = 0
        self.request_log: list[tuple[float, str]] = []
        self.user_agents: set[str] = set()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def reset_counts(self) -> None:
        with self.lock:
            self.hits.clear()
            self.bodies.clear()
            self.body_bytes.clear()
            self.request_log.clear()

    def expected_reports(self, style: str) -> dict[str, Item]:
        return {self.url(i.href): i for i in all_items()[style] if i.kind == "report"}


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: GovSite  # set on the subclass made per server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet test output
        pass

    def _send(
        self,
        status: int,
        body: bytes,
        ctype: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if body:
            self.wfile.write(body)
            if status == 200:
                with self.site.lock:
                    self.site.bodies[self.path] += 1
                    self.site.body_bytes[self.path] += len(body)

    def _redirect(self, location: str, status: int = 302) -> None:
        self._send(status, b"", headers={"Location": location})

    def _reset(self, body_prefix: bytes, announced: int) -> None:
        """Send headers and part of the body, then abort the connection with RST."""
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(announced))
        self.end_headers()
        self.wfile.write(body_prefix)
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        site = self.site
        with site.lock:
            site.hits[self.path] += 1
            site.request_log.append((time.time(), self.path))
            site.user_agents.add(self.headers.get("User-Agent", ""))
            site.inflight += 1
            site.max_inflight = max(site.max_inflight, site.inflight)
        try:
            self._route()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            with site.lock:
                site.inflight -= 1

    def _route(self) -> None:
        site = self.site
        parts = urlsplit(self.path)
        path = parts.path
        query = parse_qs(parts.query)
        if path == "/module/web/jpage/dataproxy.jsp":
            return self._dataproxy(query)
        if path == "/fail/flaky500.html":
            site.flaky[path] += 1
            if site.flaky[path] <= 2:
                return self._send(500, b"<html><body>Internal Server Error</body></html>")
            return self._static("/ok/plain.html")
        if path == "/fail/429.html":
            site.flaky[path] += 1
            if site.flaky[path] <= 1:
                return self._send(429, b"slow down", headers={"Retry-After": "30"})
            return self._static("/ok/plain.html")
        if path == "/fail/slow.html":
            site.stop.wait(5.0)  # longer than the test policy's read timeout
            return self._send(200, b"too late")
        if path == "/fail/loop-a.html":
            return self._redirect("/fail/loop-b.html")
        if path == "/fail/loop-b.html":
            return self._redirect("/fail/loop-a.html", 301)
        if path.startswith("/fail/chain-"):
            n = int(path.rsplit("-", 1)[1].split(".")[0])
            return self._redirect(f"/fail/chain-{n + 1}.html")
        if path == "/fail/offsite.html":
            return self._redirect("http://mirror.example.com/2019nb.html")
        if path == "/fail/hop-then-offsite.html":
            return self._redirect("/fail/offsite.html", 301)
        if path == "/fail/trickle.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                if site.stop.wait(0.05):
                    break
                self.wfile.write(b"x")
                self.wfile.flush()
            return None
        if path == "/ok/gzip.html":
            import gzip

            body = gzip.compress(site.pages["/ok/plain.html"].body)
            return self._send(200, body, headers={"Content-Encoding": "gzip"})
        if path == "/cookie/check.html":
            if "ogi_check=1" in (self.headers.get("Cookie") or ""):
                return self._static("/ok/plain.html")
            return self._send(
                302, b"", headers={"Location": "/cookie/check.html", "Set-Cookie": "ogi_check=1; Path=/"}
            )
        if path == "/fail/gone.html":
            return self._redirect("/")
        if path == "/redirect/ok.html":
            return self._redirect("/ok/plain.html", 301)
        if path == "/fail/huge.html":
            return self._huge(announce=True)
        if path == "/fail/huge-stream.html":
            return self._huge(announce=False)
        if path == "/fail/reset.pdf":
            return self._reset(b"%PDF-1.4\n" + b"1" * 1000, 20000)
        if path == "/fail/reset-once.pdf":
            site.flaky[path] += 1
            if site.flaky[path] == 1:
                return self._reset(b"%PDF-1.4\n" + b"1" * 1000, 20000)
            return self._send(200, pdf_bytes("reset-once", 20000), "application/pdf")
        if path == "/busy.html":
            time.sleep(0.15)
            return self._send(200, pdf_bytes(self.path, 400), "application/pdf")
        return self._static(self.path)

    def _huge(self, announce: bool) -> None:
        total = 10 * MAX_BYTES
        chunk = b"<p>" + b"x" * 8189 + b"</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if announce:
            self.send_header("Content-Length", str(total))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        sent = 0
        try:
            while sent < total:
                self.wfile.write(chunk)
                sent += len(chunk)
        finally:
            with self.site.lock:
                self.site.body_bytes[self.path] += sent

    def _static(self, key: str) -> None:
        page = self.site.pages.get(key)
        if page is None:
            return self._send(404, b"<html><body><h1>404 Not Found</h1></body></html>")
        headers = {"Last-Modified": LAST_MODIFIED, **page.headers}
        etag = _etag(page.body)
        if page.etag:
            headers["ETag"] = etag
        if page.status == 200:
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            if (page.etag and inm == etag) or (not inm and ims == LAST_MODIFIED):
                return self._send(304, b"", page.content_type, headers)
        return self._send(page.status, page.body, page.content_type, headers)

    def _dataproxy(self, query: dict[str, list[str]]) -> None:
        """Hanweb jpage data proxy: records startrecord..endrecord of the column, each in CDATA."""
        q = {k: v[0] for k, v in query.items()}
        items: list[Item] = HANWEB_ITEMS if all(q.get(k) == v for k, v in HANWEB_PARAMS.items()) else []
        start = int(q.get("startrecord", "1"))
        end = int(q.get("endrecord", str(start + HANWEB_PERPAGE - 1)))
        perpage = int(q.get("perpage", str(HANWEB_PERPAGE)))
        chosen = items[start - 1 : end]
        records = "".join(f"<record><![CDATA[\n{_a(i)}\n]]></record>" for i in chosen)
        pages = -(-len(items) // perpage) if items else 0
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?><datastore>'
            f"<totalrecord>{len(items)}</totalrecord><totalpage>{pages}</totalpage>"
            f"<recordset>{records}</recordset></datastore>"
        ).encode()
        etag = _etag(xml)
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", "text/xml;charset=UTF-8", {"ETag": etag})
        return self._send(200, xml, "text/xml;charset=UTF-8", {"ETag": etag})
