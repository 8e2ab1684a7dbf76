"""Language of an article's text: en, zh-Hans or zh-Hant, detected from the characters themselves."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

# Frequent characters that exist in only one of the two scripts (news vocabulary).
_HANT_ONLY = set("這個們為與發資產業億萬對於會說經濟國際實際電腦時間開關從來後並將還應該過進運際網絡雲臺灣幣預計營收據報導將與設備體係務價額關聯軟輝達積總統領龍東區門問題")
_HANS_ONLY = set("这个们为与发资产业亿万对于会说经济国际实际电脑时间开关从来后并将还应该过进运际网络云台湾币预计营收据报导将与设备体系务价额关联软辉达积总统领龙东区门问题")
_HANT_ONLY -= _HANS_ONLY
_HANS_ONLY -= _HANT_ONLY


def detect_lang(text: str) -> str:
    """Return "en", "zh-Hans" or "zh-Hant" for a body of text."""
    cjk = len(_CJK.findall(text))
    latin_words = len(_LATIN_WORD.findall(text))
    # A Chinese word is ~1.7 characters; compare like with like.
    if cjk < 1.7 * latin_words * 0.5 or cjk == 0:
        return "en"
    hant = sum(1 for ch in text if ch in _HANT_ONLY)
    hans = sum(1 for ch in text if ch in _HANS_ONLY)
    return "zh-Hant" if hant > hans else "zh-Hans"
