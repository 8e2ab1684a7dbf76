"""detect_lang counts with regexes and bytes.translate for speed; it must agree exactly with the
straightforward per-character counting it replaced (kept here as the reference)."""

from __future__ import annotations

import random

import pytest

from ingest.extract import detect_lang
from ingest.extract.normalize import SIMPLIFIED_ONLY, TRADITIONAL_ONLY

TRAD = sorted(TRADITIONAL_ONLY)
SIMP = sorted(SIMPLIFIED_ONLY)


def reference(text: str) -> str:
    if text.isascii():
        return "en"
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if cjk == 0 or cjk * 3 < latin * 0.5:
        return "en"
    trad = sum(1 for ch in text if ch in TRADITIONAL_ONLY)
    simp = sum(1 for ch in text if ch in SIMPLIFIED_ONLY)
    return "zh-Hant" if trad > simp else "zh-Hans"


EDGE_CASES = [
    "", "12345", " \n\t", "ＡＢＣ", "ＡＢＣ中", "café", "café 中", "naïve résumé 中文",
    "\u3400\u3401", "\U00020000\U0002a700",        # CJK extensions outside U+4E00..U+9FFF
    "\u4dff\ua000", "\u4e00", "\u9fff", "\u4dff\u4e00\u9fff\ua000",
    "a" * 5 + "中", "a" * 6 + "中", "a" * 7 + "中", "a" * 12 + "中中", "a" * 13 + "中中",  # around cjk*3 < latin/2
    "資", "资", "資资", "資资资", "資資资", "中文", "億萬元", "亿万元",       # only-traditional, only-simplified, ties
    "ß中", "ſ中", "K中", "µ中", "ǅ中", "ª中",          # non-ASCII letters (not [A-Za-z]), Kelvin sign
    "abcdef中", "abcdefg中", "abcdefé中", "abcdefＡ中", "abcdefK中", "abcdef1_@[中", "ABCDEFZ中",  # latin vs 6 * cjk
    "\ud800中", "中\x00", "①②中", "한국어", "日本語のテキスト", "Привет 中", "αβγ 中",
    "[]^-\\中資资",                                    # regex metacharacters around the counted characters
]


def _random_strings(n: int, seed: int = 20260523) -> list[str]:
    rnd = random.Random(seed)
    pool = ([chr(c) for c in range(0x20, 0x7f)] + TRAD + SIMP
            + [chr(rnd.randrange(0x4e00, 0xa000)) for _ in range(200)]
            + list("ÀéßſKµǅＡｚ０、。，「」\u3000\u3400\u4dff\ua000\U00020000한Привет①\ud800\x00"))
    out = []
    for i in range(n):
        if i % 3 == 0:  # near-ties between the scripts
            k = rnd.randrange(0, 6)
            chars = rnd.sample(TRAD, k) + rnd.sample(SIMP, max(0, k + rnd.choice((-1, 0, 1))))
            chars += [rnd.choice("中文x") for _ in range(rnd.randrange(0, 8))]
        elif i % 3 == 1:  # ASCII letters around 6 x the CJK count, plus characters that must not count
            k = rnd.randrange(1, 5)
            chars = [rnd.choice(TRAD + SIMP + ["中"]) for _ in range(k)]
            chars += [rnd.choice("aZqM") for _ in range(6 * k + rnd.randrange(-2, 3))]
            chars += [rnd.choice("0_@[`{ éßＡK\u3400") for _ in range(rnd.randrange(0, 4))]
        else:
            chars = [rnd.choice(pool) for _ in range(rnd.randrange(0, 80))]
        rnd.shuffle(chars)
        out.append("".join(chars))
    return out


def test_script_sets_hold_single_cjk_characters():
    # The character classes assume this; a multi-character entry would need another approach.
    for ch in TRADITIONAL_ONLY | SIMPLIFIED_ONLY:
        assert isinstance(ch, str) and len(ch) == 1 and "\u4e00" <= ch <= "\u9fff"


@pytest.mark.parametrize("text", EDGE_CASES)
def test_matches_reference_on_edge_cases(text):
    assert detect_lang(text) == reference(text)


def test_matches_reference_on_random_strings():
    cases = _random_strings(600)
    results = {reference(t) for t in cases}
    assert results == {"en", "zh-Hans", "zh-Hant"}  # the sample exercises every branch
    mismatches = [(t, detect_lang(t), reference(t)) for t in cases if detect_lang(t) != reference(t)]
    assert not mismatches


def test_every_script_character_counts():
    # Each member decides a text on its own: catches a character missing from a class.
    for t in TRAD:
        assert detect_lang(t + "中") == reference(t + "中") == "zh-Hant"
    for s in SIMP:
        assert detect_lang(s + "中") == reference(s + "中") == "zh-Hans"
    for t, s in zip(TRAD, SIMP):
        assert detect_lang(t + s + t) == "zh-Hant" and detect_lang(t + s + s) == "zh-Hans"


@pytest.mark.parametrize("text, lang", [
    ("Amazon expects to spend $200 billion on capex this year.", "en"),
    ("café, naïve and ＡＢＣ but no Chinese at all", "en"),
    ("SoftBank Group Corp announced that it will invest heavily in 人工智能", "en"),
    ("亞馬遜預計今年資本支出為 2000 億美元，軟銀也將投資。", "zh-Hant"),
    ("亚马逊预计今年资本开支为2000亿美元，软银也将投资。", "zh-Hans"),
    ("资資", "zh-Hans"),  # a tie goes to Simplified
    ("中文", "zh-Hans"),
])
def test_explicit_expectations(text, lang):
    assert detect_lang(text) == lang
