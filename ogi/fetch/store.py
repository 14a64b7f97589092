"""Content-addressed raw store: fetched bytes kept exactly as received, named by their sha256.

Naming by content makes refetching identical bytes a no-op and lets every later stage point at the
exact bytes it parsed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path

__all__ = ["RawStore", "sha256_hex"]

_SHA = re.compile(r"^[0-9a-f]{64}$")


def sha256_hex(data: bytes) -> str:
    """Hex sha256 of `data` (the store's key)."""
    return hashlib.sha256(data).hexdigest()


class RawStore:
    """Blobs at root/sha256/<first 2 hex>/<sha256>; safe for concurrent writers (atomic rename)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"RawStore({str(self.root)!r})"

    def path(self, sha: str) -> Path:
        """Where the blob with this sha256 lives (whether or not it exists yet)."""
        sha = sha.lower()
        if not _SHA.match(sha):
            raise ValueError(f"not a sha256 hex digest: {sha!r}")
        return self.root / "sha256" / sha[:2] / sha

    def has(self, sha: str) -> bool:
        """True when the blob is stored."""
        if not isinstance(sha, str):
            return False
        try:
            return self.path(sha).is_file()
        except ValueError:
            return False

    def get(self, sha: str) -> bytes:
        """The stored bytes; FileNotFoundError when absent."""
        return self.path(sha).read_bytes()

    def put(self, data: bytes) -> tuple[str, bool]:
        """Store `data`; return (sha256 hex, created). Identical bytes already stored: nothing written."""
        sha = sha256_hex(data)
        target = self.path(sha)
        if target.is_file():
            return sha, False
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{sha[:8]}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o444)
            # Two writers racing on the same content both produce identical bytes: either rename wins.
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return sha, True

    def __contains__(self, sha: object) -> bool:
        return isinstance(sha, str) and self.has(sha)
