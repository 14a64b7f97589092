"""Report identity: which documents are the same report, and which copy is the canonical one.

The same report reaches us several times: as the HTML page and its PDF attachment, as a repost on
the province's portal, as a revised version, as the text a crawler saved. Counting each would
double the figures BI sums, so within a partition (statistics year × province) documents are
grouped into reports and one copy per group is canonical; the others are kept in the ledger as
`duplicate`, linked by `duplicate_of` with the reason, and left out of the analysis datasets.

Two documents are the same report when either
- they come from the same reporting body (`body_id`) for the same statistics year and scope, or
- their printed figures are the same (at least MIN_SHARED identical figures, and those make up at
  least 90 % of the smaller copy's figures): different renderings of one report.

The canonical copy of a group is decided by these rules, in order (README, "Report identity"):
1. completeness: more figures placed (cells and facts), fewer figures left unplaced;
2. rendering: the report page (HTML) over a PDF, over a DOCX, over plain text;
3. publication: on one host the later date (a revision replaces what it revises); across hosts
   the earlier (the original over a repost); undated copies last;
4. the source id, so the choice never depends on the order documents arrive in.
Where two copies print a different number for the same cell or fact, the canonical report gets a
`copy_disagrees` finding with both values: never an average, never a silent pick.

`body_id` is `b<region code>-<8 hex of the normalised agency name>`: the same body keeps its id
across years and reposts; a renamed body (2018 机构改革) is mapped to its old id by the overrides
file, which may set a document's body, region, year, agency, scope or exclusion — never a number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ogi.text.normalize import squash

MIN_SHARED = 12
_NOTE = re.compile(r"[（(][^）)]*[）)]")
_RENDERING_RANK = {"html": 0, "pdf": 1, "docx": 2, "text": 3}


def canonical_agency(agency: str | None, region_name: str | None) -> str | None:
    """A body's name, normalised for matching: notes in brackets dropped, 人民政府 as 政府, and the
    division's name in front where the report prints the body without it (市政府办公室 of 通辽市)."""
    if not agency:
        return None
    text = _NOTE.sub("", squash(agency)).replace("人民政府", "政府")
    if region_name:
        short = region_name.replace("人民政府", "")
        if not text.startswith(short):
            suffix = short[-1]
            text = short + text[1:] if text.startswith(suffix) else short + text
    return text or None


def body_id(region_code: str | None, agency: str | None, region_name: str | None = None) -> str | None:
    name = canonical_agency(agency, region_name)
    if not region_code or not name:
        return None
    return f"b{region_code}-{hashlib.sha1(name.encode()).hexdigest()[:8]}"


def rendering_of(content_type: str | None, location: str) -> str:
    ctype = (content_type or "").lower()
    path = urlsplit(location).path.lower() if "://" in location else location.lower()
    if "html" in ctype or path.endswith((".htm", ".html", ".shtml", ".jsp", ".php", ".aspx")):
        return "html"
    if "pdf" in ctype or path.endswith(".pdf"):
        return "pdf"
    if "word" in ctype or path.endswith((".docx", ".doc", ".wps")):
        return "docx"
    return "text"


FigureKey = tuple[str, str, str]  # ("cell", table/row, col) or ("fact", key, period)


