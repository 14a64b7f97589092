"""The cleanup stage's rows: a `raw_documents` row → a `clean_documents` row (registry contracts).

A document that failed to fetch, or that no reader could make anything of, becomes a row with
`status: failed`, the stage it stopped at and why; the next stages carry it to the ledger.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds

from ogi.fetch.store import DerivedStore, RawStore
from ogi.model import Document, Finding, Severity, Stage, Table, report_id_for
from ogi.read import read_document
from ogi.read.cleanup import clean
from ogi.versions import code_version
from ogi.work.pool import FailureKind
from ogi.work.stage import LIMIT_CHECKS, InRun, Reuse, WorkLimits, bounded_rows, work_key

# What the later stages carry of a document's identity and fetch, for the ledger.
CARRIED = ("source_id", "location", "origin_url", "agency_hint", "sha256", "size", "fetched_at", "unchanged")


def finding_fields(f: Finding) -> dict[str, Any]:
    """A finding as the registry's finding struct (numbers stay Decimal)."""
    return {"stage": str(f.stage), "check": f.check, "severity": str(f.severity), "message": f.message,
            "table": f.table, "row": f.row, "col": f.col, "printed": f.printed, "expected": f.expected,
            "evidence": f.evidence}


def finding_from_fields(d: dict[str, Any]) -> Finding:
    return Finding(check=d["check"], severity=Severity(d["severity"]), message=d["message"], stage=d["stage"],
                   table=d.get("table"), row=d.get("row"), col=d.get("col"), printed=d.get("printed"),
                   expected=d.get("expected"), evidence=d.get("evidence"))


def document_fields(doc: Document) -> dict[str, Any]:
    """A cleaned document's blocks, metadata and findings as nested struct lists."""
    blocks = [{"text": b, "rows": None, "source": None} if isinstance(b, str)
              else {"text": None, "rows": b.rows, "source": str(b.source)} for b in doc.blocks]
    return {"blocks": blocks, "meta": [{"key": k, "value": str(v)} for k, v in doc.meta.items()],
            "findings": [finding_fields(f) for f in doc.findings], "content_type": doc.content_type,
            "encoding": doc.encoding}


def document_from_row(row: dict[str, Any]) -> Document:
    blocks = [b["text"] if b["rows"] is None else Table(rows=[list(r) for r in b["rows"]], source=b["source"] or "html")
              for b in row.get("blocks") or []]
    return Document(blocks=blocks, meta={m["key"]: m["value"] for m in row.get("meta") or []},
                    findings=[finding_from_fields(f) for f in row.get("findings") or []],
                    encoding=row.get("encoding"), content_type=row.get("content_type"))


def _failed(base: dict[str, Any], stage: Stage, message: str) -> dict[str, Any]:
    return {**base, "status": "failed", "failed_stage": str(stage), "message": message}


def _base(raw: dict[str, Any]) -> dict[str, Any]:
    base = {k: raw.get(k) for k in CARRIED}
    base.update(http_status=raw.get("status"), error_kind=raw.get("error_kind"), content_type=raw.get("content_type"),
                encoding=raw.get("encoding"), blocks=None, meta=None, findings=None, report_id=None)
    return base


def _readable(raw: dict[str, Any]) -> bool:
    # A page flagged as a spam mirror still has its bytes: it is read, then kept out of the datasets as
    # non-authoritative with its evidence, rather than dropped at the door.
    fetch_failed = raw.get("error") and raw.get("error_kind") != "spam_mirror"
    return bool(raw.get("sha256")) and not fetch_failed


def clean_row(raw: dict[str, Any], store: RawStore, data: bytes | None = None) -> dict[str, Any]:
    """Read and clean one fetched document (its bytes from `store`, or `data` when given). Never raises:
    a reader bug is a failed row with its reason."""
    base = _base(raw)
    if not _readable(raw):
        return _failed(base, Stage.FETCH, f"{raw.get('error_kind')}: {raw.get('error')}")
    base["report_id"] = report_id_for(raw["sha256"])
    try:
        # Conversions (.doc → DOCX) and OCR readings are kept beside a local raw store (root/derived/…); on
        # object storage they are redone when needed (the derived store is a local folder).
        derived = None if getattr(store, "remote", False) else DerivedStore(store.root)
        doc = clean(read_document(store.get(raw["sha256"]) if data is None else data, raw["location"],
                                  raw.get("content_type"), derived=derived))
    except Exception as exc:  # one unreadable document must not stop the partition
        return _failed(base, Stage.READ, f"{type(exc).__name__}: {exc}")
    row = {**base, **document_fields(doc), "status": "ok", "failed_stage": None, "message": None}
    fatal = [f for f in doc.findings if f.severity == Severity.ERROR]
    if fatal and not doc.blocks:
        row.update(status="failed", failed_stage=str(Stage.READ),
                   message="; ".join(f"{f.check}: {f.message}" for f in fatal))
    return row


