"""Fault injection against real loopback servers: every bad page yields a clear error or skip for its
own URL, and the other pages of the same source still land."""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone

import pytest

from ingest.collect import collect_source
from ingest.fetch import Fetcher, FetchError, parse_retry_after, retry_delay
from ingest.sources import SourceConfig
from tests.http_fixtures import (LoopbackServer, Route, dead_url, redirect, reset_mid_body, slow_body,
                                 streamed_body, truncated_body)
from tests.integration.test_http_ingest import page, rss
from warehouse.connection import connect, ensure_raw_schema
from warehouse.loads import append_fetch_log, upsert_articles

MB = 1024 * 1024
ARTICLE = page("Slow news", ["Microsoft will invest $10 billion in a new data centre campus."])
GBK = page("中芯扩产", ["中芯国际 2026 年资本开支约 75 亿美元。"], lang="zh-CN", charset="gbk")


def fast_fetcher(**overrides) -> Fetcher:
    """Short timeouts and backoffs keep the whole suite fast; the logic is the production one."""
    settings = dict(connect_timeout_s=1.0, read_timeout_s=0.3, backoff_s=0.01, min_host_interval_s=0,
                    max_attempts=3, max_retry_after_s=5)
    return Fetcher(**{**settings, **overrides})


def retry_after_then_ok(seconds: str):
    def serve(hit: int):
        if hit == 1:
            return 429, {"Content-Type": "text/plain", "Retry-After": seconds}, b"slow down"
        return 200, {"Content-Type": "text/html; charset=utf-8"}, page("After the wait", ["Oracle signs a $30 billion deal."])
    return serve


# (case, routes served next to /good1 and /good2, outcome of /bad, its error pattern, requests /bad got)
CASES = [
    ("slow body", {"/bad": slow_body(ARTICLE, stall_s=1.5)},
     "error", r"ReadTimeout: body stalled for 0.3 s \(gave up after 3 attempts\)", 3),
    ("reset mid-body", {"/bad": reset_mid_body(ARTICLE)},
     "error", r"(body cut off|ConnectionError).*(reset by peer|IncompleteRead)", 3),
    ("truncated body", {"/bad": truncated_body(ARTICLE[:200], declared=len(ARTICLE) + 5000)},
     "error", r"body cut off: IncompleteRead\(200 bytes read, \d+ more expected\) \(gave up after 3", 3),
    ("20 MB streamed", {"/bad": streamed_body(20 * MB)},
     "error", r"response larger than 5242880 bytes: stopped reading", 1),
    ("20 MB announced", {"/bad": streamed_body(20 * MB, content_length=True)},
     "error", r"response larger than 5242880 bytes \(Content-Length 20971520\)", 1),
    ("redirect loop", {"/bad": redirect("/bad2"), "/bad2": redirect("/bad")},
     "error", r"redirect loop: \S+/bad -> \S+/bad2 -> \S+/bad$", 1),
    ("redirect chain too long", {"/bad": redirect("/r1"), **{f"/r{i}": redirect(f"/r{i + 1}") for i in range(1, 9)}},
     "error", r"too many redirects \(>5\)", 1),
    ("redirect to ftp", {"/bad": redirect("ftp://files.example.com/a.html")},
     "error", r"redirect to a non-http\(s\) URL 'ftp://files.example.com/a.html'", 1),
    ("redirect to javascript", {"/bad": redirect("javascript:alert(1)", status=301)},
     "error", r"redirect to a non-http\(s\) URL 'javascript:alert\(1\)'", 1),
    ("PDF", {"/bad": Route(b"%PDF-1.7 " + b"0" * 5000, headers={"Content-Type": "application/pdf"})},
     "skipped", r"^content type 'application/pdf' is not HTML or XML$", 1),
    ("image", {"/bad": Route(b"\x89PNG", headers={"Content-Type": "image/png"})},
     "skipped", r"^content type 'image/png'", 1),
    ("empty page", {"/bad": Route(b"")}, "error", r"empty page: no body text found", 1),
    ("500", {"/bad": Route(b"oops", status=500)}, "error", r"HTTP 500 for \S+ \(gave up after 3 attempts\)", 3),
    ("404 is not retried", {"/bad": Route(b"gone", status=404)}, "error", r"^FetchError: HTTP 404 for http://\S+$", 1),
    ("410 is not retried", {"/bad": Route(b"gone", status=410)}, "error", r"HTTP 410", 1),
    ("429 with a long Retry-After", {"/bad": Route(b"", status=429, headers={"Retry-After": "3600"})},
     "error", r"HTTP 429 for \S+ with Retry-After 3600 s, longer than the 5 s we wait", 1),
    ("dead host", {}, "error", r"ConnectionError: \[Errno 111\] Connection refused \(gave up after 3 attempts\)", None),
]


