"""A scanned page's geometry: ink, skew, ruling lines and the table cells they enclose.

Report tables are ruled grids, so a scan's table structure is in its lines, not in where OCR puts
words: each cell is a region the rules enclose (a merged cell is one region, as in DOCX), found by
checking, between neighbouring line positions, whether a rule is really there. Lines are erased
before OCR (Tesseract reads rules as 丨, 一 or l). numpy only; no OCR here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

__all__ = ["Grid", "GridCell", "Page", "prepare_page"]

TARGET_WIDTH = 2480  # an A4 page at 300 dpi: small scans are enlarged to it, Tesseract's best size
MAX_UPSCALE = 3.0
MAX_SKEW_DEG = 3.0


@dataclass
class _Segment:
    """A rule: `at` is its position across (y of a horizontal rule), [lo, hi) its extent along."""

    at0: int
    at1: int
    lo: int
    hi: int

    @property
    def at(self) -> float:
        return (self.at0 + self.at1) / 2


@dataclass(frozen=True)
class GridCell:
    """One printed cell: the rows and columns of the grid it spans, and its box in pixels."""

    row: int
    col: int
    row_end: int  # exclusive
    col_end: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 inside the rules


@dataclass
class Grid:
    """One ruled table: its cells in reading order (first row, then column)."""

    box: tuple[int, int, int, int]
    cells: list[GridCell]
    rules: list[tuple[str, _Segment]]


@dataclass
class Page:
    """A page ready for OCR: deskewed grey image with the rules erased, its ink and its tables."""

    image: Image.Image  # grey, deskewed, rules erased
    ink: np.ndarray  # bool, dark pixels of `image`
    grids: list[Grid]
    skew_deg: float
    scale: float


def _otsu(gray: np.ndarray) -> int:
    """The grey level that best splits ink from paper."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 128
    p = hist / total
    omega = np.cumsum(p)
    mu = np.cumsum(p * np.arange(256))
    between = (mu[-1] * omega - mu) ** 2 / (omega * (1.0 - omega) + 1e-12)
    return int(np.argmax(between))


def _ink(gray: np.ndarray) -> np.ndarray:
    level = min(_otsu(gray), 200)  # a blank page has no ink to split: never call light grey ink
    return gray <= level


def _skew(ink: np.ndarray) -> float:
    """The rotation (degrees) that makes rows of ink sharpest: text lines and rules are horizontal."""
    small = Image.fromarray((ink * 255).astype(np.uint8)).reduce(4)
    best, best_score = 0.0, -1.0
    for tenth in range(int(-MAX_SKEW_DEG * 10), int(MAX_SKEW_DEG * 10) + 1):
        angle = tenth / 10
        rows = np.asarray(small.rotate(angle, resample=Image.Resampling.BILINEAR), dtype=np.float64).sum(axis=1)
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score:
            best, best_score = angle, score
    return best


