"""Per-host politeness that holds across threads and processes: a minimum interval between request
starts and a cap on simultaneous requests, both kept in lock files under a shared state directory.

fcntl.flock locks belong to open file descriptions, so they separate threads of one process as well
as separate processes, and the kernel drops them when a process dies (no stale locks).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = ["HostBusy", "HostGate", "host_file_stem"]


class HostBusy(TimeoutError):
    """No concurrency slot for the host came free within the wait limit."""


def host_file_stem(host: str) -> str:
    """A host name as a safe file name (state files per host: slots, next start, breaker health)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", host.lower())[:200] or "_"


class HostGate:
    """Grants per-host request slots: at most `max_concurrency` at once, starts `min_interval` apart."""

    def __init__(
        self,
        state_dir: Path | str,
        min_interval: float = 1.0,
        max_concurrency: int = 2,
        wait_timeout: float = 600.0,
        poll: float = 0.02,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.state_dir = Path(state_dir)
        self.min_interval = max(0.0, float(min_interval))
        self.max_concurrency = max(1, int(max_concurrency))
        self.wait_timeout = wait_timeout
        self.poll = poll
        self._sleep = sleep
        self._clock = clock

    def _open(self, name: str) -> int:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        return os.open(self.state_dir / name, os.O_RDWR | os.O_CREAT, 0o644)

    def _take_slot(self, host: str) -> int:
        """Lock one of the host's slot files without blocking; poll until one frees or time runs out."""
        deadline = self._clock() + self.wait_timeout
        while True:
            for i in range(self.max_concurrency):
                fd = self._open(f"{host_file_stem(host)}.slot{i}")
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return fd
                except BlockingIOError:
                    os.close(fd)
            if self._clock() >= deadline:
                raise HostBusy(f"no free request slot for {host} after {self.wait_timeout:.0f}s")
            self._sleep(self.poll)

    def _reserve_start(self, host: str) -> float:
        """Reserve the next start time for the host (read-modify-write under an exclusive lock)."""
        if self.min_interval <= 0:
            return 0.0
        fd = self._open(f"{host_file_stem(host)}.next")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            raw = os.pread(fd, 64, 0).decode("ascii", "ignore").strip()
            try:
                next_allowed = float(raw) if raw else 0.0
            except ValueError:
                next_allowed = 0.0
            now = self._clock()
            # A reservation far in the future means a clock jump or a corrupt file: do not trust it.
            if next_allowed > now + 3600:
                next_allowed = now
            start = max(now, next_allowed)
            data = f"{start + self.min_interval:.6f}".encode()
            os.ftruncate(fd, 0)
            os.pwrite(fd, data, 0)
            return max(0.0, start - now)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    @contextlib.contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Hold a request slot for `host` for the duration of the block (request and body read)."""
        fd = self._take_slot(host)
        try:
            wait = self._reserve_start(host)
            if wait > 0:
                self._sleep(wait)
            yield
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
