"""The `ogi` console script: one verb module each; the domain package (ogi/) knows nothing of it."""

from __future__ import annotations

import argparse

from ogi_cli.evaluate import register_accuracy, register_benchmark
from ogi_cli.fetch import register as register_fetch
from ogi_cli.materialize import register as register_materialize
from ogi_cli.parse import register as register_parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ogi", description="Government information disclosure annual reports → data.")
    sub = parser.add_subparsers(dest="command", required=True)

    register_parse(sub)
    register_fetch(sub)
    register_accuracy(sub)
    register_benchmark(sub)
    register_materialize(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
