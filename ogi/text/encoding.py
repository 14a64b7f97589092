"""Decide how to turn fetched bytes into text, and say which encoding was used.

Chinese government sites mix UTF-8 with GBK/GB2312 and often declare one while serving the other,
so a declaration is only trusted when the bytes actually decode under it; otherwise the next
source of evidence is tried. The raw bytes are never altered: this only produces a text view.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["MIXED", "decode", "declared_charset", "meta_charset", "normalize_label", "utf16_without_bom"]

# The name decode() gives a page whose text is partly UTF-8 and partly GBK/GB18030 (decoded piece by piece).
MIXED = "utf-8+gb18030"

# GB2312 and GBK are subsets of GB18030: decoding with the superset never loses a character the
# page meant, and it accepts the extension characters that pages labelled "gb2312" really use.
_ALIASES: dict[str, str] = {
    "gb2312": "gb18030",
    "gb_2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gb231280": "gb18030",
    "csgb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "windows-936": "gb18030",
    "euc-cn": "gb18030",
    "x-euc-cn": "gb18030",
    "hz-gb-2312": "hz",
    "gb18030": "gb18030",
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "us-ascii": "utf-8",  # ASCII pages are valid UTF-8; authors who write "ascii" mean "plain".
    "ascii": "utf-8",
    "iso-8859-1": "windows-1252",  # as browsers do (WHATWG)
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "big5": "big5",
    "big5-hkscs": "big5hkscs",
}

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (b"\x84\x31\x95\x33", "gb18030", "gb18030"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:+-]+)""", re.I)
# Matches both <meta charset="gbk"> and <meta http-equiv="Content-Type" content="text/html; charset=gbk">
# and the XML prolog <?xml version="1.0" encoding="gbk"?> used by dataproxy listings.
_META = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:+-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:+-]+)["']""", re.I)

_SNIFF_BYTES = 4096


