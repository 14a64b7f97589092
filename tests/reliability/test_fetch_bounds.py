"""Bounded per request, against real misbehaving servers on 127.0.0.1: a total deadline per request
(connect + headers + body), a time budget per URL, a retry budget per host, a circuit breaker per
host; and the smaller faults (a lying Content-Length, broken gzip, oversized headers) recorded with
a permanent kind instead of being retried or stored as a success.

The policy is the documented default with every time bound scaled by 1/100 (conftest.scaled), so
each test asserts the same arithmetic as the defaults in a hundredth of the time;
scripts/fetch-bounds measures the defaults themselves.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from pathlib import Path

import badserver as bs
import pytest
from scaled_policy import SCALE, scaled

from ogi.fetch.client import ERROR_KINDS, Fetcher, FetchRecord, fetch
from ogi.fetch.policy import FetchPolicy
from ogi.fetch.store import RawStore

ROOT = Path(__file__).resolve().parents[2]
SLACK = 0.5  # seconds of scheduling slack on a loaded 2-core machine


def stored(store: RawStore) -> list[Path]:
    return [p for p in (store.root / "sha256").rglob("*") if p.is_file()] if (store.root / "sha256").exists() else []


def timed(url: str, store: RawStore, policy: FetchPolicy) -> tuple[FetchRecord, float]:
    start = time.monotonic()
    rec = fetch(url, store, policy)
    return rec, time.monotonic() - start


@pytest.mark.parametrize("path", ["/slow-headers", "/silent", "/trickle"])
def test_a_slow_or_silent_url_ends_within_its_budget(path: str, tmp_path: Path, policy: FetchPolicy) -> None:
    store = RawStore(tmp_path / "raw")
    routes = {"/slow-headers": bs.slow_headers, "/silent": bs.silent, "/trickle": bs.trickle}
    with bs.BadServer(routes) as server:
        rec, took = timed(server.url(path), store, policy)
    assert rec.error_kind == "timeout" and not rec.ok
    assert took <= policy.url_seconds + SLACK, took  # the documented 120 s, scaled
    assert rec.failures and set(rec.failures) == {"timeout"} and len(rec.failures) == rec.attempts
    assert stored(store) == []  # nothing half-read is kept
    if path == "/slow-headers":  # the server never stops sending: only the total deadline ends it
        assert "total deadline" in (rec.error or "")


def test_the_documented_bounds_hold_their_arithmetic() -> None:
    """Defaults: a slow or silent URL ≤ 120 s; a dead host's streak ≤ 150 s, under 3 minutes."""
    d = FetchPolicy()
    assert d.url_seconds <= 120 and d.max_seconds <= d.url_seconds
    # a silent host: read_timeout per attempt, attempts and backoff all inside url_seconds
    assert d.read_timeout < d.url_seconds
    # a dead host: requests stop when the streak reaches breaker_seconds (an attempt gets only
    # what is left of it), so its cost is breaker_seconds whatever the number of URLs
    assert d.breaker_seconds + 1 <= 180


@pytest.mark.parametrize("path", ["/slow-headers", "/silent"])
def test_a_dead_host_with_300_urls_opens_its_breaker_and_the_other_host_proceeds(
    path: str, tmp_path: Path, policy: FetchPolicy
) -> None:
    store = RawStore(tmp_path / "raw")
    routes = {"/slow-headers": bs.slow_headers, "/silent": bs.silent}
    good_routes = {f"/ok{i}.html": bs.page(bs.BODY + str(i).encode()) for i in range(30)}
    with bs.BadServer(routes) as dead, bs.BadServer(good_routes, host="127.0.0.2") as good:
        urls = [dead.url(f"{path}?n={i}") for i in range(300)]
        for i in range(30):  # the good host's URLs come between the dead one's
            urls.insert(i * 10 + 5, good.url(f"/ok{i}.html"))
        start = time.monotonic()
        with Fetcher(store, policy) as f:
            records = [f.fetch(u) for u in urls]
        took = time.monotonic() - start
        dead_hits = sum(dead.hits.values())
    dead_recs = [r for r in records if "127.0.0.1" in r.url]
    good_recs = [r for r in records if "127.0.0.2" in r.url]
    assert all(r.ok for r in good_recs) and len(good_recs) == 30
    kinds = [r.error_kind for r in dead_recs]
    assert set(kinds) <= {"timeout", "circuit_open"}
    assert kinds.count("circuit_open") >= 290  # the rest are recorded as skipped, with the reason
    assert all("circuit open" in (r.error or "") for r in dead_recs if r.error_kind == "circuit_open")
    assert dead_hits <= policy.breaker_failures + 1  # one probe at most after the cooldown
    # the dead host's cost is its failure streak (breaker_seconds), not 300 URLs' budgets
    dead_seconds = sum(r.elapsed_ms for r in dead_recs) / 1000
    assert dead_seconds <= policy.breaker_seconds + SLACK, dead_seconds
    assert took <= policy.breaker_seconds + 2 * SLACK + 30 * 0.1, took


def test_a_dead_host_asked_for_robots_txt_costs_one_request_for_300_urls(tmp_path: Path, policy: FetchPolicy) -> None:
    """With robots.txt respected (the default), a silent host's robots.txt times out once, is remembered as
    unavailable, and its 300 URLs are recorded as not fetched without another request."""
    store = RawStore(tmp_path / "raw")
    with bs.BadServer({"/silent": bs.silent, "/robots.txt": bs.silent}) as dead:
        start = time.monotonic()
        with Fetcher(store, replace(policy, respect_robots=True)) as f:
            records = [f.fetch(dead.url(f"/silent?n={i}")) for i in range(300)]
        took = time.monotonic() - start
        hits = sum(dead.hits.values())
    assert {r.error_kind for r in records} == {"robots_unavailable"}
    assert hits <= 1 and took <= policy.max_seconds + SLACK, (hits, took)


