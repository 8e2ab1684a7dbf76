"""Warehouse writes are idempotent and atomic; user queries are read-only."""

from datetime import datetime

import duckdb
import pytest

from ingest.records import Article, CapexMention, DealMention, Evidence
from warehouse.connection import WarehouseLockedError, connect
from warehouse.loads import articles_to_extract, replace_mentions, upsert_articles
from warehouse.query import format_rows, run_query

T0, T1 = datetime(2026, 3, 1), datetime(2026, 3, 2)


def article(url="https://n.example/a", body="Amazon will invest $5 billion in Anthropic."):
    return Article(url=url, canonical_url=url, source="s", title="t", published_at=T0, lang="en", body_text=body)


def deal(amount=5e9):
    return DealMention("Amazon", "Amazon", "Anthropic", "Anthropic", amount, amount, "USD", "exact", amount, amount,
                       None, None, "announced", "equity", False, Evidence("Amazon will invest.", 0, 19))


def capex():
    return CapexMention("Amazon", "Amazon", "2026", "guidance", 2e11, 2e11, "USD", "approx", 2e11, 2e11, False,
                        Evidence("Amazon plans $200bn.", 0, 20))


def test_upsert_is_idempotent_and_keeps_first_fetch_time(con):
    upsert_articles(con, [article(), article()], T0)
    upsert_articles(con, [article(body="changed body")], T1)
    rows = con.execute("select first_fetched_at, last_fetched_at, body_text from raw.articles").fetchall()
    assert rows == [(T0, T1, "changed body")]


def test_replace_mentions_swaps_an_articles_facts_and_records_the_extraction(con):
    a = article()
    upsert_articles(con, [a], T0)
    assert [r[0] for r in articles_to_extract(con, "v1")] == [a.article_id]
    replace_mentions(con, [(a.article_id, a.content_sha256, [deal(), capex()])], "v1", T0)
    replace_mentions(con, [(a.article_id, a.content_sha256, [deal(6e9)])], "v1", T1)
    assert con.execute("select amount_min from raw.deal_mentions").fetchall() == [(6e9,)]
    assert con.execute("select count(*) from raw.capex_mentions").fetchone() == (0,)
    assert articles_to_extract(con, "v1") == []
    assert len(articles_to_extract(con, "v2")) == 1  # a new extractor re-reads old articles


def test_failed_write_leaves_previous_state_intact(con):
    a = article()
    upsert_articles(con, [a], T0)
    replace_mentions(con, [(a.article_id, a.content_sha256, [deal()])], "v1", T0)
    broken = deal()
    object.__setattr__(broken, "evidence", None)  # fails while building the rows: nothing written
    with pytest.raises(AttributeError):
        replace_mentions(con, [(a.article_id, a.content_sha256, [broken])], "v2", T1)
    con.execute("create table raw.boom as select 1")  # the connection is still usable
    bad_capex = capex()
    object.__setattr__(bad_capex, "period", object())  # fails inside the transaction
    with pytest.raises(Exception):
        replace_mentions(con, [(a.article_id, a.content_sha256, [deal(7e9), bad_capex])], "v2", T1)
    assert con.execute("select amount_min, extractor_version from raw.deal_mentions").fetchall() == [(5e9, "v1")]


def test_query_is_read_only_and_cannot_write_files(tmp_path):
    path = tmp_path / "w.duckdb"
    with connect(path) as connection:
        connection.execute("create table t as select 1 as a")
    assert run_query(path, "select a from t") == (["a"], [(1,)])
    for statement in ("insert into t values (2)", "drop table t", f"copy t to '{tmp_path}/out.csv'",
                      "set enable_external_access = true", f"attach '{tmp_path}/other.duckdb' as o"):
        with pytest.raises(duckdb.Error):
            run_query(path, statement)
    assert not (tmp_path / "out.csv").exists()
    assert run_query(path, "select count(*) from t")[1] == [(1,)]


def test_missing_warehouse_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="make run"):
        run_query(tmp_path / "none.duckdb", "select 1")


