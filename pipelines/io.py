"""IO manager of the stage hand-offs: Hive-partitioned Parquet, one file per asset partition.

Dagster's UPathIOManager writes `<dim1>/<dim2>.parquet`; ours writes `year=…/region=…/` like the
published datasets, handles a whole range of partitions in one call (single-run backfills), and
never holds a partition in memory: an asset hands it `PartitionedOutput` (per partition, batches or
a table, written as they come), and a downstream asset gets `PartitionedInput` (per partition, a
lazily read pyarrow dataset). Each partition's materialisation records its own row count, its own
file and the registry's column schema.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
from dagster import ConfigurableIOManager, InputContext, MetadataValue, OutputContext

from ogi.datasets.registry import Dataset, dataset
from ogi.datasets.storage import Storage, WrittenFile, scan_batches
from ogi.datasets.warehouse import Partition
from pipelines.metadata import column_schema
from pipelines.partitions import to_partition
from pipelines.resources import DataLake

Batches = Iterable[pa.RecordBatch | pa.Table] | pa.Table


@dataclass
class PartitionedOutput:
    """What an asset returns: the rows of each partition it covers, and metadata to record per partition.

    `parts` may hold generators: each is consumed once, as its partition is written.
    """

    parts: dict[Partition, Batches] = field(default_factory=dict)
    metadata: dict[Partition, dict[str, Any]] = field(default_factory=dict)
    unchanged: set[Partition] = field(default_factory=set)  # its file is already what it would write: kept


@dataclass
class PartitionedInput:
    """What a downstream asset gets: each upstream partition as a lazily read dataset."""

    dataset: Dataset
    parts: dict[Partition, ds.Dataset]
    files: dict[Partition, tuple[Storage, str]] = field(default_factory=dict)  # for byte-exact copies

    def batches(self, partition: Partition, batch_rows: int = 128) -> Iterator[list[dict[str, Any]]]:
        """Rows of one partition as lists of dicts, `batch_rows` at a time (bounded memory: a parsed report
        is ~0.6 MB as Python objects, so 128 of them ~80 MB)."""
        for batch in self.record_batches(partition, batch_rows):
            yield batch.to_pylist()

    def record_batches(self, partition: Partition, batch_rows: int = 128,
                       columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        """One partition as Arrow batches of `batch_rows` rows (of `columns` only, when given)."""
        source = self.parts.get(partition)
        if source is None:
            return
        for batch in scan_batches(source, batch_size=batch_rows, columns=list(columns) if columns else None):
            if batch.num_rows:
                yield batch

    def rows(self, partition: Partition) -> Iterator[dict[str, Any]]:
        for batch in self.batches(partition):
            yield from batch

    def count(self, partition: Partition) -> int:
        source = self.parts.get(partition)
        return source.count_rows() if source is not None else 0


def _dataset_of(context: InputContext | OutputContext) -> Dataset:
    return dataset(context.asset_key.path[-1])


def previous_output(lake: DataLake, schema_of: Dataset, partition: Partition, log=None) -> Iterator[dict[str, Any]]:
    """An asset's own last output of a partition, row by row (nothing if there is none or it cannot be read):
    what the read and parse stages reuse by work key instead of recomputing."""
    batches = previous_batches(lake, schema_of, partition, log)
    if batches is None:
        return
    try:
        for batch in batches(None):
            yield from batch.to_pylist()
    except Exception as exc:  # noqa: BLE001 - a stale or damaged file means recomputing, never failing
        _not_reused(log, schema_of, partition, exc)


def previous_batches(lake: DataLake, schema_of: Dataset, partition: Partition,
                     log=None) -> Callable[[list[str] | None], Iterator[pa.RecordBatch]] | None:
    """An asset's own last output of a partition as Arrow batches (of the columns asked for), or None when
    there is none: what `reuse_whole` takes whole when every row of it is still current."""
    stages = lake.stage_files()
    try:
        if not stages.exists(schema_of.name, partition):
            return None
        source = stages.open(schema_of, partition)
    except Exception as exc:  # noqa: BLE001 - a stale or damaged file means recomputing, never failing
        _not_reused(log, schema_of, partition, exc)
        return None
    return lambda columns: scan_batches(source, batch_size=128, columns=columns)


def _not_reused(log, schema_of: Dataset, partition: Partition, exc: Exception) -> None:
    if log is not None:
        log.warning(f"previous {schema_of.name} of {partition.label} not reused: {type(exc).__name__}: {exc}")


class StageIOManager(ConfigurableIOManager):
    """Stage files below the lake's `stages/` folder, by asset key: `stages/<key path>/year=…/region=…/data.parquet`."""

    lake: DataLake

    def _stage_name(self, context: InputContext | OutputContext) -> str:
        return "/".join(context.asset_key.path)

    def handle_output(self, context: OutputContext, obj: PartitionedOutput) -> None:
        schema_of = _dataset_of(context)
        stages = self.lake.stage_files()
        name = self._stage_name(context)
        total = 0
        for key in context.asset_partition_keys:
            partition = to_partition(key)
            if partition in obj.unchanged and stages.exists(name, partition):
                key_ = stages.key(name, partition)
                written = WrittenFile(key_, stages.storage.parquet_rows(key_), stages.storage.size(key_))
            else:
                data = obj.parts.get(partition, [])
                batches = [data] if isinstance(data, pa.Table) else data
                written = stages.storage.write_parquet(stages.key(name, partition), schema_of.schema, batches)
            total += written.rows
            context.step_context.add_asset_metadata(
                {
                    "dagster/row_count": written.rows,
                    "path": MetadataValue.path(stages.storage.uri(written.key)),
                    "bytes": written.bytes,
                    **obj.metadata.get(partition, {}),
                },
                asset_key=context.asset_key,
                partition_key=key,
            )
        context.add_output_metadata({"partitions_written": len(context.asset_partition_keys),
                                     "rows_in_run": total, "dagster/column_schema": column_schema(schema_of)})

    def load_input(self, context: InputContext) -> PartitionedInput:
        schema_of = _dataset_of(context)
        stages = self.lake.stage_files()
        name = self._stage_name(context)
        parts: dict[Partition, ds.Dataset] = {}
        files: dict[Partition, tuple[Storage, str]] = {}
        for key in context.asset_partition_keys:
            partition = to_partition(key)
            source = stages.storage.path(stages.key(name, partition))
            if stages.storage.exists(stages.key(name, partition)):
                parts[partition] = ds.dataset(source, schema=schema_of.schema, format="parquet",
                                              filesystem=stages.storage.fs)
                files[partition] = (stages.storage, stages.key(name, partition))
        return PartitionedInput(schema_of, parts, files)


class PublishedInputManager(ConfigurableIOManager):
    """Loads a published dataset's partitions as their warehouse manifests list them (what was published).

    For assets downstream of publication (the national summary): the published datasets have no IO
    manager of their own — publication writes them — so this reads them the way a BI reader would.
    """

    lake: DataLake

    def handle_output(self, context: OutputContext, obj: object) -> None:
        raise NotImplementedError("published datasets are written by publication, not by an IO manager")

    def load_input(self, context: InputContext) -> pa.Table:
        partitions = [to_partition(k) for k in context.asset_partition_keys]
        return self.lake.warehouse().read_partitions(context.asset_key.path[-1], partitions)
