"""Discovery through Dagster: a listing crawled once per run feeds every year partition of its region."""

from __future__ import annotations

from pathlib import Path

from govsite import LISTINGS, GovSite

from ogi.datasets.registry import RAW_DOCUMENTS
from ogi.datasets.storage import Storage
from ogi.datasets.warehouse import Partition, StageFiles


def _defs(tmp_path: Path, listing_url: str):
    from pipelines.definitions import build_definitions
    from pipelines.resources import DataLake, ExpectationSuites, FetchSettings, SourceCatalog

    catalog = tmp_path / "catalog.csv"
    catalog.write_text(
        "source_id,location,origin_url,region,year,agency,note,kind\n"
        f"pingtan-listing,{listing_url},,350000,,平潭综合实验区管理委员会,TRS listing,listing\n",
        encoding="utf-8",
    )
    settings = FetchSettings(allowed_hosts="127.0.0.1", min_interval_seconds=0.0, max_concurrency_per_host=8,
                             max_attempts=2, connect_timeout=2.0, read_timeout=2.0)
    # The fake site's pages and attachments stand in for reports but print no tables: their partitions are
    # all "unreadable", which the real gate would hold back. This test is about fetching, so it allows it.
    suites = ExpectationSuites(max_unreadable_share=1.0)
    return build_definitions(lake=DataLake(root=str(tmp_path / "data")), catalog=SourceCatalog(path=str(catalog)),
                             suites=suites,
                             fetch_settings=settings)


def _raw_rows(data: Path, partitions: list[Partition]) -> list[dict]:
    stages = StageFiles(Storage(data / "stages"))
    rows = []
    for partition in partitions:
        assert stages.exists("raw_documents", partition)
        rows.extend(stages.open(RAW_DOCUMENTS, partition).to_table().to_pylist())
    return rows


def test_listing_feeds_year_partitions_and_each_url_is_fetched_once(gov: GovSite, tmp_path: Path, dagster_instance):
    from pipelines.runs import discover_regions, materialize_partitions

    defs = _defs(tmp_path, gov.url(LISTINGS["trs"]))
    found = discover_regions(["350000"], defs=defs, instance=dagster_instance)
    expected = gov.expected_reports("trs")
    assert found == sorted({Partition("350000", item.year) for item in expected.values()})

    results = materialize_partitions(found, defs=defs, instance=dagster_instance)
    assert all(r.success for r in results)
    rows = _raw_rows(tmp_path / "data", found)
    pages = {r["location"] for r in rows if r["source_id"].count("-") == 0}
    assert pages == set(expected)
    attachments = {r["location"] for r in rows if "-a" in r["source_id"]}
    assert attachments == {gov.url(a) for item in expected.values() for a in item.attachments if gov.url(a) not in expected}
    assert all(r["error"] is None and r["sha256"] for r in rows)
    # Listing pages, report pages and attachments: every URL requested exactly once in the run.
    assert gov.hits and max(gov.hits.values()) == 1, {k: v for k, v in gov.hits.items() if v > 1}

    gov.reset_counts()
    again = discover_regions(["350000"], defs=defs, instance=dagster_instance)
    assert again == found
    assert all(r.success for r in materialize_partitions(found, defs=defs, instance=dagster_instance))
    assert sum(gov.bodies.values()) == 0, dict(gov.bodies)
    assert all(r["unchanged"] for r in _raw_rows(tmp_path / "data", found))


def test_raw_documents_metadata_counts_found_fetched_unchanged_failed_bytes(gov: GovSite, tmp_path: Path,
                                                                           dagster_instance):
    from pipelines.runs import discover_regions, materialize_partitions

    defs = _defs(tmp_path, gov.url(LISTINGS["plain"]))
    found = discover_regions(["350000"], defs=defs, instance=dagster_instance)
    result = materialize_partitions(found[:1], defs=defs, instance=dagster_instance)[0]
    mats = [m for m in result.get_asset_materialization_events() if m.asset_key.path == ["raw_documents"]]
    meta = mats[0].materialization.metadata
    for key in ("documents_found", "fetched", "unchanged", "failed", "bytes"):
        assert key in meta
    assert meta["documents_found"].value >= 1
    assert meta["fetched"].value + meta["unchanged"].value + meta["failed"].value == meta["documents_found"].value
