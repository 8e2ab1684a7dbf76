"""An incremental run and `--full-refresh` give identical marts after articles come, go and change."""

import pytest

from tests.dbt.conftest import EXTRACTED_AT, RawCorpus
from warehouse.connection import connect


MARTS = ["dim_companies", "fct_deal_mentions", "fct_capex_mentions", "deals", "deal_participants", "capex",
         "capex_revisions", "company_ledger", "money_flows", "circular_deals"]


def snapshot(warehouse) -> dict[str, list[tuple]]:
    return {mart: warehouse.query(f"select * from marts.{mart} order by all") for mart in MARTS}


def test_incremental_run_equals_full_refresh(scenario_warehouse, tmp_path):
    wh = scenario_warehouse.copy(tmp_path)
    before = snapshot(wh)

    # A new article arrives; one article is re-extracted (a mention gone, one changed).
    later = RawCorpus()
    article = later.article("amazon-openai-followup", "2026-03-20 10:00", source="third-wire")
    later.deal(article, "Amazon", "OpenAI", "equity", "completed", 10e9, 10e9)
    later.capex_mention(article, "Meta", "2026", "guidance", 130e9, 150e9)
    later.land(wh.path)
    with connect(wh.path) as con:
        con.execute("delete from raw.deal_mentions where investor = 'NVIDIA' and target = 'xAI'")
        con.execute("update raw.deal_mentions set status = 'cancelled', extracted_at = ? "
                    "where investor = 'NVIDIA' and target = 'Microsoft'", [EXTRACTED_AT.replace(day=2)])

        # Mark an unchanged fact row (its row_hash still matches upstream): an incremental run
        # leaves it alone, a rebuild would not.
        (original,) = con.execute("select evidence_sentence from marts.fct_deal_mentions "
                                  "where investor = 'Valor Equity Partners'").fetchone()
        con.execute("update marts.fct_deal_mentions set evidence_sentence = 'untouched' "
                    "where investor = 'Valor Equity Partners'")

    wh.dbt("run")
    assert wh.query("select evidence_sentence from marts.fct_deal_mentions "
                    "where investor = 'Valor Equity Partners'") == [("untouched",)]
    with connect(wh.path) as con:
        con.execute("update marts.fct_deal_mentions set evidence_sentence = ? "
                    "where investor = 'Valor Equity Partners'", [original])
    incremental = snapshot(wh)
    wh.dbt("run", "--full-refresh")
    full = snapshot(wh)

    assert incremental == full
    # and the changes reached the marts
    assert incremental["deals"] != before["deals"]
    assert len(incremental["fct_deal_mentions"]) == len(before["fct_deal_mentions"])   # one in, one out
    assert len(incremental["capex_revisions"]) == len(before["capex_revisions"]) + 1
    (amazon_openai,) = wh.query("select n_sources, status from marts.deals where investor = 'Amazon' "
                                "and target = 'OpenAI'")
    assert amazon_openai == (3, "completed")
    assert wh.query("select count(*) from marts.circular_deals where cycle_length = 3") == [(0,)]
