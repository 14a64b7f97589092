"""The supervised pool with real worker processes: hung, memory-hungry and crashing tasks each become
an Outcome with their kind while the other items proceed, in input order, with bounded input in flight."""

from __future__ import annotations

import ctypes
import faulthandler
import os
import time
from collections.abc import Iterator

import pytest

from ogi.work import FailureKind, Limits, Outcome, Pool


def behave(item: tuple[str, int]) -> int:
    """A task that does what its item says (top-level: workers receive items, not closures)."""
    what, n = item
    if what == "ok":
        return n * n
    if what == "sleep":
        time.sleep(n / 1000)
        return n
    if what == "hang":
        time.sleep(10_000)
    if what == "alloc":
        block = bytearray(n)  # one allocation of n bytes
        return len(block)
    if what == "grow":  # touch memory bit by bit, past any allocation-time check
        held = []
        for _ in range(n):
            held.append(b"\x01" * (8 << 20))
            time.sleep(0.005)
        return len(held)
    if what == "exit":
        os._exit(n)
    if what == "segfault":
        faulthandler.disable()  # pytest's crash dump of the worker would only be noise here
        ctypes.string_at(0)
    if what == "raise":
        raise ValueError(f"bad item {n}")
    if what == "pid":
        return os.getpid()
    raise AssertionError(what)


def values(outcomes: list[Outcome[int]]) -> list[int | None]:
    return [o.value for o in outcomes]


def test_results_come_in_input_order_whatever_the_finishing_order() -> None:
    items = [("sleep", 60 - 3 * i) for i in range(20)]  # early items finish last
    with Pool(behave, workers=2) as pool:
        out = list(pool.map(items))
    assert [o.index for o in out] == list(range(20))
    assert values(out) == [60 - 3 * i for i in range(20)]
    assert all(o.ok for o in out)


def test_a_task_that_never_returns_times_out_and_the_others_proceed() -> None:
    items = [("ok", 1), ("hang", 0), ("ok", 2), ("ok", 3), ("sleep", 50), ("ok", 4)]
    start = time.monotonic()
    with Pool(behave, workers=2, limits=Limits(seconds=1.0)) as pool:
        out = list(pool.map(items))
        replaced = pool.replaced
    took = time.monotonic() - start
    assert out[1].failure is FailureKind.TIMEOUT and "1 s" in out[1].message
    assert 1.0 <= out[1].seconds < 2.5
    assert values(out[:1] + out[2:]) == [1, 4, 9, 50, 16]
    assert replaced == 1
    assert took < 5.0


def test_a_4_gib_allocation_is_a_memory_outcome_and_the_worker_is_replaced() -> None:
    items = [("pid", 0), ("alloc", 4 << 30), ("pid", 0), ("ok", 5)]
    with Pool(behave, workers=1, limits=Limits(memory_bytes=1 << 30)) as pool:
        out = list(pool.map(items))
    assert out[1].failure is FailureKind.MEMORY and "MemoryError" in out[1].message
    assert out[0].ok and out[2].ok and out[3].value == 25
    assert out[0].value != out[2].value  # a new worker ran the item after the failure


def test_memory_growth_without_an_address_limit_is_caught_by_the_rss_watch() -> None:
    limits = Limits(memory_bytes=200 << 20, address_space=False, poll_seconds=0.02)
    items = [("grow", 200), ("ok", 3)]  # would hold 1.6 GB; the ceiling is 200 MiB
    with Pool(behave, workers=1, limits=limits) as pool:
        out = list(pool.map(items))
    assert out[0].failure is FailureKind.MEMORY and "resident memory" in out[0].message
    assert out[1].value == 9


@pytest.mark.parametrize(("what", "says"), [("exit", "exited with status 3"), ("segfault", "SIGSEGV")])
def test_a_worker_that_dies_is_a_crashed_outcome(what: str, says: str) -> None:
    items = [("ok", 1), (what, 3), ("ok", 2)]
    with Pool(behave, workers=1) as pool:
        out = list(pool.map(items))
    assert out[1].failure is FailureKind.CRASHED and says in out[1].message
    assert values([out[0], out[2]]) == [1, 4]


def test_an_exception_is_an_error_with_its_message_and_the_worker_stays() -> None:
    items = [("pid", 0), ("raise", 7), ("pid", 0)]
    with Pool(behave, workers=1) as pool:
        out = list(pool.map(items))
        assert pool.replaced == 0
    assert out[1].failure is FailureKind.ERROR and out[1].message == "ValueError: bad item 7"
    assert out[0].value == out[2].value


def test_failures_inside_a_chunk_leave_the_rest_of_the_chunk_to_run() -> None:
    items = [("ok", i) for i in range(12)]
    items[3] = ("exit", 1)
    items[8] = ("hang", 0)
    with Pool(behave, workers=2, chunksize=5, limits=Limits(seconds=0.5)) as pool:
        out = list(pool.map(items))
    kinds = [o.failure for o in out]
    assert kinds[3] is FailureKind.CRASHED and kinds[8] is FailureKind.TIMEOUT
    assert [o.value for i, o in enumerate(out) if i not in (3, 8)] == [i * i for i in range(12) if i not in (3, 8)]


def test_input_in_flight_is_bounded_even_behind_a_slow_first_item() -> None:
    consumed = 0

    def source() -> Iterator[tuple[str, int]]:
        nonlocal consumed
        yield ("sleep", 400)  # the head of the line keeps everything after it waiting
        consumed += 1
        for i in range(1000):
            yield ("ok", i)
            consumed += 1

    worst = 0
    with Pool(behave, workers=2, max_in_flight=6) as pool:
        for n, outcome in enumerate(pool.map(source()), start=1):
            assert outcome.ok
            worst = max(worst, consumed - n)
    assert consumed == 1001
    assert worst <= 6


def test_in_process_mode_has_the_same_api() -> None:
    items = [("ok", 2), ("raise", 1), ("ok", 3)]
    with Pool(behave, workers=0) as pool:
        out = list(pool.map(items))
    assert values(out) == [4, None, 9]
    assert out[1].failure is FailureKind.ERROR and out[1].message == "ValueError: bad item 1"
    assert out[0].value == 4 and pool.pids() == []


def test_closing_stops_every_worker_and_an_abandoned_map_leaves_the_pool_usable() -> None:
    pool: Pool[tuple[str, int], int] = Pool(behave, workers=2)
    for outcome in pool.map([("ok", 1), ("hang", 0), ("hang", 0), ("hang", 0)]):
        assert outcome.value == 1
        break  # stop after the first result: the hung tasks are abandoned, their workers killed
    pids = pool.pids()
    assert values(list(pool.map([("ok", 4), ("ok", 5)]))) == [16, 25]
    pool.close()
    for pid in pids + pool.pids():
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_default_workers_is_the_cpu_count() -> None:
    with Pool(behave) as pool:
        assert pool.workers == (os.cpu_count() or 1)
        assert values(list(pool.map([("ok", 2)]))) == [4]
