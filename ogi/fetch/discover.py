"""Discover annual reports from a listing page (a 政府信息公开年报 column): follow its pagination,
keep links whose titles are annual reports, and collect each report page's attachments.

Every page is fetched through the Fetcher, so politeness, the allowlist and conditional requests
apply, and the bytes land in the raw store (a report page fetched here need not be fetched again:
its record is returned with the report).
"""

from __future__ import annotations

import re
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ogi.fetch.client import Fetcher, FetchRecord
from ogi.fetch.listing import (
    DataproxyConfig,
    Link,
    attachment_ext,
    attachment_links,
    dataproxy_page,
    page_heading,
    parse_listing,
)
from ogi.fetch.policy import FetchPolicy
from ogi.fetch.store import RawStore
from ogi.fetch.titles import is_truncated, normalize_title, report_year, title_verdict
from ogi.text.encoding import decode

__all__ = ["DiscoveredReport", "Discovery", "discover"]

# Topic words that make a truncated, attribute-less title worth opening to read its full heading.
_PROMISING = ("信息公开", "政务公开", "年度报", "年报")


@dataclass
class DiscoveredReport:
    """One annual report found on a listing."""

    url: str
    title: str
    year: int | None
    attachments: list[str]
    listing_url: str
    page_sha256: str | None = None  # the report page's bytes in the raw store (None for direct files)
    error: str | None = None  # the report page could not be fetched (attachments unknown)
    error_kind: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The CLI's JSON line: url, title, year, attachments (+ provenance)."""
        return {
            "url": self.url,
            "title": self.title,
            "year": self.year,
            "attachments": list(self.attachments),
            "listing_url": self.listing_url,
            "page_sha256": self.page_sha256,
            "error": self.error,
            "error_kind": self.error_kind,
        }


@dataclass
class Discovery:
    """What one crawl of a listing found, and every fetch it made (for the fetch log)."""

    listing_url: str
    reports: list[DiscoveredReport] = field(default_factory=list)
    records: list[FetchRecord] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # listing pages (and dataproxy pages) read
    skipped: list[dict[str, str]] = field(default_factory=list)  # look-alikes: url, title, reason
    errors: list[FetchRecord] = field(default_factory=list)  # listing pages that failed

    @property
    def ok(self) -> bool:
        """The first listing page was read (later page failures are in `errors`)."""
        return bool(self.pages)

    def record_for(self, url: str) -> FetchRecord | None:
        for r in reversed(self.records):
            if r.url == url:
                return r
        return None


def _norm(url: str) -> str:
    return url.split("#", 1)[0]


_INDEX = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|php|aspx?)$", re.I)


def _page_key(url: str) -> str:
    """Identity of a listing page: `dir/` and `dir/index.html` are one page (TRS page 0 is both)."""
    parts = urlsplit(_norm(url))
    path = _INDEX.sub("/", parts.path) or "/"
    return f"{parts.scheme}://{parts.netloc}{path}" + (f"?{parts.query}" if parts.query else "")


