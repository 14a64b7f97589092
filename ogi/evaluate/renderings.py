"""Every labelled source re-rendered the way real pipelines hand reports to us.

A labelled HTML/PDF/DOCX report is read into its text lines and table grids (ogi.read: structure only,
no number is interpreted), then written out again as crawler and converter tools produce it:

| rendering           | what it is                                                                  |
|---------------------|-----------------------------------------------------------------------------|
| `text_separated`    | a browser's copy-paste: one table row per line, cells between tabs           |
| `text_no_separator` | an HTML-to-text step that drops cell boundaries: a row's cells glued         |
| `cell_per_line`     | a crawler printing each cell on its own line (`39 |`, `|` for a blank)       |
| `markdown_html`     | an HTML-to-markdown converter: pipe tables, spanning cells once, padded rows |
| `markdown_grid`     | a converter printing the whole grid: rows as wide as the table, cells last   |
| `markdown_pdf`      | a PDF-to-markdown converter, with its defects (below)                        |
| `layout_text`       | PDF text extraction: cells between spaces, long labels wrapped, blanks gone  |
| `crawler_one_line`  | a crawler archive: a short header, then the whole page on one line          |

The defects of PDF-to-markdown conversions are reproduced, each at seeded places: labels wrapped
mid-word over two rows, value rows separated from their labels (singly and as a block), header
fragments as rows, a page footer and the repeated column headers inside a table, rows as little
tables of their own under placeholder headers (项目 | 数据1 … 数据6), and a block of rows under the
header row of another table.

The expected cells are the source's labels, without `placement` (how a cell is placed depends on the
rendering). Where a rendering destroys what a figure's position rests on — a blank cell that
vanishes from a row printed without positions, or an active-table row of several cells glued with
no identity to cut it — the figure is marked `lost_in_rendering`: the scorer does not expect it, but
a wrong number there is still wrong.

`render(source, rendering, seed)` is deterministic: the same source, rendering and seed give the
same bytes. The scale generator reuses it.
"""

from __future__ import annotations

import json
import random
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ogi.model import Block, Table
from ogi.text.normalize import squash
from ogi.text.numbers import read_number


class Rendering(StrEnum):
    TEXT_SEPARATED = "text_separated"
    TEXT_NO_SEPARATOR = "text_no_separator"
    CELL_PER_LINE = "cell_per_line"
    MARKDOWN_HTML = "markdown_html"
    MARKDOWN_GRID = "markdown_grid"
    MARKDOWN_PDF = "markdown_pdf"
    LAYOUT_TEXT = "layout_text"
    CRAWLER_ONE_LINE = "crawler_one_line"


# Renderings in which a blank cell leaves no trace, so a row with one loses its cells' positions.
BLANKS_VANISH = frozenset({Rendering.TEXT_NO_SEPARATOR, Rendering.LAYOUT_TEXT, Rendering.CRAWLER_ONE_LINE})
# Renderings in which the cells of a row are glued together.
CELLS_GLUED = frozenset({Rendering.TEXT_NO_SEPARATOR, Rendering.CRAWLER_ONE_LINE})
SOURCE_SUFFIXES = (".html", ".htm", ".pdf", ".docx")


@dataclass(frozen=True)
class LabelledSource:
    """A source document and its labels (the labels.json schema of tests/corpus)."""

    name: str
    data: bytes
    uri: str
    labels: dict[str, Any]


@dataclass(frozen=True)
class Rendered:
    """One rendering of a source: the bytes a pipeline would hand over, and the cells it must yield."""

    source: str
    rendering: Rendering
    seed: int
    filename: str
    data: bytes
    labels: dict[str, Any] = field(repr=False)

    @property
    def name(self) -> str:
        return f"{self.source}~{self.rendering}~s{self.seed}"

    @property
    def uri(self) -> str:
        return f"generated/{self.name}/{self.filename}"


def load_source(folder: Path) -> LabelledSource | None:
    """A case folder whose document is a page or file with real tables (HTML, PDF, DOCX) and complete labels."""
    labels_path = folder / "labels.json"
    docs = sorted(p for p in folder.iterdir() if p.name.startswith("document.")) if folder.is_dir() else []
    if not labels_path.is_file() or len(docs) != 1 or docs[0].suffix.lower() not in SOURCE_SUFFIXES:
        return None
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    if not labels.get("cells_complete", True):
        return None
    if str(labels.get("rendering", "")).startswith("scan_"):
        return None  # a scan has no text tables to re-render: what OCR read of it is no source
    return LabelledSource(folder.name, docs[0].read_bytes(), str(docs[0]), labels)


