"""Only http(s) from the web: a listing page on an allowed host that links to /etc/passwd,
/proc/self/environ and other local files fetches nothing local; catalog paths stay in the catalog's
folder; a host name that resolves to a loopback address is refused unless the policy allows it."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path

import badserver as bs

from ogi.fetch.catalog import CatalogEntry
from ogi.fetch.client import fetch
from ogi.fetch.discover import discover
from ogi.fetch.policy import FetchPolicy
from ogi.fetch.sources import discovered_entries, fetch_entries
from ogi.fetch.store import RawStore
from ogi.fetch.transport import address_is_public

TITLE = "某区{}年政府信息公开工作年度报告"
LOCAL_TARGETS = ["file:///etc/passwd", "file:///proc/self/environ", "file://localhost/etc/hostname",
                 "/etc/passwd", "../../../../etc/passwd"]


def hostile_listing() -> bytes:
    links = [f'<li><a href="{href}">{TITLE.format(2000 + i)}</a></li>' for i, href in enumerate(LOCAL_TARGETS)]
    links += [
        f'<li><a href="ftp://127.0.0.1/nb.pdf">{TITLE.format(2010)}</a></li>',
        f'<li><a href="data:text/html,hello">{TITLE.format(2011)}</a></li>',
        f'<li><a href="javascript:location=\'file:///etc/passwd\'">{TITLE.format(2012)}</a></li>',
        f'<li><a href="/report.html">{TITLE.format(2021)}</a></li>',
        f'<li><a href="/to-file.html">{TITLE.format(2022)}</a></li>',
    ]
    return ("<html><head><title>政府信息公开年报</title></head><body><ul>" + "".join(links)
            + '</ul><iframe src="file:///etc/shadow"></iframe><a href="file:///etc/passwd">下一页</a>'
            + "</body></html>").encode()


def report_page() -> bytes:
    body = "一、总体情况。" * 100
    return (f"<html><head><title>{TITLE.format(2021)}</title></head><body><h1>{TITLE.format(2021)}</h1>"
            f"<p>{body}</p><a href='file:///etc/passwd'>附件：报告.pdf</a>"
            "<a href='file:///proc/self/environ'>附件下载</a><a href='/nb2021.pdf'>附件：nb2021.pdf</a>"
            "</body></html>").encode()


def based_page() -> bytes:
    """A <base href> pointing at the file system, and a relative attachment under it."""
    return (f"<html><head><base href='file:///etc/'><title>{TITLE.format(2022)}</title></head><body>"
            f"<p>{'正文' * 200}</p><a href='passwd'>附件：passwd.pdf</a></body></html>").encode()


def routes() -> dict[str, bs.Behaviour]:
    return {
        "/nb/": bs.page(hostile_listing()),
        "/report.html": bs.page(report_page()),
        "/to-file.html": bs.page(based_page()),
        "/nb2021.pdf": bs.page(b"%PDF-1.4\n" + b"0" * 3000, "application/pdf"),
        "/redirect-to-file": bs.redirect("file:///etc/passwd"),
    }


def local_bytes() -> set[bytes]:
    out = set()
    for p in ("/etc/passwd", "/proc/self/environ", "/etc/hostname"):
        with contextlib.suppress(OSError):
            out.add(Path(p).read_bytes())
    return out


def blobs(store: RawStore) -> set[bytes]:
    root = store.root / "sha256"
    return {p.read_bytes() for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_a_listing_with_file_links_fetches_nothing_local(tmp_path: Path, policy: FetchPolicy) -> None:
    store = RawStore(tmp_path / "raw")
    with bs.BadServer(routes()) as server:
        found = discover(server.url("/nb/"), store=store, policy=policy)
        discovered_rows = [
            {"listing_url": server.url("/nb/"), "url": r.url, "year": r.year,
             "attachments": list(r.attachments), "page_fetch": None, "agency_hint": None, "title": r.title}
            for r in found.reports
        ]
        entries = [e for e, _rec in discovered_entries(discovered_rows, 2021, "350000")]
        rows = fetch_entries(entries, store, policy, base_dir=tmp_path)
    assert found.ok
    every_url = [r.url for r in found.records] + [u for r in found.reports for u in [r.url, *r.attachments]]
    assert all(u.startswith("http://127.0.0.1:") for u in every_url), every_url
    assert not any(r.local for r in found.records)
    # "/etc/passwd" as an href on a web page is a path on that web server, fetched over http (a 404)
    assert {r.year for r in found.reports} == {2003, 2021, 2022}
    assert [r.url for r in found.reports if r.year == 2003] == [server.url("/etc/passwd")]
    (report,) = [r for r in found.reports if r.year == 2021]
    assert report.attachments == [server.url("/nb2021.pdf")]
    assert [r for r in found.reports if r.year == 2022][0].attachments == []
    assert rows and all(row["local"] is False for row in rows)
    assert not blobs(store) & local_bytes()


def test_a_file_url_that_reached_the_fetch_from_the_web_is_refused(tmp_path: Path, policy: FetchPolicy) -> None:
    """Even if a file:// attachment got into the discovered rows, fetching it reads nothing."""
    store = RawStore(tmp_path / "raw")
    rows = [{"listing_url": "https://www.example.gov.cn/nb/", "url": "https://www.example.gov.cn/nb/t1.html",
             "year": 2021, "attachments": ["file:///etc/passwd", "/etc/passwd"], "page_fetch": None,
             "agency_hint": None, "title": TITLE.format(2021)}]
    attachments = [e for e, _ in discovered_entries(rows, 2021, "350000")][1:]
    out = fetch_entries(attachments, store, policy, base_dir=tmp_path)
    assert [r["error_kind"] for r in out] == ["disallowed_scheme", "disallowed_scheme"]
    assert blobs(store) == set()


