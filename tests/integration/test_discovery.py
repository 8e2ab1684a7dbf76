"""Discovery kinds over real loopback HTTP: sitemaps (index, news, gzip, depth bound), listing pages with
pagination, and per-source CSS selectors for the article pages."""

from __future__ import annotations

import gzip
from datetime import datetime, timedelta, timezone

import pytest

from ingest.collect import collect_source
from ingest.discover import SitemapError, listing_links, newest_first, parse_sitemap
from ingest.fetch import Fetcher
from ingest.sources import SourceConfig
from tests.http_fixtures import LoopbackServer, Route, gzipped
from tests.integration.test_http_ingest import page

SM = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
IMAGE = 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"'
XML = {"Content-Type": "application/xml"}


def fetcher() -> Fetcher:
    return Fetcher(backoff_s=0.01, min_host_interval_s=0, read_timeout_s=2)


def urlset(base: str, entries: list[tuple[str, str | None]], news: bool = False) -> bytes:
    """A <urlset>; with news=True the dates go in news:publication_date, else in lastmod."""
    items = []
    for path, date in entries:
        if news:
            extra = (f"<news:news><news:publication><news:name>Loop</news:name><news:language>en</news:language>"
                     f"</news:publication><news:publication_date>{date}</news:publication_date>"
                     f"<news:title>t</news:title></news:news>")
        else:
            extra = f"<lastmod>{date}</lastmod>" if date else ""
        items.append(f"<url><loc>{base}{path}</loc>{extra}<image:image><image:loc>{base}/img{path}.jpg</image:loc>"
                     f"</image:image></url>")
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {SM} {NEWS} {IMAGE}>{"".join(items)}</urlset>'.encode()


def sitemap_index(base: str, entries: list[tuple[str, str | None]]) -> bytes:
    items = "".join(f"<sitemap><loc>{base}{path}</loc>" + (f"<lastmod>{date}</lastmod>" if date else "") + "</sitemap>"
                    for path, date in entries)
    return f'<?xml version="1.0"?><sitemapindex {SM}>{items}</sitemapindex>'.encode()


def article(title: str) -> Route:
    return Route(page(title, [f"{title}: Microsoft will invest $10 billion in new data centres."]))


# ---------------------------------------------------------------- sitemap parsing (pure)

@pytest.mark.parametrize("content, kind, urls", [
    (urlset("http://s", [("/a", "2026-03-01"), ("/b", None)]), "urlset", ["http://s/a", "http://s/b"]),
    (sitemap_index("http://s", [("/1.xml", None), ("/2.xml.gz", "2026-01-01")]), "index",
     ["http://s/1.xml", "http://s/2.xml.gz"]),
    (gzip.compress(urlset("http://s", [("/z", None)])), "urlset", ["http://s/z"]),  # .xml.gz bytes
    (b"http://s/t1\n\nhttps://s/t2\r\nnot a url\n", "urlset", ["http://s/t1", "https://s/t2"]),  # text sitemap
    (urlset("http://s", [("/a", None), ("/a", None)]), "urlset", ["http://s/a"]),  # duplicates once
    (urlset("http://s", [("/a", None), ("/b", None)])[:-40], "urlset", ["http://s/a", "http://s/b"]),  # truncated
    (b'<?xml version="1.0"?><urlset><url><loc>http://s/no-ns</loc></url></urlset>', "urlset", ["http://s/no-ns"]),
    (b'<urlset><url><loc> http://s/space </loc></url><url><loc>ftp://s/x</loc></url></urlset>', "urlset",
     ["http://s/space"]),
])
def test_parse_sitemap_kinds_and_repairs(content, kind, urls):
    sitemap = parse_sitemap(content)
    assert (sitemap.kind, [e.url for e in sitemap.entries]) == (kind, urls)


