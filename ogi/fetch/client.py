"""Fetch one document (http(s) URL or local path) into the raw store and describe what happened.

A bad document never raises: every failure becomes a FetchRecord with `error` and `error_kind`, so a
run over thousands of government pages records what it could not get and why.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import mimetypes
import os
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import requests
import urllib3

from ogi.fetch.breaker import HostBreaker
from ogi.fetch.detect import (
    challenge_reason,
    looks_like_html,
    looks_like_xml_data,
    soft_404_reason,
    spam_reason,
)
from ogi.fetch.policy import FetchPolicy
from ogi.fetch.ratelimit import HostBusy, HostGate
from ogi.fetch.robots import RobotsCache, RobotsRefusal, requests_getter
from ogi.fetch.store import RawStore
from ogi.fetch.transport import AddressNotAllowed, Deadline, deadline, guard
from ogi.text.encoding import decode
from ogi.versions import code_version

__all__ = ["ERROR_KINDS", "FetchRecord", "Fetcher", "fetch", "utc_now"]

# error_kind values, with whether the fetch is retried on them (README, "Fetching: error kinds").
ERROR_KINDS: dict[str, str] = {
    "invalid_url": "not a usable URL or path",
    "disallowed_scheme": "scheme other than http/https (local paths only from catalog rows, when allowed)",
    "path_not_allowed": "a local path outside the catalog's folder and policy.local_roots",
    "host_not_allowed": "host (first request or a redirect hop) is off the allowlist",
    "address_not_allowed": "host resolved to a loopback/private/link-local address (not retried)",
    "redirect_loop": "a redirect led back to a URL already visited",
    "too_many_redirects": "more redirect hops than policy.max_redirects",
    "timeout": "connect/read timeout or the request's total deadline passed (retried within url_seconds)",
    "connection": "connection refused/reset before a response (retried)",
    "incomplete_body": "connection reset mid-body (retried)",
    "truncated": "body shorter than its Content-Length (connection closed early; retried) or longer "
    "than it (the length is wrong; not retried): never stored as a success",
    "dns": "host name does not resolve",
    "tls": "TLS/certificate failure (not retried: a broken chain does not heal)",
    "header_too_large": "a header line over 64 KiB or more than 100 headers (not retried)",
    "bad_response": "the status line is not HTTP (not retried)",
    "challenge": "firewall JavaScript challenge (HTTP 412 etc.; not retried)",
    "rate_limited": "HTTP 429 after all retries",
    "server_error": "HTTP 5xx after all retries",
    "not_found": "HTTP 404/410 or a missing local file",
    "http_status": "another non-success HTTP status",
    "too_large": "body larger than policy.max_bytes (download abandoned)",
    "soft_404": "status 200 but the page says it does not exist, or is nearly empty",
    "spam_mirror": "spam or essay-site copy, not a government document",
    "host_busy": "no per-host request slot came free in time",
    "circuit_open": "skipped: the host's circuit breaker is open after consecutive failures",
    "decode_error": "content-encoding (gzip/deflate/br) could not be decoded (not retried)",
    "io_error": "local file could not be read",
    "robots_disallowed": "robots.txt disallows the URL (a catalog row may set robots=ignore, recorded)",
    "robots_unavailable": "robots.txt answered 5xx/429 or not at all: nothing fetched from the site (retried)",
    "unexpected": "an error not classified above (a bug to report, with the message)",
}
# Failures that say the host gave no complete answer: they feed its circuit breaker.
_HOST_FAILURES = frozenset({"timeout", "connection", "incomplete_body", "truncated", "dns"})

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MIN_ATTEMPT_SECONDS = 1.0  # a retry needs at least this much of the URL's budget left
_JITTER = random.Random()


def utc_now() -> str:
    """ISO 8601 UTC timestamp, seconds precision, with Z."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class FetchRecord:
    """One fetch-log row: what was asked, what came back, where the bytes are, and any failure."""

    url: str
    final_url: str | None = None
    status: int | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    size: int | None = None
    fetched_at: str = field(default_factory=utc_now)
    attempts: int = 0
    unchanged: bool = False
    error: str | None = None
    error_kind: str | None = None
    elapsed_ms: int = 0
    created: bool = False  # the bytes were new to the store
    bytes_transferred: int = 0  # body bytes received over all attempts (0 for a 304)
    redirects: list[str] = field(default_factory=list)  # every URL after the first, in order
    encoding: str | None = None  # text encoding used for web pages (see ogi.text.encoding.decode)
    content_length: int | None = None  # as announced by the server
    content_disposition: str | None = None  # carries attachment file names
    server: str | None = None
    authoritative: bool | None = None  # final host is a government host (policy.authoritative_hosts)
    local: bool = False  # read from a local path rather than over HTTP
    failures: list[str] = field(default_factory=list)  # error_kind of each failed attempt, in order
    robots: str | None = None  # what robots.txt said (ogi.fetch.robots.RobotsVerdict), None for local files
    file_stat: str | None = None  # a local file's signature when read (see _file_signature): unchanged ⇒ not re-read

    @property
    def ok(self) -> bool:
        """True when the document was obtained (fresh or unchanged) without a detected problem."""
        return self.error is None and self.sha256 is not None

    def to_json(self) -> dict[str, Any]:
        """Plain dict for json.dumps (ensure_ascii=False keeps Chinese readable)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FetchRecord:
        """Inverse of to_json; unknown keys (from newer writers) are ignored, and values read back
        from a DataFrame/Parquet (NaN, pd.NA, numpy scalars and arrays, 200.0) become plain Python."""
        names = {f.name for f in fields(cls)}
        kwargs = {k: _plain(v, k) for k, v in data.items() if k in names}
        for listed in ("redirects", "failures"):
            if kwargs.get(listed) is None:
                kwargs[listed] = []
        for flag in ("unchanged", "created", "local"):
            kwargs[flag] = bool(kwargs.get(flag) or False)
        for num in ("attempts", "elapsed_ms", "bytes_transferred"):
            kwargs[num] = int(kwargs.get(num) or 0)
        if kwargs.get("url") is None:
            kwargs["url"] = ""
        if kwargs.get("fetched_at") is None:
            kwargs.pop("fetched_at", None)
        elif not isinstance(kwargs["fetched_at"], str):
            ts = kwargs["fetched_at"]  # a pandas/datetime timestamp from a typed frame
            kwargs["fetched_at"] = ts.strftime("%Y-%m-%dT%H:%M:%SZ") if hasattr(ts, "strftime") else str(ts)
        return cls(**kwargs)


_INT_FIELDS = frozenset({"status", "size", "attempts", "elapsed_ms", "bytes_transferred", "content_length"})


def _plain(value: Any, name: str) -> Any:
    """A DataFrame cell as a plain Python value (None for missing)."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):
        value = value.tolist()
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        if name in _INT_FIELDS and value.is_integer():
            return int(value)
    if name in ("redirects", "failures") and isinstance(value, list | tuple):
        return [str(v) for v in value]
    return value


