"""Money spans: number + scale + currency + qualifier, ranges and bracketed conversions."""

import pytest

from ingest.extract.money import find_money
from ingest.extract.normalize import shadow


def one(text):
    found = find_money(shadow(text))
    assert len(found) == 1, [text[m.start:m.end] for m in found]
    m = found[0]
    return m.amount_min, m.amount_max, m.currency, m.qualifier


@pytest.mark.parametrize("text, expected", [
    # English
    ("it will spend $4 billion on chips", (4e9, 4e9, "USD", "exact")),
    ("a US$10bn stake", (1e10, 1e10, "USD", "exact")),
    ("about $215bn this year", (2.15e11, 2.15e11, "USD", "approx")),
    ("roughly $12 billion", (1.2e10, 1.2e10, "USD", "approx")),
    ("more than $140 billion", (1.4e11, None, "USD", "at_least")),
    ("at least £5bn in Britain", (5e9, None, "GBP", "at_least")),
    ("up to $6.3bn of capacity", (None, 6.3e9, "USD", "at_most")),
    ("as much as $2bn", (None, 2e9, "USD", "at_most")),
    ("between $12 billion and $14 billion", (1.2e10, 1.4e10, "USD", "range")),
    ("$115 billion to $135 billion", (1.15e11, 1.35e11, "USD", "range")),
    ("a $175bn-$185bn range", (1.75e11, 1.85e11, "USD", "range")),
    ("a fund of €750m", (7.5e8, 7.5e8, "EUR", "exact")),
    ("an early $750k cheque", (7.5e5, 7.5e5, "USD", "exact")),
    ("52.7 trillion won", (5.27e13, 5.27e13, "KRW", "exact")),
    ("HK$30 billion", (3e10, 3e10, "HKD", "exact")),
    ("$0.5tn of investment", (5e11, 5e11, "USD", "exact")),
    ("~$3bn", (3e9, 3e9, "USD", "approx")),
    ("a $10-12 billion round", (1e10, 1.2e10, "USD", "range")),
    ("€2-3bn", (2e9, 3e9, "EUR", "range")),
    ("$10 to $12 billion", (1e10, 1.2e10, "USD", "range")),
    ("1.5 billion yuan", (1.5e9, 1.5e9, "CNY", "exact")),
    ("RMB 5 billion", (5e9, 5e9, "CNY", "exact")),
    # Simplified Chinese
    ("投入超过110万亿韩元用于扩产", (1.1e14, None, "KRW", "at_least")),
    ("资本开支约为315亿元人民币", (3.15e10, 3.15e10, "CNY", "approx")),
    ("预计在520亿至560亿美元之间", (5.2e10, 5.6e10, "USD", "range")),
    ("上调至1250亿到1450亿美元", (1.25e11, 1.45e11, "USD", "range")),
    ("近290亿美元", (2.9e10, 2.9e10, "USD", "approx")),
    ("计划为一千六百亿元人民币", (1.6e11, 1.6e11, "CNY", "exact")),
    ("最多50亿美元的投资", (None, 5e9, "USD", "at_most")),
    ("跟投8000万美元", (8e7, 8e7, "USD", "exact")),
    ("总额约1,000亿日元", (1e11, 1e11, "JPY", "approx")),
    ("100多亿美元", (1e10, None, "USD", "at_least")),
    ("突破 1 万亿美元", (1e12, None, "USD", "at_least")),
    ("３００亿美元", (3e10, 3e10, "USD", "exact")),
    # Traditional Chinese
    ("介於 1750 億美元至 1850 億美元", (1.75e11, 1.85e11, "USD", "range")),
    ("新台幣 3,360 億元", (3.36e11, 3.36e11, "TWD", "exact")),
    ("約 NT$1,300 億元", (1.3e11, 1.3e11, "TWD", "approx")),
    ("投資新台幣 1.5 兆元", (1.5e12, 1.5e12, "TWD", "exact")),
    ("逾 20 億美元", (2e9, None, "USD", "at_least")),
    ("最多約 41.9 億港元", (None, 4.19e9, "HKD", "at_most")),
    ("7,500 萬美元融資", (7.5e7, 7.5e7, "USD", "exact")),
    ("約 1 兆日圓", (1e12, 1e12, "JPY", "approx")),
    ("28萬億韓元", (2.8e13, 2.8e13, "KRW", "exact")),
])
def test_money(text, expected):
    got = one(text)
    assert got[2:] == expected[2:]
    for g, e in zip(got[:2], expected[:2]):
        assert (g is None and e is None) or g == pytest.approx(e)


def test_from_to_is_a_change_not_a_range():
    found = find_money(shadow("raised its forecast to $7bn from $5bn"))
    assert [(m.amount_min, m.qualifier) for m in found] == [(7e9, "exact"), (5e9, "exact")]


@pytest.mark.parametrize("text", [
    "shares rose 4% on Monday",
    "each share at $87.20",
    "每股收益为4.36元",
    "發行約 2,540 萬股 at HK$151",
    "in 2025 and 2026",
    "185-195",
])
def test_not_money(text):
    found = [m for m in find_money(shadow(text)) if m.explicit_currency or m.yuan_only]
    assert found == []


@pytest.mark.parametrize("text, amount, usd", [
    ("投入超过110万亿韩元(约733亿美元)", 1.1e14, 7.33e10),
    ("資本支出約為新台幣 3,590 億元(約 115 億美元)", 3.59e11, 1.15e10),
    ("spend 52.7 trillion won (about $36bn)", 5.27e13, 3.6e10),
])
def test_bracketed_conversion_is_one_amount(text, amount, usd):
    found = find_money(shadow(text))
    assert len(found) == 1
    assert found[0].value == pytest.approx(amount)
    assert found[0].usd_min == pytest.approx(usd) or found[0].usd_max == pytest.approx(usd)


def test_usd_amount_carries_usd_fields():
    m = find_money(shadow("$5 billion"))[0]
    assert (m.usd_min, m.usd_max) == (5e9, 5e9)


def test_non_usd_amount_has_no_usd_fields():
    m = find_money(shadow("€1.7bn"))[0]
    assert (m.usd_min, m.usd_max) == (None, None)


def test_bare_yuan_is_left_for_context():
    m = find_money(shadow("较去年的 1,050 億元增加"))[0]
    assert m.currency is None and m.yuan_only
