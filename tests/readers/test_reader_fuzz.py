"""Property tests: random, truncated and damaged attachments give findings, never exceptions."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ogi.model import Document
from ogi.read import read_document
from ogi.read.docx import read_docx
from ogi.read.pdf import read_pdf
from ogi.read.sniff import KINDS, sniff

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
PDF = (CORPUS / "pdf" / "hongze_2024.pdf").read_bytes()
DOCX = (CORPUS / "docx" / "sample_2021.docx").read_bytes()

SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _accounted(d: Document) -> bool:
    """Either something was read or a finding says why not."""
    return isinstance(d, Document) and (bool(d.blocks) or bool(d.findings))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096), st.sampled_from([None, "a.pdf", "a.docx", "a.doc", "a.wps", "a.png", "x"]))
def test_random_bytes(data: bytes, name: str | None) -> None:
    assert sniff(data, name, None) in KINDS
    for d in (read_pdf(data), read_docx(data)):
        assert d.findings and d.findings[0].check == "unreadable"
    assert _accounted(read_document(data, name, None))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes_behind_a_pdf_header(tail: bytes) -> None:
    d = read_pdf(b"%PDF-1.4\n" + tail)
    assert _accounted(d)


@SLOW
@given(st.integers(min_value=0, max_value=len(PDF)))
def test_truncated_pdf(n: int) -> None:
    d = read_pdf(PDF[:n])
    assert _accounted(d)
    if n < len(PDF) - 64:
        assert any(f.check == "unreadable" for f in d.findings)


@SLOW
@given(
    st.lists(
        st.tuples(st.integers(0, len(PDF) - 1), st.binary(min_size=1, max_size=64)), min_size=1, max_size=5
    )
)
def test_damaged_pdf(patches: list[tuple[int, bytes]]) -> None:
    data = bytearray(PDF)
    for at, junk in patches:
        data[at : at + len(junk)] = junk
    assert _accounted(read_pdf(bytes(data)))


@SLOW
@given(st.integers(min_value=0, max_value=len(DOCX) - 1))
def test_truncated_docx(n: int) -> None:
    d = read_docx(DOCX[:n])
    assert d.findings and d.findings[0].check == "unreadable"


@SLOW
@given(
    st.lists(
        st.tuples(st.integers(0, len(DOCX) - 1), st.binary(min_size=1, max_size=32)), min_size=1, max_size=5
    )
)
def test_damaged_docx(patches: list[tuple[int, bytes]]) -> None:
    data = bytearray(DOCX)
    for at, junk in patches:
        data[at : at + len(junk)] = junk
    assert _accounted(read_docx(bytes(data)))
