"""The fetch log: one JSON line per fetch, appended by any number of processes, readable as a
DataFrame (the dataset the issue asks for) and as the `previous` records for conditional requests.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ogi.fetch.client import FetchRecord

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FetchLog", "LOG_COLUMNS", "records_to_frame", "summarize"]

LOG_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(FetchRecord)) + ("host",)


class FetchLog:
    """Append-only JSONL file of FetchRecords; appends are whole lines under an exclusive lock."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def append(self, records: FetchRecord | Iterable[FetchRecord]) -> None:
        """Add records (one or many) to the end of the log."""
        recs = [records] if isinstance(records, FetchRecord) else list(records)
        if not recs:
            return
        payload = "".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in recs).encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, payload)
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def __iter__(self) -> Iterator[FetchRecord]:
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                try:
                    yield FetchRecord.from_json(json.loads(line))
                except (ValueError, TypeError):
                    continue  # a torn line from a killed writer: skip it, keep the rest

    def records(self) -> list[FetchRecord]:
        return list(self)

    def latest(self) -> dict[str, FetchRecord]:
        """Last good record per URL: the `previous` for conditional requests on the next run."""
        out: dict[str, FetchRecord] = {}
        for rec in self:
            if rec.ok:
                out[rec.url] = rec
        return out

    def to_frame(self) -> pd.DataFrame:
        return records_to_frame(self)


def records_to_frame(records: Iterable[FetchRecord | dict[str, Any]]) -> pd.DataFrame:
    """FetchRecords as a typed DataFrame (nullable ints, UTC timestamps, a `host` column)."""
    import pandas as pd

    rows = [r.to_json() if isinstance(r, FetchRecord) else dict(r) for r in records]
    for row in rows:
        row["host"] = urlsplit(row.get("final_url") or row.get("url") or "").hostname
        row["redirects"] = list(row.get("redirects") or [])
    df = pd.DataFrame(rows, columns=list(LOG_COLUMNS))
    for col in ("status", "size", "attempts", "elapsed_ms", "bytes_transferred", "content_length"):
        df[col] = pd.array(df[col], dtype="Int64")
    for col in ("unchanged", "created", "local"):
        df[col] = df[col].fillna(False).astype(bool)
    df["authoritative"] = pd.array(df["authoritative"], dtype="boolean")
    df["fetched_at"] = pd.to_datetime(df["fetched_at"], utc=True, errors="coerce")
    return df


def summarize(records: Iterable[FetchRecord]) -> dict[str, Any]:
    """Counts a run reports: found, fetched (new bytes), unchanged, failed, bytes transferred, errors by kind."""
    recs = list(records)
    kinds: dict[str, int] = {}
    for r in recs:
        if r.error_kind:
            kinds[r.error_kind] = kinds.get(r.error_kind, 0) + 1
    return {
        "found": len(recs),
        "fetched": sum(1 for r in recs if r.ok and not r.unchanged),
        "unchanged": sum(1 for r in recs if r.ok and r.unchanged),
        "failed": sum(1 for r in recs if not r.ok),
        "bytes": sum(r.bytes_transferred for r in recs),
        "errors_by_kind": kinds,
    }
