"""Word 97 .doc, WPS .wps, .rtf and .xls/.et spreadsheets → DOCX / XLSX with LibreOffice headless.

Those formats have no good Python reader, and LibreOffice reads them as Word and Excel do. The
converted bytes then go through the same DOCX and spreadsheet readers as native files, so every
format meets one table path. Each conversion runs in a sandbox (ogi/read/sandbox.py: own profile and
temp folder, no network, time and memory bounds, killed at the deadline). With a DerivedStore the
converted bytes are kept beside the raw bytes, keyed by the raw sha256 and LibreOffice's version, so a
document is converted once per converter version. Never raises: a missing LibreOffice is a
`converter_missing` finding, a failed or timed-out conversion a `conversion_failed` one.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ogi.fetch.store import DerivedStore, sha256_hex
from ogi.model import Document, Finding
from ogi.read.limits import MAX_INPUT_BYTES
from ogi.read.sandbox import Limits, run_bounded

__all__ = ["CONVERSION_LIMITS", "Target", "converted", "libreoffice_version", "read_converted"]

# A report is a few dozen pages; LibreOffice converts one in 1-3 s. The bounds stop a hostile file.
CONVERSION_LIMITS = Limits(timeout_s=120.0, memory_bytes=3 << 30, file_bytes=256 << 20)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc, .wps, .xls and .et


class Target(StrEnum):
    """What a format is converted to, and so which reader reads it."""

    DOCX = "docx"
    XLSX = "xlsx"


_FILTER = {Target.DOCX: "docx:MS Word 2007 XML", Target.XLSX: "xlsx:Calc MS Excel 2007 XML"}
# The input's name tells LibreOffice's type detection where to start; the content decides.
_INPUT_NAME = {"doc": "input.doc", "wps": "input.wps", "rtf": "input.rtf", "xls": "input.xls"}
_MIME = {
    "doc": "application/msword",
    "rtf": "application/rtf",
    "wps": "application/vnd.ms-works",
    "xls": "application/vnd.ms-excel",
}


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@functools.cache
def libreoffice_version() -> str | None:
    """LibreOffice's version ("7.4.7.2"), or None when it is not installed or does not answer."""
    exe = _soffice()
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="ogi-lo-version-") as tmp:
        try:
            out = subprocess.run([exe, f"-env:UserInstallation={Path(tmp).as_uri()}", "--version"],
                                 capture_output=True, timeout=30, env={**os.environ, "HOME": tmp}).stdout
        except (OSError, subprocess.SubprocessError):
            return None
    m = re.search(rb"(\d+\.\d+(?:\.\d+)*)", out)
    return m.group(1).decode() if m else None


@dataclass
class Conversion:
    """Converted bytes, or the finding that says why there are none."""

    data: bytes | None
    version: str | None
    finding: Finding | None = None
    cached: bool = False


def _tool(target: Target) -> str:
    return f"libreoffice-{target.value}"


def converted(data: bytes, kind: str, target: Target, *, store: DerivedStore | None = None,
              limits: Limits = CONVERSION_LIMITS) -> Conversion:
    """`data` (a `kind` file as sniffed: doc, wps, rtf, xls) converted to `target`; never raises."""
    version = libreoffice_version()
    if version is None:
        return Conversion(None, None, Finding(
            "converter_missing", "warn", stage="read",
            message=f"{kind} file, {len(data)} bytes: LibreOffice (soffice) is not installed, so it was not "
                    f"converted to {target.value}; scripts/bootstrap installs libreoffice-writer-nogui and "
                    "libreoffice-calc-nogui"))
    sha = sha256_hex(data)
    if store is not None:
        kept = store.get(sha, _tool(target), version)
        if kept is not None:
            return Conversion(kept, version, cached=True)
    if len(data) > MAX_INPUT_BYTES:  # the readers' cap (ogi.read.limits), also when called directly
        return Conversion(None, version, Finding(
            "too_large", "error", stage="read",
            message=f"{kind} file of {len(data):,} bytes is over the {MAX_INPUT_BYTES:,}-byte cap: not converted"))
    out, why = _run_libreoffice(data, kind, target, limits)
    if out is None:
        return Conversion(None, version, Finding(
            "conversion_failed", "error", stage="read",
            message=f"LibreOffice {version} could not convert the {kind} file to {target.value}: {why}"))
    if store is not None:
        store.put(sha, _tool(target), version, out)
    return Conversion(out, version)


def _run_libreoffice(data: bytes, kind: str, target: Target, limits: Limits) -> tuple[bytes | None, str]:
    exe = _soffice()
    assert exe is not None
    name = "input.rtf" if data.startswith(b"{\\rtf") else _INPUT_NAME.get(kind, "input.bin")
    with tempfile.TemporaryDirectory(prefix="ogi-convert-") as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        (work / "out").mkdir()
        src = work / "in" / name
        src.write_bytes(data)
        argv = [exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--invisible",
                "--nologo", "--norestore", "--nodefault", "--nolockcheck", "--convert-to", _FILTER[target],
                "--outdir", str(work / "out"), str(src)]
        run = run_bounded(argv, work, limits, env={"SAL_USE_VCLPLUGIN": "svp"})
        produced = sorted((work / "out").glob(f"*.{target.value}"))
        if run.timed_out or not produced:
            return None, run.why() if not run.ok else "no output written (LibreOffice could not read the file)"
        out = produced[0].read_bytes()
        if not out:
            return None, "empty output"
        return out, ""


def read_converted(data: bytes, kind: str, *, store: DerivedStore | None = None,
                   limits: Limits = CONVERSION_LIMITS) -> Document:
    """Read a .doc/.wps/.rtf (as DOCX) or .xls/.et (as XLSX) by converting it first; never raises."""
    target = Target.XLSX if kind == "xls" else Target.DOCX
    mime = "application/rtf" if data.startswith(b"{\\rtf") else _MIME.get(kind, "application/octet-stream")
    if not data.startswith((_OLE2, b"{\\rtf")):
        # Only the name says .doc/.wps/.xls: LibreOffice would import any bytes as plain text.
        doc = Document(content_type=mime)
        doc.findings.append(Finding("unsupported_format", "warn", stage="read",
                                    message=f"named as a {kind} file, but its {len(data)} bytes are neither an "
                                            "OLE2 compound file nor RTF: not converted"))
        return doc
    conv = converted(data, kind, target, store=store, limits=limits)
    if conv.data is None:
        doc = Document(content_type=mime)
        if conv.finding is not None:
            doc.findings.append(conv.finding)
        return doc
    if target is Target.XLSX:
        from ogi.read.sheet import read_xlsx

        doc = read_xlsx(conv.data)
    else:
        from ogi.read.docx import read_docx

        doc = read_docx(conv.data)
    doc.content_type = mime
    if not doc.blocks and not doc.findings:
        doc.findings.append(Finding("empty_document", "warn", stage="read",
                                    message=f"LibreOffice {conv.version} read the {kind} file as an empty document"))
    doc.meta["converted_by"] = f"libreoffice {conv.version}"
    doc.meta["converted_to"] = target.value
    doc.meta["converted_sha256"] = sha256_hex(conv.data)
    return doc
