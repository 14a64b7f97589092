"""Decompression bombs, small on disk, built in milliseconds: deflate streams made of one
full-flushed block repeated (each copy is self-contained, so N copies inflate to N times the block),
wrapped as a PDF content stream or a DOCX part."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterable

from tests.readers.reader_fixtures import pdf_file

MIB = 1 << 20


def raw_deflate(unit: bytes, copies: int, head: bytes = b"", tail: bytes = b"") -> tuple[bytes, int, int, int]:
    """(raw deflate stream, inflated size, crc32, adler32) of head + unit * copies + tail."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)
    block_co = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = block_co.compress(unit) + block_co.flush(zlib.Z_FULL_FLUSH)
    end_co = zlib.compressobj(9, zlib.DEFLATED, -15)
    end = end_co.compress(tail) + end_co.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    adler = zlib.adler32(head)
    for _ in range(copies):
        crc = zlib.crc32(unit, crc)
        adler = zlib.adler32(unit, adler)
    crc = zlib.crc32(tail, crc)
    adler = zlib.adler32(tail, adler)
    size = len(head) + len(unit) * copies + len(tail)
    return first + block * copies + end, size, crc & 0xFFFFFFFF, adler & 0xFFFFFFFF


def zlib_stream(unit: bytes, copies: int, head: bytes = b"", tail: bytes = b"") -> bytes:
    """A zlib (RFC 1950) stream, as PDF FlateDecode expects."""
    raw, _size, _crc, adler = raw_deflate(unit, copies, head, tail)
    return b"\x78\xda" + raw + struct.pack(">I", adler)


# --- PDF -------------------------------------------------------------------------------------------

HELLO = b"BT /F1 12 Tf 72 720 Td (Hello from a good page) Tj ET\n"


def pdf(contents: Iterable[bytes]) -> bytes:
    """A PDF with one page per FlateDecode content stream given (already compressed)."""
    streams = list(contents)
    n = len(streams)
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n)).encode()
    objs.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n)
    font = 3 + 2 * n
    for i, stream in enumerate(streams):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font))
        objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return pdf_file(objs)


def good_page() -> bytes:
    return zlib.compress(HELLO)


def spaces_page(mib: int) -> bytes:
    """A content stream of HELLO then `mib` MiB of spaces."""
    return zlib_stream(b" " * MIB, mib, head=HELLO)


# --- DOCX ------------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="word/document.xml"/></Relationships>'
)
DOC_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'.encode()
DOC_TAIL = b"</w:body></w:document>"


def _zip(members: list[tuple[str, bytes, int, int, int | None]]) -> bytes:
    """A zip from (name, raw deflate data, inflated size, crc, declared size or None) members."""
    out = io.BytesIO()
    central = []
    for name, data, size, crc, declared in members:
        declared = size if declared is None else declared
        offset = out.tell()
        fname = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), declared, len(fname), 0))
        out.write(fname)
        out.write(data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), declared,
                                   len(fname), 0, 0, 0, 0, 0, offset) + fname)
    start = out.tell()
    for c in central:
        out.write(c)
    end = out.tell()
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), end - start, start, 0))
    return out.getvalue()


def _member(name: str, unit: bytes, copies: int, head: bytes = b"", tail: bytes = b"",
            declared: int | None = None) -> tuple[str, bytes, int, int, int | None]:
    raw, size, crc, _adler = raw_deflate(unit, copies, head, tail)
    return name, raw, size, crc, declared


def docx(body_unit: bytes, copies: int, declared: int | None = None, extra_members: int = 0) -> bytes:
    """A DOCX whose body is `body_unit` repeated `copies` times (declared size optionally a lie)."""
    members = [
        _member("[Content_Types].xml", CONTENT_TYPES, 1),
        _member("_rels/.rels", RELS, 1),
        _member("word/document.xml", body_unit, copies, DOC_HEAD, DOC_TAIL, declared),
    ]
    members += [_member(f"word/media/x{i}.bin", b"x", 1) for i in range(extra_members)]
    return _zip(members)


def paragraphs_docx(mib: int) -> bytes:
    """`mib` MiB of tiny paragraphs."""
    unit = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * (MIB // 34)
    return docx(unit, mib)


def whitespace_docx(mib: int) -> bytes:
    return docx(b" " * MIB, mib)