@pytest.mark.parametrize("case, routes, outcome, message, hits", CASES, ids=[c[0] for c in CASES])
def test_a_bad_page_costs_only_itself(case, routes, outcome, message, hits):
    served = {"/good1": Route(page("Good one", ["Amazon will invest $5 billion in Anthropic."])),
              "/good2": Route(page("Good two", ["NVIDIA will invest up to $100 billion in OpenAI."])), **routes}
    with LoopbackServer(served) as server:
        bad = dead_url("/bad") if case == "dead host" else server.url("/bad")
        source = SourceConfig(name="faults", kind="urls", urls=(server.url("/good1"), bad, server.url("/good2")))
        batch = collect_source(source, {}, fast_fetcher())
    assert [a.title for a in batch.articles] == ["Good one", "Good two"]
    assert [f.url for f in batch.fetches] == list(source.urls)  # one line per URL, in source order
    failed = batch.fetches[1]
    assert (failed.outcome, bool(failed.error)) == (outcome, True)
    assert re.search(message, failed.error), failed.error
    if hits is not None:
        assert server.hits.get("/bad", 0) == hits


def test_a_huge_body_is_abandoned_at_the_cap_not_read_whole():
    route = streamed_body(20 * MB)
    with LoopbackServer({"/huge": route}) as server:
        with pytest.raises(FetchError) as caught:
            fast_fetcher().get(server.url("/huge"))
    assert 5 * MB < caught.value.nbytes <= 5 * MB + 64 * 1024  # stopped one chunk past the cap
    assert route.state["sent"] < 20 * MB  # the server could not push the rest: the client hung up


def test_429_with_retry_after_is_honoured_then_the_page_lands():
    with LoopbackServer({"/p": Route(dynamic=retry_after_then_ok("1"))}) as server:
        source = SourceConfig(name="busy", kind="urls", urls=(server.url("/p"),))
        batch = collect_source(source, {}, fast_fetcher())
        starts = sorted(start for path, start, _ in server.intervals if path == "/p")
    assert [a.title for a in batch.articles] == ["After the wait"]
    assert [f.outcome for f in batch.fetches] == ["new"]
    assert len(starts) == 2 and starts[1] - starts[0] >= 0.95  # waited as asked, not our 10 ms backoff


def test_gbk_page_without_a_charset_header_is_decoded():
    with LoopbackServer({"/gbk": Route(GBK, headers={"Content-Type": "text/html"})}) as server:
        source = SourceConfig(name="gbk", kind="urls", urls=(server.url("/gbk"),))
        batch = collect_source(source, {}, fast_fetcher())
    assert [a.title for a in batch.articles] == ["中芯扩产"]
    assert "75 亿美元" in batch.articles[0].body_text


def test_malformed_but_recoverable_feed_still_yields_its_pages():
    with LoopbackServer({"/a": Route(page("From a broken feed", ["Meta raised its capex guidance."]))}) as server:
        broken = rss(server.base_url, ["/a"]).replace(b"</channel></rss>", b"<item><title>cut off")
        server.routes["/feed"] = Route(broken, headers={"Content-Type": "application/rss+xml"})
        source = SourceConfig(name="broken-feed", kind="rss", url=server.url("/feed"))
        batch = collect_source(source, {}, fast_fetcher())
    assert [a.title for a in batch.articles] == ["From a broken feed"]
    assert [(f.url.rsplit("/", 1)[-1], f.outcome) for f in batch.fetches] == [("feed", "skipped"), ("a", "new")]


@pytest.mark.parametrize("body, content_type", [
    (b"<html><body><p>not a feed</p></body></html>", "text/html"),
    (b"\x00\x01garbage", "application/xml"),
    (b"", "application/rss+xml"),
])
def test_unusable_feed_is_one_error_line_for_the_source(body, content_type):
    with LoopbackServer({"/feed": Route(body, headers={"Content-Type": content_type})}) as server:
        source = SourceConfig(name="bad-feed", kind="rss", url=server.url("/feed"))
        batch = collect_source(source, {}, fast_fetcher())
    assert batch.articles == []
    assert [(f.outcome, f.error.split(":")[0]) for f in batch.fetches] == [("error", "FeedError")]


