"""Partitions: statistics year × province-level region (GB/T 2260, 000000 for central bodies)."""

from __future__ import annotations

from dagster import (
    AssetExecutionContext,
    MultiPartitionKey,
    MultiPartitionsDefinition,
    StaticPartitionsDefinition,
    TimeWindowPartitionsDefinition,
)

from ogi.reference.regions import NATIONAL, province_codes

# A yearly window: each new statistics year appears as a partition by itself once it has ended.
YEAR_PARTITIONS = TimeWindowPartitionsDefinition(cron_schedule="0 0 1 1 *", fmt="%Y", start="2008")
REGION_CODES = [NATIONAL, *province_codes()]
REGION_PARTITIONS = StaticPartitionsDefinition(REGION_CODES)
REPORT_PARTITIONS = MultiPartitionsDefinition({"year": YEAR_PARTITIONS, "region": REGION_PARTITIONS})


def partition_key(year: int, region: str) -> MultiPartitionKey:
    return MultiPartitionKey({"year": str(year), "region": region})


def split_key(key: str | MultiPartitionKey) -> tuple[int, str]:
    """'150000|2022' (dimensions in name order) → (2022, '150000')."""
    if isinstance(key, str) and "|" not in key:
        raise ValueError(f"not a year × region key: {key!r}")
    mk = key if isinstance(key, MultiPartitionKey) else REPORT_PARTITIONS.get_partition_key_from_str(key)
    dims = mk.keys_by_dimension
    return int(dims["year"]), dims["region"]


def run_partitions(context: AssetExecutionContext) -> list[tuple[int, str]]:
    """Every (year, region) this run covers: one key, or a whole range under a single-run backfill."""
    return sorted({split_key(k) for k in context.partition_keys})
