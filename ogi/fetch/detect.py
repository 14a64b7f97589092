"""Recognise responses that look fine by status but are not the document: soft 404s, firewall
JavaScript challenges, and spam/essay mirrors (spec: copies off government hosts are not authoritative).
"""

from __future__ import annotations

import html
import re

__all__ = [
    "challenge_reason",
    "looks_like_html",
    "looks_like_xml_data",
    "page_title",
    "soft_404_reason",
    "spam_reason",
    "visible_text",
]

_SCRIPT_STYLE = re.compile(r"<(script|style|noscript|template)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<[^>]+>")
_WS = re.compile(r"\s+")
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)

# Phrases CMSs put on "not found" pages served with status 200.
_SOFT_404_TITLE = (
    "404",
    "页面不存在",
    "页面未找到",
    "找不到页面",
    "网页不存在",
    "页面已删除",
    "文章不存在",
    "信息不存在",
    "内容不存在",
    "not found",
    "错误页面",
    "出错了",
)
# In visible text these only count on a short page: real reports say e.g. "信息不存在的3件".
_SOFT_404_TEXT = (
    "页面不存在",
    "您访问的页面不存在",
    "您要访问的页面不存在",
    "页面未找到",
    "找不到页面",
    "找不到您要访问的页面",
    "网页不存在",
    "页面已删除",
    "页面已被删除",
    "文章不存在",
    "稿件不存在",
    "信息已删除",
    "该信息已被删除",
    "内容已删除",
    "404 not found",
    "page not found",
    "the page you requested",
)
SHORT_PAGE_CHARS = 1500

# Anti-bot firewalls common on gov.cn (Ruishu/瑞数 412, Jiasule/加速乐 521, Aliyun WAF, Safedog, Yunsuo).
_CHALLENGE_MARKERS = (
    "$_ts",
    "__jsl_clearance",
    "jsl_clearance_s",
    "acw_sc__v2",
    "acw_tc",
    "_waf_bd8ce2ce37",
    "yunsuo_session_verify",
    "safedog",
    "waf/2.0",
    "security verification",
    "请开启javascript",
    "请启用javascript",
    "浏览器安全检查",
    "正在进行安全检测",
    "滑动验证",
)

# Spam on hijacked pages (gambling/porn ads injected into gov sites, or mirrors serving them).
_GAMBLING = (
    "博彩",
    "娱乐城",
    "百家乐",
    "六合彩",
    "时时彩",
    "赌场",
    "真人视讯",
    "体育投注",
    "彩票网",
    "葡京",
    "威尼斯人",
    "太阳城",
    "开户送",
    "棋牌游戏",
    "代开发票",
    "色情",
    "av在线",
    "北京赛车",
    "pk10",
    "老虎机",
)
# Essay/"范文" sites that republish spun copies of reports (seed 002).
_ESSAY = (
    "网友上传",
    "不代表本站观点",
    "原创文章",
    "客服老师",
    "精品范文",
    "范文",
    "发言稿",
    "演讲稿",
    "心得体会",
    "免费下载",
    "文库",
    "写作指导",
    "讲话稿",
)


def looks_like_xml_data(data: bytes) -> bool:
    """True for XML data answers (dataproxy record sets, feeds): not pages a soft-404 check applies to."""
    head = data[:512].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.startswith((b"<?xml", b"<datastore", b"<recordset", b"<rss", b"<feed"))


def looks_like_html(data: bytes, content_type: str | None) -> bool:
    """Whether a body is a web page (so it gets decoded and checked), judged by header then bytes."""
    ct = (content_type or "").split(";")[0].strip().lower()
    if ct in ("text/html", "application/xhtml+xml"):
        return True
    if ct and ct not in ("text/plain", "application/octet-stream", "text/xml", "application/xml"):
        return False
    head = data[:1024].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"<body", b"<script", b"<title"))


def visible_text(html_text: str) -> str:
    """Text a reader sees: scripts, styles, comments and tags removed, whitespace collapsed."""
    t = _COMMENT.sub(" ", html_text)
    t = _SCRIPT_STYLE.sub(" ", t)
    t = _TAG.sub(" ", t)
    return _WS.sub(" ", html.unescape(t)).strip()


def page_title(html_text: str) -> str:
    m = _TITLE.search(html_text)
    return _WS.sub(" ", html.unescape(_TAG.sub("", m.group(1)))).strip() if m else ""


def soft_404_reason(data: bytes, html_text: str, min_body_bytes: int = 200) -> str | None:
    """Why a 200 page is really "not found", or None."""
    if len(data.strip()) < min_body_bytes:
        return f"tiny body ({len(data)} bytes)"
    title = page_title(html_text).lower()
    for phrase in _SOFT_404_TITLE:
        if phrase in title:
            return f"title says {phrase!r}"
    text = visible_text(html_text)
    if len(text) <= SHORT_PAGE_CHARS:
        low = text.lower()
        for phrase in _SOFT_404_TEXT:
            if phrase in low:
                return f"page says {phrase!r}"
    if not text and "<a" not in html_text.lower() and "<iframe" not in html_text.lower():
        return "page has no visible text"
    return None


def challenge_reason(status: int | None, html_text: str) -> str | None:
    """Why a response is a firewall's JavaScript challenge rather than the document, or None."""
    low = html_text[:20000].lower()
    hits = [m for m in _CHALLENGE_MARKERS if m in low]
    if status == 412:
        return "HTTP 412 (JavaScript challenge)" + (f": {hits[0]}" if hits else "")
    if status in (202, 403, 521) and hits:
        return f"HTTP {status} challenge: {hits[0]}"
    if hits and len(visible_text(html_text)) < 200 and "<script" in low:
        return f"challenge page: {hits[0]}"
    return None


def spam_reason(html_text: str, authoritative: bool) -> str | None:
    """Why a page is spam or an essay-site mirror rather than a government document, or None.

    Gambling terms count anywhere (hijacked gov pages exist; more are needed on a government host);
    essay-site markers only off authoritative hosts, since a government page may mention e.g. 讲话稿.
    """
    text = visible_text(html_text).lower()
    gambling = sorted({w for w in _GAMBLING if w in text})
    # A government page may name a few of these (a police notice on illegal gambling); injected spam
    # on a hijacked page names many.
    if len(gambling) >= (6 if authoritative else 3):
        return "gambling/spam terms: " + ", ".join(gambling[:5])
    if not authoritative:
        essay = sorted({w for w in _ESSAY if w in text})
        if len(essay) >= 3:
            return "essay-site mirror markers: " + ", ".join(essay[:5])
    return None
