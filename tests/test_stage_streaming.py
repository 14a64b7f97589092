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
