"""Which documents of a partition are one report: same body-year-scope, same bytes, or a copy whose body
is unknown printing the same figures — never two known bodies however alike their figures."""

from __future__ import annotations

from decimal import Decimal

from ogi.datasets.identity import Candidate, decide


def _figures(offset: int = 0) -> dict[tuple[str, str, str], Decimal]:
    return {("cell", f"requests/r{i}", "total"): Decimal(i + offset) for i in range(40)}


def _candidate(sid: str, body: str | None, figures, rendering: str = "html") -> Candidate:
    return Candidate(source_id=sid, report_id=f"r{sid:0>20}"[:21], body_id=body, year=2022, scope="body",
                     rendering=rendering, host="www.example.gov.cn", published="2023-01-20", figures=figures)


def test_two_known_bodies_with_the_same_figures_are_two_reports():
    zeros = {k: Decimal(0) for k in _figures()}
    decisions = decide([_candidate("a", "b150000-aaaa", dict(zeros)), _candidate("b", "b150000-bbbb", dict(zeros))])
    assert sorted(d.canonical.source_id for d in decisions) == ["a", "b"]
    assert all(not d.duplicates for d in decisions)


def test_a_copy_without_a_body_joins_the_report_whose_figures_it_prints():
    page = _candidate("page", "b150000-aaaa", _figures())
    text = _candidate("text", None, _figures(), rendering="text")
    other = _candidate("other", "b150000-bbbb", _figures(offset=1000))
    decisions = {d.canonical.source_id: d for d in decide([text, other, page])}
    assert set(decisions) == {"page", "other"}
    assert [dup.source_id for dup, _ in decisions["page"].duplicates] == ["text"]
    assert "same printed figures" in decisions["page"].duplicates[0][1]


def test_many_identified_bodies_stay_apart():
    items = [_candidate(f"s{i}", f"b150000-{i:08x}", _figures(offset=i % 3)) for i in range(3000)]
    assert len(decide(items)) == 3000  # alike figures (three patterns) never join two known bodies


def test_compact_figures_read_back_as_printed():
    from ogi.datasets.identity import FigureCodec

    codec = FigureCodec()
    printed = {("cell", "requests/r1", "total"): Decimal("42"), ("cell", "requests/r2", "total"): Decimal("0.50"),
               ("fact", "requests_received", "current"): Decimal("7")}
    figures = codec.encode(printed)
    other = codec.encode({("cell", "requests/r1", "total"): Decimal("42.0")})
    assert dict(figures.items()) == printed and len(figures) == 3
    assert str(figures[("cell", "requests/r2", "total")]) == "0.50"  # the digits as printed
    assert str(other[("cell", "requests/r1", "total")]) == "42.0"
    assert figures.get(("cell", "requests/r9", "total")) is None and ("cell", "requests/r1", "total") in figures
