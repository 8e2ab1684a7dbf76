"""Company spans: the alias automaton (three scripts, longest match) and unknown names."""

import csv
from pathlib import Path

import pytest

from ingest.extract.entities import SEEDS_DIR, canonical, find_orgs
from ingest.extract.normalize import shadow


def names(text):
    return [(o.raw, o.name) for o in find_orgs(text, shadow(text))]


@pytest.mark.parametrize("text, expected", [
    ("Amazon Web Services will host it", [("Amazon Web Services", "Amazon")]),
    ("AWS and Azure", [("AWS", "Amazon"), ("Azure", "Microsoft")]),
    ("Nvidia and NVIDIA", [("Nvidia", "NVIDIA"), ("NVIDIA", "NVIDIA")]),
    ("亚马逊正在与OpenAI洽谈", [("亚马逊", "Amazon"), ("OpenAI", "OpenAI")]),
    ("亞馬遜與微軟", [("亞馬遜", "Amazon"), ("微軟", "Microsoft")]),
    ("輝達向 OpenAI 投資", [("輝達", "NVIDIA"), ("OpenAI", "OpenAI")]),
    ("英伟达和台积电", [("英伟达", "NVIDIA"), ("台积电", "TSMC")]),
    ("台積電與鴻海", [("台積電", "TSMC"), ("鴻海", "Foxconn")]),
    ("Google 母公司 Alphabet 公布", [("Google 母公司 Alphabet", "Alphabet")]),
    ("SK海力士预计", [("SK海力士", "SK Hynix")]),
    ("韓國SK海力士預計", [("SK海力士", "SK Hynix")]),
    ("软银集团表示", [("软银集团", "SoftBank")]),
    ("Meta Platforms guided", [("Meta Platforms", "Meta")]),
    ("字節跳動與騰訊", [("字節跳動", "ByteDance"), ("騰訊", "Tencent")]),
])
def test_known_aliases(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize("text, absent", [
    ("the metaverse and intelligence", "Meta"),
    ("an arm of the group", "Arm"),
    ("a benchmark index", "Benchmark"),
    ("PIF-backed Humain said", "Saudi PIF"),
])
def test_no_alias_inside_words_or_adjectives(text, absent):
    assert absent not in [n for _, n in names(text)]


@pytest.mark.parametrize("text, expected_raw", [
    ("Nscalia, the London start-up, raised $1bn", "Nscalia"),
    ("it bought Acme Robotics for $2bn", "Acme Robotics"),
    ("in a round led by Orchard Equity Partners", "Orchard Equity Partners"),
    ("合資公司“星河算力”(Galaxy Compute)成立", "星河算力"),
])
def test_unknown_names_are_kept_as_written(text, expected_raw):
    assert expected_raw in [r for r, _ in names(text)]


def test_unknown_name_takes_its_bracketed_english_name():
    found = find_orgs("合資公司“星河算力”(Galaxy Compute)成立", shadow("合資公司“星河算力”(Galaxy Compute)成立"))
    assert [o.name for o in found] == ["Galaxy Compute"]


@pytest.mark.parametrize("text", ["Separately, revenue rose", "In March, sales fell", "The Chief said"])
def test_sentence_words_are_not_companies(text):
    assert names(text) == []


@pytest.mark.parametrize("name, expected", [
    ("亚马逊", "Amazon"), ("亞馬遜", "Amazon"), ("AWS", "Amazon"), ("amazon", "Amazon"),
    ("NVIDIA", "NVIDIA"), ("輝達", "NVIDIA"), ("Some Startup", "Some Startup"), (None, None),
])
def test_canonical(name, expected):
    assert canonical(name) == expected


def test_seed_tables_are_consistent():
    with open(Path(SEEDS_DIR) / "companies.csv", encoding="utf-8") as f:
        companies = list(csv.DictReader(f))
    with open(Path(SEEDS_DIR) / "company_aliases.csv", encoding="utf-8") as f:
        aliases = list(csv.DictReader(f))
    names_ = {c["company"] for c in companies}
    assert len(names_) == len(companies) >= 60
    assert {c["company_type"] for c in companies} <= {
        "hyperscaler", "ai_lab", "chipmaker", "fund", "sovereign_fund", "other"}
    assert all(a["company"] in names_ for a in aliases)
    assert len({a["alias"] for a in aliases}) == len(aliases)
    by_key = {}
    for a in aliases:
        assert by_key.setdefault(a["alias"].lower(), a["company"]) == a["company"]
    assert {a["lang"] for a in aliases} == {"en", "zh-Hans", "zh-Hant"}