def test_lock_held_by_another_process_names_the_file_and_holder(tmp_path):
    import subprocess
    import sys
    import time

    path = tmp_path / "w.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(path)!r}); "
                               "print('ready', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        started = time.monotonic()
        with pytest.raises(WarehouseLockedError) as info:
            with connect(path, wait_s=1.0):
                pass
        assert time.monotonic() - started >= 1.0
        assert str(path) in str(info.value) and f"PID {holder.pid}" in str(info.value)
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("fmt, expected", [
    ("csv", "company,usd\nAmazon,200000000000"),
    ("json", '{"company": "Amazon", "usd": 200000000000}'),
    ("table", "company | usd         \n--------+-------------\nAmazon  | 200000000000\n(1 row)"),
])
def test_format_rows(fmt, expected):
    assert format_rows(["company", "usd"], [("Amazon", 2e11)], fmt) == expected


def test_bulk_upsert_of_many_articles_inserts_new_and_updates_changed_in_one_statement(con):
    upsert_articles(con, [article(url=f"https://n.example/{i}", body=f"body {i}") for i in range(300)], T0)
    changed = [article(url=f"https://n.example/{i}", body=f"new body {i}") for i in range(250, 350)]
    upsert_articles(con, changed, T1)
    assert con.execute("select count(*) from raw.articles").fetchone() == (350,)
    assert con.execute("select count(*) from raw.articles where first_fetched_at = ? and last_fetched_at = ?",
                       [T0, T1]).fetchone() == (50,)  # 250..299: kept their first fetch, body refreshed
    assert con.execute("select body_text, first_fetched_at from raw.articles where url = 'https://n.example/340'"
                       ).fetchone() == ("new body 340", T1)


def test_replace_mentions_for_many_articles_keeps_other_articles_facts(con):
    articles = [article(url=f"https://n.example/{i}", body=f"b{i}") for i in range(3)]
    upsert_articles(con, articles, T0)
    replace_mentions(con, [(a.article_id, a.content_sha256, [deal(), capex()]) for a in articles], "v1", T0)
    replace_mentions(con, [(articles[0].article_id, articles[0].content_sha256, [])], "v1", T1)
    assert con.execute("select count(*) from raw.deal_mentions").fetchone() == (2,)
    assert con.execute("select article_id, n_deals, n_capex, extracted_at from raw.extractions order by extracted_at"
                       ).fetchall()[-1] == (articles[0].article_id, 0, 0, T1)


def test_land_source_batch_stores_file_state_with_the_articles(con):
    from warehouse.loads import known_file_state, land_source_batch

    a = article(url="file:corpus/a.html")
    land_source_batch(con, [a], [], {}, T0, file_state={"file:corpus/a.html": (120, 10)}, source="dir")
    land_source_batch(con, [], [], {}, T1, file_state={"file:corpus/a.html": (130, 20)}, source="dir")
    assert known_file_state(con, "dir") == {"file:corpus/a.html": (130, 20)}
    assert known_file_state(con, "other") == {}


def test_raw_state_moves_with_every_write_and_only_then(con):
    from warehouse.loads import append_fetch_log, raw_state
    from ingest.records import FetchResult

    states = [raw_state(con)]
    a = article()
    upsert_articles(con, [a], T0)
    states.append(raw_state(con))
    assert raw_state(con) == states[-1]  # reading changes nothing
    upsert_articles(con, [a], T1)  # same body, fetched again: last_fetched_at moves
    states.append(raw_state(con))
    append_fetch_log(con, [FetchResult("s", a.url, T1, 200, 10, 5, "unchanged")])
    states.append(raw_state(con))
    replace_mentions(con, [(a.article_id, a.content_sha256, [deal()])], "v1", T1)
    states.append(raw_state(con))
    replace_mentions(con, [(a.article_id, a.content_sha256, [deal(), capex()])], "v1", T1)
    states.append(raw_state(con))
    assert len(set(states)) == len(states)
