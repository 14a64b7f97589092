"""`ogi parse`: one report (file or URL) → its record as JSON (spec/report-record.schema.json).

The document is read and parsed in a supervised worker (ogi.work.Pool) under a time limit and a
memory ceiling, and its size is capped before it is read: a hostile file comes back as a record
with a finding (`too_large`, `decompression_bomb`, `time_limit`, `memory_limit`, `reader_crashed`)
instead of hanging or exhausting the machine.

Exit 1 when nothing could be read from the document (no cell and no figure: an empty, unreadable
or garbled file, a failed fetch) — the record is still printed, its findings say why.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from ogi.read.limits import MAX_INPUT_BYTES
from ogi_cli.errors import ExitCode, check_region, failed, say, usage

DEFAULT_TIMEOUT = 60.0  # seconds per document (read + clean + parse)
DEFAULT_MEMORY_MIB = 1024  # per document, above what the worker held at its start


def parse_task(task: dict[str, Any]) -> dict[str, Any]:
    """In the worker: bytes (or a path to read) → the report's record. Top-level for the pool."""
    import ogi.read.limits
    from ogi.parse.report import parse_bytes

    ogi.read.limits.MAX_INPUT_BYTES = task.get("max_bytes") or ogi.read.limits.MAX_INPUT_BYTES  # --max-bytes
    data = task["data"] if task.get("data") is not None else Path(task["path"]).read_bytes()
    report = parse_bytes(data, task["location"], content_type=task.get("content_type"),
                         origin_uri=task.get("origin"), province_hint=task.get("region"))
    return report.to_record()


def _sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def unread_record(location: str, sha256: str, check: str, message: str, content_type: str | None = None,
                  origin: str | None = None, region: str | None = None) -> dict[str, Any]:
    """The record of a document that could not be read: nothing parsed, the reason as a finding."""
    from ogi.model import Document, Finding
    from ogi.parse.report import SourceInfo, parse_document

    doc = Document(content_type=content_type)
    doc.findings.append(Finding(check, "error", message, stage="read"))
    source = SourceInfo(uri=location, sha256=sha256, content_type=content_type, origin_uri=origin)
    return parse_document(doc, source, province_hint=region).to_record()


def _checked_path(location: str) -> Path:
    """A readable file, or a usage error / failure saying what is wrong with it (never a traceback)."""
    path = Path(location)
    try:
        is_dir = path.stat() and path.is_dir()
    except FileNotFoundError:
        raise usage(f"no such file: {location}", kind="not_found", location=location) from None
    except OSError as exc:
        raise failed(f"cannot read {location}: {exc.strerror or exc}", "io_error", location=location) from None
    if is_dir:
        raise usage(f"{location} is a directory: give one report file (or a URL)", kind="is_a_directory",
                    location=location)
    try:
        with path.open("rb") as fh:
            fh.read(1)  # some files open but cannot be read (EIO): find out here, not in the worker
    except OSError as exc:
        raise failed(f"cannot read {location}: {exc.strerror or exc}", "io_error", location=location) from None
    return path


def _parse(args: argparse.Namespace) -> int:
    location: str = args.location
    origin = args.origin
    region = check_region(args.region)
    task: dict[str, Any] = {"location": location, "origin": origin, "region": region, "max_bytes": args.max_bytes}
    if location.startswith(("http://", "https://")):
        from dataclasses import replace

        from ogi.fetch.client import fetch
        from ogi.fetch.policy import FetchPolicy
        from ogi.fetch.store import RawStore

        policy = FetchPolicy().with_hosts(args.allow_hosts)
        policy = replace(policy, max_bytes=min(policy.max_bytes, args.max_bytes))
        with tempfile.TemporaryDirectory(prefix="ogi-parse-") as tmp:
            store = RawStore(Path(tmp))
            rec = fetch(location, store, policy)
            if not rec.ok or rec.sha256 is None:
                raise failed(f"{location}: {rec.error_kind}: {rec.error}", rec.error_kind or "fetch", url=location,
                             status=rec.status)
            data = store.get(rec.sha256)
        task.update(data=data, content_type=rec.content_type, origin=origin or rec.final_url or location)
    else:
        path = _checked_path(location)
        size = path.stat().st_size
        if size > args.max_bytes:
            record = unread_record(location, _sha256_of(path), "too_large",
                                   f"{size:,} bytes, over the {args.max_bytes:,}-byte cap (--max-bytes): not read",
                                   origin=origin, region=region)
            return _print(record, args.pretty, location)
        task["path"] = str(path)
    return _print(_bounded(task, args), args.pretty, location)


def _bounded(task: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    from ogi.work import Limits, Pool

    limits = Limits(seconds=args.timeout, memory_bytes=int(args.max_memory) * 2**20)
    with Pool(parse_task, workers=0 if args.in_process else 1, limits=limits) as pool:
        (outcome,) = list(pool.map([task]))
    if outcome.ok:
        return outcome.value
    if task.get("data") is not None:
        sha256 = hashlib.sha256(task["data"]).hexdigest()
    else:
        sha256 = _sha256_of(Path(task["path"]))
    from ogi.work.stage import LIMIT_CHECKS

    return unread_record(task["location"], sha256, LIMIT_CHECKS.get(outcome.failure, "reader_error"),
                         f"read + clean + parse stopped: {outcome.message}", task.get("content_type"),
                         task.get("origin"), task.get("region"))


def _print(record: dict[str, Any], pretty: bool, location: str) -> int:
    json.dump(record, sys.stdout, ensure_ascii=False, indent=2 if pretty else None)
    sys.stdout.write("\n")
    sys.stdout.flush()
    if not record["cells"] and not record["facts"]:
        why = "; ".join(f["message"] for f in record["findings"] if f["severity"] == "error") or "no table or figure found"
        say("parse", f"nothing could be read from {location}: {why}")
        return int(ExitCode.ERRORS)
    return int(ExitCode.OK)


def register(sub) -> None:
    p = sub.add_parser("parse", help="parse one report (file path or URL) and print its record as JSON",
                       epilog="exit codes: 0 ok, 1 nothing could be read (the record says why), 2 bad usage")
    p.add_argument("location", help="file path or http(s) URL of the report")
    p.add_argument("--origin", help="URL the document was published at (decides authority for local files)")
    p.add_argument("--region", help="province-level GB/T 2260 code, to disambiguate place names")
    p.add_argument("--allow-hosts", help="comma-separated host patterns allowed for URLs (default *.gov.cn)")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    p.add_argument("--max-bytes", type=int, default=MAX_INPUT_BYTES, metavar="N",
                   help=f"documents larger than this are recorded as too_large, not read (default {MAX_INPUT_BYTES})")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit for reading and parsing the document (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--max-memory", type=int, default=DEFAULT_MEMORY_MIB, metavar="MIB",
                   help=f"memory ceiling for reading and parsing the document (default {DEFAULT_MEMORY_MIB})")
    p.add_argument("--in-process", action="store_true", help="no worker process and no limits (for debugging)")
    p.set_defaults(func=_parse)
