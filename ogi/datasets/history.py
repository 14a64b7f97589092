"""The bodies' figures by year, kept so next year's continuity checks can read last year's.

A small JSON object per partition (body_id|scope → carried over / forward, new requests, the stock
of rules in force), written under `history/` of the data root when the partition is staged. It is the domain's own state — like the
fetch log — rather than a Dagster dependency of a partition on its predecessor: an asset dependency
on the year before would make every backfill reach into the year after it. A partition's
continuity checks are as fresh as the history of the year before at the time it was staged;
re-stage a year after changing the one before it.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from ogi.datasets.continuity import YearFigures
from ogi.datasets.storage import Storage
from ogi.datasets.warehouse import Partition


class BodyHistory:
    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def key(self, partition: Partition) -> str:
        return f"year={partition.year}/region={partition.region}.json"

    def write(self, partition: Partition, figures: dict[str, YearFigures]) -> None:
        payload = {k: asdict(v) for k, v in sorted(figures.items())}
        self.storage.write_bytes(self.key(partition), json.dumps(payload, ensure_ascii=False, sort_keys=True).encode())

    def read(self, partition: Partition) -> dict[str, YearFigures]:
        key = self.key(partition)
        if not self.storage.exists(key):
            return {}
        data = json.loads(self.storage.read_bytes(key))
        return {k: YearFigures(**{**v, "stock": tuple(tuple(s) for s in v.get("stock") or ())}) for k, v in data.items()}
