"""ogi/evaluate/renderings.py: every labelled source in every rendering real pipelines produce.

The renderings are what the accuracy floors are measured on, so they are tested for what they must
be: deterministic, faithful to the source's printed cells, carrying the defects they claim, and
honest about what they destroy.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ogi.evaluate import renderings as R
from ogi.read import read_document

CORPUS = Path(__file__).resolve().parent / "corpus"
SOURCES = [s for s in (R.load_source(p) for p in sorted(CORPUS.iterdir()) if p.is_dir()) if s is not None]


def test_sources_cover_both_table_templates_and_prose() -> None:
    formats = {s.labels["format"] for s in SOURCES}
    assert formats == {"2019", "2021", "pre2019"}
    assert any(not s.labels["synthetic"] for s in SOURCES)  # a real page among them


@pytest.mark.parametrize("rendering", list(R.Rendering))
def test_every_rendering_of_every_source_is_deterministic_and_readable(rendering: R.Rendering) -> None:
    for source in SOURCES:
        one, again = R.render(source, rendering, seed=3), R.render(source, rendering, seed=3)
        assert one.data == again.data and one.labels == again.labels
        doc = read_document(one.data, one.uri)
        assert doc.blocks, (source.name, rendering)
        assert one.labels["rendering"] == rendering and one.labels["synthetic"] is True
        assert one.labels["generated_from"] == source.name
        # the expected cells are the source's labels, nothing added, nothing dropped
        want = {(c["table"], c["row"], c["col"], c["raw"]) for c in source.labels["cells"]}
        assert {(c["table"], c["row"], c["col"], c["raw"]) for c in one.labels["cells"]} == want
        assert not any("placement" in c for c in one.labels["cells"])


def test_seeds_change_where_the_defects_fall() -> None:
    source = next(s for s in SOURCES if s.name == "hr01_wuxi_liangxi_2022")
    texts = {R.render(source, R.Rendering.MARKDOWN_PDF, seed).data for seed in range(4)}
    assert len(texts) == 4


def test_markdown_from_pdf_carries_the_converters_defects() -> None:
    source = next(s for s in SOURCES if s.name == "hr03_chengdu_wuhou_2023")
    text = R.render(source, R.Rendering.MARKDOWN_PDF, 0).data.decode("utf-8")
    assert "| 项目 | 数据1 |" in text  # rows as little tables under placeholder headers
    assert any(f.format(n) in text for f in ("— {} —", "- {} -", "第 {} 页", "·{}·") for n in range(2, 10))
    lines = text.splitlines()
    value_only = [ln for ln in lines if ln.startswith("|  |") and any(ch.isdigit() for ch in ln)]
    assert value_only  # rows of numbers printed apart from their labels
    assert text.count("| 自然人 | 法人或其他组织 | 总计 |") >= 2  # the column headers repeated inside the table


def test_renderings_without_cell_positions_mark_what_they_destroy() -> None:
    """A blank cell vanishes from a row printed without positions: that row's figures are lost, not expected."""
    source = next(s for s in SOURCES if s.name == "hr01_wuxi_liangxi_2022")  # blanks in the 不予公开 rows
    blank_rows = {c["row"] for c in source.labels["cells"] if c["raw"] == ""}
    for rendering in (R.Rendering.TEXT_NO_SEPARATOR, R.Rendering.LAYOUT_TEXT, R.Rendering.CRAWLER_ONE_LINE):
        labels = R.render(source, rendering, 0).labels
        lost = {c["row"] for c in labels["cells"] if c.get("lost_in_rendering")}
        assert blank_rows <= lost
    for rendering in (R.Rendering.TEXT_SEPARATED, R.Rendering.MARKDOWN_HTML, R.Rendering.CELL_PER_LINE,
                      R.Rendering.MARKDOWN_PDF):
        assert not any(c.get("lost_in_rendering") for c in R.render(source, rendering, 0).labels["cells"])


def test_the_crawler_rendering_is_one_line_after_a_short_header() -> None:
    source = next(s for s in SOURCES if s.name == "seed004_tongliao_2022_html")
    lines = R.render(source, R.Rendering.CRAWLER_ONE_LINE, 0).data.decode("utf-8").splitlines()
    assert lines[0].startswith("标题: ") and len(lines) == 4
    assert "三、收到和处理政府信息公开申请情况" in lines[3] and "二、主动公开政府信息情况" in lines[3]


def test_a_rendered_case_writes_out_like_a_corpus_case(tmp_path: Path) -> None:
    """The scale generator writes renderings to disk: bytes and labels make a case `ogi accuracy` scores."""
    from ogi.evaluate.accuracy import score_case

    source = next(s for s in SOURCES if s.name == "hs01_foshan_nanhai_2021")
    rendered = R.render(source, R.Rendering.TEXT_SEPARATED, 1)
    folder = tmp_path / rendered.name
    folder.mkdir()
    (folder / rendered.filename).write_bytes(rendered.data)
    (folder / "labels.json").write_text(json.dumps(rendered.labels, ensure_ascii=False), encoding="utf-8")
    score = score_case(folder)
    assert not score.crashed and score.labelled == len(source.labels["cells"])
    assert score.wrong == 0


@pytest.mark.parametrize("name", ["hongze_2023", "hongze_2024", "huaian_2024"])
def test_every_rendering_of_a_real_pdf_reads_what_the_pdf_reads_or_less(name: str) -> None:
    """A PDF source renders too; no rendering of it makes the parser read a number the PDF does not print there."""
    from ogi.parse.report import parse_bytes

    pdf = Path(__file__).resolve().parents[1] / "corpus" / "pdf" / f"{name}.pdf"
    source = R.LabelledSource(name, pdf.read_bytes(), str(pdf), {"cells": [], "facts": [], "format": "2021"})
    own = {(c.table, c.row, c.col): c.raw for c in parse_bytes(source.data, source.uri).cells if c.raw is not None}
    assert len(own) >= 170
    for rendering in R.Rendering:
        rendered = R.render(source, rendering, 0)
        got = {(c.table, c.row, c.col): c.raw for c in parse_bytes(rendered.data, rendered.uri).cells
               if c.raw is not None}
        assert {k: v for k, v in got.items() if own.get(k) != v} == {}, rendering
        if rendering not in R.CELLS_GLUED:
            assert got == own, rendering
