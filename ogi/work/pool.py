"""A supervised process pool: `fn(item)` over many items, each task under a wall-clock deadline and a
memory ceiling, results in input order.

Why not `concurrent.futures` or `multiprocessing.Pool`: neither can stop one task. A document that
makes a reader loop forever or inflate a gigabyte would hold a worker (or the whole pool) for good,
and a worker that segfaults breaks a ProcessPoolExecutor for every task after it. Here each worker is
a forked process the parent can kill; a task over its limit becomes an `Outcome` with a failure kind,
its worker is replaced, and the other items proceed.

Limits (defaults in `Limits`, all configurable):
- wall clock: `seconds` per task (default 60 s), measured from the moment the worker started that
  task (workers report their progress with the machine-wide monotonic clock, so a consumer that is
  slow to pull results never makes a task look late);
- memory: `memory_bytes` per task (default 1 GiB) above what the worker held when it started. Two
  guards: RLIMIT_AS in the worker (an allocation past the ceiling raises MemoryError at once, so a
  4 GiB allocation never happens) and the parent's watch of each busy worker's resident set
  (read from /proc every `poll_seconds`), which SIGKILLs a worker that grows past the ceiling by
  other means. A worker that hit its ceiling is replaced (its heap may be fragmented or exhausted).
- in flight: at most `max_in_flight` items are taken from the input and not yet yielded (default
  2 x workers x chunksize), so memory stays bounded however long the input is.

Items and results cross a pipe (pickled): send small items (a sha256 and a path, not the bytes) and
small results. `chunksize` items go to a worker per message; deadlines still apply to each item.
`workers=0` runs everything in the calling process with the same API and no limits (for a
debugger or a profiler). Forks on Linux; elsewhere `spawn` is used and `fn` must be importable.
One `map` at a time per pool.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import resource
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

__all__ = ["FailureKind", "Limits", "Outcome", "Pool"]

T = TypeVar("T")
R = TypeVar("R")

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_START_TIMEOUT = 30.0  # a worker that has not said "ready" by then is broken


class FailureKind(StrEnum):
    """Why a task produced no value."""

    TIMEOUT = "timeout"  # ran past Limits.seconds; the worker was killed
    MEMORY = "memory"  # went past Limits.memory_bytes (MemoryError, or killed by the RSS watch)
    CRASHED = "crashed"  # the worker died under it (segfault, os._exit, killed from outside)
    ERROR = "error"  # fn raised; the message says what


@dataclass(frozen=True)
class Limits:
    """Per-task bounds. `address_space=False` leaves RLIMIT_AS off (for libraries that reserve huge
    virtual areas) and relies on the parent's RSS watch alone."""

    seconds: float = 60.0
    memory_bytes: int = 1 << 30
    address_space: bool = True
    poll_seconds: float = 0.05


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """What one item gave: a value, or a failure kind with a message. `index` is its input position."""

    index: int
    value: R | None = None
    failure: FailureKind | None = None
    message: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.failure is None


# --- the worker side -------------------------------------------------------------------------------


