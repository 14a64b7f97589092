"""Fuzzing with a fixed budget (a few seconds each): structured hostile documents, tables and HTTP
responses. Readers never raise and account for what they got; the fetch never raises, names every
failure with a known kind, ends within its budget, and stores a well-formed response exactly.
scripts/fuzz-readers runs the same document strategies for as long as you like, through the pool."""

from __future__ import annotations

import time
from pathlib import Path

import badserver as bs
import pytest
import strategies as s
from hypothesis import HealthCheck, given, settings
from scaled_policy import scaled

from ogi.fetch.client import ERROR_KINDS, fetch
from ogi.fetch.store import RawStore
from ogi.model import Document, Table
from ogi.parse.tables.reader import read_tables
from ogi.read import read_document
from ogi.read.cleanup import clean
from ogi.read.docx import read_docx

BUDGET = settings(max_examples=40, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def accounted(doc: Document) -> bool:
    return isinstance(doc, Document) and (bool(doc.blocks) or bool(doc.findings))


@BUDGET
@given(s.html_documents())
def test_html_in_any_encoding(page: tuple[bytes, str | None]) -> None:
    data, ctype = page
    doc = clean(read_document(data, "page.html", ctype))
    assert accounted(doc) and isinstance(doc.encoding, str)
    read_tables(doc.blocks)


@BUDGET
@given(s.text_documents())
def test_text_tables_in_any_encoding(data: bytes) -> None:
    doc = clean(read_document(data, "report.txt", "text/plain"))
    assert isinstance(doc, Document)
    read_tables(doc.blocks)


@BUDGET
@given(s.tables())
def test_every_printed_cell_of_an_html_table_is_read_once(table: s.GridTable) -> None:
    doc = read_document(f"<html><body>{s.table_html(table)}</body></html>".encode(), "t.html", "text/html")
    got = ["".join(c.split()) for b in doc.blocks if isinstance(b, Table) for r in b.rows for c in r]
    want = ["".join(c.split()) for r in table.rows for c in r]
    assert sorted(x for x in got if x) == sorted(x for x in want if x)


@BUDGET
@given(s.docx_documents())
def test_docx_keeps_its_paragraphs_in_order(made: tuple[bytes, list[str]]) -> None:
    data, paragraphs = made
    doc = read_docx(data)
    errors = [f.check for f in doc.findings if f.severity == "error"]
    assert errors == [] or (errors == ["empty_document"] and doc.blocks == []), doc.findings
    lines = [b for b in doc.blocks if isinstance(b, str)]
    assert [p.strip() for p in paragraphs if p.strip()] == lines


@BUDGET
@given(s.pdf_documents())
def test_pdf_content_streams(data: bytes) -> None:
    start = time.monotonic()
    doc = read_document(data, "x.pdf", "application/pdf")
    assert isinstance(doc, Document) and doc.meta.get("pages")
    assert time.monotonic() - start < 20


@pytest.fixture(scope="module")
def http_server() -> object:
    current: dict[str, bytes] = {"raw": b""}
    with bs.BadServer({"/fuzz": lambda c: c.send(current["raw"])}) as server:
        yield server, current


@BUDGET
@given(response=s.http_responses())
def test_any_http_response(response: s.HttpResponse, http_server: tuple[bs.BadServer, dict[str, bytes]],
                           tmp_path_factory: pytest.TempPathFactory) -> None:
    server, current = http_server
    current["raw"] = response.raw
    tmp = tmp_path_factory.mktemp("fuzz")
    policy = scaled(tmp, breaker_failures=10**6, breaker_seconds=10**6, allowed_hosts=("127.0.0.1",))
    store = RawStore(tmp / "raw")
    start = time.monotonic()
    rec = fetch(server.url("/fuzz"), store, policy)
    took = time.monotonic() - start
    assert rec.error_kind is None or rec.error_kind in ERROR_KINDS
    assert all(k in ERROR_KINDS for k in rec.failures)
    assert took <= policy.url_seconds + 1.0
    assert not rec.local
    if response.well_formed:
        assert rec.ok, (rec.error_kind, rec.error)
        assert store.get(rec.sha256 or "") == response.body
    if rec.ok and rec.sha256:
        assert rec.size == len(store.get(rec.sha256))


def test_the_strategies_reach_their_hard_cases() -> None:
    """The HTTP strategy does produce well-formed responses (else the storage property says nothing)."""
    from hypothesis import find

    assert find(s.http_responses(), lambda r: r.well_formed).well_formed
    assert Path(s.__file__).name == "strategies.py"
