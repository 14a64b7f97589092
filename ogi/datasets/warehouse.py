"""Hive-partitioned Parquet: stage files, and the published warehouse with its partition manifests.

Layout below one storage root (a folder or s3://bucket/prefix):

    stages/<dataset>/year=2022/region=150000/data.parquet      stage hand-offs (one file, replaced whole)
    warehouse/<dataset>/year=2022/region=150000/part-<pub>.parquet   published data files (immutable)
    warehouse/_manifests/year=2022/region=150000.json            what is published for the partition

Publishing a partition writes every dataset's new file under a fresh publication id, then replaces
the partition's manifest — one object, written atomically: the commit point — and only then deletes
the previous publication's files. A reader that goes through the manifests (`open_dataset`,
`views_sql`) sees, for every partition, all datasets of exactly one publication, whatever moment a
run is killed at, on a local folder and on object storage alike (which has no atomic rename).
Plain globbing over the folders also works between publications (one file per partition and
dataset); during the instant between the commit and the deletion it would see both files.
`year` and `region` live in the paths; readers must declare their types (region is a string:
`000000` would otherwise become the integer 0).

Two runs publishing one partition at once never interleave (`PublicationLock`): on a local folder
the publisher holds an exclusive `fcntl.flock` on `_locks/year=…/region=….lock` (released by the
kernel when the process dies); on object storage, which pyarrow gives no conditional create, it
writes a lease object `_locks/year=…/region=….lease` with an expiry (LEASE_SECONDS), read back to
check it won; an unexpired lease of another live publisher makes the second run fail. Both
storages then check optimistically: right before the commit, the manifest is read again, and if
another publication committed since this one started, this one deletes its own files and fails
(`PublicationConflict`, naming the partition and the other publication) — never a mixed partition.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field

import pyarrow as pa
import pyarrow.dataset as ds

from ogi.datasets.registry import PUBLISHED, REFERENCE, SCHEMA_VERSION, SUMMARIES, Dataset
from ogi.datasets.storage import Storage, WrittenFile

PARTITION_SCHEMA = pa.schema([("year", pa.int16()), ("region", pa.string())])
STAGE_FILE = "data.parquet"


def hive_partitioning() -> ds.Partitioning:
    return ds.partitioning(PARTITION_SCHEMA, flavor="hive")


@dataclass(frozen=True, order=True)
class Partition:
    """A statistics year × province-level region, or a region alone (year None: discovery)."""

    region: str
    year: int | None = None

    @property
    def hive(self) -> str:
        return f"region={self.region}" if self.year is None else f"year={self.year}/region={self.region}"

    @property
    def label(self) -> str:
        return self.region if self.year is None else f"{self.year}/{self.region}"


# --- stage files -------------------------------------------------------------------------------------

class StageFiles:
    """The hand-off files between assets: one Parquet file per dataset and partition, replaced whole."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def key(self, dataset: str, partition: Partition) -> str:
        return f"{dataset}/{partition.hive}/{STAGE_FILE}"

    def write(self, dataset: Dataset, partition: Partition, batches: Iterable[pa.RecordBatch | pa.Table]) -> WrittenFile:
        """Write a partition's rows (also none: an empty file says the partition was materialised, empty)."""
        return self.storage.write_parquet(self.key(dataset.name, partition), dataset.schema, batches)

    def exists(self, dataset: str, partition: Partition) -> bool:
        return self.storage.exists(self.key(dataset, partition))

    def open(self, dataset: Dataset, partition: Partition) -> ds.Dataset:
        """A lazily read dataset of one partition (an empty one when nothing was written)."""
        key = self.key(dataset.name, partition)
        if not self.storage.exists(key):
            return ds.dataset(dataset.empty())
        return ds.dataset(self.storage.path(key), schema=dataset.schema, format="parquet", filesystem=self.storage.fs)

    def uri(self, dataset: str, partition: Partition) -> str:
        return self.storage.uri(self.key(dataset, partition))


# --- the published warehouse ---------------------------------------------------------------------------

LEASE_SECONDS = 300.0  # an object-storage lease outlives a publication of one partition (a few files) by far


