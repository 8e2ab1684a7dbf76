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


# ---- body extraction: character-bag F1 ---------------------------------------------------------------

from ingest.evaluate import BODY_GOLD, BODY_PAGES, REPO, CharTally, char_bag, evaluate_bodies  # noqa: E402


@pytest.mark.parametrize("text, bag", [
    ("ab a", {"a": 2, "b": 1}),
    ("三星\n\n电子", {"三": 1, "星": 1, "电": 1, "子": 1}),
    ("１２ＡＢ", {"1": 1, "2": 1, "A": 1, "B": 1}),  # NFKC: full-width is the same character
    ("", {}),
])
def test_char_bag(text, bag):
    assert char_bag(text) == bag


@pytest.mark.parametrize("pred, gold, prf", [
    ("abc", "abc", (1.0, 1.0, 1.0)),
    ("c b a", "abc", (1.0, 1.0, 1.0)),  # order and whitespace do not count
    ("abcd", "ab", (0.5, 1.0, 2 / 3)),  # boilerplate leaked in costs precision
    ("a", "abcd", (1.0, 0.25, 0.4)),  # lost text costs recall
    ("", "ab", (0.0, 0.0, 0.0)),
    ("xy", "ab", (0.0, 0.0, 0.0)),
])
def test_char_tally_prf(pred, gold, prf):
    t = CharTally()
    t.add(pred, gold)
    assert t.prf() == pytest.approx(prf)


def test_char_tally_is_micro_averaged():
    t = CharTally()
    t.add("abcd", "abcd")  # 4 of 4
    t.add("x", "y")  # 0 of 1
    assert t.prf() == pytest.approx((0.8, 0.8, 0.8))


def test_evaluate_bodies_per_language(tmp_path):
    pages, gold = tmp_path / "pages", tmp_path / "gold"
    pages.mkdir()
    gold.mkdir()
    (pages / "a.html").write_bytes(b"<p>Amazon plans $200bn.</p>")
    (gold / "a.txt").write_text("Amazon plans $200bn.", encoding="utf-8")
    (pages / "b.html").write_bytes("<p>三星电子投入110万亿韩元</p>".encode())
    (gold / "b.txt").write_text("三星电子投入110万亿韩元", encoding="utf-8")
    (gold / "orphan.txt").write_text("no page", encoding="utf-8")
    out = io.StringIO()
    table = evaluate_bodies(pages, gold, out=out, extractors={
        "echo": lambda html: html.decode(),  # keeps the markup: precision suffers
        "upper": lambda html: "AMAZON",
    })
    assert set(table) == {"en", "zh-Hans", "all"}
    p, r, f = table["zh-Hans"]["echo"].prf()
    assert r == 1.0 and p < 1.0
    assert table["en"]["upper"].prf()[0] == pytest.approx(1 / 6)  # case counts: only the "A" of AMAZON matches
    assert "skip orphan.txt" in out.getvalue()
    assert "echo" in out.getvalue() and "upper" in out.getvalue()


def test_every_sample_page_has_a_gold_body_and_the_parser_scores_well():
    pages = sorted(p.stem for p in (REPO / BODY_PAGES).glob("*.html"))
    golds = sorted(p.stem for p in (REPO / BODY_GOLD).glob("*.txt"))
    assert pages == golds
    assert all((REPO / BODY_GOLD / f"{g}.txt").read_text(encoding="utf-8").strip() for g in golds)
    from ingest.evaluate import _dealwire_body

    table = evaluate_bodies(out=io.StringIO(), extractors={"dealwire": _dealwire_body})
    assert table["all"]["dealwire"].prf()[2] >= 0.98


def test_main_prints_the_body_section_unless_told_not_to(tmp_path, capsys):
    from ingest.evaluate import main

    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert main([str(empty)]) == 0
    printed = capsys.readouterr().out
    assert "body extraction: character-bag F1" in printed
    assert "all      dealwire" in printed
    assert main([str(empty), "--no-bodies"]) == 0
    assert "body extraction" not in capsys.readouterr().out


# ---- the unseen hold-out (tests/gold/unseen.jsonl) ------------------------------------------------

import datetime as dt  # noqa: E402
import re  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

from ingest.evaluate import UNSEEN_GOLD, UNSEEN_TITLE, evaluate_unseen  # noqa: E402
from ingest.parse import parse_html  # noqa: E402


