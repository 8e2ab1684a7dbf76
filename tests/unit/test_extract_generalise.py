"""Generic rules added for unseen articles: organisation shapes, non-organisation guards,
anaphora, fiscal-year and quarter resolution, conditional estimates. Example sentences are
written for these tests."""

import datetime as dt

import pytest

from ingest.extract import extract_facts
from ingest.extract.coref import Coref, starts_with_anaphor
from ingest.extract.entities import Org, TakenSpans
from ingest.extract.normalize import shadow
from ingest.extract.orgshape import find_zh_orgs, not_an_org
from ingest.extract.periods import find_periods
from ingest.extract.pipeline import run

PUB = dt.date(2026, 8, 20)


# --- organisation-shaped Chinese names -------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("国产存储厂商青松存储今日宣布扩产。", ["青松存储"]),
    ("据悉,远帆科技完成了新一轮融资。", ["远帆科技"]),
    ("本轮由明湖创投领投,多家机构跟投。", ["明湖创投"]),
    ("领投方华岳成长基金出资约1亿元。", ["华岳成长基金"]),
    ("一家机器人公司灵犀本月完成融资。", ["灵犀"]),
    ("另外,雲岫電信今日公布財報。", ["雲岫電信"]),
    # common nouns ending in a suffix word are not names
    ("今年资本开支为100亿元。", []),
    ("其中半导体部门占大部分。", []),
    ("中国人工智能产业发展迅速。", []),
    ("2026年全年资本支出增长。", []),
])
def test_zh_org_shapes(text, expected):
    norm = shadow(text)
    found = find_zh_orgs(text, norm, TakenSpans())
    assert [o.raw for o in found] == expected


# --- spans that are not organisations --------------------------------------------------------

def _unknown(norm, raw):
    s = norm.index(raw)
    return Org(s, s + len(raw), raw, raw, False)


@pytest.mark.parametrize("text, raw, why", [
    ("a campus near Tilburg in Rotterdam", "Rotterdam", "place"),
    ("a new site in Greenfield, Ohio, opens next year", "Greenfield", "place"),
    ("plans to invest in South Korea", "South Korea", "place"),
    ("orders for Vireo processors and boards", "Vireo", "product"),
    ("according to Finwatch, funding fell", "Finwatch", "data source"),
    ("据ZD研究统计,融资额下降", "ZD", "data source"),
    ("Halcyon Labs raised $10m", "Halcyon Labs", None),
])
def test_not_an_org(text, raw, why):
    norm = shadow(text)
    assert not_an_org(norm, _unknown(norm, raw)) == why


def test_known_company_is_never_dropped():
    norm = "buy Texas chips"
    o = Org(4, 9, "Texas", "Texas Instruments", True)
    assert not_an_org(norm, o) is None


# --- anaphora ---------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("The company expects more.", True),
    ("It raised money.", True),
    ("The search giant said so.", True),
    ("On Monday the group said so.", True),
    ("公司当季投资增加。", True),
    ("首席财务官表示,投资增加。", True),
    ("Oracle said so.", False),
    ("资本开支增加。", False),
])
def test_starts_with_anaphor(sentence, expected):
    assert starts_with_anaphor(sentence, (0, len(sentence))) is expected


def _coref(text):
    doc = run(text, PUB)
    return doc, Coref(doc.norm, doc.sentences, doc.paragraphs, doc.orgs)


def test_antecedent_is_the_previous_subject_in_the_paragraph():
    doc, c = _coref("Oracle reported results on Monday. The company expects to spend more.")
    assert c.antecedent(1).name == "Oracle"


def test_antecedent_of_a_subject_pair_is_none():
    doc, c = _coref("Oracle and Alphabet reported results on Monday. The company expects to spend more.\n"
                    "Nothing else.")
    assert c.antecedent(1) is None


def test_antecedent_across_paragraphs_needs_an_unambiguous_main_company():
    one = "Oracle said results were strong. Oracle also hired staff.\nIt expects to spend more."
    doc, c = _coref(one)
    assert c.antecedent(2).name == "Oracle"
    two = "Oracle said results were strong. Alphabet also hired staff.\nIt expects to spend more."
    doc, c = _coref(two)
    assert c.antecedent(2) is None


@pytest.mark.parametrize("text, company, period, amount", [
    ("Oracle reported results on Monday. The company now expects capital expenditures of about "
     "$40bn in the fiscal year ending May 2027.", "Oracle", "FY2027", 40e9),
    ("三星电子周三公布第二季度业绩。公司当季设施投资为9.5万亿韩元。", "Samsung Electronics", "2026Q2", 9.5e12),
])
def test_capex_subject_from_the_previous_sentence(text, company, period, amount):
    facts = [f for f in extract_facts(text, PUB) if f.kind == "capex"]
    assert [(f.company, f.period, f.amount_min) for f in facts] == [(company, period, amount)]


def test_raise_subject_from_the_previous_sentence():
    text = "Anthropic hired a new finance chief this week. It raised $2bn in a round led by Amazon."
    facts = [f for f in extract_facts(text, PUB) if f.kind == "deal"]
    assert [(f.target, f.amount_min) for f in facts] == [("Anthropic", 2e9)]


# --- periods ------------------------------------------------------------------------------------

def periods(text, published=PUB):
    s = shadow(text)
    return [p.value for p in find_periods(s, published, [(0, len(s))])]


@pytest.mark.parametrize("text, expected", [
    ("本财年(截至2027年6月30日)的投资", ["FY2027"]),
    ("本財年(截至 2028 年 3 月 31 日)", ["FY2028"]),
    ("in the fiscal year ending September 2027", ["FY2027"]),
    ("the fiscal year ending March 31, 2027", ["FY2027"]),
    ("2026财年投资高于上一财年", ["FY2026", "FY2025"]),
    ("fiscal 2027 spending, above the previous fiscal year", ["FY2027", "FY2026"]),
    ("截至2026年6月30日的第四财季", ["2026Q2"]),
    ("2026年第一季度业绩,该季度投资增加", ["2026Q1", "2026Q1"]),
    ("最新一个财季的投资", ["2026Q2"]),
    # a fiscal quarter with no calendar anchor stays unresolved
    ("the second quarter of its fiscal year", [None]),
])
def test_fiscal_and_quarter_periods(text, expected):
    assert periods(text) == expected


# --- conditional estimates and counted months ---------------------------------------------------

@pytest.mark.parametrize("text", [
    "Analysts said Oracle's capex could reach $70bn in 2027 if demand holds.",
    "A takeover of Oracle would cost more than $300bn at current prices.",
])
def test_conditional_estimates_are_not_facts(text):
    assert extract_facts(text, PUB) == []


def test_three_months_is_not_a_group_of_companies():
    text = "Oracle said capital expenditures in the three months to June came to $9bn."
    facts = extract_facts(text, PUB)
    assert [(f.company, f.period, f.aggregate) for f in facts] == [("Oracle", "2026Q2", False)]
