"""Which format a download really is, and a record of the formats with no reader here.

Government sites publish reports as HTML, PDF, DOCX, and also as .doc, .wps, .rtf, spreadsheets
(.xls, .et, .xlsx) or images. This module decides which one a download really is (the extension and
the Content-Type often lie: a ".doc" that is HTML, a ".pdf" that is an error page) and records
formats with no reader as findings, so nothing is silently dropped.
"""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import parse_qsl, unquote, urlsplit

from ogi.model import Document, Finding
from ogi.read.limits import MAX_ZIP_ENTRIES, zip_entry_count
from ogi.text.encoding import utf16_without_bom

Kind = str  # one of KINDS
KINDS = ("html", "text", "pdf", "docx", "doc", "wps", "xls", "xlsx", "image", "unknown")

# --- sniffing -------------------------------------------------------------------------------------

_EXT_KIND = {
    "pdf": "pdf",
    "docx": "docx",
    "docm": "docx",
    "dotx": "docx",
    "doc": "doc",
    "dot": "doc",
    "rtf": "doc",
    "wps": "wps",
    "wpt": "wps",
    "xls": "xls",
    "xlt": "xls",
    "et": "xls",  # WPS Spreadsheets: the .xls container
    "ett": "xls",
    "xlsx": "xlsx",
    "xlsm": "xlsx",
    "png": "image",
    "jpg": "image",
    "jpeg": "image",
    "jpe": "image",
    "gif": "image",
    "bmp": "image",
    "tif": "image",
    "tiff": "image",
    "webp": "image",
    "html": "html",
    "htm": "html",
    "shtml": "html",
    "xhtml": "html",
    "jhtml": "html",
    "txt": "text",
}
# Dynamic pages whose real file name, if any, is in the query string (download.jsp?filename=a.pdf).
_DYNAMIC_EXT = {"jsp", "php", "asp", "aspx", "do", "action", "cgi", ""}

_CTYPE_KIND = (
    ("application/pdf", "pdf"),
    ("application/x-pdf", "pdf"),
    ("wordprocessingml", "docx"),
    ("spreadsheetml", "xlsx"),
    ("ms-excel", "xls"),
    ("application/kset", "xls"),
    ("wps-office.et", "xls"),
    ("application/msword", "doc"),
    ("application/rtf", "doc"),
    ("text/rtf", "doc"),
    ("wps", "wps"),  # application/kswps, application/wps-office.wps, application/vnd.ms-works
    ("ms-works", "wps"),
    ("image/", "image"),
    ("text/html", "html"),
    ("application/xhtml", "html"),
    ("text/plain", "text"),
)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|meta|title|body|div|table|p|script|link|style|base)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)


def _extension(url_or_name: str | None) -> str:
    """The file extension a URL or file name claims, looking into download.jsp?file=x.pdf too."""
    if not url_or_name:
        return ""
    parts = urlsplit(url_or_name) if "://" in url_or_name else None
    path = unquote(parts.path if parts else url_or_name.split("?")[0].split("#")[0])
    name = path.rstrip("/").rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext in _DYNAMIC_EXT:
        query = parts.query if parts else (url_or_name.split("?", 1)[1] if "?" in url_or_name else "")
        for _key, value in parse_qsl(query):
            value = unquote(value).rsplit("/", 1)[-1]
            if "." in value:
                q_ext = value.rsplit(".", 1)[-1].lower()
                if q_ext in _EXT_KIND:
                    return q_ext
    return ext


def _zip_kind(data: bytes) -> str | None:
    """docx or xlsx when the zip holds a Word document or a workbook; None for other zips (ofd, archives)."""
    entries = zip_entry_count(data)
    if entries is not None and entries > MAX_ZIP_ENTRIES:  # do not build a million ZipInfo objects
        head = data[:65536]
        return "docx" if b"word/" in head else "xlsx" if b"xl/" in head else None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except Exception:
        head = data[:65536]
        if b"word/document.xml" in head or b"word/_rels" in head:
            return "docx"
        return "xlsx" if b"xl/workbook.xml" in head else None
    if "word/document.xml" in names or any(n.startswith("word/") for n in names):
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _decode_cut(sample: bytes, enc: str) -> str | None:
    """The sample decoded, allowing a multi-byte character cut at its end (up to 3 bytes of one)."""
    for cut in range(4):
        try:
            return sample[:len(sample) - cut].decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def _looks_like_text(data: bytes) -> bool:
    """Mostly printable UTF-8 or GB18030 text, no NUL bytes."""
    sample = data[:8192]
    if not sample.strip() or b"\x00" in sample:
        return False
    for enc in ("utf-8", "gb18030"):
        text = _decode_cut(sample, enc)
        if text is None:
            continue
        bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
        return bad <= len(text) * 0.01
    return False