class PublicationConflict(RuntimeError):
    """Another publication of the same partition is under way, or committed while this one ran."""

    def __init__(self, partition: Partition, other: str | None, why: str) -> None:
        self.partition, self.other = partition, other
        super().__init__(f"partition {partition.label}: {why} (other publication {other or 'unknown'}); "
                         "nothing of this publication was committed, the partition is as the other left it")


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _pid_alive(owner: str) -> bool:
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine's publisher: only its lease's expiry says it is gone
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class PublicationLock:
    """One publisher per partition: fcntl.flock on a local folder, a lease object with an expiry on object storage."""

    def __init__(self, warehouse: Warehouse, partition: Partition, publication: str, run_id: str | None,
                 lease_seconds: float = LEASE_SECONDS) -> None:
        self.warehouse, self.partition, self.publication, self.run_id = warehouse, partition, publication, run_id
        self.lease_seconds = lease_seconds
        self.key = f"{Warehouse.LOCKS}/year={partition.year}/region={partition.region}"
        self._fh = None

    def _holder(self) -> dict:
        return {"publication": self.publication, "run_id": self.run_id, "owner": _owner(),
                "acquired_at": time.time(), "expires_at": time.time() + self.lease_seconds}

    def __enter__(self) -> PublicationLock:
        storage = self.warehouse.storage
        if storage.local:
            import fcntl

            path = storage.path(self.key + ".lock")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fh = open(path, "a+")  # noqa: SIM115 - held until __exit__
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                fh.seek(0)
                other = _parse_holder(fh.read())
                fh.close()
                raise PublicationConflict(self.partition, other.get("publication"),
                                          f"another run is publishing it ({other.get('owner', '?')})") from None
            fh.seek(0)
            fh.truncate()
            fh.write(json.dumps(self._holder()))
            fh.flush()
            self._fh = fh
            return self
        key = self.key + ".lease"
        if storage.exists(key):
            other = _parse_holder(storage.read_bytes(key).decode("utf-8", "replace"))
            live = other.get("expires_at", 0) > time.time() and _pid_alive(other.get("owner", ""))
            if live and not (self.run_id and other.get("run_id") == self.run_id):
                raise PublicationConflict(self.partition, other.get("publication"),
                                          f"another run holds its lease until "
                                          f"{dt.datetime.fromtimestamp(other['expires_at'], dt.UTC):%H:%M:%SZ} "
                                          f"({other.get('owner', '?')})")
        storage.write_bytes(key, json.dumps(self._holder()).encode("utf-8"))
        won = _parse_holder(storage.read_bytes(key).decode("utf-8", "replace"))
        if won.get("publication") != self.publication:  # two wrote at once: the last write holds it
            raise PublicationConflict(self.partition, won.get("publication"), "another run took its lease")
        return self

    def __exit__(self, *exc) -> None:
        storage = self.warehouse.storage
        if storage.local:
            if self._fh is not None:
                self._fh.close()  # releases the flock; the file stays (deleting it would race a waiting locker)
                self._fh = None
            return
        key = self.key + ".lease"
        with contextlib.suppress(OSError):
            if _parse_holder(storage.read_bytes(key).decode("utf-8", "replace")).get("publication") == self.publication:
                storage.delete(key)


def _parse_holder(text: str) -> dict:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@dataclass
class PublishedFile:
    path: str  # key below the warehouse root
    rows: int
    bytes: int
    sha256: str


@dataclass
class Manifest:
    """What is published for one partition: one file per dataset (None: no rows), all of one publication."""

    year: int
    region: str
    publication: str
    run_id: str | None
    published_at: str
    schema_version: str = SCHEMA_VERSION
    datasets: dict[str, PublishedFile | None] = field(default_factory=dict)
    source_sha256: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        data["datasets"] = {k: PublishedFile(**v) if v else None for k, v in data.get("datasets", {}).items()}
        return cls(**data)

    def files(self) -> dict[str, PublishedFile]:
        return {k: v for k, v in self.datasets.items() if v is not None}


