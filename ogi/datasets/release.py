"""Releases: dated, versioned snapshots of the published datasets, with a manifest and a diff.

`make_release` copies every file the warehouse manifests list (a consistent state of every
partition) byte for byte below `releases/<version>/`, then writes `manifest.json` (version, date,
schema and parser versions, per dataset its rows and files with sha256 and row counts, per
partition its publication) and `diff.json` / `diff.md` against the previous release: per dataset and
partition, rows added, removed and changed, by the registry's primary key, with examples of what
changed. The manifest is written last: a release without one is incomplete and ignored.

A warehouse written by an older layout (one `data.parquet` per dataset and partition, no
`_manifests/`) is refused with what to do: such files cannot be read consistently.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ogi.datasets.registry import PUBLISHED, SCHEMA_VERSION
from ogi.datasets.storage import Storage
from ogi.datasets.warehouse import Manifest, Partition, Warehouse

RELEASE_MANIFEST = "manifest.json"
# Columns that change whenever a document is fetched again, not when the data changes.
VOLATILE = frozenset({"fetched_at", "unchanged"})
MAX_EXAMPLES = 20


class ReleaseError(Exception):
    """A release cannot be made (an older warehouse layout, nothing published, a version taken)."""


def legacy_layout(warehouse: Warehouse) -> list[str]:
    """Files of an older layout (`<dataset>/year=…/region=…/data.parquet`, no `_manifests/`), if any."""
    old = []
    for name in PUBLISHED:
        old.extend(k for k in warehouse.storage.list(name, suffix=".parquet") if k.endswith("/data.parquet"))
    return old


def check_layout(warehouse: Warehouse) -> None:
    old = legacy_layout(warehouse)
    if old:
        root = warehouse.storage.uri("")
        raise ReleaseError(
            f"the warehouse at {root} was written by an older layout ({len(old)} data.parquet file(s)"
            f"{'' if warehouse.manifests() else ', no _manifests/'}; e.g. {old[0]}): it cannot be read consistently. "
            f"Move it away (e.g. mv {root} {root.rstrip('/')}.old) and run `ogi materialize` to rebuild it "
            "from the raw store in the current layout.")


@dataclass
class ReleasedFile:
    dataset: str
    year: int
    region: str
    path: str  # below the release folder
    rows: int
    bytes: int
    sha256: str


@dataclass
class PartitionDiff:
    dataset: str
    partition: str  # year/region
    added: int = 0
    removed: int = 0
    changed: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)  # {change, key, column, before, after}


@dataclass
class ReleaseManifest:
    version: str
    created_at: str
    schema_version: str
    parser_version: str
    previous: str | None
    source: str  # the warehouse it was made from
    files: list[ReleasedFile] = field(default_factory=list)
    partitions: dict[str, str] = field(default_factory=dict)  # year/region → publication id
    rows: dict[str, int] = field(default_factory=dict)  # dataset → rows

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ReleaseManifest:
        data = json.loads(text)
        data["files"] = [ReleasedFile(**f) for f in data.get("files", [])]
        return cls(**data)


@dataclass
class Release:
    manifest: ReleaseManifest
    location: str
    diff: list[PartitionDiff]


def releases(storage: Storage) -> list[ReleaseManifest]:
    """The complete releases below `storage` (those with a manifest), oldest first."""
    import pyarrow.fs as pafs

    found = []
    selector = pafs.FileSelector(storage.path(""), recursive=False, allow_not_found=True)
    for info in storage.fs.get_file_info(selector):
        key = f"{info.base_name}/{RELEASE_MANIFEST}"
        if info.type == pafs.FileType.Directory and storage.exists(key):
            found.append(ReleaseManifest.from_json(storage.read_bytes(key).decode("utf-8")))
    return sorted(found, key=lambda m: (m.created_at, m.version))


def next_version(existing: Iterable[str], today: dt.date) -> str:
    """`v2026.12.01`, then `v2026.12.01.2`, … for a second release the same day."""
    base = f"v{today:%Y.%m.%d}"
    taken = set(existing)
    if base not in taken:
        return base
    n = 2
    while f"{base}.{n}" in taken:
        n += 1
    return f"{base}.{n}"


def _key_rows(table: pa.Table, key: tuple[str, ...]) -> dict[tuple, dict[str, Any]]:
    return {tuple(r[k] for k in key): r for r in table.to_pylist()}


def diff_tables(dataset: str, partition: str, before: pa.Table | None, after: pa.Table | None) -> PartitionDiff:
    """Rows added, removed and changed between two versions of one dataset's partition, by primary key."""
    key = PUBLISHED[dataset].primary_key
    old = _key_rows(before, key) if before is not None else {}
    new = _key_rows(after, key) if after is not None else {}
    out = PartitionDiff(dataset, partition)
    for k in sorted(new.keys() - old.keys(), key=str):
        out.added += 1
        if len(out.examples) < MAX_EXAMPLES:
            out.examples.append({"change": "added", "key": list(k)})
    for k in sorted(old.keys() - new.keys(), key=str):
        out.removed += 1
        if len(out.examples) < MAX_EXAMPLES:
            out.examples.append({"change": "removed", "key": list(k)})
    for k in sorted(old.keys() & new.keys(), key=str):
        columns = [c for c in new[k] if c not in key and c not in VOLATILE and new[k][c] != old[k].get(c)]
        if columns:
            out.changed += 1
            for c in columns:
                if len(out.examples) < MAX_EXAMPLES:
                    out.examples.append({"change": "changed", "key": list(k), "column": c,
                                         "before": old[k].get(c), "after": new[k][c]})
    return out


