"""Tool runs bounded in time, memory and output, without network: real processes, real limits."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ogi.read.sandbox import Limits, network_isolation, run_bounded


def _alive(marker: str) -> list[str]:
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if marker in line and "ps -eo" not in line]


def test_output_and_status_come_back(tmp_path: Path) -> None:
    run = run_bounded([sys.executable, "-c", "import sys; print(sys.stdin.read().upper()); sys.exit(3)"],
                      tmp_path, Limits(timeout_s=30), stdin=b"abc")
    assert (run.returncode, run.stdout.strip(), run.timed_out, run.ok) == (3, b"ABC", False, False)


def test_a_run_past_its_deadline_is_killed_with_its_children(tmp_path: Path) -> None:
    marker = f"ogi-sandbox-test-{tmp_path.name}"
    sleeper = f'{sys.executable} -c "import time; time.sleep(300)" {marker}'
    run = run_bounded(["sh", "-c", f"{sleeper} & {sleeper} & wait"], tmp_path, Limits(timeout_s=1))
    assert run.timed_out and run.returncode is None and run.seconds < 10
    assert "time limit" in run.why()
    assert _alive(marker) == []  # the shell and both children: the whole process group


def test_memory_is_bounded(tmp_path: Path) -> None:
    run = run_bounded([sys.executable, "-c", "b = bytearray(2 << 30)"], tmp_path,
                      Limits(timeout_s=30, memory_bytes=512 << 20))
    assert not run.ok and b"MemoryError" in run.stderr


def test_output_is_bounded(tmp_path: Path) -> None:
    run = run_bounded([sys.executable, "-c", "import sys\nwhile True: sys.stdout.write('x' * 65536)"], tmp_path,
                      Limits(timeout_s=30, file_bytes=1 << 20, output_bytes=4096))
    assert not run.ok and len(run.stdout) == 4096  # stopped by the file-size limit, not by the deadline


def test_no_network_even_to_this_machine(tmp_path: Path) -> None:
    if not network_isolation():
        pytest.skip("this system allows no network namespaces (unshare); tool runs keep the host's network")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(server.accept()[0]), daemon=True).start()
    probe = f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=3)"
    try:
        run = run_bounded([sys.executable, "-c", probe], tmp_path, Limits(timeout_s=30))
        assert not run.ok and b"Error" in run.stderr and run.network_isolated
        assert accepted == []
        outside = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=30)
        assert outside.returncode == 0  # the server was there all along
    finally:
        server.close()
