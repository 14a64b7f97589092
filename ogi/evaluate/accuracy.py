"""Parse accuracy on the labelled corpus (tests/corpus/<case>/{document.*, labels.json}), figure by figure.

The labels are ground truth written from the source, never from the parser's output. Every labelled
figure ends in exactly one of four outcomes:

- correct: the parser emits the same cell with the same printed text and value (and placement,
  where the label states one);
- wrong: it emits something else there — a number other than the printed one, a value where the
  source prints a blank, a blank where it prints a value, or an inferred cell claiming to be printed.
  A figure the parser emits that the source does not print at all is wrong too. A wrong number is
  worse than a missing one: BI sums it silently;
- unplaced: not emitted, and the parser said so (an `unplaced_value` finding for that row or table);
- missing: not emitted, and nothing said;
- lost: a generated rendering destroyed what the figure's position rests on (`lost_in_rendering`, a
  blank that vanished from a row printed without positions): not expected, so not counted among the
  labelled figures unless the parser emits it — a wrong number there is still wrong.

Cases are real (a government's own publication, `synthetic: false`) or generated (made from the
project's templates, or rendered from a labelled source by ogi/evaluate/renderings.py), and are
reported apart, per rendering. Floors kept in the repository (tests/corpus/floors.json) turn the
table into a pass or fail. Crashes are counted, not raised, so one bad reader cannot hide the state
of all the others.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any

_IDENTITIES = ("I1", "I2", "I3", "I4")
_SUBJECT = {"I1": "col", "I2": "col", "I3": "row", "I4": "row"}


class Kind(StrEnum):
    """Where a case comes from: the two are reported and held to floors apart."""

    REAL = "real"
    GENERATED = "generated"


@dataclass
class CaseScore:
    """How the parser did on one labelled case; `misses` say what went wrong, for fixing the reader."""

    case_id: str
    rendering: str
    kind: Kind = Kind.GENERATED
    labelled: int = 0  # labelled figures: cells plus prose facts
    correct: int = 0
    wrong: int = 0  # labelled figures read as something else, plus figures the source does not print
    unplaced: int = 0  # labelled figures not emitted, with an unplaced_value finding about them
    missing: int = 0  # labelled figures not emitted, silently
    lost: int = 0  # labelled figures the rendering destroyed (lost_in_rendering) and the parser did not emit
    unit_errors: int = 0  # correct figures whose labelled unit / unit_source differs
    breaks_expected: int = 0
    breaks_found: int = 0  # labelled identity breaks the parser reported
    breaks_extra: int = 0  # identity breaks reported that the labels do not list
    format_ok: bool | None = None
    year_ok: bool | None = None
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


def kind_of(labels: dict[str, Any]) -> Kind:
    return Kind.GENERATED if labels.get("synthetic", True) else Kind.REAL


def score_case(folder: Path) -> CaseScore:
    """Parse one case folder and compare with its labels; a crash is recorded, never raised."""
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    doc = _document(folder)
    if doc is None:
        score = CaseScore(case_id=folder.name, rendering=labels.get("rendering", "?"), kind=kind_of(labels))
        score.labelled = len(labels.get("cells", [])) + len(labels.get("facts", []))
        score.crashed, score.error = True, "no document.* file"
        return score
    return score_document(folder.name, doc.read_bytes(), str(doc), labels)


def score_document(case_id: str, data: bytes, uri: str, labels: dict[str, Any]) -> CaseScore:
    """Parse one document's bytes and compare with its labels (a case folder, or a generated rendering)."""
    score = CaseScore(case_id=case_id, rendering=labels.get("rendering", "?"), kind=kind_of(labels))
    want_cells: list[dict[str, Any]] = labels.get("cells", [])
    want_facts: list[dict[str, Any]] = labels.get("facts", [])
    complete = labels.get("cells_complete", True)
    breaks_known = complete and not labels.get("identity_breaks_unknown", False)
    want_breaks = {(b["check"], b.get("row") or b.get("col")) for b in labels.get("identity_breaks", [])}
    score.labelled = len(want_cells) + len(want_facts)
    score.breaks_expected = len(want_breaks) if breaks_known else 0
    try:
        from ogi.parse.report import parse_bytes

        year = labels.get("year")
        report = parse_bytes(data, uri, origin_uri=labels.get("origin_url"), province_hint=labels.get("region"),
                             year_hint=int(year) if year and labels.get("year_hint", False) else None)
        record = report.to_record()
    except Exception as exc:  # noqa: BLE001 - a crashing case is a result, not an abort
        score.crashed = True
        score.error = f"{type(exc).__name__}: {exc}"
        score.misses.append("crash: " + traceback.format_exc(limit=-3).strip().splitlines()[-1])
        score.missing = score.labelled
        return score

    # A report cut before its tables has no table content to decide its format by: nothing to check.
    score.format_ok = None if labels.get("format_assumed") else record["report"].get("format") == labels.get("format")
    if score.format_ok is False:
        score.misses.append(f"format: got {record['report'].get('format')!r}, labelled {labels.get('format')!r}")
    score.year_ok = labels.get("year") is None or record["report"].get("year") == labels.get("year")
    if not score.year_ok:
        score.misses.append(f"year: got {record['report'].get('year')!r}, labelled {labels.get('year')!r}")
    findings = record.get("findings", [])
    _score_cells(score, want_cells, record.get("cells", []), findings, complete)
    # Prose figures are labelled for pre-2019 reports; a 2019/2021 report's labels say nothing about its prose.
    facts_labelled = labels.get("facts_complete", labels.get("format") == "pre2019" or bool(want_facts))
    _score_facts(score, want_facts, record.get("facts", []), facts_labelled)
    if breaks_known:
        got_breaks = {(f["check"], f.get(_SUBJECT[f["check"]])) for f in findings if f.get("check") in _IDENTITIES}
        score.breaks_found = len(want_breaks & got_breaks)
        score.breaks_extra = len(got_breaks - want_breaks)
        for check, subject in sorted(want_breaks - got_breaks):
            score.misses.append(f"identity break not reported: {check} {subject}")
        for check, subject in sorted(got_breaks - want_breaks, key=str):
            score.misses.append(f"identity break reported but not in the source: {check} {subject}")
    return score


