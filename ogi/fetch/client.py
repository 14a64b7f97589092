"""Fetch one document (http(s) URL or local path) into the raw store and describe what happened.

A bad document never raises: every failure becomes a FetchRecord with `error` and `error_kind`, so a
run over thousands of government pages records what it could not get and why.
"""

from __future__ import annotations

import contextlib
import email.utils
import mimetypes
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import requests
import urllib3

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
from ogi.text.encoding import decode

__all__ = ["ERROR_KINDS", "FetchRecord", "Fetcher", "fetch", "utc_now"]

# error_kind values, with whether the fetch is retried on them.
ERROR_KINDS: dict[str, str] = {
    "invalid_url": "not a usable URL or path",
    "disallowed_scheme": "scheme other than http/https (or local paths when allowed)",
    "host_not_allowed": "host (first request or a redirect hop) is off the allowlist",
    "redirect_loop": "a redirect led back to a URL already visited",
    "too_many_redirects": "more redirect hops than policy.max_redirects",
    "timeout": "connect or read timeout (retried)",
    "connection": "connection refused/reset before a response (retried)",
    "incomplete_body": "connection dropped mid-body (retried)",
    "dns": "host name does not resolve",
    "tls": "TLS/certificate failure (not retried: a broken chain does not heal)",
    "challenge": "firewall JavaScript challenge (HTTP 412 etc.; not retried)",
    "rate_limited": "HTTP 429 after all retries",
    "server_error": "HTTP 5xx after all retries",
    "not_found": "HTTP 404/410 or a missing local file",
    "http_status": "another non-success HTTP status",
    "too_large": "body larger than policy.max_bytes (download abandoned)",
    "soft_404": "status 200 but the page says it does not exist, or is nearly empty",
    "spam_mirror": "spam or essay-site copy, not a government document",
    "host_busy": "no per-host request slot came free in time",
    "decode_error": "content-encoding could not be decoded",
    "io_error": "local file could not be read",
    "robots_disallowed": "robots.txt disallows the URL (a catalog row may set robots=ignore, recorded)",
    "robots_unavailable": "robots.txt answered 5xx/429 or not at all: nothing fetched from the site (retried)",
    "unexpected": "an error not classified above (a bug to report, with the message)",
}

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


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
    robots: str | None = None  # what robots.txt said (ogi.fetch.robots.RobotsVerdict), None for local files

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
        if kwargs.get("redirects") is None:
            kwargs["redirects"] = []
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
    if name == "redirects" and isinstance(value, list | tuple):
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


