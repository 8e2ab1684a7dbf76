"""`dealwire sources check` against real HTTP servers on 127.0.0.1 and real folders."""

import pytest

from orchestration.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from tests.http_fixtures import LoopbackServer, Route, dead_url

XML = {"Content-Type": "application/xml; charset=utf-8"}
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>a</title><link>http://example.org/a</link></item>
<item><title>b</title><link>http://example.org/b</link></item></channel></rss>"""
SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>http://example.org/1</loc></url><url><loc>http://example.org/2</loc></url>
<url><loc>http://example.org/3</loc></url></urlset>"""
LISTING = b"""<html><body><a class="story" href="/s/1">one</a><a class="story" href="/s/2">two</a>
<a href="/about">about</a></body></html>"""


@pytest.fixture
def server():
    routes = {
        "/robots.txt": Route(b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"}),
        "/feed.xml": Route(FEED, headers=XML),
        "/sitemap.xml": Route(SITEMAP, headers=XML),
        "/news": Route(LISTING),
        "/page": Route(b"<html><body><p>just a page</p></body></html>"),
        "/private/a": Route(b"<html><body>secret</body></html>"),
        "/image": Route(b"\x89PNG", headers={"Content-Type": "image/png"}),
    }
    with LoopbackServer(routes) as running:
        yield running


@pytest.fixture
def sources_file(server, tmp_path, monkeypatch):
    base = server.base_url
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    path = tmp_path / "sources.yml"
    path.write_text(f"""sources:
  - {{name: feed, kind: rss, url: '{base}/feed.xml'}}
  - {{name: map, kind: sitemap, url: '{base}/sitemap.xml'}}
  - {{name: index, kind: listing, url: '{base}/news', link_selector: 'a.story'}}
  - {{name: pages, kind: urls, urls: ['{base}/page', '{base}/other']}}
  - {{name: local, kind: directory, path: '{tmp_path / "corpus"}'}}
  - {{name: gone, kind: rss, url: '{base}/missing.xml'}}
  - {{name: private, kind: urls, urls: ['{base}/private/a']}}
  - {{name: dead, kind: rss, url: '{dead_url("/feed")}'}}
  - {{name: notafeed, kind: rss, url: '{base}/page'}}
  - {{name: picture, kind: urls, urls: ['{base}/image']}}
  - {{name: empty, kind: directory, path: '{tmp_path / "empty"}'}}
  - {{name: nowhere, kind: directory, path: '{tmp_path / "nowhere"}'}}
  - {{name: paused, kind: rss, url: '{base}/off.xml', enabled: false}}
""", encoding="utf-8")
    monkeypatch.setenv("DEALWIRE_SOURCES", str(path))
    return path


def _table(out: str) -> dict[str, dict[str, str]]:
    lines = out.splitlines()
    header = [cell.strip() for cell in lines[0].split("|")]
    rows = [[cell.strip() for cell in line.split("|")] for line in lines[2:-1]]
    return {row[0]: dict(zip(header, row)) for row in rows}


def test_check_reports_each_enabled_source_and_fails_if_any_is_unreachable(sources_file, server, capsys):
    assert main(["sources", "check"]) == EXIT_FAILED
    captured = capsys.readouterr()
    table = _table(captured.out)
    assert "paused" not in table and server.hits.get("/off.xml") is None  # disabled: not asked
    expected = {
        # name: (check, http, robots, detail starts with)
        "feed": ("ok", "200", "allowed", "feed: 2 links"),
        "map": ("ok", "200", "allowed", "sitemap urlset: 3 entries"),
        "index": ("ok", "200", "allowed", "listing: 2 links"),
        "pages": ("ok", "200", "allowed", "44 bytes (1 of 2 URLs checked)"),
        "local": ("ok", "-", "-", "1 .html/.htm/.txt files"),
        "gone": ("FAIL", "404", "allowed", "HTTP 404"),
        "private": ("FAIL", "-", "disallowed", "disallowed by robots.txt"),
        "dead": ("FAIL", "-", "-", "ConnectionError"),
        "notafeed": ("FAIL", "200", "allowed", "FeedError"),
        "picture": ("FAIL", "200", "allowed", "content type 'image/png'"),
        "empty": ("FAIL", "-", "-", "no .html/.htm/.txt files"),
        "nowhere": ("FAIL", "-", "-", "folder does not exist"),
    }
    assert set(table) == set(expected)
    for name, (check, http, robots, detail) in expected.items():
        row = table[name]
        assert (row["check"], row["http"], row["robots"]) == (check, http, robots), row
        assert row["detail"].startswith(detail), row
    assert table["feed"]["elapsed"].endswith(" ms") and table["local"]["elapsed"] == "-"
    assert "unreachable or unusable: gone, private, dead, notafeed, picture, empty, nowhere" in captured.err
    # One request per source (the second URL of `pages` is not asked), robots.txt once for the host.
    assert server.hits["/robots.txt"] == 1
    assert all(server.hits[path] == 1 for path in ("/feed.xml", "/sitemap.xml", "/news", "/missing.xml"))
    assert server.hits["/page"] == 2 and "/other" not in server.hits and "/private/a" not in server.hits


def test_check_named_sources_only_even_disabled_ones(sources_file, server, capsys):
    assert main(["sources", "check", "feed", "local"]) == EXIT_OK
    assert set(_table(capsys.readouterr().out)) == {"feed", "local"}
    assert main(["sources", "check", "paused"]) == EXIT_FAILED  # disabled, but asked for by name: checked
    assert _table(capsys.readouterr().out)["paused"]["http"] == "404"
    assert main(["sources", "check", "feed", "nosuch"]) == EXIT_USAGE
    assert "nosuch" in capsys.readouterr().err
