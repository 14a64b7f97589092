"""Text normalisation used for *matching* only: printed text is always kept as printed."""

from __future__ import annotations

import functools
import re
import unicodedata

_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


@functools.lru_cache(maxsize=32768)
def squash(text: str) -> str:
    """NFKC (full-width brackets, digits and colons to half-width) and no white space at all.

    Chinese labels are printed with stray spaces ("三、 本 年 度 办 理 结 果"); matching ignores them.
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def collapse_space(text: str) -> str:
    """One space for each run of white space, trimmed."""
    return _SPACE.sub(" ", text).strip()
