"""A partition's fingerprint: everything its published rows depend on, so an unchanged partition is skipped.

Normalising, validating and publishing a partition depend on its parsed reports, the code and
suites of the datasets stage, the suites' parameters, the overrides and catalog hints of its
documents, and the bodies' figures of the year before (continuity). The fingerprint digests all of
them. The parsed reports enter through what determines them — each row's work key (raw sha256 and
the read and parse code versions, ogi/work/stage.py) and its document columns — except the time of
the fetch and its `unchanged` flag: a re-run that finds the same bytes is not a change of the data.
A false "changed" costs a recomputation; a false "unchanged" would need a sha256 collision.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from typing import Any

import pyarrow as pa

from ogi.datasets.continuity import YearFigures
from ogi.overrides import Override


def parsed_digest(batches: Iterable[pa.RecordBatch]) -> tuple[str, list[str]]:
    """Digest of a partition's parsed reports by work key and document columns (not the fetch moment),
    and the source ids it holds."""
    digest = hashlib.sha256()
    source_ids: list[str] = []
    for batch in batches:
        keep = [name for name in batch.schema.names if name in DETERMINING]
        for row in batch.select(keep).to_pylist():
            digest.update(json.dumps(row, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8") + b"\n")
            source_ids.append(row["source_id"])
    digest.update(f"rows={len(source_ids)}".encode())
    return digest.hexdigest(), source_ids


# The columns of a parsed row that, with the work key, determine everything normalisation reads from it
# (not `fetched_at` and `unchanged`: when the bytes were read, and whether they were new then).
DETERMINING = frozenset({
    "work_key", "source_id", "location", "origin_url", "agency_hint", "sha256", "size", "http_status",
    "error_kind", "report_id", "content_type", "encoding", "status", "failed_stage", "message", "parser_version",
})


def partition_fingerprint(*, version: str, parameters: Mapping[str, Any], parsed: str,
                          overrides: Mapping[str, list[Override]], source_ids: Iterable[str],
                          agencies: Iterable[str | None], previous: Mapping[str, YearFigures]) -> str:
    """One digest of what a partition's published rows depend on (see the module docstring)."""
    ids = sorted(set(source_ids))
    payload = {
        "version": version,
        "parameters": dict(sorted(parameters.items())),
        "parsed": parsed,
        "overrides": {sid: [[str(o.field), o.value, o.reason] for o in overrides.get(sid, [])] for sid in ids},
        "agencies": sorted(a or "" for a in agencies),
        "previous": {k: asdict(v) for k, v in sorted(previous.items())},
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()