def normalize_label(label: str | None) -> str | None:
    """Map a charset label to the codec name we decode with (lower-case), or None if unknown."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower().replace("_", "-") if label else ""
    if not key:
        return None
    name = _ALIASES.get(key) or _ALIASES.get(key.replace("-", "_")) or _ALIASES.get(key.replace("-", ""))
    if name:
        return name
    try:
        info = codecs.lookup(key)
    except LookupError:
        return None
    canonical = info.name.lower()
    # codecs names gbk "gbk" and gb2312 "gb2312": route them to the superset as well.
    return _ALIASES.get(canonical, canonical.replace("_", "-"))


def declared_charset(content_type: str | None) -> str | None:
    """Charset named by an HTTP Content-Type header, normalised; None if absent or unknown."""
    if not content_type:
        return None
    m = _HEADER_CHARSET.search(content_type)
    return normalize_label(m.group(1)) if m else None


def meta_charset(data: bytes) -> str | None:
    """Charset named by <meta> (or an XML declaration) in the first 4 KB, normalised."""
    head = data[:_SNIFF_BYTES]
    m = _XML_DECL.search(head) or _META.search(head)
    if not m:
        return None
    name = normalize_label(m.group(1).decode("ascii", "replace"))
    # A page that reached us as ASCII-compatible bytes cannot really be UTF-16 (WHATWG rule).
    if name and name.startswith("utf-16"):
        return "utf-8"
    return name


def _bom(data: bytes) -> tuple[str, str] | None:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return codec, name
    return None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _nearly(data: bytes, codec: str) -> str | None:
    """Text under `codec` if only a few characters are damaged (e.g. one bad or cut-off sequence)."""
    try:
        text = data.decode(codec, errors="replace")
    except LookupError:
        return None
    bad = text.count("\ufffd")
    non_ascii = _non_ascii(text)
    return text if bad <= 2 and non_ascii >= 10 * bad else None


def _multibyte_utf8(text: str) -> bool:
    """True when a strict UTF-8 decode reads as Chinese text: at least 8 non-ASCII characters, nearly
    all of them CJK or CJK punctuation. GBK bytes pass strict UTF-8 only by accident, in short runs,
    and then decode to scattered Cyrillic/Latin/rare characters, not to running Chinese."""
    non_ascii = _non_ascii(text)
    if non_ascii < 8:
        return False
    return non_ascii - len(_NOT_CJK.findall(text)) >= 0.9 * non_ascii


def _non_ascii(text: str) -> int:
    """How many characters of `text` are not ASCII (counted in C: this runs on every page fetched and read)."""
    return len(text) - len(text.encode("ascii", "ignore"))


# Non-ASCII characters outside CJK ideographs, CJK punctuation and full-width forms ...
_NOT_CJK = re.compile("[^\x00-\x7f\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
# ... and outside those plus the few symbols Chinese pages use.
_NOT_CHINESE = re.compile("[^\x00-\x7f\u4e00-\u9fff\u3000-\u303f\uff00-\uffef·×÷—‘’“”…\u2460-\u2469]")


def _sniff_strict(data: bytes) -> tuple[str, str] | None:
    """Decide from content alone: strict UTF-8 first (GBK text almost never passes it), then GB18030."""
    for codec in ("utf-8", "gb18030"):
        text = _strict(data, codec)
        if text is not None:
            return text, codec
    return None


def _sniff(data: bytes) -> tuple[str, str]:
    utf8 = _strict(data, "utf-8") or _nearly(data, "utf-8")
    if utf8 is not None:
        return utf8, "utf-8"
    found = _sniff_strict(data)
    if found:
        return found
    # Neither decodes cleanly (damaged or truncated bytes): keep the one that loses fewer characters.
    u = data.decode("utf-8", errors="replace")
    g = data.decode("gb18030", errors="replace")
    return (u, "utf-8") if u.count("\ufffd") <= g.count("\ufffd") else (g, "gb18030")


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when the bytes are UTF-16 text without a byte order mark: markup is
    ASCII, so every other byte is NUL (no HTML or text page has NUL bytes otherwise)."""
    sample = data[:4096]
    sample = sample[: len(sample) - len(sample) % 2]
    half = len(sample) // 2
    if half < 8:
        return None
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    for codec, zeros, others in (("utf-16-le", zeros_odd, zeros_even), ("utf-16-be", zeros_even, zeros_odd)):
        if zeros >= 0.3 * half and others <= 0.02 * half:
            try:
                sample.decode(codec)
            except UnicodeDecodeError:
                continue
            return codec
    return None


# A run of bytes between markup delimiters holding non-ASCII: one text node, written in one encoding.
# "<", ">" and newlines cannot occur inside a UTF-8 or GBK multi-byte character (GBK's second bytes
# start at 0x40), so cutting there never splits a character.
# A segment is a whole run between delimiters holding a byte >= 0x80. The lookbehind lets a match start only
# where a run starts, and the possessive runs never give back: one linear scan (a plain
# `[^<>\n]*[\x80-\xff][^<>\n]*` retries every start of a long ASCII run, ~10 ms a page).
_SEGMENT = re.compile(rb"(?<![^<>\n])[^<>\n\x80-\xff]*+[\x80-\xff][^<>\n]*+")


def _reads_as_chinese(text: str) -> bool:
    """Non-ASCII text that is CJK (ideographs, punctuation, full-width forms, a few symbols), as a
    UTF-8 segment of a Chinese page is; GBK bytes that happen to be valid UTF-8 decode to Latin,
    Greek or Cyrillic letters or to isolated rare characters instead."""
    non_ascii = _non_ascii(text)
    return bool(non_ascii) and non_ascii - len(_NOT_CHINESE.findall(text)) >= 0.9 * non_ascii


