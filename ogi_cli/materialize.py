"""`ogi materialize`: the main job over the partitions the catalog covers, in-process on the project's instance."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from pipelines.runs import discover_regions, ensure_dagster_home, materialize_partitions


def _materialize(args: argparse.Namespace) -> int:
    ensure_dagster_home()
    from ogi.fetch.catalog import listing_regions, load_catalog, partitions_of
    from pipelines.resources import default_catalog

    catalog = Path(args.catalog or default_catalog())
    entries = load_catalog(catalog)
    regions = [r for r in listing_regions(entries) if not args.region or r in set(args.region)]
    partitions = sorted(set(partitions_of(entries)) | set(discover_regions(regions)))
    if args.year:
        partitions = [p for p in partitions if p[0] in set(args.year)]
    if args.region:
        partitions = [p for p in partitions if p[1] in set(args.region)]
    if not partitions:
        print("ogi materialize: no partitions selected", file=sys.stderr)
        return 2
    print(f"materializing {len(partitions)} partition(s) from {catalog}: "
          + ", ".join(f"{y}/{r}" for y, r in partitions), flush=True)
    started = time.monotonic()
    results = materialize_partitions(partitions, raise_on_error=False)
    ok = all(r.success for r in results)
    from pipelines.resources import DataLake

    print(f"{'done' if ok else 'FAILED'} in {time.monotonic() - started:.1f} s: {len(results)} run(s); "
          f"Parquet under {DataLake().warehouse}")
    for r in results:
        for ev in r.get_asset_check_evaluations():
            if not ev.passed:
                print(f"  check {ev.asset_key.to_user_string()}:{ev.check_name} "
                      f"{'failed' if ev.severity.value == 'ERROR' else 'warns'}")
    return 0 if ok else 1


def register(subparsers) -> None:
    p = subparsers.add_parser("materialize", help="run the pipeline over the catalog's partitions (offline for the bundled corpus)")
    p.add_argument("--catalog", help="catalog CSV (default: corpus/catalog.csv or $OGI_CATALOG)")
    p.add_argument("--year", type=int, action="append", help="only this statistics year (repeatable)")
    p.add_argument("--region", action="append", help="only this province-level region code (repeatable)")
    p.set_defaults(func=_materialize)
