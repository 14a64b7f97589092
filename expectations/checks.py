"""Which suite validates which dataset, and whether a failure blocks publication.

Plain data, no Dagster: assets/datasets.py turns these into AssetCheckSpecs, and the same list
drives validation, so a check cannot exist in the UI without running, or run without showing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from expectations.validate import SuiteOutcome, load_suite, validate


@dataclass(frozen=True)
class CheckDef:
    name: str
    asset: str  # the dataset asset the check is shown on
    dataset: str  # the frame it validates
    blocking: bool
    description: str


CHECKS: tuple[CheckDef, ...] = (
    CheckDef("documents_ledger", "documents", "documents", True,
             "Every catalog document is accounted for once; a failed or excluded one says why."),
    CheckDef("reports_contract", "reports", "reports", True,
             "Authoritative reports only, unique ids, known formats, filed under the partition's year and region."),
    CheckDef("cells_contract", "cells", "cells", True,
             "Canonical table/row/col keys, one value per cell, a blank cell has no value."),
    *(
        CheckDef(f"identity_{i}", "cells", "identities", False,
                 f"Identity {i} holds wherever all its operands are printed numbers. A break is a finding about "
                 "the source (recorded in `findings`), so it warns and does not block publication.")
        for i in ("I1", "I2", "I3", "I4")
    ),
)


def frame_for(check: CheckDef, tables: dict[str, pa.Table], year: int, region: str):  # -> pd.DataFrame
    frame = tables[check.dataset].to_pandas()
    if check.dataset == "reports":
        frame["partition_year"] = year
        frame["partition_region"] = region
    return frame


def run_checks(tables: dict[str, pa.Table], year: int, region: str, suites_dir: Path) -> dict[str, SuiteOutcome]:
    """Validate one partition's staged datasets with every suite."""
    return {
        check.name: validate(frame_for(check, tables, year, region), load_suite(check.name, suites_dir))
        for check in CHECKS
    }
