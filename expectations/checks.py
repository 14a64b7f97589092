"""Which suites validate which staged dataset, and whether a failure blocks publication.

Plain data, no Dagster: assets/ turns these into AssetCheckSpecs, and the same list drives
validation, so a check cannot exist in the UI without running, or run without showing.
A partition is audited batch by batch (the batches the stream writes): each check's outcome over
the partition is the merge of its batches' outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from expectations.generate import SUITES_DIR
from expectations.validate import SuiteOutcome, Validator, gx_frame
from ogi.datasets.registry import PUBLISHED
from ogi.datasets.warehouse import Partition


@dataclass(frozen=True)
class CheckDef:
    name: str
    dataset: str  # the staged dataset it validates (and is shown on)
    suites: tuple[str, ...]
    blocking: bool
    description: str


def _contract(name: str) -> CheckDef:
    rules = (f"rules_{name}",) if (SUITES_DIR / f"rules_{name}.json").exists() else ()
    return CheckDef(f"{name}_contract", name, (f"contract_{name}", *rules), True,
                    f"`{name}` keeps its contract (registry types, required columns, primary key, allowed values, "
                    "ranges)" + (" and its rules" if rules else "") + ". Blocking: a partition that breaks it is "
                    "not published.")


CHECKS: tuple[CheckDef, ...] = (
    *(_contract(name) for name in PUBLISHED),
    *(
        CheckDef(f"identity_{i}", "identities", (f"identity_{i}",), False,
                 f"Identity {i} holds wherever all its operands are printed numbers. A break is a finding about "
                 "the source (recorded in `findings`), so it warns and does not block publication.")
        for i in ("I1", "I2", "I3", "I4")
    ),
    CheckDef("continuity_I5", "continuity", ("continuity_I5",), False,
             "I5: what a body carries over equals what its report of the year before carried forward. A break is a "
             "finding about the sources; it warns."),
    CheckDef("continuity_stock", "continuity", ("continuity_stock",), False,
             "The stock of regulations and normative documents in force adds up from the year before (2021 format). "
             "A break warns."),
    CheckDef("continuity_jump", "continuity", ("continuity_jump",), False,
             "New requests do not jump tenfold from a body's year before (a misplaced digit, a roll-up taken for a "
             "body's own report). A jump warns."),
)
CHECKS_BY_NAME = {c.name: c for c in CHECKS}


@dataclass
class PartitionAudit:
    """Every check's outcome over one partition, built up batch by batch."""

    partition: Partition
    outcomes: dict[str, SuiteOutcome] = field(default_factory=dict)
    failing_reports: dict[str, list[str]] = field(default_factory=dict)  # check name → report ids, first seen first
    sources: dict[str, str] = field(default_factory=dict)  # report id → where its bytes came from

    def add(self, validator: Validator, dataset: str, table: pa.Table) -> None:
        """Validate one batch of a staged dataset with every suite of every check on it."""
        if table.num_rows == 0 and dataset not in ("documents",):
            return
        frame = gx_frame(table)
        if dataset == "reports":
            rules_frame = frame.assign(partition_year=self.partition.year, partition_region=self.partition.region)
        else:
            rules_frame = frame
        for check in CHECKS:
            if check.dataset != dataset:
                continue
            for suite in check.suites:
                outcome = validator.validate(suite, dataset, rules_frame if suite.startswith("rules_") else frame,
                                             expect_failures=not check.blocking)
                key = f"{check.name}:{suite}"
                self.outcomes[key] = self.outcomes[key].merge(outcome) if key in self.outcomes else outcome

    def result(self, check: CheckDef) -> SuiteOutcome:
        """The check's outcome over the partition: all its suites, all batches (passed when nothing was evaluated)."""
        merged = SuiteOutcome(check.name)
        for suite in check.suites:
            outcome = self.outcomes.get(f"{check.name}:{suite}")
            if outcome is not None:
                merged = merged.merge(outcome)
        return merged

    def blocking_failures(self) -> list[str]:
        return [c.name for c in CHECKS if c.blocking and not self.result(c).success]
