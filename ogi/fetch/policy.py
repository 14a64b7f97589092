"""What a fetch may do: timeouts, retries, size cap, redirects, and which hosts it may reach.

Kept in one frozen value so a run's politeness and safety settings are explicit and can be logged.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = [
    "DEFAULT_ALLOWED_HOSTS",
    "DEFAULT_AUTHORITATIVE_HOSTS",
    "DEFAULT_USER_AGENT",
    "FetchPolicy",
    "allowed_hosts_from_env",
    "authoritative_hosts_from_env",
    "default_state_dir",
    "host_matches",
    "normalize_host",
    "parse_host_patterns",
    "private_addresses_from_env",
]

DEFAULT_ALLOWED_HOSTS: tuple[str, ...] = ("*.gov.cn",)
# Authority (spec/report-tables.md): only government hosts publish authoritative reports.
DEFAULT_AUTHORITATIVE_HOSTS: tuple[str, ...] = ("*.gov.cn",)
DEFAULT_USER_AGENT = (
    "ogi-pipeline/0.1 (+collects government information disclosure annual reports, "
    "zhengfu xinxi gongkai niandu baogao, for research; polite: per-host rate limit)"
)
ENV_ALLOWED_HOSTS = "OGI_ALLOWED_HOSTS"
ENV_STATE_DIR = "OGI_STATE_DIR"
ENV_AUTHORITATIVE_HOSTS = "OGI_AUTHORITATIVE_HOSTS"
ENV_ALLOW_PRIVATE = "OGI_ALLOW_PRIVATE_ADDRESSES"


def normalize_host(host: str) -> str:
    """Lower-case host without port, brackets or trailing dot (the form patterns match)."""
    host = host.strip().lower()
    if host.startswith("["):  # [::1]:8080
        host = host[1 : host.find("]")] if "]" in host else host[1:]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def parse_host_patterns(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Comma-separated (or iterable) host patterns, normalised; empty entries dropped."""
    if value is None:
        return ()
    parts = value.split(",") if isinstance(value, str) else [p for v in value for p in v.split(",")]
    out: list[str] = []
    for p in parts:
        p = p.strip().lower()
        if not p:
            continue
        out.append(p if p == "*" or "*" in p.split(":")[0] else normalize_host(p))
    return tuple(dict.fromkeys(out))


def allowed_hosts_from_env() -> tuple[str, ...]:
    """OGI_ALLOWED_HOSTS if set (replaces the default), else *.gov.cn."""
    env = os.environ.get(ENV_ALLOWED_HOSTS)
    patterns = parse_host_patterns(env)
    return patterns or DEFAULT_ALLOWED_HOSTS


def authoritative_hosts_from_env() -> tuple[str, ...]:
    """*.gov.cn plus any official domains listed in OGI_AUTHORITATIVE_HOSTS (added, not replacing)."""
    extra = parse_host_patterns(os.environ.get(ENV_AUTHORITATIVE_HOSTS))
    return tuple(dict.fromkeys(DEFAULT_AUTHORITATIVE_HOSTS + extra))


def host_matches(host: str | None, patterns: Iterable[str]) -> bool:
    """True when `host` matches a pattern. "*.gov.cn" matches gov.cn and any subdomain (not evilgov.cn);
    a pattern without "*" matches exactly; "*" alone matches everything."""
    if not host:
        return False
    host = normalize_host(host)
    for pat in patterns:
        pat = pat.strip().lower()
        if not pat:
            continue
        if pat == "*":
            return True
        if pat.startswith("*.") and "*" not in pat[2:]:
            suffix = pat[2:]
            if host == suffix or host.endswith("." + suffix):
                return True
        elif "*" in pat or "?" in pat:
            if fnmatch.fnmatchcase(host, pat):
                return True
        elif host == normalize_host(pat):
            return True
    return False


def default_state_dir() -> Path:
    """Where cross-process per-host locks live: OGI_STATE_DIR, else ~/.cache/ogi/hosts."""
    env = os.environ.get(ENV_STATE_DIR)
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ogi" / "hosts"


