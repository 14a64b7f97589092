"""Per-document bounds inside a pipeline run: a document past its limit is a failed row, the rest publish.

Real Dagster materialisations of a sample partition with one hostile document added to the catalog;
what is asserted is read back from the published Parquet.
"""

from __future__ import annotations

import time
from pathlib import Path

import bombs
import duckdb

from ogi.datasets.warehouse import Partition
from pipelines.resources import DocumentWork, ExpectationSuites
from tests.conftest import definitions_for, project_copy, run_partition

PARTITION = "150000|2022"


def _slow_pdf(folder: Path) -> Path:
    """Many small valid content streams: every page is slow to lay out, none is over a cap."""
    page = bombs.zlib_stream(b"BT /F1 1 Tf 1 0 0 1 10 10 Tm (x) Tj ET\n" * 4000, 100)
    path = folder / "slow.pdf"
    path.write_bytes(bombs.pdf([page] * 60))
    return path


def _with_slow_document(tmp_path: Path) -> tuple[Path, Path]:
    data, catalog = project_copy(tmp_path)
    slow = _slow_pdf(tmp_path)
    with catalog.open("a", encoding="utf-8") as fh:
        fh.write(f"slow-pdf,{slow.name},https://www.nmg.gov.cn/slow.pdf,150000,2022,,\n")
    return data, catalog


def test_a_document_past_its_time_limit_is_recorded_and_the_partition_publishes(tmp_path, fresh_instance):
    data, catalog = _with_slow_document(tmp_path)
    defs = definitions_for(data, catalog, work=DocumentWork(document_seconds=2.0))
    started = time.monotonic()
    result = run_partition(defs, fresh_instance, PARTITION)
    took = time.monotonic() - started
    assert result.success
    warehouse = defs.resources["lake"].warehouse()
    ledger = {r["source_id"]: r for r in warehouse.read("documents").to_pylist()}
    slow = ledger["slow-pdf"]
    assert (slow["status"], slow["stage"], slow["error_kind"]) == ("failed", "read", "time_limit")
    assert slow["message"].startswith("time_limit: stopped after 2 s") and slow["sha256"]
    # The partition's other documents are published as without the hostile one.
    published = [sid for sid, r in ledger.items() if r["status"] == "published"]
    assert published and "slow-pdf" not in published
    assert warehouse.read("cells").num_rows > 0
    assert took < 120  # the slow document cost its limit, not its full reading time


def test_worker_processes_give_the_same_rows_in_the_same_order_as_one_process(tmp_path, fresh_instance):
    """Output order is the input order whatever finishes first: two workers and none give identical rows."""
    tables = {}
    for workers in (0, 2):
        data, catalog = project_copy(tmp_path / f"w{workers}")
        defs = definitions_for(data, catalog, work=DocumentWork(workers=workers))
        assert run_partition(defs, fresh_instance, PARTITION).success
        warehouse = defs.resources["lake"].warehouse()
        assert Partition("150000", 2022) in warehouse.partitions()
        tables[workers] = {}
        # Read, parse and normalisation all run in the pool: every dataset they make, row for row.
        for name in ("cells", "identities", "findings", "requests", "headline", "reports"):
            listed = ", ".join(f"'{f}'" for f in warehouse.files(name))
            tables[workers][name] = duckdb.sql(f"select * from read_parquet([{listed}])").fetchall()
    assert tables[0] == tables[2] and all(tables[0].values())


def test_checks_over_small_validation_chunks_give_the_same_verdicts_and_counts_as_one_chunk(tmp_path, fresh_instance,
                                                                                          monkeypatch):
    """A check's outcome over a partition is the merge of its chunks': chunk size changes GX's cost, never a verdict."""
    import assets.datasets
    from ogi.evaluate.benchmark import REGION, YEAR, write_reports
    from ogi.evaluate.generate import generate

    monkeypatch.setattr(assets.datasets, "NORMALISE_ROWS", 2)  # two reports a batch: chunks cut between reports
    reports = list(generate(12, 7, year=YEAR, region=REGION, unique_body=True))
    assert any(r.broken for r in reports)  # identities that break, to be counted over the chunks
    outcomes, batches = {}, {}
    for rows in (10, 1_000_000):
        folder = tmp_path / f"c{rows}"
        catalog = write_reports(folder, reports)
        defs = definitions_for(folder / "data", catalog, suites=ExpectationSuites(chunk_rows=rows))
        result = run_partition(defs, fresh_instance, f"{REGION}|{YEAR}")
        assert result.success
        evaluations = result.get_asset_check_evaluations()
        outcomes[rows] = {e.check_name: (e.passed, e.metadata["expectations_failed"].value,
                                         e.metadata["unexpected_rows"].value) for e in evaluations}
        batches[rows] = {e.check_name: e.metadata["batches"].value for e in evaluations}
    assert batches[10]["identity_I2"] > 1 == batches[1_000_000]["identity_I2"]  # chunked, and whole
    assert batches[10]["cells_contract"] > batches[1_000_000]["cells_contract"]
    assert outcomes[10] == outcomes[1_000_000]
    assert any(not passed for passed, _, _ in outcomes[10].values())