Item = tuple[dict[str, Any], bytes | None, str | None, str | None]
# (a raw row, its bytes when read here from object storage, why they could not be, its work key)


def read_key(raw: dict[str, Any]) -> str | None:
    """What reading a fetched document depends on; None for a document with nothing to read."""
    if not _readable(raw):
        return None
    return work_key("read", code_version("read"), raw["sha256"], raw.get("location"), raw.get("content_type"))


def _read_failed(raw: dict[str, Any], message: str) -> dict[str, Any]:
    """A fetched document whose reading failed: its row, with the reason."""
    return _failed({**_base(raw), "report_id": report_id_for(raw["sha256"])}, Stage.READ, message)


# What a clean row carries of this fetch, by raw column (a reused or shared reading gets the current fetch's).
FETCH_COLUMNS = {**{k: k for k in CARRIED}, "http_status": "status", "error_kind": "error_kind"}


def _fetch_columns(raw: dict[str, Any]) -> dict[str, Any]:
    return {name: raw.get(column) for name, column in FETCH_COLUMNS.items()}


def fetch_columns_table(raw: ds.Dataset) -> pa.Table:
    """`_fetch_columns` of every row of a partition's fetched documents at once, in Arrow (for a reading reused whole)."""
    table = raw.to_table(columns=list(dict.fromkeys(FETCH_COLUMNS.values())))
    return table.select(list(FETCH_COLUMNS.values())).rename_columns(list(FETCH_COLUMNS))


def _clean_item(item: Item, store: RawStore) -> dict[str, Any]:
    raw, data, unreadable, key = item
    if unreadable:
        return {**_read_failed(raw, unreadable), "work_key": key}
    return {**clean_row(raw, store, data), "work_key": key}


def _over_limit(item: Item, kind: FailureKind, message: str) -> dict[str, Any]:
    finding = Finding(LIMIT_CHECKS[kind], Severity.ERROR, f"read + clean {message}", stage=Stage.READ)
    return {**_read_failed(item[0], f"{LIMIT_CHECKS[kind]}: {message}"), "findings": [finding_fields(finding)],
            "error_kind": LIMIT_CHECKS[kind], "work_key": item[3]}


def clean_rows(raws: Iterable[dict[str, Any]], store: RawStore, limits: WorkLimits,
               reuse: Reuse | None = None, in_run: InRun | None = None) -> Iterator[dict[str, Any]]:
    """`clean_row` over a partition's fetched documents, in worker processes, each under `limits`.

    A document whose read key matches a row of the stage's last output of the partition
    is not read again: the row `reuse` holds is reused with this fetch's columns. Workers read a local raw store
    themselves (only a sha256 crosses the pipe); from object storage the bytes are read here and sent,
    so no worker process opens a connection of its own. A document repeated in the partition (`in_run`:
    the same read key under another row) is read once, its other rows get that reading.
    """
    remote = getattr(store, "remote", False)
    reuse = reuse or Reuse(())
    in_run = in_run or InRun()

    def ready(item: Item) -> dict[str, Any] | None:
        raw, _, _, key = item
        if key is None:  # nothing to read (the fetch failed): the failed row, at once
            return {**clean_row(raw, store), "work_key": None}
        repeat = in_run.ready(key, _fetch_columns(raw))
        if repeat is not None:
            return repeat
        before = reuse.take(key)
        return None if before is None else {**before, **_fetch_columns(raw)}

    def prepare(item: Item) -> Item:
        raw, _, _, key = item
        if not remote:
            return item
        try:
            return raw, store.get(raw["sha256"]), None, key
        except Exception as exc:  # noqa: BLE001 - one unreadable object is that document's failure
            return raw, None, f"raw bytes unreadable: {type(exc).__name__}: {exc}", key

    items = ((raw, None, None, read_key(raw)) for raw in raws)
    return in_run.settle(bounded_rows(partial(_clean_item, store=store), items, limits, _over_limit, ready=ready,
                                      prepare=prepare))
