"""Ingest through the real fetch path: an RSS feed and article pages served on 127.0.0.1."""

from __future__ import annotations

from datetime import datetime

import pytest

from ingest.collect import collect_source
from ingest.fetch import Fetcher, FetchError
from ingest.sources import SourceConfig
from tests.http_fixtures import LoopbackServer, Route
from warehouse.connection import connect, ensure_raw_schema
from warehouse.loads import (append_fetch_log, known_content_hashes, known_validators, save_validators,
                             upsert_articles)

PAGE = """<html lang="{lang}"><head><meta charset="{charset}"><title>{title}</title>
<meta property="article:published_time" content="2026-03-02T09:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/tech">Tech</a></nav>
<div class="share-bar">Share on X</div>
<article><h1>{title}</h1>{paragraphs}</article>
<aside class="related"><a href="/x">Related: $1 trillion story</a></aside>
<footer class="copyright">Copyright 2026 Example News</footer></body></html>"""


def page(title: str, paragraphs: list[str], lang: str = "en", charset: str = "utf-8") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return PAGE.format(title=title, paragraphs=body, lang=lang, charset=charset).encode(charset)


def rss(base: str, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>t{i}</title><link>{base}{p}</link></item>" for i, p in enumerate(paths))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'.encode()


@pytest.fixture
def warehouse_path(tmp_path):
    return tmp_path / "w.duckdb"


def ingest(source: SourceConfig, path) -> tuple:
    with connect(path) as con:
        ensure_raw_schema(con)
        batch = collect_source(source, known_content_hashes(con), Fetcher(backoff_s=0.01, min_host_interval_s=0))
        upsert_articles(con, batch.articles, datetime(2026, 3, 3))
        append_fetch_log(con, batch.fetches)
        articles = con.execute("select url, title, lang, body_text, published_at from raw.articles order by url").fetchall()
        log = con.execute("select url, http_status, outcome, error from raw.fetch_log order by started_at, url").fetchall()
    return batch, articles, log


def test_rss_feed_pages_are_fetched_parsed_and_landed(warehouse_path):
    routes = {
        "/a1": Route(page("Amazon invests $5bn in Anthropic", ["Amazon said on Monday it will invest $5 billion in Anthropic.",
                                                               "The deal closed last week."])),
        "/a2": Route(page("三星扩产", ["三星 2026 年将投入超过 110 万亿韩元用于芯片产能扩张。"], lang="zh-CN", charset="gbk"),
                     headers={"Content-Type": "text/html"}),  # GBK page without a charset header
        "/broken": Route(b"oops", status=500),
    }
    with LoopbackServer(routes) as server:
        routes["/feed.xml"] = Route(rss(server.base_url, ["/a1", "/a2", "/broken"]),
                                    headers={"Content-Type": "application/rss+xml"})
        source = SourceConfig(name="loop", kind="rss", url=server.base_url + "/feed.xml")
        batch, articles, log = ingest(source, warehouse_path)
        user_agents = {headers.get("User-Agent") for _, headers in server.requests}

    assert [a[1] for a in articles] == ["Amazon invests $5bn in Anthropic", "三星扩产"]
    assert articles[0][2] == "en" and articles[1][2] == "zh-Hans"
    assert "110 万亿韩元" in articles[1][3]                     # decoded from GBK bytes
    assert "Related" not in articles[0][3] and "Copyright" not in articles[0][3] and "Share" not in articles[0][3]
    assert articles[0][4] == datetime(2026, 3, 2, 9, 0)
    outcomes = {url.rsplit("/", 1)[-1]: (status, outcome) for url, status, outcome, _ in log}
    assert outcomes["a1"] == (200, "new") and outcomes["a2"] == (200, "new")
    assert outcomes["broken"] == (500, "error")
    assert any("HTTP 500" in (err or "") for *_, err in log)
    assert all(ua and ua.startswith("dealwire/") for ua in user_agents)


def test_second_run_adds_no_duplicate_articles(warehouse_path):
    routes = {"/a1": Route(page("Same story", ["NVIDIA will invest up to $100 billion in OpenAI."]))}
    with LoopbackServer(routes) as server:
        routes["/feed.xml"] = Route(rss(server.base_url, ["/a1", "/a1?utm_source=x"]),
                                    headers={"Content-Type": "application/rss+xml"})
        source = SourceConfig(name="loop", kind="rss", url=server.base_url + "/feed.xml")
        ingest(source, warehouse_path)
        batch, articles, log = ingest(source, warehouse_path)
    assert len(articles) == 1
    assert [f.outcome for f in batch.fetches if f.url.endswith("a1")] == ["unchanged"]


def test_dead_source_is_logged_and_does_not_raise(warehouse_path):
    source = SourceConfig(name="dead", kind="rss", url="http://127.0.0.1:9/feed.xml")
    batch, articles, log = ingest(source, warehouse_path)
    assert articles == []
    assert len(log) == 1 and log[0][2] == "error" and "ConnectionError" in log[0][3]


def test_malformed_feed_is_an_error_not_a_crash(warehouse_path):
    routes = {"/feed.xml": Route(b"<html><body>not a feed</body></html>")}
    with LoopbackServer(routes) as server:
        source = SourceConfig(name="bad", kind="rss", url=server.base_url + "/feed.xml")
        batch, articles, log = ingest(source, warehouse_path)
    assert articles == [] and log[-1][2] == "error" and "FeedError" in log[-1][3]


def test_server_error_then_success_is_retried():
    def flaky(hit: int):
        return (503, {"Content-Type": "text/plain", "Retry-After": "0"}, b"busy") if hit == 1 else (
            200, {"Content-Type": "text/html; charset=utf-8"}, page("ok", ["fine"]))

    with LoopbackServer({"/p": Route(dynamic=flaky)}) as server:
        response = Fetcher(backoff_s=0.01, min_host_interval_s=0).get(server.base_url + "/p")
        assert response.status == 200 and server.hits["/p"] == 2


def test_robots_txt_disallow_is_honoured_and_logged_as_skipped(warehouse_path):
    routes = {
        "/robots.txt": Route(b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"}),
        "/private/a": Route(page("Secret", ["Amazon will invest $5 billion in Anthropic."])),
        "/public/b": Route(page("Open", ["NVIDIA will invest up to $100 billion in OpenAI."])),
    }
    with LoopbackServer(routes) as server:
        source = SourceConfig(name="polite", kind="urls",
                              urls=(server.base_url + "/private/a", server.base_url + "/public/b"))
        batch, articles, log = ingest(source, warehouse_path)
        assert "/private/a" not in server.hits
        assert server.hits["/robots.txt"] == 1  # cached per host
    assert [a[1] for a in articles] == ["Open"]
    skipped = [(url, outcome, err) for url, _, outcome, err in log if url.endswith("/private/a")]
    assert skipped == [(source.urls[0], "skipped", "disallowed by robots.txt for dealwire")]


@pytest.mark.parametrize("status, allowed", [(404, True), (503, False)])
def test_robots_txt_errors_follow_rfc_9309(status, allowed):
    routes = {"/robots.txt": Route(b"", status=status), "/a": Route(page("A", ["text"]))}
    with LoopbackServer(routes) as server:
        fetcher = Fetcher(backoff_s=0.01, min_host_interval_s=0)
        if allowed:
            assert fetcher.get(server.base_url + "/a").status == 200
        else:
            with pytest.raises(FetchError, match="robots.txt"):
                fetcher.get(server.base_url + "/a")
            assert "/a" not in server.hits


def test_requests_to_one_host_keep_the_politeness_interval():
    import time

    routes = {"/robots.txt": Route(b"User-agent: *\nCrawl-delay: 1\n", headers={"Content-Type": "text/plain"}),
              "/a": Route(page("A", ["text"])), "/b": Route(page("B", ["text"]))}
    with LoopbackServer(routes) as server:
        fetcher = Fetcher(backoff_s=0.01, min_host_interval_s=0)
        started = time.monotonic()
        fetcher.get(server.base_url + "/a")
        fetcher.get(server.base_url + "/b")
        assert time.monotonic() - started >= 1.0  # the site's Crawl-delay, above our own floor of 0


def test_conditional_get_sends_validators_and_a_304_costs_nothing(warehouse_path):
    body = page("Cached", ["SoftBank completed its $22.5 billion investment in OpenAI."])

    def cached(hit: int):
        if hit == 1:
            return 200, {"Content-Type": "text/html; charset=utf-8", "ETag": '"v1"',
                         "Last-Modified": "Mon, 02 Mar 2026 09:00:00 GMT"}, body
        return 304, {"ETag": '"v1"'}, b""

    with LoopbackServer({"/a": Route(dynamic=cached)}) as server:
        source = SourceConfig(name="cond", kind="urls", urls=(server.base_url + "/a",))
        with connect(warehouse_path) as con:
            ensure_raw_schema(con)
        for _ in range(2):
            with connect(warehouse_path) as con:
                batch = collect_source(source, known_content_hashes(con), Fetcher(min_host_interval_s=0),
                                       known_validators(con))
                upsert_articles(con, batch.articles, datetime(2026, 3, 3))
                append_fetch_log(con, batch.fetches)
                save_validators(con, batch.validators, datetime(2026, 3, 3))
        page_requests = [headers for path, headers in server.requests if path == "/a"]
    assert "If-None-Match" not in page_requests[0]
    assert page_requests[1]["If-None-Match"] == '"v1"'
    assert page_requests[1]["If-Modified-Since"] == "Mon, 02 Mar 2026 09:00:00 GMT"
    assert batch.articles == [] and [f.outcome for f in batch.fetches] == ["not_modified"]
    with connect(warehouse_path) as con:
        assert con.execute("select count(*) from raw.articles").fetchone() == (1,)
        assert con.execute("select outcome, http_status from raw.fetch_log order by started_at").fetchall() == [
            ("new", 200), ("not_modified", 304)]


def _peak_overlap(intervals: list[tuple[str, float, float]]) -> int:
    events = sorted([(start, 1) for _, start, _ in intervals] + [(end, -1) for *_, end in intervals])
    level = peak = 0
    for _, step in events:
        level += step
        peak = max(peak, level)
    return peak


@pytest.mark.parametrize("max_workers", [1, 3])
def test_hosts_are_fetched_in_parallel_but_one_host_never_twice_at_once(max_workers):
    def routes(name: str) -> dict:
        return {f"/p{i}": Route(page(f"{name}{i}", [f"Story {name}{i}: Amazon will invest $5 billion."]), delay_s=0.15)
                for i in range(3)}

    with LoopbackServer(routes("a")) as a, LoopbackServer(routes("b")) as b, LoopbackServer(routes("c")) as c:
        urls = tuple(server.url(f"/p{i}") for i in range(3) for server in (a, b, c))  # hosts interleaved
        source = SourceConfig(name="many", kind="urls", urls=urls)
        batch = collect_source(source, {}, Fetcher(min_host_interval_s=0, max_workers=max_workers))
        pages = {server: [iv for iv in server.intervals if iv[0].startswith("/p")] for server in (a, b, c)}
    assert [f.url for f in batch.fetches] == list(urls)  # the source's order, whatever finished first
    assert [x.title for x in batch.articles] == ["a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"]
    assert all(_peak_overlap(intervals) == 1 for intervals in pages.values())  # one request at a time per host
    assert _peak_overlap([iv for intervals in pages.values() for iv in intervals]) == max_workers


def test_one_fetcher_shared_by_threads_still_sends_one_request_at_a_time_to_a_host():
    from concurrent.futures import ThreadPoolExecutor

    routes = {f"/p{i}": Route(page("p", ["text"]), delay_s=0.1) for i in range(4)}
    with LoopbackServer(routes) as server:
        fetcher = Fetcher(min_host_interval_s=0)
        with ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(lambda i: fetcher.get(server.url(f"/p{i}")).status, range(4)))
        assert statuses == [200] * 4
        assert server.max_in_flight() == 1


def test_user_agent_names_the_contact_from_config(tmp_path):
    from ingest.sources import load_sources

    path = tmp_path / "sources.yml"
    routes = {"/a": Route(page("A", ["NVIDIA will invest up to $100 billion in OpenAI."]))}
    with LoopbackServer(routes) as server:
        path.write_text(f"contact: https://example.org/crawler\nsources:\n"
                        f"  - {{name: s, kind: urls, urls: ['{server.url('/a')}']}}\n", encoding="utf-8")
        (source,) = load_sources(path)
        collect_source(source, {})  # the default Fetcher of the source: its own User-Agent
        agents = {path: headers.get("User-Agent") for path, headers in server.requests}
    assert agents == {"/robots.txt": "dealwire/0.1 (+https://example.org/crawler; news research crawler)",
                      "/a": "dealwire/0.1 (+https://example.org/crawler; news research crawler)"}


def test_redirect_is_followed_and_the_final_url_is_kept():
    routes = {"/old": Route(status=301, headers={"Location": "/new", "Content-Type": "text/html"}),
              "/new": Route(page("Moved", ["SoftBank completed its $22.5 billion investment in OpenAI."]))}
    with LoopbackServer(routes) as server:
        response = Fetcher(min_host_interval_s=0).get(server.url("/old"))
    assert (response.status, response.url) == (200, server.url("/new"))