class FigureCodec:
    """The figure keys and printed values of one partition, each numbered once.

    A report's figures are then one sorted array of 64-bit codes (key number, value number), kept
    zlib-compressed (its key numbers run in steps of one, its value numbers repeat): ~3 bytes a figure
    instead of ~400 as a dict of tuples and Decimals (~560 bytes for a 2021 report's ~200), so deciding
    the identities of a partition's reports holds every report's figures in memory at a cost that stays
    small at 100,000 reports. Values are numbered by their exact digits (Decimal.as_tuple): a decoded
    value prints as it was printed.
    """

    def __init__(self) -> None:
        self._key_ids: dict[FigureKey, int] = {}
        self.keys: list[FigureKey] = []
        self._value_ids: dict[tuple, int] = {}
        self.values: list[Decimal] = []
        self._packed = bytearray()  # every report's compressed codes, one after the other

    def key_id(self, key: FigureKey) -> int | None:
        return self._key_ids.get(key)

    def encode(self, figures: Mapping[FigureKey, Decimal]) -> Figures:
        codes = array("q")
        for key, value in figures.items():
            codes.append(self._key(key) << 32 | self._value(value))
        return self._figures(array("q", sorted(codes)).tobytes(), len(codes))

    def _figures(self, codes: bytes, count: int) -> Figures:
        """A report's figures from its sorted codes, stored compressed at the end of the codec's one buffer
        (not as an object of their own per report: those fragmented the heap they were allocated in)."""
        start = len(self._packed)
        self._packed += zlib.compress(codes, 1)
        return Figures(self, start, len(self._packed), count)

    def encode_lists(self, cells: pa.Array, facts: pa.Array) -> list[Figures]:
        """`encode` of every row of a batch from its Arrow `cells` and `facts` lists, column-wise.

        The same figures as `encode` of each row's dict of ("cell", "table/row", col) and ("fact", key,
        period) → value (cells with no value left out; a key given twice: its last value), with the
        same numbers, without turning ~200 structs a report into Python objects (pass 1's cost, and
        the heap it fragmented).
        """
        parents, key_ids, value_ids = [], [], []
        for kind, column, first, second in (("cell", cells, ("table", "row"), "col"),
                                            ("fact", facts, ("key",), "period")):
            flat = pc.list_flatten(column)
            parent = pc.list_parent_indices(column)
            valid = pc.is_valid(flat.field("value"))
            flat, parent = flat.filter(valid), parent.filter(valid)
            if len(flat) == 0:
                continue
            where = flat.field(first[0]) if len(first) == 1 else \
                pc.binary_join_element_wise(flat.field(first[0]), flat.field(first[1]), "/")
            keys = pc.dictionary_encode(pc.binary_join_element_wise(where, flat.field(second), "\x1f"))
            indices = keys.indices.to_numpy(zero_copy_only=False)
            # A key's text only groups its elements: the key itself is read from the fields of its first one.
            firsts = pa.array(np.unique(indices, return_index=True)[1])
            ids = np.fromiter((self._key((kind, w, c)) for w, c in zip(where.take(firsts).to_pylist(),
                                                                      flat.field(second).take(firsts).to_pylist(),
                                                                      strict=True)), np.int64, len(firsts))
            key_ids.append(ids[indices])
            texts = pc.dictionary_encode(pc.cast(flat.field("value"), pa.string()))
            values = np.fromiter((self._value(Decimal(t)) for t in texts.dictionary.to_pylist()), np.int64,
                                 len(texts.dictionary))
            value_ids.append(values[texts.indices.to_numpy(zero_copy_only=False)])
            parents.append(parent.to_numpy(zero_copy_only=False).astype(np.int64))
        rows = len(cells)
        if not parents:
            return [self._figures(b"", 0) for _ in range(rows)]
        parent, key, value = np.concatenate(parents), np.concatenate(key_ids), np.concatenate(value_ids)
        # One figure per (report, key), its last value (as a dict keeps it), sorted by key within each report.
        slot = parent << 32 | key
        unique, last_reversed = np.unique(slot[::-1], return_index=True)
        codes = (unique & 0xFFFFFFFF) << 32 | value[len(slot) - 1 - last_reversed]
        bounds = np.searchsorted(unique >> 32, np.arange(rows + 1))
        return [self._figures(codes[bounds[i]:bounds[i + 1]].tobytes(), int(bounds[i + 1] - bounds[i])) for i in range(rows)]

    def _key(self, key: FigureKey) -> int:
        k = self._key_ids.get(key)
        if k is None:
            k = self._key_ids[key] = len(self.keys)
            self.keys.append(key)
        return k

    def _value(self, value: Decimal) -> int:
        exact = value.as_tuple()
        v = self._value_ids.get(exact)
        if v is None:
            v = self._value_ids[exact] = len(self.values)
            self.values.append(value)
        return v


class Figures(Mapping[FigureKey, Decimal]):
    """A report's figures as a read-only mapping over its compressed codes (see FigureCodec).

    Each access decompresses them: a caller that reads many figures takes `items()` once (or `plain`).
    """

    __slots__ = ("_codec", "_start", "_end", "_count")

    def __init__(self, codec: FigureCodec, start: int, end: int, count: int) -> None:
        self._codec = codec
        self._start, self._end = start, end  # where its compressed codes are in the codec's buffer
        self._count = count

    def _codes(self) -> array:
        codes = array("q")
        codes.frombytes(zlib.decompress(self._codec._packed[self._start:self._end]))
        return codes

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[FigureKey]:
        keys = self._codec.keys
        return (keys[code >> 32] for code in self._codes())

    def items(self) -> Iterator[tuple[FigureKey, Decimal]]:  # type: ignore[override]
        keys, values = self._codec.keys, self._codec.values
        return ((keys[code >> 32], values[code & 0xFFFFFFFF]) for code in self._codes())

    def __getitem__(self, key: FigureKey) -> Decimal:
        k = self._codec.key_id(key)
        if k is not None:
            codes = self._codes()
            i = bisect_left(codes, k << 32)
            if i < len(codes) and codes[i] >> 32 == k:
                return self._codec.values[codes[i] & 0xFFFFFFFF]
        raise KeyError(key)


def plain(figures: Mapping[FigureKey, Decimal]) -> Mapping[FigureKey, Decimal]:
    """The figures as a dict (decompressed once), for comparing them figure by figure."""
    return figures if isinstance(figures, dict) else dict(figures.items())