class _Failure(Exception):
    """A failed attempt: kind (ERROR_KINDS), whether to retry, and any Retry-After."""

    def __init__(
        self,
        kind: str,
        message: str,
        retryable: bool = False,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after
        self.host: str | None = None  # the host of the failed request (a redirect may change it)


@dataclass
class _Response:
    status: int
    url: str
    headers: requests.structures.CaseInsensitiveDict[str]
    body: bytes


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def is_local_location(location: str) -> bool:
    """A local path or file: URL (which only catalog rows may name)."""
    scheme = urlsplit(location).scheme.lower()
    return scheme == "file" or scheme == "" or (len(scheme) == 1 and location[1:2] == ":")


def _local_path(location: str, base_dir: Path | None) -> Path:
    parts = urlsplit(location)
    if parts.scheme.lower() == "file":
        if parts.netloc not in ("", "localhost"):
            raise _Failure("invalid_url", f"file URL with a remote host: {location}")
        path = Path(unquote(parts.path))
    else:
        path = Path(location).expanduser()
    if not path.is_absolute():
        path = (base_dir or Path.cwd()) / path
    return path


class Fetcher:
    """Reusable fetching state: one requests.Session (connection reuse), the per-host gate, the store.

    Use one Fetcher per thread (requests sessions are not thread-safe); the per-host limits hold
    across Fetchers, threads and processes through the lock files in policy.state_dir.
    """

    def __init__(
        self,
        store: RawStore,
        policy: FetchPolicy | None = None,
        *,
        base_dir: Path | None = None,
        session: requests.Session | None = None,
        gate: HostGate | None = None,
        breaker: HostBreaker | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.policy = policy or FetchPolicy()
        self.base_dir = base_dir
        self._own_session = session is None
        self.session = session or requests.Session()
        self.session.trust_env = False  # no proxies or .netrc from the environment: tests stay local
        guard(self.session, allow_private=self.policy.allow_private_addresses)
        self._sleep = sleep
        self.gate = gate or HostGate(
            self.policy.resolved_state_dir(),
            min_interval=self.policy.min_interval,
            max_concurrency=self.policy.max_concurrency,
            wait_timeout=self.policy.slot_wait_timeout,
            sleep=sleep,
        )
        p = self.policy
        self.breaker = breaker or HostBreaker(
            p.resolved_state_dir(), failures=p.breaker_failures, seconds=p.breaker_seconds,
            cooldown=p.breaker_cooldown,
        )
        self._retries: Counter[str] = Counter()  # retries spent per host (policy.host_retry_budget)
        # robots.txt per host, cached in the state folder (ogi/fetch/robots.py); a catalog listing row with
        # robots=ignore sets ignore_robots while it is crawled.
        self.robots = RobotsCache(requests_getter(
            self.session, timeout=self.policy.timeout, user_agent=self._headers({})["User-Agent"], slot=self.gate.slot,
            limit=lambda: deadline(self.policy.max_seconds), refused=_address_refused),
            self.policy.resolved_state_dir(), ttl=self.policy.robots_ttl)
        self.ignore_robots = False

    def close(self) -> None:
        if self._own_session:
            self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public -----------------------------------------------------------------------------------

    def fetch(self, location: str, previous: FetchRecord | None = None, *, from_web: bool = False,
              ignore_robots: bool = False) -> FetchRecord:
        """Fetch `location` into the store; never raises for a bad document (see FetchRecord.error).

        `from_web`: the location was found on a fetched web page (a link, an attachment), so it must
        be http(s): only catalog rows may name local files. `ignore_robots`: a catalog override for a
        site whose robots.txt blocks its own reports (recorded).
        """
        started = time.monotonic()
        rec = FetchRecord(url=location)
        try:
            if is_local_location(location):
                if from_web:
                    rec.local = True
                    raise _Failure("disallowed_scheme", f"a link found on a web page may not name a local file: "
                                   f"{location[:200]}")
                self._fetch_local(location, rec, previous)
            else:
                if self.policy.respect_robots and self.policy.allows_host(urlsplit(location).hostname):
                    rec.robots = str(self.robots.admit(location, ignore=ignore_robots or self.ignore_robots))
                self._fetch_http(location, rec, previous)
        except RobotsRefusal as refusal:
            rec.error, rec.error_kind, rec.robots = refusal.message, refusal.kind, refusal.kind.removeprefix("robots_")
        except requests.exceptions.RequestException as e:  # robots.txt's host refused by address (see _address_refused)
            f = self._classify(e, location)
            rec.error, rec.error_kind = f.message, f.kind
            rec.attempts = max(rec.attempts, 1)
        except _Failure as f:
            rec.error, rec.error_kind = f.message, f.kind
            if f.status is not None:
                rec.status = f.status
        except Exception as e:  # noqa: BLE001 - contract: a bad document never raises
            rec.error, rec.error_kind = f"{type(e).__name__}: {e}", "io_error" if rec.local else "unexpected"
        rec.elapsed_ms = int((time.monotonic() - started) * 1000)
        return rec

    # -- local ------------------------------------------------------------------------------------

    def _fetch_local(self, location: str, rec: FetchRecord, previous: FetchRecord | None) -> None:
        rec.local = True
        rec.attempts = 1
        if not self.policy.allow_local:
            raise _Failure("disallowed_scheme", f"local paths are not allowed: {location}")
        path = _local_path(location, self.base_dir)
        self._confine(path)
        rec.final_url = path.as_uri()
        try:
            st = path.stat()
        except FileNotFoundError:
            raise _Failure("not_found", f"no such file: {path}") from None
        except OSError as e:
            raise _Failure("io_error", f"cannot stat {path}: {e}") from None
        if not path.is_file():
            raise _Failure("io_error", f"not a regular file: {path}")
        if st.st_size > self.policy.max_bytes:
            raise _Failure("too_large", f"{st.st_size} bytes > max_bytes {self.policy.max_bytes}")
        rec.file_stat = self._file_signature(st)
        if (previous is not None and previous.ok and previous.local and previous.file_stat == rec.file_stat
                and previous.final_url == rec.final_url and self.store.has(previous.sha256)):
            # The file is as it was when last read: its stored bytes and what was found about them stand.
            rec.sha256, rec.size, rec.unchanged = previous.sha256, previous.size, True
            rec.content_type, rec.encoding = previous.content_type, previous.encoding
            rec.last_modified = previous.last_modified
            return
        try:
            data = path.read_bytes()
        except OSError as e:
            raise _Failure("io_error", f"cannot read {path}: {e}") from None
        rec.content_type = mimetypes.guess_type(path.name)[0]
        rec.last_modified = email.utils.formatdate(st.st_mtime, usegmt=True)
        rec.authoritative = None
        rec.bytes_transferred = len(data)
        self._accept(data, rec, previous)

    def _file_signature(self, st: os.stat_result) -> str:
        """What must be unchanged for a local file to be taken as unchanged without reading and hashing it again.

        Size, modification and status-change times in nanoseconds, and inode, as git's index trusts a
        working-tree file (the status-change time moves on every write, even one that restores the
        modification time); plus the fetch code's version and the page checks' settings, whose verdict
        on the bytes is taken over with them.
        """
        p = self.policy
        return (f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{code_version('fetch')}:"
                f"{int(p.detect_soft_404)}{int(p.detect_spam)}:{p.min_body_bytes}")

    def _confine(self, path: Path) -> None:
        """A catalog's local path stays inside the catalog's folder (or policy.local_roots).

        Judged on the normalised path (".." resolved, symlinks not followed): the threat is a catalog
        value naming /etc/passwd or ../../secret, not a symlink the catalog's owner placed there.
        """
        if self.base_dir is None and not self.policy.local_roots:
            return  # a path named directly by the caller (ogi fetch PATH), not by a catalog row
        roots = [Path(r) for r in self.policy.local_roots]
        if self.base_dir is not None:
            roots.insert(0, self.base_dir)
        target = Path(os.path.normpath(path.absolute()))
        for root in roots:
            base = Path(os.path.normpath(root.absolute()))
            if target == base or base in target.parents:
                return
        raise _Failure("path_not_allowed", f"{path} is outside the catalog's folder {roots[0]}"
                       + (" and policy.local_roots" if self.policy.local_roots else ""))

    # -- http -------------------------------------------------------------------------------------

    def _fetch_http(self, url: str, rec: FetchRecord, previous: FetchRecord | None) -> None:
        """Attempts within the URL's budgets: max_attempts, url_seconds, the host's retry budget and
        its circuit breaker; each failed attempt's kind is kept in rec.failures."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise _Failure("disallowed_scheme", f"scheme {parts.scheme!r} not allowed: {url}")
        if not parts.hostname:
            raise _Failure("invalid_url", f"no host in URL: {url}")
        conditional = self._conditional_headers(url, previous)
        policy = self.policy
        url_deadline = time.monotonic() + policy.url_seconds
        failure: _Failure | None = None
        attempt = 0
        for attempt in range(1, max(1, policy.max_attempts) + 1):
            rec.attempts = attempt
            rec.redirects = []
            try:
                resp = self._follow(url, conditional, rec, url_deadline)
                self._finish_http(resp, rec, previous, conditional)
                return
            except _Failure as f:
                failure = f
                if f.host is None:  # a status failure: the host of the last hop answered
                    f.host = urlsplit(rec.final_url or url).hostname or ""
                rec.failures.append(f.kind)
            why_stop = self._why_not_retry(failure, attempt, url_deadline)
            if why_stop is not None:
                if why_stop:
                    failure.message = f"{failure.message}; {why_stop}"
                break
            self._retries[failure.host or ""] += 1
            self._sleep(self._backoff(attempt, failure.retry_after))
        assert failure is not None
        if failure.kind in ("server_error", "rate_limited") and failure.host:
            self.breaker.failure(failure.host, failure.kind)  # the host answered, but only with errors
        if failure.retryable and attempt > 1:
            failure.message = f"{failure.message} (after {attempt} attempts)"
        raise failure

    def _why_not_retry(self, f: _Failure, attempt: int, url_deadline: float) -> str | None:
        """None to retry; otherwise why not ("" when there is nothing to add to the message)."""
        p = self.policy
        if not f.retryable or attempt >= p.max_attempts:
            return ""
        host = f.host or ""
        if host and self.breaker.is_open(host):
            return f"not retried: the circuit breaker for {host} is open"
        if self._retries[host] >= p.host_retry_budget:
            return f"not retried: the retry budget for {host} ({p.host_retry_budget}) is spent"
        delay = self._backoff(attempt, f.retry_after)
        if time.monotonic() + delay + _MIN_ATTEMPT_SECONDS > url_deadline:
            return f"not retried: the URL's time budget (url_seconds {p.url_seconds:g}) is spent"
        return None

    def _conditional_headers(self, url: str, previous: FetchRecord | None) -> dict[str, str]:
        """If-None-Match / If-Modified-Since, only when the previous bytes are still in the store."""
        if not (self.policy.conditional and previous and previous.ok and isinstance(previous.sha256, str)):
            return {}
        if previous.url != url or not self.store.has(previous.sha256):
            return {}
        headers: dict[str, str] = {}
        if isinstance(previous.etag, str) and previous.etag:
            headers["If-None-Match"] = previous.etag
        if isinstance(previous.last_modified, str) and previous.last_modified:
            headers["If-Modified-Since"] = previous.last_modified
        return headers

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        p = self.policy
        delay = min(p.backoff_max, p.backoff_base * (2 ** (attempt - 1)))
        delay *= 1.0 + 0.25 * _JITTER.random()
        if retry_after is not None:
            delay = max(delay, retry_after)
        return min(delay, p.backoff_max)

    def _headers(self, extra: dict[str, str]) -> dict[str, str]:
        h = {
            # Header values must be latin-1; an odd character in a configured agent must not break fetching.
            "User-Agent": self.policy.user_agent.encode("latin-1", "replace").decode("latin-1"),
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": self.policy.accept_language,
        }
        h.update(extra)
        return h

    def _follow(self, url: str, conditional: dict[str, str], rec: FetchRecord, url_deadline: float) -> _Response:
        """Request `url`, following redirects by hand so the allowlist is checked on every hop."""
        visits: dict[str, int] = {url: 1}
        current = url
        hops = 0
        while True:
            parts = urlsplit(current)
            if parts.scheme.lower() not in ("http", "https"):
                raise _Failure("disallowed_scheme", f"redirect to scheme {parts.scheme!r}: {current}")
            host = parts.hostname
            if not self.policy.allows_host(host):
                where = f"redirect hop {hops} to " if hops else ""
                raise _Failure(
                    "host_not_allowed",
                    f"{where}host {host!r} is not in the allowlist {list(self.policy.allowed_hosts)}",
                )
            rec.final_url = current
            resp = self._request(current, conditional, rec, url_deadline)
            if resp.status in _REDIRECTS and resp.headers.get("Location"):
                location = resp.headers["Location"].strip()
                with contextlib.suppress(UnicodeError):
                    # http.client reads headers as latin-1; servers send UTF-8 (requests does the same fix).
                    location = location.encode("latin-1").decode("utf-8")
                target = urljoin(current, location).split("#", 1)[0]
                hops += 1
                # Coming back to a URL is a loop, unless the redirect set a cookie (an anti-bot
                # "cookie check" bounces once to the same URL): then one return is allowed.
                allowed = 2 if "Set-Cookie" in resp.headers else 1
                if visits.get(target, 0) >= allowed:
                    raise _Failure(
                        "redirect_loop", f"redirect loop: {current} -> {target}", status=resp.status
                    )
                if hops > self.policy.max_redirects:
                    raise _Failure(
                        "too_many_redirects",
                        f"more than {self.policy.max_redirects} redirects (last {current} -> {target})",
                        status=resp.status,
                    )
                visits[target] = visits.get(target, 0) + 1
                rec.redirects.append(target)
                current = target
                continue
            return resp

    @contextlib.contextmanager
    def _slot(self, host: str) -> Iterator[None]:
        try:
            with self.gate.slot(host):
                yield
        except HostBusy as e:
            raise _Failure("host_busy", str(e), retryable=False) from None

    def _request(self, url: str, conditional: dict[str, str], rec: FetchRecord, url_deadline: float) -> _Response:
        """One GET (no redirects) inside a host slot, under a total deadline (connect + headers +
        body): the least of max_seconds, what is left of the URL's budget and of the host's failure
        streak. Its outcome feeds the host's circuit breaker."""
        host = urlsplit(url).hostname or ""
        why = self.breaker.check(host)
        if why:
            f = _Failure("circuit_open", why)
            f.host = host
            raise f
        with self._slot(host):
            p = self.policy
            limit = min(p.max_seconds, url_deadline - time.monotonic(), self.breaker.time_left(host))
            if limit <= 0:
                f = _Failure("timeout", f"no time left for {url} (url_seconds {p.url_seconds:g}, "
                             f"breaker_seconds {p.breaker_seconds:g})")
                f.host = host
                raise f
            started = time.time()
            timeout = (min(p.connect_timeout, limit), min(p.read_timeout, limit))
            with deadline(limit) as d:
                try:
                    resp = self._exchange(url, conditional, rec, timeout, d)
                    failure = None
                except _Failure as e:
                    failure = e
                if d.fired:
                    failure = _Failure(
                        "timeout",
                        f"no complete response within {limit:g} s for {url} (total deadline: connect + headers "
                        f"+ body; max_seconds {p.max_seconds:g}, url_seconds {p.url_seconds:g})",
                        retryable=p.retry_on_timeout, status=failure.status if failure else None,
                    )
            if failure is not None:
                failure.host = host
                if failure.kind in _HOST_FAILURES:
                    self.breaker.failure(host, failure.kind, started)
                elif failure.status is not None and failure.status < 500:
                    self.breaker.success(host)
                raise failure
            if resp.status < 500:
                self.breaker.success(host)
            return resp

    def _exchange(
        self, url: str, conditional: dict[str, str], rec: FetchRecord, timeout: tuple[float, float], d: Deadline
    ) -> _Response:
        """Send the GET and stream the body under the size cap, checking the body against its
        Content-Length (shorter: the connection closed early; longer: the length is wrong)."""
        cap = self.policy.max_bytes
        try:
            r = self.session.get(
                url, headers=self._headers(conditional), timeout=timeout, allow_redirects=False, stream=True
            )
        except requests.exceptions.RequestException as e:
            raise self._classify(e, url) from None
        try:
            if r.status_code in _REDIRECTS or r.status_code == 304:
                return _Response(r.status_code, url, r.headers, b"")
            announced = r.headers.get("Content-Length")
            if announced and announced.strip().isdigit() and int(announced) > cap:
                rec.content_length = int(announced)
                raise _Failure(
                    "too_large", f"Content-Length {announced} > max_bytes {cap}", status=r.status_code
                )
            overrun = _watch_overrun(r)
            buf = bytearray()
            try:
                for chunk in _chunks(r):
                    buf += chunk
                    rec.bytes_transferred += len(chunk)
                    if d.fired:
                        break
                    if len(buf) > cap:
                        raise _Failure(
                            "too_large",
                            f"body exceeded max_bytes {cap} (abandoned after {len(buf)} bytes)",
                            status=r.status_code,
                        )
            except requests.exceptions.RequestException as e:
                failure = self._classify(e, url, mid_body=True)
                failure.status = r.status_code
                raise failure from None
            if overrun():
                raise _Failure(
                    "truncated",
                    f"more bytes than Content-Length {announced} for {url}: the length cuts the document",
                    status=r.status_code,
                )
            return _Response(r.status_code, url, r.headers, bytes(buf))
        finally:
            r.close()

    def _classify(self, e: Exception, url: str, mid_body: bool = False) -> _Failure:
        """Map a requests exception to an error kind and whether to retry."""
        retry_timeout = self.policy.retry_on_timeout
        chain = _chain(e)
        inner = e.args[0] if e.args else None
        reason = getattr(inner, "reason", None)
        if any(isinstance(x, AddressNotAllowed) for x in chain):
            found = next(x for x in chain if isinstance(x, AddressNotAllowed))
            return _Failure("address_not_allowed", f"{url}: {found.args[-1] if found.args else found}")
        if isinstance(e, requests.exceptions.SSLError) or isinstance(reason, urllib3.exceptions.SSLError):
            return _Failure("tls", f"TLS error for {url}: {e}")
        if any(isinstance(x, http.client.LineTooLong) for x in chain) or any(
            isinstance(x, http.client.HTTPException) and "got more than" in str(x) for x in chain
        ):
            return _Failure("header_too_large", f"response headers too large for {url}: {e}"[:500])
        if isinstance(e, requests.exceptions.ContentDecodingError):
            return _Failure("decode_error", f"content-encoding error for {url}: {e}"[:500])
        if isinstance(e, requests.exceptions.Timeout) or isinstance(
            inner, urllib3.exceptions.ReadTimeoutError | urllib3.exceptions.ConnectTimeoutError
        ):
            what = "read" if mid_body or isinstance(e, requests.exceptions.ReadTimeout) else "connect"
            return _Failure("timeout", f"{what} timeout for {url}", retryable=retry_timeout)
        if any(isinstance(x, http.client.IncompleteRead) for x in chain):
            return _Failure("truncated", f"connection closed before the announced Content-Length for {url}: {e}"[:500],
                            retryable=True)
        if isinstance(e, requests.exceptions.ChunkedEncodingError) or mid_body:
            return _Failure("incomplete_body", f"connection dropped mid-body for {url}: {e}", retryable=True)
        if any(isinstance(x, http.client.BadStatusLine) and not isinstance(x, ConnectionError) for x in chain):
            return _Failure("bad_response", f"not an HTTP response from {url}: {e}"[:500])
        if isinstance(e, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
            return _Failure("invalid_url", f"{e}")
        if isinstance(reason, urllib3.exceptions.NameResolutionError) or "NameResolutionError" in str(e):
            return _Failure("dns", f"cannot resolve host for {url}")
        if isinstance(e, requests.exceptions.ConnectionError):
            return _Failure("connection", f"connection failed for {url}: {e}", retryable=True)
        return _Failure("connection", f"{type(e).__name__} for {url}: {e}", retryable=True)

    def _finish_http(
        self, resp: _Response, rec: FetchRecord, previous: FetchRecord | None, conditional: dict[str, str]
    ) -> None:
        h = resp.headers
        rec.status = resp.status
        rec.final_url = resp.url
        rec.authoritative = self.policy.is_authoritative(urlsplit(resp.url).hostname)
        rec.server = h.get("Server")
        rec.content_disposition = h.get("Content-Disposition")
        cl = h.get("Content-Length")
        rec.content_length = int(cl) if cl and cl.strip().isdigit() else None
        if resp.status == 304 and conditional and previous is not None:
            # Not modified: the previous bytes stand; nothing was downloaded.
            rec.unchanged = True
            rec.sha256, rec.size = previous.sha256, previous.size
            rec.content_type = previous.content_type
            rec.encoding = previous.encoding
            rec.etag = h.get("ETag") or previous.etag
            rec.last_modified = h.get("Last-Modified") or previous.last_modified
            return
        rec.content_type = h.get("Content-Type")
        rec.etag = h.get("ETag")
        if 200 <= resp.status < 300 and rec.redirects and self.policy.detect_soft_404:
            home = _redirected_home(url_of_request=rec.url, final=resp.url)
            if home:
                # Many CMSs answer a removed page with a redirect to the home page.
                rec.content_type = h.get("Content-Type")
                self._accept(resp.body, rec, previous, check=False)
                rec.error, rec.error_kind = f"soft 404: {home}", "soft_404"
                return
        rec.last_modified = h.get("Last-Modified")
        text: str | None = None
        if resp.body and (looks_like_html(resp.body, rec.content_type) or resp.status >= 400):
            text, _enc = decode(resp.body, rec.content_type)
        if not 200 <= resp.status < 300:
            why = challenge_reason(resp.status, text or "")
            if why:
                raise _Failure("challenge", why, status=resp.status)
            raise self._status_failure(resp)
        self._accept(resp.body, rec, previous)

    def _status_failure(self, resp: _Response) -> _Failure:
        s = resp.status
        msg = f"HTTP {s} for {resp.url}"
        if s in self.policy.retry_statuses:
            kind = "rate_limited" if s == 429 else "server_error"
            return _Failure(
                kind, msg, retryable=True, status=s, retry_after=_retry_after(resp.headers.get("Retry-After"))
            )
        if s in (404, 410):
            return _Failure("not_found", msg, status=s)
        if s >= 500:
            return _Failure("server_error", msg, status=s)
        return _Failure("http_status", msg, status=s)

    # -- shared -----------------------------------------------------------------------------------

    def _accept(
        self, data: bytes, rec: FetchRecord, previous: FetchRecord | None, check: bool = True
    ) -> None:
        """Store the bytes, then flag pages that are not the document (challenge, soft 404, spam)."""
        rec.sha256, rec.created = self.store.put(data)
        rec.size = len(data)
        if previous is not None and previous.sha256 == rec.sha256:
            rec.unchanged = True
        if not looks_like_html(data, rec.content_type) or looks_like_xml_data(data):
            return
        text, rec.encoding = decode(data, rec.content_type)
        if not check:
            return
        why = challenge_reason(rec.status, text)
        if why:
            rec.error, rec.error_kind = why, "challenge"
            return
        if self.policy.detect_soft_404:
            why = soft_404_reason(data, text, self.policy.min_body_bytes)
            if why:
                rec.error, rec.error_kind = f"soft 404: {why}", "soft_404"
                return
        if self.policy.detect_spam:
            why = spam_reason(text, bool(rec.authoritative))
            if why:
                rec.error, rec.error_kind = why, "spam_mirror"


def _chunks(r: requests.Response, size: int = 65536) -> Iterator[bytes]:
    """Body chunks as they arrive (read1), so the size cap and the deadline are checked even while a
    server trickles bytes; urllib3 errors are mapped to requests' as iter_content does (the cause
    kept, so a body cut short of its Content-Length can be told from a reset)."""
    raw = r.raw
    if not hasattr(raw, "read1"):
        yield from r.iter_content(chunk_size=size)
        return
    while True:
        try:
            chunk = raw.read1(size, decode_content=True)
        except urllib3.exceptions.ReadTimeoutError as e:
            raise requests.exceptions.ReadTimeout(e) from e
        except urllib3.exceptions.SSLError as e:
            raise requests.exceptions.SSLError(e) from e
        except urllib3.exceptions.DecodeError as e:
            raise requests.exceptions.ContentDecodingError(e) from e
        except urllib3.exceptions.ProtocolError as e:
            raise requests.exceptions.ChunkedEncodingError(e) from e
        except OSError as e:
            raise requests.exceptions.ConnectionError(e) from e
        if not chunk:
            return
        yield chunk


def _address_refused(e: BaseException) -> bool:
    return any(isinstance(x, AddressNotAllowed) for x in _chain(e))


def _chain(e: BaseException) -> list[BaseException]:
    """The exception and everything it wraps (args, reason, cause, context), breadth first."""
    out: list[BaseException] = []
    todo: list[object] = [e]
    while todo and len(out) < 20:
        x = todo.pop(0)
        if not isinstance(x, BaseException) or any(x is o for o in out):
            continue
        out.append(x)
        todo.extend(a for a in x.args if isinstance(a, BaseException))
        todo.extend(y for y in (getattr(x, "reason", None), x.__cause__, x.__context__) if y is not None)
    return out


def _watch_overrun(r: requests.Response) -> Callable[[], bytes]:
    """A check, to call once the body is read, giving the first extra bytes when the body is longer
    than its Content-Length (b"" when not, or when the body is not length-delimited).

    http.client stops reading at the announced length, so the look is at what is already buffered
    or waiting on the socket, without blocking; if http.client closes its buffer first, the look
    happens just before.
    """
    try:
        resp = r.raw._fp  # http.client.HTTPResponse
        conn = r.raw._connection
        original = resp._close_conn
        # The socket under the response's buffer (a "Connection: close" response owns it alone).
        sock = getattr(getattr(resp.fp, "raw", None), "_sock", None) or getattr(conn, "sock", None)
        if resp.length is None or resp.chunked or sock is None:
            return lambda: b""
    except AttributeError:
        return lambda: b""
    found: list[bytes] = []

    def look() -> bytes:
        fp = resp.fp
        if fp is None:
            return b""
        try:
            before = sock.gettimeout()
            sock.settimeout(0.0)
            try:
                return bytes(fp.peek(1)[:64])
            finally:
                sock.settimeout(before)
        except (OSError, ValueError):
            return b""

    def close_after_looking() -> None:
        found.append(look())
        original()

    resp._close_conn = close_after_looking
    return lambda: found[0] if found else look()


_HOME_PATHS = re.compile(r"^/?(?:(?:index|default|home)\.(?:s?html?|jsp|php|aspx?))?$", re.I)


def _redirected_home(url_of_request: str, final: str) -> str | None:
    """Why a redirect chain that ended on the site's home page means "not found", or None."""
    asked, got = urlsplit(url_of_request), urlsplit(final)
    if not _HOME_PATHS.match(got.path or "/") or got.query:
        return None
    if _HOME_PATHS.match(asked.path or "/") or asked.path.rstrip("/").count("/") < 1:
        return None
    return f"redirected to the home page {final}"


def fetch(
    location: str,
    store: RawStore,
    policy: FetchPolicy | None = None,
    previous: FetchRecord | None = None,
    base_dir: Path | None = None,
) -> FetchRecord:
    """Fetch one document (http(s) URL, local path relative to base_dir, or file:// URL) into `store`.

    Never raises for a bad document: failures are in record.error / record.error_kind. For many
    fetches reuse a Fetcher (connection pooling).
    """
    with Fetcher(store, policy, base_dir=base_dir) as f:
        return f.fetch(location, previous=previous)
