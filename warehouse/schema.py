"""DDL of the raw schema: the contract between ingest, dbt sources and every later model."""

RAW_SCHEMA = "raw"

RAW_TABLES_DDL: dict[str, str] = {
    "articles": """
        create table if not exists raw.articles (
            article_id        varchar primary key,   -- stable hash of canonical_url
            url               varchar not null,
            canonical_url     varchar not null,
            source            varchar not null,
            title             varchar,
            published_at      timestamp,
            lang              varchar,               -- en | zh-Hans | zh-Hant
            body_text         varchar not null,
            content_sha256    varchar not null,
            first_fetched_at  timestamp not null,
            last_fetched_at   timestamp not null
        )""",
    "fetch_log": """
        create table if not exists raw.fetch_log (
            source        varchar not null,
            url           varchar not null,
            started_at    timestamp not null,
            http_status   integer,
            bytes         bigint not null,
            elapsed_ms    integer not null,
            outcome       varchar not null,        -- new | changed | unchanged | not_modified | skipped | error
            error         varchar
        )""",
    "deal_mentions": """
        create table if not exists raw.deal_mentions (
            mention_id          varchar primary key,
            article_id          varchar not null,
            investor_raw        varchar,
            investor            varchar,
            target_raw          varchar,
            target              varchar,
            amount_min          double,
            amount_max          double,
            currency            varchar,
            qualifier           varchar,
            amount_usd_min      double,
            amount_usd_max      double,
            valuation           double,
            valuation_currency  varchar,
            status              varchar,
            deal_type           varchar,
            aggregate           boolean not null,
            evidence            varchar not null,
            sentence_start      integer not null,
            sentence_end        integer not null,
            extractor_version   varchar not null,
            extracted_at        timestamp not null
        )""",
    "capex_mentions": """
        create table if not exists raw.capex_mentions (
            mention_id          varchar primary key,
            article_id          varchar not null,
            company_raw         varchar,
            company             varchar,
            period              varchar,
            capex_kind          varchar,
            amount_min          double,
            amount_max          double,
            currency            varchar,
            qualifier           varchar,
            amount_usd_min      double,
            amount_usd_max      double,
            aggregate           boolean not null,
            evidence            varchar not null,
            sentence_start      integer not null,
            sentence_end        integer not null,
            extractor_version   varchar not null,
            extracted_at        timestamp not null
        )""",
    "extractions": """
        create table if not exists raw.extractions (
            article_id          varchar primary key,   -- one row per article the extractor has read
            content_sha256      varchar not null,      -- the body it read: a changed body is re-extracted
            extractor_version   varchar not null,      -- a new extractor re-extracts old articles
            extracted_at        timestamp not null,
            n_deals             integer not null,
            n_capex             integer not null
        )""",
    "http_validators": """
        create table if not exists raw.http_validators (
            url             varchar primary key,   -- the URL as requested
            etag            varchar,
            last_modified   varchar,
            updated_at      timestamp not null     -- sent back as If-None-Match / If-Modified-Since
        )""",
    "file_state": """
        create table if not exists raw.file_state (
            path        varchar primary key,   -- a file of a `directory` source, as its file: URL
            source      varchar not null,
            size        bigint not null,       -- bytes, and
            mtime_ns    bigint not null,       -- modification time when it was last read: a file whose
            updated_at  timestamp not null     -- size and mtime still match is not read again
        )""",
}


def raw_column_types() -> dict[str, list[tuple[str, str]]]:
    """table -> [(column, DuckDB type)], read from the DDL above (for column schemas in the UI)."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute(f"create schema {RAW_SCHEMA}")
        for ddl in RAW_TABLES_DDL.values():
            con.execute(ddl)
        rows = con.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            f"where table_schema = '{RAW_SCHEMA}' order by table_name, ordinal_position").fetchall()
    finally:
        con.close()
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        columns.setdefault(table, []).append((column, data_type))
    return columns
