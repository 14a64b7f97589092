"""The overrides file: corrections to what a document is, reviewed in git — never to what it prints.

A CSV (columns source_id, field, value, reason) next to the catalog. An override may set a
document's body (`body_id`, e.g. to keep a body's id across a rename), its region or statistics
year (it is then fetched into that partition), its agency or scope, or exclude it. It can never set
a number: a row that tries is refused with its line. Every override applied is recorded in the
`documents` ledger with its reason.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class OverrideField(StrEnum):
    """What an override may set. Numbers are not among them: a source's printed figures are never overridden."""

    BODY_ID = "body_id"
    REGION = "region"
    YEAR = "year"
    AGENCY = "agency"
    SCOPE = "scope"
    EXCLUDE = "exclude"


class OverrideError(ValueError):
    pass


@dataclass(frozen=True)
class Override:
    source_id: str
    field: OverrideField
    value: str
    reason: str
    line: int


def load_overrides(path: Path | None) -> dict[str, list[Override]]:
    """source_id → overrides, from a CSV reviewed in git (columns source_id, field, value, reason).

    A row that tries to set anything else — a number, a cell, a figure — is refused with its line.
    """
    if path is None or not Path(path).exists():
        return {}
    out: dict[str, list[Override]] = {}
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"source_id", "field", "value", "reason"} - set(reader.fieldnames or ())
        if missing:
            raise OverrideError(f"{path}: missing columns {sorted(missing)}")
        for line, row in enumerate(reader, start=2):
            name = (row.get("field") or "").strip()
            try:
                kind = OverrideField(name)
            except ValueError:
                raise OverrideError(
                    f"{path}:{line}: an override may set {', '.join(f.value for f in OverrideField)} — "
                    f"never {name!r} (printed numbers are never overridden)") from None
            value = (row.get("value") or "").strip()
            reason = (row.get("reason") or "").strip()
            if not reason:
                raise OverrideError(f"{path}:{line}: every override needs its reason")
            if kind == OverrideField.YEAR and not value.isdigit():
                raise OverrideError(f"{path}:{line}: year must be a statistics year, got {value!r}")
            if kind == OverrideField.REGION and not re.fullmatch(r"\d{6}", value):
                raise OverrideError(f"{path}:{line}: region must be a GB/T 2260 code, got {value!r}")
            if kind == OverrideField.SCOPE and value not in ("body", "jurisdiction"):
                raise OverrideError(f"{path}:{line}: scope is body or jurisdiction, got {value!r}")
            sid = (row.get("source_id") or "").strip()
            out.setdefault(sid, []).append(Override(sid, kind, value, reason, line))
    return out
