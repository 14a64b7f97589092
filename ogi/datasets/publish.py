"""Write-audit-publish for one partition: stage every dataset, let the caller audit, then swap in.

Staged files sit in the same file system as the warehouse, so publishing is a rename per dataset
file: readers see the old partition or the new one. Until `publish` is called, the published
partition is untouched; a failed audit leaves it exactly as it was.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from ogi.datasets import warehouse


@dataclass
class StagedPartition:
    year: int
    region: str
    folder: Path
    files: dict[str, Path | None]  # None: the dataset has no rows in this partition

    def publish(self, warehouse_root: Path) -> list[str]:
        """Swap the staged files in; a dataset with no rows removes its published partition."""
        published = []
        for dataset, path in self.files.items():
            if path is None:
                warehouse.remove_partition(warehouse_root, dataset, self.year, self.region)
            else:
                warehouse.publish_file(path, warehouse_root, dataset, self.year, self.region)
                published.append(dataset)
        self.discard()
        return published

    def discard(self) -> None:
        warehouse.clear_staging(self.folder)


def stage(tables: dict[str, pa.Table], staging_root: Path, year: int, region: str) -> StagedPartition:
    folder = Path(staging_root) / f"{year}-{region}-{uuid.uuid4().hex[:12]}"
    files: dict[str, Path | None] = {}
    for dataset, table in tables.items():
        if table.num_rows == 0:
            files[dataset] = None
        else:
            files[dataset] = warehouse.write_partition(folder, dataset, year, region, table)
    return StagedPartition(year=year, region=region, folder=folder, files=files)