# --- the source's structure --------------------------------------------------------------------------


@dataclass
class _Page:
    title: str
    published: str
    blocks: list[Block]


_PAGES: dict[tuple[str, int], _Page] = {}


def _page(source: LabelledSource) -> _Page:
    """The source read once (text lines and table grids), shared by all its renderings."""
    from ogi.parse.report import read_and_clean

    key = (source.name, zlib.crc32(source.data))
    if key not in _PAGES:
        if len(_PAGES) > 64:
            _PAGES.clear()
        doc = read_and_clean(source.data, source.uri)
        title = doc.meta.get("title") or doc.meta.get("page_title") or ""
        _PAGES[key] = _Page(title=title, published=doc.meta.get("published", ""), blocks=list(doc.blocks))
    return _PAGES[key]


def _is_value(cell: str) -> bool:
    return read_number(cell).kind != "text"


def _split_row(row: list[str]) -> tuple[list[str], list[str]]:
    """(leading text cells, the value cells after them); a row without values is all text."""
    k = 0
    while k < len(row) and not _is_value(row[k]):
        k += 1
    if k == len(row) or not any(read_number(c).kind == "number" for c in row[k:]):
        return row, []
    return row[:k], row[k:]


def _has_numbers(row: list[str]) -> bool:
    return bool(_split_row(row)[1])


def _empty_row(row: list[str]) -> bool:
    return all(c.strip() == "" for c in row)


# --- renderings -------------------------------------------------------------------------------------------


def _head_lines(page: _Page, rng: random.Random) -> list[str]:
    return [f"标题: {page.title}", f"发布时间: {page.published}", "==================== 正文 ===================="]


def _text_separated(page: _Page, rng: random.Random) -> tuple[str, str]:
    lines = [page.title]
    for b in page.blocks:
        if isinstance(b, Table):
            lines += ["\t".join(c.replace("\n", " ") for c in row) for row in b.rows if not _empty_row(row)]
        else:
            lines.append(b)
    return "document.txt", "\n".join(lines) + "\n"


def _glued(row: list[str], rng: random.Random, space_after_label: float = 0.0) -> str:
    labels, values = _split_row(row)
    text = "".join(c.replace("\n", "") for c in labels)
    if values and labels and rng.random() < space_after_label:
        text += " "
    return text + "".join(v.strip() for v in values)


def _text_no_separator(page: _Page, rng: random.Random) -> tuple[str, str]:
    lines = [page.title]
    for b in page.blocks:
        if isinstance(b, Table):
            lines += [_glued(row, rng) for row in b.rows if not _empty_row(row)]
        else:
            lines.append(b)
    return "document.txt", "\n".join(lines) + "\n"


def _cell_per_line(page: _Page, rng: random.Random) -> tuple[str, str]:
    lines = [page.title]
    for b in page.blocks:
        if not isinstance(b, Table):
            lines.append(b)
            continue
        rows = [r for r in b.rows if not _empty_row(r)]
        width = max((len(r) for r in rows), default=0)
        for i, row in enumerate(rows):
            lines += [f"{c.replace(chr(10), '')} |" if c.strip() else "|" for c in row]
            if width - len(row) > 0 and i != len(rows) - 1:
                lines.append("|" * (width - len(row)))
    return "document.txt", "\n".join(lines) + "\n"


def _md_table(rows: list[list[str]], width: int | None = None) -> list[str]:
    width = width or max((len(r) for r in rows), default=1)
    out = []
    for k, row in enumerate(rows):
        cells = [c.replace("\n", "<br>").replace("|", "｜") for c in row] + [""] * (width - len(row))
        out.append("| " + " | ".join(cells) + " |")
        if k == 0:
            out.append("|" + "|".join(" --- " for _ in cells) + "|")
    return out


def _markdown_html(page: _Page, rng: random.Random) -> tuple[str, str]:
    lines = [f"# {page.title}", ""]
    for b in page.blocks:
        if isinstance(b, Table):
            rows = [r for r in b.rows if not _empty_row(r)]
            if rows:
                lines += [*_md_table(rows), ""]
        else:
            lines += [b, ""]
    return "document.md", "\n".join(lines)


