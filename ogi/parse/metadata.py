"""Report metadata: title, statistics year, agency, region, publication date, scope, authority."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ogi.model import Block, Document
from ogi.reference.regions import NATIONAL, Region, by_code, find_region
from ogi.text.normalize import squash
from ogi.text.numerals import arabic_years

_TITLE = re.compile(r"(政府)?信息公开(工作)?(年度)?(报告|年报)")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")
_PERIOD_YEAR = re.compile(r"统计(期限|时限|时间|区间|数据期限)?[^。]{0,20}?((?:19|20)\d{2})年\s*1月\s*1日")
_FIRST_YEAR = re.compile(r"^((?:19|20)\d{2})年(度)?[，,]")
_WORK_YEAR = re.compile(r"((?:19|20)\d{2})年度?(?:[^。,，;；]{0,8}?)(?:政府|政务)?信息公开工作(?!要点)")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_JURISDICTION = re.compile(
    r"(综合|汇总)(了)?(全[省市区县州盟旗]|本[省市区县])?(各地区?|各级|所属|下辖|各县|各区|各乡镇)[^。]{0,12}(各部门|部门|单位|行政机关)|"
    r"全[省市区县州盟旗]各级行政机关(共)?(受理|主动公开)"
)
_GOV_HOST = re.compile(r"(^|\.)gov\.cn$")


@dataclass
class ReportMeta:
    title: str | None = None
    year: int | None = None
    published: str | None = None
    agency: str | None = None
    region: Region | None = None
    scope: str | None = None
    authoritative: bool | None = None
    authority_reason: str | None = None


def find_title(doc: Document) -> str | None:
    """The report's title: the page's ArticleTitle, else its first title-like line.

    PDFs often print the body's name and the rest of the title on two lines
    (淮安市人民政府 / 2024年政府信息公开工作年度报告): such a pair is joined.
    """
    meta_title = (doc.meta.get("title") or "").strip()
    if meta_title and _TITLE.search(meta_title) and _TITLE_YEAR.search(arabic_years(squash(meta_title))):
        return meta_title
    for i, block in enumerate(doc.blocks[:30]):
        nxt = doc.blocks[i + 1] if i + 1 < len(doc.blocks) else None
        if (isinstance(block, str) and isinstance(nxt, str) and len(block) + len(nxt) <= 80 and "。" not in block + nxt
                and not _TITLE.search(block) and _TITLE.search(squash(block + nxt))
                and re.search(r"信息公开(工作)?$", squash(block))):
            return block.strip() + nxt.strip()  # 道县文广新局2013年度信息公开工作 / 年度报告
        if isinstance(block, str) and len(block) <= 80 and _TITLE.search(block) and "。" not in block:
            title = block.strip()
            prev = doc.blocks[i - 1] if i > 0 else None
            if (agency_from_title(title) is None and isinstance(prev, str) and len(prev) <= 30
                    and not re.search(r"[。，,：:]", prev)):
                title = prev.strip() + title
            return title
    page_title = doc.meta.get("page_title")
    if page_title and _TITLE.search(page_title):
        return re.split(r"[_|\-—]{1,2}(?=[^_|\-—]*(网|政府|门户)[^_|\-—]*$)", page_title)[0].strip()
    return meta_title or None


def statistics_year(title: str | None, blocks: list[Block]) -> int | None:
    """The year the statistics cover: the title's year, else the stated statistics period, else the opening."""
    if title:
        m = _TITLE_YEAR.search(arabic_years(squash(title)))
        if m:
            return int(m.group(1))
    texts = [arabic_years(squash(b)) for b in blocks[:60] if isinstance(b, str)]
    for text in texts:
        m = _PERIOD_YEAR.search(text)
        if m:
            return int(m.group(2))
    for text in texts:
        m = _FIRST_YEAR.match(text)
        if m:
            return int(m.group(1))
    for text in texts[:12]:  # the opening states whose year's work it reports: 2019年我局政府信息公开工作…
        m = _WORK_YEAR.search(text)
        if m:
            return int(m.group(1))
    return None


def agency_from_title(title: str | None) -> str | None:
    """益阳市人民政府办公室2020年政府信息公开工作年度报告 → 益阳市人民政府办公室."""
    if not title:
        return None
    text = arabic_years(squash(title))
    m = re.match(r"^(.{2,40}?)(?:关于)?(?:(?:19|20)\d{2}年度?)", text)
    if m:
        agency = m.group(1).rstrip("的")
        return agency or None
    m = re.match(r"^(.{2,40}?)(?:政府)?信息公开", text)
    if not m or re.search(r"\d", m.group(1)) or m.group(1) in ("政府",):
        return None
    return m.group(1)


def iso_date(text: str | None) -> str | None:
    if not text:
        return None
    m = _DATE.search(text)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def scope_of(blocks: list[Block]) -> str:
    """jurisdiction when the report rolls up a whole area, else body."""
    for block in blocks[:80]:
        if isinstance(block, str) and _JURISDICTION.search(squash(block)):
            return "jurisdiction"
    return "body"


def host_of(uri: str | None) -> str | None:
    if not uri or "://" not in uri:
        return None
    return (urlsplit(uri).hostname or "").lower() or None


def authority(origin_uri: str | None, doc: Document, official_hosts: tuple[str, ...] = ()) -> tuple[bool | None, str]:
    """Authoritative only when published on a government host and showing no signs of a copy."""
    host = host_of(origin_uri)
    if doc.meta.get("essay_site_marks"):
        return False, f"essay-site boilerplate: {doc.meta['essay_site_marks'][:80]}"
    if host is None:
        return None, "no origin URL: the publisher cannot be told from a local file"
    if _GOV_HOST.search(host) or host in official_hosts:
        return True, f"published on government host {host}"
    return False, f"published on non-government host {host}"


def report_meta(doc: Document, origin_uri: str | None = None, province_hint: str | None = None,
                catalog_agency: str | None = None, catalog_year: int | None = None) -> ReportMeta:
    meta = ReportMeta()
    meta.title = find_title(doc)
    meta.year = statistics_year(meta.title, doc.blocks) or catalog_year
    meta.published = iso_date(doc.meta.get("published"))
    meta.agency = agency_from_title(meta.title) or catalog_agency or doc.meta.get("source")
    hint = province_hint if province_hint and province_hint != NATIONAL else None
    # 网站标识码 and 公网安备 numbers open with the site's division code; the prefecture is what
    # they reliably name (a city site is often registered in its seat's district).
    site_code = (doc.meta.get("site_id_code") or doc.meta.get("police_record") or "")[:6]
    site_region = (by_code(site_code) if site_code.endswith("00") else by_code(site_code[:4] + "00")) if site_code.isdigit() else None
    meta.region = (
        find_region(meta.agency or "", hint)
        or find_region(meta.title or "", hint)
        or (site_region if site_region and (hint is None or site_region.code[:2] == hint[:2]) else None)
        or (by_code(province_hint) if province_hint else None)
    )
    meta.scope = scope_of(doc.blocks)
    meta.authoritative, meta.authority_reason = authority(origin_uri, doc)
    return meta
