"""Text normalisation used for *matching* only: printed text is always kept as printed."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def squash(text: str) -> str:
    """NFKC (full-width brackets, digits and colons to half-width) and no white space at all.

    Chinese labels are printed with stray spaces ("三、 本 年 度 办 理 结 果"); matching ignores them.
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def collapse_space(text: str) -> str:
    """One space for each run of white space, trimmed."""
    return _SPACE.sub(" ", text).strip()


def chinese_year(text: str) -> int | None:
    """二〇一九 / 二零一九 → 2019; None when the text is not four Chinese digits."""
    if len(text) != 4 or any(ch not in _CN_DIGITS for ch in text):
        return None
    return int("".join(str(_CN_DIGITS[ch]) for ch in text))


_CN_YEAR = re.compile(r"([一二三四五六七八九〇零○]{4})\s*年")


def arabic_years(text: str) -> str:
    """Rewrite years written in Chinese digits (二〇一九年) as Arabic (2019年) for matching."""

    def repl(m: re.Match[str]) -> str:
        y = chinese_year(m.group(1))
        return f"{y}年" if y else m.group(0)

    return _CN_YEAR.sub(repl, text)
