"""A directory source read twice: unchanged files are skipped by (size, mtime), chunks land as they are read."""

from __future__ import annotations

import os
from datetime import datetime

import pytest

from ingest.collect import collect_source, mark_landed, pending
from ingest.sources import SourceConfig
from warehouse.connection import connect, ensure_raw_schema
from warehouse.loads import known_content_hashes, known_file_state, land_source_batch

T0 = datetime(2026, 3, 1)
PAGE = ("<html lang='en'><head><title>{title}</title></head><body><nav>Home</nav>"
        "<article><h1>{title}</h1><p>{body}</p></article></body></html>")


def write_page(folder, i: int, body: str | None = None) -> None:
    (folder / f"a{i:03d}.html").write_text(
        PAGE.format(title=f"Story {i}", body=body or f"Company {i} raised ${i + 1} million in a seed round."),
        encoding="utf-8")


def run_source(path, source: SourceConfig, chunk_size: int = 1000, fail_on_chunk: int | None = None):
    """What raw.ingest_sources does for one directory source: chunks land as they come, then the rest."""
    with connect(path) as con:
        ensure_raw_schema(con)
        known, state = known_content_hashes(con), known_file_state(con, source.name)
    chunks = []

    def land(batch):
        if fail_on_chunk is not None and len(chunks) == fail_on_chunk:
            raise RuntimeError("disk full")
        articles, fetches, file_state = pending(batch)
        chunks.append(len(articles))
        with connect(path) as con:
            land_source_batch(con, articles, fetches, {}, T0, file_state=file_state, source=batch.source)

    batch = collect_source(source, known, file_state=state, land=land, chunk_size=chunk_size)
    land(batch)
    mark_landed(batch)
    return batch, chunks


