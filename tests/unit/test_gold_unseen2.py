"""The second unseen hold-out gold set (tests/gold/unseen2.jsonl + tests/gold/unseen2/articles/).

18 pages (6 en, 6 zh-Hans, 6 zh-Hant) written and labelled by hand without looking at the extractor.
These tests only check that the set is well formed: it parses, the fields hold values the scorer and
shared/EVAL.md know, and every evidence string is really on its page as dealwire's parser reads it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from ingest.parse import parse_html

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests/gold/unseen2.jsonl"
PAGES = REPO / "tests/gold/unseen2/articles"

LANGS = {"en": 6, "zh-Hans": 6, "zh-Hant": 6}
CURRENCIES = {"USD", "CNY", "EUR", "GBP", "HKD", "JPY", "KRW", "TWD"}
QUALIFIERS = {"exact", "approx", "at_least", "at_most", "range"}
STATUSES = {"announced", "completed", "pledged", "talks", "cancelled"}
DEAL_TYPES = {"equity", "funding_round", "contract", "acquisition", "joint_venture", "fund"}
CAPEX_KINDS = {"actual", "guidance", "plan"}
# 2026, FY2027, 2026Q3, 2026H1, FY2027Q1, 2026-2028
PERIOD = re.compile(r"^(?:FY)?\d{4}(?:Q[1-4]|H[12])?$|^\d{4}-\d{4}$")
COMMON = {"kind", "amounts", "currency", "qualifier", "required", "aggregate", "evidence"}
DEAL_KEYS = COMMON | {"investors", "target", "status", "deal_type", "valuation", "valuation_currency"}
CAPEX_KEYS = COMMON | {"company", "period", "capex_kind"}


def _articles() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


ARTICLES = _articles()


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_gold_file_has_six_pages_per_language():
    assert Counter(a["lang"] for a in ARTICLES) == LANGS
    files = [a["file"] for a in ARTICLES]
    assert len(set(files)) == len(files) == sum(LANGS.values())
    # every page on disk is labelled, and every labelled page is on disk
    assert {f"tests/gold/unseen2/articles/{p.name}" for p in PAGES.glob("*.html")} == set(files)


@pytest.mark.parametrize("art", ARTICLES, ids=[Path(a["file"]).stem for a in ARTICLES])
def test_article_fields(art):
    assert set(art) == {"file", "lang", "published", "facts"}
    assert Path(art["file"]).name.startswith(art["lang"] + "_")
    assert dt.date.fromisoformat(art["published"]).year == 2026
    assert any(f["required"] and not f["aggregate"] for f in art["facts"]), "nothing to score"
    for f in art["facts"]:
        keys = DEAL_KEYS if f["kind"] == "deal" else CAPEX_KEYS
        assert f["kind"] in {"deal", "capex"}
        assert keys <= set(f) <= keys | {"amount_usd"}, f
        amounts = f["amounts"]
        assert amounts and all(isinstance(a, int) and a > 0 for a in amounts), f
        if f["qualifier"] == "range":
            assert len(amounts) == 2 and amounts[0] < amounts[1], f
        else:
            assert len(amounts) == 1, f
        if "amount_usd" in f:
            assert f["currency"] != "USD" and all(isinstance(a, int) and a > 0 for a in f["amount_usd"]), f
        assert f["currency"] in CURRENCIES and f["qualifier"] in QUALIFIERS, f
        assert isinstance(f["required"], bool) and isinstance(f["aggregate"], bool), f
        assert isinstance(f["evidence"], str) and f["evidence"].strip(), f
        if f["kind"] == "deal":
            assert isinstance(f["investors"], list) and all(isinstance(i, str) and i for i in f["investors"])
            assert f["target"] is None or (isinstance(f["target"], str) and f["target"]), f
            assert f["status"] in STATUSES and f["deal_type"] in DEAL_TYPES, f
            if f["valuation"] is None:
                assert f["valuation_currency"] is None, f
            else:
                assert isinstance(f["valuation"], int) and f["valuation_currency"] in CURRENCIES, f
        else:
            assert isinstance(f["company"], str) and f["company"], f
            assert PERIOD.match(f["period"]), f
            assert f["capex_kind"] in CAPEX_KINDS, f


@pytest.mark.parametrize("art", ARTICLES, ids=[Path(a["file"]).stem for a in ARTICLES])
def test_evidence_is_on_the_page(art):
    page = parse_html((REPO / art["file"]).read_bytes())
    body = _squash(page.body_text)
    missing = [f["evidence"] for f in art["facts"] if _squash(f["evidence"]) not in body]
    assert not missing, missing
