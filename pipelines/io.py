"""IO manager for the intermediate stages: Hive-partitioned Parquet, one file per partition.

Dagster's UPathIOManager writes `<dim1>/<dim2>.parquet`; ours writes `year=…/region=…/` like the
published datasets, accepts a whole range of partitions in one call (single-run backfills), and
writes each file atomically so a crashed run never leaves half a partition.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from dagster import ConfigurableIOManager, InputContext, OutputContext

from ogi.datasets import warehouse
from pipelines.partitions import REGION_PARTITIONS, split_key


def _region_only(context: InputContext | OutputContext) -> bool:
    """Discovery is partitioned by region alone: a listing serves every year."""
    return context.asset_partitions_def == REGION_PARTITIONS


class StageParquetIOManager(ConfigurableIOManager):
    root: str

    def _dataset(self, context: InputContext | OutputContext) -> str:
        return "/".join(context.asset_key.path)

    def handle_output(self, context: OutputContext, obj: pd.DataFrame) -> None:
        dataset = self._dataset(context)
        rows = 0
        if _region_only(context):
            for region in context.asset_partition_keys:
                part = obj[obj["region"] == region].drop(columns=["region"])
                warehouse.write_table(warehouse.region_path(Path(self.root), dataset, region),
                                      pa.Table.from_pandas(part, preserve_index=False))
                rows += len(part)
            context.add_output_metadata({"rows": rows, "partitions": len(context.asset_partition_keys)})
            return
        for key in context.asset_partition_keys:
            year, region = split_key(key)
            part = obj[(obj["year"] == year) & (obj["region"] == region)].drop(columns=["year", "region"])
            table = pa.Table.from_pandas(part, preserve_index=False)
            warehouse.write_partition(Path(self.root), dataset, year, region, table)
            rows += len(part)
        context.add_output_metadata({"rows": rows, "partitions": len(context.asset_partition_keys),
                                     "path": str(Path(self.root) / dataset)})

    def load_input(self, context: InputContext) -> pd.DataFrame:
        dataset = self._dataset(context)
        frames = []
        if _region_only(context):
            for region in context.asset_partition_keys:
                path = warehouse.region_path(Path(self.root), dataset, region)
                if path.exists():
                    frame = pq.read_table(path).to_pandas()
                    frame["region"] = region
                    frames.append(frame)
            return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"region": pd.Series(dtype="str")})
        for key in context.asset_partition_keys:
            year, region = split_key(key)
            table = warehouse.read_partition(Path(self.root), dataset, year, region)
            if table is None:
                continue
            frame = table.to_pandas()
            frame["year"] = year
            frame["region"] = region
            frames.append(frame)
        if not frames:
            return pd.DataFrame({"year": pd.Series(dtype="int64"), "region": pd.Series(dtype="str")})
        return pd.concat(frames, ignore_index=True)


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts with None for missing values (pandas hands back NaN / NA / NaT)."""
    out = []
    for row in frame.to_dict("records"):
        out.append({k: (None if not isinstance(v, list | dict) and pd.isna(v) else v) for k, v in row.items()})
    return out
