"""The test policy: the documented fetch defaults with every time bound scaled by SCALE, so a test
checks the same arithmetic as the defaults in a hundredth of the time."""

from __future__ import annotations

from pathlib import Path

from ogi.fetch.policy import FetchPolicy

SCALE = 1 / 100  # test bounds = documented defaults x SCALE


def scaled(tmp_path: Path, **changes: object) -> FetchPolicy:
    """The default policy with every time bound scaled by SCALE, local hosts allowed."""
    d = FetchPolicy()
    base: dict[str, object] = dict(
        connect_timeout=max(0.2, d.connect_timeout * SCALE),
        read_timeout=max(0.3, d.read_timeout * SCALE),
        max_seconds=d.max_seconds * SCALE,
        url_seconds=d.url_seconds * SCALE,
        backoff_base=d.backoff_base * SCALE,
        backoff_max=d.backoff_max * SCALE,
        breaker_seconds=d.breaker_seconds * SCALE,
        breaker_cooldown=d.breaker_cooldown * SCALE,
        allowed_hosts=("127.0.0.1", "127.0.0.2"),
        allow_private_addresses=True,
        min_interval=0.0,
        max_concurrency=8,
        state_dir=tmp_path / "state",
        # These tests measure the request bounds themselves; robots.txt before each host's first request
        # has its own tests (tests/ops/test_robots.py, and the dead host below with robots.txt asked).
        respect_robots=False,
    )
    base.update(changes)
    return FetchPolicy(**base)  # type: ignore[arg-type]
