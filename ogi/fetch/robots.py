"""robots.txt, honoured by default (RFC 9309): fetched once per host, cached, and asked before every request.

- Fetched once per scheme + host + port and kept in memory and on disk (`<state_dir>/robots/`, shared by
  every Fetcher and process on the state folder) for `policy.robots_ttl` seconds.
- 2xx: its rules apply (the group of our product token `ogi-pipeline`, else `*`; longest match wins,
  allow wins a tie; `*` and `$` in paths). 4xx: there are no rules. 5xx, 429 or no answer: the site
  is unreachable, so nothing is fetched (RFC 9309 §2.3.1.4) — a transient state, kept only
  `robots_retry` seconds, and the fetch fails as `robots_unavailable` (retried like an outage).
- A catalog row may say `robots=ignore` for a site whose robots.txt blocks its own disclosure column
  (政府信息公开 is public by law); the fetch record then says `robots: ignored (catalog)`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ogi.fetch.ratelimit import HostBusy

PRODUCT_TOKEN = "ogi-pipeline"
MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: at least 500 KiB must be parsed; more is ignored


class RobotsVerdict(StrEnum):
    """What robots.txt said about a URL (recorded in the fetch record's `robots`)."""

    ALLOWED = "allowed"
    DISALLOWED = "disallowed"
    NO_RULES = "no robots.txt"
    UNAVAILABLE = "unavailable"
    IGNORED = "ignored (catalog)"


class RobotsRefusal(Exception):
    """robots.txt forbids the request (kind robots_disallowed) or could not be read (robots_unavailable)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass
class Rule:
    allow: bool
    pattern: str

    def regex(self) -> re.Pattern[str]:
        body = re.escape(self.pattern).replace(r"\*", ".*")
        if body.endswith(r"\$"):
            body = body[:-2] + "$"
        return re.compile(body)


@dataclass
class RobotsRules:
    """One host's robots.txt as fetched: HTTP status (None: no answer) and its groups of rules."""

    status: int | None
    groups: dict[str, list[Rule]] = field(default_factory=dict)  # user-agent token (lower case) → rules
    fetched_at: float = field(default_factory=time.time)
    text: str = ""

    @classmethod
    def parse(cls, status: int | None, text: str) -> RobotsRules:
        rules = cls(status=status, text=text)
        if status is None or not 200 <= status < 300:
            return rules
        agents: list[str] = []
        in_rules = False
        for raw in text[:MAX_ROBOTS_BYTES].splitlines():
            line = raw.split("#", 1)[0].strip()
            if ":" not in line:
                continue
            key, value = (part.strip() for part in line.split(":", 1))
            key = key.lower()
            if key == "user-agent":
                if in_rules:  # a user-agent line after rules starts a new group
                    agents, in_rules = [], False
                agents.append(value.lower())
                for agent in agents:
                    rules.groups.setdefault(agent, [])
            elif key in ("allow", "disallow") and agents:
                in_rules = True
                if value or key == "allow":
                    for agent in agents:
                        rules.groups[agent].append(Rule(key == "allow", value))
        return rules

    def verdict(self, path: str) -> RobotsVerdict:
        if self.status is None or self.status >= 500 or self.status == 429:
            return RobotsVerdict.UNAVAILABLE
        if not 200 <= self.status < 300:
            return RobotsVerdict.NO_RULES
        group = self.groups.get(PRODUCT_TOKEN)
        if group is None:
            group = next((rules for agent, rules in self.groups.items() if agent != "*" and agent in PRODUCT_TOKEN
                          and agent), None)
        if group is None:
            group = self.groups.get("*")
        if not group:
            return RobotsVerdict.ALLOWED
        best: Rule | None = None
        for rule in group:
            if rule.pattern and rule.regex().match(path) and (
                    best is None or len(rule.pattern) > len(best.pattern)
                    or (len(rule.pattern) == len(best.pattern) and rule.allow)):
                best = rule
        return RobotsVerdict.ALLOWED if best is None or best.allow else RobotsVerdict.DISALLOWED

    def to_json(self) -> dict:
        return {"status": self.status, "text": self.text[:MAX_ROBOTS_BYTES], "fetched_at": self.fetched_at}


# A GET of a robots.txt URL: (HTTP status or None when nothing answered, body text).
RobotsGetter = Callable[[str], tuple[int | None, str]]


class RobotsCache:
    """robots.txt per host, in memory and in `<state_dir>/robots/`, asked before each request."""

    def __init__(self, get: RobotsGetter, state_dir: Path | None, *, ttl: float = 86400.0, retry: float = 600.0) -> None:
        self.get = get
        self.dir = Path(state_dir) / "robots" if state_dir is not None else None
        self.ttl = ttl
        self.retry = retry
        self.memory: dict[str, RobotsRules] = {}

    def _file(self, origin: str) -> Path | None:
        if self.dir is None:
            return None
        return self.dir / (re.sub(r"[^A-Za-z0-9.-]+", "_", origin) + ".json")

    def _fresh(self, rules: RobotsRules) -> bool:
        unavailable = rules.status is None or rules.status >= 500 or rules.status == 429
        return time.time() - rules.fetched_at < (self.retry if unavailable else self.ttl)

    def rules(self, url: str) -> RobotsRules:
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        cached = self.memory.get(origin)
        if cached is not None and self._fresh(cached):
            return cached
        path = self._file(origin)
        if path is not None and path.is_file():
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
                data = json.loads(path.read_text(encoding="utf-8"))
                stored = RobotsRules.parse(data["status"], data["text"])
                stored.fetched_at = float(data["fetched_at"])
                if self._fresh(stored):
                    self.memory[origin] = stored
                    return stored
        status, text = self.get(origin + "/robots.txt")
        rules = RobotsRules.parse(status, text)
        self.memory[origin] = rules
        if path is not None:
            self._store(path, rules)
        return rules

    def _store(self, path: Path, rules: RobotsRules) -> None:
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".robots.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(rules.to_json(), fh, ensure_ascii=False)
            os.replace(tmp, path)

    def admit(self, url: str, *, ignore: bool = False) -> RobotsVerdict:
        """The verdict for `url`; raises RobotsRefusal when it may not be fetched."""
        if ignore:
            return RobotsVerdict.IGNORED
        parts = urlsplit(url)
        target = (unquote(parts.path) or "/") + (f"?{parts.query}" if parts.query else "")
        rules = self.rules(url)
        verdict = rules.verdict(target)
        if verdict == RobotsVerdict.DISALLOWED:
            raise RobotsRefusal("robots_disallowed", f"robots.txt of {parts.netloc} disallows {target} for "
                                f"{PRODUCT_TOKEN} (a catalog row may set robots=ignore, recorded)")
        if verdict == RobotsVerdict.UNAVAILABLE:
            what = f"HTTP {rules.status}" if rules.status is not None else "no answer"
            raise RobotsRefusal("robots_unavailable", f"robots.txt of {parts.netloc} unavailable ({what}): "
                                "nothing is fetched from the site until it answers")
        return verdict


def requests_getter(session, *, timeout: tuple[float, float], user_agent: str,
                    slot: Callable[[str], contextlib.AbstractContextManager] | None = None,
                    limit: Callable[[], contextlib.AbstractContextManager] | None = None,
                    refused: Callable[[BaseException], bool] | None = None) -> RobotsGetter:
    """A RobotsGetter over a requests session (redirects followed, at most 5; body capped), in a host slot,
    under `limit` (the fetcher's total deadline per request: a slow robots.txt must not hang a run).
    An error `refused` says is final (an address the policy refuses) propagates instead of reading as an
    unavailable robots.txt: the document's record then says why nothing was fetched."""
    import requests

    def get(url: str) -> tuple[int | None, str]:
        host = urlsplit(url).hostname or ""
        guard = slot(host) if slot is not None else contextlib.nullcontext()
        bound = limit() if limit is not None else contextlib.nullcontext()
        try:
            with bound, guard, session.get(url, headers={"User-Agent": user_agent}, timeout=timeout, stream=True,
                                    allow_redirects=True) as r:
                body = r.raw.read(MAX_ROBOTS_BYTES, decode_content=True) if r.status_code < 300 else b""
                return r.status_code, body.decode("utf-8", "replace")
        except (requests.exceptions.RequestException, OSError, HostBusy) as e:
            if refused is not None and refused(e):
                raise
            return None, ""

    return get
