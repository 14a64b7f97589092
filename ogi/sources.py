"""Fetch the catalog documents of some partitions into the raw store, as fetch-log rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ogi.catalog import CatalogEntry
from ogi.fetch.client import Fetcher, FetchRecord
from ogi.fetch.policy import FetchPolicy
from ogi.fetch.store import RawStore

FETCH_FIELDS = ("url", "final_url", "status", "content_type", "etag", "last_modified", "sha256", "size", "fetched_at",
                "attempts", "unchanged", "error", "error_kind", "bytes_transferred", "encoding", "created", "local")


def fetch_entries(entries: list[CatalogEntry], store: RawStore, policy: FetchPolicy, base_dir: Path,
                  previous: dict[str, FetchRecord] | None = None) -> list[dict[str, Any]]:
    """One fetch-log row per catalog entry; a failure is a row with its reason, never an exception."""
    rows: list[dict[str, Any]] = []
    previous = previous or {}
    with Fetcher(store, policy, base_dir=base_dir) as fetcher:
        for entry in entries:
            try:
                rec = fetcher.fetch(entry.location, previous=previous.get(entry.source_id))
            except Exception as exc:  # a fetcher bug must not cost the other documents
                rec = FetchRecord(url=entry.location, error=f"{type(exc).__name__}: {exc}", error_kind="unexpected")
            row = {name: getattr(rec, name) for name in FETCH_FIELDS}
            row.update(source_id=entry.source_id, location=entry.location, origin_url=entry.origin_url,
                       agency_hint=entry.agency, year=entry.year, region=entry.region)
            rows.append(row)
    return rows


def record_from_row(row: dict[str, Any]) -> FetchRecord:
    """The previous fetch of a document, for conditional requests (ETag / Last-Modified)."""
    return FetchRecord.from_json({k: row.get(k) for k in FETCH_FIELDS})