def test_a_redirect_to_a_local_file_is_refused(tmp_path: Path, policy: FetchPolicy) -> None:
    with bs.BadServer(routes()) as server:
        rec = fetch(server.url("/redirect-to-file"), RawStore(tmp_path / "raw"), policy)
    assert rec.error_kind == "disallowed_scheme" and not rec.local


def test_catalog_paths_stay_in_the_catalog_folder(tmp_path: Path, policy: FetchPolicy) -> None:
    catalog_dir = tmp_path / "catalog"
    (catalog_dir / "docs").mkdir(parents=True)
    (catalog_dir / "docs" / "a.html").write_text("<html><body>" + "正文" * 200 + "</body></html>", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.html").write_text("<html><body>" + "正文" * 300 + "</body></html>", encoding="utf-8")
    store = RawStore(tmp_path / "raw")

    def entry(location: str) -> CatalogEntry:
        return CatalogEntry(source_id=location, location=location, origin_url=None, region="350000", year=2021)

    locations = ["docs/a.html", "docs/../docs/a.html", "../elsewhere/b.html", str(elsewhere / "b.html"),
                 "/etc/passwd", "file:///etc/passwd", "docs/../../../../etc/passwd"]
    rows = fetch_entries([entry(x) for x in locations], store, policy, base_dir=catalog_dir)
    kinds = {row["location"]: row["error_kind"] for row in rows}
    assert kinds == {"docs/a.html": None, "docs/../docs/a.html": None, "../elsewhere/b.html": "path_not_allowed",
                     str(elsewhere / "b.html"): "path_not_allowed", "/etc/passwd": "path_not_allowed",
                     "file:///etc/passwd": "path_not_allowed", "docs/../../../../etc/passwd": "path_not_allowed"}
    configured = replace(policy, local_roots=(str(elsewhere),))
    (row,) = fetch_entries([entry("../elsewhere/b.html")], store, configured, base_dir=catalog_dir)
    assert row["error_kind"] is None and row["local"]
    assert not blobs(store) & local_bytes()


def test_a_host_name_resolving_to_loopback_is_refused_by_default(tmp_path: Path, policy: FetchPolicy) -> None:
    store = RawStore(tmp_path / "raw")
    default = replace(policy, allowed_hosts=("localhost", "127.0.0.1"), allow_private_addresses=False)
    assert FetchPolicy().allow_private_addresses is False  # the default, without the test switch
    with bs.BadServer({"/ok": bs.page(bs.BODY)}) as server:
        named = f"http://localhost:{server.port}/ok"
        refused = fetch(named, store, default)
        literal = fetch(server.url("/ok"), store, default)
        hits_while_refused = server.hits["/ok"]
        allowed = fetch(named, store, replace(default, allow_private_addresses=True))
    assert refused.error_kind == "address_not_allowed" and refused.attempts == 1
    assert "not a public address" in (refused.error or "")
    assert literal.error_kind == "address_not_allowed"
    assert hits_while_refused == 0  # not one byte of the request was sent
    assert allowed.ok


def test_which_addresses_count_as_public() -> None:
    """The rule applied after every connect (no connection is made here: only the verdicts)."""
    refused = ["127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
               "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "224.0.0.1",
               "not an address", ""]
    assert [a for a in refused if address_is_public(a)] == []
    assert all(address_is_public(a) for a in ["8.8.8.8", "203.119.25.1", "2400:3200::1", "::ffff:8.8.8.8"])
