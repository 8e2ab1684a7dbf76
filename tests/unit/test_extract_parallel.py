"""Streaming extraction in worker processes writes exactly what the serial path writes."""

from __future__ import annotations

import functools
from datetime import datetime

import pytest

from bench.corpus import make_article
from ingest.extract import EXTRACTOR_VERSION
from ingest.parse import parse_html
from ingest.records import Article
from orchestration.assets.extraction import WORKERS_ENV, extract_pending, extract_workers
from warehouse.connection import connect, ensure_raw_schema
from warehouse.loads import article_ids_to_extract, upsert_articles

T0 = datetime(2026, 3, 1)
TABLES = {
    "raw.deal_mentions": "select * exclude (extracted_at) from raw.deal_mentions order by mention_id",
    "raw.capex_mentions": "select * exclude (extracted_at) from raw.capex_mentions order by mention_id",
    "raw.extractions": "select * exclude (extracted_at) from raw.extractions order by article_id",
}


def warehouse_with_articles(path, n: int):
    articles = []
    for i in range(n):
        page = parse_html(make_article(11, i).html)
        url = f"https://bench.example/{i}"
        articles.append(Article(url=url, canonical_url=url, source="bench", title=page.title,
                                published_at=page.published_at, lang=page.lang, body_text=page.body_text))
    with connect(path) as con:
        ensure_raw_schema(con)
        upsert_articles(con, articles, T0)
    return functools.partial(connect, path)


def snapshot(path) -> dict[str, list[tuple]]:
    with connect(path, read_only=True) as con:
        return {table: con.execute(sql).fetchall() for table, sql in TABLES.items()}


def test_two_worker_processes_write_the_same_facts_as_the_serial_path(tmp_path):
    serial, parallel = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    n = 40
    result_serial = extract_pending(warehouse_with_articles(serial, n), EXTRACTOR_VERSION, T0, workers=1,
                                    batch_size=15)
    result_parallel = extract_pending(warehouse_with_articles(parallel, n), EXTRACTOR_VERSION, T0, workers=2,
                                      batch_size=15)
    assert result_serial == result_parallel and result_serial[0] == n and result_serial[1] > 0
    expected = snapshot(serial)
    assert len(expected["raw.extractions"]) == n and expected["raw.deal_mentions"]
    assert snapshot(parallel) == expected
    # Everything is extracted: a second pass finds nothing to do.
    with connect(parallel, read_only=True) as con:
        assert article_ids_to_extract(con, EXTRACTOR_VERSION) == []
    assert extract_pending(functools.partial(connect, parallel), EXTRACTOR_VERSION, T0, workers=2) == (0, 0)


@pytest.mark.parametrize("pending, env, expected", [
    (100, None, 1),         # few articles: no worker processes
    (2001, "3", 3),         # many: the configured count
    (2001, "0", 1),         # never fewer than one
    (2000, "4", 1),         # the threshold itself stays serial
])
def test_worker_count(monkeypatch, pending, env, expected):
    if env is None:
        monkeypatch.delenv(WORKERS_ENV, raising=False)
    else:
        monkeypatch.setenv(WORKERS_ENV, env)
    assert extract_workers(pending) == expected


def test_a_killed_extraction_worker_keeps_the_written_batches_and_the_next_run_finishes(tmp_path):
    """SIGKILL an extraction worker: a clear error, the batches written before it stay, nothing is
    written twice, and the next run extracts the rest to the same facts as an undisturbed run."""
    from orchestration.assets.extraction import ExtractionWorkerDied
    from tests.process_faults import sigkill_a_pool_worker

    n = 60
    reference, killed_db = tmp_path / "reference.duckdb", tmp_path / "killed.duckdb"
    extract_pending(warehouse_with_articles(reference, n), EXTRACTOR_VERSION, T0, workers=1)
    connect_killed = warehouse_with_articles(killed_db, n)
    with sigkill_a_pool_worker(spare_running=True), \
            pytest.raises(ExtractionWorkerDied, match="extraction worker process died"):
        extract_pending(connect_killed, EXTRACTOR_VERSION, T0, workers=2, batch_size=10)
    with connect(killed_db, read_only=True) as con:
        left = len(article_ids_to_extract(con, EXTRACTOR_VERSION))
    assert 0 < left <= n
    assert extract_pending(connect_killed, EXTRACTOR_VERSION, T0, workers=2, batch_size=10)[0] == left
    assert snapshot(killed_db) == snapshot(reference)
