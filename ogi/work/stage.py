"""Per-document stage work on both cores, each document bounded in time and memory.

The read and parse stages turn one row into one row. `bounded_rows` runs that function in the
supervised pool (ogi.work.pool), so a document that loops, inflates or crashes its reader costs at
most `WorkLimits.seconds` and `WorkLimits.memory_mib`, becomes a failed row naming the stage, the
limit and the reason, and never takes the partition's other documents with it. Rows come back in
input order (deterministic output) and at most a few chunks are in flight (memory independent of
the partition's size). The same pool serves `ogi parse`: one pool, not two.
"""

from __future__ import annotations

import hashlib
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pyarrow as pa

from ogi.work.pool import FailureKind, Limits, Outcome, Pool

# The finding check a document over a limit gets (the same names `ogi parse` records).
LIMIT_CHECKS: dict[FailureKind, str] = {
    FailureKind.TIMEOUT: "time_limit",
    FailureKind.MEMORY: "memory_limit",
    FailureKind.CRASHED: "reader_crashed",
    FailureKind.ERROR: "reader_error",
}

Row = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class WorkLimits:
    """How per-document work runs: worker processes (None: one per core, 0: in this process, no limits),
    the wall-clock deadline and memory ceiling of each document, and documents per message to a worker."""

    workers: int | None = None
    seconds: float = 60.0
    memory_mib: int = 1024
    chunksize: int = 4

    def pool_limits(self) -> Limits:
        return Limits(seconds=self.seconds, memory_bytes=int(self.memory_mib) << 20)

    def worker_count(self) -> int:
        return (os.cpu_count() or 1) if self.workers is None else max(0, int(self.workers))


def bounded_rows(fn: Callable[[T], Row], items: Iterable[T], limits: WorkLimits,
                 over_limit: Callable[[T, FailureKind, str], Row],
                 ready: Callable[[T], Row | None] | None = None, prepare: Callable[[T], T] | None = None,
                 window: int = 128) -> Iterator[Row]:
    """`fn(item)` for every item, in input order, in worker processes under `limits`.

    An item whose work failed (past a limit, crashed, raised) becomes `over_limit(item, kind, message)`.
    `ready(item)`, when it gives a row, is that item's result with no work (a reused result). The input
    is consumed `window` items at a time; no worker starts while every item is ready. `prepare(item)`
    completes an item that does need work before it goes to a worker (e.g. with bytes read here).
    """
    with Pool(fn, workers=limits.worker_count(), limits=limits.pool_limits(), chunksize=limits.chunksize) as pool:
        for chunk in batched(items, window):
            done = [ready(item) for item in chunk] if ready is not None else [None] * len(chunk)
            todo = [prepare(item) if prepare is not None else item
                    for item, row in zip(chunk, done, strict=True) if row is None]
            outcomes = pool.map(todo) if todo else iter(())
            sent = iter(todo)
            for row in done:
                if row is not None:
                    yield row
                    continue
                item, outcome = next(sent), next(outcomes)
                yield outcome.value if outcome.ok else over_limit(item, _kind(outcome), _message(outcome, limits))


class Reuse:
    """The rows of a stage's previous output of a partition, found again by their work key.

    The previous rows are read ahead in the order they were written, at most `window` at a time (an
    unchanged partition comes back in the same order, so the window finds each row; a document added
    or removed only shifts it): memory stays bounded whatever the partition's size. Only rows that
    succeeded are reused; a failure is always tried again (a tool may have been installed since).
    """

    def __init__(self, previous: Iterable[Row], *, key: str = "work_key", window: int = 128) -> None:
        self._source = iter(previous)
        self._key = key
        self._window = window
        self._ahead: dict[str, Row] = {}
        self.reused = 0

    def take(self, key: str | None) -> Row | None:
        if key is None:
            return None
        while key not in self._ahead and self._source is not None:
            try:
                row = next(self._source)
            except StopIteration:
                self._source = None
                break
            if row.get(self._key) and row.get("status") == "ok":
                self._ahead[row[self._key]] = row
                if len(self._ahead) > self._window:  # the oldest read-ahead row was passed over
                    del self._ahead[next(iter(self._ahead))]
        row = self._ahead.pop(key, None)
        self.reused += row is not None
        return row