def _magic(data: bytes, ext: str, ctype: str = "") -> str | None:
    """What the bytes themselves say; None when they say nothing decisive."""
    head = data[:1024]
    if head.startswith(b"%PDF") or b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data) or "unknown"
    if head.startswith(_OLE2):
        if ext in ("wps", "wpt") or (ext not in _EXT_KIND and ("wps" in ctype or "works" in ctype)):
            return "wps"
        if ext in ("xls", "xlt", "et", "ett") or (ext not in _EXT_KIND and ("excel" in ctype or "kset" in ctype)):
            return "xls"
        if ext in ("ppt", "pps", "dps", "msg"):
            return "unknown"
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "doc"
    if (
        head.startswith(b"\x89PNG\r\n\x1a\n")
        or head.startswith(b"\xff\xd8\xff")
        or head.startswith((b"GIF87a", b"GIF89a"))
        or head.startswith((b"II*\x00", b"MM\x00*"))
        or (head.startswith(b"RIFF") and head[8:12] == b"WEBP")
        or (head.startswith(b"BM") and len(head) >= 26 and head[6:10] == b"\x00\x00\x00\x00")
    ):
        return "image"
    if _HTML_START.match(head) or re.search(rb"<html[\s>]", head[:4096], re.IGNORECASE):
        return "html"
    utf16 = utf16_without_bom(data) if b"\x00" in head else None
    if utf16 is not None:  # UTF-16 without a byte order mark: judge the decoded text
        text = data[:4096].decode(utf16, errors="replace").encode("utf-8")
        return "html" if _HTML_START.match(text) or re.search(rb"<html[\s>]", text, re.IGNORECASE) else "text"
    return None


def sniff(data: bytes, url_or_name: str | None = None, content_type: str | None = None) -> Kind:
    """Kind of a download: magic bytes first, then the extension, then the Content-Type.

    Returns one of KINDS. An OLE2 compound file is "wps" or "xls" only when the name (or, without a
    known extension, the Content-Type) says so: WPS Writer files share the .doc container, WPS
    Spreadsheets (.et) the .xls one. RTF counts as "doc" (a Word format needing conversion).
    """
    ext = _extension(url_or_name)
    ctype = (content_type or "").lower()
    kind = _magic(data, ext, ctype)
    if kind:
        return kind
    if ext in _EXT_KIND:
        return _EXT_KIND[ext]
    for needle, ck in _CTYPE_KIND:
        if needle in ctype:
            return ck
    if _looks_like_text(data):
        return "text"
    return "unknown"


# --- formats without a reader here -----------------------------------------------------------------

_MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "wps": "application/vnd.ms-works",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
    "text": "text/plain",
}


def _image_mime(data: bytes) -> str:
    head = data[:16]
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if head.startswith(b"GIF8"):
        return "image/gif"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if head.startswith(b"RIFF"):
        return "image/webp"
    if head.startswith(b"BM"):
        return "image/bmp"
    return "image/unknown"


def _describe(data: bytes, kind: str) -> str:
    """A human name for the container, for finding messages."""
    head = data[:8]
    if kind == "image":
        return _image_mime(data).split("/")[1].upper() + " image"
    if head.startswith(b"{\\rtf"):
        return "RTF document"
    if head.startswith(_OLE2):
        return {"wps": "WPS Writer (.wps) file", "doc": "Word 97-2003 (.doc) file"}.get(
            kind, "OLE2 compound file"
        )
    if head.startswith(b"PK\x03\x04"):
        return "ZIP container (neither a Word document nor a workbook; e.g. OFD or an archive)"
    return {"doc": ".doc file", "wps": ".wps file"}.get(kind, "file of unknown format")


def read_other(data: bytes, kind: str | None = None, url_or_name: str | None = None) -> Document:
    """A Document that records why this download was not read: a format with no reader here (OFD,
    archives, presentations, unknown bytes). Office formats and images have readers (conversion and
    OCR in ogi/read/convert.py and ogi/read/ocr.py). Never raises.
    """
    kind = kind or sniff(data, url_or_name)
    what = _describe(data, kind)
    where = f" ({url_or_name})" if url_or_name else ""
    doc = Document(content_type=_image_mime(data) if kind == "image" else _MIME.get(kind, "application/octet-stream"))
    doc.findings.append(
        Finding(
            check="unsupported_format",
            severity="warn",
            stage="read",
            message=f"{what}{where}, {len(data)} bytes: not read here; no reader for it",
        )
    )
    return doc
