"""Content-addressed stores: fetched bytes kept exactly as received, named by their sha256, and the
bytes derived from them by a tool (a .doc converted to DOCX, a scan's OCR output).

Naming by content makes refetching identical bytes a no-op and lets every later stage point at the
exact bytes it parsed. The root is a local folder or an object-storage URI (`s3://bucket/prefix/raw`,
through pyarrow's filesystems: credentials and endpoint from the usual AWS_* variables); an object
appears only once its upload is complete, so concurrent writers are safe there too.
exact bytes it parsed. Derived bytes are named by the raw bytes' sha256 and the tool and its version,
so a new converter version converts again while an unchanged one is never run twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path

__all__ = ["DerivedStore", "RawStore", "sha256_hex"]

_SHA = re.compile(r"^[0-9a-f]{64}$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$")


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
        _write_once(target, data, sha[:8])
        return sha, True

    def __contains__(self, sha: object) -> bool:
        return isinstance(sha, str) and self.has(sha)


def _write_once(target: Path, data: bytes, tag: str) -> None:
    """Write `data` at `target` atomically (temp file + rename), read-only once written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{tag}.", suffix=".tmp", dir=target.parent)
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


class DerivedStore:
    """Bytes a tool derived from raw bytes, at root/derived/<tool>/<version>/<2 hex>/<raw sha256>.

    `tool` names the tool and its output (`libreoffice-docx`, `tesseract-tsv`), `version` the tool's
    version and settings that change its output: bytes derived by another version are another entry,
    never a stale answer. The raw sha256 keeps lineage: the derived bytes point back at the bytes
    fetched.
    """

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"DerivedStore({str(self.root)!r})"

    def path(self, raw_sha: str, tool: str, version: str) -> Path:
        """Where the bytes `tool` `version` derived from the raw bytes `raw_sha` live."""
        raw_sha = raw_sha.lower()
        if not _SHA.match(raw_sha):
            raise ValueError(f"not a sha256 hex digest: {raw_sha!r}")
        for what, name in (("tool", tool), ("version", version)):
            if not _NAME.match(name):
                raise ValueError(f"{what} must be a short file-name-safe word: {name!r}")
        return self.root / "derived" / tool / version / raw_sha[:2] / raw_sha

    def get(self, raw_sha: str, tool: str, version: str) -> bytes | None:
        """The derived bytes, or None when this tool version has not derived them yet."""
        try:
            return self.path(raw_sha, tool, version).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, raw_sha: str, tool: str, version: str, data: bytes) -> Path:
        """Keep derived bytes (idempotent: a second put of the same key keeps the first bytes)."""
        target = self.path(raw_sha, tool, version)
        if not target.is_file():
            _write_once(target, data, raw_sha[:8])
        return target
