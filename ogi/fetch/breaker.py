"""A circuit breaker per host, shared by every Fetcher and process through a file in the state folder.

A dead host (refusing, silent, or answering one byte a second) would otherwise cost every one of
its URLs the full per-URL budget: 300 links of a dead site, hours. The breaker counts the host's
consecutive failures (a request that got no complete response; an URL that ended in 5xx/429) and
opens when there are `failures` of them, or when the streak has lasted `seconds`; while it is open
the host's URLs are not requested and are recorded as `circuit_open`. After `cooldown` one request
is let through as a probe: a response closes the breaker, a failure opens it for another cooldown.

While a streak is running, a request to the host gets no more than what is left of the streak's
`seconds` (`time_left`), so the cost of a dead host is bounded by `seconds` plus the probes, not by
the number of its URLs.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ogi.fetch.ratelimit import host_file_stem

__all__ = ["HostBreaker"]


class HostBreaker:
    """Consecutive-failure breaker per host, state in `state_dir/<host>.health` (JSON under flock)."""

    def __init__(
        self,
        state_dir: Path | str,
        failures: int = 4,
        seconds: float = 150.0,
        cooldown: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.state_dir = Path(state_dir)
        self.failures = max(1, int(failures))
        self.seconds = float(seconds)
        self.cooldown = float(cooldown)
        self._clock = clock

    @contextlib.contextmanager
    def _state(self, host: str) -> Iterator[dict[str, Any]]:
        """The host's state, read and written back under an exclusive lock."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.state_dir / f"{host_file_stem(host)}.health", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            raw = os.pread(fd, 4096, 0)
            try:
                state = json.loads(raw) if raw.strip() else {}
            except ValueError:
                state = {}  # a torn write from a killed process: start afresh
            if not isinstance(state, dict):
                state = {}
            before = dict(state)
            last = state.get("last_at")
            stale = max(self.seconds, self.cooldown)
            if state.get("opened_at") is None and last is not None and self._clock() - float(last) > stale:
                state.clear()  # failures long ago (an earlier run) are no streak now
            yield state
            if state != before:
                data = json.dumps(state).encode()
                os.ftruncate(fd, 0)
                os.pwrite(fd, data, 0)
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def check(self, host: str) -> str | None:
        """None when a request to `host` may go ahead (possibly as the probe), else why not."""
        now = self._clock()
        with self._state(host) as s:
            opened = s.get("opened_at")
            if opened is None:
                return None
            if now - float(opened) >= self.cooldown:
                s["opened_at"] = now  # this request is the probe; the others wait another cooldown
                s["probe"] = True
                return None
            return (f"circuit open for {host}: {s.get('count', 0)} consecutive failures "
                    f"(last: {s.get('last', '?')}); retried after {self.cooldown:g} s")

    def is_open(self, host: str) -> bool:
        """Open right now (without taking the probe)."""
        with self._state(host) as s:
            opened = s.get("opened_at")
            return opened is not None and self._clock() - float(opened) < self.cooldown

    def time_left(self, host: str) -> float:
        """Seconds a request to the host may take: what is left of the running streak's budget."""
        with self._state(host) as s:
            since = s.get("since")
            if since is None or s.get("probe"):
                return float("inf")
            return max(0.0, float(since) + self.seconds - self._clock())

    def failure(self, host: str, kind: str, started: float | None = None) -> None:
        """A failed request to `host` that began at `started` (clock time; default now)."""
        now = self._clock()
        with self._state(host) as s:
            s["count"] = int(s.get("count", 0)) + 1
            s["last"] = kind
            s["last_at"] = now
            if s.get("since") is None:
                s["since"] = now if started is None else min(started, now)
            if s.get("probe") or s["count"] >= self.failures or now - float(s["since"]) >= self.seconds:
                s["opened_at"] = now
                s["probe"] = False

    def success(self, host: str) -> None:
        with self._state(host) as s:
            s.clear()
