"""raw.articles loads: new rows inserted plainly, stored ones refreshed, one transaction with the rest of a chunk."""

from datetime import datetime

import pytest

from ingest.records import Article, FetchResult
from warehouse.loads import land_source_batch, upsert_articles

T0, T1 = datetime(2026, 3, 1), datetime(2026, 3, 2)


def article(i: int, body: str | None = None) -> Article:
    url = f"https://n.example/{i}"
    return Article(url=url, canonical_url=url, source="s", title=f"t{i}", published_at=T0, lang="en",
                   body_text=body or f"Company {i} raised ${i} million.")


def rows(con):
    return con.execute("select url, title, body_text, first_fetched_at, last_fetched_at from raw.articles "
                       "order by url").fetchall()


def test_a_load_of_new_and_stored_articles_inserts_the_new_and_refreshes_the_stored(con):
    upsert_articles(con, [article(1), article(2)], T0)
    # 2 changed, 3 new, 1 again unchanged; 3 twice in the load (the last copy wins)
    upsert_articles(con, [article(2, "Company 2 raised $9 million."), article(3, "first copy"), article(1),
                          article(3)], T1)
    assert rows(con) == [
        ("https://n.example/1", "t1", "Company 1 raised $1 million.", T0, T1),
        ("https://n.example/2", "t2", "Company 2 raised $9 million.", T0, T1),  # first_fetched_at kept
        ("https://n.example/3", "t3", "Company 3 raised $3 million.", T1, T1),
    ]
    upsert_articles(con, [article(1), article(2), article(3)], T1)  # a rerun adds no row
    assert con.execute("select count(*), count(distinct article_id) from raw.articles").fetchone() == (3, 3)


def test_a_chunk_that_fails_leaves_no_article_no_log_and_no_file_state(con):
    upsert_articles(con, [article(1)], T0)
    fetches = [FetchResult("s", f"file:{i}.html", T1, None, 10, 1, "new") for i in (1, 2)]
    with pytest.raises(ValueError, match="source"):  # the file state comes last: articles and log were written
        land_source_batch(con, [article(1, "changed"), article(2)], fetches, {}, T1,
                          file_state={"file:1.html": (1, 2), "file:2.html": (3, 4)})
    assert rows(con) == [("https://n.example/1", "t1", "Company 1 raised $1 million.", T0, T0)]
    assert con.execute("select count(*) from raw.fetch_log").fetchone() == (0,)
    assert con.execute("select count(*) from raw.file_state").fetchone() == (0,)
    land_source_batch(con, [article(1, "changed"), article(2)], fetches, {}, T1,
                      file_state={"file:1.html": (1, 2), "file:2.html": (3, 4)}, source="s")
    assert [r[2] for r in rows(con)] == ["changed", "Company 2 raised $2 million."]
    assert con.execute("select count(*) from raw.file_state").fetchone() == (2,)


def test_pending_articles_are_the_new_changed_and_other_version_ones_whatever_their_fetch_time(con):
    from warehouse.loads import articles_to_extract, pending_articles, replace_mentions

    T2, T3 = datetime(2026, 3, 3), datetime(2026, 3, 4)
    upsert_articles(con, [article(i) for i in range(1, 6)], T0)
    replace_mentions(con, [(a.article_id, a.content_sha256, []) for a in map(article, (1, 2, 3))], "v1", T1)
    replace_mentions(con, [(article(4).article_id, article(4).content_sha256, [])], "v0", T1)
    upsert_articles(con, [article(2, "Company 2 raised $7 million.")], T2)  # changed: fetched again
    upsert_articles(con, [article(6)], T3)  # new, fetched last

    def streamed(version, batch_size=2):
        return sorted(row for batch in pending_articles(con, version, batch_size) for row in batch)

    # 4 (other version, fetched first), 5 (never extracted, fetched first), 2 (changed), 6 (new)
    expected = sorted(articles_to_extract(con, "v1"))
    assert [row[0] for row in expected] == sorted(article(i).article_id for i in (2, 4, 5, 6))
    assert streamed("v1") == expected
    assert len(streamed("v2")) == 6  # a new extractor version re-reads everything
    replace_mentions(con, [(r[0], r[1], []) for r in expected], "v1", T3)
    assert streamed("v1") == []
