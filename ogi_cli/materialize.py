"""`ogi materialize`: the main job over exactly the partitions asked for, in-process on the data folder's instance."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

from pipelines.runs import discover_regions, ensure_dagster_home, load_env_defaults, materialize_main_job


def _fail(message: str) -> int:
    print(f"ogi materialize: {message}", file=sys.stderr)
    return 2


def _materialize(args: argparse.Namespace) -> int:
    load_env_defaults()
    if args.catalog:
        os.environ["OGI_CATALOG"] = args.catalog
    from ogi.datasets.registry import FIRST_YEAR
    from ogi.datasets.warehouse import Partition
    from ogi.fetch.catalog import CatalogError, listing_regions, load_catalog, partitions_of
    from ogi.reference.regions import NATIONAL, province_codes

    valid_regions = {NATIONAL, *province_codes()}
    last_year = dt.date.today().year - 1
    for region in args.region or []:
        if region not in valid_regions:
            return _fail(f"--region {region!r} is not a province-level GB/T 2260 code (e.g. 150000, or 000000 for "
                         "central bodies)")
    for year in args.year or []:
        if not FIRST_YEAR <= year <= last_year:
            return _fail(f"--year {year} is outside the statistics years {FIRST_YEAR}–{last_year}")
    catalog = Path(os.environ.get("OGI_CATALOG", "corpus/catalog.csv"))
    data_dir = Path(os.environ.get("OGI_DATA_DIR", "data"))
    try:
        entries = load_catalog(catalog)
    except FileNotFoundError:
        return _fail(f"no catalog at {catalog} (set OGI_CATALOG or pass --catalog)")
    except CatalogError as exc:
        return _fail(str(exc))
    ensure_dagster_home(data_dir)
    regions = [r for r in listing_regions(entries) if not args.region or r in set(args.region)]
    wanted = {Partition(r, y) for y, r in partitions_of(entries)} | set(discover_regions(regions))
    partitions = sorted(p for p in wanted if (not args.year or p.year in set(args.year))
                        and (not args.region or p.region in set(args.region)))
    if not partitions:
        return _fail("the catalog has no documents for the partitions selected")
    print(f"materializing {len(partitions)} partition(s) from {catalog}: "
          + ", ".join(p.label for p in partitions), flush=True)
    started = time.monotonic()
    results = materialize_main_job(partitions)
    ok = all(r.success for r in results)
    print(f"{'done' if ok else 'FAILED'} in {time.monotonic() - started:.1f} s: {len(results)} run(s); "
          f"Parquet under {data_dir.absolute() / 'warehouse'}")
    for r in results:
        for ev in r.get_asset_check_evaluations():
            if not ev.passed:
                print(f"  check {ev.asset_key.to_user_string()}:{ev.check_name} [{ev.partition}] "
                      f"{'failed' if ev.severity.value == 'ERROR' else 'warns'}")
        if not r.success:
            for event in r.all_events:
                if event.is_step_failure:
                    print(f"  {event.step_key}: {event.step_failure_data.error.message.strip()}")
    return 0 if ok else 1


def register(subparsers) -> None:
    p = subparsers.add_parser("materialize", help="run the pipeline over the catalog's partitions (offline for the bundled corpus)")
    p.add_argument("--catalog", help="catalog CSV (default: $OGI_CATALOG, corpus/catalog.csv)")
    p.add_argument("--year", type=int, action="append", help="only this statistics year (repeatable)")
    p.add_argument("--region", action="append", help="only this province-level region code (repeatable)")
    p.set_defaults(func=_materialize)