@dataclass(slots=True)
class Candidate:
    """What deciding a report's identity needs to know of one parsed, authoritative document."""

    source_id: str
    report_id: str
    body_id: str | None
    year: int | None
    scope: str | None
    rendering: str
    host: str | None
    published: str | None  # ISO date
    figures: Mapping[FigureKey, Decimal]  # each figure's value (a dict, or Figures: the compact form)
    unplaced: int = 0

    @property
    def completeness(self) -> int:
        return len(self.figures) - self.unplaced


@dataclass
class Decision:
    """A group's canonical copy, and for every other copy why it is one."""

    canonical: Candidate
    duplicates: list[tuple[Candidate, str]] = field(default_factory=list)
    disagreements: list[tuple[Candidate, tuple[str, str, str], Decimal, Decimal]] = field(default_factory=list)


class _Groups:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _same_figures(a: Candidate, b: Candidate) -> bool:
    return _same(plain(a.figures), plain(b.figures))


def _same(a: Mapping[FigureKey, Decimal], b: Mapping[FigureKey, Decimal]) -> bool:
    shared = sum(1 for k, v in a.items() if b.get(k) == v)
    smaller = min(len(a), len(b))
    return shared >= MIN_SHARED and smaller > 0 and shared >= 0.9 * smaller


def _order_key(c: Candidate, group: list[Candidate]) -> tuple:
    # Rule 3: on the host of the group's first publication the later copy (a revision) wins;
    # a copy on another host (a repost) comes after; undated copies last.
    dated = sorted((x.published, x.host) for x in group if x.published)
    first_host = dated[0][1] if dated else None
    day = _ordinal(c.published)
    if day is None:
        when = (2, 0)
    elif c.host == first_host:
        when = (0, -day)  # the later revision first
    else:
        when = (1, day)  # the earlier repost first
    return (-c.completeness, _RENDERING_RANK.get(c.rendering, 9), when, c.source_id)


def _ordinal(iso: str | None) -> int | None:
    try:
        return dt.date.fromisoformat(iso).toordinal() if iso else None
    except ValueError:
        return None


def _why(dup: Candidate, canonical: Candidate) -> str:
    how = []
    if dup.body_id and dup.body_id == canonical.body_id:
        how.append("same body, year and scope")
    if _same_figures(dup, canonical):
        how.append("same printed figures")
    if dup.report_id == canonical.report_id:
        how = ["the same bytes"]
    which = (f"{dup.rendering} copy of a {canonical.rendering} report" if dup.rendering != canonical.rendering
             else "another copy")
    return f"{which} ({' and '.join(how) or 'same report'}); canonical is {canonical.source_id}"


def decide(candidates: Iterable[Candidate]) -> list[Decision]:
    """Group the candidates of one partition into reports and pick each report's canonical copy."""
    items = list(candidates)
    groups = _Groups(len(items))
    by_identity: dict[tuple, int] = {}
    for i, c in enumerate(items):
        for key in ((c.body_id, c.year, c.scope) if c.body_id else None, ("bytes", c.report_id)):
            if key is None:
                continue
            if key in by_identity:
                groups.union(i, by_identity[key])
            else:
                by_identity[key] = i
    # Same printed figures join a copy whose body could not be told (a text copy, an attachment without a
    # heading) to the report it copies. Two copies whose bodies are both known and differ are two bodies'
    # reports, however alike (township reports of all zeros): never joined. So only the copies without a
    # body are compared with the others — linear in a partition of identified bodies, not quadratic.
    # The groups are the connected pairs whatever the order they are tried in, so each candidate's figures are
    # decompressed once, against the few unknown copies' (kept plain).
    unknown = {i: plain(c.figures) for i, c in enumerate(items) if not c.body_id}
    for j, other in enumerate(items):
        theirs = None
        for i, mine in unknown.items():
            if i != j and items[i].year == other.year and groups.find(i) != groups.find(j):
                theirs = plain(other.figures) if theirs is None else theirs
                if _same(mine, theirs):
                    groups.union(i, j)
    members: dict[int, list[Candidate]] = {}
    for i, c in enumerate(items):
        members.setdefault(groups.find(i), []).append(c)
    decisions = []
    for group in members.values():
        ordered = sorted(group, key=lambda c: _order_key(c, group))
        decision = Decision(ordered[0])
        canonical_figures = plain(ordered[0].figures) if len(ordered) > 1 else {}
        for other in ordered[1:]:
            decision.duplicates.append((other, _why(other, ordered[0])))
            for key, value in other.figures.items():
                mine = canonical_figures.get(key)
                if mine is not None and mine != value:
                    decision.disagreements.append((other, key, mine, value))
        decisions.append(decision)
    return sorted(decisions, key=lambda d: d.canonical.source_id)