def _is_local(location: str) -> bool:
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
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.policy = policy or FetchPolicy()
        self.base_dir = base_dir
        self._own_session = session is None
        self.session = session or requests.Session()
        self.session.trust_env = False  # no proxies or .netrc from the environment: tests stay local
        self._sleep = sleep
        self.gate = gate or HostGate(
            self.policy.resolved_state_dir(),
            min_interval=self.policy.min_interval,
            max_concurrency=self.policy.max_concurrency,
            wait_timeout=self.policy.slot_wait_timeout,
            sleep=sleep,
        )
        # robots.txt per host, cached in the state folder (ogi/fetch/robots.py); a catalog listing row with
        # robots=ignore sets ignore_robots while it is crawled.
        self.robots = RobotsCache(requests_getter(self.session, timeout=self.policy.timeout, user_agent=self._headers(
            {})["User-Agent"], slot=self.gate.slot), self.policy.resolved_state_dir(), ttl=self.policy.robots_ttl)
        self.ignore_robots = False

    def close(self) -> None:
        if self._own_session:
            self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public -----------------------------------------------------------------------------------

    def fetch(self, location: str, previous: FetchRecord | None = None, *, ignore_robots: bool = False) -> FetchRecord:
        """Fetch `location` into the store; never raises for a bad document (see FetchRecord.error).
        `ignore_robots`: a catalog override for a site whose robots.txt blocks its own reports (recorded)."""
        started = time.monotonic()
        rec = FetchRecord(url=location)
        try:
            if _is_local(location):
                self._fetch_local(location, rec, previous)
            else:
                if self.policy.respect_robots and self.policy.allows_host(urlsplit(location).hostname):
                    rec.robots = str(self.robots.admit(location, ignore=ignore_robots or self.ignore_robots))
                self._fetch_http(location, rec, previous)
        except RobotsRefusal as refusal:
            rec.error, rec.error_kind, rec.robots = refusal.message, refusal.kind, refusal.kind.removeprefix("robots_")
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
        try:
            data = path.read_bytes()
        except OSError as e:
            raise _Failure("io_error", f"cannot read {path}: {e}") from None
        rec.content_type = mimetypes.guess_type(path.name)[0]
        rec.last_modified = email.utils.formatdate(st.st_mtime, usegmt=True)
        rec.authoritative = None
        rec.bytes_transferred = len(data)
        self._accept(data, rec, previous)

    # -- http -------------------------------------------------------------------------------------

    def _fetch_http(self, url: str, rec: FetchRecord, previous: FetchRecord | None) -> None:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise _Failure("disallowed_scheme", f"scheme {parts.scheme!r} not allowed: {url}")
        if not parts.hostname:
            raise _Failure("invalid_url", f"no host in URL: {url}")
        conditional = self._conditional_headers(url, previous)
        policy = self.policy
        for attempt in range(1, max(1, policy.max_attempts) + 1):
            rec.attempts = attempt
            rec.redirects = []
            try:
                resp = self._follow(url, conditional, rec)
                self._finish_http(resp, rec, previous, conditional)
                return
            except _Failure as f:
                if f.retryable and attempt < policy.max_attempts:
                    self._sleep(self._backoff(attempt, f.retry_after))
                    continue
                if f.retryable and attempt > 1:
                    f.message = f"{f.message} (after {attempt} attempts)"
                raise

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
        delay *= 1.0 + 0.25 * random.random()
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

    def _follow(self, url: str, conditional: dict[str, str], rec: FetchRecord) -> _Response:
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
            resp = self._request(current, conditional, rec)
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

    def _request(self, url: str, conditional: dict[str, str], rec: FetchRecord) -> _Response:
        """One GET (no redirects) with the body streamed under the size cap, inside a host slot."""
        host = urlsplit(url).hostname or ""
        cap = self.policy.max_bytes
        with self._slot(host):
            try:
                r = self.session.get(
                    url,
                    headers=self._headers(conditional),
                    timeout=self.policy.timeout,
                    allow_redirects=False,
                    stream=True,
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
                buf = bytearray()
                deadline = time.monotonic() + self.policy.max_seconds
                try:
                    for chunk in _chunks(r):
                        buf += chunk
                        rec.bytes_transferred += len(chunk)
                        if time.monotonic() > deadline:
                            raise _Failure(
                                "timeout",
                                f"body not complete within max_seconds {self.policy.max_seconds:g} for {url}",
                                retryable=self.policy.retry_on_timeout,
                                status=r.status_code,
                            )
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
                return _Response(r.status_code, url, r.headers, bytes(buf))
            finally:
                r.close()

    def _classify(self, e: Exception, url: str, mid_body: bool = False) -> _Failure:
        """Map a requests exception to an error kind and whether to retry."""
        retry_timeout = self.policy.retry_on_timeout
        inner = e.args[0] if e.args else None
        reason = getattr(inner, "reason", None)
        if isinstance(e, requests.exceptions.SSLError) or isinstance(reason, urllib3.exceptions.SSLError):
            return _Failure("tls", f"TLS error for {url}: {e}")
        if isinstance(e, requests.exceptions.Timeout) or isinstance(
            inner, urllib3.exceptions.ReadTimeoutError | urllib3.exceptions.ConnectTimeoutError
        ):
            what = "read" if mid_body or isinstance(e, requests.exceptions.ReadTimeout) else "connect"
            return _Failure("timeout", f"{what} timeout for {url}", retryable=retry_timeout)
        if isinstance(e, requests.exceptions.ChunkedEncodingError) or mid_body:
            return _Failure("incomplete_body", f"connection dropped mid-body for {url}: {e}", retryable=True)
        if isinstance(e, requests.exceptions.ContentDecodingError):
            return _Failure("decode_error", f"content-encoding error for {url}: {e}")
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
    server trickles bytes; urllib3 errors are mapped to requests' as iter_content does."""
    raw = r.raw
    if not hasattr(raw, "read1"):
        yield from r.iter_content(chunk_size=size)
        return
    while True:
        try:
            chunk = raw.read1(size, decode_content=True)
        except urllib3.exceptions.ReadTimeoutError as e:
            raise requests.exceptions.ReadTimeout(e) from None
        except urllib3.exceptions.SSLError as e:
            raise requests.exceptions.SSLError(e) from None
        except urllib3.exceptions.ProtocolError as e:
            raise requests.exceptions.ChunkedEncodingError(e) from None
        except urllib3.exceptions.DecodeError as e:
            raise requests.exceptions.ContentDecodingError(e) from None
        except OSError as e:
            raise requests.exceptions.ConnectionError(e) from None
        if not chunk:
            return
        yield chunk


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
