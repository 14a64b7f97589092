"""The breaks great-expectations finds are exactly the breaks `ogi parse` reports, on the whole labelled corpus.

One identity module builds the operands; GX adds them up and compares (expectations/custom.py), the
parser compares its own sums (ogi/parse/identities.py). Any disagreement is a bug on one side.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from expectations.validate import validator
from ogi.parse.report import parse_bytes
from ogi.parse.stage import identity_fields
from tests.conftest import ROOT

CASES = sorted(p for p in (ROOT / "tests" / "corpus").glob("*/labels.json"))


def _document(folder: Path) -> Path:
    return next(p for p in sorted(folder.iterdir()) if p.name.startswith("document."))


@pytest.fixture(scope="module")
def corpus_identities() -> tuple[pd.DataFrame, set[tuple[str, str, str]]]:
    rows, parse_breaks = [], set()
    for labels in CASES:
        folder = labels.parent
        meta = json.loads(labels.read_text(encoding="utf-8"))
        doc = _document(folder)
        report = parse_bytes(doc.read_bytes(), doc.name, origin_uri=meta.get("origin_url"),
                             province_hint=meta.get("region"))
        for f in report.findings:
            if f.check in ("I1", "I2", "I3", "I4"):
                parse_breaks.add((folder.name, f.check, f.col if f.check in ("I1", "I2") else f.row))
        rows.extend({"case": folder.name, **identity_fields(i)} for i in report.identities)
    return pd.DataFrame(rows), parse_breaks


def test_the_corpus_has_breaks_and_unverifiable_instances(corpus_identities):
    frame, breaks = corpus_identities
    assert len(CASES) >= 30
    assert len(breaks) >= 15
    assert (~frame["evaluable"]).sum() > 0


def test_gx_finds_exactly_the_breaks_ogi_parse_reports(corpus_identities):
    frame, parse_breaks = corpus_identities
    gx = validator()
    found = set()
    for identity in ("I1", "I2", "I3", "I4"):
        for index in gx.unexpected_rows(f"identity_{identity}", "identities", frame):
            row = frame.loc[index]
            assert row["identity"] == identity and row["evaluable"]
            found.add((row["case"], identity, row["subject"]))
    assert found == parse_breaks


def test_an_unverifiable_instance_is_neither_a_pass_nor_a_break(corpus_identities):
    """Blank or inferred operands: GX does not evaluate the instance, the parser reports it as info."""
    frame, _ = corpus_identities
    unverifiable = frame[~frame["evaluable"]]
    gx = validator()
    assert not gx.unexpected_rows("identity_I3", "identities", unverifiable)
    assert gx.validate("identity_I3", "identities", unverifiable).outcomes[0].unexpected_count in (0, None)
