"""The reference tables' rows: the data dictionary and the GB/T 2260 divisions since 2008."""

from __future__ import annotations

import pyarrow as pa

from ogi.datasets.registry import DICTIONARY, REGIONS
from ogi.reference import dictionary, divisions


def dictionary_table() -> pa.Table:
    return DICTIONARY.table([{"kind": e.kind, "table": e.table, "key": e.key, "label": e.label,
                              "printed_order": e.order, "formats": list(e.formats)} for e in dictionary.entries()])


def regions_table(last_year: int | None = None) -> pa.Table:
    return REGIONS.table([{"code": p.code, "name": p.name, "level": p.level, "parent_code": p.parent_code,
                           "province_code": p.province_code, "valid_from": p.valid_from, "valid_to": p.valid_to,
                           "former_name": p.former_name} for p in divisions.periods(last_year)])
