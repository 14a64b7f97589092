"""Per-document stage work on both cores, each document bounded in time and memory.

The read and parse stages turn one row into one row. `bounded_rows` runs that function in the
supervised pool (ogi.work.pool), so a document that loops, inflates or crashes its reader costs at
most `WorkLimits.seconds` and `WorkLimits.memory_mib`, becomes a failed row naming the stage, the
limit and the reason, and never takes the partition's other documents with it. Rows come back in
input order (deterministic output) and at most a few chunks are in flight (memory independent of
the partition's size). The same pool serves `ogi parse`: one pool, not two.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

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
                 over_limit: Callable[[T, FailureKind, str], Row]) -> Iterator[Row]:
    """`fn(item)` for every item, in input order, in worker processes under `limits`.

    An item whose work failed (past a limit, crashed, raised) becomes `over_limit(item, kind, message)`.
    The input is consumed lazily; the pool lives as long as the iteration.
    """
    pending: dict[int, T] = {}

    def numbered() -> Iterator[T]:
        for index, item in enumerate(items):
            pending[index] = item
            yield item

    with Pool(fn, workers=limits.worker_count(), limits=limits.pool_limits(), chunksize=limits.chunksize) as pool:
        for outcome in pool.map(numbered()):
            row = pending.pop(outcome.index)
            yield outcome.value if outcome.ok else over_limit(row, _kind(outcome), _message(outcome, limits))


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