def _markdown_grid(page: _Page, rng: random.Random) -> tuple[str, str]:
    """A converter that prints the whole grid: every row as wide as the table, its cells in the last columns
    (a label spanning columns leaves empty cells between itself and them)."""
    lines = [f"# {page.title}", ""]
    for b in page.blocks:
        if not isinstance(b, Table):
            lines += [b, ""]
            continue
        rows = [r for r in b.rows if not _empty_row(r)]
        width = max((len(r) for r in rows), default=1)
        cols = max((len(_split_row(r)[1]) for r in rows), default=0)  # the table's value columns
        grid = []
        for row in rows:
            labels, values = _split_row(row)
            if values:  # cells fill from the left of the value columns; a row short of cells ends empty
                grid.append([*labels, *[""] * (width - len(labels) - cols), *values, *[""] * (cols - len(values))])
            else:
                grid.append(row)
        lines += [*_md_table(grid, width), ""]
    return "document.md", "\n".join(lines)


# --- markdown from PDF, with the converters' defects ---------------------------------------------------

_FOOTERS = ("— {} —", "- {} -", "第 {} 页", "·{}·")


def _wrap_point(label: str, rng: random.Random) -> int:
    return rng.randint(3, max(3, len(label) - 2))


def _pdf_rows(rows: list[list[str]], rng: random.Random, header_rows: list[list[str]],
              foreign_header: list[str] | None) -> list[list[list[str]]]:
    """One table's rows as a PDF converter's markdown tables: a list of tables, each a list of rows."""
    data = [k for k, r in enumerate(rows) if _has_numbers(r)]
    # Stretches for the whole-block defects, chosen apart from each other.
    stretches: dict[str, tuple[int, int]] = {}
    if len(data) >= 12:
        third = len(data) // 3
        a = rng.randint(0, third - 3)
        stretches["little_tables"] = (data[a], data[a + 2])
        b = rng.randint(third, 2 * third - 3)
        stretches["wrong_header"] = (data[b], data[b + 2])
        c = rng.randint(2 * third, len(data) - 4)
        stretches["separated_block"] = (data[c], data[c + 2])
        footer_at = data[rng.randint(third, len(data) - 2)]
    else:
        footer_at = data[len(data) // 2] if len(data) >= 4 else -1
    in_stretch = {k: name for name, (lo, hi) in stretches.items() for k in range(lo, hi + 1)}
    tables: list[list[list[str]]] = [[]]

    def emit(row: list[str]) -> None:
        tables[-1].append(row)

    def new_table(header: list[str] | None = None) -> None:
        if tables[-1]:
            tables.append([])
        if header is not None:
            tables[-1].append(header)

    k = 0
    while k < len(rows):
        row = rows[k]
        labels, values = _split_row(row)
        stretch = in_stretch.get(k)
        if stretch == "separated_block" and stretches[stretch][0] == k:
            lo, hi = stretches[stretch]
            block = [rows[j] for j in range(lo, hi + 1)]
            for r in block:
                lab, vals = _split_row(r)
                emit([*lab, *[""] * len(vals)])
            for r in block:
                lab, vals = _split_row(r)
                emit([*[""] * len(lab), *vals])
            k = hi + 1
            continue
        if stretch == "little_tables":
            new_table(["项目", *[f"数据{j + 1}" for j in range(max(1, len(values) - 1))]])
            emit(row)
            new_table()
            k += 1
            continue
        if stretch == "wrong_header" and stretches[stretch][0] == k and foreign_header:
            new_table(list(foreign_header))
        if stretch is None and not values and len(row) >= 2 and all(len(squash(c)) >= 4 for c in row) \
                and rng.random() < 0.5:
            # header fragments: each header cell split over two rows
            cut = [_wrap_point(c, rng) if len(c) >= 4 else len(c) for c in row]
            emit([c[:p] for c, p in zip(row, cut, strict=True)])
            emit([c[p:] for c, p in zip(row, cut, strict=True)])
            k += 1
            continue
        label = labels[-1] if labels else ""
        if stretch is None and values and len(squash(label)) >= 10 and rng.random() < 0.4:
            cut = _wrap_point(label, rng)
            head, tail = label[:cut], label[cut:]
            if rng.random() < 0.5:
                emit([*labels[:-1], head, *[""] * len(values)])
                emit([*[""] * (len(labels) - 1), tail, *values])
            else:
                emit([*labels[:-1], head, *values])
                emit([*[""] * (len(labels) - 1), tail, *[""] * len(values)])
        elif stretch is None and values and labels and rng.random() < 0.12:
            emit([*labels, *[""] * len(values)])
            emit([*[""] * len(labels), *values])
        else:
            emit(row)
        if stretch == "wrong_header" and stretches[stretch][1] == k:
            new_table()
        if k == footer_at:
            emit([_FOOTERS[rng.randrange(len(_FOOTERS))].format(rng.randint(2, 9))])
            for h in header_rows:
                emit(list(h))
        k += 1
    return [t for t in tables if t]


def _markdown_pdf(page: _Page, rng: random.Random) -> tuple[str, str]:
    lines = [f"# {page.title}", ""]
    tables = [b for b in page.blocks if isinstance(b, Table)]
    headers = {id(t): [r for r in t.rows[:4] if not _has_numbers(r) and len(r) >= 2] for t in tables}
    for b in page.blocks:
        if not isinstance(b, Table):
            lines += [b, ""]
            continue
        rows = [r for r in b.rows if not _empty_row(r)]
        foreign = [h for t in tables if t is not b for h in headers[id(t)] if len(h) >= 2]
        for t in _pdf_rows(rows, rng, headers[id(b)][:3], foreign[rng.randrange(len(foreign))] if foreign else None):
            lines += [*_md_table(t), ""]
    return "document.md", "\n".join(lines)


# --- layout text (PDF extraction) ---------------------------------------------------------------------


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def _layout_text(page: _Page, rng: random.Random) -> tuple[str, str]:
    width = rng.randint(12, 18)
    lines = [page.title]
    for b in page.blocks:
        if not isinstance(b, Table):
            lines += _wrap(b, 38)
            continue
        rows = [r for r in b.rows if not _empty_row(r)]
        data = [k for k, r in enumerate(rows) if _has_numbers(r)]
        footer_at = data[len(data) * 2 // 3] if len(data) >= 6 else -1
        headers = [r for r in rows[:4] if not _has_numbers(r)]
        for k, row in enumerate(rows):
            labels, values = _split_row(row)
            vals = " ".join(v.strip() for v in values if v.strip())
            if not values:
                lines.append(" ".join(c.replace("\n", " ") for c in row if c.strip()))
                continue
            if len(labels) > 1 and len(squash(labels[-1])) <= 2:  # a unit column (条, 件, 元): on the label's line
                labels = [" ".join(c.replace("\n", "") for c in labels)]
            for group in labels[:-1]:  # group labels printed on their own line, as they sit in a rowspan
                lines.append(group.replace("\n", ""))
            label = labels[-1].replace("\n", "") if labels else ""
            parts = _wrap(label, width) if label else [""]
            mid = (len(parts) - 1) // 2
            for j, part in enumerate(parts):
                lines.append(f"{part} {vals}".strip() if j == mid else part)
            if k == footer_at:
                lines.append(_FOOTERS[rng.randrange(len(_FOOTERS))].format(rng.randint(2, 9)))
                lines += [" ".join(c for c in h if c.strip()) for h in headers]
    return "document.txt", "\n".join(lines) + "\n"


# --- a crawler's whole page on one line -----------------------------------------------------------------


def _crawler_one_line(page: _Page, rng: random.Random) -> tuple[str, str]:
    joiner = rng.choice([" ", ""])
    parts: list[str] = []
    for b in page.blocks:
        if isinstance(b, Table):
            parts.append("".join(_glued(row, rng, space_after_label=0.3) for row in b.rows if not _empty_row(row)))
        else:
            parts.append(b)
    return "document.txt", "\n".join([*_head_lines(page, rng), joiner.join(parts)]) + "\n"


_RENDERERS: dict[Rendering, Callable[[_Page, random.Random], tuple[str, str]]] = {
    Rendering.TEXT_SEPARATED: _text_separated,
    Rendering.TEXT_NO_SEPARATOR: _text_no_separator,
    Rendering.CELL_PER_LINE: _cell_per_line,
    Rendering.MARKDOWN_HTML: _markdown_html,
    Rendering.MARKDOWN_GRID: _markdown_grid,
    Rendering.MARKDOWN_PDF: _markdown_pdf,
    Rendering.LAYOUT_TEXT: _layout_text,
    Rendering.CRAWLER_ONE_LINE: _crawler_one_line,
}


# --- expected cells ---------------------------------------------------------------------------------------


def _breaks_own_sum(key: tuple[str, str], row: list[dict[str, Any]]) -> bool:
    """A requests row whose total is not the sum of its applicant columns, or a review row breaking I4."""
    values = {c["col"]: read_number(c["raw"] or "").value for c in row}
    if key[0] == "requests" and "total" in values:
        parts = [v for col, v in values.items() if col != "total"]
        return None not in parts and values["total"] is not None and sum(parts) != values["total"]  # type: ignore[arg-type]
    if key[0] == "review_litigation" and "total" in values:
        parts = [v for col, v in values.items() if col != "total"]
        return None not in parts and values["total"] is not None and sum(parts) != values["total"]  # type: ignore[arg-type]
    return False


def _lost_rows(cells: list[dict[str, Any]], rendering: Rendering) -> set[tuple[str, str]]:
    """Rows whose figures the rendering leaves without positions."""
    by_row: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for c in cells:
        by_row.setdefault((c["table"], c["row"]), []).append(c)
    lost: set[tuple[str, str]] = set()
    for key, row in by_row.items():
        blank = any(read_number(c["raw"] or "").kind in ("blank", "placeholder") for c in row)
        if rendering in BLANKS_VANISH and blank:
            lost.add(key)
        if rendering in CELLS_GLUED and key[0] == "active" and len(row) > 1:
            lost.add(key)  # no identity can cut an active row's glued cells
        if rendering in CELLS_GLUED and not blank and _breaks_own_sum(key, row):
            lost.add(key)  # the row breaks the very identity (I3, I4) that would cut its glued cells
    if any(k[0] == "review_litigation" for k in lost):
        lost |= {k for k in by_row if k[0] == "review_litigation"}  # one printed row of 15 cells
    return lost


def _table_texts(page: _Page) -> set[str]:
    return {squash(c) for b in page.blocks if isinstance(b, Table) for row in b.rows for c in row}


def expected_labels(labels: dict[str, Any], rendering: Rendering, source: str, seed: int,
                    page: _Page | None = None) -> dict[str, Any]:
    """The source's labels as the expectations of one rendering of it."""
    cells = [{k: v for k, v in c.items() if k != "placement"} for c in labels.get("cells", [])]
    lost = _lost_rows(cells, rendering)
    for c in cells:
        if (c["table"], c["row"]) in lost:
            c["lost_in_rendering"] = True
    facts = [dict(f) for f in labels.get("facts", [])]
    if rendering in CELLS_GLUED and page is not None:
        # a figure printed in a statistics table's cell runs into its neighbours when cells are glued
        in_tables = _table_texts(page)
        prose = "".join(squash(b) for b in page.blocks if isinstance(b, str))
        for f in facts:
            printed = str(f["value"])
            stated = rf"(?<![\d.]){re.escape(printed)}(?:件|条|元|万元|项|个|起|宗|篇|次)"  # as a figure, not in a date
            if printed in in_tables and not re.search(stated, prose):
                f["lost_in_rendering"] = True
    out = {k: v for k, v in labels.items() if k not in ("cells", "facts", "description")}
    out.update(rendering=str(rendering), synthetic=True, generated_from=source, seed=seed, cells=cells, facts=facts,
               description=f"{source} rendered as {rendering} (seed {seed}) by ogi/evaluate/renderings.py")
    if lost:  # identities resting on a lost cell cannot be reported
        out["identity_breaks"] = []
        out["identity_breaks_unknown"] = True
    return out


def _rng(source: str, rendering: Rendering, seed: int) -> random.Random:
    return random.Random(zlib.crc32(f"{source}|{rendering}|{seed}".encode()))


def render(source: LabelledSource, rendering: Rendering, seed: int = 0) -> Rendered:
    """One rendering of a labelled source: deterministic in (source, rendering, seed)."""
    page = _page(source)
    filename, text = _RENDERERS[rendering](page, _rng(source.name, rendering, seed))
    return Rendered(source=source.name, rendering=rendering, seed=seed, filename=filename,
                    data=text.encode("utf-8"),
                    labels=expected_labels(source.labels, rendering, source.name, seed, page))


def render_all(source: LabelledSource, seed: int = 0) -> Iterator[Rendered]:
    """Every rendering of one source."""
    for rendering in Rendering:
        yield render(source, rendering, seed)
