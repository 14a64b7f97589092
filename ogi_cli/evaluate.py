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
    scores = accuracy.evaluate(corpus)
    if args.cases or args.misses:
        print(accuracy.case_table(scores, args.misses))
        print()
    print(accuracy.accuracy_table(scores))
    return 0


def register_accuracy(subparsers: Any) -> None:
    """Add `ogi accuracy [CORPUS_DIR]` to the console script."""
    p = subparsers.add_parser("accuracy", help="parse the labelled corpus and print figures correct per rendering")
    p.add_argument("corpus_dir", nargs="?", default="tests/corpus", help="labelled corpus (default: tests/corpus)")
    p.add_argument("--cases", action="store_true", help="also print one line per case")
    p.add_argument("--misses", type=int, default=0, metavar="N", help="with each case, its first N problems")
    p.set_defaults(func=_accuracy)


def _benchmark(args: argparse.Namespace) -> int:
    if not Path(args.catalog).is_file():
        raise usage(f"no catalog at {args.catalog}")
    print(benchmark.run(Path(args.catalog), args.rounds))
    return 0


def register_benchmark(subparsers) -> None:
    p = subparsers.add_parser("benchmark", help="time read + clean + parse per document of a catalog's local files")
    p.add_argument("--catalog", default="corpus/catalog.csv")
    p.add_argument("--rounds", type=int, default=5)
    p.set_defaults(func=_benchmark)
