"""Shared text primitives: normalisation for matching, CJK character classes, numerals, printed numbers, decoding."""
