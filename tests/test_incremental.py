"""Incremental re-runs: what did not change is reused by work key (raw sha256, code version, hints),
what changed is read and parsed again, and the published rows are those of a run from scratch."""

from __future__ import annotations

import shutil

import pyarrow.parquet as pq
from dagster import AssetKey

from tests.conftest import CORPUS, definitions_for, project_copy, run_partition

PARTITION = "150000|2022"


def _metadata(instance, asset: str) -> dict:
    record = instance.fetch_materializations(AssetKey(asset), limit=1).records[0]
    return {k: v.value for k, v in record.asset_materialization.metadata.items()}


def _published(defs) -> dict[str, list[dict]]:
    warehouse = defs.resources["lake"].warehouse()
    out = {}
    for name in ("reports", "cells", "findings"):
        rows = warehouse.read(name).to_pylist()
        out[name] = sorted(rows, key=repr)
    return out


def test_an_unchanged_rerun_reuses_every_read_and_parse_and_publishes_the_same_rows(tmp_path, fresh_instance):
    data, catalog = project_copy(tmp_path)
    defs = definitions_for(data, catalog)
    assert run_partition(defs, fresh_instance, PARTITION).success
    first = _published(defs)
    read_first, parse_first = _metadata(fresh_instance, "clean_documents"), _metadata(fresh_instance, "parsed_reports")
    assert read_first["reused"] == 0 and parse_first["reused"] == 0

    assert run_partition(defs, fresh_instance, PARTITION).success
    read_again, parse_again = _metadata(fresh_instance, "clean_documents"), _metadata(fresh_instance, "parsed_reports")
    readable = read_first["documents"] - read_first["failed"]
    assert readable > 0 and read_again["reused"] == readable
    assert parse_again["reused"] == parse_first["documents"] - parse_first["failed"]
    assert _published(defs) == first


def test_a_changed_document_is_read_again_and_the_others_are_reused(tmp_path, fresh_instance):
    data, catalog = project_copy(tmp_path)
    # A private copy of the partition's text seed, so that its bytes can change between the runs.
    (tmp_path / "seeds").unlink()
    shutil.copytree(CORPUS / "seeds", tmp_path / "seeds")
    defs = definitions_for(data, catalog)
    assert run_partition(defs, fresh_instance, PARTITION).success
    readable = _metadata(fresh_instance, "clean_documents")["documents"] - \
        _metadata(fresh_instance, "clean_documents")["failed"]
    seed = tmp_path / "seeds" / "004_dc9309ee2353fe7a.txt"
    seed.write_bytes(seed.read_bytes() + "\n（本报告完）\n".encode())

    assert run_partition(defs, fresh_instance, PARTITION).success
    read_again = _metadata(fresh_instance, "clean_documents")
    assert read_again["reused"] == readable - 1  # the changed seed is read again, the rest reused
    stage = pq.read_table(read_again["path"]).to_pylist()
    changed = next(r for r in stage if r["source_id"] == "seed-004-txt")
    assert changed["status"] == "ok" and changed["work_key"]
    assert any("本报告完" in (b["text"] or "") for b in changed["blocks"])


def _checks(instance, partition: str) -> dict[str, object]:
    from dagster import AssetCheckKey
    from dagster._core.storage.event_log.base import PartitionKeyFilter

    from assets.datasets import STAGED
    from expectations.checks import CHECKS

    out = {}
    storage = instance.event_log_storage
    for check in CHECKS:
        key = AssetCheckKey(STAGED[check.dataset], check.name)
        record = storage.get_latest_asset_check_execution_by_key(
            [key], partition_filter=PartitionKeyFilter(key=partition))[key]
        out[check.name] = record.event.dagster_event.event_specific_data
    return out


def test_an_unchanged_partition_is_not_staged_or_published_again_and_its_checks_stand(tmp_path, fresh_instance):
    """Inputs, code and suites unchanged: the staged files are kept, each check's verdict is recorded again
    for the new staged materialisation (saying which run evaluated it), and the publication stands."""
    data, catalog = project_copy(tmp_path)
    defs = definitions_for(data, catalog)
    first_run = run_partition(defs, fresh_instance, "430000|2020")
    warehouse = defs.resources["lake"].warehouse()
    from ogi.datasets.warehouse import Partition

    first = warehouse.manifest(Partition("430000", 2020))
    before = _checks(fresh_instance, "430000|2020")
    assert _metadata(fresh_instance, "documents")["unchanged"] is False

    second_run = run_partition(defs, fresh_instance, "430000|2020")
    staged = fresh_instance.fetch_materializations(AssetKey(["staged", "cells"]), limit=1).records[0]
    assert staged.asset_materialization.metadata["reused"].value is True
    after = _checks(fresh_instance, "430000|2020")
    assert {k: v.passed for k, v in after.items()} == {k: v.passed for k, v in before.items()}
    # Seed 001's printed breaks stay warned: the verdicts are the first run's, on the same bytes.
    assert after["identity_I2"].passed is False
    assert all(v.metadata["reused"].value is True for v in after.values())
    assert {v.metadata["evaluated_in_run"].value for v in after.values()} == {first_run.run_id}
    assert all(v.target_materialization_data.run_id == second_run.run_id for v in after.values())
    assert warehouse.manifest(Partition("430000", 2020)).publication == first.publication
    published = _metadata(fresh_instance, "cells")
    assert published["unchanged"] is True and published["publication"] == first.publication