def _memory() -> tuple[int, int]:
    """(resident bytes, virtual bytes) of this process."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            size, rss = fh.read().split()[:2]
        return int(rss) * _PAGE, int(size) * _PAGE
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, 0


def _rss_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return None


def _serve(conn: Connection, fn: Callable[[Any], Any], limits: Limits) -> None:
    """Worker loop: run each item of each chunk, report each result as soon as it is known."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    rss, vms = _memory()
    if limits.address_space and vms:
        ceiling = vms + limits.memory_bytes
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            ceiling = min(ceiling, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    conn.send(("ready", rss))
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        for index, item in chunk:
            out_of_memory = False
            try:
                reply: tuple[Any, ...] = ("ok", index, fn(item))
            except MemoryError as exc:
                out_of_memory = True
                reply = ("memory", index, f"MemoryError in the task: {exc}".rstrip(": "))
            except BaseException as exc:  # noqa: BLE001 - any failure of fn is the item's, not the worker's
                reply = ("error", index, f"{type(exc).__name__}: {exc}"[:2000])
            try:
                conn.send((*reply, time.monotonic()))
            except MemoryError:
                out_of_memory = True
                conn.send(("memory", index, "the result was too large to send", time.monotonic()))
            except Exception as exc:  # an unpicklable result
                conn.send(("error", index, f"result could not be sent: {type(exc).__name__}: {exc}"[:2000],
                           time.monotonic()))
            if out_of_memory:
                conn.close()
                os._exit(0)  # the parent replaces this worker and re-queues the rest of the chunk


# --- the parent side -------------------------------------------------------------------------------


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process of the chosen context
    conn: Connection
    base_rss: int
    pending: deque[tuple[int, Any]] = field(default_factory=deque)  # current chunk, not yet reported
    started: float = 0.0  # monotonic start of pending[0]
    retiring: bool = False  # reported MemoryError and is exiting by itself

    @property
    def busy(self) -> bool:
        return bool(self.pending)


def _context() -> Any:
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


class Pool(Generic[T, R]):
    """Worker processes running `fn` under per-task limits; see the module docstring."""

    def __init__(
        self,
        fn: Callable[[T], R],
        *,
        workers: int | None = None,
        limits: Limits | None = None,
        chunksize: int = 1,
        max_in_flight: int | None = None,
    ) -> None:
        self.fn = fn
        self.workers = (os.cpu_count() or 1) if workers is None else max(0, int(workers))
        self.limits = limits or Limits()
        self.chunksize = max(1, int(chunksize))
        default_in_flight = 2 * max(1, self.workers) * self.chunksize
        self.max_in_flight = max(1, int(max_in_flight)) if max_in_flight else default_in_flight
        self._workers: list[_Worker] = []
        self._ctx = _context()
        self.replaced = 0  # workers killed or lost and replaced (for logs and tests)
        self._closed = False

    def __enter__(self) -> Pool[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop every worker: idle ones are asked to exit, busy ones are killed."""
        self._closed = True
        for w in list(self._workers):
            self._stop(w, kill=w.busy)
        self._workers.clear()

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        return [w.process.pid for w in self._workers]

    # -- map -------------------------------------------------------------------------------------------

    def map(self, items: Iterable[T]) -> Iterator[Outcome[R]]:
        """One Outcome per item, in input order; the input is consumed lazily (bounded in flight)."""
        if self._closed:
            raise RuntimeError("the pool is closed")
        if self.workers == 0:
            yield from self._inline(items)
            return
        source = iter(items)
        exhausted = False
        taken = 0  # items pulled from the input
        yielded = 0
        queue: deque[tuple[int, T]] = deque()
        done: dict[int, Outcome[R]] = {}
        try:
            while True:
                while not exhausted and taken - yielded < self.max_in_flight:
                    try:
                        item = next(source)
                    except StopIteration:
                        exhausted = True
                        break
                    queue.append((taken, item))
                    taken += 1
                if yielded in done:
                    yield done.pop(yielded)
                    yielded += 1
                    continue
                if exhausted and yielded == taken:
                    return
                self._dispatch(queue)
                self._wait(queue, done)
        finally:
            # Abandoned midway (consumer stopped): busy workers hold tasks nobody wants.
            for w in [w for w in self._workers if w.busy]:
                self._stop(w, kill=True)
                self._workers.remove(w)

    def _inline(self, items: Iterable[T]) -> Iterator[Outcome[R]]:
        for index, item in enumerate(items):
            start = time.monotonic()
            try:
                value = self.fn(item)
            except MemoryError as exc:
                yield Outcome(index, failure=FailureKind.MEMORY, message=f"MemoryError: {exc}",
                              seconds=time.monotonic() - start)
                continue
            except Exception as exc:  # noqa: BLE001 - same contract as the workers
                yield Outcome(index, failure=FailureKind.ERROR, message=f"{type(exc).__name__}: {exc}"[:2000],
                              seconds=time.monotonic() - start)
                continue
            yield Outcome(index, value=value, seconds=time.monotonic() - start)

    # -- workers ---------------------------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=_serve, args=(child, self.fn, self.limits), daemon=True,
                                    name="ogi-pool-worker")
        # The parent's objects (Dagster, GX, pandas: millions) go to the permanent generation for the fork:
        # the worker's collector never walks them (each full collection would, touching and copying their pages).
        gc.freeze()
        try:
            process.start()
        finally:
            gc.unfreeze()
        child.close()
        if not parent.poll(_START_TIMEOUT):
            process.kill()
            raise RuntimeError("a pool worker did not start")
        tag, base_rss = parent.recv()
        assert tag == "ready"
        worker = _Worker(process=process, conn=parent, base_rss=int(base_rss))
        self._workers.append(worker)
        return worker

    def _stop(self, w: _Worker, kill: bool) -> None:
        if kill:
            with contextlib.suppress(ProcessLookupError, TypeError):
                os.kill(w.process.pid, signal.SIGKILL)
        else:
            with contextlib.suppress(OSError, ValueError):
                w.conn.send(None)
        w.process.join(timeout=None if kill else 2.0)
        if w.process.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(w.process.pid, signal.SIGKILL)
            w.process.join()
        with contextlib.suppress(OSError):
            w.conn.close()
        w.process.close()

    def _dispatch(self, queue: deque[tuple[int, T]]) -> None:
        """Hand a chunk to every idle worker, starting workers up to the pool's size."""
        idle = [w for w in self._workers if not w.busy and not w.retiring]
        while queue:
            if idle:
                w = idle.pop()
            elif len(self._workers) < self.workers:
                w = self._spawn()
            else:
                return
            chunk = [queue.popleft() for _ in range(min(self.chunksize, len(queue)))]
            w.pending = deque(chunk)
            w.started = time.monotonic()
            try:
                w.conn.send(chunk)
            except (OSError, ValueError):  # the worker died while idle: its chunk goes back
                w.pending.clear()
                queue.extendleft(reversed(chunk))
                self._retire(w)

    def _retire(self, w: _Worker, kill: bool = True) -> None:
        self._stop(w, kill=kill)
        if w in self._workers:
            self._workers.remove(w)
        self.replaced += 1

    def _fail_current(self, w: _Worker, kind: FailureKind, message: str, queue: deque[tuple[int, T]],
                      done: dict[int, Outcome[R]]) -> None:
        """The task in progress fails with `kind`; the rest of the chunk goes back to the queue."""
        now = time.monotonic()
        if w.pending:
            index, _item = w.pending.popleft()
            done[index] = Outcome(index, failure=kind, message=message, seconds=now - w.started)
        queue.extendleft(reversed(w.pending))
        w.pending.clear()

    def _receive(self, w: _Worker, done: dict[int, Outcome[R]]) -> bool:
        """Read every message the worker has sent; False when its pipe is closed."""
        try:
            while w.conn.poll():
                tag, index, payload, finished = w.conn.recv()
                if not w.pending or w.pending[0][0] != index:
                    continue  # a late message for a task already given up on
                w.pending.popleft()
                seconds = finished - w.started
                w.started = finished
                if tag == "ok":
                    done[index] = Outcome(index, value=payload, seconds=seconds)
                elif tag == "memory":
                    done[index] = Outcome(index, failure=FailureKind.MEMORY, message=payload, seconds=seconds)
                    w.retiring = True
                else:
                    done[index] = Outcome(index, failure=FailureKind.ERROR, message=payload, seconds=seconds)
        except (EOFError, OSError):
            return False
        return True

    def _wait(self, queue: deque[tuple[int, T]], done: dict[int, Outcome[R]]) -> None:
        """Wait for results, deaths, a deadline or the next memory poll; act on what happened."""
        busy = [w for w in self._workers if w.busy]
        if not busy:
            return
        limits = self.limits
        now = time.monotonic()
        next_deadline = min(w.started for w in busy) + limits.seconds
        timeout = max(0.0, min(next_deadline - now, limits.poll_seconds))
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout))
        for w in busy:
            alive = True
            if w.conn in ready:
                alive = self._receive(w, done)
            if w.process.sentinel in ready or not alive:
                self._receive(w, done)
                w.process.join(timeout=1.0)
                code = w.process.exitcode
                if w.retiring:
                    queue.extendleft(reversed(w.pending))
                    w.pending.clear()
                else:
                    self._fail_current(w, FailureKind.CRASHED, _death(code), queue, done)
                self._retire(w, kill=True)
        now = time.monotonic()
        for w in [w for w in self._workers if w.busy]:
            if now - w.started > limits.seconds:
                self._fail_current(w, FailureKind.TIMEOUT,
                                   f"still running after {limits.seconds:g} s (limit); worker killed", queue, done)
                self._retire(w, kill=True)
                continue
            rss = _rss_of(w.process.pid)
            if rss is not None and rss - w.base_rss > limits.memory_bytes:
                self._fail_current(
                    w, FailureKind.MEMORY,
                    f"resident memory grew by {(rss - w.base_rss) / 2**20:.0f} MiB, over the "
                    f"{limits.memory_bytes / 2**20:.0f} MiB limit; worker killed", queue, done)
                self._retire(w, kill=True)
        for w in [w for w in self._workers if w.retiring and not w.busy]:
            self._retire(w, kill=False)


def _death(exitcode: int | None) -> str:
    if exitcode is None:
        return "the worker vanished"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"the worker died of {name}"
    return f"the worker exited with status {exitcode}"
