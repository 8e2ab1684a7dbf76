"""The analyst marts on the bundled sample corpus (one shared `dealwire run`, tests/conftest.py)."""

import pytest

pytestmark = pytest.mark.e2e


def test_every_mart_is_built(pipeline_run):
    for mart in ("dim_companies", "fct_deal_mentions", "fct_capex_mentions", "deals", "deal_participants",
                 "capex", "capex_revisions", "company_ledger", "money_flows", "circular_deals"):
        assert pipeline_run.query(f"select count(*) from marts.{mart}")[0][0] > 0, mart


def test_fact_tables_hold_every_mention_of_a_loaded_article(pipeline_run):
    assert pipeline_run.query("select count(*) from marts.fct_deal_mentions") == \
        pipeline_run.query("select count(*) from raw.deal_mentions")
    assert pipeline_run.query("select count(*) from marts.fct_capex_mentions") == \
        pipeline_run.query("select count(*) from raw.capex_mentions")


def test_one_mistral_round_although_typed_as_stake_and_round_in_eur(pipeline_run):
    rows = pipeline_run.query("""
        select deal_type, n_mentions, currency_original from marts.deals
        where investor = 'ASML' and target = 'Mistral AI'""")
    assert rows == [("funding_round", 2, "EUR")]


def test_samsungs_open_bound_capex_keeps_the_stated_usd_figure(pipeline_run):
    rows = pipeline_run.query("""
        select low_usd, high_usd, low_original, currency_original from marts.capex
        where company = 'Samsung Electronics' and period = '2026'""")
    assert rows == [(73.3e9, None, 110e12, "KRW")]


def test_metas_raised_guidance_is_a_revision(pipeline_run):
    rows = pipeline_run.query("""
        select previous_low_usd, previous_high_usd, new_low_usd, new_high_usd, direction, revised_at::varchar
        from marts.capex_revisions where company = 'Meta' and period = '2026'""")
    assert rows == [(115e9, 135e9, 125e9, 145e9, "raised", "2026-04-30")]
    assert pipeline_run.query(
        "select n_revisions from marts.capex where company = 'Meta' and period = '2026'") == [(1,)]


def test_circular_pairs_of_the_sample(pipeline_run):
    paths = {row[0] for row in pipeline_run.query("select cycle_path from marts.circular_deals")}
    assert {"Amazon -> OpenAI -> Amazon", "Microsoft -> Anthropic -> Microsoft"} <= paths


def test_statuses_are_the_analysts_four(pipeline_run):
    statuses = {row[0] for row in pipeline_run.query("select distinct status from marts.deals")}
    assert statuses <= {"talks", "announced", "completed", "cancelled", None}
    assert pipeline_run.query("select count(*) from marts.money_flows where status = 'cancelled'") == [(0,)]
