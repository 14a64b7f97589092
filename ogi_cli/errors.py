"""One way for every verb to fail: exit codes, the error format, and no traceback for a user's mistake.

Exit codes (README "Command line"):
    0  ok
    1  the document or the run had errors (a fetch failed, nothing could be read, a partition held back)
    2  bad usage (unknown option, invalid --region/--year, a missing catalog or file, a directory)

Machine verbs (parse, fetch, discover) print a JSON object on stdout for every error — the same keys
as a failed fetch record: `error`, `error_kind`, and what it was about — so a script reading their
stdout always gets JSON; every verb also prints one line, `ogi <verb>: <message>`, on stderr.
"""

from __future__ import annotations

import json
import sys
from enum import IntEnum
from typing import Any

MACHINE_VERBS = frozenset({"parse", "fetch", "discover"})


class ExitCode(IntEnum):
    OK = 0
    ERRORS = 1
    USAGE = 2


class CliError(Exception):
    """A failure to report to the user (never with a traceback): message, kind, exit code, context fields."""

    def __init__(self, message: str, *, kind: str = "usage", code: ExitCode = ExitCode.USAGE, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.code = code
        self.fields = fields


def usage(message: str, kind: str = "usage", **fields: Any) -> CliError:
    return CliError(message, kind=kind, code=ExitCode.USAGE, **fields)


def failed(message: str, kind: str, **fields: Any) -> CliError:
    return CliError(message, kind=kind, code=ExitCode.ERRORS, **fields)


def say(verb: str, message: str) -> None:
    """The one-line message on stderr."""
    line = " ".join(str(message).split())
    sys.stderr.write(f"ogi {verb}: {line}\n")
    sys.stderr.flush()


def emit_json(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def report(verb: str, error: CliError) -> int:
    """Print an error in the verb's format; the exit code to return."""
    if verb in MACHINE_VERBS:
        emit_json({"error": error.message, "error_kind": error.kind, **error.fields})
    say(verb, error.message)
    return int(error.code)


def region_choices() -> str:
    """The valid region codes, for messages: `000000 (central bodies) or a province-level code 110000–820000`."""
    from ogi.reference.regions import province_codes

    codes = sorted(province_codes())
    return f"000000 (central bodies) or one of the {len(codes)} province-level codes {codes[0]}–{codes[-1]}"


def check_region(region: str | None, option: str = "--region") -> str | None:
    from ogi.reference.regions import NATIONAL, province_codes

    if region is None or region == NATIONAL or region in province_codes():
        return region
    raise usage(f"{option} {region!r} is not a province-level GB/T 2260 code: use {region_choices()}",
                kind="invalid_region", region=region)


def year_range() -> tuple[int, int]:
    """Statistics years that can have reports: 2008 (the Regulations) to last year."""
    import datetime as dt

    from ogi.datasets.registry import FIRST_YEAR

    return FIRST_YEAR, dt.date.today().year - 1


def check_year(year: int, option: str = "--year") -> int:
    first, last = year_range()
    if not first <= year <= last:
        raise usage(f"{option} {year} is outside the statistics years {first}–{last}", kind="invalid_year", year=year)
    return year
