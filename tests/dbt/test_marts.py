"""The marts built by the real `dbt build` from hand-written raw rows (tests/dbt/conftest.py)."""

import json

import pytest



def deals_between(wh, investor, target):
    return wh.query("""
        select deal_type, status, amount_usd, n_mentions, n_articles, n_sources, first_reported_at::date,
               last_reported_at::date, mention_ids, currency_original
        from marts.deals where investor = ? and target = ? order by first_reported_at""", [investor, target])


def test_talks_in_chinese_then_completion_in_english_is_one_completed_deal(scenario_warehouse):
    rows = deals_between(scenario_warehouse, "Amazon", "OpenAI")
    assert len(rows) == 1
    deal_type, status, amount, n_mentions, n_articles, n_sources, first, last, mention_ids, _ = rows[0]
    assert (deal_type, status, amount) == ("equity", "completed", 10e9)
    assert (n_mentions, n_articles, n_sources) == (2, 2, 2)
    assert (str(first), str(last)) == ("2026-01-10", "2026-03-02")
    langs = scenario_warehouse.query(
        "select list(distinct lang order by lang) from marts.fct_deal_mentions where list_contains(?, mention_id)",
        [mention_ids])
    assert langs == [(["en", "zh-Hans"],)]


def test_a_stake_and_the_round_it_leads_typed_two_ways_are_one_deal(scenario_warehouse):
    rows = deals_between(scenario_warehouse, "ASML", "Mistral AI")
    assert len(rows) == 1
    deal_type, status, amount, n_mentions, *_, currency = rows[0]
    assert (deal_type, status, n_mentions, currency) == ("funding_round", "completed", 2, "EUR")
    eur = scenario_warehouse.query("select usd_per_unit from seeds.fx_rates where currency = 'EUR' and year = 2025")
    assert amount == pytest.approx(1.7e9 * eur[0][0])
    stake = scenario_warehouse.query("""
        select p.amount_usd from marts.deal_participants p join marts.deals d using (deal_id)
        where d.target = 'Mistral AI' and p.company = 'ASML' and p.role = 'investor'""")
    assert stake == [(pytest.approx(1.3e9 * eur[0][0]),)]


def test_a_round_several_investors_join_is_one_deal_with_its_participants(scenario_warehouse):
    rows = scenario_warehouse.query(
        "select deal_id, investor, n_investors, n_sources from marts.deals where target = 'xAI'")
    assert len(rows) == 1 and rows[0][1] in ("Valor Equity Partners", "NVIDIA") and rows[0][2:] == (2, 2)
    participants = scenario_warehouse.query(
        "select company, role from marts.deal_participants where deal_id = ? order by role, company", [rows[0][0]])
    assert participants == [("NVIDIA", "investor"), ("Valor Equity Partners", "investor"), ("xAI", "target")]
    flows = scenario_warehouse.query(
        "select from_company, amount_usd from marts.money_flows where to_company = 'xAI' order by 1")
    assert flows == [("NVIDIA", None), ("Valor Equity Partners", None)]   # shares of the round unknown
    raised = scenario_warehouse.query("select raised_usd from marts.company_ledger where company = 'xAI'")
    assert raised == [(20e9,)]                                             # the round counts once


def test_the_same_amount_two_years_apart_is_two_deals(scenario_warehouse):
    rows = deals_between(scenario_warehouse, "OpenAI", "Microsoft")
    assert [(str(r[6]), r[2]) for r in rows] == [("2024-01-05", 10e9), ("2026-01-05", 10e9)]


def test_aggregate_figures_are_facts_but_in_no_deal(scenario_warehouse):
    assert scenario_warehouse.query(
        "select count(*) from marts.fct_deal_mentions where is_aggregate and investor = 'Big Tech'") == [(1,)]
    assert scenario_warehouse.query("select count(*) from marts.deals where investor = 'Big Tech'") == [(0,)]


def test_a_pledge_is_announced_and_keeps_its_word(scenario_warehouse):
    rows = scenario_warehouse.query(
        "select status, reported_status from marts.deals where investor = 'Microsoft' and target = 'Anthropic'")
    assert rows == [("announced", "pledged")]


