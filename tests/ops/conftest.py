"""The operations tests talk to servers on 127.0.0.1, which the fetch policy refuses by default."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _loopback_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OGI_ALLOW_PRIVATE_ADDRESSES", "1")  # the tests' own sites are on loopback
