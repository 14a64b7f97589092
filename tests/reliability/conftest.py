"""Fixtures for the reliability tests: per-test state folder and allowlist, and a fast policy whose
time bounds are the documented defaults scaled down (the arithmetic of the bounds is the same)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scaled_policy import scaled

from ogi.fetch.policy import FetchPolicy


@pytest.fixture(autouse=True)
def _local_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OGI_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("OGI_ALLOWED_HOSTS", "127.0.0.1")
    monkeypatch.delenv("OGI_ALLOW_PRIVATE_ADDRESSES", raising=False)


@pytest.fixture
def policy(tmp_path: Path) -> FetchPolicy:
    return scaled(tmp_path)