def test_every_fault_in_one_source_across_hosts_lands_the_good_pages(tmp_path):
    """The single-route faults in one source, over two hosts and a dead one: the good pages land in DuckDB,
    raw.fetch_log has one line per URL with its reason, in source order although hosts ran in parallel."""
    single = [(case, routes["/bad"], outcome, message) for case, routes, outcome, message, _ in CASES
              if list(routes) == ["/bad"]]
    bad_routes = {f"/fault{i}": route for i, (_, route, _, _) in enumerate(single)}
    loop = {"/loop1": redirect("/loop2"), "/loop2": redirect("/loop1")}
    with LoopbackServer({**bad_routes, **loop, "/good1": Route(page("Good one", ["Amazon invests $5 billion."]))}) as one, \
            LoopbackServer({"/good2": Route(page("Good two", ["Apple invests $1 billion."])),
                            "/gbk": Route(GBK, headers={"Content-Type": "text/html"})}) as two:
        expected = {one.url("/good1"): ("new", None), two.url("/good2"): ("new", None), two.url("/gbk"): ("new", None),
                    dead_url("/x"): ("error", r"Connection refused"), one.url("/loop1"): ("error", r"redirect loop")}
        expected.update({one.url(path): (outcome, message)
                         for path, (_, _, outcome, message) in zip(bad_routes, single)})
        urls = sorted(expected, key=lambda url: (url.endswith(("good2", "gbk")), url))  # mix the hosts
        source = SourceConfig(name="all-faults", kind="urls", urls=tuple(urls))
        started = time.monotonic()
        batch = collect_source(source, {}, fast_fetcher())
        took = time.monotonic() - started
    with connect(tmp_path / "w.duckdb") as con:
        ensure_raw_schema(con)
        upsert_articles(con, batch.articles, datetime(2026, 3, 3))
        append_fetch_log(con, batch.fetches)
        titles = [t for (t,) in con.execute("select title from raw.articles order by title").fetchall()]
        log = con.execute("select url, outcome, error from raw.fetch_log").fetchall()
    assert titles == ["Good one", "Good two", "中芯扩产"]
    assert [f.url for f in batch.fetches] == urls  # discovery order kept
    assert len(log) == len(urls)
    for url, outcome, error in log:
        want_outcome, want_message = expected[url]
        assert outcome == want_outcome, (url, outcome, error)
        assert (error is None) if want_message is None else re.search(want_message, error), (url, error)
    assert took < 30, f"one source with every fault took {took:.1f} s"


@pytest.mark.parametrize("value, seconds", [
    ("0", 0.0),
    ("120", 120.0),
    (" 7 ", 7.0),
    ("Wed, 21 Oct 2026 07:28:30 GMT", 30.0),  # an HTTP date 30 s after `now`
    ("Wed, 21 Oct 2026 07:27:00 GMT", 0.0),  # in the past: no wait
    ("soon", None),
    ("", None),
    (None, None),
])
def test_retry_after_reads_seconds_and_http_dates(value, seconds):
    now = datetime(2026, 10, 21, 7, 28, 0, tzinfo=timezone.utc)
    assert parse_retry_after(value, now) == seconds


@pytest.mark.parametrize("attempt, rand, retry_after, expected", [
    (1, 0.0, None, 0.25),  # 0.5 x base: the low end of the jitter
    (1, 1.0, None, 0.75),  # 1.5 x base: the high end
    (3, 0.5, None, 2.0),  # base doubles per attempt
    (1, 0.5, 4.0, 4.0),  # Retry-After longer than the backoff wins
    (3, 0.5, 0.1, 2.0),  # ... and never shortens it
])
def test_retry_delay_is_exponential_with_jitter_and_respects_retry_after(attempt, rand, retry_after, expected):
    assert retry_delay(attempt, 0.5, retry_after, rand=lambda: rand) == pytest.approx(expected)


def test_retry_delays_are_jittered():
    assert len({round(retry_delay(2, 1.0), 6) for _ in range(20)}) > 1
    assert all(1.0 <= retry_delay(2, 1.0) <= 3.0 for _ in range(50))

