"""ogi.text.encoding.decode: header, then <meta>, then BOM, then content; never raises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ogi.text.encoding import decode, normalize_label

ZH = "政府信息公开工作年度报告：主动公开政府信息一千二百件。"


def page(meta: str = "") -> str:
    return f"<html><head>{meta}<title>年报</title></head><body><p>{ZH}</p></body></html>"


def test_header_charset_wins() -> None:
    assert decode(page().encode("gbk"), "text/html; charset=GBK") == (page(), "gb18030")
    assert decode(page().encode("utf-8"), "text/html;charset=UTF-8") == (page(), "utf-8")


def test_meta_charset_both_forms() -> None:
    html5 = page('<meta charset="gb2312">')
    assert decode(html5.encode("gbk"), "text/html") == (html5, "gb18030")
    http_equiv = page('<meta http-equiv="Content-Type" content="text/html; charset=gbk">')
    assert decode(http_equiv.encode("gbk"), None) == (http_equiv, "gb18030")


def test_xml_declaration() -> None:
    xml = f'<?xml version="1.0" encoding="GBK"?><datastore><record>{ZH}</record></datastore>'
    assert decode(xml.encode("gbk")) == (xml, "gb18030")


def test_bom() -> None:
    text, enc = decode(b"\xef\xbb\xbf" + page().encode("utf-8"))
    assert (text, enc) == (page(), "utf-8")
    assert decode("年报".encode("utf-16")) == ("年报", "utf-16")


def test_content_sniffing() -> None:
    assert decode(page().encode("utf-8")) == (page(), "utf-8")
    assert decode(page().encode("gb18030")) == (page(), "gb18030")
    assert decode(b"plain ascii") == ("plain ascii", "utf-8")
    assert decode(b"") == ("", "utf-8")


def test_mislabelled_declarations_fall_through() -> None:
    # Header says UTF-8, bytes are GBK (and the reverse): the bytes decide.
    assert decode(page().encode("gbk"), "text/html; charset=utf-8") == (page(), "gb18030")
    assert decode(page().encode("utf-8"), "text/html; charset=gb2312") == (page(), "utf-8")
    assert decode(page('<meta charset="utf-8">').encode("gbk"))[1] == "gb18030"


def test_gb18030_only_characters() -> None:
    rare = "𠀀㐀" + ZH  # outside GBK: a page labelled gb2312 that really is GB18030
    assert decode(rare.encode("gb18030"), "text/html; charset=gb2312") == (rare, "gb18030")


def test_damaged_bytes_replace_instead_of_raising() -> None:
    data = ZH.encode("utf-8")[:-1] + b"tail"
    text, enc = decode(data, "text/html; charset=utf-8")
    assert enc == "utf-8" and text.startswith(ZH[:-1]) and "\ufffd" in text
    assert decode(b"\xff\xfe\xfd\x80\x81", "text/html; charset=nonsense")[1] in ("utf-8", "gb18030", "utf-16")


def test_labels() -> None:
    assert normalize_label("GB2312") == normalize_label("gbk") == normalize_label("x-gbk") == "gb18030"
    assert normalize_label("UTF8") == "utf-8"
    assert normalize_label("no-such-charset") is None


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300), ct=st.one_of(st.none(), st.text(max_size=40)))
def test_never_raises(data: bytes, ct: str | None) -> None:
    text, enc = decode(data, ct)
    assert isinstance(text, str) and enc == enc.lower()


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=50))
def test_roundtrip_gbk_and_utf8(text: str) -> None:
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(text.encode("gbk"), "text/html; charset=gbk") == (text, "gb18030")
    assert decode(f'<meta charset="gb2312">{text}'.encode("gbk"))[0].endswith(text)
