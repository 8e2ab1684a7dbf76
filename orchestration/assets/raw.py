"""raw.articles and raw.fetch_log: each enabled source scraped and landed in DuckDB.

Partitioned by source (partitions from sources.yml): one source can be refreshed or backfilled
alone, and a run over all sources lands each one in its own transaction, so a failing source
costs only its own pages. A directory source lands in chunks of 1,000 articles (each chunk with its
fetch log and file state in one transaction), so its bodies are never all in memory; a file whose
size and mtime did not change since the last run is not read again, and more than 500 changed
files are parsed in worker processes (ingest/workers.py) while the chunks before land on a
background thread (warehouse/writer.py).
"""


import functools
from datetime import datetime, timedelta, timezone

import dagster as dg

from ingest.collect import SourceBatch, collect_source, mark_landed, pending
from ingest.sources import SourceConfig
from orchestration.assets.metadata import OWNERS, markdown_table, raw_column_schema
from orchestration.assets.sources import source_asset_key
from orchestration.resources import Warehouse
from warehouse.loads import known_content_hashes, known_file_states, known_validators, land_source_batch
from warehouse.writer import BackgroundWriter

RAW_ARTICLES = dg.AssetKey(["raw", "articles"])
RAW_FETCH_LOG = dg.AssetKey(["raw", "fetch_log"])
OUTCOMES = ("new", "changed", "unchanged", "not_modified", "skipped", "error")
ERROR_RATE_CHECK = "fetch_error_rate_below_threshold"
STALE_CHECK = "sources_publish_new_articles"


class IngestConfig(dg.Config):
    max_error_rate: float = 0.5  # the error-rate check fails above this share of a source's fetches
    stale_after_days: int = 7  # the staleness check flags a source with no new article for this long


def sources_partitions(sources: list[SourceConfig]) -> dg.StaticPartitionsDefinition | None:
    return dg.StaticPartitionsDefinition([s.name for s in sources]) if sources else None


