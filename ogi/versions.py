"""Code versions that follow the code: a digest of the source files behind each stage.

A stage's version changes whenever a file it runs changes, so Dagster shows exactly the partitions
a code change makes stale, and cached results keyed by (raw sha256, version) are never reused
across a change. The human-readable PARSER_VERSION (ogi/__init__.py) is part of the parse digest.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from ogi import DATASETS_VERSION, FETCH_VERSION, PARSER_VERSION, READER_VERSION

_ROOT = Path(__file__).resolve().parent
_SHARED = ("model.py", "text", "reference")
_STAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "fetch": (FETCH_VERSION, ("fetch", "text/encoding.py")),
    "read": (READER_VERSION, ("read", *_SHARED)),
    "parse": (PARSER_VERSION, ("parse", *_SHARED)),
    "datasets": (DATASETS_VERSION, ("datasets", *_SHARED)),
}


def _files(parts: tuple[str, ...]) -> list[Path]:
    out: set[Path] = set()
    for part in parts:
        path = _ROOT / part
        out.update(path.rglob("*.py") if path.is_dir() else [path])
    return sorted(out)


@cache
def code_version(stage: str) -> str:
    """`<declared version>+<12 hex digits of the stage's sources>`."""
    declared, parts = _STAGES[stage]
    digest = hashlib.sha256()
    for path in _files(parts):
        digest.update(str(path.relative_to(_ROOT)).encode())
        digest.update(path.read_bytes())
    return f"{declared}+{digest.hexdigest()[:12]}"
