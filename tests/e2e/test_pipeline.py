"""The whole pipeline on the bundled sample corpus: `dealwire run` -> DuckDB raw -> dbt marts.

One materialized warehouse is shared by every test here (session fixture in conftest.py).
"""

import json

import pytest

from tests.conftest import run_dealwire

pytestmark = pytest.mark.e2e

# Facts the sample corpus states (tests/gold/sample_corpus.jsonl), as the marts must show them.
EXPECTED_DEALS = {
    # (investor, target, deal_type, status, amount_usd)
    ("Amazon", "OpenAI", "equity", "completed", 10e9),      # talks (zh) then closed (en): one deal
    ("OpenAI", "Amazon", "contract", "announced", 38e9),    # 7-year AWS commitment, three articles
    ("NVIDIA", "OpenAI", "equity", "announced", 100e9),    # pledged: an announced commitment
    ("SoftBank", "Ampere Computing", "acquisition", "completed", 6.5e9),
    ("Meta", "Manus", "acquisition", "announced", 2e9),
    ("OpenAI", "Stargate UK", "joint_venture", "cancelled", 31e9),
    ("Valor Equity Partners", "xAI", "funding_round", "completed", 20e9),
}
EXPECTED_CAPEX = {
    # (company, period, kind, low, high, currency)
    ("Amazon", "2026", "guidance", 200e9, 200e9, "USD"),
    ("Alphabet", "2026", "guidance", 175e9, 185e9, "USD"),
    ("TSMC", "2026", "guidance", 52e9, 56e9, "USD"),
    ("Intel", "2026", "guidance", 12e9, 14e9, "USD"),
    ("Microsoft", "FY2026", "guidance", 140e9, None, "USD"),
    ("Samsung Electronics", "2026", "guidance", 110e12, None, "KRW"),
    ("Alibaba", "2025-2027", "plan", 380e9, None, "CNY"),
    ("Meta", "2026Q1", "actual", 29e9, 29e9, "USD"),
    ("Meta", "2026", "guidance", 125e9, 145e9, "USD"),       # raised in April from 115-135 (February)
}


def test_run_prints_a_summary(pipeline_run):
    out = pipeline_run.outputs[0]
    assert "articles       24" in out
    assert str(pipeline_run.duckdb_path) in out and "make ui" in out and "dealwire sql" in out
    assert f"report         {pipeline_run.data_dir / 'reports' / 'latest.html'}" in out


def test_every_sample_article_lands_once_with_language_and_date(pipeline_run):
    rows = pipeline_run.query("select lang, count(*), count(published_at) from raw.articles group by lang order by lang")
    assert rows == [("en", 8, 8), ("zh-Hans", 8, 8), ("zh-Hant", 8, 8)]
    assert pipeline_run.query("select count(*) from raw.fetch_log where outcome = 'error'") == [(0,)]


def test_mentions_keep_their_provenance(pipeline_run):
    bad = pipeline_run.query("""
        select count(*) from (
            select m.evidence, a.body_text, m.sentence_start, m.sentence_end from raw.deal_mentions m
            join raw.articles a using (article_id)
            union all
            select m.evidence, a.body_text, m.sentence_start, m.sentence_end from raw.capex_mentions m
            join raw.articles a using (article_id))
        where substring(body_text, sentence_start + 1, sentence_end - sentence_start) <> evidence""")
    assert bad == [(0,)]


def test_deals_mart_holds_the_expected_deals(pipeline_run):
    rows = set(pipeline_run.query("select investor, target, deal_type, status, amount_usd from marts.deals"))
    missing = EXPECTED_DEALS - rows
    assert not missing, f"deals missing from marts.deals: {missing}"
    (merged,) = pipeline_run.query(
        "select n_articles, n_sources from marts.deals where investor = 'Amazon' and target = 'OpenAI'")
    assert merged[0] == 2


def test_capex_mart_holds_the_expected_rows(pipeline_run):
    rows = set(pipeline_run.query(
        "select company, period, capex_kind, amount_low, amount_high, currency from marts.capex"))
    missing = EXPECTED_CAPEX - rows
    assert not missing, f"capex rows missing from marts.capex: {missing}"
    assert pipeline_run.query("select count(*) from marts.capex group by company, period having count(*) > 1") == []


def test_company_ledger_joins_capex_and_deals(pipeline_run):
    rows = pipeline_run.query(
        "select capex_usd, invested_usd from marts.company_ledger where company = 'Amazon' and year = 2026")
    assert rows and rows[0][0] == 200e9 and rows[0][1] and rows[0][1] >= 10e9


def test_sql_command_prints_a_table_and_refuses_writes(pipeline_run):
    ok = run_dealwire(pipeline_run.env, "sql", "select investor, target from marts.deals where target = 'Manus' "
                                               "and investor = 'Meta'")
    assert ok.returncode == 0 and "Meta" in ok.stdout and "(1 row)" in ok.stdout
    as_json = run_dealwire(pipeline_run.env, "sql", "select count(*) as n from marts.capex", "--format", "json")
    assert json.loads(as_json.stdout)["n"] > 0
    refused = run_dealwire(pipeline_run.env, "sql", "delete from marts.deals")
    assert refused.returncode == 1 and "error:" in refused.stderr
    assert pipeline_run.query("select count(*) from marts.deals")[0][0] > 0


def test_second_run_adds_no_duplicates(pipeline_run):
    tables = ["raw.articles", "raw.deal_mentions", "raw.capex_mentions", "marts.deals", "marts.capex",
              "marts.company_ledger"]
    before = {t: pipeline_run.query(f"select count(*) from {t}")[0][0] for t in tables}
    again = run_dealwire(pipeline_run.env, "run")
    assert again.returncode == 0, again.stderr
    after = {t: pipeline_run.query(f"select count(*) from {t}")[0][0] for t in tables}
    assert after == before
    # Unchanged files are skipped on (size, mtime) before being read: counted in the run's log,
    # not written to raw.fetch_log again.
    outcomes = pipeline_run.query("select outcome, count(*) from raw.fetch_log group by outcome order by outcome")
    assert outcomes == [("new", 24)]
    assert "source 'sample': unchanged 24" in again.stderr


def test_run_history_persists_in_the_projects_dagster_home(pipeline_run):
    home = pipeline_run.data_dir / "dagster_home"
    assert (home / "dagster.yaml").exists()
    assert any(home.rglob("*.db")), "run history is not stored under DAGSTER_HOME"