class Warehouse:
    """The published datasets below `storage` (the `warehouse/` folder of the data root)."""

    MANIFESTS = "_manifests"
    LOCKS = "_locks"

    def __init__(self, storage: Storage, lease_seconds: float = LEASE_SECONDS) -> None:
        self.storage = storage
        self.lease_seconds = lease_seconds  # object storage: how long a publisher's lease holds the partition

    def manifest_key(self, partition: Partition) -> str:
        return f"{self.MANIFESTS}/year={partition.year}/region={partition.region}.json"

    def manifest(self, partition: Partition) -> Manifest | None:
        key = self.manifest_key(partition)
        if not self.storage.exists(key):
            return None
        return Manifest.from_json(self.storage.read_bytes(key).decode("utf-8"))

    def manifests(self) -> list[Manifest]:
        return [Manifest.from_json(self.storage.read_bytes(k).decode("utf-8"))
                for k in self.storage.list(self.MANIFESTS, suffix=".json")]

    def partitions(self) -> list[Partition]:
        return sorted(Partition(m.region, m.year) for m in self.manifests())

    def publish(self, partition: Partition, staged: Mapping[str, tuple[Storage, str]], *, run_id: str | None = None,
                source_sha256: Iterable[str] = (), step: Callable[[str], None] | None = None,
                lock: bool = True) -> Manifest:
        """Publish one partition: every dataset's staged file, then the manifest (the commit), then clean up.

        `staged` maps each published dataset to (storage, key) of its staged Parquet file, copied byte for
        byte (an empty file too: every dataset of a published partition has its file). A dataset missing
        from `staged` has no file in the partition after publication.

        The whole publication holds the partition's PublicationLock (`lock=False` skips it: a writer that
        ignores the lock still meets the optimistic check). Right before the commit the manifest is read
        again: if another publication committed since this one started, this one's files are deleted and
        PublicationConflict is raised. `step`, when given, is called after each step — `copying:<dataset>`
        (first chunk written), `copied:<dataset>`, `committed`, `deleted:<key>` — for tests that kill the
        process at each of them.
        """
        publication = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        guard = (PublicationLock(self, partition, publication, run_id, self.lease_seconds) if lock
                 else contextlib.nullcontext())
        with guard:
            return self._publish(partition, staged, publication, run_id, source_sha256, step or (lambda _: None))

    def _publish(self, partition: Partition, staged: Mapping[str, tuple[Storage, str]], publication: str,
                 run_id: str | None, source_sha256: Iterable[str], step: Callable[[str], None]) -> Manifest:
        previous = self.manifest(partition)
        files: dict[str, PublishedFile | None] = {}
        try:
            for name in PUBLISHED:
                if name not in staged:
                    files[name] = None
                    continue
                src_storage, src_key = staged[name]
                rows = src_storage.parquet_rows(src_key)
                first = [True]

                def chunk(_: int, name: str = name, first: list[bool] = first) -> None:
                    if first[0]:
                        first[0] = False
                        step(f"copying:{name}")

                written, sha256 = self.storage.copy_from(src_storage, src_key,
                                                         f"{name}/{partition.hive}/part-{publication}.parquet",
                                                         on_chunk=chunk)
                files[name] = PublishedFile(written.key, rows, written.bytes, sha256)
                step(f"copied:{name}")
            manifest = Manifest(year=int(partition.year or 0), region=partition.region, publication=publication,
                                run_id=run_id, published_at=f"{dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ}",
                                datasets=files, source_sha256=sorted(set(source_sha256)))
            now = self.manifest(partition)  # optimistic concurrency: nobody committed since we started
            if (now.publication if now else None) != (previous.publication if previous else None):
                raise PublicationConflict(partition, now.publication if now else None,
                                          f"another publication committed while {publication} was being written")
        except BaseException:
            for f in files.values():  # never leave this publication's files behind a failure
                if f is not None:
                    self.storage.delete(f.path)
            raise
        self.storage.write_bytes(self.manifest_key(partition), manifest.to_json().encode("utf-8"))  # the commit
        step("committed")
        self._remove_unreferenced(partition, manifest, step)
        return manifest

    def published_as(self, partition: Partition, staged: Mapping[str, tuple[Storage, str]]) -> Manifest | None:
        """The partition's manifest when its published files hold exactly the staged bytes (same datasets,
        same sha256 each): publishing again would change nothing."""
        manifest = self.manifest(partition)
        if manifest is None or manifest.schema_version != SCHEMA_VERSION:
            return None
        files = manifest.files()
        if set(files) != {name for name in PUBLISHED if name in staged}:
            return None
        for name, published in files.items():
            src_storage, src_key = staged[name]
            if src_storage.sha256(src_key) != published.sha256:
                return None
        return manifest

    def _remove_unreferenced(self, partition: Partition, current: Manifest, step: Callable[[str], None]) -> None:
        """Delete data files of the partition no manifest refers to: the previous publication's, and any
        left by a run killed before its commit (a killed publication's files are never referenced)."""
        now = self.manifest(partition)
        if now is None or now.publication != current.publication:
            return  # another publication committed after ours: its publisher cleans up
        keep = {f.path for f in current.files().values()}
        for name in PUBLISHED:
            for key in self.storage.list(f"{name}/{partition.hive}"):
                # the previous publication's files, a killed run's files and its unfinished temporary files
                if key not in keep and key.endswith((".parquet", ".tmp")):
                    self.storage.delete(key)
                    step(f"deleted:{key}")

    def remove(self, partition: Partition) -> None:
        """Unpublish a partition (its manifest first, so readers never see a manifest without its files)."""
        with PublicationLock(self, partition, f"remove-{uuid.uuid4().hex[:8]}", None):
            self.storage.delete(self.manifest_key(partition))
            for name in PUBLISHED:
                self.storage.delete_prefix(f"{name}/{partition.hive}")

    # --- reference tables (one file each, not partitioned) -------------------------------------------------

    def reference_key(self, name: str) -> str:
        return f"{name}/data.parquet"

    def write_reference(self, name: str, table: pa.Table) -> WrittenFile:
        """Replace a reference table (dictionary, regions) with one atomic object write."""
        return self.storage.write_parquet(self.reference_key(name), REFERENCE[name].schema, [table])

    # --- yearly summaries ---------------------------------------------------------------------------------

    def write_summary(self, name: str, year: int, table: pa.Table, chart: bytes | None = None) -> tuple[WrittenFile, str | None]:
        """A year's summary table (and its chart), each replaced with one atomic object write."""
        written = self.storage.write_parquet(f"{name}/year={year}/data.parquet", SUMMARIES[name].schema, [table])
        chart_key = None
        if chart is not None:
            chart_key = f"{name}/year={year}/chart.png"
            self.storage.write_bytes(chart_key, chart)
        return written, chart_key

    # --- reading -----------------------------------------------------------------------------------------

    def read_partitions(self, name: str, partitions: list[Partition]) -> pa.Table:
        """A published dataset's rows for some partitions, as their manifests list them (absent ones skipped)."""
        tables = []
        for partition in partitions:
            manifest = self.manifest(partition)
            published = manifest.datasets.get(name) if manifest else None
            if published is not None:
                tables.append(ds.dataset(self.storage.path(published.path), format="parquet",
                                         filesystem=self.storage.fs).to_table())
        return pa.concat_tables([PUBLISHED[name].empty(), *tables]) if tables else PUBLISHED[name].empty()

    def files(self, name: str) -> list[str]:
        """Filesystem paths of a dataset's published files, as the manifests list them."""
        return [self.storage.path(f.path) for m in self.manifests() if (f := m.datasets.get(name)) is not None]

    def open_dataset(self, name: str) -> ds.Dataset:
        """A dataset of every published partition (year int16, region string), or a reference table."""
        if name in REFERENCE:
            key = self.reference_key(name)
            if not self.storage.exists(key):
                return ds.dataset(REFERENCE[name].empty())
            return ds.dataset(self.storage.path(key), format="parquet", filesystem=self.storage.fs)
        schema = PUBLISHED[name].schema
        paths = self.files(name)
        if not paths:
            return ds.dataset(pa.Table.from_batches([], schema=pa.unify_schemas([schema, PARTITION_SCHEMA])))
        return ds.dataset(paths, schema=pa.unify_schemas([schema, PARTITION_SCHEMA]), format="parquet",
                          filesystem=self.storage.fs, partitioning=hive_partitioning(),
                          partition_base_dir=self.storage.path(name))

    def read(self, name: str) -> pa.Table:
        return self.open_dataset(name).to_table()

    def views_sql(self) -> str:
        """DuckDB views over exactly the published files (a consistent state of every partition)."""
        out = ["-- generated by ogi from the warehouse manifests; re-generate after each publication"]
        for name in REFERENCE:
            if self.storage.exists(self.reference_key(name)):
                path = self.storage.path(self.reference_key(name)).replace("'", "''")
                out.append(f"create or replace view {name} as select * from read_parquet('{path}');")
        for name in PUBLISHED:
            # URIs (s3://… on object storage) so DuckDB finds them with its S3 support or a registered filesystem
            paths = [self.storage.uri(f.path) for m in self.manifests() if (f := m.datasets.get(name)) is not None]
            if paths:
                listed = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
                source = (f"read_parquet([{listed}], hive_partitioning = true, "
                          "hive_types = {'year': 'SMALLINT', 'region': 'VARCHAR'}, union_by_name = true)")
            else:
                columns = ", ".join(f"cast(null as VARCHAR) as \"{f}\"" for f in PUBLISHED[name].names)
                source = f"(select {columns}, cast(null as SMALLINT) as year, cast(null as VARCHAR) as region limit 0)"
            out.append(f"create or replace view {name} as select * from {source};")
        return "\n".join(out) + "\n"
