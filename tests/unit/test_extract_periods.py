"""Periods: explicit, fiscal, quarters, halves, multi-year and relative to the publication date."""

import datetime as dt

import pytest

from ingest.extract.normalize import shadow
from ingest.extract.periods import find_periods, same_period


def periods(text, published=dt.date(2026, 5, 10)):
    s = shadow(text)
    return [p.value for p in find_periods(s, published, [(0, len(s))])]


@pytest.mark.parametrize("text, expected", [
    ("spending in 2026", ["2026"]),
    ("2026年资本开支", ["2026"]),
    ("2026 年資本支出", ["2026"]),
    ("in fiscal 2026", ["FY2026"]),
    ("FY2027 guidance", ["FY2027"]),
    ("2026财年资本开支", ["FY2026"]),
    ("Q3 2026 results", ["2026Q3"]),
    ("third quarter of 2025", ["2025Q3"]),
    ("2025年第四季度", ["2025Q4"]),
    ("2025 年第四季資本支出", ["2025Q4"]),
    ("2026年上半年", ["2026H1"]),
    ("between 2026 and 2028", ["2026-2028"]),
    ("2026年至2027年间", ["2026-2027"]),
    ("in 2025 and 2026", ["2025-2026"]),
    ("截至2025年9月30日的季度", ["2025Q3"]),
    ("the year to June 2027", ["FY2027"]),
])
def test_explicit(text, expected):
    assert periods(text) == expected


@pytest.mark.parametrize("text, published, expected", [
    ("今年资本开支", dt.date(2025, 10, 20), ["2025"]),
    ("去年的资本支出", dt.date(2026, 4, 17), ["2025"]),
    ("明年的資本開支", dt.date(2025, 12, 24), ["2026"]),
    ("spend more next year", dt.date(2025, 10, 31), ["2026"]),
    ("last year it spent", dt.date(2026, 2, 1), ["2025"]),
    ("capex last quarter", dt.date(2026, 7, 24), ["2026Q2"]),
    ("capex last quarter", dt.date(2026, 1, 10), ["2025Q4"]),
    ("第一季度资本开支", dt.date(2026, 4, 30), ["2026Q1"]),
    ("第四季資本支出", dt.date(2026, 2, 5), ["2025Q4"]),
    ("Third-quarter capex", dt.date(2025, 10, 31), ["2025Q3"]),
    ("上半年合计", dt.date(2026, 8, 14), ["2026H1"]),
    ("未来三年投入", dt.date(2026, 2, 13), ["2026-2028"]),
    ("over the next three years", dt.date(2026, 3, 10), ["2026-2028"]),
    ("截至 9 月底的季度", dt.date(2025, 10, 31), ["2025Q3"]),
    ("for the year", dt.date(2026, 2, 7), ["2026"]),
])
def test_relative(text, published, expected):
    assert periods(text, published) == expected


def test_bare_quarter_takes_the_year_of_its_sentence():
    assert periods("2025 年全年資本支出為 914 億美元,其中第四季為 279 億美元") == ["2025", "2025Q4"]


def test_same_period_last_year_follows_the_period_it_compares_to():
    assert periods("第一季資本支出為 443 億美元,去年同期為 250 億美元", dt.date(2026, 5, 1)) == ["2026Q1", "2025Q1"]


def test_relative_without_publication_date_is_unresolved():
    assert periods("今年", None) == [None]


@pytest.mark.parametrize("a, b, same", [
    ("FY2026", "2026", True), ("2026", "2026", True), ("2026Q1", "2026", False),
    ("2026H1", "2026", False), (None, "2026", False),
])
def test_same_period(a, b, same):
    assert same_period(a, b) is same


@pytest.mark.parametrize("text", ["a 5% rise", "GB300 chips", "1,2026 units", "2026.5 points"])
def test_not_periods(text):
    assert periods(text) == []
