import pytest

from ingest.fetch import DEFAULT_USER_AGENT
from ingest.sources import SOURCE_KINDS, SourceConfigError, load_sources


def write(tmp_path, text):
    path = tmp_path / "sources.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_sources_file_enables_only_the_sample_corpus():
    sources = load_sources()
    assert [s.name for s in sources] == ["sample"]
    assert sources[0].resolved_path().is_dir()
    assert len(load_sources(include_disabled=True)) > 1


def test_bundled_sources_file_shows_every_kind():
    assert {s.kind for s in load_sources(include_disabled=True)} == set(SOURCE_KINDS)


@pytest.mark.parametrize("text, message", [
    ("sources: 3", "top-level 'sources:' list"),
    ("sources:\n  - name: a\n    kind: ftp", "'kind' must be one of directory, rss, sitemap, listing, urls"),
    ("sources:\n  - name: A B\n    kind: rss\n    url: http://x", "'name' must be"),
    ("sources:\n  - name: a\n    kind: rss", "an rss source needs 'url'"),
    ("sources:\n  - name: a\n    kind: sitemap", "a sitemap source needs 'url'"),
    ("sources:\n  - name: a\n    kind: directory", "needs 'path'"),
    ("sources:\n  - {name: a, kind: rss, url: 'http://x'}\n  - {name: a, kind: rss, url: 'http://y'}", "used twice"),
    ("sources:\n  - {name: a, kind: rss, url: 'http://x', lang: fr}", "'lang' must be"),
    ("sources: [", "cannot read"),
    ("sources:\n  - {name: a, kind: rss, url: 'ftp://x/feed'}", r"\(a\): 'url' must hold http\(s\) URLs"),
    ("sources:\n  - {name: a, kind: urls, urls: 'http://x'}", "needs a 'urls' list"),
    ("sources:\n  - {name: a, kind: urls, urls: ['http://x', 'file:///etc/passwd']}", "'urls' must hold http"),
    ("sources:\n  - {name: a, kind: listing, url: 'http://x'}", "needs 'link_selector'"),
    ("sources:\n  - {name: a, kind: listing, url: 'http://x', link_selector: 'a[href'}",
     "'link_selector' is not a valid CSS selector"),
    ("sources:\n  - {name: a, kind: rss, url: 'http://x', link_selector: 'a'}",
     "'link_selector' does not apply to a rss source"),
    ("sources:\n  - {name: a, kind: rss, url: 'http://x', max_depth: 2}", "'max_depth' does not apply"),
    ("sources:\n  - {name: a, kind: rss, url: 'http://x', selectors: {title: h1, author: .by}}",
     "unknown selector key.*author.*expected title, body, date"),
    ("sources:\n  - {name: a, kind: rss, url: 'http://x', selectors: {body: 'div >'}}",
     "'selectors.body' is not a valid CSS selector"),
    ("sources:\n  - {name: a, kind: rss, url: 'http://x', selectors: [h1]}", "'selectors' must be a mapping"),
    ("sources:\n  - {name: a, kind: rss, url: 'http://x', max_articles: 0}", "'max_articles' must be a whole number"),
    ("sources:\n  - {name: a, kind: rss, url: 'http://x', max_articles: lots}", "'max_articles' must be"),
    ("sources:\n  - {name: a, kind: listing, url: 'http://x', link_selector: a, max_pages: 1000}",
     "'max_pages' must be a whole number from 1 to 100"),
    ("sources:\n  - {name: a, kind: rss, url: 'http://x', enabled: 'no'}", "'enabled' must be true or false"),
    ("sources:\n  - {name: a, kind: rss, url: 'http://x', urll: 'http://y'}", r"unknown key\(s\) urll"),
    ("sources:\n  - {name: a, kind: rss, url: 'http://x', user_agent: 'mybot/1.0'}",
     "'user_agent' must include a contact URL or e-mail address"),
    ("sources:\n  - {name: a, kind: rss, url: 'http://x', contact: 'call me'}", "'contact' must be an http"),
    ("contact: 42\nsources:\n  - {name: a, kind: rss, url: 'http://x'}", "'contact' must be a non-empty string"),
    ("contakt: http://x\nsources: []", r"unknown top-level key\(s\) contakt"),
])
def test_malformed_sources_file_names_the_problem(tmp_path, text, message):
    with pytest.raises(SourceConfigError, match=message):
        load_sources(write(tmp_path, text))


def test_disabled_sources_are_skipped(tmp_path):
    path = write(tmp_path, "sources:\n  - {name: a, kind: rss, url: 'http://x', enabled: false}\n"
                           "  - {name: b, kind: directory, path: d}")
    assert [s.name for s in load_sources(path)] == ["b"]


def test_every_kind_with_its_options_is_read(tmp_path):
    path = write(tmp_path, """
sources:
  - name: sm
    kind: sitemap
    url: https://news.example/sitemap_index.xml
    max_depth: 2
    max_articles: 50
    lang: zh-Hant
  - name: ls
    kind: listing
    url: https://news.example/ai/
    link_selector: "ul.stories h2 > a"
    next_selector: "a[rel=next]"
    max_pages: 3
    selectors: {title: "h1.headline", body: "div.article-body", date: "time[datetime]"}
""")
    sitemap, listing = load_sources(path)
    assert (sitemap.kind, sitemap.max_depth, sitemap.max_articles, sitemap.lang) == ("sitemap", 2, 50, "zh-Hant")
    assert (listing.link_selector, listing.next_selector, listing.max_pages) == ("ul.stories h2 > a", "a[rel=next]", 3)
    assert listing.selectors == {"title": "h1.headline", "body": "div.article-body", "date": "time[datetime]"}
    assert sitemap.selectors == {} and listing.max_depth == 3  # defaults


def test_user_agent_and_contact_are_inherited_and_overridden(tmp_path):
    path = write(tmp_path, """
contact: https://ops.example/crawler
sources:
  - {name: inherits, kind: rss, url: 'http://x'}
  - {name: own-contact, kind: rss, url: 'http://x', contact: 'mailto:news@ops.example'}
  - {name: own-agent, kind: rss, url: 'http://x', user_agent: 'opsbot/2 (+https://ops.example/bot)'}
""")
    agents = [s.effective_user_agent for s in load_sources(path)]
    assert agents == ["dealwire/0.1 (+https://ops.example/crawler; news research crawler)",
                      "dealwire/0.1 (+mailto:news@ops.example; news research crawler)",
                      "opsbot/2 (+https://ops.example/bot)"]
    plain = write(tmp_path, "sources:\n  - {name: a, kind: rss, url: 'http://x'}")
    assert load_sources(plain)[0].effective_user_agent == DEFAULT_USER_AGENT


def test_a_top_level_user_agent_applies_to_every_source(tmp_path):
    path = write(tmp_path, "user_agent: 'acmebot/1 (+https://acme.example)'\nsources:\n"
                           "  - {name: a, kind: rss, url: 'http://x'}\n  - {name: b, kind: urls, urls: ['http://y']}")
    assert {s.effective_user_agent for s in load_sources(path)} == {"acmebot/1 (+https://acme.example)"}


def test_article_selectors_outside_the_parsers_css_subset_are_refused_at_load(tmp_path):
    path = tmp_path / "sources.yml"
    path.write_text("sources:\n  - name: s\n    kind: urls\n    urls: [https://example.com/a]\n"
                    "    selectors: {body: 'li:nth-child(2n+1)'}\n")
    with pytest.raises(SourceConfigError, match="selectors.body"):
        load_sources(path)
