"""Scans → Document by OCR: report pages as images, image-only PDF pages, images in a report page.

Tesseract (chi_sim) reads each page once for its words, boxes and confidences; the table structure
comes from the page's rules (ogi/read/scan.py), each word going to the cell that encloses it, so the
tables reach the table reader as `Table` blocks like any other rendering. Numbers are where a misread
costs most, so every cell that may hold one is read a second time by a digits-only pass; a number is
kept only when both readings agree and the digit pass is confident. Anything else — disagreement,
low confidence, ink that reads as nothing — becomes an unreadable-cell mark, which the table reader
places like a placeholder (so the row keeps its columns) and the parse stage leaves unplaced with
a finding (ogi/parse/scanned.py): a wrong number is worse than a missing one.

Per-cell confidences travel in `Document.meta["ocr_cells"]` (JSON, one grid per OCR table, parallel
to its rows), the document is flagged `meta["ocr"] = "true"` and carries an `ocr_derived` finding.
Every Tesseract run is sandboxed (ogi/read/sandbox.py) and bounded; a document's pages are bounded
in number and in total time. Never raises.
"""

from __future__ import annotations

import functools
import io
import json
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from ogi.fetch.store import DerivedStore, sha256_hex
from ogi.model import Block, Document, Finding, Table, TableSource
from ogi.read.layout import clean_cell, clean_text
from ogi.read.sandbox import Limits, run_bounded
from ogi.read.scan import Grid, GridCell, Page, prepare_page
from ogi.text.cjk import CJK_CHAR
from ogi.text.normalize import squash
from ogi.text.numbers import read_number

__all__ = [
    "CONFIDENCE_FLOOR", "MAX_OCR_PAGES", "OCR_PAGE_LIMITS", "UNREADABLE_MARK", "OcrPage", "PdfScanReader",
    "flag_ocr", "ocr_engine", "ocr_image", "ocr_missing", "ocr_page_image", "ocr_page_images", "read_image",
    "read_images",
]

LANG = "chi_sim"
LAYOUT_VERSION = "1"  # bump when the layout code changes what a page reads to (cache key)
CONFIDENCE_FLOOR = 0.80  # digit-pass confidence below which a number is not placed
OCR_PAGE_LIMITS = Limits(timeout_s=90.0, memory_bytes=1536 << 20, file_bytes=64 << 20)
MAX_OCR_PAGES = 30  # a report's scan has a few dozen pages at most
OCR_PARALLEL_RUNS = 2  # Tesseract processes at once for one page (each single-threaded)
MAX_OCR_SECONDS = 600.0  # per document: later pages are left unread, with a finding
MAX_IMAGE_PIXELS = 60_000_000  # a 600 dpi A3 page; bigger images are refused (decompression bombs)
# Printed by the table reader as a placeholder (it keeps the row's columns), never by a source:
# ogi/parse/scanned.py turns it into an unplaced cell with a finding.
UNREADABLE_MARK = "/-/"
_DIGITS = "0123456789.,-+%"
_CJK = re.compile(CJK_CHAR)
_NUMBERISH = re.compile(r"^[\d.,，+\-−%OolI|]+$")


@dataclass(frozen=True)
class Word:
    text: str
    conf: float  # 0..1
    x0: int
    y0: int
    x1: int
    y1: int
    line: tuple[int, int, int] = (0, 0, 0)  # Tesseract's block, paragraph and line numbers

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class OcrPage:
    """One page read: blocks in reading order, and for each Table block its cells' confidences."""

    blocks: list[Block] = field(default_factory=list)
    confidences: list[list[list[float | None]]] = field(default_factory=list)  # per table, per row, per cell
    notes: list[list[list[str | None]]] = field(default_factory=list)  # why a cell is marked unreadable
    findings: list[Finding] = field(default_factory=list)
    skew_deg: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {"blocks": [b if isinstance(b, str) else {"rows": b.rows} for b in self.blocks],
                "confidences": self.confidences, "notes": self.notes, "skew_deg": self.skew_deg,
                "findings": [f.to_json() for f in self.findings]}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> OcrPage:
        blocks: list[Block] = [b if isinstance(b, str) else Table(rows=b["rows"], source=TableSource.OCR)  # type: ignore[index]
                               for b in data["blocks"]]  # type: ignore[union-attr]
        return cls(blocks=blocks, confidences=data["confidences"], notes=data["notes"],  # type: ignore[arg-type]
                   findings=[Finding(**f) for f in data.get("findings", [])],  # type: ignore[union-attr, arg-type]
                   skew_deg=float(data.get("skew_deg", 0.0)))  # type: ignore[arg-type]