class InRun:
    """Rows of one partition that repeat an earlier row's work key in the same run (the same bytes under
    two catalog rows, or a catalog row and a discovered page) are not worked again: they get the first
    row's result with their own columns. `counts` is every key's number of rows (a pass over the keys
    first); only keys that repeat are held, each until its last row (memory: the repeats in flight).
    """

    SAME_AS = "_same_as_work_key"
    OUTCOME = ("status", "failed_stage", "message", "error_kind")

    def __init__(self, counts: Iterable[str | None] = ()) -> None:
        tally: dict[str, int] = {}
        for key in counts:
            if key is not None:
                tally[key] = tally.get(key, 0) + 1
        self._left = {k: n for k, n in tally.items() if n > 1}
        self._claimed: set[str] = set()
        self._first: dict[str, Row] = {}
        self.shared = 0

    def ready(self, key: str | None, own: Row) -> Row | None:
        """A placeholder for a repeat (settled by `settle` once the first row is out), None for a first row."""
        if key is None or key not in self._left:
            return None
        if key not in self._claimed:
            self._claimed.add(key)
            return None
        return {self.SAME_AS: key, **own}

    def settle(self, rows: Iterable[Row]) -> Iterator[Row]:
        """Rows in input order, each placeholder replaced by its first row's result (which came before it)."""
        for row in rows:
            key = row.pop(self.SAME_AS, None)
            if key is not None:
                first = self._first[key]
                if first.get("status") != "ok":  # the work's failure is the repeat's too, whatever its fetch said
                    row = {k: v for k, v in row.items() if k not in self.OUTCOME}
                row = {**first, **row}
                self.shared += 1
                self._done(key)
            elif (first := row.get("work_key")) in self._left and first not in self._first:
                self._first[first] = row
                self._done(first)
            yield row

    def _done(self, key: str) -> None:
        self._left[key] -= 1
        if not self._left[key]:
            del self._left[key]
            self._first.pop(key, None)


def reuse_whole(previous: Callable[[list[str] | None], Iterable[pa.RecordBatch]] | None, keys: Sequence[str | None],
                fresh: pa.Table, schema: pa.Schema, *, key: str = "work_key") -> Iterator[pa.Table] | None:
    """A stage's previous output of a partition taken whole, as Arrow, when nothing of it needs work again.

    That is when its rows carry, in order, exactly this run's work `keys`, and every one of them succeeded
    (a failure is always retried). Each batch then gets `fresh`'s columns (this run's fetch columns, row
    for row) and nothing goes through Python objects: an unchanged partition costs reading and writing
    its file. None when any row differs: reuse then goes row by row (`Reuse`). `previous(columns)` reads
    the previous output's batches (all columns when None).
    """
    if previous is None or not keys or any(k is None for k in keys):
        return None
    try:
        seen = pa.Table.from_batches(list(previous([key, "status"])))
    except Exception:  # noqa: BLE001 - unreadable or of another schema: row by row, which recomputes
        return None
    if seen.num_rows != len(keys) or seen.column(key).to_pylist() != list(keys) \
            or seen.column("status").to_pylist() != ["ok"] * len(keys):
        return None

    def batches() -> Iterator[pa.Table]:
        at = 0
        for batch in previous(None):
            table = pa.Table.from_batches([batch])
            rows = fresh.slice(at, table.num_rows)
            for name in fresh.column_names:
                table = table.set_column(table.schema.get_field_index(name), schema.field(name),
                                         rows.column(name).cast(schema.field(name).type))
            at += table.num_rows
            yield table

    return batches()


def work_key(*parts: object) -> str:
    """A digest of everything a row's work depended on (bytes' sha256, code version, hints)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(b"\x1f" + ("\x00" if part is None else str(part)).encode("utf-8"))
    return digest.hexdigest()[:32]


def read_ahead(items: Iterable[T], depth: int = 2) -> Iterator[T]:
    """The items of `items`, produced by a thread of their own up to `depth` ahead of the consumer.

    For work in the pool whose results a slow consumer takes (the staged datasets validate each chunk
    with GX): the pool is only fed while its results are pulled, so without this the workers would
    idle during every validation. The thread waits on pipes most of the time (no GIL held); an
    exception of `items` is raised to the consumer; a consumer that stops early stops the thread.
    """
    handoff: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()

    def put(message: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                handoff.put(message, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        source = iter(items)
        try:
            for item in source:
                if not put(("item", item)):
                    break
            else:
                put(("end", None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            put(("error", exc))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()  # a generator's own cleanup (e.g. its pool) runs in this thread

    thread = threading.Thread(target=produce, name="ogi-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = handoff.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        thread.join()


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of `size` items (the last one shorter): itertools.batched arrives with Python 3.12."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _kind(outcome: Outcome[Any]) -> FailureKind:
    return outcome.failure or FailureKind.ERROR


def _message(outcome: Outcome[Any], limits: WorkLimits) -> str:
    if outcome.failure == FailureKind.TIMEOUT:
        return f"stopped after {limits.seconds:g} s (per-document limit): {outcome.message}"
    if outcome.failure == FailureKind.MEMORY:
        return f"stopped over {limits.memory_mib} MiB (per-document limit): {outcome.message}"
    return outcome.message
