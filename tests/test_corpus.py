"""The labelled corpus (tests/corpus) is well-formed, and `ogi accuracy` scores it without a crash.

Accuracy itself is reported by `ogi accuracy`, not asserted here: the labels are ground truth and
stay right whatever the parser does.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from ogi.evaluate.accuracy import accuracy_table, evaluate

CORPUS = Path(__file__).resolve().parent / "corpus"
RENDERINGS = {"html_rowspan", "html_split", "text_cell_per_line", "text_pipe_rows", "markdown", "pdf_text",
              "run_together", "labels_variant", "prose_pre2019", "central_body", "scan_200dpi",
              "scan_150dpi_skew_noise"}
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir() and (p / "labels.json").is_file())


def _model():
    """tests/corpus/tools/model.py: the canonical keys and the spec's identity rules, as the generator uses them."""
    path = CORPUS / "tools" / "model.py"
    spec = importlib.util.spec_from_file_location("corpus_model", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_model"] = module
    spec.loader.exec_module(module)
    return module


model = _model()


def test_corpus_covers_every_rendering():
    renderings = {json.loads((c / "labels.json").read_text(encoding="utf-8"))["rendering"] for c in CASES}
    assert renderings == RENDERINGS
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_case_is_well_formed(case: Path):
    labels = json.loads((case / "labels.json").read_text(encoding="utf-8"))
    docs = [p for p in case.iterdir() if p.name.startswith("document.")]
    assert len(docs) == 1
    assert labels["rendering"] in RENDERINGS
    assert labels["format"] in ("2021", "2019", "pre2019")
    assert isinstance(labels["synthetic"], bool) and labels["origin_url"].startswith("http")
    assert len(labels["region"]) == 6 and labels["region"].isdigit()
    fmt = labels["format"]
    keys = [(c["table"], c["row"], c["col"]) for c in labels["cells"]]
    assert len(keys) == len(set(keys)), "a cell is labelled twice"
    if fmt == "pre2019":
        assert not labels["cells"]
        return
    want = {("active", item, m) for item, measures in model.ACTIVE_LAYOUT[fmt] for m in measures}
    want |= {("requests", r, c) for r in model.request_rows(fmt) for c in model.REQ_COLS}
    want |= {("review_litigation", p, o) for p in model.PROCEEDINGS for o in model.OUTCOMES}
    assert set(keys) == want, "every printed cell of the three tables is labelled"
    for c in labels["cells"]:
        assert (c["raw"] == "") == (c["value"] is None) or c["raw"] in model.PLACEHOLDERS


@pytest.mark.parametrize("case", [c for c in CASES if json.loads((c / "labels.json").read_text(encoding="utf-8"))["cells"]],
                         ids=lambda p: p.name)
def test_identity_breaks_follow_from_the_printed_numbers(case: Path):
    labels = json.loads((case / "labels.json").read_text(encoding="utf-8"))
    assert labels["identity_breaks"] == model.identity_breaks(labels["cells"], labels["format"])


def test_accuracy_runs_without_crashes():
    scores = evaluate(CORPUS)
    assert len(scores) == len(CASES)
    assert not [s.case_id for s in scores if s.crashed]
    table = accuracy_table(scores)
    assert "TOTAL" in table
