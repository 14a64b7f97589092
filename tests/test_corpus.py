"""The labelled corpus (tests/corpus) is well-formed, and `ogi accuracy` scores it without a crash.

The labels are ground truth and stay right whatever the parser does; the floors the parser must
reach on them (tests/corpus/floors.json: no wrong figure anywhere) are asserted here, so CI fails on
any wrong figure or a drop below a floor.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ogi.evaluate.accuracy import Kind, accuracy_table, check_floors, evaluate, load_floors

CORPUS = Path(__file__).resolve().parent / "corpus"
RENDERINGS = {"html_rowspan", "html_split", "text_cell_per_line", "text_pipe_rows", "markdown", "pdf_text",
              "run_together", "labels_variant", "prose_pre2019", "central_body", "crawler_one_line", "html_fragment",
              "prose_text", "scan_200dpi", "scan_150dpi_skew_noise"}
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
    assert isinstance(labels["synthetic"], bool)
    # a real report whose page address is unknown says where it was found instead (source.json)
    assert (labels["origin_url"] or "").startswith("http") or (not labels["synthetic"] and (case / "source.json").is_file())
    assert len(labels["region"]) == 6 and labels["region"].isdigit()
    fmt = labels["format"]
    keys = [(c["table"], c["row"], c["col"]) for c in labels["cells"]]
    assert len(keys) == len(set(keys)), "a cell is labelled twice"
    if not labels.get("cells_complete", True):
        # a real report labelled in part: only canonical cells, each with its printed text
        assert not labels["synthetic"] and labels.get("source")
        assert all(c["raw"] and c["value"] is not None for c in labels["cells"])
        return
    if fmt == "pre2019":
        assert not labels["cells"]
        return
    want = {("active", item, m) for item, measures in model.ACTIVE_LAYOUT[fmt] for m in measures}
    want |= {("requests", r, c) for r in model.request_rows(fmt) for c in model.REQ_COLS}
    want |= {("review_litigation", p, o) for p in model.PROCEEDINGS for o in model.OUTCOMES}
    if labels.get("truncated"):
        # a real report cut short: every cell printed before the cut is labelled, and only canonical cells
        assert not labels["synthetic"] and set(keys) <= want
    else:
        assert set(keys) == want, "every printed cell of the three tables is labelled"
    for c in labels["cells"]:
        assert (c["raw"] == "") == (c["value"] is None) or c["raw"] in model.PLACEHOLDERS


def _complete(case: Path) -> bool:
    labels = json.loads((case / "labels.json").read_text(encoding="utf-8"))
    return bool(labels["cells"]) and labels.get("cells_complete", True) and not labels.get("truncated")


@pytest.mark.parametrize("case", [c for c in CASES if _complete(c)], ids=lambda p: p.name)
def test_identity_breaks_follow_from_the_printed_numbers(case: Path):
    labels = json.loads((case / "labels.json").read_text(encoding="utf-8"))
    assert labels["identity_breaks"] == model.identity_breaks(labels["cells"], labels["format"])


def test_accuracy_runs_without_crashes():
    scores = evaluate(CORPUS, generated=False)
    assert len(scores) == len(CASES)
    assert not [s.case_id for s in scores if s.crashed]
    table = accuracy_table(scores)
    assert "TOTAL" in table


def test_accuracy_meets_the_floors_kept_in_the_repository():
    """The CI gate: no wrong figure anywhere, real cases and every generated rendering above their floors."""
    scores = evaluate(CORPUS)
    assert {s.kind for s in scores} == {Kind.REAL, Kind.GENERATED}
    failures = check_floors(scores, load_floors(CORPUS / "floors.json"))
    assert not failures, "\n".join(failures) + "\n\n" + accuracy_table(scores)


def _case_with_one_figure_mislabelled(tmp_path: Path) -> Path:
    """A copy of a real case whose labels say one printed figure is something else."""
    case = tmp_path / "corpus" / "seed004_tongliao_2022_txt"
    shutil.copytree(CORPUS / "seed004_tongliao_2022_txt", case)
    labels = json.loads((case / "labels.json").read_text(encoding="utf-8"))
    cell = next(c for c in labels["cells"] if c["value"] not in (None, 0))
    cell["raw"], cell["value"] = str(int(cell["value"]) + 1), int(cell["value"]) + 1
    (case / "labels.json").write_text(json.dumps(labels, ensure_ascii=False), encoding="utf-8")
    shutil.copyfile(CORPUS / "floors.json", tmp_path / "corpus" / "floors.json")
    return case.parent


def test_ogi_accuracy_exits_non_zero_on_a_wrong_figure(tmp_path: Path):
    corpus = _case_with_one_figure_mislabelled(tmp_path)
    ogi = Path(sys.executable).with_name("ogi")
    done = subprocess.run([str(ogi), "accuracy", str(corpus), "--no-generated"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "BELOW THE FLOORS" in done.stdout and "1 wrong figure" in done.stdout
    ok = subprocess.run([str(ogi), "accuracy", str(CORPUS), "--no-generated", "--floors", str(tmp_path / "none.json")],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and "no floors file" in ok.stdout