@pytest.mark.parametrize("content, message", [
    (b"<html><body>no</body></html>", "neither <urlset> nor <sitemapindex>"),
    (b"<urlset></urlset>", "no <loc>"),
    (b"just words, no urls", "neither XML nor a text list"),
    (b"\x1f\x8b\x08garbage", "broken gzip"),
    (b"", "malformed"),
])
def test_parse_sitemap_rejects_what_is_not_a_sitemap(content, message):
    with pytest.raises(SitemapError, match=message):
        parse_sitemap(content)


def test_parse_sitemap_never_resolves_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("http://leak/secret", encoding="utf-8")
    doc = (f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file://{secret}">]>'
           f'<urlset {SM}><url><loc>&x;</loc></url><url><loc>http://s/ok</loc></url></urlset>').encode()
    assert [e.url for e in parse_sitemap(doc).entries] == ["http://s/ok"]


def test_parse_sitemap_caps_what_gzip_inflates_to():
    bomb = gzip.compress(b"<urlset>" + b" " * (2 * 1024 * 1024) + b"</urlset>")
    with pytest.raises(SitemapError, match="inflates to more than"):
        parse_sitemap(bomb, max_bytes=1024 * 1024)


def test_news_publication_date_orders_entries_newest_first_and_converts_to_utc():
    content = urlset("http://s", [("/old", "2026-03-01T08:00:00+08:00"), ("/new", "2026-03-02T01:00:00Z")], news=True)
    entries = newest_first(parse_sitemap(content).entries)
    assert [(e.url, e.date) for e in entries] == [("http://s/new", datetime(2026, 3, 2, 1, 0)),
                                                  ("http://s/old", datetime(2026, 3, 1, 0, 0))]


# ---------------------------------------------------------------- sitemaps over HTTP

def test_sitemap_index_with_gzip_and_news_sitemaps_lands_newest_articles_first():
    routes = {f"/{name}": article(f"Story {name}") for name in ("n1", "n2", "g1", "o1", "o2")}
    with LoopbackServer(routes) as server:
        base = server.base_url
        routes["/sitemap_index.xml"] = Route(sitemap_index(base, [
            ("/sitemap-old.xml", "2025-01-01"), ("/sitemap-news.xml", "2026-03-02"),
            ("/sitemap-2026.xml.gz", "2026-02-01")]), headers=XML)
        routes["/sitemap-news.xml"] = gzipped(urlset(base, [("/n1", "2026-03-02T08:00:00Z"),
                                                            ("/n2", "2026-03-02T09:00:00Z")], news=True))
        routes["/sitemap-2026.xml.gz"] = gzipped(urlset(base, [("/g1", "2026-02-10")]), as_file=True)
        routes["/sitemap-old.xml"] = Route(urlset(base, [("/o1", "2025-01-01"), ("/o2", None)]), headers=XML)
        source = SourceConfig(name="sm", kind="sitemap", url=base + "/sitemap_index.xml", max_articles=4)
        batch = collect_source(source, {}, fetcher())
        served = dict(server.hits)
    assert [a.title for a in batch.articles] == ["Story n2", "Story n1", "Story g1", "Story o1"]
    assert "/o2" not in served and not any(path.startswith("/img") for path in served)  # image:loc is no page
    index_log = [(f.url.rsplit("/", 1)[-1], f.outcome, f.error) for f in batch.fetches if "sitemap" in f.url]
    assert index_log == [("sitemap_index.xml", "skipped", "sitemap index: 3 entries"),
                         ("sitemap-news.xml", "skipped", "sitemap urlset: 2 entries"),
                         ("sitemap-2026.xml.gz", "skipped", "sitemap urlset: 1 entries"),
                         ("sitemap-old.xml", "skipped", "sitemap urlset: 2 entries")]


