"""Character classes of Chinese text: the one definition of what counts as a CJK character."""

from __future__ import annotations

import re

# Ideographs, CJK punctuation and full-width forms: the characters between which a printed line
# break or space is an artefact of layout, never a separator.
CJK_RANGES = (
    "\u2e80-\u2fff"  # radicals, Kangxi
    "\u3000-\u303f"  # CJK punctuation: 、。《》「」
    "\u3040-\u30ff"  # kana (rare, but do not split them)
    "\u3100-\u31ff"
    "\u3400-\u4dbf"
    "\u4e00-\u9fff"
    "\uf900-\ufaff"
    "\ufe30-\ufe4f"  # vertical forms
    "\uff00-\uffef"  # full-width forms: （），：１２
    "\u2014\u2018-\u201f\u2026\u00b7"  # — ‘’“” … ·
)
CJK_CHAR = f"[{CJK_RANGES}\U00020000-\U0002fa1f]"
# Every horizontal and vertical space a page can print, ideographic space included.
WHITESPACE = "[ \t\r\n\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
# Unified ideographs only: a label character, as opposed to punctuation or digits.
IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
