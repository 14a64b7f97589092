"""`ogi accuracy` and `ogi benchmark`: how well and how fast the parser reads."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ogi.evaluate import accuracy, benchmark
from ogi_cli.errors import usage


def _accuracy(args: argparse.Namespace) -> int:
    corpus = Path(args.corpus_dir)
    if not corpus.is_dir():
        raise usage(f"no such directory: {corpus}")
    scores = accuracy.evaluate(corpus, generated=not args.no_generated, seeds=range(args.seeds))
    if args.cases or args.misses:
        print(accuracy.case_table(scores, args.misses))
        print()
    print(accuracy.accuracy_table(scores))
    floors_path = Path(args.floors) if args.floors else corpus / "floors.json"
    if not floors_path.is_file():
        print(f"\nno floors file at {floors_path}: nothing to hold the figures to")
        return 0
    failures = accuracy.check_floors(scores, accuracy.load_floors(floors_path))
    if failures:
        print(f"\nBELOW THE FLOORS of {floors_path}:")
        print("\n".join(f"  {f}" for f in failures))
        return 1
    print(f"\nevery floor of {floors_path} is met")
    return 0


def register_accuracy(subparsers: Any) -> None:
    """Add `ogi accuracy [CORPUS_DIR]` to the console script."""
    p = subparsers.add_parser("accuracy", help="parse the labelled corpus; figures correct / wrong / missing / unplaced per rendering, held to floors")
    p.add_argument("corpus_dir", nargs="?", default="tests/corpus", help="labelled corpus (default: tests/corpus)")
    p.add_argument("--cases", action="store_true", help="also print one line per case")
    p.add_argument("--misses", type=int, default=0, metavar="N", help="with each case, its first N problems")
    p.add_argument("--floors", default=None, help="floors file (default: CORPUS_DIR/floors.json); exit 1 below any")
    p.add_argument("--no-generated", action="store_true",
                   help="only the case folders, not the renderings generated from their labelled sources")
    p.add_argument("--seeds", type=int, default=1, metavar="N",
                   help="render each labelled source with seeds 0..N-1 (default 1)")
    p.set_defaults(func=_accuracy)


def _benchmark(args: argparse.Namespace) -> int:
    if args.reports < 1:
        raise usage("--reports must be at least 1")
    keep = Path(args.keep) if args.keep else None
    if keep and keep.exists() and (not keep.is_dir() or any(keep.iterdir())):
        raise usage(f"--keep {keep}: give a new or empty folder")
    from ogi_cli.benchmark import pipeline_runs, quiet, validate_tables

    quiet()
    if not args.json:
        print(f"generating {args.reports} reports (seed {args.seed}) and running the pipeline over them …", flush=True)
    figures = benchmark.run(pipeline_runs, validate_tables, args.reports, args.seed, keep,
                            sample=args.sample)
    print(benchmark.main_json(figures) if args.json else benchmark.table(figures))
    return 0 if figures["success"] else 1


def register_benchmark(subparsers) -> None:
    p = subparsers.add_parser("benchmark", help="generate N reports, run the pipeline over them end to end (and again "
                                                "unchanged), time each stage; print the figures")
    p.add_argument("--reports", type=int, default=1000, metavar="N", help="generated reports (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    p.add_argument("--keep", metavar="DIR", help="keep the reports, catalog, data folder and Dagster instance in DIR "
                                                 "(new or empty); default: a temporary folder, removed")
    p.add_argument("--sample", type=int, default=200, metavar="K",
                   help="reports timed stage by stage in-process (default 200)")
    p.set_defaults(func=_benchmark)
