"""The raw stage's rows: catalog and discovered documents fetched into the raw store.

Rows follow the registry's `raw_documents` and `discovered_reports` contracts (typed: timestamps
as datetimes, attachments as a list, a report page's fetch as a struct). Conditional requests
(ETag / Last-Modified) take the previous fetch from the fetch log, the domain's record of every
fetch, never from a re-read of the asset's own output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ogi.fetch.catalog import CatalogEntry
from ogi.fetch.client import Fetcher, FetchRecord, is_local_location
from ogi.fetch.log import FetchLog
from ogi.fetch.policy import FetchPolicy
from ogi.fetch.store import RawStore
from ogi.work.pool import Pool
from ogi.work.stage import WorkLimits

FETCH_FIELDS = ("url", "final_url", "status", "content_type", "etag", "last_modified", "sha256", "size", "fetched_at",
                "attempts", "unchanged", "error", "error_kind", "bytes_transferred", "encoding", "created", "local",
                "robots")


def _timestamp(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.UTC)
    except ValueError:
        return None


# Failures that pass by themselves (ERROR_KINDS marks them retried): a site down for maintenance, a
# gateway timeout, a host busy. When one hits a document fetched fine before, publishing now would
# publish less than is already published: the run is retried instead (assets/raw.py).
TRANSIENT_KINDS = frozenset({"timeout", "connection", "incomplete_body", "rate_limited", "server_error", "host_busy",
                             "robots_unavailable"})


def lost_to_outage(rows: list[dict[str, Any]], previous: dict[str, FetchRecord]) -> list[dict[str, Any]]:
    """Rows whose fetch failed transiently although the same location was fetched fine before."""
    return [r for r in rows if r.get("error_kind") in TRANSIENT_KINDS and (p := previous.get(r["location"])) is not None
            and p.ok]


def fetch_fields(rec: FetchRecord) -> dict[str, Any]:
    """A fetch record as the registry's fetch fields (typed)."""
    row = {name: getattr(rec, name) for name in FETCH_FIELDS}
    row["fetched_at"] = _timestamp(rec.fetched_at)
    return row


def record_from_fields(row: dict[str, Any]) -> FetchRecord:
    """Inverse of fetch_fields: the FetchRecord a stage row carries."""
    data = {k: row.get(k) for k in FETCH_FIELDS}
    ts = data.get("fetched_at")
    data["fetched_at"] = ts.strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(ts, dt.datetime) else ts
    return FetchRecord.from_json(data)


def fetch_entries(entries: list[CatalogEntry], store: RawStore, policy: FetchPolicy, base_dir: Path,
                  log: FetchLog | None = None,
                  already_fetched: dict[str, FetchRecord] | None = None,
                  on_row: Callable[[dict[str, Any]], None] | None = None,
                  limits: WorkLimits | None = None) -> list[dict[str, Any]]:
    """One `raw_documents` row per entry; a failure is a row with its reason, never an exception.

    `already_fetched` holds records of documents fetched earlier in the same run (report pages read
    during discovery): they are logged, not fetched a second time. Every fetch is appended to `log`,
    whose latest good record per URL makes the next run's request conditional. With `limits`, a
    catalog's local files are read, hashed and stored in the document-work pool (each under its
    limits, rows still in entry order); what goes over the network stays here, with the per-host gate.
    """
    rows: list[dict[str, Any]] = []
    previous = log.latest() if log is not None else {}
    already_fetched = already_fetched or {}
    fresh: list[FetchRecord] = []
    limits = limits or WorkLimits(workers=0)

    def items() -> Iterator[tuple[CatalogEntry, FetchRecord | None] | None]:
        for entry in entries:
            local = entry.source_id not in already_fetched and not entry.from_web and is_local_location(entry.location)
            yield (entry, previous.get(entry.location)) if local else None

    with Fetcher(store, policy, base_dir=base_dir) as fetcher, \
            Pool(partial(_fetch_local_entry, fetcher), workers=limits.worker_count(), limits=limits.pool_limits(),
                 chunksize=8, max_in_flight=64) as pool:
        for entry, outcome in zip(entries, pool.map(items()), strict=True):
            try:
                rec = already_fetched.get(entry.source_id)
                if rec is None:
                    if not outcome.ok:  # a local file whose reading went past its limits in the pool
                        rec = FetchRecord(url=entry.location, local=True, error_kind="io_error",
                                          error=f"reading the file: {outcome.message}")
                    elif outcome.value is not None:  # a local file, fetched in the pool
                        rec = outcome.value
                    else:
                        rec = fetcher.fetch(entry.location, previous=previous.get(entry.location),
                                            from_web=entry.from_web,
                                            ignore_robots=entry.robots == "ignore")
                    fresh.append(rec)
            except Exception as exc:  # a fetcher bug must not cost the other documents
                rec = FetchRecord(url=entry.location, error=f"{type(exc).__name__}: {exc}", error_kind="unexpected")
            rows.append({"source_id": entry.source_id, "location": entry.location, "origin_url": entry.origin_url,
                         "agency_hint": entry.agency, **fetch_fields(rec)})
            if on_row is not None:
                on_row(rows[-1])
    if log is not None:
        log.append(fresh)
    return rows


