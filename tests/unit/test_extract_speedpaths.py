"""The extractor's fast paths give what the slow ones gave: pages without an amount stop early,
the later passes read only the stretch around the amounts, and the rewritten patterns match what
the patterns they replaced matched."""

from __future__ import annotations

import datetime as dt
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.extract import entities, money, pipeline, sentences
from ingest.extract.entities import load_aliases
from ingest.extract.normalize import _TABLE, shadow
from ingest.extract.periods import _COMPILED, ascii_lower
from ingest.extract.pipeline import run

PUB = dt.date(2026, 5, 1)
FILLER = "Analysts said demand for cloud services kept growing across the region this spring."


def _article(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


# ---- pages with no amount ------------------------------------------------------------------------

def test_no_amount_no_table_skips_the_later_passes(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("pass should have been skipped")

    monkeypatch.setattr(pipeline, "find_orgs", boom)
    monkeypatch.setattr(pipeline, "find_periods", boom)
    monkeypatch.setattr(pipeline, "split_sentences", boom)
    doc = run(_article("Nvidia and OpenAI met in 2026 to talk about capex.", FILLER), PUB, "en", fast=True)
    assert doc.facts == []
    assert doc.trace[-1].startswith("no amount and no table")


def test_a_table_without_amounts_is_still_read():
    text = _article("Capital expenditure, Q3 2026 (US$bn)",
                    "Company Q3 2026 Q3 2025",
                    "Amazon 52.1 34.2",
                    FILLER)
    doc = run(text, PUB, "en", fast=True)
    assert not doc.money
    assert [(f.company, f.period, f.amount_min) for f in doc.facts] == [
        ("Amazon", "2026Q3", 52.1e9), ("Amazon", "2025Q3", 34.2e9)]


# ---- the stretch around the amounts ---------------------------------------------------------------

def _same(text: str, lang: str = "en"):
    """The fast run against the run of every pass over the whole text."""
    fast, slow = run(text, PUB, lang, fast=True), run(text, PUB, lang)
    assert (slow.lo, slow.hi) == (0, len(text))
    assert fast.facts == slow.facts
    assert fast.drafts == slow.drafts   # roles, periods and sentence indexes too
    return fast


def test_the_stretch_starts_and_ends_at_blank_lines():
    text = _article(FILLER, FILLER, "Microsoft will invest $2 billion in Mistral AI.", FILLER, FILLER)
    doc = _same(text)
    assert 0 < doc.lo < doc.hi < len(text)
    assert text[doc.lo - 2:doc.lo] == "\n\n" and text[doc.hi - 2:doc.hi] == "\n\n"
    assert [f.target for f in doc.facts] == ["Mistral AI"]


def test_a_company_named_just_across_a_blank_line_merges_as_before():
    # the same company at the end of one paragraph and the start of the next is one mention
    text = _article(FILLER, "Shares rose at Nvidia", "Nvidia will invest $2 billion in Mistral AI.", FILLER)
    _same(text)
    text = _article(FILLER, "Nvidia will invest $2 billion in Mistral AI. It praised Nvidia", "Nvidia", FILLER)
    _same(text)


def test_the_main_company_is_counted_over_the_whole_article():
    # "The company" has no antecedent in its paragraph: the article's main company (named
    # outside the stretch) is the referent
    text = _article("Meta opened a lab. Meta hired staff. Meta grew.", FILLER,
                    "The company expects capital expenditures of $70 billion in 2026.", FILLER, "Meta said so.")
    doc = _same(text)
    assert [(f.company, f.period) for f in doc.facts] == [("Meta", "2026")]


def test_relative_periods_resolve_against_periods_before_the_stretch():
    text = _article("Alphabet reported results for 2026Q1 last week.", FILLER,
                    "Alphabet said capital expenditures were $12 billion in the quarter.", FILLER)
    _same(text)


def test_bench_pages_give_the_same_facts_fast_and_whole():
    from bench.corpus import make_article
    from ingest.parse import parse_html

    seen = 0
    for i in range(40):
        page = parse_html(make_article(11, i).html)
        args = (page.body_text, page.published_at.date() if page.published_at else None, page.lang)
        fast, slow = run(*args, fast=True), run(*args)
        assert fast.facts == slow.facts and fast.drafts == slow.drafts
        seen += bool(fast.facts) and 0 < fast.lo and fast.hi < len(fast.text)
    assert seen >= 5


def test_split_sentences_with_a_stop_gives_the_first_sentences():
    text = _article("One. Two Inc. three.", "Four! Five?", "六。七。", "Eight.")
    whole = sentences.split_sentences(text)
    for stop in (m.start() + 1 for m in re.finditer("\n", text)):
        if text[stop:stop + 1] != "\n":
            assert sentences.split_sentences(text, stop) == [s for s in whole if s[0] < stop]


# ---- rewritten patterns ----------------------------------------------------------------------------

_ARABIC_BEFORE = re.compile(r"(?<![A-Za-z\d.,/_])(?<![A-Za-z]-)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d%])")
_END_BEFORE = re.compile(
    r"[。！？!?]+[”」\"']?|\.(?=[”\"']?\s+[\"“'A-Z0-9\u3400-\u9fff$€£])[”\"']?|\.[”\"']?(?=\s*$)|\n+")
_EN_NAME_BEFORE = re.compile(
    r"(?<![A-Za-z0-9&.'-])((?:\d{2,4}\s)?(?:[A-Z][A-Za-z0-9&'.-]*|[A-Z]\.)(?:\s(?:[A-Z][A-Za-z0-9&'.-]*|[A-Z]\.|&|of|de|du|la))*)")


def _spans(rx: re.Pattern[str], s: str) -> list:
    return [(m.span(), m.groups()) for m in rx.finditer(s)]


@settings(max_examples=400)
@given(st.text(alphabet="1234,.-/_%aZ $ \n", max_size=24))
def test_arabic_numbers_as_before(s):
    assert _spans(money._ARABIC_RE, s) == _spans(_ARABIC_BEFORE, s)


@settings(max_examples=400)
@given(st.text(alphabet="。！？!?.\n ”」\"'A1中$a", max_size=16))
def test_sentence_ends_as_before(s):
    assert _spans(sentences._END, s) == _spans(_END_BEFORE, s)


@settings(max_examples=400)
@given(st.lists(st.sampled_from(["A", "Bc", "12", "2026", " ", "\n", ".", "&", "of", "-", "'", "x", "٣"]),
                max_size=12).map("".join))
def test_capitalised_names_as_before(s):
    assert _spans(entities._EN_NAME, s) == _spans(_EN_NAME_BEFORE, s)


@settings(max_examples=300)
@given(st.text(alphabet="Aa1 -.\nN谷OpenAI微软", max_size=16))
def test_alias_starts_as_before(s):
    table = load_aliases()
    first = {a[0] for a in table.alias_to_company}
    word = "".join(re.escape(c) for c in first if re.match(r"[A-Za-z0-9]", c))
    other = "".join(re.escape(c) for c in first if not re.match(r"[A-Za-z0-9]", c))
    before = re.compile(rf"(?<![A-Za-z0-9])[{word}]|[{other}]")
    assert _spans(table.starts, s) == _spans(before, s)


@given(st.text(max_size=30))
def test_shadow_and_lowering_as_before(s):
    assert shadow(s) == s.translate(_TABLE)
    assert ascii_lower(s) == s.translate(str.maketrans(string.ascii_uppercase, string.ascii_lowercase))


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["capex", "Capital ", "EXPENDITURE", "expenditure", "spending", "资本",
                                 "支出", "开支", "İ", "ı", "ſ", " ", "x"]), max_size=8).map("".join))
def test_doc_capex_as_before(s):
    assert pipeline._doc_capex(s) == bool(re.search(pipeline._DOC_CAPEX.pattern, s, re.I))


_PERIOD_TOKENS = ["2026", "2025", " ", "\n", "year", "years", "Year", "q", "Q3", "quarter", "half", "first",
                  "the", "next", "two", "in", "over", "fiscal", "ended", "to", "June", "年", "季", "半年",
                  "同期", "去", "今", "上", "财年", "财政年度", "截至", "第", "三", "度", "a", "ago", "same",
                  "last", "current", "this", "previous", "three months", "(", "本"]


@pytest.mark.parametrize("kind, rx, caseless, words", [c for c in _COMPILED if c[3]])
def test_period_pattern_gates_hold(kind, rx, caseless, words):
    """A gated pattern is skipped on texts without its words: each of its matches holds one."""
    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(_PERIOD_TOKENS), max_size=10).map("".join))
    def check(s):
        target = ascii_lower(s) if caseless else s
        for m in rx.finditer(target):
            assert any(w in m.group() for w in words), (kind, m.group())

    check()
