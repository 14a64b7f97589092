"""Reading printed numbers exactly: Decimal, never float; blanks and placeholders stay distinct."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from ogi.text.normalize import squash

_NUMBER = re.compile(
    r"^(?P<sign>[+\-])?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?P<unit>万元|亿元|元|万|件|条|个|项|次)?$"
)
# Printed in a cell to mean "none" or "not applicable": not a printed number.
PLACEHOLDERS = frozenset({"-", "--", "—", "——", "－", "/", "\\", "无", "空", "／", "－－", "–", "×", "…"})
MONEY_FACTOR = {"元": Decimal(1), "万元": Decimal(10000), "万": Decimal(10000), "亿元": Decimal(100000000)}


@dataclass(frozen=True)
class Printed:
    """A cell's printed text read as a number, if it is one."""

    raw: str
    value: Decimal | None
    unit: str | None = None
    kind: str = "number"  # number | blank | placeholder | text


def _clean(raw: str) -> str:
    return squash(raw).replace("−", "-").replace("﹣", "-")


@functools.lru_cache(maxsize=8192)
def read_number(raw: str) -> Printed:
    """Read one printed cell. Blank → kind blank; '-', '/', '无' → placeholder; never a guessed 0.

    Cached: the same few texts ("0", "", "1") fill most cells, and a Printed is immutable.
    """
    text = _clean(raw)
    if text == "":
        return Printed(raw=raw.strip(), value=None, kind="blank")
    if text in PLACEHOLDERS or set(text) <= {"-", "—", "/"}:
        return Printed(raw=raw.strip(), value=None, kind="placeholder")
    m = _NUMBER.match(text)
    if not m:
        return Printed(raw=raw.strip(), value=None, kind="text")
    digits = m.group("num").replace(",", "") + (m.group("frac") or "")
    value = Decimal(digits)
    if m.group("sign") == "-":
        value = -value
    return Printed(raw=raw.strip(), value=value, unit=m.group("unit"))


def is_value_token(raw: str) -> bool:
    """Could this token occupy a number cell (number, blank, or a placeholder)?"""
    return read_number(raw).kind != "text"


def to_yuan(value: Decimal, unit: str | None) -> Decimal:
    """Money in yuan, exactly."""
    return value * MONEY_FACTOR.get(unit or "元", Decimal(1))


def json_number(value: Decimal | int | float | None) -> int | float | None:
    """A number as JSON prints it: int when integral (counts), float otherwise (the record schema's `number`)."""
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    if value == value.to_integral_value():
        return int(value)
    return float(value)