def count(path, sql: str):
    with connect(path, read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(7):
        write_page(folder, i)
    return folder


def test_second_run_reads_no_file_and_a_touched_or_new_file_is_read(tmp_path, corpus):
    source = SourceConfig(name="dir", kind="directory", path=str(corpus), max_articles=100)
    db = tmp_path / "w.duckdb"
    first, _ = run_source(db, source)
    assert first.count("new") == 7 and first.skipped_unchanged == 0
    assert count(db, "select count(*) from raw.articles") == [(7,)]
    assert count(db, "select count(*), count(distinct path) from raw.file_state where source = 'dir'") == [(7, 7)]

    # Nothing changed: no file is read, nothing is written (no fetch-log row: nothing was fetched),
    # and the summary still counts the 7 files as unchanged.
    second, _ = run_source(db, source)
    assert second.fetches == [] and second.skipped_unchanged == 7 and second.count("unchanged") == 7
    assert count(db, "select outcome, count(*) from raw.fetch_log group by 1 order by 1") == [("new", 7)]

    # A rewritten file (new size), a file touched with the same text (new mtime) and a new file are read.
    write_page(corpus, 2, body="Company 2 raised $900 million in a Series C round led by a fund.")
    stat = (corpus / "a004.html").stat()
    os.utime(corpus / "a004.html", ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    write_page(corpus, 7)
    third, _ = run_source(db, source)
    outcomes = {f.url.rsplit("/", 1)[-1]: f.outcome for f in third.fetches}
    assert (outcomes["a002.html"], outcomes["a004.html"], outcomes["a007.html"]) == ("changed", "unchanged", "new")
    # Read: the three above (a004's body hashes the same: unchanged); the other five skipped unread.
    assert third.skipped_unchanged == 5 and len(third.fetches) == 3 and third.count("unchanged") == 6
    assert count(db, "select count(*) from raw.articles") == [(8,)]
    assert count(db, "select body_text like '%Series C%' from raw.articles where url like '%a002.html'") == [(True,)]
    # The touched file's new mtime is stored: the next run skips it again.
    fourth, _ = run_source(db, source)
    assert fourth.fetches == [] and fourth.skipped_unchanged == 8 and fourth.count("unchanged") == 8


def test_chunks_land_one_transaction_each_and_a_failed_chunk_is_read_again(tmp_path, corpus):
    source = SourceConfig(name="dir", kind="directory", path=str(corpus), max_articles=100)
    db = tmp_path / "w.duckdb"
    with pytest.raises(RuntimeError, match="disk full"):
        run_source(db, source, chunk_size=3, fail_on_chunk=1)
    # The first chunk landed with its fetch log and file state; the failed one left nothing behind.
    assert count(db, "select count(*) from raw.articles") == [(3,)]
    assert count(db, "select count(*) from raw.fetch_log") == [(3,)]
    assert count(db, "select count(*) from raw.file_state") == [(3,)]

    batch, chunks = run_source(db, source, chunk_size=3)
    assert chunks == [3, 1]  # the 4 files not stored yet, in a chunk of 3 and the rest
    assert batch.skipped_unchanged == 3 and batch.count("new") == 4 and batch.count("unchanged") == 3
    assert batch.articles == [] and batch.landed_fetches == len(batch.fetches) == 4
    assert count(db, "select count(*), count(distinct article_id) from raw.articles") == [(7, 7)]
    assert count(db, "select count(*) from raw.file_state") == [(7,)]


def test_file_state_without_a_source_is_refused_and_nothing_lands(tmp_path):
    db = tmp_path / "w.duckdb"
    with connect(db) as con:
        ensure_raw_schema(con)
        with pytest.raises(ValueError, match="source"):
            land_source_batch(con, [], [], {}, T0, file_state={"file:x.html": (1, 2)})
        assert con.execute("select count(*) from raw.file_state").fetchone() == (0,)


def test_file_urls_with_the_folder_cache_equal_the_resolved_ones(tmp_path):
    from ingest.collect import _file_url
    from warehouse.paths import PROJECT_ROOT

    (tmp_path / "sub").mkdir()
    odd = tmp_path / "a b%é.html"
    odd.write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "c.html").write_text("y", encoding="utf-8")
    (tmp_path / "link.html").symlink_to(odd)
    (tmp_path / "linked_dir").symlink_to(tmp_path / "sub")
    paths = [odd, tmp_path / "sub" / "c.html", tmp_path / "link.html", tmp_path / "linked_dir" / "c.html",
             PROJECT_ROOT / "README.md", PROJECT_ROOT / "ingest" / "sample_corpus" / "en_01_amazon_capex_2026.html"]
    cache: dict = {}
    assert [_file_url(p, cache) for p in paths] == [_file_url(p) for p in paths]
    assert _file_url(tmp_path / "link.html", cache) == _file_url(odd, cache)
    assert _file_url(PROJECT_ROOT / "README.md", cache) == "file:README.md"


def snapshot(path):
    return {"articles": count(path, "select * exclude (first_fetched_at, last_fetched_at) from raw.articles "
                                    "order by article_id"),
            "fetch_log": count(path, "select url, outcome, bytes, error from raw.fetch_log order by url"),
            "file_state": count(path, "select path, source, size, mtime_ns from raw.file_state order by path")}


def test_worker_processes_land_what_the_serial_path_lands(tmp_path, corpus, monkeypatch):
    import ingest.collect
    from ingest.workers import WORKERS_ENV

    for i in range(7, 30):
        write_page(corpus, i)
    (corpus / "notes.txt").write_text("Plain text: Company 99 raised $5 million.", encoding="utf-8")
    source = SourceConfig(name="dir", kind="directory", path=str(corpus), max_articles=100)
    serial_db, parallel_db = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    monkeypatch.setenv(WORKERS_ENV, "1")
    serial, serial_chunks = run_source(serial_db, source, chunk_size=7)
    monkeypatch.setenv(WORKERS_ENV, "2")
    monkeypatch.setattr(ingest.collect, "PARSE_PARALLEL_MIN", 10)
    monkeypatch.setattr(ingest.collect, "PARSE_SLICE", 3)  # many slices, a few in flight at a time
    parallel, parallel_chunks = run_source(parallel_db, source, chunk_size=7)
    assert parallel_chunks == serial_chunks == [7, 7, 7, 7, 3]
    assert [(f.url, f.outcome) for f in parallel.fetches] == [(f.url, f.outcome) for f in serial.fetches]
    assert parallel.count("new") == 31
    expected = snapshot(serial_db)
    assert len(expected["articles"]) == 31 and snapshot(parallel_db) == expected
    # The second run through the pool threshold reads nothing either.
    again, _ = run_source(parallel_db, source, chunk_size=7)
    assert again.fetches == [] and again.skipped_unchanged == 31


def test_reads_in_worker_processes_keep_the_order_and_a_bad_file_costs_only_itself(tmp_path, corpus):
    from ingest.collect import _read_in_order

    files = [(str(p), f"file:{p.name}") for p in sorted(corpus.iterdir())]
    files.insert(3, (str(corpus / "gone.html"), "file:gone.html"))  # listed, then deleted before it was read
    reads = list(_read_in_order(files, {}, workers=2))
    assert [r.url for r in reads] == [url for _, url in files]
    assert reads[3].error.startswith("FileNotFoundError") and reads[3].body_text == ""
    assert all(r.error is None and "raised" in r.body_text for i, r in enumerate(reads) if i != 3)


def test_in_flight_slices_are_bounded(tmp_path, monkeypatch):
    """However big the source, at most workers * PARSE_IN_FLIGHT slices are submitted and not yet taken."""
    import contextlib
    from concurrent.futures import Future

    import ingest.collect

    outstanding, peak = [0], [0]

    class CountingPool:  # runs each slice at once in this process; counts what is submitted and not taken
        def submit(self, fn, *args):
            future = Future()
            future.set_result(fn(*args))
            outstanding[0] += 1
            peak[0] = max(peak[0], outstanding[0])
            taken = future.result

            def result(timeout=None):
                outstanding[0] -= 1
                return taken(timeout)
            future.result = result
            return future

    monkeypatch.setattr(ingest.collect, "process_pool", lambda workers: contextlib.nullcontext(CountingPool()))
    monkeypatch.setattr(ingest.collect, "PARSE_SLICE", 2)
    for i in range(40):
        (tmp_path / f"{i:02d}.txt").write_text(f"text {i}", encoding="utf-8")
    files = [(str(p), p.name) for p in sorted(tmp_path.glob("*.txt"))]
    reads = ingest.collect._read_in_order(files, {}, workers=2)
    assert [r.body_text for r in reads] == [f"text {i}" for i in range(40)]
    assert peak[0] == 2 * ingest.collect.PARSE_IN_FLIGHT and outstanding[0] == 0


def test_a_file_rewritten_while_it_is_read_is_read_again_next_run(tmp_path, corpus, monkeypatch):
    import ingest.collect

    source = SourceConfig(name="dir", kind="directory", path=str(corpus), max_articles=100)
    db = tmp_path / "w.duckdb"
    read_files = ingest.collect.read_files

    def rewritten_first(files, selectors):
        if any(url.endswith("a002.html") for _, url in files):
            write_page(corpus, 2, body="Company 2 raised $700 million in a Series B round, people said.")
        return read_files(files, selectors)

    monkeypatch.setattr(ingest.collect, "read_files", rewritten_first)
    run_source(db, source)
    monkeypatch.setattr(ingest.collect, "read_files", read_files)
    # The size stored for a002 is the one taken before it was read: it no longer matches, so it is read again.
    second, _ = run_source(db, source)
    assert [f.url.rsplit("/", 1)[-1] for f in second.fetches] == ["a002.html"]
    assert second.count("unchanged") == 7 and second.skipped_unchanged == 6


def test_a_killed_parse_worker_costs_its_source_only_the_files_not_read(tmp_path, monkeypatch):
    """SIGKILL a parse worker (as the OOM killer would): the source logs one error naming how many files
    were not read, keeps what was read, and the next run reads the rest; the pool is not reused."""
    import ingest.collect
    from ingest.workers import WORKERS_ENV
    from tests.process_faults import sigkill_a_pool_worker

    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(400):
        write_page(folder, i)
    monkeypatch.setenv(WORKERS_ENV, "2")
    monkeypatch.setattr(ingest.collect, "PARSE_PARALLEL_MIN", 10)
    source = SourceConfig(name="dir", kind="directory", path=str(folder), max_articles=1000)
    db = tmp_path / "w.duckdb"
    with sigkill_a_pool_worker():  # the pool may be one kept idle by an earlier test: its workers count
        batch, _ = run_source(db, source, chunk_size=50)
    errors = [f for f in batch.fetches if f.outcome == "error"]
    assert len(errors) == 1 and "parse worker process died" in errors[0].error
    n_read = batch.count("new")
    assert f"{400 - n_read} of 400 files not read" in errors[0].error
    assert count(db, "select count(*) from raw.articles") == [(n_read,)]
    assert count(db, "select count(*) from raw.file_state") == [(n_read,)]

    # The next run reads exactly the files the dead worker left, with a new pool.
    again, _ = run_source(db, source, chunk_size=50)
    assert again.count("new") == 400 - n_read and again.count("error") == 0
    assert again.skipped_unchanged == n_read
    assert count(db, "select count(*) from raw.articles") == [(400,)]
