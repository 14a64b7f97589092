"""Per-host rate limit and concurrency cap hold across threads and across processes."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

from ogi.fetch.ratelimit import HostBusy, HostGate

ROOT = Path(__file__).resolve().parents[2]

WORKER = """
import json, sys, time
from ogi.fetch.ratelimit import HostGate
gate = HostGate(sys.argv[1], min_interval=float(sys.argv[2]), max_concurrency=int(sys.argv[3]))
spans = []
for _ in range(int(sys.argv[4])):
    with gate.slot("www.example.gov.cn"):
        start = time.time()
        time.sleep(float(sys.argv[5]))
        spans.append((start, time.time()))
print(json.dumps(spans))
"""


def run_workers(
    state: Path, n_proc: int, interval: float, conc: int, each: int, hold: float
) -> list[tuple[float, float]]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(state), str(interval), str(conc), str(each), str(hold)],
            stdout=subprocess.PIPE,
            cwd=ROOT,
            text=True,
        )
        for _ in range(n_proc)
    ]
    spans: list[tuple[float, float]] = []
    for p in procs:
        out, _ = p.communicate(timeout=30)
        assert p.returncode == 0
        spans.extend(tuple(s) for s in json.loads(out))
    return sorted(spans)


def test_interval_holds_across_processes(tmp_path: Path) -> None:
    spans = run_workers(tmp_path / "state", n_proc=3, interval=0.1, conc=3, each=3, hold=0.0)
    starts = [s for s, _ in spans]
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert len(starts) == 9
    # Starts are reserved 0.1 s apart across the three processes; sleep overshoot blurs single gaps.
    assert starts[-1] - starts[0] >= 8 * 0.1 - 0.03, gaps
    assert min(gaps) >= 0.04, gaps


def test_concurrency_cap_holds_across_processes(tmp_path: Path) -> None:
    spans = run_workers(tmp_path / "state", n_proc=3, interval=0.0, conc=1, each=2, hold=0.05)
    for (_s1, e1), (s2, _e2) in zip(spans, spans[1:], strict=False):
        assert s2 >= e1 - 0.005, "two requests to one host overlapped with max_concurrency=1"


def test_gate_threads_and_hosts_independent(tmp_path: Path) -> None:
    gate = HostGate(tmp_path, min_interval=0.3, max_concurrency=1)
    t0 = time.monotonic()
    with gate.slot("a.gov.cn"):
        pass
    with gate.slot("b.gov.cn"):  # another host does not wait for a.gov.cn's interval
        pass
    assert time.monotonic() - t0 < 0.2
    with gate.slot("a.gov.cn"):  # the same host does
        pass
    assert time.monotonic() - t0 >= 0.28


def test_busy_host_times_out(tmp_path: Path) -> None:
    gate = HostGate(tmp_path, min_interval=0.0, max_concurrency=1, wait_timeout=0.1)
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with gate.slot("a.gov.cn"):
            held.set()
            release.wait(2)

    t = threading.Thread(target=holder)
    t.start()
    held.wait(2)
    try:
        try:
            with gate.slot("a.gov.cn"):
                raise AssertionError("slot should be busy")
        except HostBusy:
            pass
    finally:
        release.set()
        t.join()
