"""raw.deal_mentions and raw.capex_mentions: money facts extracted from new or changed articles."""


from datetime import datetime, timezone

import dagster as dg

from ingest.extract import EXTRACTOR_VERSION, extract_facts
from orchestration.assets.raw import RAW_ARTICLES
from orchestration.resources import Warehouse
from warehouse.loads import articles_to_extract, replace_mentions

RAW_DEAL_MENTIONS = dg.AssetKey(["raw", "deal_mentions"])
RAW_CAPEX_MENTIONS = dg.AssetKey(["raw", "capex_mentions"])
BATCH_SIZE = 500


@dg.multi_asset(
    name="extract_mentions",
    specs=[
        dg.AssetSpec(RAW_DEAL_MENTIONS, group_name="extraction", deps=[RAW_ARTICLES], kinds={"python", "duckdb"},
                     description="Deal facts (investor, target, amount, status, type) with evidence sentence "
                                 "and offsets; one row per fact the extractor found."),
        dg.AssetSpec(RAW_CAPEX_MENTIONS, group_name="extraction", deps=[RAW_ARTICLES], kinds={"python", "duckdb"},
                     description="Capex facts (company, period, amount, guidance/actual/plan) with evidence "
                                 "sentence and offsets."),
    ],
)
def extract_mentions(context: dg.AssetExecutionContext, warehouse: Warehouse):
    """Only articles that are new, changed, or read by an older extractor version are extracted."""
    with warehouse.connect() as con:
        pending = articles_to_extract(con, EXTRACTOR_VERSION)
    extracted_at = datetime.now(timezone.utc).replace(tzinfo=None)
    n_facts = 0
    for start in range(0, len(pending), BATCH_SIZE):
        batch = []
        for article_id, sha, body, published_at, lang in pending[start:start + BATCH_SIZE]:
            facts = extract_facts(body, published_at.date() if published_at else None, lang)
            n_facts += len(facts)
            batch.append((article_id, sha, facts))
        with warehouse.connect() as con:
            replace_mentions(con, batch, EXTRACTOR_VERSION, extracted_at)
    context.log.info(f"extracted {n_facts} facts from {len(pending)} new or changed articles")
    with warehouse.connect() as con:
        counts = {
            key: con.execute(f"select count(*) from raw.{key.path[-1]}").fetchone()[0]
            for key in (RAW_DEAL_MENTIONS, RAW_CAPEX_MENTIONS)
        }
        deal_preview = con.execute(
            "select investor, target, amount_min, amount_max, currency, status from raw.deal_mentions "
            "order by extracted_at desc, mention_id limit 5").fetchall()
        capex_preview = con.execute(
            "select company, period, amount_min, amount_max, currency, capex_kind from raw.capex_mentions "
            "order by extracted_at desc, mention_id limit 5").fetchall()
    for key, header, preview in (
        (RAW_DEAL_MENTIONS, "| investor | target | min | max | currency | status |", deal_preview),
        (RAW_CAPEX_MENTIONS, "| company | period | min | max | currency | kind |", capex_preview),
    ):
        rows = "\n".join("| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in preview)
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={
                "dagster/row_count": counts[key],
                "articles_extracted": len(pending),
                "extractor_version": EXTRACTOR_VERSION,
                "preview": dg.MetadataValue.md(header + "\n" + "|---" * 6 + "|\n" + rows),
            },
        )