def _fetch_local_entry(fetcher: Fetcher, item: tuple[CatalogEntry, FetchRecord | None] | None) -> FetchRecord | None:
    """A catalog's local file fetched (in a pool worker: the fetcher is its copy of the caller's, made at the
    fork; local files use only its store, policy and folder). None: not a local file, fetched by the caller."""
    if item is None:
        return None
    entry, previous = item
    return fetcher.fetch(entry.location, previous=previous, from_web=False, ignore_robots=entry.robots == "ignore")


def discover_listings(entries: list[CatalogEntry], store: RawStore, policy: FetchPolicy, base_dir: Path,
                      log: FetchLog) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Crawl each listing once: `discovered_reports` rows, and one summary per listing.

    Every fetch goes to the fetch log, whose latest records make the next crawl conditional, so an
    unchanged listing transfers no body.
    """
    from ogi.fetch.discover import discover

    previous = log.latest()
    rows: list[dict[str, Any]] = []
    summaries: list[dict[str, Any]] = []
    with Fetcher(store, policy, base_dir=base_dir) as fetcher:
        for entry in entries:
            fetcher.ignore_robots = entry.robots == "ignore"
            try:
                found = discover(entry.location, fetcher, previous=previous, base_dir=base_dir, on_record=log.append)
            except Exception as exc:  # one broken listing must not hide the others
                summaries.append({"listing": entry.source_id, "pages": 0, "reports": 0, "skipped": 0,
                                  "error": f"{type(exc).__name__}: {exc}"})
                continue
            for report in found.reports:
                page = found.record_for(report.url)
                rows.append({
                    "listing_source_id": entry.source_id, "listing_url": entry.location, "url": report.url,
                    "title": report.title, "year": report.year, "attachments": list(report.attachments),
                    "page_sha256": report.page_sha256, "page_fetch": fetch_fields(page) if page else None,
                    "agency_hint": entry.agency, "error": report.error, "error_kind": report.error_kind,
                })
            summaries.append({"listing": entry.source_id, "pages": len(found.pages), "reports": len(found.reports),
                              "skipped": len(found.skipped),
                              "error": "; ".join(f"{r.url}: {r.error_kind}" for r in found.errors) or None})
    return rows, summaries


def discovered_entries(rows: list[dict[str, Any]], year: int, region: str,
                       robots_of: dict[str, str] | None = None) -> list[tuple[CatalogEntry, FetchRecord | None]]:
    """Documents of the discovered reports of one year: each report page and each of its attachments.

    A report page already fetched during discovery comes with its fetch record, so it is not fetched
    again; attachments are fetched by raw_documents.
    """
    out: list[tuple[CatalogEntry, FetchRecord | None]] = []
    for row in rows:
        if row.get("year") is None or int(row["year"]) != year:
            continue
        # Links found on a web listing must stay on the web: a file:// attachment is refused at fetch.
        from_web = urlsplit(str(row.get("listing_url") or "")).scheme.lower() in ("http", "https")
        sid = "d" + hashlib.sha1(row["url"].encode()).hexdigest()[:12]
        robots = (robots_of or {}).get(row.get("listing_source_id") or "", "")  # the listing row's override
        record = record_from_fields(row["page_fetch"]) if row.get("page_fetch") else None
        out.append((CatalogEntry(source_id=sid, location=row["url"], origin_url=row["url"], region=region, year=year,
                                 agency=row.get("agency_hint"), note=row.get("title"), from_web=from_web,
                                 robots=robots), record))
        for n, url in enumerate(row.get("attachments") or [], start=1):
            if url == row["url"]:
                continue  # a listing link straight to a file is its own attachment
            out.append((CatalogEntry(source_id=f"{sid}-a{n}", location=url, origin_url=url, region=region, year=year,
                                     agency=row.get("agency_hint"), note=row.get("title"), from_web=from_web,
                                 robots=robots), None))
    return out


MAX_PAGE_IMAGES = 30  # pictures fetched for one report page: a scanned report runs to a few dozen pages


def fetch_page_images(urls: list[str], fetcher: Fetcher) -> list[FetchRecord]:
    """The pictures of a report page (ogi/read/html.page_images) fetched into the raw store like any
    attachment: the same Fetcher, so the host allowlist, politeness and the size cap apply. One
    record per URL, in order (a failure is a record with its reason); at most MAX_PAGE_IMAGES."""
    records: list[FetchRecord] = []
    for url in urls[:MAX_PAGE_IMAGES]:
        try:
            records.append(fetcher.fetch(url))
        except Exception as exc:  # noqa: BLE001 - one picture must not cost the page
            records.append(FetchRecord(url=url, error=f"{type(exc).__name__}: {exc}", error_kind="unexpected"))
    return records
