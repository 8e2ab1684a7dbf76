"""The scorer itself, on small synthetic cases (rules of shared/EVAL.md)."""

import io
import json

import pytest

from ingest.evaluate import evaluate, matches, score_article
from ingest.records import CapexMention, DealMention, Evidence

EV = Evidence("s", 0, 1)


def deal(investor, target, lo, hi, cur="USD", aggregate=False):
    return DealMention(investor, investor, target, target, lo, hi, cur, "exact", None, None, None,
                       None, "announced", "equity", aggregate, EV)


def capex(company, period, lo, hi, cur="USD", aggregate=False):
    return CapexMention(company, company, period, "guidance", lo, hi, cur, "exact", None, None,
                        aggregate, EV)


def gdeal(investors, target, amounts, cur="USD", required=True, aggregate=False):
    return {"kind": "deal", "investors": investors, "target": target, "amounts": amounts,
            "currency": cur, "required": required, "aggregate": aggregate}


def gcapex(company, period, amounts, cur="USD", required=True, aggregate=False):
    return {"kind": "capex", "company": company, "period": period, "amounts": amounts,
            "currency": cur, "required": required, "aggregate": aggregate}


@pytest.mark.parametrize("pred, gold, ok", [
    (deal("Amazon", "Anthropic", 5e9, 5e9), gdeal(["Amazon"], "Anthropic", [5e9]), True),
    (deal("亚马逊", "Anthropic", 5e9, 5e9), gdeal(["Amazon"], "Anthropic", [5e9]), True),
    (deal("AWS", "Anthropic", 5.09e9, 5.09e9), gdeal(["Amazon"], "Anthropic", [5e9]), True),
    (deal("Amazon", "Anthropic", 5.2e9, 5.2e9), gdeal(["Amazon"], "Anthropic", [5e9]), False),
    (deal("Amazon", "Anthropic", 5e9, 5e9, "EUR"), gdeal(["Amazon"], "Anthropic", [5e9]), False),
    (deal("Google", "Anthropic", 5e9, 5e9), gdeal(["Amazon"], "Anthropic", [5e9]), False),
    (deal("Google", "Anthropic", 5e9, 5e9), gdeal(["Amazon", "Alphabet"], "Anthropic", [5e9]), True),
    (deal(None, "Anthropic", 5e9, 5e9), gdeal([], "Anthropic", [5e9]), True),
    (deal(None, "Anthropic", 5e9, 5e9), gdeal(["Amazon"], "Anthropic", [5e9]), False),
    (deal("Amazon", "OpenAI", 5e9, 5e9), gdeal(["Amazon"], "Anthropic", [5e9]), False),
    (deal("NVIDIA", "Poolside", 5e8, 1e9), gdeal(["NVIDIA"], "Poolside", [5e8, 1e9]), True),
    (deal("NVIDIA", "Poolside", None, 1e9), gdeal(["NVIDIA"], "Poolside", [5e8, 1e9]), True),
    (capex("Microsoft", "FY2026", 1.4e11, None), gcapex("Microsoft", "2026", [1.4e11]), True),
    (capex("微軟", "2026", 1.4e11, None), gcapex("Microsoft", "FY2026", [1.4e11]), True),
    (capex("Meta", "2026Q1", 2.9e10, 2.9e10), gcapex("Meta", "2026", [2.9e10]), False),
    (capex("Meta", "2026", 2.9e10, 2.9e10), gcapex("Meta", "2025", [2.9e10]), False),
    (capex("Meta", "2026", 2.9e10, 2.9e10), gdeal([], "Meta", [2.9e10]), False),
])
def test_matches(pred, gold, ok):
    assert matches(pred, gold) is ok


def test_counts_true_and_false_positives_and_misses():
    golds = [gdeal(["Amazon"], "Anthropic", [5e9]), gcapex("Amazon", "2026", [2e11]),
             gcapex("Amazon", "2025", [1.31e11])]
    preds = [deal("Amazon", "Anthropic", 5e9, 5e9), capex("Amazon", "2026", 2e11, 2e11),
             capex("Amazon", "2027", 9e9, 9e9)]
    r = score_article(preds, golds)
    assert (r.tallies["deal"].tp, r.tallies["deal"].fp, r.tallies["deal"].fn) == (1, 0, 0)
    assert (r.tallies["capex"].tp, r.tallies["capex"].fp, r.tallies["capex"].fn) == (1, 1, 1)


def test_second_prediction_of_a_matched_fact_is_a_false_positive():
    golds = [gcapex("Amazon", "2026", [2e11])]
    r = score_article([capex("Amazon", "2026", 2e11, 2e11)] * 2, golds)
    assert (r.tallies["capex"].tp, r.tallies["capex"].fp) == (1, 1)


def test_optional_and_aggregate_gold_neither_help_nor_hurt():
    golds = [gdeal(["Amazon"], "Anthropic", [8e9], required=False),
             gcapex("Big Four", "2026", [6.5e11], aggregate=True)]
    r = score_article([deal("Amazon", "Anthropic", 8e9, 8e9), capex("Big Four", "2026", 6.5e11, 6.5e11)], golds)
    t = r.tallies
    assert (t["deal"].tp, t["deal"].fp, t["deal"].fn, t["capex"].tp, t["capex"].fp, t["capex"].fn) == (0, 0, 0, 0, 0, 0)


def test_missed_optional_is_not_a_miss_and_aggregate_prediction_is_not_scored():
    golds = [gdeal(["Amazon"], "Anthropic", [8e9], required=False)]
    r = score_article([capex(None, "2026", 6.5e11, 6.5e11, aggregate=True)], golds)
    assert r.misses == [] and r.false_positives == []


def test_required_fact_preferred_over_optional_when_both_match():
    golds = [gdeal(["Amazon"], "Anthropic", [5e9], required=False), gdeal(["Amazon"], "Anthropic", [5e9])]
    r = score_article([deal("Amazon", "Anthropic", 5e9, 5e9)], golds)
    assert r.tallies["deal"].tp == 1 and r.misses == []


def test_evaluate_reads_gold_files_and_skips_missing_articles(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text("Amazon will invest $5 billion in Anthropic.", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join([
        json.dumps({"file": str(art), "lang": "en", "published": "2026-02-06",
                    "facts": [gdeal(["Amazon"], "Anthropic", [5e9])]}),
        json.dumps({"file": str(tmp_path / "missing.txt"), "lang": "en", "published": "2026-02-06",
                    "facts": [gdeal(["Amazon"], "Anthropic", [5e9])]}),
    ]), encoding="utf-8")
    out = io.StringIO()
    table = evaluate([str(gold), str(tmp_path / "nope.jsonl")], out=out)
    assert table["all"]["deal"].tp == 1 and table["all"]["deal"].fn == 0
    text = out.getvalue()
    assert "skip" in text and "missing.txt" in text and "nope.jsonl" in text
    assert "prec" in text


def test_sample_corpus_is_extracted_right():
    """The bundled sample corpus is the pipeline's end-to-end fixture: every required fact, no
    false positive."""
    table = evaluate(["tests/gold/sample_corpus.jsonl"], out=io.StringIO())
    for kind in ("deal", "capex"):
        t = table["all"][kind]
        assert t.tp > 0 and t.fp == 0 and t.fn == 0, (kind, t)
