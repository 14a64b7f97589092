"""Fixtures for the fetch tests: the imitation government site (govsite.py) on 127.0.0.1, a fast
local-only policy, and per-test lock/allowlist settings so nothing leaves 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from govsite import MAX_BYTES, GovSite, Handler

from ogi.fetch.policy import FetchPolicy


@pytest.fixture
def gov() -> Iterator[GovSite]:
    """The imitation government site on 127.0.0.1 (ephemeral port), fresh state per test."""
    site = GovSite()
    handler = type("BoundHandler", (Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def policy(tmp_path: Path) -> FetchPolicy:
    """Fast, local-only policy: tiny backoff, short timeouts, 64 KB cap, only 127.0.0.1 allowed."""
    return FetchPolicy(
        connect_timeout=1.0,
        read_timeout=0.4,
        max_attempts=3,
        backoff_base=0.01,
        backoff_max=0.05,
        max_bytes=MAX_BYTES,
        allowed_hosts=("127.0.0.1",),
        allow_private_addresses=True,  # the imitation site is on 127.0.0.1
        min_interval=0.0,
        max_concurrency=8,
        state_dir=tmp_path / "state",
    )


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the per-host lock files and allowlist local to each test."""
    monkeypatch.setenv("OGI_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("OGI_ALLOWED_HOSTS", "127.0.0.1")
    monkeypatch.setenv("OGI_ALLOW_PRIVATE_ADDRESSES", "1")  # 127.0.0.1 is loopback, refused by default
