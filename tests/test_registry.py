"""The registry drives everything derived from it: Parquet schemas, GX contract suites, docs — and they are current."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from expectations.checks import CHECKS
from expectations.generate import SUITES_DIR, contract_suite, generated_suites
from ogi.datasets import docs
from ogi.datasets.registry import DATASETS, PUBLISHED, SCHEMA_VERSION
from ogi.datasets.warehouse import Partition


def test_generated_suites_are_current():
    for name, text in generated_suites().items():
        path = SUITES_DIR / name
        assert path.exists() and path.read_text(encoding="utf-8") == text, \
            f"{name} is stale: run `python -m expectations.generate`"


def test_docs_are_current():
    assert docs.DOCS_PATH.read_text(encoding="utf-8") == docs.render(), "run `python -m ogi.datasets.docs`"


def test_every_published_dataset_has_a_blocking_contract_check():
    blocking = {c.dataset for c in CHECKS if c.blocking}
    assert blocking == set(PUBLISHED)


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_schema_carries_every_fields_description_and_the_primary_key(name: str):
    dataset = DATASETS[name]
    schema = dataset.schema
    assert schema.names == dataset.names
    assert len(set(schema.names)) == len(schema.names)
    for f in dataset.fields:
        assert schema.field(f.name).metadata[b"description"].decode() == f.description
        assert schema.field(f.name).nullable == f.nullable
    assert set(dataset.primary_key) <= set(dataset.names)
    assert schema.metadata[b"ogi.schema_version"].decode() == SCHEMA_VERSION


def test_contract_suite_follows_the_registry():
    suite = contract_suite(PUBLISHED["cells"])
    kinds = [(e["type"], e["kwargs"].get("column") or tuple(e["kwargs"].get("column_list", ()))) for e in suite["expectations"]]
    assert ("expect_column_values_to_be_in_set", "placement") in kinds
    assert ("expect_compound_columns_to_be_unique", ("report_id", "table", "row", "col")) in kinds
    assert ("expect_column_values_to_not_be_null", "report_id") in kinds
    assert ("expect_column_values_to_match_regex", "source_sha256") in kinds
    in_set = next(e for e in suite["expectations"] if e["kwargs"].get("column") == "row"
                  and e["type"] == "expect_column_values_to_be_in_set")
    from ogi.reference import keys

    assert set(in_set["kwargs"]["value_set"]) == set(keys.ALL_ROWS)


def test_published_files_carry_the_schema_and_its_descriptions(sample_warehouse):
    manifest = sample_warehouse.manifests()[0]
    for name, published in manifest.files().items():
        schema = pq.read_schema(sample_warehouse.storage.path(published.path))
        assert schema.metadata[b"ogi.dataset"].decode() == name
        assert schema.field(schema.names[0]).metadata[b"description"]
    key = sample_warehouse.manifest_key(Partition(manifest.region, manifest.year))
    data = json.loads(sample_warehouse.storage.read_bytes(key))
    assert data["schema_version"] == SCHEMA_VERSION


def test_sample_partitions_hold_the_expected_row_counts(sample_warehouse):
    """The sample corpus's published row counts per partition and dataset, kept in the repo: a change in what the
    pipeline publishes shows up here, and must be explained in the commit that updates the file."""
    expected = json.loads((Path(__file__).parent / "expected" / "sample_row_counts.json").read_text(encoding="utf-8"))
    got = {f"{m.year}/{m.region}": {name: (f.rows if f else 0) for name, f in sorted(m.datasets.items())}
           for m in sample_warehouse.manifests()}
    assert got == expected
