"""ogi/evaluate/generate.py: generated reports parse to their expected cells, deterministically.

Measured for seed 20261202, 200 reports (when this test was written): 35 341 labelled figures,
35 302 correct (99.89%), 0 wrong, 0 crashes; the 39 not read (37 unplaced, said so; 2 missing) are
all in the renderings that glue a row's cells (text_no_separator, crawler_one_line). The pages and
the renderings keeping cell positions read 100%. A wrong number anywhere is what fails.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from ogi.evaluate import generate as G
from ogi.evaluate.accuracy import score_document
from ogi.parse.report import parse_bytes

SEED = 20261202
N = 200


@pytest.fixture(scope="module")
def reports() -> list[G.GeneratedReport]:
    return list(G.generate(N, SEED))


@pytest.fixture(scope="module")
def scores(reports):
    return [score_document(r.name, r.data, r.uri, r.labels) for r in reports]


def test_generation_is_deterministic_for_a_seed(reports) -> None:
    again = list(G.generate(N, SEED))
    assert [(r.name, r.data, r.labels) for r in again] == [(r.name, r.data, r.labels) for r in reports]
    other = list(G.generate(20, SEED + 1))
    assert [r.data for r in other] != [r.data for r in reports[:20]]


def test_the_mix_covers_formats_sites_encodings_and_renderings(reports) -> None:
    assert {r.format for r in reports} == {"2021", "2019", "pre2019"}
    assert {r.encoding for r in reports} == set(G.ENCODINGS)
    assert {r.site for r in reports} == set(G.SITES)
    assert set(G.RENDERINGS) <= {r.rendering for r in reports}
    assert Counter(r.broken for r in reports)[True] >= 10
    html_gbk = next(r for r in reports if r.rendering == G.HTML and r.encoding == "gbk")
    assert b"charset=gbk" in html_gbk.data
    html_gbk.data.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        html_gbk.data.decode("utf-8")


def test_consistent_numbers_satisfy_the_identities(reports) -> None:
    for r in reports:
        if r.format == "pre2019":
            continue
        cells = {(t, row, col): v for (t, row, col), v in r.expected.items()}
        assert bool(r.labels["printed_breaks"]) == r.broken, r.name
        if r.broken or r.rendering != G.HTML:
            continue
        for col in ("natural_person", "total"):
            got = [cells.get(("requests", row, col)) for row in ("new_received", "carried_over", "total_processed",
                                                                  "carried_forward")]
            if None not in got:
                assert got[0] + got[1] == got[2] + got[3]
        for proc in ("review", "litigation_direct", "litigation_after_review"):
            parts = [cells[("review_litigation", proc, o)] for o in ("upheld", "corrected", "other", "pending")]
            assert sum(parts, Decimal(0)) == cells[("review_litigation", proc, "total")]


def test_parsing_gives_the_expected_cells_with_no_wrong_number(reports, scores) -> None:
    labelled = sum(s.labelled for s in scores)
    correct = sum(s.correct for s in scores)
    assert not [s.case_id for s in scores if s.crashed]
    assert [(s.case_id, s.misses[:3]) for s in scores if s.wrong] == []
    assert all(s.format_ok is not False and s.year_ok for s in scores)
    assert labelled > 30_000
    assert correct / labelled >= 0.998, (correct, labelled)
    # Pages and renderings with cell positions: every figure read.
    for r, s in zip(reports, scores, strict=True):
        if r.rendering in (G.HTML, "text_separated", "cell_per_line", "markdown_html", "markdown_grid"):
            assert s.correct == s.labelled, (r.name, r.rendering, s.misses[:3])


def test_expected_cells_are_what_parse_bytes_emits_on_a_page(reports) -> None:
    for r in [r for r in reports if r.rendering == G.HTML and r.format != "pre2019"][:10]:
        got = {(c.table, c.row, c.col): c.value for c in parse_bytes(r.data, r.uri).cells if c.raw is not None}
        assert got == r.expected, r.name


def test_broken_reports_get_identity_findings_and_consistent_ones_none(reports, scores) -> None:
    identities = {"I1", "I2", "I3", "I4"}
    broken = [(r, s) for r, s in zip(reports, scores, strict=True) if r.broken]
    assert broken
    for r, s in broken:
        if r.labels.get("identity_breaks_unknown"):
            continue  # the rendering glued the very cells of the broken row: nothing to evaluate it on
        checks = {f.check for f in parse_bytes(r.data, r.uri).findings if f.severity == "warn"}
        assert checks & identities, r.name
        if r.rendering == G.HTML:  # on the page every break is found, and nothing else
            assert s.breaks_found == s.breaks_expected > 0 and s.breaks_extra == 0, (r.name, s.misses)
    for r, s in zip(reports, scores, strict=True):
        if not r.broken:
            assert s.breaks_extra == 0, (r.name, s.misses)
