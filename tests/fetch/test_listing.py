"""Listing-page reading without a server: pagination signals, dataproxy configs, attachments."""

from __future__ import annotations

from ogi.fetch.listing import attachment_links, createpage_urls, dataproxy_page, page_heading, parse_listing

BASE = "http://www.example.gov.cn/zwgk/zfxxgknb/"


def test_createpage_variants() -> None:
    assert createpage_urls('createPageHTML(3, 0, "index", "html");', BASE) == [
        BASE + "index.html",
        BASE + "index_1.html",
        BASE + "index_2.html",
    ]
    assert createpage_urls("createPageHTML('page_div',2, 1,'index','shtml',30);", BASE + "index_1.shtml") == [
        BASE + "index.shtml",
        BASE + "index_1.shtml",
    ]
    script = 'var countPage = 2//共多少页\nvar currentPage = 0;\ncreatePageHTML(countPage, currentPage, "list", "htm");'
    assert createpage_urls(script, BASE) == [BASE + "list.htm", BASE + "list_1.htm"]
    assert createpage_urls("function createPageHTML(a, b, c, d) { return a; }", BASE) == []


def test_next_links_rel_next_and_numbers() -> None:
    html = (
        '<html><head><link rel="next" href="?page=2"></head><body>'
        '<a href="list_3.html">3</a> <a href="/about/2.html">2</a> <a href="p4.html" title="下一页">›</a>'
        '<a href="javascript:void(0)">下一页</a><a href="t1.html">下一篇：某通知</a></body></html>'
    )
    page = parse_listing(html, BASE)
    assert page.next_urls == [BASE + "?page=2", BASE + "list_3.html", BASE + "p4.html"]


def test_titles_from_attribute_and_base_href() -> None:
    html = (
        '<html><head><base href="http://www.example.gov.cn/other/"></head><body>'
        '<a href="t1.html" title="某市2019年度政府信息公开工作年度报告">某市2019年度政府信息…</a>'
        "</body></html>"
    )
    (link,) = parse_listing(html, BASE).links
    assert link.url == "http://www.example.gov.cn/other/t1.html"
    assert link.title == "某市2019年度政府信息公开工作年度报告" and link.text.startswith(
        "某市2019年度政府信息"
    )


def test_meta_refresh() -> None:
    html = '<html><head><meta http-equiv="Refresh" content="0; URL=col/col123/index.html"></head></html>'
    assert parse_listing(html, BASE).refresh == BASE + "col/col123/index.html"


def test_dataproxy_config_from_nextgroup_and_script() -> None:
    html = (
        '<div id="123"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/'
        'dataproxy.jsp?page=1&webid=3&path=/&columnid=123&unitid=456&permissiontype=0"></a>]]></nextgroup>'
        '<recordset><record><![CDATA[<li><a href="/art/1.html" title="2019年政府信息公开年报">2019年…</a></li>]]>'
        "</record></recordset></datastore></script></div>"
        "<script>$('#123').jpage({proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: 20, totalRecord: 41,"
        " ajaxParam: {col: 1, sourceContentType: 1}});</script>"
    )
    page = parse_listing(html, "http://www.example.gov.cn/col/col123/index.html")
    (cfg,) = page.dataproxy
    assert cfg.url == "http://www.example.gov.cn/module/web/jpage/dataproxy.jsp"
    assert cfg.params["columnid"] == "123" and cfg.params["unitid"] == "456" and cfg.params["webid"] == "3"
    assert cfg.params["col"] == "1" and cfg.perpage == 20 and cfg.total == 41
    assert "startrecord=21&endrecord=40&perpage=20" in cfg.page_url(21, 40)
    assert [(x.url, x.title) for x in page.links] == [
        ("http://www.example.gov.cn/art/1.html", "2019年政府信息公开年报")
    ]


def test_dataproxy_answer() -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>7</totalrecord><totalpage>2</totalpage>'
        "<recordset><record><![CDATA[\n<li><a href='/art/2.html' title='二〇二〇年政府信息公开工作年度报告'>二〇二〇年"
        "…</a><span>2021-01-20</span></li>\n]]></record></recordset></datastore>"
    )
    links, total, pages = dataproxy_page(xml, "http://www.example.gov.cn/module/web/jpage/dataproxy.jsp?x=1")
    assert total == 7 and pages == 2
    assert links[0].url == "http://www.example.gov.cn/art/2.html" and links[0].title.endswith("年度报告")


def test_attachments() -> None:
    html = (
        '<html><body><div class="header"><a href="/xzzx/">下载中心</a><a href="/guide.pdf">指南</a></div>'
        '<div class="article"><p><a href="./P0202001.pdf">附件1</a></p>'
        '<p><a href="/module/download/downfile.jsp?classid=0&filename=abc.docx">年报</a></p>'
        '<p><a href="/attach/x.WPS">x</a> <a href="/attach/y.xlsx">统计表</a> <a href="/attach/z.doc">z</a></p>'
        '<p><a href="/servlet/Download?id=9">附件下载</a> <a href="t2.html">相关阅读：下载说明</a></p>'
        '<iframe src="/pdfjs/viewer.html?file=/u/nb.pdf"></iframe><a href="#top">下载</a></div>'
        '<div class="footer"><a href="/sitemap.pdf">网站地图</a></div></body></html>'
    )
    got = attachment_links(html, "http://www.example.gov.cn/nb/2020/t1.html")
    h = "http://www.example.gov.cn"
    assert got == [
        h + "/nb/2020/P0202001.pdf",
        h + "/module/download/downfile.jsp?classid=0&filename=abc.docx",
        h + "/attach/x.WPS",
        h + "/attach/y.xlsx",
        h + "/attach/z.doc",
        h + "/servlet/Download?id=9",
        h + "/pdfjs/viewer.html?file=/u/nb.pdf",
    ]


def test_page_heading() -> None:
    assert page_heading('<meta name="ArticleTitle" content=" 某局2019年 年报 ">') == "某局2019年 年报"
    assert page_heading("<title>站点</title><h1>某局2019年年报</h1>") == "某局2019年年报"
    assert page_heading("<title>某局年报</title>") == "某局年报"
