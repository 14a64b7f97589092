"""Content-addressed raw store: fetched bytes kept exactly as received, named by their sha256.

Naming by content makes refetching identical bytes a no-op and lets every later stage point at the
exact bytes it parsed. The root is a local folder or an object-storage URI (`s3://bucket/prefix/raw`,
through pyarrow's filesystems: credentials and endpoint from the usual AWS_* variables); an object
appears only once its upload is complete, so concurrent writers are safe there too.
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


def _is_remote(root: str) -> bool:
    return "://" in root and not root.startswith("file://")


class RawStore:
    """Blobs at root/sha256/<first 2 hex>/<sha256>; safe for concurrent writers (atomic rename, or an
    object-storage upload that becomes visible whole)."""

    def __init__(self, root: Path | str) -> None:
        text = str(root)
        self.remote = _is_remote(text)
        if self.remote:
            import pyarrow.fs as pafs

            self.uri = text.rstrip("/")
            self.fs, self.base = pafs.FileSystem.from_uri(self.uri)
            self.root: Path | str = self.uri
        else:
            self.root = Path(text.removeprefix("file://"))

    def __repr__(self) -> str:
        return f"RawStore({str(self.root)!r})"

    def path(self, sha: str) -> Path | str:
        """Where the blob with this sha256 lives (whether or not it exists yet): a Path, or for object
        storage the filesystem path `bucket/prefix/sha256/ab/<sha>`."""
        sha = sha.lower()
        if not _SHA.match(sha):
            raise ValueError(f"not a sha256 hex digest: {sha!r}")
        if self.remote:
            return f"{self.base.rstrip('/')}/sha256/{sha[:2]}/{sha}"
        return self.root / "sha256" / sha[:2] / sha

    def has(self, sha: str) -> bool:
        """True when the blob is stored."""
        if not isinstance(sha, str):
            return False
        try:
            target = self.path(sha)
        except ValueError:
            return False
        if self.remote:
            import pyarrow.fs as pafs

            return self.fs.get_file_info(target).type == pafs.FileType.File
        return target.is_file()

    def get(self, sha: str) -> bytes:
        """The stored bytes; FileNotFoundError when absent."""
        target = self.path(sha)
        if self.remote:
            if not self.has(sha):
                raise FileNotFoundError(f"{self.uri}: no blob {sha}")
            with self.fs.open_input_stream(target) as fh:
                return fh.read()
        return target.read_bytes()

    def put(self, data: bytes) -> tuple[str, bool]:
        """Store `data`; return (sha256 hex, created). Identical bytes already stored: nothing written."""
        sha = sha256_hex(data)
        if self.remote:
            if self.has(sha):
                return sha, False
            with self.fs.open_output_stream(self.path(sha)) as out:  # visible once the upload completes
                out.write(data)
            return sha, True
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
