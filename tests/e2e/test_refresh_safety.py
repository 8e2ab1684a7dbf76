"""A refresh survives an open SQL reader and a killed run, and loses or duplicates nothing.

Real processes throughout: `dealwire run` subprocesses, a loopback HTTP source that can stall on
demand, a read-only DuckDB connection held open by this test, SIGKILL of the whole run.
"""

import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DEALWIRE, PROJECT_ROOT, run_dealwire
from tests.http_fixtures import LoopbackServer, Route

pytestmark = pytest.mark.e2e

SAMPLE = PROJECT_ROOT / "ingest" / "sample_corpus"
ARTICLE = """<html><head><title>Loopback capital</title></head><body><article><h1>Loopback capital</h1>
<p>Published 2026-03-02.</p>
<p>Contoso Cloud said on Monday it will spend $12 billion on data centres in 2026, up from last year.</p>
<p>The company gave no further detail on where the sites would be built.</p>
</article></body></html>"""


class StallableArticle:
    """Serves one article page; while `stalling`, holds the request open until released."""

    def __init__(self):
        self.stalling = False
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, hit: int) -> tuple[int, dict, bytes]:
        if self.stalling:
            self.entered.set()
            self.release.wait(120)
        return 200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE.encode()


def _feed(server: LoopbackServer) -> bytes:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            f'<item><title>a</title><link>{server.base_url}/article</link></item></channel></rss>').encode()


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def _reopen_count(path: Path, sql: str) -> int:
    """A new session in another process (within one process DuckDB reuses the open database)."""
    script = ("import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
              "print(con.execute(sys.argv[2]).fetchone()[0])")
    out = subprocess.run([sys.executable, "-c", script, str(path), sql], capture_output=True, text=True,
                         timeout=60, check=True)
    return int(out.stdout)


def test_open_reader_and_killed_run_lose_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pages = sorted(SAMPLE.glob("*.html"))
    for page in pages[:3]:
        shutil.copy(page, corpus / page.name)
    article = StallableArticle()
    routes = {"/article": Route(dynamic=article)}
    with LoopbackServer(routes) as server:
        routes["/feed.xml"] = Route(body=_feed(server), headers={"Content-Type": "application/rss+xml"})
        sources = tmp_path / "sources.yml"
        # The directory source comes first: in the killed run it lands before the feed stalls.
        sources.write_text(f"sources:\n  - name: local\n    kind: directory\n    path: {corpus}\n"
                           f"  - name: loopback\n    kind: rss\n    url: {server.base_url}/feed.xml\n")
        data_dir = tmp_path / "data"
        env = {**os.environ, "DEALWIRE_DATA_DIR": str(data_dir), "DEALWIRE_SOURCES": str(sources)}
        for name in ("DEALWIRE_DUCKDB_PATH", "DEALWIRE_BUILD_DUCKDB_PATH", "DAGSTER_HOME"):
            env.pop(name, None)
        published = data_dir / "dealwire.duckdb"
        articles = "select count(*) from raw.articles"

        first = run_dealwire(env, "run")
        assert first.returncode == 0, first.stdout + first.stderr
        assert _reopen_count(published, articles) == 4

        # A user's SQL session stays open across everything that follows.
        reader = duckdb.connect(str(published), read_only=True)
        try:
            for page in pages[3:5]:
                shutil.copy(page, corpus / page.name)
            article.stalling = True
            killed = subprocess.Popen([DEALWIRE, "run"], env=env, cwd=PROJECT_ROOT, start_new_session=True,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                assert article.entered.wait(240), "the second run never reached the loopback source"
            finally:
                os.killpg(killed.pid, signal.SIGKILL)
                killed.wait(30)
            # The killed run published nothing: readers old and new see the first run's data.
            assert _count(reader, articles) == 4
            assert _reopen_count(published, articles) == 4

            article.stalling = False
            article.release.set()
            third = run_dealwire(env, "run")
            assert third.returncode == 0, third.stdout + third.stderr

            assert _count(reader, articles) == 4  # the open session keeps its snapshot
            assert _reopen_count(published, articles) == 6  # a new connection sees the refresh
            assert _reopen_count(published, "select count(distinct url) from raw.articles") == 6
            assert _reopen_count(published, "select count(*) from raw.articles where source = 'loopback'") == 1
            # Every landed article was extracted once, by the run that finished.
            assert _reopen_count(published, "select count(*) from raw.extractions") == 6

            # A build whose dbt tests fail publishes nothing and says, in plain words, what failed.
            build = data_dir / "dealwire.build.duckdb"
            con = duckdb.connect(str(build))
            try:
                con.execute("insert into raw.deal_mentions select * replace ('bad-status' as mention_id, "
                            "'rumoured' as status) from raw.deal_mentions limit 1")
            finally:
                con.close()
            broken = run_dealwire(env, "run")
            assert broken.returncode == 1, broken.stdout + broken.stderr
            assert "accepted_values_stg_raw__deal_mentions_status" in broken.stderr, broken.stderr
            assert "failed its test" in broken.stderr
            assert _reopen_count(published, "select count(*) from raw.deal_mentions where status = 'rumoured'") == 0
        finally:
            reader.close()
