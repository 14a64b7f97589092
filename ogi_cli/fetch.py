"""`ogi discover` and `ogi fetch`: the raw-fetch layer from the command line, for scripting and
debugging without Dagster. `register` plugs both into the `ogi` console script's subparsers;
`python -m ogi_cli.fetch` runs them on their own.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from ogi.fetch.client import Fetcher
from ogi.fetch.discover import discover
from ogi.fetch.log import FetchLog
from ogi.fetch.policy import FetchPolicy
from ogi.fetch.store import RawStore
from ogi_cli.errors import CliError, ExitCode, report, say, usage

__all__ = ["main", "register"]

LOG_NAME = "fetch-log.jsonl"


def _policy(args: argparse.Namespace) -> FetchPolicy:
    policy = FetchPolicy().with_hosts(getattr(args, "allow_hosts", None))
    changes: dict[str, Any] = {}
    if getattr(args, "min_interval", None) is not None:
        changes["min_interval"] = args.min_interval
    if getattr(args, "timeout", None) is not None:
        changes["connect_timeout"] = changes["read_timeout"] = args.timeout
    if getattr(args, "max_attempts", None) is not None:
        changes["max_attempts"] = args.max_attempts
    return replace(policy, **changes) if changes else policy


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--allow-hosts",
        metavar="PATTERNS",
        help="comma-separated host patterns allowed (every redirect hop too); "
        "default: $OGI_ALLOWED_HOSTS or *.gov.cn",
    )
    p.add_argument(
        "--min-interval", type=float, metavar="SECONDS", help="seconds between requests to one host"
    )
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="connect and read timeout")
    p.add_argument(
        "--max-attempts", type=int, metavar="N", help="attempts per URL (retries on 429/5xx/resets)"
    )


def _print(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _store_dir(value: str) -> Path:
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise usage(f"--store {value} is a file, not a raw store directory", kind="not_a_directory", store=value)
    return path


def cmd_discover(args: argparse.Namespace) -> int:
    """Print one JSON line per report found; exit 1 when the listing itself could not be read."""
    policy = _policy(args)
    log: FetchLog | None = None
    store: RawStore | None = None
    if args.store:
        store = RawStore(_store_dir(args.store))
        log = FetchLog(Path(args.log) if args.log else Path(args.store) / LOG_NAME)
    result = discover(
        args.listing_url,
        store=store,
        policy=policy,
        max_pages=args.max_pages,
        previous=log.latest() if log else None,
        on_record=log.append if log else None,
    )
    for found in result.reports:
        _print(found.to_json())
    for rec in result.errors:
        _print({"error": rec.error, "error_kind": rec.error_kind, "url": rec.url, "status": rec.status})
        say("discover", f"{rec.url}: {rec.error_kind}: {rec.error}")
    return int(ExitCode.OK if result.ok else ExitCode.ERRORS)


def cmd_fetch(args: argparse.Namespace) -> int:
    """Fetch one document into the store, append to the store's fetch log, print the record."""
    policy = _policy(args)
    store = RawStore(_store_dir(args.store))
    log = FetchLog(Path(args.log) if args.log else Path(args.store) / LOG_NAME)
    previous = None if args.no_conditional else log.latest().get(args.url)
    with Fetcher(store, policy) as fetcher:
        rec = fetcher.fetch(args.url, previous=previous)
    log.append(rec)
    _print(rec.to_json())
    if not rec.ok:
        say("fetch", f"{args.url}: {rec.error_kind}: {rec.error}")
    return int(ExitCode.OK if rec.ok else ExitCode.ERRORS)


def register(subparsers: Any) -> None:
    """Add `discover` and `fetch` to an argparse subparsers object (from add_subparsers())."""
    d = subparsers.add_parser(
        "discover",
        help="find annual reports on a listing page (follows pagination)",
        description="Print one JSON line per annual report found: url, title, year, attachments.",
    )
    d.add_argument("listing_url", metavar="LISTING_URL")
    d.add_argument("--max-pages", type=int, default=50, metavar="N", help="listing pages to read at most")
    d.add_argument("--store", metavar="DIR", help="keep fetched pages in this raw store (default: temporary)")
    d.add_argument("--log", metavar="FILE", help="fetch log (default: DIR/fetch-log.jsonl with --store)")
    _common(d)
    d.set_defaults(func=cmd_discover)

    f = subparsers.add_parser(
        "fetch",
        help="fetch one document into a raw store",
        description="Fetch URL (or a local path) into the raw store and print its fetch-log record as JSON.",
    )
    f.add_argument("url", metavar="URL")
    f.add_argument("--store", required=True, metavar="DIR", help="raw store directory")
    f.add_argument("--log", metavar="FILE", help="fetch log (default: DIR/fetch-log.jsonl)")
    f.add_argument(
        "--no-conditional", action="store_true", help="do not send If-None-Match/If-Modified-Since"
    )
    _common(f)
    f.set_defaults(func=cmd_fetch)


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point (`python -m ogi_cli.fetch discover …`), failing as the `ogi` script does."""
    parser = argparse.ArgumentParser(prog="ogi")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CliError as exc:
        return report(args.command, exc)


if __name__ == "__main__":
    raise SystemExit(main())
