"""Size and decompression caps for the readers: a document may not make a reader inflate, hold or
parse more than these, whatever its headers claim.

A 2 MB DOCX can hold 680 MB of tiny paragraphs (8-12 GB once parsed), a 1 MB PDF a content stream
that inflates to 1 GiB. Each cap turns such a document into a finding (stage `read`, check
`too_large` or `decompression_bomb`) instead of a process that eats the machine. The caps sit well
above real annual reports (a few MB, a few hundred thousand XML elements) and are module constants
so a deployment can change them; the supervised pool (ogi.work) bounds what is left (time, memory)
per document.
"""

from __future__ import annotations

import contextlib
import contextvars
import struct
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from ogi.model import Finding

__all__ = [
    "MAX_INFLATED_BYTES",
    "MAX_INPUT_BYTES",
    "MAX_MARKUP_BYTES",
    "MAX_STREAM_BYTES",
    "MAX_XML_ELEMENTS",
    "MAX_XML_PART_BYTES",
    "MAX_ZIP_ENTRIES",
    "DecompressionBomb",
    "TooLarge",
    "bomb_in",
    "finding_for",
    "inflation_budget",
    "zip_entry_count",
]

MAX_INPUT_BYTES = 64 * 1024 * 1024  # a document read at all (downloads are capped at 50 MB)
# An HTML or text page: parsed into a tree ~40x its size (16 MiB of table rows peak at ~630 MB);
# report pages are well under 2 MB.
MAX_MARKUP_BYTES = 16 * 1024 * 1024
MAX_STREAM_BYTES = 16 * 1024 * 1024  # one PDF stream, inflated (page contents, fonts, forms)
MAX_INFLATED_BYTES = 256 * 1024 * 1024  # every PDF stream or DOCX part of one document, inflated
MAX_XML_PART_BYTES = 32 * 1024 * 1024  # one DOCX XML part, inflated
MAX_XML_ELEMENTS = 2_000_000  # tags in one DOCX XML part (each becomes a node held in memory)
MAX_ZIP_ENTRIES = 10_000  # members of one DOCX/zip container

_STEP = 4 * 1024 * 1024  # inflate this much at a time, so a bomb is stopped after one step


class TooLarge(ValueError):
    """A document or one of its parts is over a size cap."""


class DecompressionBomb(TooLarge):
    """Inflating a stream or part would go past a cap."""


def finding_for(exc: TooLarge, what: str = "") -> Finding:
    check = "decompression_bomb" if isinstance(exc, DecompressionBomb) else "too_large"
    return Finding(check, "error", f"{what}{exc}"[:500], stage="read")


def bomb_in(exc: BaseException) -> TooLarge | None:
    """The cap error somewhere in an exception's chain (libraries wrap what they catch)."""
    seen: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo and len(seen) < 20:
        e = todo.pop(0)
        if any(e is s for s in seen):
            continue
        seen.append(e)
        if isinstance(e, TooLarge):
            return e
        todo.extend(a for a in e.args if isinstance(a, BaseException))
        todo.extend(x for x in (e.__cause__, e.__context__) if x is not None)
    return None


class _Budget:
    """Inflated bytes left for one document, and the cap of one stream."""

    def __init__(self, total: int, per_stream: int) -> None:
        self.left = total
        self.total = total
        self.per_stream = per_stream

    def spend(self, n: int, stream_so_far: int) -> None:
        if stream_so_far > self.per_stream:
            raise DecompressionBomb(f"a stream inflates past {self.per_stream // 2**20} MiB (cap per stream)")
        self.left -= n
        if self.left < 0:
            raise DecompressionBomb(f"the document's streams inflate past {self.total // 2**20} MiB (cap per document)")


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("ogi_inflation_budget", default=None)


@contextlib.contextmanager
def inflation_budget(total: int = MAX_INFLATED_BYTES, per_stream: int = MAX_STREAM_BYTES) -> Iterator[None]:
    """Within the block, zlib/LZW inflation through the capped codecs below is bounded."""
    token = _BUDGET.set(_Budget(total, per_stream))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def capped_decompress(data: bytes, *args: Any, **kwargs: Any) -> bytes:
    """zlib.decompress, in steps, under the active budget (plain zlib when none is active)."""
    budget = _BUDGET.get()
    if budget is None:
        return zlib.decompress(data, *args, **kwargs)
    d = zlib.decompressobj(*args, **kwargs)
    out = bytearray()
    pending = data
    while True:
        chunk = d.decompress(pending, _STEP)
        out += chunk
        budget.spend(len(chunk), len(out))
        pending = d.unconsumed_tail
        if d.eof or (not pending and not chunk):
            break
    if not d.eof:
        raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
    return bytes(out)


class _CappedDecompressor:
    """A zlib decompressobj whose output is charged to the active budget."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._out = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        chunk = self._inner.decompress(data, max_length)
        budget = _BUDGET.get()
        if budget is not None:
            self._out += len(chunk)
            budget.spend(len(chunk), self._out)
        return chunk

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class CappedZlib:
    """Stands in for the zlib module inside a library that inflates whole streams at once."""

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    @staticmethod
    def decompress(data: bytes, *args: Any, **kwargs: Any) -> bytes:
        return capped_decompress(data, *args, **kwargs)

    @staticmethod
    def decompressobj(*args: Any, **kwargs: Any) -> _CappedDecompressor:
        return _CappedDecompressor(zlib.decompressobj(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


def capped_join(chunks: Iterator[bytes]) -> bytes:
    """Join a decoder's output chunks under the active budget (LZW yields its output piecewise)."""
    budget = _BUDGET.get()
    out = bytearray()
    for chunk in chunks:
        out += chunk
        if budget is not None:
            budget.spend(len(chunk), len(out))
    return bytes(out)


def capped(decoder: Callable[[bytes], Iterator[bytes]]) -> Callable[[bytes], bytes]:
    return lambda data: capped_join(decoder(data))


# --- zip containers ----------------------------------------------------------------------------------


def zip_entry_count(data: bytes) -> int | None:
    """Members a zip's end-of-central-directory record announces (zip64 too), read before zipfile
    builds one object per member; None when no record is found."""
    tail = data[-(65536 + 22):]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    count = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    if count == 0xFFFF:  # zip64: the real count is in the zip64 record the locator points to
        loc = tail.rfind(b"PK\x06\x07", 0, at)
        if loc >= 0 and len(tail) - loc >= 20:
            offset = struct.unpack("<Q", tail[loc + 8 : loc + 16])[0]
            rec = data[offset : offset + 56]
            if rec[:4] == b"PK\x06\x06" and len(rec) >= 40:
                return int(struct.unpack("<Q", rec[32:40])[0])
    return int(count)
