"""Where files live: a local folder or object storage (s3://bucket/prefix), behind one small interface.

Everything the pipeline writes (stage files, staged and published datasets, manifests) goes through
`Storage`, so the same code runs on a laptop folder and on a team's bucket. Writes are atomic per
object: on a local folder a temporary file in the same directory is renamed into place; on object
storage an object becomes visible only when its upload completes. Nothing here assumes a rename
is atomic across objects (object storage has none): consistency across files is the manifests' job
(ogi/datasets/warehouse.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import posixpath
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.fs as pafs
import pyarrow.parquet as pq

PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 3, "write_statistics": True}
ROW_GROUP_ROWS = 128 * 1024
# Scanning a dataset batch by batch: pyarrow reads up to 16 batches and 4 files ahead by default (hundreds of
# MB of row groups of 128k rows, or of parsed reports); one ahead keeps memory to a batch or two.
BOUNDED_SCAN = {"batch_readahead": 1, "fragment_readahead": 1}


def scan_batches(source: pads.Dataset, **options) -> Iterator[pa.RecordBatch]:
    """A dataset's batches with BOUNDED_SCAN, handing Arrow's freed memory back after each one.

    The scanner decodes on Arrow's threads and the batches are freed on this one; mimalloc (pyarrow's
    default pool) keeps such pages until asked, so without this a scan of a partition's parsed
    reports held ~30 KiB per report however little of it was alive (5,000 reports: 150 MiB; 20,000: 550 MiB).
    """
    pool = pa.default_memory_pool()
    for batch in source.to_batches(**BOUNDED_SCAN, **options):
        yield batch
        del batch
        pool.release_unused()


@dataclass(frozen=True)
class WrittenFile:
    """A file as written: its key below the storage root, rows and bytes."""

    key: str
    rows: int
    bytes: int


@dataclass
class ParquetSink:
    """A Parquet file being written: `write` tables of its schema; `rows` so far."""

    key: str
    schema: pa.Schema
    writer: pq.ParquetWriter
    rows: int = 0
    bytes: int = 0

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            self.writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
            self.rows += table.num_rows

    def written(self) -> WrittenFile:
        return WrittenFile(self.key, self.rows, self.bytes)


def _is_uri(root: str) -> bool:
    return "://" in root and not root.startswith("file://")


class Storage:
    """A root (local folder or s3://bucket/prefix) and atomic writes of whole objects below it."""

    def __init__(self, root: str | Path, filesystem: pafs.FileSystem | None = None) -> None:
        root = str(root)
        if filesystem is not None:
            self.fs, self.base = filesystem, root.split("://", 1)[-1].rstrip("/")
        elif _is_uri(root):
            self.fs, self.base = pafs.FileSystem.from_uri(root)
            self.base = self.base.rstrip("/")
        else:
            self.fs, self.base = pafs.LocalFileSystem(), str(Path(root.removeprefix("file://")).absolute())
        self.root = root
        self.local = isinstance(self.fs, pafs.LocalFileSystem)

    def __repr__(self) -> str:
        return f"Storage({self.root!r})"

    def path(self, key: str) -> str:
        """The filesystem path of a key (what pyarrow and DuckDB are handed)."""
        return posixpath.join(self.base, key) if key else self.base

    def uri(self, key: str) -> str:
        """A location a user can paste: a local path, or s3://bucket/key."""
        if self.local:
            return self.path(key)
        return f"{self.fs.type_name}://{self.path(key)}"

    def child(self, key: str) -> Storage:
        return Storage(self.uri(key) if not self.local else self.path(key), None if self.local else self.fs)

    # --- reading ------------------------------------------------------------------------------------

    def exists(self, key: str) -> bool:
        return self.fs.get_file_info(self.path(key)).type != pafs.FileType.NotFound

    def read_bytes(self, key: str) -> bytes:
        with self.fs.open_input_stream(self.path(key)) as fh:
            return fh.read()

    def list(self, prefix: str, *, suffix: str = "") -> list[str]:
        """Keys of the files below a prefix (recursively), sorted; [] when the prefix does not exist."""
        selector = pafs.FileSelector(self.path(prefix), recursive=True, allow_not_found=True)
        base = self.base.rstrip("/") + "/"
        out = []
        for info in self.fs.get_file_info(selector):
            if info.type == pafs.FileType.File and info.path.endswith(suffix):
                out.append(info.path[len(base):] if info.path.startswith(base) else info.path)
        return sorted(out)

    def size(self, key: str) -> int:
        return self.fs.get_file_info(self.path(key)).size or 0

    # --- writing ------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _atomic_output(self, key: str) -> Iterator[pa.NativeFile]:
        """An output stream whose object appears whole, or not at all, under `key`."""
        target = self.path(key)
        self.fs.create_dir(posixpath.dirname(target), recursive=True)
        if not self.local:
            with self.fs.open_output_stream(target) as out:  # visible once the upload completes
                yield out
            return
        tmp = posixpath.join(posixpath.dirname(target), f".{posixpath.basename(target)}.{uuid.uuid4().hex}.tmp")
        try:
            with self.fs.open_output_stream(tmp) as out:
                yield out
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def write_bytes(self, key: str, data: bytes) -> WrittenFile:
        with self._atomic_output(key) as out:
            out.write(data)
        return WrittenFile(key, 0, len(data))

    def write_parquet(self, key: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch | pa.Table]) -> WrittenFile:
        """Stream batches into one Parquet file (zstd, row groups of ROW_GROUP_ROWS); memory is one batch."""
        rows = 0
        with self._atomic_output(key) as out, pq.ParquetWriter(out, schema, **PARQUET_OPTIONS) as writer:
            for batch in batches:
                if batch.num_rows == 0:
                    continue
                table = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch], schema)
                writer.write_table(table.cast(schema) if table.schema != schema else table,
                                   row_group_size=ROW_GROUP_ROWS)
                rows += table.num_rows
        return WrittenFile(key, rows, self.size(key))

    @contextlib.contextmanager
    def parquet_sink(self, key: str, schema: pa.Schema) -> Iterator[ParquetSink]:
        """An open Parquet file to write tables into one at a time (several can be open at once);
        the file appears, atomically, when the block ends without an error."""
        with self._atomic_output(key) as out, pq.ParquetWriter(out, schema, **PARQUET_OPTIONS) as writer:
            sink = ParquetSink(key, schema, writer)
            yield sink
        sink.bytes = self.size(key)

    def copy_from(self, source: Storage, source_key: str, key: str,
                  on_chunk: Callable[[int], None] | None = None) -> tuple[WrittenFile, str]:
        """A byte-exact, streamed copy of an object of `source` (possibly another storage), written atomically;
        returns the file written and the sha256 of its bytes. `on_chunk(bytes so far)` after each chunk."""
        digest = hashlib.sha256()
        size = 0
        with source.fs.open_input_stream(source.path(source_key)) as src, self._atomic_output(key) as out:
            while chunk := src.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
                if on_chunk is not None:
                    on_chunk(size)
        return WrittenFile(key, 0, size), digest.hexdigest()

    def sha256(self, key: str) -> str:
        """sha256 of an object's bytes, streamed."""
        digest = hashlib.sha256()
        with self.fs.open_input_stream(self.path(key)) as src:
            while chunk := src.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest()

    def parquet_rows(self, key: str) -> int:
        with self.fs.open_input_file(self.path(key)) as fh:
            return pq.ParquetFile(fh).metadata.num_rows

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError, OSError):
            self.fs.delete_file(self.path(key))

    def delete_prefix(self, prefix: str) -> None:
        with contextlib.suppress(FileNotFoundError, OSError):
            self.fs.delete_dir(self.path(prefix))