def test_sitemap_depth_is_bounded_and_a_failing_child_costs_only_itself():
    routes = {"/a": article("A"), "/deep": article("Deep")}
    with LoopbackServer(routes) as server:
        base = server.base_url
        routes["/index.xml"] = Route(sitemap_index(base, [("/nested-index.xml", None), ("/broken.xml", None),
                                                          ("/pages.xml", None)]), headers=XML)
        routes["/nested-index.xml"] = Route(sitemap_index(base, [("/deep.xml", None)]), headers=XML)
        routes["/deep.xml"] = Route(urlset(base, [("/deep", None)]), headers=XML)
        routes["/broken.xml"] = Route(b"oops", status=500)
        routes["/pages.xml"] = Route(urlset(base, [("/a", None)]), headers=XML)
        source = SourceConfig(name="sm", kind="sitemap", url=base + "/index.xml", max_depth=2)
        batch = collect_source(source, {}, Fetcher(backoff_s=0.01, min_host_interval_s=0, max_attempts=1))
        served = dict(server.hits)
    assert [a.title for a in batch.articles] == ["A"]
    assert "/deep.xml" not in served
    log = {f.url.rsplit("/", 1)[-1]: (f.outcome, f.error) for f in batch.fetches}
    assert log["nested-index.xml"] == ("skipped", "sitemap index: 1 entries, not followed (max_depth 2)")
    assert log["broken.xml"][0] == "error" and "HTTP 500" in log["broken.xml"][1]


def test_unusable_top_sitemap_is_one_error_line():
    with LoopbackServer({"/sitemap.xml": Route(b"<html>nope</html>", headers={"Content-Type": "text/html"})}) as server:
        batch = collect_source(SourceConfig(name="sm", kind="sitemap", url=server.url("/sitemap.xml")), {}, fetcher())
    assert [(f.outcome, f.error.split(":")[0]) for f in batch.fetches] == [("error", "SitemapError")]


# ---------------------------------------------------------------- listing pages

def listing(links: list[str], next_href: str | None) -> Route:
    items = "".join(f'<li class="story"><span>new</span> <a href="{href}">{href}</a></li>' for href in links)
    more = f'<a class="next" href="{next_href}">Next</a>' if next_href else ""
    nav = '<div class="nav"><a href="/about">About</a></div>'
    return Route(f"<html><body>{nav}<ul>{items}</ul>{more}</body></html>".encode())


def test_listing_pages_are_followed_up_to_max_pages():
    routes = {"/news": listing(["/s1", "s2#comments", "/s1"], "/news?page=2"),
              "/news?page=2": listing(["/s3", "/s2"], "/news?page=3"),
              "/news?page=3": listing(["/s4"], "/news?page=4"),
              "/news?page=4": listing(["/s5"], None),
              **{f"/s{i}": article(f"S{i}") for i in range(1, 6)}}
    with LoopbackServer(routes) as server:
        source = SourceConfig(name="ls", kind="listing", url=server.url("/news"), link_selector="li.story",
                              next_selector="a.next", max_pages=3)
        batch = collect_source(source, {}, fetcher())
        served = dict(server.hits)
    assert [a.title for a in batch.articles] == ["S1", "S2", "S3", "S4"]
    assert "/news?page=4" not in served and "/s5" not in served and "/about" not in served
    pages = [(f.url.rsplit("/", 1)[-1], f.error) for f in batch.fetches if "news" in f.url]
    assert pages == [("news", "listing page 1: 2 new links"), ("news?page=2", "listing page 2: 1 new links"),
                     ("news?page=3", "listing page 3: 1 new links")]


def test_listing_stops_at_max_articles_and_on_a_next_link_loop():
    routes = {"/news": listing(["/s1", "/s2"], "/news?p=2"), "/news?p=2": listing(["/s3"], "/news"),
              **{f"/s{i}": article(f"S{i}") for i in range(1, 4)}}
    with LoopbackServer(routes) as server:
        looped = collect_source(SourceConfig(name="ls", kind="listing", url=server.url("/news"),
                                             link_selector="li.story a", next_selector=".next", max_pages=10),
                                {}, fetcher())
        assert server.hits["/news"] == 1  # the loop back to page 1 is not followed
        capped = collect_source(SourceConfig(name="ls", kind="listing", url=server.url("/news"),
                                             link_selector="li.story a", next_selector=".next", max_articles=2),
                                {}, fetcher())
        assert server.hits["/news?p=2"] == 1  # enough links after page 1: page 2 not read again
    assert [a.title for a in looped.articles] == ["S1", "S2", "S3"]
    assert [a.title for a in capped.articles] == ["S1", "S2"]


