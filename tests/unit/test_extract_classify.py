"""End to end, sentence -> facts: deal vs capex vs nothing, roles, status, periods, dedupe.

The sentences are written for these tests (figures may echo real events)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.extract import EXTRACTOR_VERSION, detect_lang, extract_facts
from ingest.records import CapexMention, DealMention

PUB = dt.date(2026, 3, 15)


def deals(text, pub=PUB):
    return [(f.investor, f.target, f.amount_min, f.amount_max, f.currency)
            for f in extract_facts(text, pub) if isinstance(f, DealMention) and not f.aggregate]


def capex(text, pub=PUB):
    return [(f.company, f.period, f.amount_min, f.amount_max, f.currency)
            for f in extract_facts(text, pub) if isinstance(f, CapexMention) and not f.aggregate]


@pytest.mark.parametrize("text, expected", [
    # English
    ("Microsoft said it will invest $3 billion in Mistral AI.",
     [("Microsoft", "Mistral AI", 3e9, 3e9, "USD")]),
    ("Anthropic has raised $13bn in a Series F round led by Fidelity.",
     [("Fidelity", "Anthropic", 1.3e10, 1.3e10, "USD")]),
    ("Acme Robotics said it had raised $400m from investors.",
     [(None, "Acme Robotics", 4e8, 4e8, "USD")]),
    ("SoftBank agreed to acquire Ampere Computing for $6.5bn.",
     [("SoftBank", "Ampere Computing", 6.5e9, 6.5e9, "USD")]),
    ("Meta will buy $14bn of cloud capacity from CoreWeave over six years.",
     [("Meta", "CoreWeave", 1.4e10, 1.4e10, "USD")]),
    ("Microsoft has signed a $9bn contract with Nebius.",
     [("Microsoft", "Nebius", 9e9, 9e9, "USD")]),
    ("Oracle has signed a $30bn contract with OpenAI.",
     [("OpenAI", "Oracle", 3e10, 3e10, "USD")]),
    ("Amazon will invest up to $4bn in Anthropic and Alphabet up to $2bn.",
     [("Amazon", "Anthropic", None, 4e9, "USD"), ("Alphabet", "Anthropic", None, 2e9, "USD")]),
    ("Crusoe closed a $1.4bn round; MGX and Mubadala put in $500m and $300m respectively.",
     [(None, "Crusoe", 1.4e9, 1.4e9, "USD"), ("MGX", "Crusoe", 5e8, 5e8, "USD"),
      ("Mubadala", "Crusoe", 3e8, 3e8, "USD")]),
    ("Salesforce agreed to buy Informatica for about $8 billion in cash.",
     [("Salesforce", "Informatica", 8e9, 8e9, "USD")]),
    ("SoftBank leads a $40 billion funding round in OpenAI.",
     [("SoftBank", "OpenAI", 4e10, 4e10, "USD")]),
    ("据报道,OpenAI正在洽谈新一轮融资,软银拟投资300亿美元。",
     [("SoftBank", "OpenAI", 3e10, 3e10, "USD")]),
    # Simplified Chinese
    ("腾讯向月之暗面投资5亿美元。", [("Tencent", "Moonshot AI", 5e8, 5e8, "USD")]),
    ("智谱宣布完成30亿元人民币融资,由阿里巴巴领投。",
     [("Alibaba", "Zhipu AI", 3e9, 3e9, "CNY")]),
    ("字节跳动以20亿元人民币收购摩尔线程。",
     [("ByteDance", "Moore Threads", 2e9, 2e9, "CNY")]),
    ("微软和英伟达分别向Anthropic投资最多50亿美元和100亿美元。",
     [("Microsoft", "Anthropic", None, 5e9, "USD"), ("NVIDIA", "Anthropic", None, 1e10, "USD")]),
    ("OpenAI与甲骨文签署价值约3000亿美元的云服务合同。",
     [("OpenAI", "Oracle", 3e11, 3e11, "USD")]),
    # Traditional Chinese
    ("軟銀宣布以 65 億美元收購 Ampere Computing。",
     [("SoftBank", "Ampere Computing", 6.5e9, 6.5e9, "USD")]),
    ("輝達將向 OpenAI 投資最高 1000 億美元。", [("NVIDIA", "OpenAI", None, 1e11, "USD")]),
    ("Meta 斥資 143 億美元入股 Scale AI。", [("Meta", "Scale AI", 1.43e10, 1.43e10, "USD")]),
])
def test_deals(text, expected):
    got = deals(text)
    assert len(got) == len(expected), got
    for g, e in zip(got, expected):
        assert g[:2] == e[:2] and g[4] == e[4]
        for a, b in zip(g[2:4], e[2:4]):
            assert (a is None and b is None) or a == pytest.approx(b)


@pytest.mark.parametrize("text, pub, expected", [
    ("Amazon expects capital expenditure of about $200 billion in 2026.", PUB,
     [("Amazon", "2026", 2e11, 2e11, "USD")]),
    ("Microsoft said capital spending in fiscal 2026 would exceed $140 billion.", PUB,
     [("Microsoft", "FY2026", 1.4e11, None, "USD")]),
    ("Intel expects capex of between $12bn and $14bn this year, below the $14.7bn it spent in 2025.",
     PUB, [("Intel", "2026", 1.2e10, 1.4e10, "USD"), ("Intel", "2025", 1.47e10, 1.47e10, "USD")]),
    ("Capital expenditures at Meta last quarter came to $19bn.", dt.date(2025, 11, 1),
     [("Meta", "2025Q3", 1.9e10, 1.9e10, "USD")]),
    ("SK海力士预计2026年资本开支约为34万亿韩元。", PUB, [("SK Hynix", "2026", 3.4e13, 3.4e13, "KRW")]),
    ("腾讯第二季度资本开支为191亿元。", dt.date(2026, 8, 14), [("Tencent", "2026Q2", 1.91e10, 1.91e10, "CNY")]),
    ("台積電預估今年資本支出介於 520 億到 560 億美元之間。", PUB,
     [("TSMC", "2026", 5.2e10, 5.6e10, "USD")]),
    ("鴻海 2026 年資本支出規模約 NT$1,300 億元。", PUB, [("Foxconn", "2026", 1.3e11, 1.3e11, "TWD")]),
    ("三星电子表示2026年将在半导体业务上投入超过110万亿韩元(约733亿美元)。", PUB,
     [("Samsung Electronics", "2026", 1.1e14, None, "KRW")]),
    ("Alphabet pledged to invest £5bn in the UK over the next two years.", PUB,
     [("Alphabet", "2026-2027", 5e9, 5e9, "GBP")]),
    ("微软宣布将在未来四年内向阿联酋投资152亿美元。", PUB, [("Microsoft", "2026-2029", 1.52e10, 1.52e10, "USD")]),
    ("中芯国际2025年资本开支预计与去年持平,约为75亿美元。", PUB, [("SMIC", "2025", 7.5e9, 7.5e9, "USD")]),
    ("Microsoft plans to spend $80 billion on data centers in fiscal 2025.", PUB,
     [("Microsoft", "FY2025", 8e10, 8e10, "USD")]),
    # A replaced guidance figure in the same sentence is not a second current figure.
    ("Meta将2026年资本支出指引上调至1250亿到1450亿美元,此前的指引为1150亿至1350亿美元。", PUB,
     [("Meta", "2026", 1.25e11, 1.45e11, "USD")]),
    ("Meta將今年資本支出預估上調至 1250 億至 1450 億美元,先前預估為 1150 億至 1350 億美元。", PUB,
     [("Meta", "2026", 1.25e11, 1.45e11, "USD")]),
    ("Alphabet raised its 2026 capex guidance to $185 billion; its previous guidance was $175 billion.", PUB,
     [("Alphabet", "2026", 1.85e11, 1.85e11, "USD")]),
])
def test_capex(text, pub, expected):
    got = capex(text, pub)
    assert len(got) == len(expected), got
    for g, e in zip(got, expected):
        assert g[:2] == e[:2] and g[4] == e[4]
        for a, b in zip(g[2:4], e[2:4]):
            assert (a is None and b is None) or a == pytest.approx(b)


@pytest.mark.parametrize("text", [
    "Amazon's quarterly revenue rose 13% to $213bn.",
    "Alphabet's market value climbed above $4 trillion.",
    "OpenAI was valued at $500 billion in a share sale.",
    "If Meta committed $50bn to the project, rivals would need to match it.",
    "NVIDIA posted net income of $31.9bn and returned $13bn through buybacks.",
    "英伟达第三财季营收为570亿美元,净利润为319亿美元。",
    "如果微软明年把资本开支提高到2000亿美元,投资者会怎么想?",
    "小米集團市值重上1.4萬億港元。",
    "市場估計OpenAI最新估值已超過8,000億美元。",
    "若阿里巴巴未來三年每年投入1,500億元人民幣於AI基建,其現金流將轉負。",
    "發行約 2,540 萬股,招股價介乎 HK$151 至 HK$165。",
    "The chipmaker earned $51bn in the quarter and is now worth about $4.5 trillion.",
    "Staff sold roughly $6bn worth of shares in a sale that valued the lab at $300bn.",
    "The fund, which manages $120 billion in assets, declined to comment.",
    "阿里巴巴本季度营收2477亿元,经调整净利润为103.5亿元。",
    "台積電10月營收新台幣3,675億元,年增16.9%。",
    "據估計,該模型訓練成本不到600萬美元。",
    "这 110 万亿韩元包含资本开支和研发两部分。",
])
def test_not_facts(text):
    assert [f for f in extract_facts(text, PUB) if not f.aggregate] == []


def test_valuation_attaches_to_the_deal():
    facts = extract_facts("Reflex AI has raised $2bn at an $8bn valuation in a round led by NVIDIA.", PUB)
    assert len(facts) == 1
    assert facts[0].valuation == pytest.approx(8e9) and facts[0].valuation_currency == "USD"


@pytest.mark.parametrize("text, status", [
    ("亚马逊正在与OpenAI洽谈一项约100亿美元的投资。", "talks"),
    ("Amazon has completed a $10bn investment in OpenAI.", "completed"),
    ("OpenAI shelved its $31bn project with Stargate UK.", "cancelled"),
    ("NVIDIA will invest up to $100bn in OpenAI.", "pledged"),
    ("英伟达向OpenAI投资最多1000亿美元的计划已被搁置。", "cancelled"),
])
def test_status(text, status):
    facts = [f for f in extract_facts(text, PUB) if isinstance(f, DealMention)]
    assert facts and facts[0].status == status


def test_aggregate_capex_is_flagged_without_company():
    facts = extract_facts("Taken together, the four companies will spend roughly $650 billion on capital projects in 2026.", PUB)
    assert facts and all(f.aggregate and f.company is None for f in facts)


def test_same_figure_twice_is_one_fact():
    text = ("Amazon expects capital expenditure of about $200bn in 2026.\n\n"
            "Company Period Guidance\n\nAmazon 2026 about $200bn\n\nAlphabet 2026 $175bn-$185bn")
    got = capex(text)
    assert got.count(("Amazon", "2026", 2e11, 2e11, "USD")) == 1
    assert ("Alphabet", "2026", 1.75e11, 1.85e11, "USD") in got


def test_table_without_unit_takes_it_from_a_matching_sentence():
    text = ("鴻海今年資本支出預估約新台幣 1,300 億元。\n\n公司 2025 年 2026 年預估\n\n"
            "鴻海 1,050 約 1,300\n\n廣達 320 450")
    got = capex(text, dt.date(2026, 3, 1))
    assert ("Quanta", "2026", 4.5e10, 4.5e10, "TWD") in got
    assert ("Foxconn", "2025", 1.05e11, 1.05e11, "TWD") in got


def test_evidence_offsets_point_into_the_text():
    text = "Intro line.\n\nSoftBank will invest $3bn in OpenAI. Another sentence follows."
    for f in extract_facts(text, PUB):
        assert text[f.evidence.start:f.evidence.end] == f.evidence.sentence


def test_full_width_text_keeps_original_offsets():
    text = "人工智能公司Anthropic宣布完成３００亿美元G轮融资。"
    (f,) = extract_facts(text, PUB)
    assert f.amount_min == 3e10 and text[f.evidence.start:f.evidence.end] == f.evidence.sentence


@pytest.mark.parametrize("text, lang", [
    ("Amazon expects to spend $200 billion.", "en"),
    ("亚马逊预计资本开支为2000亿美元,软银也将投资。", "zh-Hans"),
    ("亞馬遜預計資本支出為 2000 億美元,軟銀也將投資。", "zh-Hant"),
])
def test_detect_lang(text, lang):
    assert detect_lang(text) == lang


def test_deterministic_and_versioned():
    text = "腾讯向月之暗面投资5亿美元。"
    assert extract_facts(text, PUB) == extract_facts(text, PUB)
    assert EXTRACTOR_VERSION


_TOKENS = ["Amazon", "OpenAI", "亚马逊", "輝達", "投资", "收購", "融资", "资本开支", "capex", "invest",
           "in", "raised", "$5bn", "约", "100亿美元", "1,300 億元", "逾", "2026年", "第一季", "last year",
           "(", ")", ",", "。", ".", " ", "\n\n", "up to", "between", "and", "若", "if", "估值", "分别",
           "respectively", "Company 2025 2026", "新台幣", "万亿韩元", "至", "-", "led by", "其中"]


@given(st.lists(st.sampled_from(_TOKENS), max_size=40), st.none() | st.dates())
@settings(max_examples=150, deadline=None)
def test_property_never_crashes_and_evidence_is_exact(tokens, published):
    text = " ".join(tokens)
    for f in extract_facts(text, published):
        assert text[f.evidence.start:f.evidence.end] == f.evidence.sentence
        assert f.amount_min is not None or f.amount_max is not None
        assert f.currency is not None