def _unplaced_rows(findings: list[dict[str, Any]]) -> set[tuple[str, str | None]]:
    """(table, row) of every unplaced_value finding; row None when the finding is about a whole table row."""
    return {(f.get("table") or "", f.get("row")) for f in findings if f.get("check") == "unplaced_value"}


def _score_cells(score: CaseScore, want: list[dict[str, Any]], got_cells: list[dict[str, Any]],
                 findings: list[dict[str, Any]], complete: bool) -> None:
    got: dict[tuple[str, str, str], dict[str, Any]] = {}
    for cell in got_cells:
        if cell.get("raw") is None:  # a position no printed cell fills: not a claim about the source
            continue
        if _key(cell) in got:
            score.wrong += 1
            score.misses.append(f"wrong: cell emitted twice: {'/'.join(_key(cell))}")
            continue
        got[_key(cell)] = cell
    unplaced = _unplaced_rows(findings)
    labelled = {_key(c) for c in want}
    for cell in want:
        g = got.get(_key(cell))
        where = "/".join(_key(cell))
        if g is None:
            table, row = cell["table"], cell["row"]
            if cell.get("lost_in_rendering"):
                score.lost += 1
                score.labelled -= 1
            elif (table, row) in unplaced or (table, None) in unplaced:
                score.unplaced += 1
                score.misses.append(f"unplaced {where} (labelled {cell['raw']!r})")
            else:
                score.missing += 1
                score.misses.append(f"missing {where} (labelled {cell['raw']!r})")
            continue
        ok = _same_raw(cell["raw"], g.get("raw")) and _same_number(cell["value"], g.get("value"))
        if "placement" in cell:
            ok = ok and g.get("placement", "printed") == cell["placement"]
        if not ok:
            extra = f", placement {g.get('placement')!r} vs {cell['placement']!r}" if "placement" in cell else ""
            score.wrong += 1
            score.misses.append(f"wrong {where}: got {g.get('raw')!r}={g.get('value')!r}, "
                                f"labelled {cell['raw']!r}={cell['value']!r}{extra}")
            continue
        score.correct += 1
        if "unit" in cell and (g.get("unit") != cell["unit"] or g.get("unit_source") != cell.get("unit_source")):
            score.unit_errors += 1
            score.misses.append(f"unit {where}: got {g.get('unit')!r}/{g.get('unit_source')!r}, "
                                f"labelled {cell['unit']!r}/{cell.get('unit_source')!r}")
    if complete:
        for key, g in got.items():
            if key not in labelled:
                score.wrong += 1
                score.misses.append(f"wrong: not printed in the source: {'/'.join(key)} = {g.get('raw')!r}")