def _read(storage: Storage, path: str, dataset: str) -> pa.Table:
    with storage.fs.open_input_file(storage.path(path)) as fh:
        return pq.read_table(fh, schema=PUBLISHED[dataset].schema)


def make_release(warehouse: Warehouse, target: Storage, *, version: str | None = None,
                 today: dt.date | None = None) -> Release:
    """Snapshot every published partition into `target/<version>/` with its manifest and diff."""
    from ogi import PARSER_VERSION

    check_layout(warehouse)
    manifests: list[Manifest] = warehouse.manifests()
    if not manifests:
        raise ReleaseError(f"nothing is published in {warehouse.storage.uri('')}: run `ogi materialize` first")
    history = releases(target)
    version = version or next_version((m.version for m in history), today or dt.date.today())
    if target.exists(f"{version}/{RELEASE_MANIFEST}"):
        raise ReleaseError(f"release {version} exists already in {target.uri('')}")
    previous = history[-1] if history else None
    release = ReleaseManifest(version=version, created_at=f"{dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ}",
                              schema_version=SCHEMA_VERSION, parser_version=PARSER_VERSION,
                              previous=previous.version if previous else None, source=warehouse.storage.uri(""))
    folder = target.child(version)
    for m in sorted(manifests, key=lambda m: (m.year, m.region)):
        label = Partition(m.region, m.year).label
        release.partitions[label] = m.publication
        for name, published in sorted(m.files().items()):
            written, sha256 = folder.copy_from(warehouse.storage, published.path, published.path)
            if sha256 != published.sha256:
                raise ReleaseError(f"{published.path} changed while it was copied (sha256 {sha256} ≠ manifest "
                                   f"{published.sha256}): a publication ran meanwhile; make the release again")
            release.files.append(ReleasedFile(name, m.year, m.region, published.path, published.rows, written.bytes,
                                              sha256))
            release.rows[name] = release.rows.get(name, 0) + published.rows
    diff = _diff(previous, release, target, folder)
    folder.write_bytes("diff.json", json.dumps([asdict(d) for d in diff], ensure_ascii=False, indent=1,
                                               default=str).encode("utf-8"))
    folder.write_bytes("diff.md", diff_markdown(release, diff).encode("utf-8"))
    folder.write_bytes(RELEASE_MANIFEST, release.to_json().encode("utf-8"))  # last: the release is complete
    return Release(release, folder.uri(""), diff)


def _diff(previous: ReleaseManifest | None, current: ReleaseManifest, target: Storage, folder: Storage
          ) -> list[PartitionDiff]:
    def index(m: ReleaseManifest | None) -> dict[tuple[str, str], ReleasedFile]:
        return {(f.dataset, Partition(f.region, f.year).label): f for f in (m.files if m else [])}

    old, new = index(previous), index(current)
    old_folder = target.child(previous.version) if previous else None
    out = []
    for dataset, label in sorted(old.keys() | new.keys()):
        before, after = old.get((dataset, label)), new.get((dataset, label))
        if before is not None and after is not None and before.sha256 == after.sha256:
            continue
        d = diff_tables(dataset, label, _read(old_folder, before.path, dataset) if before else None,
                        _read(folder, after.path, dataset) if after else None)
        if d.added or d.removed or d.changed:
            out.append(d)
    return out


def diff_markdown(release: ReleaseManifest, diff: list[PartitionDiff]) -> str:
    lines = [f"# Release {release.version}", "",
             f"Made {release.created_at} from {release.source}; schema {release.schema_version}, "
             f"parser {release.parser_version}; previous release: {release.previous or 'none'}.", "",
             "| dataset | rows |", "|---|---|", *(f"| {k} | {v} |" for k, v in sorted(release.rows.items())), "",
             f"## Changes since {release.previous or 'nothing (first release)'}", ""]
    if not diff:
        lines.append("No row added, removed or changed.")
    else:
        lines += ["| dataset | partition | added | removed | changed |", "|---|---|---|---|---|"]
        lines += [f"| {d.dataset} | {d.partition} | {d.added} | {d.removed} | {d.changed} |" for d in diff]
        lines.append("")
        for d in diff:
            for e in d.examples:
                if e["change"] == "changed":
                    lines.append(f"- {d.dataset} {d.partition} {tuple(e['key'])}: {e['column']} "
                                 f"{e['before']!r} → {e['after']!r}")
    return "\n".join(lines) + "\n"
