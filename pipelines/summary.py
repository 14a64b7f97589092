"""What a run did, for the end of `ogi materialize` / `ogi backfill`: partitions published or held back
(and why), documents published / excluded / failed, identity breaks with the reports that break them,
and where the details are.

Read from what the runs left: the staged `documents` and `identities` of each partition (this run's
outcome, also for a held-back partition), the `documents` materialisations the runs recorded
(published), and the failure metadata of the publishing step (held back, with the failed checks).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pyarrow.dataset as ds

from ogi.datasets.registry import PUBLISHED
from ogi.datasets.warehouse import Partition
from pipelines.resources import DataLake


@dataclass
class IdentityBreak:
    identity: str
    report_id: str
    source_id: str | None
    location: str | None
    subject: str | None
    printed: Any
    expected: Any


@dataclass
class RunSummary:
    partitions: list[Partition]
    published: list[Partition] = field(default_factory=list)
    held_back: dict[str, list[str]] = field(default_factory=dict)  # partition label → why
    empty: list[Partition] = field(default_factory=list)
    documents: Counter = field(default_factory=Counter)  # status → count
    failed_documents: list[tuple[str, str, str]] = field(default_factory=list)  # source_id, stage, message
    breaks: list[IdentityBreak] = field(default_factory=list)
    run_failures: list[str] = field(default_factory=list)
    findings_location: str = ""

    def lines(self, max_items: int = 20) -> list[str]:
        out = [f"partitions: {len(self.published)} published, {len(self.held_back)} held back, "
               f"{len(self.empty)} without documents (of {len(self.partitions)})"]
        if self.published:
            out.append("  published: " + ", ".join(p.label for p in self.published))
        for label, why in self.held_back.items():
            out.append(f"  held back {label} (previous publication kept): {'; '.join(why)}")
        out.append(f"documents: {self.documents['published']} published, {self.documents['duplicate']} duplicate, "
                   f"{self.documents['excluded']} excluded, {self.documents['failed']} failed")
        for source_id, stage, message in self.failed_documents[:max_items]:
            out.append(f"  failed {source_id} at {stage}: {message}")
        if len(self.failed_documents) > max_items:
            out.append(f"  … and {len(self.failed_documents) - max_items} more failed")
        by_identity: dict[str, list[IdentityBreak]] = {}
        for b in self.breaks:
            by_identity.setdefault(b.identity, []).append(b)
        reports = {b.report_id for b in self.breaks}
        out.append(f"identity breaks: {len(self.breaks)} in {len(reports)} report(s)"
                   + (" (a finding about the source, never a reason to change its numbers)" if self.breaks else ""))
        for identity in sorted(by_identity):
            items = by_identity[identity]
            shown = {}
            for b in items:
                shown.setdefault(b.report_id, b)
            listed = ", ".join(f"{b.report_id} ({b.source_id}: {b.location})" for b in list(shown.values())[:max_items])
            out.append(f"  {identity}: {len(items)} break(s) in {len(shown)} report(s): {listed}")
        if self.breaks:
            out.append(f"  details: `findings` dataset ({self.findings_location}), e.g. in DuckDB: "
                       f"select * from findings where \"check\" like 'I_' and report_id = '{self.breaks[0].report_id}'")
        for failure in self.run_failures:
            out.append(f"run failure: {failure}")
        return out


def _staged(lake: DataLake, name: str, partition: Partition) -> list[dict]:
    stages = lake.stage_files()
    key = stages.key(f"staged/{name}", partition)
    if not stages.storage.exists(key):
        return []
    return ds.dataset(stages.storage.path(key), schema=PUBLISHED[name].schema, format="parquet",
                      filesystem=stages.storage.fs).to_table().to_pylist()


def summarize(lake: DataLake, partitions: list[Partition], instance, run_ids: list[str]) -> RunSummary:
    """The summary of these runs (as the instance recorded them) over these partitions."""
    from dagster import DagsterEventType

    from pipelines.partitions import to_partition

    summary = RunSummary(partitions=sorted(partitions))
    published: set[Partition] = set()
    for run_id in run_ids:
        for entry in instance.all_logs(run_id, of_type={DagsterEventType.ASSET_MATERIALIZATION,
                                                        DagsterEventType.STEP_FAILURE}):
            event = entry.dagster_event
            if event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
                mat = event.step_materialization_data.materialization
                if mat.asset_key.path == ["documents"] and mat.partition:
                    published.add(to_partition(mat.partition))
                continue
            data = event.step_failure_data
            meta = data.user_failure_data.metadata if data.user_failure_data else {}
            held = meta.get("held_back")
            if held is not None:
                summary.held_back.update({k: list(v) for k, v in held.value.items()})
            else:
                summary.run_failures.append(f"{event.step_key}: {data.error.message.strip() if data.error else '?'}")
    summary.published = sorted(published)
    for partition in summary.partitions:
        documents = _staged(lake, "documents", partition)
        if not documents:
            summary.empty.append(partition)
            continue
        by_report = {}
        for d in documents:
            summary.documents[d["status"]] += 1
            if d["status"] == "failed":
                summary.failed_documents.append((d["source_id"], d["stage"] or "?", d["message"] or ""))
            if d.get("report_id"):
                by_report[d["report_id"]] = d
        for row in _staged(lake, "identities", partition):
            if row["holds"] is False:
                doc = by_report.get(row["report_id"], {})
                summary.breaks.append(IdentityBreak(row["identity"], row["report_id"], doc.get("source_id"),
                                                    doc.get("location"), row.get("subject"), row.get("printed"),
                                                    row.get("expected")))
    summary.findings_location = lake.warehouse().storage.uri("findings")
    return summary
