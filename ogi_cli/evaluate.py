"""`ogi accuracy` and `ogi benchmark`: how well and how fast the parser reads."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ogi.evaluate import accuracy, benchmark


def _accuracy(args: argparse.Namespace) -> int:
    corpus = Path(args.corpus_dir)
    if not corpus.is_dir():
        print(f"ogi accuracy: no such directory: {corpus}")
        return 2
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
    print(benchmark.run(Path(args.catalog), args.rounds))
    return 0


def register_benchmark(subparsers) -> None:
    p = subparsers.add_parser("benchmark", help="time read + clean + parse per document of a catalog's local files")
    p.add_argument("--catalog", default="corpus/catalog.csv")
    p.add_argument("--rounds", type=int, default=5)
    p.set_defaults(func=_benchmark)
