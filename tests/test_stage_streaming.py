"""The pieces that stream a partition through the stages: a previous output taken whole when nothing of it
changed, and work read ahead in a thread while the consumer is busy."""

from __future__ import annotations

import threading
import time

import pyarrow as pa
import pytest

from ogi.work.stage import read_ahead, reuse_whole

SCHEMA = pa.schema([("source_id", pa.string()), ("location", pa.string()), ("cells", pa.list_(pa.int64())),
                    ("status", pa.string()), ("work_key", pa.string())])


def _previous(rows: list[dict], batch_rows: int = 2):
    table = pa.Table.from_pylist(rows, schema=SCHEMA)

    def batches(columns):
        part = table.select(columns) if columns else table
        return part.to_batches(max_chunksize=batch_rows)

    return batches


ROWS = [{"source_id": f"s{i}", "location": f"old/{i}", "cells": [i, i + 1], "status": "ok", "work_key": f"k{i}"}
        for i in range(5)]


def test_a_previous_output_with_every_key_current_is_taken_whole_with_this_runs_columns():
    fresh = pa.table({"location": [f"new/{i}" for i in range(5)]})
    whole = reuse_whole(_previous(ROWS), [f"k{i}" for i in range(5)], fresh, SCHEMA)
    assert whole is not None
    out = pa.concat_tables(list(whole))
    assert out.schema == SCHEMA
    assert out.column("location").to_pylist() == [f"new/{i}" for i in range(5)]  # this run's, row for row
    assert out.column("cells").to_pylist() == [r["cells"] for r in ROWS]  # the work itself, as it was


@pytest.mark.parametrize("keys", [
    ["k0", "k1", "k2", "k3", "changed"],  # one document's work changed
    ["k1", "k0", "k2", "k3", "k4"],  # the same work in another order
    ["k0", "k1", "k2", "k3"],  # a document gone
    ["k0", "k1", "k2", "k3", "k4", "k5"],  # a document added
    ["k0", "k1", None, "k3", "k4"],  # a document with nothing to work on
])
def test_any_difference_in_the_keys_means_row_by_row(keys):
    fresh = pa.table({"location": ["x"] * len(keys)})
    assert reuse_whole(_previous(ROWS), keys, fresh, SCHEMA) is None


def test_a_failed_row_is_never_taken_over_whole():
    rows = [dict(r) for r in ROWS]
    rows[3]["status"] = "failed"
    assert reuse_whole(_previous(rows), [f"k{i}" for i in range(5)], pa.table({"location": ["x"] * 5}), SCHEMA) is None
    assert reuse_whole(None, ["k0"], pa.table({"location": ["x"]}), SCHEMA) is None


def test_read_ahead_keeps_the_order_and_runs_ahead_of_a_slow_consumer():
    produced: list[int] = []

    def source():
        for i in range(6):
            produced.append(i)
            yield i

    seen = []
    for item in read_ahead(source(), depth=2):
        time.sleep(0.05)  # the consumer is busy: the producer fills the hand-off meanwhile
        seen.append((item, len(produced)))
    assert [i for i, _ in seen] == list(range(6))
    assert seen[0][1] >= 2  # items were made while the first one was being consumed
    assert max(n - i for i, n in seen) <= 4  # never more than the depth (+ the item in hand) ahead


def test_read_ahead_raises_the_producers_error_to_the_consumer():
    def source():
        yield 1
        raise ValueError("broken batch")

    out = read_ahead(source())
    assert next(out) == 1
    with pytest.raises(ValueError, match="broken batch"):
        next(out)


def test_a_consumer_that_stops_early_stops_the_producer_and_its_cleanup_runs():
    closed = threading.Event()

    def source():
        try:
            i = 0
            while True:
                yield i
                i += 1
        finally:
            closed.set()

    out = read_ahead(source(), depth=1)
    assert next(out) == 0
    out.close()
    assert closed.wait(2)
    assert not any(t.name == "ogi-read-ahead" and t.is_alive() for t in threading.enumerate())


def test_local_files_fetched_in_the_pool_give_the_rows_of_one_process_in_entry_order(tmp_path):
    """The catalog's local files are read and stored by pool workers; the rows are those of one process."""
    from ogi.evaluate.benchmark import write_reports
    from ogi.evaluate.generate import generate
    from ogi.fetch.catalog import load_catalog
    from ogi.fetch.policy import FetchPolicy
    from ogi.fetch.sources import fetch_entries
    from ogi.fetch.store import RawStore
    from ogi.work.stage import WorkLimits

    catalog = write_reports(tmp_path / "reports", generate(40, 3, year=2022, region="320000"))
    entries = [e for e in load_catalog(catalog) if e.kind == "report"]
    volatile = ("fetched_at", "elapsed_ms", "created")
    rows = {}
    for workers in (0, 2):
        store = RawStore(tmp_path / f"raw{workers}")
        got = fetch_entries(entries, store, FetchPolicy(state_dir=tmp_path / f"state{workers}"), catalog.parent,
                            limits=WorkLimits(workers=workers))
        rows[workers] = [{k: v for k, v in r.items() if k not in volatile} for r in got]
        assert all(store.has(r["sha256"]) for r in got)
    assert rows[0] == rows[2]
    assert [r["source_id"] for r in rows[2]] == [e.source_id for e in entries]
    assert all(r["sha256"] and not r["error"] for r in rows[2])