def _mixed(data: bytes) -> str | None:
    """The text of a page whose text nodes are partly UTF-8 and partly GB18030, decoded node by
    node; None when the page is in one encoding (both must carry real text: 8+ characters each)."""
    segments = [(m.start(), m.end(), m.group()) for m in _SEGMENT.finditer(data)]
    utf8: dict[int, str] = {}  # segment index → its text, for the segments that read as UTF-8 Chinese
    utf8_chars = 0
    for i, (_start, _end, seg) in enumerate(segments):
        text = _strict(seg, "utf-8")
        if text is not None and _reads_as_chinese(text):
            utf8[i] = text
            utf8_chars += _non_ascii(text)
    if utf8_chars < 8:  # a page in one encoding (the common case): no GB18030 pass
        return None
    gb_chars = 0
    pieces: list[tuple[int, int, str]] = []
    for i, (start, end, seg) in enumerate(segments):
        text = utf8.get(i)
        if text is None:
            text = _strict(seg, "gb18030")
            if text is None:
                continue
            gb_chars += _non_ascii(text)
        pieces.append((start, end, text))
    if utf8_chars < 8 or gb_chars < 8:
        return None
    out: list[str] = []
    at = 0
    for start, end, text in pieces:
        out.append(data[at:start].decode("utf-8", errors="replace"))
        out.append(text)
        at = end
    out.append(data[at:].decode("utf-8", errors="replace"))
    return "".join(out)


def decode(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, encoding_name) for fetched bytes; never raises.

    Evidence in order: HTTP header charset, <meta>/XML declaration in the first 4 KB, byte order
    mark, then the content itself. Sites often mislabel GBK as UTF-8 or the reverse, so a declared
    encoding under which the bytes do not decode is passed over (unless only a character or two is
    damaged), and a GBK label on bytes that are valid multi-byte UTF-8 yields UTF-8. If nothing
    decodes cleanly, the first declared encoding (else the best sniffed one) is used with
    errors="replace". Two cases no label describes are recognised from the bytes: UTF-16 without a
    byte order mark ("utf-16-le"/"utf-16-be"), and a page mixing UTF-8 and GBK text nodes (a UTF-8
    template around a pasted GBK article), decoded node by node and named MIXED.
    """
    try:
        if not data:
            return "", declared_charset(content_type) or "utf-8"
        bom = _bom(data)
        if bom is None and b"\x00" in data[:4096]:
            codec = utf16_without_bom(data)
            if codec is not None:
                return data[: len(data) - len(data) % 2].decode(codec, errors="replace"), codec
        if bom is None and _strict(data, "utf-8") is None:
            mixed = _mixed(data)
            if mixed is not None:
                return mixed, MIXED
        candidates: list[tuple[str, str]] = []
        for name in (declared_charset(content_type), meta_charset(data)):
            if name:
                # With a UTF-8 BOM present, decode UTF-8 with the BOM stripped.
                codec = "utf-8-sig" if name == "utf-8" and bom and bom[1] == "utf-8" else name
                candidates.append((codec, name))
        if bom:
            candidates.append(bom)
        seen: set[str] = set()
        for codec, name in candidates:
            if codec in seen:
                continue
            seen.add(codec)
            text = _strict(data, codec)
            if text is not None:
                if name == "gb18030" and not bom:
                    # GB18030 accepts most byte strings, UTF-8 almost none: a page labelled GBK whose
                    # bytes are valid multi-byte UTF-8 is a mislabelled UTF-8 page.
                    utf8 = _strict(data, "utf-8")
                    if utf8 is not None and _multibyte_utf8(utf8):
                        return utf8, "utf-8"
                return text, name
        if not candidates:
            return _sniff(data)
        # Nothing declared decodes cleanly: a declared codec with a few damaged characters (a cut-off
        # sequence) still beats switching codec, otherwise trust the content.
        for codec, name in candidates:
            text = _nearly(data, codec)
            if text is not None:
                return text, name
        found = _sniff_strict(data)
        if found:
            return found
        codec, name = candidates[0]
        return data.decode(codec, errors="replace"), name
    except Exception:  # noqa: BLE001 - contract: never raise on a bad document
        return data.decode("utf-8", errors="replace"), "utf-8"