def _unseen_articles() -> list[dict]:
    lines = (REPO / UNSEEN_GOLD).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _squash(text: str) -> str:
    return " ".join(text.split())


_PERIOD = re.compile(r"(FY)?\d{4}(Q[1-4]|H[12])?|\d{4}-\d{4}")
_ENUMS = {
    "currency": {"USD", "CNY", "TWD", "KRW", "JPY", "EUR", "GBP", "HKD"},
    "qualifier": {"exact", "approx", "range", "at_least", "at_most"},
    "status": {"talks", "announced", "completed", "pledged", "cancelled"},
    "deal_type": {"equity", "funding_round", "acquisition", "fund", "joint_venture", "contract"},
    "capex_kind": {"guidance", "actual", "plan"},
}


def test_unseen_gold_parses_and_is_well_formed():
    arts = _unseen_articles()
    assert Counter(a["lang"] for a in arts) == {"en": 6, "zh-Hans": 6, "zh-Hant": 6}
    pages = (REPO / "tests/gold/unseen/articles").glob("*.html")
    on_disk = sorted(p.relative_to(REPO).as_posix() for p in pages)
    assert sorted(a["file"] for a in arts) == on_disk  # one gold line per page, no orphan page
    for a in arts:
        assert dt.date.fromisoformat(a["published"]).year == 2026
        assert a["facts"], a["file"]
        for f in a["facts"]:
            where = (a["file"], f["evidence"])
            assert f["kind"] in ("deal", "capex"), where
            assert all(f[k] in allowed for k, allowed in _ENUMS.items() if k in f), where
            assert f["amounts"] and all(isinstance(x, int) and x > 0 for x in f["amounts"]), where
            lo_hi = f["amounts"]
            assert f["qualifier"] != "range" or (len(lo_hi) == 2 and lo_hi[0] < lo_hi[1]), where
            assert isinstance(f["required"], bool) and isinstance(f["aggregate"], bool), where
            if f["kind"] == "deal":
                assert isinstance(f["investors"], list) and f["status"] and f["deal_type"], where
                assert (f["valuation"] is None) == (f["valuation_currency"] is None), where
            else:
                assert f["company"] and _PERIOD.fullmatch(f["period"]) and f["capex_kind"], where


@pytest.mark.parametrize("art", _unseen_articles(), ids=lambda a: Path(a["file"]).stem)
def test_unseen_evidence_occurs_in_the_parsed_page(art):
    """Every evidence string is a fragment of the body text the parser gives (whitespace squashed),
    so each label points at text the extractor actually sees."""
    body = _squash(parse_html((REPO / art["file"]).read_bytes()).body_text)
    missing = [f["evidence"] for f in art["facts"] if _squash(f["evidence"]) not in body]
    assert missing == []


def test_unseen_block_counts_every_required_fact_once():
    out = io.StringIO()
    table = evaluate_unseen(out=out)
    text = out.getvalue()
    assert text.startswith(f"\n---- {UNSEEN_TITLE}: {UNSEEN_GOLD} ----\n")
    assert "skip" not in text  # every page was found and scored
    required = Counter(f["kind"] for a in _unseen_articles() for f in a["facts"]
                       if f["required"] and not f["aggregate"])
    for kind in ("deal", "capex"):
        t = table["all"][kind]
        assert t.tp + t.fn == required[kind], kind


def test_default_run_reports_the_unseen_set_as_a_separate_block(capsys):
    from ingest.evaluate import main

    assert main(["--no-bodies"]) == 0
    from ingest.evaluate import UNSEEN2_TITLE

    dev, sep, unseen = capsys.readouterr().out.partition(f"---- {UNSEEN_TITLE}")
    assert sep, "no unseen block"
    unseen, sep2, unseen2 = unseen.partition(f"---- {UNSEEN2_TITLE}")
    assert sep2, "no block for the second unseen set"
    for block in (dev, unseen, unseen2):
        assert block.count("\nall      deal ") == 1
    assert "tests/gold/unseen/" not in dev and "tests/gold/unseen2/" not in dev  # never pooled
    assert "tests/gold/articles/" not in unseen + unseen2
    assert "tests/gold/unseen2/" not in unseen and "tests/gold/unseen/" not in unseen2
    assert main([str(REPO / "tests/gold/shared_corpus.jsonl"), "--no-bodies"]) == 0
    assert UNSEEN_TITLE not in capsys.readouterr().out  # explicit gold files: only those
