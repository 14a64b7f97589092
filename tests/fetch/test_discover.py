"""Discovery against the imitation site: every pagination style, exactly the reports, each page once."""

from __future__ import annotations

from pathlib import Path

import pytest
from govsite import LISTINGS, GovSite

from ogi.fetch.client import Fetcher, FetchRecord
from ogi.fetch.discover import Discovery, discover
from ogi.fetch.log import FetchLog, summarize
from ogi.fetch.policy import FetchPolicy
from ogi.fetch.store import RawStore


def run_pipeline(
    gov: GovSite, style: str, fetcher: Fetcher, log: FetchLog
) -> tuple[Discovery, list[FetchRecord]]:
    """What the raw-documents asset does: discover, then fetch every attachment, logging each fetch."""
    previous = log.latest()
    found = discover(gov.url(LISTINGS[style]), fetcher, previous=previous, on_record=log.append)
    records: list[FetchRecord] = []
    for report in found.reports:
        for att in report.attachments:
            if att in {r.url for r in records}:
                continue
            rec = fetcher.fetch(att, previous=previous.get(att))
            log.append(rec)
            records.append(rec)
    return found, records


@pytest.mark.parametrize("style", sorted(LISTINGS))
def test_discovers_exactly_the_reports(gov: GovSite, policy: FetchPolicy, tmp_path: Path, style: str) -> None:
    store = RawStore(tmp_path / "raw")
    with Fetcher(store, policy) as fetcher:
        found = discover(gov.url(LISTINGS[style]), fetcher)
    expected = gov.expected_reports(style)
    assert {r.url for r in found.reports} == set(expected)
    assert len(found.reports) == len(expected)  # no duplicates
    for r in found.reports:
        item = expected[r.url]
        assert r.title == item.title, "full title (from the title attribute or the page) expected"
        assert r.year == item.year
        if item.attachments:
            assert r.attachments == [gov.url(h) for h in item.attachments]
        else:  # the listing links straight to the file
            assert r.attachments == [r.url]
        assert r.error is None
    # Look-alikes and compile notices are skipped, with a reason.
    skipped = {s["url"] for s in found.skipped}
    assert all(r.url not in skipped for r in found.reports)
    assert any("通知" in s["reason"] for s in found.skipped)
    assert not found.errors, [e.to_json() for e in found.errors]
    # Three pages of the listing were read (dataproxy pages count for Hanweb).
    assert len([p for p in found.pages if "dataproxy.jsp" in p or style in ("plain", "trs")]) == 3
    # Every page fetched is in the raw store.
    for rec in found.records:
        assert rec.ok and store.has(rec.sha256 or "")


@pytest.mark.parametrize("style", sorted(LISTINGS))
def test_each_fetched_once_and_rerun_transfers_nothing(
    gov: GovSite, policy: FetchPolicy, tmp_path: Path, style: str
) -> None:
    store = RawStore(tmp_path / "raw")
    log = FetchLog(tmp_path / "raw" / "fetch-log.jsonl")
    with Fetcher(store, policy) as fetcher:
        found, records = run_pipeline(gov, style, fetcher, log)
    assert found.reports and records
    assert all(r.ok for r in records)
    # Each URL (listing pages, dataproxy pages, report pages, attachments) requested exactly once.
    assert gov.hits and max(gov.hits.values()) == 1, {k: v for k, v in gov.hits.items() if v > 1}
    n_attachments = len({a for r in found.reports for a in r.attachments})
    assert len(records) + len(found.records) == len(gov.hits)
    assert len({r.url for r in records}) == len(records) == n_attachments
    first_bytes = sum(gov.body_bytes.values())
    assert first_bytes > 0

    gov.reset_counts()
    with Fetcher(store, policy) as fetcher:
        found2, records2 = run_pipeline(gov, style, fetcher, log)
    assert [r.to_json() for r in found2.reports] == [r.to_json() for r in found.reports]
    # The second run asks again (conditionally) but no unchanged body crosses the wire.
    assert sum(gov.bodies.values()) == 0, dict(gov.bodies)
    assert sum(gov.body_bytes.values()) == 0
    everything = found2.records + records2
    assert everything and all(r.unchanged and r.ok and r.status == 304 for r in everything)
    assert all(r.bytes_transferred == 0 and not r.created for r in everything)
    stats = summarize(everything)
    assert stats["unchanged"] == len(everything) and stats["fetched"] == 0 and stats["bytes"] == 0


def test_listing_inside_a_frame(gov: GovSite, policy: FetchPolicy, tmp_path: Path) -> None:
    found = discover(gov.url("/frame/index.html"), store=RawStore(tmp_path / "raw"), policy=policy)
    assert {r.url for r in found.reports} == set(gov.expected_reports("trs"))
    assert "/video/player.swf" not in gov.hits


def test_max_pages_bounds_the_crawl(gov: GovSite, policy: FetchPolicy, tmp_path: Path) -> None:
    found = discover(gov.url(LISTINGS["plain"]), store=RawStore(tmp_path / "raw"), policy=policy, max_pages=1)
    assert found.pages == [gov.url("/plain/")]
    assert {r.year for r in found.reports} == {2019}


def test_listing_failure_is_reported_not_raised(gov: GovSite, policy: FetchPolicy, tmp_path: Path) -> None:
    found = discover(gov.url("/nowhere/"), store=RawStore(tmp_path / "raw"), policy=policy)
    assert not found.ok and found.reports == []
    assert found.errors[0].error_kind == "not_found"


def test_discovery_respects_allowlist(gov: GovSite, policy: FetchPolicy, tmp_path: Path) -> None:
    strict = FetchPolicy(**{**policy.__dict__, "allowed_hosts": ("*.gov.cn",)})
    found = discover(gov.url(LISTINGS["trs"]), store=RawStore(tmp_path / "raw"), policy=strict)
    assert not found.ok and found.errors[0].error_kind == "host_not_allowed"
    assert not gov.hits  # nothing was requested


def test_local_listing_and_report_pages(tmp_path: Path, policy: FetchPolicy) -> None:
    """The bundled corpus: listings and reports as local files (paths and file:// URLs)."""
    site = tmp_path / "site"
    (site / "nb").mkdir(parents=True)
    (site / "nb" / "index.html").write_text(
        '<html><head><meta charset="utf-8"></head><body><ul>'
        '<li><a href="t1.html" title="某区2021年政府信息公开工作年度报告">某区2021年政府信息…</a></li>'
        '<li><a href="t2.html">政府信息公开指南</a></li></ul><a href="index_1.html">下一页</a></body></html>',
        encoding="utf-8",
    )
    (site / "nb" / "index_1.html").write_text(
        "<html><head><title>政府信息公开年报</title></head><body><p>政府信息公开年报栏目：本栏目发布本区政府信息公开工作年度报告。</p>"
        '<ul><li><a href="t3.html">二〇二〇年政府信息公开工作年度报告</a></li></ul></body></html>',
        encoding="utf-8",
    )
    body = "正文" * 200
    (site / "nb" / "t1.html").write_text(
        f'<html><body>{body}<a href="a.pdf">附件</a></body></html>', encoding="utf-8"
    )
    (site / "nb" / "t3.html").write_bytes(f"<html><body>{body}</body></html>".encode("gbk"))
    found = discover("nb/index.html", store=RawStore(tmp_path / "raw"), policy=policy, base_dir=site)
    years = {r.year: r for r in found.reports}
    assert set(years) == {2021, 2020}
    assert years[2021].attachments == [(site / "nb" / "a.pdf").as_uri()]
