"""Run an external tool (LibreOffice, Tesseract) on untrusted bytes, bounded in time, memory and output.

A converter fed a hostile or broken file can hang, eat memory or write without end; the pipeline must
go on. Each run gets its own empty folder as home and temp, no network (a fresh network namespace when
the system allows one), rlimits on address space, CPU time, file size and open files, and is killed
with its whole process group at the deadline. The bounds hold whatever pool or worker calls it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Limits", "ToolRun", "network_isolation", "run_bounded"]


@dataclass(frozen=True)
class Limits:
    """Bounds of one tool run."""

    timeout_s: float = 120.0  # wall clock, then the process group is killed
    memory_bytes: int = 2 << 30  # address space (RLIMIT_AS)
    file_bytes: int = 512 << 20  # largest file the tool may write (RLIMIT_FSIZE)
    output_bytes: int = 64 << 20  # stdout/stderr kept at most

    @property
    def cpu_s(self) -> int:
        """CPU seconds: the wall-clock bound, so a busy loop dies even if the kill is missed."""
        return max(1, int(self.timeout_s) + 1)


@dataclass
class ToolRun:
    """What one bounded run did."""

    returncode: int | None  # None when killed at the deadline
    stdout: bytes
    stderr: bytes
    timed_out: bool
    seconds: float
    network_isolated: bool

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def why(self) -> str:
        """A short reason for a failed run, for a finding."""
        if self.timed_out:
            return f"killed after {self.seconds:.0f} s (time limit)"
        tail = self.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        sig = f" (signal {-self.returncode})" if self.returncode is not None and self.returncode < 0 else ""
        return f"exit status {self.returncode}{sig}: {' / '.join(tail)[:300]}"


@functools.cache
def _unshare_argv() -> tuple[str, ...]:
    """The prefix that runs a command without network, or () where namespaces are not allowed."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    argv = (unshare, "-n") if os.geteuid() == 0 else (unshare, "-r", "-n")
    try:
        probe = subprocess.run([*argv, "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ()
    return (*argv, "--") if probe.returncode == 0 else ()


def network_isolation() -> bool:
    """True when tool runs get a network namespace of their own (no network at all)."""
    return bool(_unshare_argv())


def _limit_argv(limits: Limits) -> tuple[str, ...]:
    prlimit = shutil.which("prlimit")
    if prlimit is None:
        return ()
    return (prlimit, f"--as={limits.memory_bytes}", f"--cpu={limits.cpu_s}", f"--fsize={limits.file_bytes}",
            "--nofile=1024", "--core=0", "--")


def _set_limits(limits: Limits) -> None:
    """Fallback without prlimit(1), run in the child before exec."""
    import resource

    for name, value in ((resource.RLIMIT_AS, limits.memory_bytes), (resource.RLIMIT_CPU, limits.cpu_s),
                        (resource.RLIMIT_FSIZE, limits.file_bytes), (resource.RLIMIT_CORE, 0)):
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(name, (value, value))


def _clean_env(workdir: Path, extra: dict[str, str] | None) -> dict[str, str]:
    """Only what a tool needs: no proxies, no credentials, home and temp inside the run's folder."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": str(workdir),
        "TMPDIR": str(workdir),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    env.update(extra or {})
    return env


def run_bounded(argv: list[str], workdir: Path, limits: Limits, *, env: dict[str, str] | None = None,
                stdin: bytes | None = None) -> ToolRun:
    """Run `argv` in `workdir` within `limits`; never raises for the tool's own failures."""
    prefix = _limit_argv(limits)
    full = [*prefix, *_unshare_argv(), *argv]
    preexec = None if prefix else functools.partial(_set_limits, limits)
    start = time.monotonic()
    out_path, err_path = workdir / ".tool-stdout", workdir / ".tool-stderr"
    # Output goes to files, so RLIMIT_FSIZE bounds it too: a tool printing without end is stopped, and
    # the parent never holds more than `output_bytes` of it.
    with open(out_path, "wb") as out_fh, open(err_path, "wb") as err_fh:
        proc = subprocess.Popen(  # noqa: S603 - argv is built here, never from a shell string
            full, cwd=workdir, env=_clean_env(workdir, env),
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=out_fh, stderr=err_fh, start_new_session=True, preexec_fn=preexec,
        )
        try:
            if stdin is not None and proc.stdin is not None:
                with contextlib.suppress(BrokenPipeError):
                    proc.stdin.write(stdin)
                proc.stdin.close()
            timed_out = not _exited(proc.pid, start + limits.timeout_s)
        finally:
            # The whole group, while the leader is still unreaped (its id cannot be reused yet):
            # helpers a tool leaves behind (soffice.bin outliving oosplash) go too.
            _kill_group(proc)
            proc.wait()
    return ToolRun(returncode=None if timed_out else proc.returncode, stdout=_head(out_path, limits.output_bytes),
                   stderr=_tail(err_path, 65536), timed_out=timed_out, seconds=time.monotonic() - start,
                   network_isolated=bool(_unshare_argv()))


def _exited(pid: int, deadline: float) -> bool:
    """Wait for `pid` to exit by `deadline` without reaping it; False at the deadline."""
    while True:
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT | os.WNOHANG) is not None:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)


def _head(path: Path, limit: int) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(limit)


def _tail(path: Path, limit: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - limit))
        return fh.read()


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
