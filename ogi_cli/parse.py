"""`ogi parse`: one report (file or URL) → its record as JSON (spec/report-record.schema.json)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path


def _parse(args: argparse.Namespace) -> int:
    from ogi.parse.report import parse_bytes

    location: str = args.location
    origin = args.origin
    content_type = None
    if location.startswith(("http://", "https://")):
        from ogi.fetch.client import fetch
        from ogi.fetch.policy import FetchPolicy
        from ogi.fetch.store import RawStore

        policy = FetchPolicy().with_hosts(args.allow_hosts)
        with tempfile.TemporaryDirectory(prefix="ogi-parse-") as tmp:
            store = RawStore(Path(tmp))
            rec = fetch(location, store, policy)
            if not rec.ok or rec.sha256 is None:
                print(json.dumps({"error": rec.error, "error_kind": rec.error_kind, "url": location}, ensure_ascii=False),
                      file=sys.stderr)
                return 2
            data = store.get(rec.sha256)
        content_type = rec.content_type
        origin = origin or rec.final_url or location
    else:
        path = Path(location)
        if not path.is_file():
            print(f"ogi parse: no such file: {location}", file=sys.stderr)
            return 2
        data = path.read_bytes()
    report = parse_bytes(data, location, content_type=content_type, origin_uri=origin, province_hint=args.region)
    json.dump(report.to_record(), sys.stdout, ensure_ascii=False, indent=2 if args.pretty else None)
    sys.stdout.write("\n")
    return 0


def register(sub) -> None:
    p = sub.add_parser("parse", help="parse one report (file path or URL) and print its record as JSON")
    p.add_argument("location", help="file path or http(s) URL of the report")
    p.add_argument("--origin", help="URL the document was published at (decides authority for local files)")
    p.add_argument("--region", help="province-level GB/T 2260 code, to disambiguate place names")
    p.add_argument("--allow-hosts", help="comma-separated host patterns allowed for URLs (default *.gov.cn)")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    p.set_defaults(func=_parse)
