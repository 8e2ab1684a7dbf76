"""Idempotent writes to the raw schema. Each function is one transaction: all or nothing."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

import duckdb

from ingest.records import Article, CapexMention, DealMention, FetchResult


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing: a crash or error inside leaves the tables as they were."""
    con.execute("begin")
    try:
        yield
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def land_source_batch(con: duckdb.DuckDBPyConnection, articles: Sequence[Article], fetches: Iterable[FetchResult],
                      validators: dict[str, tuple[str | None, str | None]], fetched_at: datetime) -> None:
    """One source's articles, fetch log and HTTP validators land together or not at all."""
    with transaction(con):
        _upsert_articles(con, articles, fetched_at)
        append_fetch_log(con, fetches)
        save_validators(con, validators, fetched_at)


def known_content_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """article_id -> content_sha256 of what is stored, to tell new, changed and unchanged apart."""
    return dict(con.execute("select article_id, content_sha256 from raw.articles").fetchall())


def known_validators(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str | None, str | None]]:
    """url -> (ETag, Last-Modified) of the last successful fetch, for conditional requests."""
    return {url: (etag, lm) for url, etag, lm in
            con.execute("select url, etag, last_modified from raw.http_validators").fetchall()}


def save_validators(con: duckdb.DuckDBPyConnection, validators: dict[str, tuple[str | None, str | None]],
                    updated_at: datetime) -> None:
    if validators:
        con.executemany("insert or replace into raw.http_validators values (?, ?, ?, ?)",
                        [(url, etag, lm, updated_at) for url, (etag, lm) in validators.items()])


def upsert_articles(con: duckdb.DuckDBPyConnection, articles: Sequence[Article], fetched_at: datetime) -> None:
    """Insert new articles, refresh changed ones; first_fetched_at never moves."""
    with transaction(con):
        _upsert_articles(con, articles, fetched_at)


def _upsert_articles(con: duckdb.DuckDBPyConnection, articles: Sequence[Article], fetched_at: datetime) -> None:
    if not articles:
        return
    rows = [(a.article_id, a.url, a.canonical_url, a.source, a.title, a.published_at, a.lang,
             a.body_text, a.content_sha256, fetched_at, fetched_at) for a in _unique_by_id(articles)]
    con.executemany(
        """
        insert into raw.articles values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        on conflict (article_id) do update set
            url = excluded.url, source = excluded.source, title = excluded.title,
            published_at = excluded.published_at, lang = excluded.lang,
            body_text = excluded.body_text, content_sha256 = excluded.content_sha256,
            last_fetched_at = excluded.last_fetched_at
        """,
        rows,
    )


def append_fetch_log(con: duckdb.DuckDBPyConnection, results: Iterable[FetchResult]) -> None:
    rows = [(r.source, r.url, r.started_at, r.http_status, r.bytes, r.elapsed_ms, r.outcome, r.error)
            for r in results]
    if rows:
        con.executemany("insert into raw.fetch_log values (?, ?, ?, ?, ?, ?, ?, ?)", rows)


def articles_to_extract(con: duckdb.DuckDBPyConnection, extractor_version: str) -> list[tuple]:
    """(article_id, content_sha256, body_text, published_at, lang) of articles new, changed, or read by another version."""
    return con.execute(
        """
        select a.article_id, a.content_sha256, a.body_text, a.published_at, a.lang
        from raw.articles a
        left join raw.extractions e on e.article_id = a.article_id
        where e.article_id is null
           or e.content_sha256 <> a.content_sha256
           or e.extractor_version <> ?
        order by a.article_id
        """,
        [extractor_version],
    ).fetchall()


def replace_mentions(
    con: duckdb.DuckDBPyConnection,
    extracted: Sequence[tuple[str, str, Sequence[DealMention | CapexMention]]],
    extractor_version: str,
    extracted_at: datetime,
) -> None:
    """Swap the mentions of a batch of articles, (article_id, content_sha256, facts) each, in one transaction."""
    if not extracted:
        return
    deal_rows, capex_rows, state_rows = [], [], []
    for article_id, content_sha256, facts in extracted:
        deals = {f.mention_id(article_id): f for f in facts if isinstance(f, DealMention)}
        capex = {f.mention_id(article_id): f for f in facts if isinstance(f, CapexMention)}
        deal_rows += [
            (mid, article_id, d.investor_raw, d.investor, d.target_raw, d.target, d.amount_min,
             d.amount_max, d.currency, d.qualifier, d.amount_usd_min, d.amount_usd_max, d.valuation,
             d.valuation_currency, d.status, d.deal_type, d.aggregate, d.evidence.sentence,
             d.evidence.start, d.evidence.end, extractor_version, extracted_at)
            for mid, d in deals.items()]
        capex_rows += [
            (mid, article_id, c.company_raw, c.company, c.period, c.capex_kind, c.amount_min,
             c.amount_max, c.currency, c.qualifier, c.amount_usd_min, c.amount_usd_max, c.aggregate,
             c.evidence.sentence, c.evidence.start, c.evidence.end, extractor_version, extracted_at)
            for mid, c in capex.items()]
        state_rows.append((article_id, content_sha256, extractor_version, extracted_at, len(deals), len(capex)))
    ids = [[row[0]] for row in state_rows]
    with transaction(con):
        con.executemany("delete from raw.deal_mentions where article_id = ?", ids)
        con.executemany("delete from raw.capex_mentions where article_id = ?", ids)
        if deal_rows:
            con.executemany("insert into raw.deal_mentions values (" + ", ".join("?" * 22) + ")", deal_rows)
        if capex_rows:
            con.executemany("insert into raw.capex_mentions values (" + ", ".join("?" * 18) + ")", capex_rows)
        con.executemany("insert or replace into raw.extractions values (?, ?, ?, ?, ?, ?)", state_rows)


def _unique_by_id(articles: Sequence[Article]) -> list[Article]:
    """The same article reached twice in one run is written once (the last copy wins)."""
    return list({a.article_id: a for a in articles}.values())