def _runs(mask: np.ndarray, min_len: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of every horizontal run of True at least `min_len` long."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    rows, starts = np.nonzero(d == 1)
    _, ends = np.nonzero(d == -1)
    keep = ends - starts >= min_len
    return list(zip(rows[keep].tolist(), starts[keep].tolist(), ends[keep].tolist(), strict=True))


def _segments(mask: np.ndarray, min_len: int, gap: int) -> list[_Segment]:
    """Horizontal rules of `mask`: long runs, merged across the few pixel rows a rule is thick."""
    bridged = mask.copy()
    for shift in range(1, gap + 1):  # fill breaks of up to `gap` pixels between two dark pixels
        both = mask[:, :-shift - 1] & mask[:, shift + 1:]
        for k in range(1, shift + 1):
            bridged[:, k:k + both.shape[1]] |= both
    segs: list[_Segment] = []
    open_: list[_Segment] = []
    for row, lo, hi in sorted(_runs(bridged, min_len)):
        merged = False
        for seg in open_:
            if row - seg.at1 <= 2 and min(hi, seg.hi) - max(lo, seg.lo) > 0.5 * min(hi - lo, seg.hi - seg.lo):
                seg.at1, seg.lo, seg.hi = row, min(lo, seg.lo), max(hi, seg.hi)
                merged = True
                break
        if not merged:
            seg = _Segment(row, row, lo, hi)
            segs.append(seg)
            open_.append(seg)
        open_ = [s for s in open_ if row - s.at1 <= 2]
    return [s for s in segs if s.at1 - s.at0 <= max(6, min_len // 4)]  # a rule is thin; a blot is not


def _cluster(values: list[float], tol: float) -> list[float]:
    """Positions within `tol` of each other are one line (a rule drawn in pieces, skew residue)."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _covered(segs: list[_Segment], at: float, lo: float, hi: float, tol: float) -> bool:
    """Is there a rule at `at` along most of [lo, hi]?"""
    span = hi - lo
    if span <= 0:
        return True
    cover = 0.0
    for s in segs:
        if abs(s.at - at) <= tol:
            cover += max(0.0, min(hi, s.hi) - max(lo, s.lo))
    return cover >= 0.6 * span


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _grid(hsegs: list[_Segment], vsegs: list[_Segment], tol: float, rules: list[tuple[str, _Segment]]) -> Grid | None:
    """The cells of one table from its rules; None when the rules make no grid."""
    ys = _cluster([s.at for s in hsegs], tol)
    xs = _cluster([s.at for s in vsegs], tol)
    if len(ys) < 2 or len(xs) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))
    for i in range(nr):
        for j in range(nc):
            if j + 1 < nc and not _covered(vsegs, xs[j + 1], ys[i], ys[i + 1], tol):
                parent[_find(parent, i * nc + j + 1)] = _find(parent, i * nc + j)
            if i + 1 < nr and not _covered(hsegs, ys[i + 1], xs[j], xs[j + 1], tol):
                parent[_find(parent, (i + 1) * nc + j)] = _find(parent, i * nc + j)
    members: dict[int, list[tuple[int, int]]] = {}
    for i in range(nr):
        for j in range(nc):
            members.setdefault(_find(parent, i * nc + j), []).append((i, j))
    cells: list[GridCell] = []
    for slots in members.values():
        r0, r1 = min(i for i, _ in slots), max(i for i, _ in slots) + 1
        c0, c1 = min(j for _, j in slots), max(j for _, j in slots) + 1
        cells.append(GridCell(r0, c0, r1, c1, (int(xs[c0]), int(ys[r0]), int(xs[c1]), int(ys[r1]))))
    cells.sort(key=lambda c: (c.row, c.col))
    return Grid(box=(int(xs[0]), int(ys[0]), int(xs[-1]), int(ys[-1])), cells=cells, rules=rules)


def _tables(hsegs: list[_Segment], vsegs: list[_Segment], tol: float, width: int) -> list[Grid]:
    """Rules that touch each other form one table; each table's grid on its own rules."""
    segs = [("h", s) for s in hsegs] + [("v", s) for s in vsegs]
    parent = list(range(len(segs)))
    for a, (ka, sa) in enumerate(segs):
        if ka != "h":
            continue
        for b, (kb, sb) in enumerate(segs):
            if kb != "v":
                continue
            if sa.lo - tol <= sb.at <= sa.hi + tol and sb.lo - tol <= sa.at <= sb.hi + tol:
                parent[_find(parent, b)] = _find(parent, a)
    groups: dict[int, list[int]] = {}
    for k in range(len(segs)):
        groups.setdefault(_find(parent, k), []).append(k)
    grids: list[Grid] = []
    for idx in groups.values():
        hs = [segs[k][1] for k in idx if segs[k][0] == "h"]
        vs = [segs[k][1] for k in idx if segs[k][0] == "v"]
        if len(hs) < 2 or len(vs) < 2:
            continue
        grid = _grid(hs, vs, tol, [segs[k] for k in idx])
        if grid is None or grid.box[2] - grid.box[0] < 0.15 * width:
            continue  # strokes of a large title crossing each other are no table
        grids.append(grid)
    grids.sort(key=lambda g: g.box[1])
    return grids


def prepare_page(image: Image.Image) -> Page:
    """Grey, upscaled to ~300 dpi, deskewed; rules found, then erased so OCR sees only text."""
    gray = image.convert("L")
    scale = 1.0
    if gray.width < TARGET_WIDTH * 0.8:
        scale = min(MAX_UPSCALE, TARGET_WIDTH / max(1, gray.width))
        gray = gray.resize((round(gray.width * scale), round(gray.height * scale)), Image.Resampling.BICUBIC)
    skew = _skew(_ink(np.asarray(gray)))
    if skew:
        gray = gray.rotate(skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    arr = np.asarray(gray)
    ink = _ink(arr)
    min_len = max(24, int(0.02 * arr.shape[1]))
    hsegs = _segments(ink, min_len, gap=3)
    vsegs = _segments(ink.T, min_len, gap=3)
    tol = max(4.0, arr.shape[1] / 400)
    grids = _tables(hsegs, vsegs, tol, arr.shape[1])
    erased = arr.copy()
    rule = np.zeros_like(ink)
    for grid in grids:  # only a table's rules: a long stroke of a large title is text
        for kind, seg in grid.rules:
            if kind == "h":
                rule[max(0, seg.at0 - 3): seg.at1 + 4, seg.lo: seg.hi] = True
            else:
                rule[seg.lo: seg.hi, max(0, seg.at0 - 3): seg.at1 + 4] = True
    erased[rule & (arr < 230)] = 255  # the rule and its grey fringe
    return Page(image=Image.fromarray(erased), ink=_ink(erased), grids=grids, skew_deg=skew, scale=scale)
