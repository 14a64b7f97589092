"""Parse accuracy on the labelled corpus (tests/corpus/<case>/{document.*, labels.json}).

The labels are ground truth written from the source, never from the parser's output: a figure
counts as correct only when the parser emits the same cell with the same printed text and value
(and placement, where the label states one). Crashes are counted, not raised, so one bad reader
cannot hide the state of all the others.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

_IDENTITIES = ("I1", "I2", "I3", "I4")
_SUBJECT = {"I1": "col", "I2": "col", "I3": "row", "I4": "row"}


@dataclass
class CaseScore:
    """How the parser did on one labelled case; `misses` say what went wrong, for fixing the reader."""

    case_id: str
    rendering: str
    labelled: int = 0  # labelled figures: cells plus prose facts
    correct: int = 0
    spurious: int = 0  # figures the parser emits that the source does not print
    unit_errors: int = 0  # correct figures whose labelled unit / unit_source differs
    breaks_expected: int = 0
    breaks_found: int = 0  # labelled identity breaks the parser reported
    breaks_extra: int = 0  # identity breaks reported that the labels do not list
    format_ok: bool | None = None
    crashed: bool = False
    error: str | None = None
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0


def _same_number(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return False


def _same_raw(label: str | None, got: str | None) -> bool:
    """Printed texts compare without surrounding or internal whitespace (a crawler's spacing is not content)."""
    if label is None or got is None:
        return label is None and got is None
    return "".join(label.split()) == "".join(got.split())


def _key(cell: dict[str, Any]) -> tuple[str, str, str]:
    return cell["table"], cell["row"], cell["col"]


def _document(folder: Path) -> Path | None:
    docs = sorted(p for p in folder.iterdir() if p.is_file() and p.name.startswith("document."))
    return docs[0] if docs else None


def score_case(folder: Path) -> CaseScore:
    """Parse one case folder and compare with its labels; a crash is recorded, never raised."""
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    score = CaseScore(case_id=folder.name, rendering=labels.get("rendering", "?"))
    want_cells: list[dict[str, Any]] = labels.get("cells", [])
    want_facts: list[dict[str, Any]] = labels.get("facts", [])
    want_breaks = {(b["check"], b.get("row") or b.get("col")) for b in labels.get("identity_breaks", [])}
    score.labelled = len(want_cells) + len(want_facts)
    score.breaks_expected = len(want_breaks)
    doc = _document(folder)
    if doc is None:
        score.crashed, score.error = True, "no document.* file"
        return score
    try:
        from ogi.parse.report import parse_bytes

        year = labels.get("year")
        report = parse_bytes(doc.read_bytes(), str(doc), origin_uri=labels.get("origin_url"),
                             province_hint=labels.get("region"), year_hint=int(year) if year else None)
        record = report.to_record()
    except Exception as exc:  # noqa: BLE001 - a crashing case is a result, not an abort
        score.crashed = True
        score.error = f"{type(exc).__name__}: {exc}"
        score.misses.append("crash: " + traceback.format_exc(limit=-3).strip().splitlines()[-1])
        return score

    score.format_ok = record["report"].get("format") == labels.get("format")
    if not score.format_ok:
        score.misses.append(f"format: got {record['report'].get('format')!r}, labelled {labels.get('format')!r}")
    _score_cells(score, want_cells, record.get("cells", []))
    _score_facts(score, want_facts, record.get("facts", []))
    got_breaks = {(f["check"], f.get(_SUBJECT[f["check"]])) for f in record.get("findings", [])
                  if f.get("check") in _IDENTITIES}
    score.breaks_found = len(want_breaks & got_breaks)
    score.breaks_extra = len(got_breaks - want_breaks)
    for check, subject in sorted(want_breaks - got_breaks):
        score.misses.append(f"identity break not reported: {check} {subject}")
    for check, subject in sorted(got_breaks - want_breaks, key=str):
        score.misses.append(f"identity break reported but not in the source: {check} {subject}")
    return score


def _score_cells(score: CaseScore, want: list[dict[str, Any]], got_cells: list[dict[str, Any]]) -> None:
    got: dict[tuple[str, str, str], dict[str, Any]] = {}
    for cell in got_cells:
        if cell.get("raw") is None:  # a position no printed cell fills: not a claim about the source
            continue
        if _key(cell) in got:
            score.spurious += 1
            score.misses.append(f"cell emitted twice: {'/'.join(_key(cell))}")
            continue
        got[_key(cell)] = cell
    labelled = {_key(c) for c in want}
    for cell in want:
        g = got.get(_key(cell))
        where = "/".join(_key(cell))
        if g is None:
            score.misses.append(f"missing {where} (labelled {cell['raw']!r})")
            continue
        ok = _same_raw(cell["raw"], g.get("raw")) and _same_number(cell["value"], g.get("value"))
        if "placement" in cell:
            ok = ok and g.get("placement", "printed") == cell["placement"]
        if not ok:
            extra = f", placement {g.get('placement')!r} vs {cell['placement']!r}" if "placement" in cell else ""
            score.misses.append(f"wrong {where}: got {g.get('raw')!r}={g.get('value')!r}, "
                                f"labelled {cell['raw']!r}={cell['value']!r}{extra}")
            continue
        score.correct += 1
        if "unit" in cell and (g.get("unit") != cell["unit"] or g.get("unit_source") != cell.get("unit_source")):
            score.unit_errors += 1
            score.misses.append(f"unit {where}: got {g.get('unit')!r}/{g.get('unit_source')!r}, "
                                f"labelled {cell['unit']!r}/{cell.get('unit_source')!r}")
    for key, g in got.items():
        if key not in labelled:
            score.spurious += 1
            score.misses.append(f"spurious {'/'.join(key)} = {g.get('raw')!r}")


def _score_facts(score: CaseScore, want: list[dict[str, Any]], got_facts: list[dict[str, Any]]) -> None:
    got: dict[tuple[str, str], dict[str, Any]] = {}
    for fact in got_facts:
        got.setdefault((fact["key"], fact.get("period") or "year"), fact)
    labelled = {(f["key"], f.get("period", "year")) for f in want}
    for fact in want:
        key = (fact["key"], fact.get("period", "year"))
        g = got.get(key)
        if g is not None and _same_number(g.get("value"), fact["value"]):
            score.correct += 1
        else:
            score.misses.append(f"fact {key[0]} ({key[1]}): got {None if g is None else g.get('value')!r}, "
                                f"labelled {fact['value']!r}")
    for key, g in got.items():
        if key not in labelled:
            score.spurious += 1
            score.misses.append(f"spurious fact {key[0]} ({key[1]}) = {g.get('value')!r}: {str(g.get('evidence'))[:60]}")


def evaluate(corpus_dir: Path) -> list[CaseScore]:
    """Score every case folder (one holding labels.json) under `corpus_dir`, in name order."""
    folders = sorted(p for p in Path(corpus_dir).iterdir() if p.is_dir() and (p / "labels.json").is_file())
    return [score_case(f) for f in folders]


def _row(name: str, scores: Iterable[CaseScore]) -> list[str]:
    s = list(scores)
    labelled = sum(x.labelled for x in s)
    correct = sum(x.correct for x in s)
    pct = f"{100 * correct / labelled:.1f}" if labelled else "-"
    found, expected = sum(x.breaks_found for x in s), sum(x.breaks_expected for x in s)
    extra = sum(x.breaks_extra for x in s)
    fmt_ok = sum(1 for x in s if x.format_ok)
    return [name, str(len(s)), str(labelled), str(correct), pct, str(sum(x.spurious for x in s)),
            str(sum(x.unit_errors for x in s)), str(sum(1 for x in s if x.crashed)),
            f"{found}/{expected}" + (f" +{extra}" if extra else ""), f"{fmt_ok}/{len(s)}"]


def accuracy_table(scores: list[CaseScore]) -> str:
    """Per rendering: cases, figures labelled and correct, spurious figures, crashes, identity breaks."""
    header = ["rendering", "cases", "figures", "correct", "%", "spurious", "unit err", "crashes",
              "breaks found/exp", "format ok"]
    rows = [_row(r, [s for s in scores if s.rendering == r]) for r in sorted({s.rendering for s in scores})]
    rows.append(_row("TOTAL", scores))
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if k == 0 else c.rjust(w) for k, (c, w) in enumerate(zip(cells, widths, strict=True)))

    out = [line(header), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows[:-1]]
    out += ["  ".join("-" * w for w in widths), line(rows[-1])]
    return "\n".join(out)


def case_table(scores: list[CaseScore], misses: int = 0) -> str:
    """One line per case (and its first `misses` problems), to see which cases fail and why."""
    out = []
    for s in scores:
        status = "CRASH" if s.crashed else f"{s.correct}/{s.labelled}"
        out.append(f"{s.case_id:<36} {s.rendering:<20} {status:>9}  spurious {s.spurious:<3} "
                   f"breaks {s.breaks_found}/{s.breaks_expected}{f' +{s.breaks_extra}' if s.breaks_extra else ''}")
        out.extend(f"    {m}" for m in s.misses[:misses])
        if len(s.misses) > misses > 0:
            out.append(f"    … {len(s.misses) - misses} more")
    return "\n".join(out)
