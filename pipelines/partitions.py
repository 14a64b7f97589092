"""Partitions: statistics year × province-level region (GB/T 2260, 000000 for central bodies)."""

from __future__ import annotations

from dagster import (
    AssetExecutionContext,
    MultiPartitionKey,
    MultiPartitionsDefinition,
    StaticPartitionsDefinition,
    TimeWindowPartitionsDefinition,
)

from ogi.datasets.registry import FIRST_YEAR
from ogi.datasets.warehouse import Partition
from ogi.reference.regions import NATIONAL, province_codes

# A yearly window: each new statistics year appears as a partition by itself once it has ended.
YEAR_PARTITIONS = TimeWindowPartitionsDefinition(cron_schedule="0 0 1 1 *", fmt="%Y", start=str(FIRST_YEAR))
REGION_CODES = [NATIONAL, *province_codes()]
REGION_PARTITIONS = StaticPartitionsDefinition(REGION_CODES)
REPORT_PARTITIONS = MultiPartitionsDefinition({"year": YEAR_PARTITIONS, "region": REGION_PARTITIONS})


def has_year(year: int | None) -> bool:
    """Whether the statistics year is a partition now (2008 to the last year that has ended)."""
    if year is None:
        return False
    last = YEAR_PARTITIONS.get_last_partition_key()
    return last is not None and FIRST_YEAR <= year <= int(last)


def partition_key(year: int, region: str) -> MultiPartitionKey:
    return MultiPartitionKey({"year": str(year), "region": region})


def key_of(partition: Partition) -> str:
    """The Dagster partition key of a partition: `150000|2022` (dimensions in name order), or `150000`."""
    return partition.region if partition.year is None else str(partition_key(partition.year, partition.region))


def to_partition(key: str | MultiPartitionKey) -> Partition:
    """'150000|2022' or a MultiPartitionKey → Partition(region, year); '150000' → Partition(region)."""
    if isinstance(key, MultiPartitionKey):
        dims = key.keys_by_dimension
        return Partition(dims["region"], int(dims["year"]))
    if "|" not in key:
        return Partition(key)
    dims = REPORT_PARTITIONS.get_partition_key_from_str(key).keys_by_dimension
    return Partition(dims["region"], int(dims["year"]))


def split_key(key: str | MultiPartitionKey) -> tuple[int, str]:
    """'150000|2022' → (2022, '150000')."""
    p = to_partition(key)
    if p.year is None:
        raise ValueError(f"not a year × region key: {key!r}")
    return p.year, p.region


def run_partitions(context: AssetExecutionContext) -> list[Partition]:
    """Every partition this run covers: one key, or a whole range under a single-run backfill."""
    return sorted({to_partition(k) for k in context.partition_keys})
