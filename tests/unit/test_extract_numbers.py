"""Number parsing: Arabic, Chinese and mixed numerals, scale words."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.extract.money import find_money
from ingest.extract.normalize import shadow
from ingest.extract.numbers import parse_chinese, parse_number, scale_value


@pytest.mark.parametrize("text, expected", [
    ("1,300", 1300.0),
    ("1.5", 1.5),
    ("2,898", 2898.0),
    ("0.5", 0.5),
    ("1750", 1750.0),
    ("十", 10.0),
    ("十亿", 1e9),
    ("一千六百亿", 1.6e11),
    ("三千八百亿", 3.8e11),
    ("两千亿", 2e11),
    ("3.5万亿", 3.5e12),
    ("90.4万亿", 9.04e13),
    ("8000万", 8e7),
    ("1兆1340亿", 1.134e12),
    ("五百万", 5e6),
])
def test_parse_number(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "数十", "亿", "1,30"])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("unit, expected", [
    ("bn", 1e9), ("billion", 1e9), ("B", 1e9), ("m", 1e6), ("million", 1e6), ("k", 1e3),
    ("tn", 1e12), ("trillion", 1e12), ("亿", 1e8), ("万亿", 1e12), ("兆", 1e12), ("万", 1e4),
    ("千万", 1e7), (None, 1.0),
])
def test_scale_value(unit, expected):
    assert scale_value(unit) == expected


@pytest.mark.parametrize("text, expected", [
    ("十亿", 1e9), ("一百二十亿", 1.2e10), ("三万", 3e4), ("两千五百万", 2.5e7),
])
def test_parse_chinese(text, expected):
    assert parse_chinese(text) == pytest.approx(expected)


# --- property: an amount written in several styles parses back to itself ------------------------

_EN_STYLES = [
    lambda n: (f"${n / 1e9:g} billion", n),
    lambda n: (f"US${n / 1e9:g}bn", n),
    lambda n: (f"${n / 1e6:,.0f} million", n),
]


def _zh_yi(n: float) -> str:
    return f"{n / 1e8:g}亿美元"


def _zh_full_width(n: float) -> str:
    half = f"{n / 1e8:g}"
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in half) + "億美元"


@given(st.integers(min_value=1, max_value=99_999).map(lambda k: k * 1e8))
def test_property_amount_roundtrip(amount):
    texts = [f(amount)[0] for f in _EN_STYLES] + [_zh_yi(amount), _zh_full_width(amount),
                                                   f"{amount / 1e8:,g} 亿美元".replace(",", ",")]
    for t in texts:
        found = find_money(shadow("x " + t + " y"))
        assert len(found) == 1, t
        assert found[0].value == pytest.approx(amount, rel=1e-9), t
        assert found[0].currency == "USD", t


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["万亿韩元", "亿日元", "亿元人民币", "亿港元"]))
def test_property_zh_units(n, unit):
    found = find_money(shadow(f"投入{n:,}{unit}"))
    scale = 1e12 if unit.startswith("万亿") else 1e8
    assert len(found) == 1
    assert found[0].value == pytest.approx(n * scale)
