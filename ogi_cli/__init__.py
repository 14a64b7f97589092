"""The `ogi` console script: one verb module each; the domain package (ogi/) knows nothing of it.

Every verb fails the same way (ogi_cli/errors.py): exit 0 ok, 1 the document or run had errors,
2 bad usage; a one-line message on stderr, and for the machine verbs a JSON object on stdout; no
traceback for a user's mistake (OGI_DEBUG=1 shows one for a bug); a closed pipe (`ogi parse … |
head`) ends the command quietly.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import NoReturn

from ogi_cli.errors import CliError, ExitCode, emit_json, report, say, usage
from ogi_cli.evaluate import register_accuracy, register_benchmark
from ogi_cli.fetch import register as register_fetch
from ogi_cli.materialize import register as register_materialize
from ogi_cli.parse import register as register_parse
from ogi_cli.release import register as register_release

VERBS = ("parse", "fetch", "discover", "accuracy", "benchmark", "materialize", "backfill", "release")


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is a CliError (one format, exit 2) instead of a printout and exit."""

    def error(self, message: str) -> NoReturn:
        raise usage(f"{message} (see `{self.prog} --help`)")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="ogi", description="Government information disclosure annual reports → data.",
                    epilog="exit codes: 0 ok, 1 the document or run had errors, 2 bad usage")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    register_parse(sub)
    register_fetch(sub)
    register_accuracy(sub)
    register_benchmark(sub)
    register_materialize(sub)
    register_release(sub)
    return parser


def _verb(argv: list[str]) -> str:
    return next((a for a in argv if a in VERBS), "")


def _quiet_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    verb = _verb(argv)
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args) or 0)
    except CliError as exc:
        return report(verb, exc)
    except BrokenPipeError:
        _quiet_stdout()
        return int(ExitCode.OK)
    except KeyboardInterrupt:
        say(verb, "interrupted")
        return 130
    except Exception as exc:  # a bug: one line (and the JSON for machine verbs) unless debugging
        if os.environ.get("OGI_DEBUG"):
            raise
        message = f"internal error: {type(exc).__name__}: {exc} (OGI_DEBUG=1 shows the traceback)"
        if verb in ("parse", "fetch", "discover"):
            emit_json({"error": message, "error_kind": "internal"})
        say(verb or "ogi", message)
        return int(ExitCode.ERRORS)


if __name__ == "__main__":
    raise SystemExit(main())