def test_listing_without_matching_links_is_an_error():
    with LoopbackServer({"/news": listing(["/s1"], None)}) as server:
        batch = collect_source(SourceConfig(name="ls", kind="listing", url=server.url("/news"),
                                            link_selector="article h2 a"), {}, fetcher())
    assert [(f.outcome, f.error) for f in batch.fetches] == [
        ("error", f"DiscoveryError: listing: no link matched 'article h2 a' on {server.url('/news')}")]


@pytest.mark.parametrize("html, selector, next_selector, links, next_url", [
    ('<a class="t" href="/x">x</a><a href="/y">y</a>', "a.t", None, ["http://h/x"], None),
    ('<h2><a href="rel">r</a></h2>', "h2", None, ["http://h/dir/rel"], None),
    ('<base href="http://cdn/base/"><h2><a href="p">p</a></h2>', "h2 a", None, ["http://cdn/base/p"], None),
    ('<h2><a href="javascript:void(0)">j</a><a href="mailto:a@b">m</a></h2><h2>no link</h2>', "h2", None, [], None),
    ('<h2><a href="/x#top">x</a></h2><h2><a href="/x">x</a></h2>', "h2 a", None, ["http://h/x"], None),
    ('<h2><a href="/x">x</a></h2><a rel="next" href="?page=2">more</a>', "h2 a", "a[rel=next]",
     ["http://h/x"], "http://h/dir/page?page=2"),
    ('<h2><a href="/x">x</a></h2>', "h2 a", "a.next", ["http://h/x"], None),
])
def test_listing_links(html, selector, next_selector, links, next_url):
    assert listing_links(html, "http://h/dir/page", selector, next_selector) == (links, next_url)


# ---------------------------------------------------------------- selectors and the fetch time

def test_source_selectors_pick_title_body_and_a_relative_date_anchored_at_fetch_time():
    html = ("<html><head><title>Site name | Section</title></head><body>"
            "<div class='promo'><h1>Subscribe today</h1><p>Get our newsletter with the best stories every day.</p>"
            "<p>Readers love it, and it is free.</p></div>"
            "<div class='story'><h2 class='headline'>Oracle wins a $30 billion cloud deal</h2>"
            "<span class='when'>3 hours ago</span>"
            "<div class='text'><p>Oracle signed a cloud contract worth $30 billion a year.</p></div></div>"
            "</body></html>").encode()
    with LoopbackServer({"/p": Route(html)}) as server:
        plain = SourceConfig(name="plain", kind="urls", urls=(server.url("/p"),))
        tuned = SourceConfig(name="tuned", kind="urls", urls=(server.url("/p"),),
                             selectors={"title": ".headline", "body": ".story .text", "date": ".when"})
        before = datetime.now(timezone.utc).replace(tzinfo=None)
        heuristic = collect_source(plain, {}, fetcher()).articles[0]
        selected = collect_source(tuned, {}, fetcher()).articles[0]
        after = datetime.now(timezone.utc).replace(tzinfo=None)
    assert selected.title == "Oracle wins a $30 billion cloud deal"
    assert selected.body_text == "Oracle signed a cloud contract worth $30 billion a year."
    assert before - timedelta(hours=3, minutes=1) <= selected.published_at <= after - timedelta(hours=3) + timedelta(minutes=1)
    assert (heuristic.title, heuristic.published_at) != (selected.title, selected.published_at)
