"""Numbers as written in news text: Arabic (1,300 / 1.5), Chinese (一千六百亿), mixed (3.5万亿),
and the scale words that follow them (bn, billion, 亿, 万亿, 兆).

Input is the normalised shadow (half-width digits, Simplified characters).
"""

from __future__ import annotations

import re

from . import lexicon_en, lexicon_zh

_ARABIC = re.compile(r"^\d{1,3}(?:[,\u00a0\u202f]\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG_UNITS = {"万": 1e4, "亿": 1e8, "兆": 1e12}


def parse_arabic(s: str) -> float | None:
    s = s.strip()
    if not _ARABIC.match(s):
        return None
    return float(re.sub(r"[,\u00a0\u202f]", "", s))


def parse_chinese(s: str) -> float | None:
    """一千六百亿 -> 1.6e11; 十亿 -> 1e9; 3.5万亿 -> 3.5e12; 1兆1340亿 -> 1.134e12."""
    s = s.replace(" ", "")
    if not s:
        return None
    total = 0.0      # completed sections above the current big unit
    section = 0.0    # value below 万 being built
    digit: float | None = None
    i = 0
    last_big = float("inf")
    while i < len(s):
        ch = s[i]
        m = re.match(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d,])", s[i:])
        if m:
            if digit is not None:
                return None
            digit = float(m.group().replace(",", ""))
            i += m.end()
            continue
        if ch in _CN_DIGITS:
            if digit is not None:
                return None
            digit = float(_CN_DIGITS[ch])
        elif ch in _CN_SMALL_UNITS:
            section += (1.0 if digit is None else digit) * _CN_SMALL_UNITS[ch]
            digit = None
        elif ch in _CN_BIG_UNITS:
            mult = _CN_BIG_UNITS[ch]
            # 万亿: 万 directly followed by 亿 multiplies (10^12)
            if ch == "万" and s[i + 1:i + 2] == "亿":
                mult = 1e12
                i += 1
            value = section + (digit or 0.0)
            if value == 0:
                return None
            if mult < last_big:
                total += value * mult
            else:  # e.g. 一千万亿 style stacking: scale everything so far
                total = (total + value) * mult
            last_big = mult
            section, digit = 0.0, None
        else:
            return None
        i += 1
    total += section + (digit or 0.0)
    return total if total > 0 else None


def parse_number(s: str) -> float | None:
    """Any supported number string without currency; None when it is not a number."""
    s = s.strip()
    v = parse_arabic(s)
    if v is not None:
        return v
    return parse_chinese(s)


def scale_value(unit: str | None) -> float:
    """Multiplier for a scale word: 'bn' -> 1e9, '亿' -> 1e8, None -> 1."""
    if not unit:
        return 1.0
    u = unit.strip()
    if u in lexicon_zh.SCALES:
        return lexicon_zh.SCALES[u]
    return lexicon_en.SCALES.get(u.lower(), lexicon_en.SCALES.get(u, 1.0))