def test_circular_pairs_and_triangles(scenario_warehouse):
    rows = scenario_warehouse.query("""
        select cycle_length, cycle_path, company_a, company_b, invested_usd, committed_usd,
               len(investment_deal_ids), len(commitment_deal_ids), evidence
        from marts.circular_deals order by cycle_length, cycle_path""")
    assert [r[:6] for r in rows] == [
        (2, "Amazon -> OpenAI -> Amazon", "Amazon", "OpenAI", 10e9, 38e9),
        (3, "Microsoft -> Anthropic -> NVIDIA -> Microsoft", "Microsoft", "Anthropic", 5e9, 25e9),
    ]
    assert [r[6:8] for r in rows] == [(1, 1), (1, 2)]
    assert "Amazon equity OpenAI" in rows[0][8] and "OpenAI contract Amazon" in rows[0][8]


def test_raised_guidance_is_a_revision_and_a_repeat_is_not(scenario_warehouse):
    rows = scenario_warehouse.query("""
        select company, period, revised_at::varchar, previous_low_usd, previous_high_usd, new_low_usd, new_high_usd,
               direction, source, summary
        from marts.capex_revisions order by company""")
    assert rows == [("Meta", "2026", "2026-04-30", 115e9, 135e9, 125e9, 145e9, "raised", "cn-daily",
                     "Meta 2026 capex: 115-135 -> 125-145 billion USD, 2026-04-30")]
    capex = scenario_warehouse.query("""
        select company, figure_kind, low_usd, high_usd, as_of::varchar, n_revisions from marts.capex
        where period = '2026' and company in ('Meta', 'TSMC') order by company""")
    assert capex == [("Meta", "guidance", 125e9, 145e9, "2026-04-30", 1),
                     ("TSMC", "guidance", 52e9, 56e9, "2026-04-30", 0)]


def test_an_open_bound_uses_the_usd_figure_the_article_states(scenario_warehouse):
    rows = scenario_warehouse.query("""
        select low_usd, high_usd, low_original, high_original, currency_original, usd_source
        from marts.capex where company = 'Samsung Electronics' and period = '2026'""")
    assert rows == [(73.3e9, None, 110e12, None, "KRW", "stated")]


def test_ledger_keeps_investment_commitment_and_raising_apart(scenario_warehouse):
    rows = scenario_warehouse.query("""
        select company, year, invested_usd, committed_usd, raised_usd, deals_as_investor, deals_as_target
        from marts.company_ledger where company in ('Amazon', 'OpenAI') and year = 2026 order by company""")
    assert rows == [("Amazon", 2026, 10e9, None, None, 1, 1),
                    ("OpenAI", 2026, None, 48e9, 10e9, 2, 1)]


def test_every_mart_company_is_in_dim_companies_when_known(scenario_warehouse):
    assert scenario_warehouse.query("""
        select count(*) from marts.deal_participants p left join marts.dim_companies c using (company)
        where p.is_known and c.company is null""") == [(0,)]
    dim = scenario_warehouse.query(
        "select company_type, country, ticker, is_public from marts.dim_companies where company = 'NVIDIA'")
    assert dim == [("chipmaker", "US", "NVDA", True)]


def test_docs_generate_and_every_mart_column_is_described(scenario_warehouse):
    scenario_warehouse.dbt("docs", "generate")
    target = scenario_warehouse.work_dir / "target"
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    marts = {node_id: node for node_id, node in manifest["nodes"].items()
             if node["resource_type"] == "model" and node["schema"] == "marts"}
    assert {n["name"] for n in marts.values()} >= {
        "dim_companies", "fct_deal_mentions", "fct_capex_mentions", "deals", "deal_participants", "capex",
        "capex_revisions", "company_ledger", "money_flows", "circular_deals"}
    for node_id, node in marts.items():
        assert node["description"].strip(), node["name"]
        built_columns = set(catalog["nodes"][node_id]["columns"])
        described = {name for name, col in node["columns"].items() if col.get("description", "").strip()}
        assert built_columns <= described, (node["name"], built_columns - described)
