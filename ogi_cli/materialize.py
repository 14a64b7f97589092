"""`ogi materialize` and `ogi backfill`: the main job over exactly the partitions asked for.

`materialize` runs in-process on the data folder's instance (one run per rectangle of partitions) and
ends with a summary: partitions published / held back (why), documents published / excluded /
failed, identity breaks with the reports that break them and where the details are. `backfill`
submits the same partitions as a Dagster backfill to the instance (shown in the UI's backfills),
executes it here unless `--submit-only` leaves it to a running daemon (`dagster dev`), and ends with
the same summary.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import warnings
from pathlib import Path

from ogi_cli.errors import ExitCode, check_region, check_year, failed, say, usage, year_range
from pipelines.runs import data_dir_from_env, discover_regions, ensure_dagster_home, load_env_defaults


def _year(text: str) -> int:
    first, last = year_range()
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid year {text!r}: a statistics year {first}–{last}") from None
    return year


def _selected(args: argparse.Namespace):
    """Validate the options and the catalog; the partitions asked for (discovery run for listing regions)."""
    verb = getattr(args, "verb", "materialize")
    load_env_defaults()
    if args.catalog:
        os.environ["OGI_CATALOG"] = args.catalog
    for region in args.region or []:
        check_region(region)
    for year in args.year or []:
        check_year(year)
    from ogi.datasets.warehouse import Partition
    from ogi.fetch.catalog import (
        CatalogError,
        apply_overrides,
        listing_regions,
        load_catalog_with_errors,
        partitions_of,
    )
    from ogi.overrides import OverrideError, load_overrides

    catalog = Path(os.environ.get("OGI_CATALOG", "corpus/catalog.csv"))
    if catalog.is_dir():
        raise usage(f"the catalog {catalog} is a directory: give the CSV file (OGI_CATALOG or --catalog)")
    try:
        loaded = load_catalog_with_errors(catalog)
        entries = loaded.entries
        # the reviewed overrides beside the catalog decide region and year, hence the partition (as the pipeline)
        entries = apply_overrides(entries, load_overrides(catalog.resolve().parent / "overrides.csv"))
    except OverrideError as exc:
        raise usage(f"bad overrides: {exc}", kind="bad_overrides") from None
    except FileNotFoundError:
        raise usage(f"no catalog at {catalog} (set OGI_CATALOG or pass --catalog)", kind="no_catalog") from None
    except (CatalogError, UnicodeDecodeError) as exc:
        raise usage(f"bad catalog: {exc}", kind="bad_catalog") from None
    except OSError as exc:
        raise usage(f"cannot read the catalog {catalog}: {exc.strerror or exc}", kind="bad_catalog") from None
    if loaded.errors and not entries:
        raise usage("bad catalog, no row loads: " + "; ".join(map(str, loaded.errors)), kind="bad_catalog") from None
    for error in loaded.errors:  # a bad row is skipped; the rest of the catalog proceeds
        say(verb, f"catalog row skipped: {error}")
    data_dir = data_dir_from_env()
    from ogi.datasets.release import ReleaseError, check_layout
    from pipelines.resources import DataLake

    try:
        check_layout(DataLake(root=str(data_dir)).warehouse())
    except ReleaseError as exc:
        raise failed(str(exc), "old_layout") from None
    ensure_dagster_home(data_dir)
    regions = [r for r in listing_regions(entries) if not args.region or r in set(args.region)]
    wanted = {Partition(r, y) for y, r in partitions_of(entries)} | set(discover_regions(regions))
    from pipelines.partitions import has_year

    partitions = sorted(p for p in wanted if (not args.year or p.year in set(args.year))
                        and (not args.region or p.region in set(args.region)))
    for p in [p for p in partitions if not has_year(p.year)]:  # e.g. this year: it has no partition until it ends
        say(verb, f"partition {p.label} skipped: statistics year {p.year} is not a partition (yet)")
    partitions = [p for p in partitions if has_year(p.year)]
    if not partitions:
        asked = " ".join([*(f"--region {r}" for r in args.region or []), *(f"--year {y}" for y in args.year or [])])
        raise usage(f"the catalog {catalog} has no documents for {asked or 'any partition'}", kind="nothing_selected")
    return catalog, data_dir, partitions


def _show_progress(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("  %(message)s"))
    for name, level in (("ogi.progress", logging.INFO), ("ogi.reports", logging.INFO if verbose else logging.WARNING)):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.addHandler(handler)
        logger.propagate = False


def _finish(verb: str, started: float, data_dir, partitions, instance, run_ids: list[str]) -> int:
    from pipelines.backfills import succeeded
    from pipelines.resources import DataLake
    from pipelines.summary import summarize

    ok = succeeded(instance.get_run_by_id(r) for r in run_ids)
    lake = DataLake(root=str(data_dir))
    print(f"{'done' if ok else 'FAILED'} in {time.monotonic() - started:.1f} s: {len(run_ids)} run(s); "
          f"Parquet under {lake.warehouse().storage.uri('')}")
    for line in summarize(lake, partitions, instance, run_ids).lines():
        print(line)
    if not ok:
        say(verb, "the run had errors (see above; the Dagster UI has the run logs)")
    return int(ExitCode.OK if ok else ExitCode.ERRORS)


def _materialize(args: argparse.Namespace) -> int:
    from dagster import DagsterInstance

    from pipelines.runs import materialize_main_job, partition_ranges

    catalog, data_dir, partitions = _selected(args)
    ranges = partition_ranges(partitions)
    print(f"materializing {len(partitions)} partition(s) from {catalog} in {len(ranges)} run(s): "
          + ", ".join(p.label for p in partitions), flush=True)
    _show_progress(args.verbose)
    started = time.monotonic()
    instance = DagsterInstance.get()
    results = materialize_main_job(partitions, instance=instance)
    return _finish("materialize", started, data_dir, partitions, instance, [r.run_id for r in results])


def _backfill(args: argparse.Namespace) -> int:
    from dagster import DagsterInstance

    from pipelines.backfills import execute_backfill, submit_backfill

    if not args.region and not args.year:
        raise usage("say what to backfill: --region CODE (all its years), --year YEAR (all regions), or both")
    catalog, data_dir, partitions = _selected(args)
    instance = DagsterInstance.get()
    backfill_id = submit_backfill(instance, partitions, log_level="WARNING")
    print(f"backfill {backfill_id}: {len(partitions)} partition(s) from {catalog}: "
          + ", ".join(p.label for p in partitions), flush=True)
    # dagster's in-process launcher leaves an event loop's async generators unclosed; harmless, but noisy
    warnings.filterwarnings("ignore", message="coroutine 'BaseEventLoop.shutdown_asyncgens' was never awaited")
    if args.submit_only:
        print("submitted: the daemon of `dagster dev` (or dagster-daemon) runs it; see Overview → Backfills")
        return int(ExitCode.OK)
    _show_progress(args.verbose)
    started = time.monotonic()
    status, runs = execute_backfill(instance, backfill_id)
    if not runs:
        raise failed(f"backfill {backfill_id} ended {status} without a run", "backfill_failed")
    return _finish("backfill", started, data_dir, partitions, instance, [r.run_id for r in runs])


def _common(p: argparse.ArgumentParser) -> None:
    first, last = year_range()
    p.add_argument("--catalog", help="catalog CSV (default: $OGI_CATALOG, corpus/catalog.csv)")
    p.add_argument("--year", type=_year, action="append", help=f"only this statistics year, {first}–{last} (repeatable)")
    p.add_argument("--region", action="append",
                   help="only this province-level GB/T 2260 code, e.g. 150000, 000000 for central bodies (repeatable)")
    p.add_argument("--verbose", action="store_true", help="also print one structured line per report and stage")


def register(subparsers) -> None:
    epilog = "exit codes: 0 ok, 1 the run had errors (a partition held back, a step failed), 2 bad usage"
    p = subparsers.add_parser("materialize", epilog=epilog,
                              help="run the pipeline over the catalog's partitions (offline for the bundled corpus)")
    _common(p)
    p.set_defaults(func=_materialize, verb="materialize")
    b = subparsers.add_parser("backfill", epilog=epilog,
                              help="backfill all years of a region, or a year of all regions, through the Dagster instance")
    _common(b)
    b.add_argument("--submit-only", action="store_true",
                   help="only submit the backfill to the instance (a running Dagster daemon executes it)")
    b.set_defaults(func=_backfill, verb="backfill")
