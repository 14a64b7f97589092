"""Small generated inputs for the reader tests (no network, no extra packages).

`python tests/readers/reader_fixtures.py` rewrites corpus/pdf/image_only.pdf, the committed scan-like
fixture; the other inputs are built in memory by the tests.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"


def png_bytes(size: tuple[int, int] = (240, 120)) -> bytes:
    """A small picture of a ruled table (what a scanned or pasted table looks like to a reader)."""
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    w, h = size
    for y in range(10, h - 5, 20):
        draw.line([(10, y), (w - 10, y)], fill=0, width=1)
    for x in range(10, w - 5, 44):
        draw.line([(x, 10), (x, h - 10 - (h - 20) % 20)], fill=0, width=1)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def image_only_pdf() -> bytes:
    """A one-page PDF holding only an image: no text layer, like a scanned report."""
    img = Image.open(io.BytesIO(png_bytes())).convert("L")
    out = io.BytesIO()
    fixed = time.strptime("2025-01-01", "%Y-%m-%d")  # same bytes on every run
    img.save(out, format="PDF", resolution=36.0, creationDate=fixed, modDate=fixed)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    """A PDF whose Standard security handler needs a user password we do not have.

    The /U entry is arbitrary, so the empty password does not validate and the file cannot be
    opened: what an encrypted attachment looks like to the reader.
    """
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -44 >>",
    ]
    return pdf_file(objects, b"/Encrypt 4 0 R /ID [<%s><%s>]" % (b"ab" * 16, b"ab" * 16))


def pdf_file(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of numbered objects (1 is the catalog) with its cross-reference table; `trailer` adds
    entries to the trailer dictionary."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref))
    return out.getvalue()


def main() -> int:
    target = CORPUS / "pdf" / "image_only.pdf"
    target.write_bytes(image_only_pdf())
    print(f"wrote {target} ({target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