# --- the engine ------------------------------------------------------------------------------------


@functools.cache
def _tesseract_info() -> tuple[str | None, str | None]:
    """(version, why it cannot run) of the installed Tesseract with the Chinese model."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None, "Tesseract is not installed (scripts/bootstrap installs tesseract-ocr and tesseract-ocr-chi-sim)"
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, timeout=30)
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"Tesseract does not run: {exc}"
    m = re.search(rb"tesseract\s+v?(\d+\.\d+(?:\.\d+)?)", out.stdout + out.stderr)
    version = m.group(1).decode() if m else "unknown"
    have = set((langs.stdout + langs.stderr).decode("utf-8", "replace").split())
    missing = [lang for lang in (LANG, "eng") if lang not in have]
    if missing:
        return None, f"Tesseract {version} lacks the language model(s) {', '.join(missing)} (tesseract-ocr-chi-sim)"
    return version, None


def ocr_missing() -> str | None:
    """Why OCR cannot run here, or None when it can."""
    return _tesseract_info()[1]


def ocr_engine() -> str | None:
    """The engine as recorded with OCR'd documents, e.g. "tesseract 5.3.0 chi_sim (layout 1)"."""
    version, why = _tesseract_info()
    return None if why else f"tesseract {version} {LANG} (layout {LAYOUT_VERSION})"


class OcrFailed(Exception):
    """A Tesseract run failed or timed out."""


def _tsv_words(tsv: str) -> dict[int, list[Word]]:
    """Words of each page (1-based) of Tesseract's TSV output."""
    pages: dict[int, list[Word]] = {}
    for line in tsv.splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) < 12 or parts[0] != "5":
            continue
        text = parts[11].strip()
        try:
            conf = float(parts[10])
            left, top, width, height = (int(p) for p in parts[6:10])
            page, line_id = int(parts[1]), (int(parts[2]), int(parts[3]), int(parts[4]))
        except ValueError:
            continue
        if text and conf >= 0:
            pages.setdefault(page, []).append(Word(text, conf / 100.0, left, top, left + width, top + height, line_id))
    return pages


