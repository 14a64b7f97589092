"""RawStore: content addressing, idempotent puts, atomic writes."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from ogi.fetch.store import RawStore


def test_put_get_layout(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    data = "年报".encode()
    sha, created = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest() and created
    assert store.path(sha) == tmp_path / "sha256" / sha[:2] / sha
    assert store.get(sha) == data and store.has(sha) and sha in store


def test_identical_bytes_store_nothing_new(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    sha, _ = store.put(b"x" * 100)
    mtime = store.path(sha).stat().st_mtime_ns
    assert store.put(b"x" * 100) == (sha, False)
    assert store.path(sha).stat().st_mtime_ns == mtime
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [sha]  # no temp files left behind


def test_missing_and_bad_keys(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    assert not store.has("0" * 64) and not store.has("nope")
    with pytest.raises(FileNotFoundError):
        store.get("0" * 64)
    with pytest.raises(ValueError):
        store.path("../../etc/passwd")


def test_concurrent_puts(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    blobs = [bytes([i]) * 5000 for i in range(8)] * 4
    out: list[tuple[str, bool]] = []
    threads = [threading.Thread(target=lambda b=b: out.append(store.put(b))) for b in blobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({sha for sha, _ in out}) == 8
    for sha, _ in out:
        assert hashlib.sha256(store.get(sha)).hexdigest() == sha
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 8


def test_derived_bytes_are_keyed_by_raw_bytes_tool_and_version(tmp_path: Path) -> None:
    from ogi.fetch.store import DerivedStore

    raw = hashlib.sha256(b"a .doc").hexdigest()
    store = DerivedStore(tmp_path)
    assert store.get(raw, "libreoffice-docx", "7.4.7.2") is None
    path = store.put(raw, "libreoffice-docx", "7.4.7.2", b"docx bytes")
    assert path == tmp_path / "derived" / "libreoffice-docx" / "7.4.7.2" / raw[:2] / raw
    assert store.get(raw, "libreoffice-docx", "7.4.7.2") == b"docx bytes"
    assert store.get(raw, "libreoffice-docx", "7.5.0.1") is None  # another version converts again
    store.put(raw, "libreoffice-docx", "7.4.7.2", b"other")  # first write wins: the entry never changes
    assert store.get(raw, "libreoffice-docx", "7.4.7.2") == b"docx bytes"
    for bad in (("x", "t", "1"), (raw, "../up", "1"), (raw, "t", "a/b")):
        with pytest.raises(ValueError):
            store.path(*bad)