def test_a_host_refusing_connections_is_cut_off_after_a_few_attempts(tmp_path: Path, policy: FetchPolicy) -> None:
    port = bs.refused_port()
    store = RawStore(tmp_path / "raw")
    with Fetcher(store, policy) as f:
        records = [f.fetch(f"http://127.0.0.1:{port}/r{i}.pdf") for i in range(300)]
    attempted = sum(r.attempts for r in records if r.error_kind != "circuit_open")
    assert attempted <= policy.breaker_failures
    assert [r.error_kind for r in records[:1]] == ["connection"]
    assert all(r.error_kind == "circuit_open" for r in records[2:])


def test_the_breaker_lets_one_probe_through_after_the_cooldown_and_closes_on_success(
    tmp_path: Path, policy: FetchPolicy
) -> None:
    fast = replace(policy, breaker_cooldown=0.3)
    flip = {"dead": True}

    def sometimes(c: bs.Conn) -> None:
        if flip["dead"]:
            bs.silent(c)
        else:
            bs.page(bs.BODY)(c)

    with bs.BadServer({"/p": sometimes}) as server, Fetcher(RawStore(tmp_path / "raw"), fast) as f:
        kinds = [f.fetch(server.url("/p")).error_kind for _ in range(fast.breaker_failures + 1)]
        assert kinds[-1] == "circuit_open", kinds
        flip["dead"] = False
        assert f.fetch(server.url("/p")).error_kind == "circuit_open"  # still cooling down
        time.sleep(0.35)
        assert f.fetch(server.url("/p")).ok  # the probe
        assert f.fetch(server.url("/p")).ok  # closed again


def test_the_breaker_is_shared_by_fetchers_through_the_state_folder(tmp_path: Path, policy: FetchPolicy) -> None:
    port = bs.refused_port()
    with Fetcher(RawStore(tmp_path / "a"), policy) as first:
        for i in range(3):
            first.fetch(f"http://127.0.0.1:{port}/x{i}")
    with Fetcher(RawStore(tmp_path / "b"), policy) as second:  # e.g. the next partition's fetch
        assert second.fetch(f"http://127.0.0.1:{port}/y").error_kind == "circuit_open"


def test_an_old_failure_streak_is_forgotten(tmp_path: Path, policy: FetchPolicy) -> None:
    """Two failures an hour ago (an earlier run) neither open the breaker nor shorten requests now."""
    from ogi.fetch.breaker import HostBreaker

    now = [time.time() - 3600]
    breaker = HostBreaker(tmp_path / "state", failures=4, seconds=150, cooldown=300, clock=lambda: now[0])
    breaker.failure("h.example.gov.cn", "timeout")
    breaker.failure("h.example.gov.cn", "timeout")
    now[0] += 3600
    assert breaker.time_left("h.example.gov.cn") == float("inf")
    breaker.failure("h.example.gov.cn", "timeout")
    assert breaker.check("h.example.gov.cn") is None  # one failure now, not three


def test_a_host_retry_budget_caps_retries_across_urls(tmp_path: Path) -> None:
    flaky_policy = scaled(tmp_path, host_retry_budget=3, breaker_failures=1000)
    with bs.BadServer({"/e": lambda c: c.send(bs.response("503 Service Unavailable", b"busy"))}) as server:
        with Fetcher(RawStore(tmp_path / "raw"), flaky_policy) as f:
            records = [f.fetch(server.url(f"/e?{i}")) for i in range(10)]
        hits = sum(server.hits.values())
    assert all(r.error_kind == "server_error" for r in records)
    assert hits == 10 + 3  # one attempt each, plus the three retries the budget allows
    assert "retry budget" in (records[-1].error or "")


# --- smaller faults: recorded with a kind, not retried as if transient, never stored -------------


@pytest.mark.parametrize(
    ("behaviour", "kind", "attempts"),
    [
        (bs.short_length, "truncated", 1),  # the length is wrong: the same next time
        (bs.long_length, "truncated", None),  # closed early: a cut transfer can heal, retried
        (bs.broken_gzip, "decode_error", 1),
        (bs.long_header, "header_too_large", 1),
        (bs.many_headers, "header_too_large", 1),
        (bs.not_http, "bad_response", 1),
    ],
)
def test_broken_responses_get_their_own_kind(
    behaviour: bs.Behaviour, kind: str, attempts: int | None, tmp_path: Path, policy: FetchPolicy
) -> None:
    store = RawStore(tmp_path / "raw")
    with bs.BadServer({"/x": behaviour}) as server:
        rec = fetch(server.url("/x"), store, policy)
        hits = server.hits["/x"]
    assert rec.error_kind == kind, rec.error
    assert not rec.ok and stored(store) == []
    assert hits == (attempts or policy.max_attempts) == rec.attempts


def test_a_correct_content_length_is_still_a_success(tmp_path: Path, policy: FetchPolicy) -> None:
    store = RawStore(tmp_path / "raw")
    with bs.BadServer({"/ok": bs.page(bs.BODY)}) as server:
        rec = fetch(server.url("/ok"), store, policy)
    assert rec.ok and store.get(rec.sha256 or "") == bs.BODY and rec.failures == []


def test_every_error_kind_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Fetching: error kinds"):]
    missing = [k for k in ERROR_KINDS if not re.search(rf"`{k}`", section)]
    assert missing == []


def test_scale_of_the_test_policy() -> None:
    assert scaled(Path("/tmp")).url_seconds == pytest.approx(FetchPolicy().url_seconds * SCALE)
