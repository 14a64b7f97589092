"""`ogi parse`: one report (file or URL) → its record as JSON (spec/report-record.schema.json).

Exit 1 when nothing could be read from the document (no cell and no figure: an empty, unreadable
or garbled file, a failed fetch) — the record is still printed, its findings say why.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from ogi_cli.errors import ExitCode, check_region, failed, say, usage


def _fetched(location: str, allow_hosts: str | None) -> tuple[bytes, str | None, str]:
    from ogi.fetch.client import fetch
    from ogi.fetch.policy import FetchPolicy
    from ogi.fetch.store import RawStore

    policy = FetchPolicy().with_hosts(allow_hosts)
    with tempfile.TemporaryDirectory(prefix="ogi-parse-") as tmp:
        store = RawStore(Path(tmp))
        rec = fetch(location, store, policy)
        if not rec.ok or rec.sha256 is None:
            raise failed(f"{location}: {rec.error_kind}: {rec.error}", rec.error_kind or "fetch", url=location,
                         status=rec.status)
        return store.get(rec.sha256), rec.content_type, rec.final_url or location


def _read_file(location: str) -> bytes:
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
        return path.read_bytes()
    except OSError as exc:
        raise failed(f"cannot read {location}: {exc.strerror or exc}", "io_error", location=location) from None


def _parse(args: argparse.Namespace) -> int:
    from ogi.parse.report import parse_bytes

    location: str = args.location
    region = check_region(args.region)
    origin = args.origin
    content_type = None
    if location.startswith(("http://", "https://")):
        data, content_type, final = _fetched(location, args.allow_hosts)
        origin = origin or final
    else:
        data = _read_file(location)
    report = parse_bytes(data, location, content_type=content_type, origin_uri=origin, province_hint=region)
    record = report.to_record()
    json.dump(record, sys.stdout, ensure_ascii=False, indent=2 if args.pretty else None)
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
    p.set_defaults(func=_parse)