def _score_facts(score: CaseScore, want: list[dict[str, Any]], got_facts: list[dict[str, Any]],
                 complete: bool = True) -> None:
    got: dict[tuple[str, str], dict[str, Any]] = {}
    for fact in got_facts:
        got.setdefault((fact["key"], fact.get("period") or "year"), fact)
    labelled = {(f["key"], f.get("period", "year")) for f in want}
    for fact in want:
        key = (fact["key"], fact.get("period", "year"))
        g = got.get(key)
        if g is None and fact.get("lost_in_rendering"):
            score.lost += 1
            score.labelled -= 1
        elif g is None:
            score.missing += 1
            score.misses.append(f"missing fact {key[0]} ({key[1]}): labelled {fact['value']!r}")
        elif _same_number(g.get("value"), fact["value"]):
            score.correct += 1
        else:
            score.wrong += 1
            score.misses.append(f"wrong fact {key[0]} ({key[1]}): got {g.get('value')!r}, labelled {fact['value']!r}: "
                                f"{str(g.get('evidence'))[:60]}")
    for key, g in got.items():
        if key not in labelled and complete:
            score.wrong += 1
            score.misses.append(f"wrong: fact not stated in the source {key[0]} ({key[1]}) = {g.get('value')!r}: "
                                f"{str(g.get('evidence'))[:60]}")


def case_folders(corpus_dir: Path) -> list[Path]:
    return sorted(p for p in Path(corpus_dir).iterdir() if p.is_dir() and (p / "labels.json").is_file())


def evaluate(corpus_dir: Path, *, generated: bool = True, seeds: Iterable[int] = (0,)) -> list[CaseScore]:
    """Score every case folder under `corpus_dir`, then (with `generated`) every rendering of its labelled sources."""
    folders = case_folders(corpus_dir)
    scores = [score_case(f) for f in folders]
    if generated:
        from ogi.evaluate import renderings

        for folder in folders:
            source = renderings.load_source(folder)
            if source is None:
                continue
            for seed in seeds:
                for rendered in renderings.render_all(source, seed=seed):
                    scores.append(score_document(rendered.name, rendered.data, rendered.uri, rendered.labels))
    return scores


# --- the table ----------------------------------------------------------------------------------------

_HEADER = ["kind", "rendering", "cases", "labelled", "correct", "%", "wrong", "missing", "unplaced", "lost", "unit err",
           "crashes", "breaks found/exp", "format ok", "year ok"]


def _row(kind: str, name: str, scores: Iterable[CaseScore]) -> list[str]:
    s = list(scores)
    labelled = sum(x.labelled for x in s)
    correct = sum(x.correct for x in s)
    pct = f"{100 * correct / labelled:.1f}" if labelled else "-"
    found, expected = sum(x.breaks_found for x in s), sum(x.breaks_expected for x in s)
    extra = sum(x.breaks_extra for x in s)
    return [kind, name, str(len(s)), str(labelled), str(correct), pct, str(sum(x.wrong for x in s)),
            str(sum(x.missing for x in s)), str(sum(x.unplaced for x in s)), str(sum(x.lost for x in s)),
            str(sum(x.unit_errors for x in s)),
            str(sum(1 for x in s if x.crashed)), f"{found}/{expected}" + (f" +{extra}" if extra else ""),
            f"{sum(1 for x in s if x.format_ok)}/{sum(1 for x in s if x.format_ok is not None)}",
            f"{sum(1 for x in s if x.year_ok)}/{len(s)}"]