def _tesseract(images: Sequence[Image.Image], lang: str, psm: int, config: Sequence[str] = (),
               limits: Limits = OCR_PAGE_LIMITS) -> list[list[Word]]:
    """Words (with boxes and confidences) of each image, from one sandboxed Tesseract run.

    Many images go through one run (a list file), so the model is loaded once: reading a page's
    hundred number cells one by one costs a fraction of a second.
    """
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrFailed("tesseract not found")
    if not images:
        return []
    with tempfile.TemporaryDirectory(prefix="ogi-ocr-") as tmp:
        work = Path(tmp)
        names = []
        for k, image in enumerate(images):
            names.append(f"i{k:05d}.png")
            image.save(work / names[-1])
        (work / "images.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
        argv = [exe, "images.txt" if len(images) > 1 else names[0], "stdout", "-l", lang, "--psm", str(psm),
                "--dpi", "300"]
        for item in config:
            argv += ["-c", item]
        argv.append("tsv")
        run = run_bounded(argv, work, limits, env={"OMP_THREAD_LIMIT": "1"})
    if not run.ok:
        raise OcrFailed(f"Tesseract {run.why()}")
    pages = _tsv_words(run.stdout.decode("utf-8", "replace"))
    return [pages.get(k + 1, []) for k in range(len(images))]


# --- words → cells -----------------------------------------------------------------------------------


def _join_line(words: list[Word]) -> str:
    out = ""
    for w in sorted(words, key=lambda w: w.x0):
        if out and not (_CJK.search(out[-1]) or _CJK.search(w.text[0])):
            out += " "
        out += w.text
    return out


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into printed lines (Tesseract's line numbers), top to bottom, each left to right."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    return sorted((sorted(ln, key=lambda w: w.x0) for ln in lines.values()),
                  key=lambda ln: sorted(w.cy for w in ln)[len(ln) // 2])


def _text(words: list[Word]) -> str:
    return "\n".join(_join_line(line) for line in _lines(words))


def _inside(cell: GridCell, w: Word) -> bool:
    x0, y0, x1, y1 = cell.box
    return x0 <= w.cx < x1 and y0 <= w.cy < y1


@dataclass
class _CellRead:
    cell: GridCell
    words: list[Word]
    ink_box: tuple[int, int, int, int] | None
    text: str = ""
    conf: float | None = None
    note: str | None = None
    slot: bool = False  # stands where the grid prints numbers


def _ink_box(ink: np.ndarray, box: tuple[int, int, int, int], char_h: float) -> tuple[int, int, int, int] | None:
    """Box of the ink inside a cell, or None for an empty cell.

    The cell's box runs along the middle of its rules; what is left of a rule's fringe hugs the box's
    edges, so a margin is left out: wide at the sides (Word keeps text a few points off the side
    rules), narrow at top and bottom (a line of text fills its row).
    """
    x0, y0, x1, y1 = box
    pad_x, pad_y = max(4, int(char_h * 0.25)), max(3, int(char_h * 0.1))
    sub = ink[y0 + pad_y:y1 - pad_y, x0 + pad_x:x1 - pad_x]
    if sub.size == 0:
        return None
    rows = np.flatnonzero(sub.sum(axis=1) >= 2)
    cols = np.flatnonzero(sub.sum(axis=0) >= 2)
    if rows.size == 0 or cols.size == 0:
        return None
    if sub.sum() < max(30, char_h * char_h * 0.04) or rows[-1] - rows[0] < char_h * 0.35:
        return None  # specks of noise, not a printed character
    return (x0 + pad_x + int(cols[0]), y0 + pad_y + int(rows[0]), x0 + pad_x + int(cols[-1]) + 1,
            y0 + pad_y + int(rows[-1]) + 1)


def _page_text(r: _CellRead) -> str:
    return "".join(w.text for w in sorted(r.words, key=lambda w: w.x0)).replace("，", ",").replace("−", "-")


def _looks_numeric(r: _CellRead) -> bool:
    """The page reading says number (or placeholder) here."""
    text = _page_text(r)
    return bool(text) and (read_number(text).kind in ("number", "placeholder") or bool(_NUMBERISH.match(text)))


def _value_slots(reads: list[_CellRead]) -> set[int]:
    """Cells (by index) that stand where the grid prints numbers, whatever the page reading says.

    A misread number ("3" read as 号) must not pass for a label: the table reader would skip it and
    shift the row's numbers one column. A single-column cell is a value slot when its row prints
    numbers and its column holds numbers in at least two rows, or when it stands right of a number in
    a row of mostly numbers, or in a long row of numbers (the review table's one data row, whose first
    cell has no number above it).
    """
    numeric = {k for k, r in enumerate(reads) if _looks_numeric(r)}
    single = {k for k, r in enumerate(reads) if r.cell.col_end - r.cell.col == 1}
    rows: dict[int, list[int]] = {}
    for k, r in enumerate(reads):
        rows.setdefault(r.cell.row, []).append(k)
    col_rows: dict[int, set[int]] = {}
    for k in numeric & single:
        col_rows.setdefault(reads[k].cell.col, set()).add(reads[k].cell.row)
    value_cols = {c for c, rs in col_rows.items() if len(rs) >= 2}
    slots: set[int] = set()
    for members in rows.values():
        if not numeric.intersection(members):
            continue
        first = min(reads[k].cell.col for k in members if k in numeric)
        data_row = len(members) >= 10 and sum(k in numeric for k in members) >= 0.8 * len(members)
        for k in members:
            if k in single and (reads[k].cell.col in value_cols or data_row or (
                    reads[k].cell.col > first and sum(k in numeric for k in members) >= 0.6 * len(members))):
                slots.add(k)
    return slots


def _may_be_number(read: _CellRead, char_h: float) -> bool:
    """Outside value slots: a cell whose ink is one line and reads as no Chinese."""
    if read.ink_box is None:
        return False
    text = "".join(w.text for w in read.words)
    if _CJK.search(text) and not _NUMBERISH.match(text):
        return False
    return read.ink_box[3] - read.ink_box[1] <= char_h * 1.8


def _crop(page: Page, box: tuple[int, int, int, int], char_h: float) -> Image.Image:
    """The ink in `box` alone on white: a crop wider than the ink would take rule residue."""
    margin = max(8, int(char_h * 0.5))
    ink = page.image.crop(box)
    crop = Image.new("L", (ink.width + 2 * margin, ink.height + 2 * margin), 255)
    crop.paste(ink, (margin, margin))
    return crop


def _crops(page: Page, reads: list[_CellRead], char_h: float) -> list[Image.Image]:
    return [_crop(page, r.ink_box, char_h) for r in reads if r.ink_box is not None]


def _line_boxes(ink: np.ndarray, box: tuple[int, int, int, int], char_h: float) -> list[tuple[int, int, int, int]]:
    """The printed lines of a cell's ink, cut where a row of pixels is (nearly) free of ink.

    Word sets a cell's lines with no leading, so lines nearly touch; Tesseract then takes two lines
    for one. A cut is only made between runs at least half a character tall.
    """
    x0, y0, x1, y1 = box
    rows = ink[y0:y1, x0:x1].sum(axis=1)
    if y1 - y0 < 1.5 * char_h:
        return [box]
    quiet = rows <= max(1, int(0.01 * (x1 - x0)))
    cuts: list[int] = []
    start = 0
    for y in range(len(rows)):
        if quiet[y] and y - start >= 0.5 * char_h and not quiet[start]:
            cuts.append(y)
            start = y
        elif quiet[y]:
            start = y + 1 if not cuts or y > cuts[-1] + 1 else start
    if not cuts:
        return [box]
    edges = [0, *cuts, len(rows)]
    out = []
    for a, b in zip(edges, edges[1:], strict=False):
        band = np.flatnonzero(rows[a:b] > 0)
        if band.size and band[-1] - band[0] >= 0.3 * char_h:
            out.append((x0, y0 + a + int(band[0]), x1, y0 + a + int(band[-1]) + 1))
    return out or [box]


def _reading(name: str, words: list[Word]) -> tuple[str, str, float]:
    """(name, text, lowest confidence) of one reading of a crop; a Latin reading's digit twins as digits."""
    text = "".join(w.text for w in words)
    if name == "latin":
        text = _as_digits(text)
    return name, text, min((w.conf for w in words), default=0.0)


def _settle_number(r: _CellRead, crop_chi: list[Word], digits: list[Word], free: list[Word]) -> None:
    """Place a number only on agreeing evidence; otherwise mark the cell unreadable, with why.

    Four readings of the same ink by two models: the Chinese model's on the page and on the cell's
    crop (digits only), the Latin model's on the crop, digits only and unconstrained (its O and l
    read as 0 and 1). One model can be consistently wrong about a glyph (the Latin model reads this
    serif 11 as 14 whatever it is told), so a number is placed only when a Chinese and a Latin
    reading give it and no reading gives another number. Its confidence is the strongest agreeing
    reading's; below CONFIDENCE_FLOOR it is not placed either. A printed placeholder (-, —, /) is
    kept when the page reading is confident and no reading sees a digit.
    """
    page_text = _page_text(r)
    page_conf = min((w.conf for w in r.words), default=0.0)
    readings = [("page", page_text, page_conf), _reading("chi", crop_chi), _reading("digits", digits),
                _reading("latin", free)]
    said = ", ".join(f"{name} {t!r}" for name, t, _ in readings)
    if read_number(page_text).kind == "placeholder" and not any(ch.isdigit() for _, t, _ in readings[1:] for ch in t):
        if page_conf >= CONFIDENCE_FLOOR:
            r.text, r.conf = page_text, page_conf
        else:
            r.text, r.note = UNREADABLE_MARK, f"placeholder {page_text!r} read with confidence {page_conf:.2f}"
        return
    numbers = {t for _, t, _ in readings if read_number(t).kind == "number"}
    if len(numbers) != 1:
        r.text, r.note = UNREADABLE_MARK, (f"readings disagree: {said}" if numbers else f"ink reads as no number: {said}")
        return
    number = numbers.pop()
    by = {name for name, t, _ in readings if t == number}
    if not (by & {"page", "chi"} and by & {"digits", "latin"}):
        r.text, r.note = UNREADABLE_MARK, f"only one model reads a number: {said}"
        return
    r.conf = max(conf for _, t, conf in readings if t == number)
    if r.conf < CONFIDENCE_FLOOR:
        r.text, r.note = UNREADABLE_MARK, f"{number!r} read with confidence {r.conf:.2f} < {CONFIDENCE_FLOOR}: {said}"
        return
    r.text = number


_LOOKALIKE_DIGITS = str.maketrans({"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1", "，": ","})


def _as_digits(latin: str) -> str:
    """A Latin reading with the letters that are digits' twins (O for 0, l for 1) read as digits:
    the unconstrained reading corroborates the shape, not the model's guess between twins."""
    return latin.translate(_LOOKALIKE_DIGITS)


def _char_height(words: list[Word]) -> float:
    heights = sorted(w.y1 - w.y0 for w in words if w.conf >= 0.8 and _CJK.search(w.text))
    return float(heights[len(heights) // 2]) if heights else 40.0


Run = tuple[list[Image.Image], str, int, tuple[str, ...]]  # images, language, page segmentation, config


def _runs(runs: list[Run]) -> list[list[list[Word]]]:
    """Several Tesseract runs at once (each is its own bounded process; a page's runs are independent)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=OCR_PARALLEL_RUNS) as pool:
        return list(pool.map(lambda run: _tesseract(*run), runs))


def _number_runs(page: Page, reads: list[_CellRead], char_h: float) -> list[Run]:
    """The number readings of `reads`, each crop as one line (psm 7): Chinese and Latin digits, Latin free."""
    crops = _crops(page, reads, char_h)
    digits = (f"tessedit_char_whitelist={_DIGITS}",)
    return [(crops, LANG, 7, digits), (crops, "eng", 7, digits), (crops, "eng", 7, ())]


def _settle_numbers(reads: list[_CellRead], chi: list[list[Word]], digits: list[list[Word]],
                    free: list[list[Word]]) -> None:
    for r, c, d, f in zip(reads, chi, digits, free, strict=True):
        _settle_number(r, *(sorted(ws, key=lambda w: w.x0) for ws in (c, d, f)))


def _read_numbers(page: Page, reads: list[_CellRead], char_h: float) -> None:
    if reads:
        _settle_numbers(reads, *_runs(_number_runs(page, reads, char_h)))


def _text_run(page: Page, reads: list[_CellRead], char_h: float) -> tuple[Run, list[tuple[_CellRead, tuple[int, int, int, int]]]]:
    """Each printed line of the text cells, cut at the gap in its ink, as one crop read alone (psm 7)."""
    pieces = [(r, box) for r in reads if r.ink_box is not None for box in _line_boxes(page.ink, r.ink_box, char_h)]
    return ([_crop(page, box, char_h) for _, box in pieces], LANG, 7, ()), pieces


def _settle_texts(reads: list[_CellRead], pieces: list[tuple[_CellRead, tuple[int, int, int, int]]],
                  alone: list[list[Word]]) -> None:
    """Text cells from their lines read alone, the page's words as the fallback.

    On the page, Tesseract runs a two-line label cell and its one-line neighbours into one tall
    line and reads nonsense (人 for 1.本机关不掌握相关政府信息); read line by line it reads them.
    """
    lines_of: dict[int, list[str]] = {}
    for (r, _), words in zip(pieces, alone, strict=True):
        line = _join_line(words)
        if line:
            lines_of.setdefault(id(r), []).append(line)
    for r in reads:
        if r.ink_box is None:
            r.text = ""
        elif id(r) in lines_of:
            r.text = snap_label(clean_cell("\n".join(lines_of[id(r)])))
        elif r.words:
            r.text = snap_label(clean_cell(_text(r.words)))
        else:
            r.text, r.note = UNREADABLE_MARK, "ink that reads as no text"


@functools.cache
def _vocabulary() -> dict[str, str]:
    from ogi.reference.template_labels import TEMPLATE_LABELS

    return {squash(label): label for label in TEMPLATE_LABELS}


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance of a and b, or limit + 1 once it is certainly over `limit`."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i]
        for j, cb in enumerate(b, start=1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def snap_label(text: str) -> str:
    """A text cell's reading corrected to the template label it misreads, when that is unambiguous.

    Only a reading within one character (two for labels of ten or more) of exactly one template
    label, and farther from every other, is corrected; short readings (three characters or fewer)
    never are: 规定 is not 规章.
    """
    key = squash(text)
    vocab = _vocabulary()
    if len(key) < 4 or key in vocab:
        return text
    limit = 1 if len(key) < 10 else 2
    near = sorted((_distance(key, v, limit + 2), v) for v in vocab if abs(len(v) - len(key)) <= limit
                  and len(set(v) & set(key)) >= len(set(v)) - limit - 1)
    if not near or near[0][0] > limit:
        return text
    best, label = near[0]
    runner_up = near[1][0] if len(near) > 1 else limit + 3
    if runner_up - best < (1 if best <= 1 else 2):
        return text
    return vocab[label]


def _cells_of(page: Page, words: list[Word], char_h: float) -> list[list[_CellRead]]:
    """Each table's cells with the page words inside them and their ink."""
    taken: set[int] = set()
    tables: list[list[_CellRead]] = []
    for grid in page.grids:
        reads = []
        for cell in grid.cells:
            mine = [k for k, w in enumerate(words) if k not in taken and _inside(cell, w)]
            taken.update(mine)
            reads.append(_CellRead(cell, [words[k] for k in mine], _ink_box(page.ink, cell.box, char_h)))
        for k in _value_slots(reads):
            reads[k].slot = True
        tables.append(reads)
    return tables


def ocr_page_image(image: Image.Image) -> OcrPage:
    """Read one page image: text lines and tables (cells with confidences). Raises OcrFailed."""
    page = prepare_page(image)
    words = _tesseract([page.image], LANG, 6, ("preserve_interword_spaces=1",))[0]
    char_h = _char_height(words)
    tables = _cells_of(page, words, char_h)
    cells = [r for reads in tables for r in reads]
    numbers = [r for r in cells if r.ink_box is not None and (r.slot or _may_be_number(r, char_h))]
    settled = {id(r) for r in numbers}
    texts = [r for r in cells if id(r) not in settled]
    text_run, pieces = _text_run(page, texts, char_h)
    number_runs = _number_runs(page, numbers, char_h) if numbers else []
    results = _runs([*number_runs, text_run])
    if numbers:
        _settle_numbers(numbers, *results[:3])
    _settle_texts(texts, pieces, results[-1])
    # A text cell that, read alone, turns out to print a number is read as one: a number is never
    # placed on a single reading.
    late = [r for r in texts if r.text != UNREADABLE_MARK and read_number(r.text).kind in ("number", "placeholder")]
    _read_numbers(page, late, char_h)

    placed: list[tuple[int, Block, list[list[float | None]] | None, list[list[str | None]] | None]] = []
    for grid, reads in zip(page.grids, tables, strict=True):
        rows, confs, notes = _table_rows(grid, reads)
        if rows:
            placed.append((grid.box[1], Table(rows=rows, source=TableSource.OCR), confs, notes))
    in_table = {id(w) for r in cells for w in r.words}
    for line in _lines([w for w in words if id(w) not in in_table]):
        text = clean_text(_join_line(line))
        if text:
            placed.append((min(w.y0 for w in line), text, None, None))
    placed.sort(key=lambda p: p[0])
    out = OcrPage(skew_deg=page.skew_deg)
    for _, block, confs, notes in placed:
        out.blocks.append(block)
        if isinstance(block, Table):
            assert confs is not None and notes is not None
            out.confidences.append(confs)
            out.notes.append(notes)
    return out


def _table_rows(grid: Grid, reads: list[_CellRead]) -> tuple[list[list[str]], list[list[float | None]], list[list[str | None]]]:
    """Printed rows: each cell once, in its first grid row; empty label slots left of the numbers dropped."""
    value_cols = [r.cell.col for r in reads if read_number(r.text).kind == "number" or r.text == UNREADABLE_MARK]
    first_value = min(value_cols) if value_cols else 0
    by_row: dict[int, list[_CellRead]] = {}
    for r in reads:
        by_row.setdefault(r.cell.row, []).append(r)
    rows: list[list[str]] = []
    confs: list[list[float | None]] = []
    notes: list[list[str | None]] = []
    for _, cells in sorted(by_row.items()):
        kept = [r for r in sorted(cells, key=lambda r: r.cell.col) if r.text or r.cell.col >= first_value]
        if not any(r.text for r in kept):
            continue
        rows.append([r.text for r in kept])
        confs.append([None if r.conf is None else round(r.conf, 3) for r in kept])
        notes.append([r.note for r in kept])
    return rows, confs, notes


# --- documents ---------------------------------------------------------------------------------------


def _open_image(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as probe:
        if probe.width * probe.height > MAX_IMAGE_PIXELS:
            raise OcrFailed(f"image of {probe.width}×{probe.height} pixels is over the {MAX_IMAGE_PIXELS} pixel limit")
    img = Image.open(io.BytesIO(data))
    img.load()
    if img.mode in ("RGBA", "LA", "P"):
        bg = Image.new("RGB", img.size, "white")
        bg.paste(img.convert("RGBA"), mask=img.convert("RGBA").split()[-1])
        img = bg
    return img


def ocr_image(data: bytes, *, store: DerivedStore | None = None) -> OcrPage:
    """One image's page read, kept in (and taken from) `store` by the image's sha256. Raises OcrFailed."""
    engine = ocr_engine()
    if engine is None:
        raise OcrFailed(ocr_missing() or "OCR unavailable")
    version = re.sub(r"[^A-Za-z0-9._+-]", "_", engine)
    sha = sha256_hex(data)
    if store is not None:
        kept = store.get(sha, "ocr-page", version)
        if kept is not None:
            return OcrPage.from_json(json.loads(kept))
    try:
        image = _open_image(data)
    except OcrFailed:
        raise
    except Exception as exc:
        raise OcrFailed(f"not a readable image: {type(exc).__name__}: {exc}") from exc
    page = ocr_page_image(image)
    if store is not None:
        store.put(sha, "ocr-page", version, json.dumps(page.to_json(), ensure_ascii=False).encode())
    return page


def flag_ocr(doc: Document, pages: Sequence[OcrPage], what: str = "page") -> Document:
    """Mark `doc` as OCR-derived: the flag, the engine, each OCR table's confidences, a finding."""
    if not pages:
        return doc
    grids: list[dict[str, object]] = json.loads(doc.meta.get("ocr_cells", "[]"))
    lines: list[str] = json.loads(doc.meta.get("ocr_lines", "[]"))
    for page in pages:
        doc.findings.extend(page.findings)
        tables = [b for b in page.blocks if isinstance(b, Table)]
        grids.extend({"rows": t.rows, "confidence": c, "note": n}
                     for t, c, n in zip(tables, page.confidences, page.notes, strict=True))
        lines.extend(b for b in page.blocks if isinstance(b, str))
    doc.meta["ocr"] = "true"
    doc.meta["ocr_engine"] = ocr_engine() or "tesseract"
    doc.meta["ocr_cells"] = json.dumps(grids, ensure_ascii=False)
    # Lines read outside ruled cells: one reading each, so no table figure is placed from them.
    doc.meta["ocr_lines"] = json.dumps(lines, ensure_ascii=False)
    doc.findings.append(Finding(
        "ocr_derived", "warn", stage="read",
        message=f"{len(pages)} {what}(s) read by OCR ({doc.meta['ocr_engine']}): figures are as recognised, "
                f"not a text layer; numbers read below confidence {CONFIDENCE_FLOOR} or read two ways are left unplaced"))
    return doc


def _missing(doc: Document, what: str) -> Document:
    doc.findings.append(Finding("converter_missing", "warn", stage="read",
                                message=f"{what} not read: {ocr_missing()}"))
    return doc


def read_images(images: Sequence[bytes], *, store: DerivedStore | None = None, doc: Document | None = None,
                deadline_s: float = MAX_OCR_SECONDS) -> Document:
    """Images in reading order (a scan's pages, a report page's pictures) read into one Document.

    Bounded: at most MAX_OCR_PAGES images and `deadline_s` seconds; what is left is a finding.
    """
    doc = doc if doc is not None else Document(content_type="image/*")
    if ocr_missing():
        return _missing(doc, f"{len(images)} image(s)")
    budget = _Budget(deadline_s)
    pages: list[OcrPage | None] = []
    for n, data in enumerate(images, start=1):
        if not budget.allows(n, doc, f"image {n} of {len(images)}"):
            break
        try:
            pages.append(ocr_image(data, store=store))
        except OcrFailed as exc:
            pages.append(None)
            doc.findings.append(Finding("ocr_failed", "error", stage="read", message=f"image {n}: {exc}"[:400]))
    read = [p for p in pages if p is not None]
    for page in read:
        doc.blocks.extend(page.blocks)
    if read:
        doc.meta["ocr_whole"] = "true"  # every block of this document was read by OCR
    return flag_ocr(doc, read, what="image")


def ocr_page_images(doc: Document, pictures: Sequence[tuple[int, bytes | None]], *,
                    store: DerivedStore | None = None, deadline_s: float = MAX_OCR_SECONDS) -> Document:
    """A report page's pictures (ogi/read/html.page_images: block position, fetched bytes or None)
    read by OCR into the page's blocks where each picture stood. Call it before cleanup.

    The bytes come from the raw store like any attachment's (the lead's read stage fetches each
    picture URL with the pipeline's Fetcher); their sha256s are recorded in meta["ocr_images"] for
    lineage. Bounded like read_images; never raises.
    """
    if not pictures:
        return doc
    if ocr_missing():
        return _missing(doc, f"{len(pictures)} picture(s) of the page")
    budget = _Budget(deadline_s)
    read: list[tuple[int, OcrPage]] = []
    shas: list[str] = []
    for n, (at, data) in enumerate(pictures, start=1):
        if data is None:
            doc.findings.append(Finding("ocr_failed", "warn", stage="read", message=f"picture {n}: not fetched"))
            continue
        if not budget.allows(len(read) + 1, doc, f"picture {n} of {len(pictures)}"):
            break
        try:
            read.append((at, ocr_image(data, store=store)))
            shas.append(sha256_hex(data))
        except OcrFailed as exc:
            doc.findings.append(Finding("ocr_failed", "error", stage="read", message=f"picture {n}: {exc}"[:400]))
    for at, page in sorted(read, key=lambda p: p[0], reverse=True):  # from the end: positions stay true
        doc.blocks[at:at] = page.blocks
    if shas:
        doc.meta["ocr_images"] = json.dumps(shas)
    return flag_ocr(doc, [page for _, page in sorted(read, key=lambda p: p[0])], what="picture")


def read_image(data: bytes, *, store: DerivedStore | None = None) -> Document:
    """A report published as one image (a scanned page)."""
    from ogi.read.sniff import _image_mime

    return read_images([data], store=store, doc=Document(content_type=_image_mime(data)))



class _Budget:
    """A document's OCR bounds: MAX_OCR_PAGES pages and a total time; the first page over is a finding."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.start = time.monotonic()
        self.stopped = False

    def allows(self, n: int, doc: Document, what: str) -> bool:
        if self.stopped:
            return False
        elapsed = time.monotonic() - self.start
        if n > MAX_OCR_PAGES or elapsed > self.seconds:
            self.stopped = True
            doc.findings.append(Finding("truncated", "warn", stage="read",
                                        message=f"OCR stopped before {what} after {elapsed:.0f} s (limits: "
                                                f"{MAX_OCR_PAGES} pages, {self.seconds:.0f} s per document)"))
            return False
        return True


class PdfScanReader:
    """OCR for the scanned pages of a PDF (no text layer, an image): read_pdf calls it per such page.

    Each page is rendered at 300 dpi (pdfplumber/pdfium) and read like an image; the readings are kept
    for `finish`, which flags the document. Without Tesseract, pages stay unread and `finish` records
    `converter_missing`. Never raises.
    """

    RESOLUTION = 300

    def __init__(self, store: DerivedStore | None = None, deadline_s: float = MAX_OCR_SECONDS) -> None:
        self.store = store
        self.pages: list[OcrPage] = []
        self.findings: list[Finding] = []
        self.missing: list[int] = []
        self.budget = _Budget(deadline_s)
        self._doc = Document()  # collects the budget's finding

    def __call__(self, page: object) -> list[Block] | None:
        number = int(getattr(page, "page_number", 0))
        if ocr_missing():
            self.missing.append(number)
            return None
        if not self.budget.allows(len(self.pages) + 1, self._doc, f"page {number}"):
            return None
        try:
            rendered = page.to_image(resolution=self.RESOLUTION).original  # type: ignore[attr-defined]
            png = io.BytesIO()
            rendered.convert("L").save(png, format="PNG")
            read = ocr_image(png.getvalue(), store=self.store)
        except Exception as exc:  # noqa: BLE001 - one page's failure is a finding, the others go on
            self.findings.append(Finding("ocr_failed", "error", stage="read",
                                         message=f"page {number}: {type(exc).__name__}: {exc}"[:400]))
            return None
        self.pages.append(read)
        return read.blocks

    def finish(self, doc: Document) -> Document:
        doc.findings.extend(self.findings + self._doc.findings)
        if self.missing:
            doc.findings.append(Finding("converter_missing", "warn", stage="read",
                                        message=f"scanned page(s) {', '.join(map(str, self.missing[:20]))} not read: "
                                                f"{ocr_missing()}"))
        if self.pages and str(len(self.pages)) == doc.meta.get("pages"):
            doc.meta["ocr_whole"] = "true"  # no page had a text layer: every block was read by OCR
        return flag_ocr(doc, self.pages)