class _Crawler:
    def __init__(
        self,
        fetcher: Fetcher,
        listing_url: str,
        max_pages: int,
        previous: Mapping[str, FetchRecord] | None,
        fetch_report_pages: bool,
        on_record: Callable[[FetchRecord], None] | None,
    ) -> None:
        self.f = fetcher
        self.listing_url = listing_url
        self.max_pages = max(1, max_pages)
        self.previous = previous or {}
        self.fetch_report_pages = fetch_report_pages
        self.on_record = on_record
        self.result = Discovery(listing_url=listing_url)
        self._fetched: dict[str, tuple[FetchRecord, str | None]] = {}
        self.listing_host = (urlsplit(listing_url).hostname or "").lower()
        # A listing on the web yields web links only; a local listing (a catalog row) may name files.
        self.from_web = urlsplit(listing_url).scheme.lower() in ("http", "https")

    def get(self, url: str) -> tuple[FetchRecord, str | None]:
        """Fetch once per crawl (the same URL is never requested twice); text of a good page."""
        url = _norm(url)
        if url in self._fetched:
            return self._fetched[url]
        rec = self.f.fetch(url, previous=self.previous.get(url), from_web=self.from_web)
        self.result.records.append(rec)
        if self.on_record:
            self.on_record(rec)
        text: str | None = None
        if rec.ok and rec.sha256:
            data = self.f.store.get(rec.sha256)
            text, _enc = decode(data, rec.content_type)
        self._fetched[url] = (rec, text)
        return rec, text

    def same_site(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return host == self.listing_host or (urlsplit(url).scheme == "file" and not self.listing_host)

    def crawl(self) -> Discovery:
        queue: deque[str] = deque([_norm(self.listing_url)])
        queued = {_page_key(self.listing_url)}
        proxies: dict[str, DataproxyConfig] = {}
        links: list[tuple[Link, str]] = []
        listing_pages = 0
        while queue and listing_pages < self.max_pages:
            url = queue.popleft()
            rec, text = self.get(url)
            if text is None:
                self.result.errors.append(rec)
                continue
            listing_pages += 1
            self.result.pages.append(url)
            if rec.final_url:
                queued.add(_page_key(rec.final_url))
            page = parse_listing(text, rec.final_url or url)
            links.extend((link, url) for link in page.links)
            follow = list(page.next_urls)
            if page.refresh:
                follow.insert(0, page.refresh)
            for nxt in follow:
                nxt = _norm(nxt)
                if _page_key(nxt) not in queued and self.same_site(nxt):
                    queued.add(_page_key(nxt))
                    queue.append(nxt)
            for cfg in page.dataproxy:
                proxies.setdefault(cfg.page_url(0, 0), cfg)
        for cfg in proxies.values():
            links.extend(self._dataproxy(cfg))
        self._collect(links)
        return self.result

    def _dataproxy(self, cfg: DataproxyConfig) -> Iterator[tuple[Link, str]]:
        """Page through a Hanweb dataproxy.jsp listing perpage records at a time, up to totalrecord."""
        start, pages, total = 1, 0, cfg.total
        while pages < self.max_pages:
            url = cfg.page_url(start, start + cfg.perpage - 1)
            rec, text = self.get(url)
            if text is None:
                self.result.errors.append(rec)
                return
            pages += 1
            self.result.pages.append(url)
            found, total_rec, _total_pages = dataproxy_page(text, rec.final_url or url)
            total = total_rec if total_rec is not None else total
            for link in found:
                yield link, url
            start += cfg.perpage
            if not found or (total is not None and start > total):
                return

    def _collect(self, links: list[tuple[Link, str]]) -> None:
        seen: set[str] = {
            _page_key(p) for p in self.result.pages
        }  # a link back to a listing page is no report
        for link, found_on in links:
            url = _norm(link.url)
            if url in seen or _page_key(url) in seen:
                continue
            title = link.title
            ok, reason = title_verdict(title)
            promising = any(w in title for w in _PROMISING)
            cut = not ok and is_truncated(title) and promising
            if (cut or (ok and report_year(title) is None)) and not attachment_ext(url):
                # A cut title with no title attribute, or a report title without a year (often a
                # breadcrumb or column link): the page itself says what it is.
                rec, text = self.get(url)
                heading = page_heading(text) if text else ""
                if heading and title_verdict(heading)[0] and report_year(heading) is not None:
                    title, ok, reason = heading, True, "annual report"
                elif ok:
                    ok, reason = False, "no year in the title or the page heading"
            if not ok:
                if promising:
                    seen.add(url)
                    self.result.skipped.append({"url": url, "title": title, "reason": reason})
                continue
            seen.add(url)
            self.result.reports.append(self._report(url, title, found_on))

    def _report(self, url: str, title: str, found_on: str) -> DiscoveredReport:
        title = normalize_title(title)
        report = DiscoveredReport(
            url=url, title=title, year=report_year(title), attachments=[], listing_url=found_on
        )
        if attachment_ext(url):
            # The listing links straight to the file: it is its own (only) attachment.
            report.attachments = [url]
            return report
        if not self.fetch_report_pages:
            return report
        rec, text = self.get(url)
        report.page_sha256 = rec.sha256 if rec.ok else None
        if text is None:
            report.error, report.error_kind = rec.error, rec.error_kind
            return report
        report.attachments = attachment_links(text, rec.final_url or url)
        if report.year is None:
            report.year = report_year(page_heading(text))
        return report


def discover(
    listing_url: str,
    fetcher: Fetcher | None = None,
    *,
    store: RawStore | None = None,
    policy: FetchPolicy | None = None,
    max_pages: int = 50,
    previous: Mapping[str, FetchRecord] | None = None,
    fetch_report_pages: bool = True,
    base_dir: Path | None = None,
    on_record: Callable[[FetchRecord], None] | None = None,
) -> Discovery:
    """Crawl `listing_url` and its pagination; return the annual reports it lists.

    Pass a Fetcher to share its session, store and politeness; otherwise one is made from
    `store` (a temporary store when None) and `policy`. `previous` maps URL to the last fetch
    record (e.g. FetchLog.latest()) so unchanged pages are not downloaded again; `on_record` sees
    every fetch as it happens (e.g. FetchLog.append). Never raises for bad pages: failures are in
    `Discovery.errors` and in each report's `error`.
    """
    tmp: tempfile.TemporaryDirectory[str] | None = None
    own = fetcher is None
    if fetcher is None:
        if store is None:
            tmp = tempfile.TemporaryDirectory(prefix="ogi-discover-")
            store = RawStore(tmp.name)
        fetcher = Fetcher(store, policy, base_dir=base_dir)
    try:
        return _Crawler(fetcher, listing_url, max_pages, previous, fetch_report_pages, on_record).crawl()
    finally:
        if own:
            fetcher.close()
        if tmp is not None:
            tmp.cleanup()
