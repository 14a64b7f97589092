"""Text and encoding faults: the traditional-script check counts only characters that are
traditional-only (申 of every 申请 is not), and pages mixing UTF-8 with GBK or written in UTF-16
without a byte order mark keep their tables, with a finding saying what the decoding did."""

from __future__ import annotations

from pathlib import Path

import badserver as bs
import pytest

from ogi.fetch.client import fetch
from ogi.fetch.policy import FetchPolicy
from ogi.fetch.store import RawStore
from ogi.model import Document
from ogi.read import read_document
from ogi.read.cleanup import _TRADITIONAL, clean, traditional_share
from ogi.read.sniff import sniff
from ogi.text.encoding import MIXED, decode

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
DOCUMENTS = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".txt", ".html", ".pdf", ".docx"))
# Articles 1-3 of Taiwan's 政府資訊公開法, as published (traditional script).
TRADITIONAL = (
    "第一條　為建立政府資訊公開制度，便利人民共享及公平利用政府資訊，保障人民知的權利，增進人民對公共事務之瞭解、"
    "信賴及監督，並促進民主參與，特制定本法。\n"
    "第二條　政府資訊之公開，依本法之規定。但其他法律另有規定者，依其規定。\n"
    "第三條　本法所稱政府資訊，指政府機關於職權範圍內作成或取得而存在於文書、圖畫、照片、磁碟、磁帶、光碟片、"
    "微縮片、積體電路晶片等媒介物及其他得以讀、看、聽或以技術、輔助方法理解之任何紀錄內之訊息。\n"
)


def checks(doc: Document) -> list[str]:
    return [f.check for f in doc.findings]


# --- traditional script -----------------------------------------------------------------------------


def test_shen_and_other_shared_characters_are_not_traditional_only() -> None:
    assert not set("申请报告政府信息公开乾于著后里") & _TRADITIONAL
    assert set("請報國與後裏") <= _TRADITIONAL


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(CORPUS)))
def test_no_simplified_report_has_a_traditional_only_character(path: Path) -> None:
    doc = read_document(path.read_bytes(), str(path))
    assert traditional_share(doc) == 0.0
    assert "traditional_script" not in checks(clean(doc))


def test_a_block_of_shenqing_lines_does_not_warn() -> None:
    """The 依申请 table of every 2019+ report: once 1 character in 5 was counted as traditional."""
    lines = [line for p in sorted((CORPUS / "seeds").glob("*.txt"))
             for line in p.read_text(encoding="utf-8").splitlines() if "申请" in line]
    assert len(lines) >= 10
    doc = clean(read_document("\n".join(lines).encode("utf-8"), "lines.txt"))
    assert "traditional_script" not in checks(doc)


def test_a_real_traditional_text_warns() -> None:
    doc = clean(read_document(TRADITIONAL.encode("utf-8"), "law.txt"))
    assert "traditional_script" in checks(doc)
    assert float(doc.meta["traditional_script"].rstrip("%")) > 10


# --- encodings --------------------------------------------------------------------------------------

ROWS = [("主动公开政府信息数量", "1200"), ("依申请公开", "35"), ("行政复议", "2")]
TABLE = "<table>" + "".join(f"<tr><td>{label}</td><td>{n}</td></tr>" for label, n in ROWS) + "</table>"
ARTICLE = "<div class='content'><p>" + "本年度，我单位认真贯彻落实《中华人民共和国政府信息公开条例》。" * 5 + "</p>" + TABLE + "</div>"
TEMPLATE_HEAD = "<html><head><title>某市人民政府门户网站</title></head><body><div class='nav'>首页 政务公开 政府信息公开年报</div>"
TEMPLATE_FOOT = "<div class='footer'>主办单位：某市人民政府办公室 网站标识码1234567890</div></body></html>"


def expected_rows(doc: Document) -> bool:
    return any([list(r) for r in ROWS] == t.rows for t in doc.tables())


@pytest.mark.parametrize(("template", "article"), [("utf-8", "gbk"), ("gbk", "utf-8")])
def test_a_page_mixing_utf8_and_gbk_keeps_its_table(template: str, article: str) -> None:
    data = TEMPLATE_HEAD.encode(template) + ARTICLE.encode(article) + TEMPLATE_FOOT.encode(template)
    text, encoding = decode(data, "text/html; charset=utf-8")
    assert encoding == MIXED and "依申请公开" in text and "某市人民政府门户网站" in text
    doc = read_document(data, "page.html", "text/html; charset=utf-8")
    assert expected_rows(doc)
    assert "mixed_encoding" in checks(doc)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_utf16_page_without_a_bom_keeps_its_table(codec: str) -> None:
    data = (TEMPLATE_HEAD + ARTICLE + TEMPLATE_FOOT).encode(codec)
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    assert sniff(data, "https://www.example.gov.cn/nb/show?id=1", None) == "html"  # no extension, no type
    doc = read_document(data, "https://www.example.gov.cn/nb/show?id=1")
    assert doc.encoding == codec and expected_rows(doc)
    assert "encoding_detected" in checks(doc)


@pytest.mark.parametrize("codec", ["utf-8", "gbk"])
def test_a_page_in_one_encoding_gets_no_encoding_finding(codec: str) -> None:
    data = (TEMPLATE_HEAD + ARTICLE + TEMPLATE_FOOT).encode(codec)
    doc = read_document(data, "page.html")
    assert expected_rows(doc)
    assert not {"mixed_encoding", "encoding_detected", "encoding_errors"} & set(checks(doc))


def test_the_bundled_gbk_page_is_not_taken_for_a_mixed_one() -> None:
    (page,) = (CORPUS / "pages" / "www.yiyang.gov.cn").rglob("*.html")
    assert decode(page.read_bytes(), "text/html")[1] == "gb18030"


def test_undecodable_bytes_are_a_finding_with_evidence() -> None:
    data = (TEMPLATE_HEAD + ARTICLE).encode("utf-8") + b"\xff\xfe\xfd\xfc\x80\x81" * 3 + TEMPLATE_FOOT.encode("utf-8")
    doc = read_document(data, "page.html", "text/html; charset=utf-8")
    (finding,) = [f for f in doc.findings if f.check == "encoding_errors"]
    assert finding.evidence and "\ufffd" in finding.evidence
    assert expected_rows(doc)  # what could be decoded was


def test_the_fetch_log_names_the_detected_encodings(tmp_path: Path, policy: FetchPolicy) -> None:
    mixed = TEMPLATE_HEAD.encode("utf-8") + ARTICLE.encode("gbk") + TEMPLATE_FOOT.encode("utf-8")
    utf16 = (TEMPLATE_HEAD + ARTICLE + TEMPLATE_FOOT).encode("utf-16-le")
    routes = {"/mixed.html": bs.page(mixed, "text/html; charset=utf-8"), "/utf16.html": bs.page(utf16, "text/html")}
    with bs.BadServer(routes) as server:
        a = fetch(server.url("/mixed.html"), RawStore(tmp_path / "raw"), policy)
        b = fetch(server.url("/utf16.html"), RawStore(tmp_path / "raw"), policy)
    assert (a.ok, a.encoding) == (True, MIXED)
    assert (b.ok, b.encoding) == (True, "utf-16-le")