def build_raw_articles_asset(sources: list[SourceConfig]) -> dg.AssetsDefinition:
    by_name = {source.name: source for source in sources}
    partitions = sources_partitions(sources)
    common = dict(group_name="raw", kinds={"python", "duckdb"}, owners=OWNERS, partitions_def=partitions)

    @dg.multi_asset(
        name="ingest_sources",
        specs=[
            dg.AssetSpec(RAW_ARTICLES, deps=[source_asset_key(s) for s in sources], **common,
                         description="One row per distinct article (id = hash of the canonical URL): "
                                     "title, date, language and clean body text. Partitioned by source.",
                         metadata={"dagster/column_schema": raw_column_schema("articles")}),
            dg.AssetSpec(RAW_FETCH_LOG, deps=[source_asset_key(s) for s in sources], **common,
                         description="One row per fetch attempt with its outcome "
                                     "(new / changed / unchanged / not_modified / skipped / error).",
                         metadata={"dagster/column_schema": raw_column_schema("fetch_log")}),
        ],
        check_specs=[
            dg.AssetCheckSpec(ERROR_RATE_CHECK, asset=RAW_FETCH_LOG,
                              description="Fails when, in this run, a source's share of failed fetches "
                                          "exceeds max_error_rate (run config, default 0.5)."),
            dg.AssetCheckSpec(STALE_CHECK, asset=RAW_ARTICLES,
                              description="Warns when a source has produced no new article for "
                                          "stale_after_days (run config, default 7)."),
        ],
        backfill_policy=dg.BackfillPolicy.single_run(),  # all sources in one run, one transaction each
        retry_policy=dg.RetryPolicy(max_retries=2, delay=30, backoff=dg.Backoff.EXPONENTIAL,
                                    jitter=dg.Jitter.PLUS_MINUS),
    )
    def ingest_sources(context: dg.AssetExecutionContext, config: IngestConfig, warehouse: Warehouse):
        selected = [by_name[key] for key in context.partition_keys] if partitions else []
        with warehouse.connect() as con:
            known = known_content_hashes(con)
            validators = known_validators(con)
            file_states = known_file_states(con, [s.name for s in selected if s.kind == "directory"])
        batches: list[SourceBatch] = []
        # Chunks land on a background thread through one connection while the next ones are read.
        with BackgroundWriter(warehouse.connect) as writer:
            def land(batch: SourceBatch, kept_validators: dict | None = None) -> None:
                # One chunk of a source's articles lands with its fetch log and file state, or not at all.
                articles, fetches, file_state = pending(batch)
                if articles or fetches or kept_validators or file_state:
                    writer.submit(functools.partial(
                        land_source_batch, articles=articles, fetches=fetches, validators=kept_validators or {},
                        fetched_at=_utcnow(), file_state=file_state, source=batch.source))

            for source in selected:
                batch = collect_source(source, known, validators=validators, file_state=file_states.get(source.name),
                                       land=land)
                # The rest of the source (all of a web source) with its validators, in one transaction.
                land(batch, batch.validators)
                mark_landed(batch)
                batches.append(batch)
                for fetch in batch.fetches:
                    if fetch.outcome == "error":
                        context.log.warning(f"source '{source.name}' failed on {fetch.url}: {fetch.error}")
                context.log.info(f"source '{source.name}': " + ", ".join(
                    f"{outcome} {batch.count(outcome)}" for outcome in OUTCOMES if batch.count(outcome)))
        yield from _materializations(warehouse, batches)
        yield _error_rate_check(batches, config.max_error_rate)
        yield _staleness_check(warehouse, [s.name for s in selected], config.stale_after_days)

    return ingest_sources


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _materializations(warehouse: Warehouse, batches: list[SourceBatch]):
    per_source = [(b.source, len(b.fetches), *(b.count(o) for o in OUTCOMES)) for b in batches]
    errors = [f"{b.source}: {f.url}: {f.error}" for b in batches for f in b.fetches if f.outcome == "error"]
    with warehouse.connect() as con:
        n_articles = con.execute("select count(*) from raw.articles").fetchone()[0]
        n_log = con.execute("select count(*) from raw.fetch_log").fetchone()[0]
        newest = con.execute(
            "select source, lang, published_at, title from raw.articles "
            "order by first_fetched_at desc, published_at desc nulls last limit 5").fetchall()
    yield dg.MaterializeResult(
        asset_key=RAW_ARTICLES,
        metadata={
            "dagster/row_count": n_articles,
            "new_articles": sum(b.count("new") for b in batches),
            "changed_articles": sum(b.count("changed") for b in batches),
            "per_source": markdown_table(("source", "fetched", *OUTCOMES), per_source),
            "newest_articles": markdown_table(("source", "lang", "published", "title"), newest),
            "duckdb_path": dg.MetadataValue.path(warehouse.path),
        },
    )
    yield dg.MaterializeResult(
        asset_key=RAW_FETCH_LOG,
        metadata={
            "dagster/row_count": n_log,
            "errors_this_run": len(errors),
            "error_messages": dg.MetadataValue.md("\n".join(f"- {e}" for e in errors[:20]) or "none"),
        },
    )


def _error_rate_check(batches: list[SourceBatch], max_error_rate: float) -> dg.AssetCheckResult:
    rates = {b.source: (b.count("error") / len(b.fetches) if b.fetches else 0.0) for b in batches}
    failing = {name: rate for name, rate in rates.items() if rate > max_error_rate}
    return dg.AssetCheckResult(
        check_name=ERROR_RATE_CHECK, asset_key=RAW_FETCH_LOG, passed=not failing,
        severity=dg.AssetCheckSeverity.ERROR,
        description=("sources over the error-rate threshold: " + ", ".join(
            f"{name} {rate:.0%}" for name, rate in failing.items())) if failing else None,
        metadata={"max_error_rate": max_error_rate,
                  "error_rate_by_source": markdown_table(("source", "error rate"),
                                                         [(n, f"{r:.0%}") for n, r in rates.items()])},
    )


def _staleness_check(warehouse: Warehouse, sources: list[str], stale_after_days: int) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        newest = dict(con.execute(
            "select source, max(first_fetched_at) from raw.articles group by source").fetchall())
    cutoff = _utcnow() - timedelta(days=stale_after_days)
    stale = sorted(name for name in sources if newest.get(name) is None or newest[name] < cutoff)
    return dg.AssetCheckResult(
        check_name=STALE_CHECK, asset_key=RAW_ARTICLES, passed=not stale,
        severity=dg.AssetCheckSeverity.WARN,
        description=(f"no new article for {stale_after_days} days from: " + ", ".join(stale)) if stale else None,
        metadata={"stale_after_days": stale_after_days,
                  "newest_article_by_source": markdown_table(
                      ("source", "newest first fetched"), [(n, newest.get(n)) for n in sources])},
    )
