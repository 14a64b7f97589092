"""Chinese numerals as reports print them: 三件, 十二件, 一百零五条, 二〇一九年."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "o": 0}
CN_POWER = {"十": 10, "百": 100, "千": 1000}
# Digits of years: a year is spelled digit by digit, sometimes with ○, Ｏ or a Latin O for 〇.
YEAR_DIGIT = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}


def chinese_int(text: str) -> int | None:
    """三 → 3, 十二 → 12, 一百零五 → 105; None otherwise (三四件 means "three or four", not 34)."""
    if not text or any(ch not in CN_DIGIT and ch not in CN_POWER for ch in text):
        return None
    total, digit, last_power = 0, None, 10_000
    for ch in text:
        if ch in CN_DIGIT:
            if digit is not None:
                return None  # two digits in a row: 三四, 一〇五
            if CN_DIGIT[ch] == 0 and len(text) > 1:
                if last_power == 10_000:
                    return None  # a leading 零
                continue  # 一百零五: the 零 only marks a skipped place
            digit = CN_DIGIT[ch]
        else:
            power = CN_POWER[ch]
            if power >= last_power:
                return None
            total += (1 if digit is None else digit) * power
            digit, last_power = None, power
    return total + (digit or 0)


def figure_value(text: str) -> Decimal | None:
    """A figure printed in prose (216, 1,234, 三, 十二) as an exact Decimal, or None when it is not one."""
    text = text.replace(",", "")
    if text and text[0] in CN_DIGIT | CN_POWER:
        n = chinese_int(text)
        return None if n is None else Decimal(n)
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def chinese_year(text: str) -> int | None:
    """二〇一九 / 二零一九 → 2019; None when the text is not four Chinese digits."""
    if len(text) != 4 or any(ch not in YEAR_DIGIT for ch in text):
        return None
    return int("".join(str(YEAR_DIGIT[ch]) for ch in text))


_CN_YEAR = re.compile(r"([一二三四五六七八九〇零○]{4})\s*年")


def arabic_years(text: str) -> str:
    """Rewrite years written in Chinese digits (二〇一九年) as Arabic (2019年) for matching."""

    def repl(m: re.Match[str]) -> str:
        y = chinese_year(m.group(1))
        return f"{y}年" if y else m.group(0)

    return _CN_YEAR.sub(repl, text)


_CN_YEAR_IN_TEXT = re.compile(r"([一二][〇零○OoＯ一二三四五六七八九]{3})\s*年")


def find_chinese_year(text: str) -> int | None:
    """The first plausible year written in Chinese numerals in a text (…二〇一九年度…), or None."""
    m = _CN_YEAR_IN_TEXT.search(text)
    year = chinese_year(m.group(1)) if m else None
    return year if year is not None and 1990 <= year <= 2100 else None
