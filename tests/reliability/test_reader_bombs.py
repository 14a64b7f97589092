"""Decompression and size caps in the readers, with bombs built here (small on disk): each comes back
quickly as a finding (stage read) instead of filling memory, and each is read in a pool worker whose
peak resident memory is measured against the 1 GB ceiling."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import bombs
import jsonschema
import pytest

from ogi.read import read_document
from ogi.read.limits import MAX_MARKUP_BYTES, MAX_XML_ELEMENTS
from ogi.work import Limits, Pool

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "spec" / "report-record.schema.json").read_text(encoding="utf-8"))
GB = 10**9


def _peak_rss() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def read_measured(path: str) -> tuple[list[str], list[str], int, float]:
    """In a pool worker: read one file; (finding checks, text lines, growth of peak RSS, seconds)."""
    with open("/proc/self/clear_refs", "w") as fh:  # reset the peak to the current resident size
        fh.write("5")
    base = _peak_rss()
    data = Path(path).read_bytes()
    start = time.monotonic()
    doc = read_document(data, path)
    took = time.monotonic() - start
    del data
    return [f.check for f in doc.findings], [b for b in doc.blocks if isinstance(b, str)][:5], _peak_rss() - base, took


@pytest.fixture(scope="module")
def bomb_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bombs")
    made = {
        "pdf_1gib.pdf": bombs.pdf([bombs.spaces_page(1024)]),
        "pdf_good_then_bomb.pdf": bombs.pdf([bombs.good_page(), bombs.spaces_page(1024), bombs.good_page()]),
        "pdf_many_streams.pdf": bombs.pdf([bombs.spaces_page(15) for _ in range(20)]),
        "docx_680mb_paragraphs.docx": bombs.paragraphs_docx(680),
        "docx_2gib_whitespace.docx": bombs.whitespace_docx(2048),
        "docx_lying_header.docx": bombs.docx(b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 30840, 680, declared=4096),
        "docx_many_elements.docx": bombs.docx(b"<w:p/>" * (1 << 17), 24),  # 24 MiB, 3.1 M elements
        "docx_at_the_caps.docx": bombs.docx(b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 1000, MAX_XML_ELEMENTS // 6000 - 1),
        "docx_many_members.docx": bombs.docx(b"<w:p/>", 1, extra_members=20_000),
    }
    for name, data in made.items():
        (d / name).write_bytes(data)
    return {name: d / name for name in made}


@pytest.fixture(scope="module")
def measured(bomb_files: dict[str, Path]) -> dict[str, tuple[list[str], list[str], int, float]]:
    """Every bomb read in a fresh worker (so no earlier heap hides its peak) under the documented
    per-document limits (60 s, 1 GiB)."""
    out = {}
    for name in sorted(bomb_files):
        with Pool(read_measured, workers=1, limits=Limits(seconds=60, memory_bytes=1 << 30)) as pool:
            (outcome,) = list(pool.map([str(bomb_files[name])]))
        assert outcome.ok and outcome.value is not None, (name, outcome.failure, outcome.message)
        out[name] = outcome.value
    return out


def test_bombs_are_small_on_disk(bomb_files: dict[str, Path]) -> None:
    assert all(p.stat().st_size < 3_000_000 for p in bomb_files.values())


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("pdf_1gib.pdf", "decompression_bomb"),
        ("docx_680mb_paragraphs.docx", "decompression_bomb"),
        ("docx_2gib_whitespace.docx", "decompression_bomb"),
        ("docx_many_elements.docx", "too_large"),
        ("docx_many_members.docx", "too_large"),
        ("docx_lying_header.docx", "decompression_bomb"),  # declares 4 KB, inflates to 680 MB
    ],
)
def test_each_bomb_is_recorded_fast_and_under_the_memory_ceiling(
    name: str, check: str, measured: dict[str, tuple[list[str], list[str], int, float]]
) -> None:
    checks, _lines, peak, seconds = measured[name]
    assert check in checks
    assert peak < GB, f"{name}: peak grew by {peak / 2**20:.0f} MiB"
    assert seconds < 60


def test_a_bomb_page_leaves_the_other_pages_read(measured: dict[str, tuple[list[str], list[str], int, float]]) -> None:
    checks, lines, peak, _seconds = measured["pdf_good_then_bomb.pdf"]
    assert checks.count("decompression_bomb") == 1
    assert lines.count("Hello from a good page") == 2  # pages 1 and 3
    assert peak < GB


def test_the_document_budget_stops_many_streams_under_the_stream_cap(
    measured: dict[str, tuple[list[str], list[str], int, float]],
) -> None:
    checks, lines, peak, _seconds = measured["pdf_many_streams.pdf"]
    assert "decompression_bomb" in checks  # 20 x 15 MiB > 256 MiB per document
    assert "Hello from a good page" in lines[0]  # the pages within the budget were read (one paragraph)
    assert peak < GB


def test_the_largest_docx_the_caps_let_through_stays_under_the_ceiling(
    measured: dict[str, tuple[list[str], list[str], int, float]],
) -> None:
    checks, lines, peak, _seconds = measured["docx_at_the_caps.docx"]
    assert checks == [] and lines[:1] == ["x"]
    assert peak < GB, f"peak grew by {peak / 2**20:.0f} MiB"
    print(f"DOCX at the element cap: peak +{peak / 2**20:.0f} MiB")


def test_a_document_over_the_input_cap_is_not_read() -> None:
    doc = read_document(b"<html><body>" + b"x" * 2000 + b"</body></html>", "big.html", max_bytes=1000)
    assert [f.check for f in doc.findings] == ["too_large"] and doc.blocks == []
    assert doc.findings[0].stage == "read"


def test_a_page_over_the_markup_cap_is_not_parsed() -> None:
    """A 200 MB page took 3.9 GB: pages are capped lower than PDFs (a tree is ~40x its page)."""
    page = b"<html><body><table>" + b"<tr><td>1</td></tr>" * (MAX_MARKUP_BYTES // 19 + 1) + b"</table></body></html>"
    doc = read_document(page, "huge.html")
    assert [f.check for f in doc.findings] == ["too_large"] and "page" in doc.findings[0].message


def ogi(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ogi_cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_ogi_parse_returns_the_1gib_pdf_within_60_s_with_its_finding(bomb_files: dict[str, Path]) -> None:
    start = time.monotonic()
    run = ogi("parse", str(bomb_files["pdf_1gib.pdf"]))
    took = time.monotonic() - start
    # Exit 1 means "nothing could be read (the record says why)": the record is still printed whole.
    assert run.returncode == 1, run.stderr
    record = json.loads(run.stdout)
    jsonschema.validate(record, SCHEMA)
    assert "decompression_bomb" in [f["check"] for f in record["findings"]]
    assert took < 60


def test_ogi_parse_caps_its_input_size(tmp_path: Path) -> None:
    page = tmp_path / "big.html"
    page.write_bytes(b"<html><body>" + "政府信息公开".encode() * 20000 + b"</body></html>")
    run = ogi("parse", str(page), "--max-bytes", "100000")
    # Exit 1 means "nothing could be read (the record says why)": the record is still printed whole.
    assert run.returncode == 1, run.stderr
    record = json.loads(run.stdout)
    jsonschema.validate(record, SCHEMA)
    (finding,) = [f for f in record["findings"] if f["check"] == "too_large"]
    assert finding["stage"] == "read" and "100,000" in finding["message"]
    assert record["cells"] == [] and record["source"]["sha256"] != ""


def test_ogi_parse_bounds_a_document_by_time_through_the_pool(tmp_path: Path) -> None:
    """A reader that takes too long is stopped at --timeout and recorded, not waited for."""
    # 64 MiB of '<w:p/>' would be refused by the caps; a PDF of many small valid streams is slow to lay out.
    page = bombs.zlib_stream(b"BT /F1 1 Tf 1 0 0 1 10 10 Tm (x) Tj ET\n" * 4000, 100)
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(bombs.pdf([page] * 30))
    start = time.monotonic()
    run = ogi("parse", str(slow), "--timeout", "3")
    took = time.monotonic() - start
    # Exit 1 means "nothing could be read (the record says why)": the record is still printed whole.
    assert run.returncode == 1, run.stderr
    record = json.loads(run.stdout)
    jsonschema.validate(record, SCHEMA)
    assert "time_limit" in [f["check"] for f in record["findings"]]
    assert took < 3 + 15  # the limit, plus starting Python and the worker
