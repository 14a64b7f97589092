"""Which runs cover a set of partitions: rectangles of adjacent regions × consecutive years, and their tags.

One run per rectangle is the single-run backfill policy's unit: a run never covers a partition
nobody asked for, and a year for every province, or every year of a province, is one run.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ogi.datasets.warehouse import Partition


def contiguous_runs(partitions: Iterable[Partition]) -> list[tuple[str, int, int]]:
    """(region, first year, last year) of each run: per region, each maximal run of consecutive years."""
    years: dict[str, set[int]] = defaultdict(set)
    for p in partitions:
        if p.year is None:
            raise ValueError(f"not a year × region partition: {p}")
        years[p.region].add(p.year)
    runs = []
    for region in sorted(years):
        ordered = sorted(years[region])
        start = prev = ordered[0]
        for y in ordered[1:]:
            if y != prev + 1:
                runs.append((region, start, prev))
                start = y
            prev = y
        runs.append((region, start, prev))
    return runs


@dataclass(frozen=True)
class PartitionRange:
    """A rectangle of partitions one run covers: adjacent regions (partition order) × consecutive years."""

    first_region: str
    last_region: str
    first_year: int
    last_year: int

    @property
    def start_key(self) -> str:
        from pipelines.partitions import partition_key

        return str(partition_key(self.first_year, self.first_region))

    @property
    def end_key(self) -> str:
        from pipelines.partitions import partition_key

        return str(partition_key(self.last_year, self.last_region))

    def tags(self) -> dict[str, str]:
        """The run tags of a single-run backfill over this range (Dagster reads the range from them)."""
        return {"dagster/asset_partition_range_start": self.start_key,
                "dagster/asset_partition_range_end": self.end_key}

    def regions(self) -> list[str]:
        from pipelines.partitions import REGION_CODES

        return REGION_CODES[REGION_CODES.index(self.first_region):REGION_CODES.index(self.last_region) + 1]

    def partitions(self) -> list[Partition]:
        return [Partition(r, y) for r in self.regions() for y in range(self.first_year, self.last_year + 1)]

    @property
    def label(self) -> str:
        regions = self.first_region if self.first_region == self.last_region else f"{self.first_region}–{self.last_region}"
        years = str(self.first_year) if self.first_year == self.last_year else f"{self.first_year}–{self.last_year}"
        return f"{years}/{regions}"


def _span(values: list) -> str:
    """'2019–2022' for a consecutive run, else the comma list (tags hold at most a few hundred characters)."""
    values = sorted(set(values))
    if not values:
        return ""
    if len(values) > 2 and all(isinstance(v, int) for v in values) and values[-1] - values[0] == len(values) - 1:
        return f"{values[0]}-{values[-1]}"
    text = ",".join(str(v) for v in values)
    return text if len(text) <= 200 else f"{values[0]},…,{values[-1]} ({len(values)})"


def run_tags(partitions: Iterable[Partition], *, data_dir: str | None = None, catalog: str | None = None) -> dict[str, str]:
    """What a run is about, as tags the UI filters on: years, regions, parser version, data folder, catalog."""
    from ogi import PARSER_VERSION

    wanted = list(partitions)
    tags = {"ogi/years": _span([p.year for p in wanted if p.year is not None]),
            "ogi/regions": _span([p.region for p in wanted]),
            "ogi/parser_version": PARSER_VERSION}
    data_dir = data_dir or os.environ.get("OGI_DATA_DIR")
    catalog = catalog or os.environ.get("OGI_CATALOG")
    if data_dir:
        tags["ogi/data_dir"] = data_dir if "://" in data_dir else str(Path(data_dir).absolute())
    if catalog:
        tags["ogi/catalog"] = str(Path(catalog).absolute())
    return tags


def partition_ranges(partitions: Iterable[Partition]) -> list[PartitionRange]:
    """The fewest runs (rectangles) covering exactly these partitions: each region's contiguous year ranges,
    merged across regions adjacent in the partition order that have the same range."""
    from pipelines.partitions import REGION_CODES

    order = {code: i for i, code in enumerate(REGION_CODES)}
    by_years: dict[tuple[int, int], list[str]] = defaultdict(list)
    for region, first, last in contiguous_runs(partitions):
        by_years[(first, last)].append(region)
    ranges = []
    for (first, last), regions in by_years.items():
        regions.sort(key=lambda r: order[r])
        start = prev = regions[0]
        for region in regions[1:]:
            if order[region] != order[prev] + 1:
                ranges.append(PartitionRange(start, prev, first, last))
                start = region
            prev = region
        ranges.append(PartitionRange(start, prev, first, last))
    return sorted(ranges, key=lambda r: (order[r.first_region], r.first_year))