def private_addresses_from_env() -> bool:
    """OGI_ALLOW_PRIVATE_ADDRESSES=1 lets hosts resolve to loopback/private addresses (tests, intranets)."""
    return os.environ.get(ENV_ALLOW_PRIVATE, "").strip().lower() in ("1", "true", "yes")


@dataclass(frozen=True)
class FetchPolicy:
    """Politeness and safety settings for fetching; defaults suit real government sites.

    Time bounds (README, "Fetching: bounds"): one request attempt, connect + headers + body, ends
    by `max_seconds` whatever the server does (a deadline shuts its socket); one URL, all attempts
    and backoff included, by `url_seconds` (so a slow or silent URL costs at most 120 s); a host
    whose requests keep failing opens its circuit breaker after `breaker_failures` consecutive
    failures or `breaker_seconds` of them, and its other URLs are skipped as `circuit_open` (a dead
    host with 300 URLs costs about `breaker_seconds`, 150 s, plus one probe per `breaker_cooldown`).
    """

    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # longest silence between bytes
    max_seconds: float = 120.0  # total deadline per request attempt: connect + headers + body
    url_seconds: float = 120.0  # total per URL: every attempt and every backoff
    max_attempts: int = 4  # first try + retries, for 429/5xx/timeouts/connection resets
    backoff_base: float = 1.0  # seconds; doubled per retry, with jitter
    backoff_max: float = 60.0  # cap, also applied to Retry-After
    host_retry_budget: int = 20  # retries (not first attempts) per host per Fetcher
    breaker_failures: int = 4  # consecutive failures of a host that open its circuit breaker
    breaker_seconds: float = 150.0  # ... or a failure streak this long
    breaker_cooldown: float = 300.0  # open this long, then one probe request
    retry_statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504, 507, 508, 509, 520, 522, 523, 524})
    retry_on_timeout: bool = True
    max_redirects: int = 10
    max_bytes: int = 50 * 1024 * 1024  # response size cap; the body is streamed and abandoned past it
    user_agent: str = DEFAULT_USER_AGENT
    allowed_hosts: tuple[str, ...] = field(default_factory=allowed_hosts_from_env)
    authoritative_hosts: tuple[str, ...] = field(default_factory=authoritative_hosts_from_env)
    # Hosts resolving to loopback, private, link-local or other non-public addresses are refused
    # (DNS rebinding, cloud metadata) unless this is set; tests on 127.0.0.1 set it.
    allow_private_addresses: bool = field(default_factory=private_addresses_from_env)
    allow_local: bool = True  # local paths / file:// from catalog rows (the bundled corpus)
    # Folders besides the catalog's own that catalog rows may name local files in.
    local_roots: tuple[str, ...] = ()
    # Per-host politeness, held across processes through lock files in state_dir.
    min_interval: float = 1.0  # seconds between request starts to one host
    max_concurrency: int = 2  # simultaneous requests to one host
    slot_wait_timeout: float = 600.0  # give up waiting for a host slot after this long
    state_dir: Path | None = None  # None: default_state_dir()
    conditional: bool = True  # send If-None-Match / If-Modified-Since from the previous record
    detect_soft_404: bool = True
    detect_spam: bool = True
    min_body_bytes: int = 200  # an HTML body smaller than this is a soft 404 (empty placeholder page)
    accept_language: str = "zh-CN,zh;q=0.9,en;q=0.5"

    @property
    def timeout(self) -> tuple[float, float]:
        """(connect, read) as requests expects."""
        return (self.connect_timeout, self.read_timeout)

    def with_hosts(self, patterns: str | Iterable[str] | None) -> FetchPolicy:
        """Copy with a different allowlist (None or empty keeps the current one)."""
        parsed = parse_host_patterns(patterns)
        return replace(self, allowed_hosts=parsed) if parsed else self

    def resolved_state_dir(self) -> Path:
        return Path(self.state_dir) if self.state_dir is not None else default_state_dir()

    def allows_host(self, host: str | None) -> bool:
        return host_matches(host, self.allowed_hosts)

    def is_authoritative(self, host: str | None) -> bool:
        return host_matches(host, self.authoritative_hosts)