def accuracy_table(scores: list[CaseScore]) -> str:
    """Real and generated cases apart, per rendering: labelled / correct / wrong / missing / unplaced, and totals."""
    rows: list[list[str] | None] = []
    for kind in Kind:
        mine = [s for s in scores if s.kind == kind]
        if not mine:
            continue
        rows += [_row(kind, r, [s for s in mine if s.rendering == r]) for r in sorted({s.rendering for s in mine})]
        rows.append(_row(kind, "all", mine))
        rows.append(None)
    rows.append(_row("TOTAL", "", scores))
    present = [r for r in rows if r is not None]
    widths = [max(len(r[k]) for r in [_HEADER, *present]) for k in range(len(_HEADER))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if k < 2 else c.rjust(w) for k, (c, w) in enumerate(zip(cells, widths, strict=True)))

    rule = "  ".join("-" * w for w in widths)
    out = [line(_HEADER), rule]
    out += [rule if r is None else line(r) for r in rows]
    return "\n".join(out)


def case_table(scores: list[CaseScore], misses: int = 0) -> str:
    """One line per case (and its first `misses` problems), to see which cases fail and why."""
    out = []
    for s in scores:
        status = "CRASH" if s.crashed else f"{s.correct}/{s.labelled}"
        out.append(f"{s.case_id:<52} {s.kind:<9} {s.rendering:<20} {status:>9}  wrong {s.wrong:<3} "
                   f"missing {s.missing:<3} unplaced {s.unplaced:<3} "
                   f"breaks {s.breaks_found}/{s.breaks_expected}{f' +{s.breaks_extra}' if s.breaks_extra else ''}")
        out.extend(f"    {m}" for m in s.misses[:misses])
        if len(s.misses) > misses > 0:
            out.append(f"    … {len(s.misses) - misses} more")
    return "\n".join(out)


# --- floors ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Floor:
    """What a group of cases must reach: a share of labelled figures correct, at most so many wrong."""

    min_correct: float
    max_wrong: int = 0


def load_floors(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _floor(spec: dict[str, Any], default: Floor | None = None) -> Floor:
    base = default or Floor(1.0, 0)
    return Floor(float(spec.get("min_correct", base.min_correct)), int(spec.get("max_wrong", base.max_wrong)))


def check_floors(scores: list[CaseScore], floors: dict[str, Any]) -> list[str]:
    """Every way the scores fall short of the floors (empty: all met).

    `floors` = {"real": {"min_correct", "max_wrong", "renderings": {name: {...}}},
                "generated": {"min_correct", "max_wrong" (each rendering), "renderings": {...}}}.
    Real cases also need their year and format right; no case may crash.
    """
    failures: list[str] = []
    for s in scores:
        if s.crashed:
            failures.append(f"{s.case_id}: crashed ({s.error})")
    for kind in Kind:
        spec = floors.get(kind.value)
        mine = [s for s in scores if s.kind == kind]
        if spec is None or not mine:
            continue
        overall = _floor(spec)
        groups: list[tuple[str, list[CaseScore], Floor]] = []
        if kind == Kind.REAL:
            groups.append((f"{kind} (all)", mine, overall))
        for rendering in sorted({s.rendering for s in mine}):
            per = spec.get("renderings", {}).get(rendering)
            if per is None and kind == Kind.REAL:
                continue
            groups.append((f"{kind} {rendering}", [s for s in mine if s.rendering == rendering],
                           _floor(per or {}, overall)))
        for name, group, floor in groups:
            labelled = sum(s.labelled for s in group)
            correct = sum(s.correct for s in group)
            wrong = sum(s.wrong for s in group)
            share = correct / labelled if labelled else 1.0
            if share < floor.min_correct:
                failures.append(f"{name}: {correct}/{labelled} = {100 * share:.2f}% correct, "
                                f"floor {100 * floor.min_correct:.2f}%")
            if wrong > floor.max_wrong:
                failures.append(f"{name}: {wrong} wrong figure(s), at most {floor.max_wrong} allowed")
        if kind == Kind.REAL:
            for s in mine:
                if s.format_ok is False:
                    failures.append(f"{s.case_id}: format wrong")
                if s.year_ok is False:
                    failures.append(f"{s.case_id}: year wrong")
    return failures
