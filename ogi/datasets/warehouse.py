"""Hive-partitioned Parquet: `<root>/<dataset>/year=2022/region=150000/data.parquet`.

One file per dataset partition, replaced with an atomic rename, so a reader sees the old
partition or the new one, never half of either; re-running writes the same bytes again
(idempotent). `year` and `region` live only in the path; readers must declare their types
(region is a string: `000000` would otherwise become the integer 0).
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

FILE_NAME = "data.parquet"
PARTITION_SCHEMA = pa.schema([("year", pa.int16()), ("region", pa.string())])


def hive_partitioning() -> ds.Partitioning:
    return ds.partitioning(PARTITION_SCHEMA, flavor="hive")


def partition_path(root: Path, dataset: str, year: int, region: str) -> Path:
    return Path(root) / dataset / f"year={int(year)}" / f"region={region}" / FILE_NAME


def region_path(root: Path, dataset: str, region: str) -> Path:
    """Datasets partitioned by region alone (discovery: one listing serves every year)."""
    return Path(root) / dataset / f"region={region}" / FILE_NAME


def write_table(path: Path, table: pa.Table) -> None:
    """Write a Parquet file atomically (temp file in the same folder, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_partition(root: Path, dataset: str, year: int, region: str, table: pa.Table) -> Path:
    path = partition_path(root, dataset, year, region)
    write_table(path, table)
    return path


def remove_partition(root: Path, dataset: str, year: int, region: str) -> None:
    """A partition that no longer has rows disappears (its folder too)."""
    path = partition_path(root, dataset, year, region)
    if path.exists():
        path.unlink()
    for folder in (path.parent, path.parent.parent):
        try:
            folder.rmdir()
        except OSError:
            break


def publish_file(staged: Path, root: Path, dataset: str, year: int, region: str) -> Path:
    """Swap a staged, checked file into the published tree with one atomic rename."""
    target = partition_path(root, dataset, year, region)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, target)
    return target


def read_partition(root: Path, dataset: str, year: int, region: str) -> pa.Table | None:
    path = partition_path(root, dataset, year, region)
    return pq.read_table(path) if path.exists() else None


def read_dataset(root: Path, dataset: str) -> pa.Table:
    """All partitions of a dataset, with `year` (int16) and `region` (string) from the paths."""
    return ds.dataset(Path(root) / dataset, format="parquet", partitioning=hive_partitioning(),
                      exclude_invalid_files=True).to_table()


def clear_staging(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
