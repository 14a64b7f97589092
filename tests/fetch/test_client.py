"""fetch() against misbehaving pages: every failure is recorded with its reason, nothing raises."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from govsite import MAX_BYTES, GovSite

from ogi.fetch.client import ERROR_KINDS, Fetcher, FetchRecord, fetch
from ogi.fetch.policy import FetchPolicy
from ogi.fetch.store import RawStore


@pytest.fixture
def store(tmp_path: Path) -> RawStore:
    return RawStore(tmp_path / "raw")


def get(gov: GovSite, path: str, store: RawStore, policy: FetchPolicy, **kw: object) -> FetchRecord:
    rec = fetch(gov.url(path), store, policy, **kw)  # type: ignore[arg-type]
    assert rec.error_kind is None or rec.error_kind in ERROR_KINDS
    assert rec.fetched_at.endswith("Z")
    return rec


def test_ok_page_is_stored_with_headers(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/ok/plain.html", store, policy)
    assert rec.ok and rec.status == 200 and rec.attempts == 1 and rec.created
    assert store.get(rec.sha256 or "") == gov.pages["/ok/plain.html"].body
    assert rec.size == rec.bytes_transferred == len(gov.pages["/ok/plain.html"].body)
    assert rec.etag and rec.last_modified and rec.encoding == "utf-8"
    assert rec.authoritative is False  # 127.0.0.1 is allowed for tests but is not a government host
    again = get(gov, "/ok/plain.html", store, policy)
    assert again.sha256 == rec.sha256 and not again.created  # identical bytes: nothing new stored


def test_gzip_body_is_stored_decoded(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/ok/gzip.html", store, policy)
    assert rec.ok and store.get(rec.sha256 or "") == gov.pages["/ok/plain.html"].body


def test_user_agent_is_clear(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    assert get(gov, "/ok/plain.html", store, policy).ok
    (agent,) = gov.user_agents
    assert agent == policy.user_agent and agent.startswith("ogi-pipeline/")


def test_500_twice_then_success_is_retried(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/fail/flaky500.html", store, policy)
    assert rec.ok and rec.status == 200 and rec.attempts == 3
    assert gov.hits["/fail/flaky500.html"] == 3


def test_500_beyond_attempts_is_server_error(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/fail/flaky500.html", store, replace(policy, max_attempts=2))
    assert not rec.ok and rec.error_kind == "server_error" and rec.status == 500 and rec.attempts == 2
    assert rec.sha256 is None


def test_429_honours_retry_after_within_the_cap(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/fail/429.html", store, policy)  # Retry-After: 30, capped by backoff_max=0.05
    assert rec.ok and rec.attempts == 2 and rec.elapsed_ms < 2000


def test_timeout_is_recorded_after_retries(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/fail/slow.html", store, policy)
    assert rec.error_kind == "timeout" and rec.attempts == policy.max_attempts
    assert "read timeout" in (rec.error or "")
    assert rec.elapsed_ms < 5000


def test_timeout_not_retried_when_configured(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/fail/slow.html", store, replace(policy, retry_on_timeout=False))
    assert rec.error_kind == "timeout" and rec.attempts == 1


def test_trickling_body_hits_the_deadline(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/fail/trickle.html", store, replace(policy, max_seconds=0.3, max_attempts=1))
    assert rec.error_kind == "timeout" and "max_seconds" in (rec.error or "") and rec.elapsed_ms < 2000


def test_redirect_loop(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/fail/loop-a.html", store, policy)
    assert rec.error_kind == "redirect_loop" and rec.attempts == 1
    assert gov.hits["/fail/loop-a.html"] == 1 and gov.hits["/fail/loop-b.html"] == 1


def test_cookie_check_bounce_is_not_a_loop(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/cookie/check.html", store, policy)
    assert rec.ok and rec.redirects == [gov.url("/cookie/check.html")] and gov.hits["/cookie/check.html"] == 2


def test_redirects_are_bounded(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/fail/chain-0.html", store, replace(policy, max_redirects=3))
    assert rec.error_kind == "too_many_redirects"
    assert sum(1 for k in gov.hits if k.startswith("/fail/chain-")) == 4


def test_redirect_followed_and_recorded(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/redirect/ok.html", store, policy)
    assert (
        rec.ok and rec.final_url == gov.url("/ok/plain.html") and rec.redirects == [gov.url("/ok/plain.html")]
    )


@pytest.mark.parametrize("path", ["/fail/offsite.html", "/fail/hop-then-offsite.html"])
def test_redirect_off_the_allowlist_is_refused(
    gov: GovSite, store: RawStore, policy: FetchPolicy, path: str
) -> None:
    rec = get(gov, path, store, policy)
    assert rec.error_kind == "host_not_allowed" and "mirror.example.com" in (rec.error or "")
    assert rec.redirects[-1] == "http://mirror.example.com/2019nb.html"
    assert rec.sha256 is None


def test_start_off_the_allowlist_sends_nothing(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/ok/plain.html", store, replace(policy, allowed_hosts=("*.gov.cn",)))
    assert rec.error_kind == "host_not_allowed" and not gov.hits


def test_412_challenge_is_not_retried(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/fail/challenge.html", store, policy)
    assert rec.error_kind == "challenge" and rec.status == 412 and rec.attempts == 1
    assert gov.hits["/fail/challenge.html"] == 1


def test_tls_error_is_recorded_not_retried(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    # An https URL on the plain-HTTP test port: the TLS handshake fails, as with a broken chain.
    rec = fetch(gov.url("/ok/plain.html").replace("http://", "https://"), store, policy)
    assert rec.error_kind == "tls" and rec.attempts == 1


@pytest.mark.parametrize("path", ["/fail/soft404.html", "/fail/tiny.html"])
def test_soft_404(gov: GovSite, store: RawStore, policy: FetchPolicy, path: str) -> None:
    rec = get(gov, path, store, policy)
    assert rec.status == 200 and rec.error_kind == "soft_404" and not rec.ok
    assert rec.sha256 and store.has(rec.sha256)  # the raw bytes are kept anyway


def test_redirect_to_home_page_is_soft_404(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/fail/gone.html", store, policy)
    assert rec.error_kind == "soft_404" and "home page" in (rec.error or "") and rec.final_url == gov.url("/")


def test_real_404(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/fail/404.html", store, policy)
    assert rec.error_kind == "not_found" and rec.status == 404 and rec.attempts == 1


@pytest.mark.parametrize("path", ["/fail/huge.html", "/fail/huge-stream.html"])
def test_oversize_body_is_abandoned(gov: GovSite, store: RawStore, policy: FetchPolicy, path: str) -> None:
    rec = get(gov, path, store, policy)
    assert rec.error_kind == "too_large" and rec.sha256 is None and rec.attempts == 1
    assert rec.bytes_transferred <= MAX_BYTES + 65536  # stopped at the cap, not after 10x


def test_connection_reset_mid_body(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/fail/reset.pdf", store, policy)
    assert rec.error_kind == "incomplete_body" and rec.attempts == policy.max_attempts
    assert rec.sha256 is None and rec.status == 200  # headers came, the body did not
    assert not store.root.exists() or not [p for p in store.root.rglob("*") if p.is_file()]


def test_connection_reset_once_then_ok(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    rec = get(gov, "/fail/reset-once.pdf", store, policy)
    assert rec.ok and rec.attempts == 2 and rec.size == 20000


def test_connection_refused(store: RawStore, policy: FetchPolicy) -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    rec = fetch(f"http://127.0.0.1:{port}/x.html", store, policy)
    assert rec.error_kind == "connection" and rec.attempts == policy.max_attempts


@pytest.mark.parametrize(
    ("path", "encoding"),
    [
        ("/enc/gbk-header.html", "gb18030"),
        ("/enc/gbk-meta.html", "gb18030"),
        ("/enc/utf8.html", "utf-8"),
        ("/enc/mislabelled.html", "gb18030"),
    ],
)
def test_encoding_is_recorded(
    gov: GovSite, store: RawStore, policy: FetchPolicy, path: str, encoding: str
) -> None:
    rec = get(gov, path, store, policy)
    assert rec.ok and rec.encoding == encoding
    from ogi.text.encoding import decode

    text, _ = decode(store.get(rec.sha256 or ""), rec.content_type)
    assert "政府信息公开工作年度报告" in text


@pytest.mark.parametrize(
    ("path", "marker"), [("/spam/essay.html", "essay"), ("/spam/casino.html", "gambling")]
)
def test_spam_mirror(gov: GovSite, store: RawStore, policy: FetchPolicy, path: str, marker: str) -> None:
    rec = get(gov, path, store, policy)
    assert rec.error_kind == "spam_mirror" and marker in (rec.error or "")


def test_etag_304_means_unchanged_and_no_body(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    first = get(gov, "/ok/plain.html", store, policy)
    gov.reset_counts()
    second = get(gov, "/ok/plain.html", store, policy, previous=first)
    assert second.status == 304 and second.unchanged and second.ok
    assert second.sha256 == first.sha256 and second.size == first.size and second.bytes_transferred == 0
    assert gov.hits["/ok/plain.html"] == 1 and not gov.bodies


def test_last_modified_304(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    first = get(gov, "/plain/t2020_1.html", store, policy)  # Last-Modified only, no ETag
    assert first.etag is None and first.last_modified
    gov.reset_counts()
    second = get(gov, "/plain/t2020_1.html", store, policy, previous=first)
    assert second.unchanged and second.status == 304 and not gov.bodies


def test_conditional_skipped_when_bytes_are_gone(gov: GovSite, tmp_path: Path, policy: FetchPolicy) -> None:
    first = fetch(gov.url("/ok/plain.html"), RawStore(tmp_path / "a"), policy)
    second = fetch(gov.url("/ok/plain.html"), RawStore(tmp_path / "b"), policy, previous=first)
    assert second.status == 200 and second.unchanged and second.created  # same bytes, re-downloaded


def test_disallowed_schemes_and_bad_urls(store: RawStore, policy: FetchPolicy) -> None:
    assert fetch("ftp://example.gov.cn/a.pdf", store, policy).error_kind == "disallowed_scheme"
    assert fetch("http:///nohost", store, policy).error_kind == "invalid_url"
    assert fetch("x.html", store, replace(policy, allow_local=False)).error_kind == "disallowed_scheme"


def test_local_paths(tmp_path: Path, store: RawStore, policy: FetchPolicy) -> None:
    doc = tmp_path / "corpus" / "report.html"
    doc.parent.mkdir()
    doc.write_bytes(("<html><body>" + "政府信息公开" * 100 + "</body></html>").encode("gbk"))
    a = fetch("corpus/report.html", store, policy, base_dir=tmp_path)
    b = fetch(doc.as_uri(), store, policy, previous=a)
    assert a.ok and a.local and a.encoding == "gb18030" and a.content_type == "text/html"
    assert b.ok and b.unchanged and b.sha256 == a.sha256 and not b.created
    missing = fetch("corpus/nope.pdf", store, policy, base_dir=tmp_path)
    assert missing.error_kind == "not_found"
    big = tmp_path / "corpus" / "big.pdf"
    big.write_bytes(b"%PDF" + b"0" * (MAX_BYTES + 1))
    assert fetch(str(big), store, policy).error_kind == "too_large"


def test_an_unchanged_local_file_is_not_read_again_and_a_changed_one_is(tmp_path: Path, store: RawStore,
                                                                          policy: FetchPolicy) -> None:
    doc = tmp_path / "report.html"
    doc.write_bytes(("<html><body>" + "政府信息公开" * 100 + "</body></html>").encode("gbk"))
    first = fetch(str(doc), store, policy)
    again = fetch(str(doc), store, policy, previous=first)
    assert first.bytes_transferred == doc.stat().st_size and first.file_stat
    # Same size, times and inode: the stored bytes and the page checks' verdict stand, nothing is read.
    assert again.ok and again.unchanged and again.bytes_transferred == 0
    assert (again.sha256, again.size, again.encoding, again.content_type) == (
        first.sha256, first.size, first.encoding, first.content_type)
    # Rewritten with the same size and its old modification time restored: the status-change time moved.
    before = doc.stat()
    doc.write_bytes(("<html><body>" + "政府信息公布" * 100 + "</body></html>").encode("gbk"))
    os.utime(doc, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert doc.stat().st_size == before.st_size
    changed = fetch(str(doc), store, policy, previous=again)
    assert changed.ok and not changed.unchanged and changed.sha256 != first.sha256
    assert changed.bytes_transferred == before.st_size
    # Bytes gone from the store: read again, whatever the file's signature says.
    kept = fetch(str(doc), store, policy, previous=changed)
    assert kept.bytes_transferred == 0
    store.path(changed.sha256).chmod(0o644)
    store.path(changed.sha256).unlink()
    back = fetch(str(doc), store, policy, previous=changed)
    assert back.ok and back.bytes_transferred == before.st_size and store.has(back.sha256)


def test_concurrency_cap_holds_per_host(gov: GovSite, tmp_path: Path, policy: FetchPolicy) -> None:
    capped = replace(policy, max_concurrency=2)
    store = RawStore(tmp_path / "raw")
    results: list[FetchRecord] = []

    def worker(i: int) -> None:
        with Fetcher(store, capped) as f:  # separate Fetchers share only the lock files
            results.append(f.fetch(gov.url(f"/busy.html?i={i}")))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 6 and all(r.ok for r in results)
    assert gov.max_inflight <= 2  # the server never saw more than two at once
    assert time.monotonic() - t0 >= 3 * 0.15 - 0.02  # six 0.15 s requests, two at a time


def test_record_roundtrip(gov: GovSite, store: RawStore, policy: FetchPolicy) -> None:
    import json

    rec = get(gov, "/redirect/ok.html", store, policy)
    data = json.loads(json.dumps(rec.to_json(), ensure_ascii=False))
    assert FetchRecord.from_json({**data, "future_field": 1}) == rec


def test_spam_thresholds_respect_authority() -> None:
    from ogi.fetch.detect import spam_reason

    police = "<p>公安局依法打击赌场、六合彩、百家乐等违法犯罪活动。</p>" * 3
    assert spam_reason(police, authoritative=True) is None
    hijacked = police + "<div>澳门葡京娱乐城 真人视讯 体育投注 开户送 太阳城 威尼斯人</div>"
    assert spam_reason(hijacked, authoritative=True)
    assert spam_reason(police, authoritative=False)  # off government hosts, three terms are enough
