"""raw.articles and raw.fetch_log: every enabled source scraped and landed in DuckDB."""


from datetime import datetime, timezone

import dagster as dg

from ingest.collect import collect_source
from ingest.sources import SourceConfig
from orchestration.assets.sources import source_asset_key
from orchestration.resources import Warehouse
from warehouse.loads import (append_fetch_log, known_content_hashes, known_validators, save_validators,
                             upsert_articles)

RAW_ARTICLES = dg.AssetKey(["raw", "articles"])
RAW_FETCH_LOG = dg.AssetKey(["raw", "fetch_log"])


def build_raw_articles_asset(sources: list[SourceConfig]) -> dg.AssetsDefinition:
    deps = [source_asset_key(s) for s in sources]

    @dg.multi_asset(
        name="ingest_sources",
        specs=[
            dg.AssetSpec(RAW_ARTICLES, group_name="raw", deps=deps, kinds={"python", "duckdb"},
                         description="One row per distinct article (id = hash of the canonical URL): "
                                     "title, date, language and clean body text."),
            dg.AssetSpec(RAW_FETCH_LOG, group_name="raw", deps=deps, kinds={"python", "duckdb"},
                         description="One row per fetch attempt with its outcome "
                                     "(new / changed / unchanged / not_modified / skipped / error)."),
        ],
    )
    def ingest_sources(context: dg.AssetExecutionContext, warehouse: Warehouse):
        with warehouse.connect() as con:
            known = known_content_hashes(con)
            validators = known_validators(con)
        per_source, errors = {}, []
        for source in sources:
            batch = collect_source(source, known, validators=validators)
            fetched_at = datetime.now(timezone.utc).replace(tzinfo=None)
            # One source's articles and its log land together, in one transaction each.
            with warehouse.connect() as con:
                upsert_articles(con, batch.articles, fetched_at)
                append_fetch_log(con, batch.fetches)
                save_validators(con, batch.validators, fetched_at)
            counts = {k: batch.count(k) for k in ("new", "changed", "unchanged", "not_modified", "error")}
            per_source[source.name] = counts
            for fetch in batch.fetches:
                if fetch.outcome == "error":
                    errors.append(f"{source.name}: {fetch.url}: {fetch.error}")
                    context.log.warning(f"source '{source.name}' failed on {fetch.url}: {fetch.error}")
            context.log.info(f"source '{source.name}': {counts}")
        with warehouse.connect() as con:
            n_articles = con.execute("select count(*) from raw.articles").fetchone()[0]
            n_log = con.execute("select count(*) from raw.fetch_log").fetchone()[0]
            preview = con.execute(
                "select source, lang, published_at, title from raw.articles "
                "order by last_fetched_at desc, published_at desc nulls last limit 5").fetchall()
        table = "| source | lang | published | title |\n|---|---|---|---|\n" + "\n".join(
            f"| {s} | {lang} | {p} | {(t or '').replace('|', '/')[:60]} |" for s, lang, p, t in preview)
        yield dg.MaterializeResult(
            asset_key=RAW_ARTICLES,
            metadata={
                "dagster/row_count": n_articles,
                "new_articles": sum(c["new"] for c in per_source.values()),
                "changed_articles": sum(c["changed"] for c in per_source.values()),
                "per_source": per_source,
                "duckdb_path": warehouse.path,
                "preview": dg.MetadataValue.md(table),
            },
        )
        yield dg.MaterializeResult(
            asset_key=RAW_FETCH_LOG,
            metadata={"dagster/row_count": n_log, "errors_this_run": len(errors),
                      "error_messages": dg.MetadataValue.md("\n".join(f"- {e}" for e in errors[:20]) or "none")},
        )

    return ingest_sources
