"""The benchmark corpus: deterministic by seed, and every page parses to the facts it was written with."""

from __future__ import annotations

import pytest

from bench.corpus import LANGS, make_article, write_corpus
from ingest.extract import extract_facts
from ingest.parse import parse_html


def test_same_seed_same_bytes_other_seed_other_bytes():
    assert make_article(7, 3).html == make_article(7, 3).html
    assert make_article(7, 3).facts == make_article(7, 3).facts
    assert make_article(7, 3).html != make_article(8, 3).html
    assert make_article(7, 3).html != make_article(7, 4).html


def test_write_corpus_is_deterministic(tmp_path):
    a = write_corpus(tmp_path / "a", 12, seed=5)
    b = write_corpus(tmp_path / "b", 12, seed=5)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.html"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.html"))
    assert files_a == files_b and len(files_a) == 12
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)
    assert a.n_bytes == b.n_bytes and a.n_facts == b.n_facts


def test_pages_look_like_news_pages():
    articles = [make_article(7, i) for i in range(60)]
    sizes = [len(a.html.encode("utf-8")) for a in articles]
    assert 30_000 <= sum(sizes) / len(sizes) <= 50_000
    assert {a.lang for a in articles} == set(LANGS)
    with_facts = sum(1 for a in articles if a.facts)
    assert 0.2 * len(articles) <= with_facts <= 0.6 * len(articles)
    for marker in ("<nav", "<script", 'class="share"', 'class="related"', "<footer"):
        assert marker in articles[0].html


def _key(kind, who, currency, amount, period=None):
    return (kind, who, currency, round(amount), period)


@pytest.mark.parametrize("start", [0, 40, 80])
def test_pages_parse_to_the_intended_facts(start):
    """Through the real parser and extractor: exactly the facts each page was written with."""
    for index in range(start, start + 40):
        article = make_article(7, index)
        page = parse_html(article.html)
        assert page.lang == article.lang
        assert page.published_at is not None and page.published_at.date() == article.published.date()
        facts = extract_facts(page.body_text, page.published_at.date(), page.lang)
        got = sorted(_key(f.kind, (f.company,) if f.kind == "capex" else (f.investor, f.target), f.currency,
                          f.amount_min, getattr(f, "period", None)) for f in facts)
        want = sorted(_key(f.kind, (f.company,) if f.kind == "capex" else (f.investor, f.target), f.currency,
                           f.amount, f.period) for f in article.facts)
        assert got == want, (index, [f.evidence.sentence for f in facts])


def test_refresh_figure_marks_a_skipped_dbt_step_and_reports_cpu_time():
    from bench.pipeline import RunStats, _full_figure, _refresh_figure, previous_runs

    # dbt ran as a step but publish did not: the step skipped `dbt build`.
    skipped = RunStats("no new article", wall_s=9.0, peak_tree_rss_mb=300, max_single_rss_mb=280, returncode=0,
                       steps={"ingest_sources": 1.0, "extract_mentions": 0.5, "dbt_models": 0.2},
                       cpu_s=7.5, load_before=(2.0, 1.0, 1.0), load_after=(3.0, 1.0, 1.0))
    built = RunStats("100 new articles", wall_s=30.0, peak_tree_rss_mb=400, max_single_rss_mb=380, returncode=0,
                     steps={"dbt_models": 12.0, "warehouse__published": 0.4}, cpu_s=25.0)
    rows = [line for line in _refresh_figure([(1000, skipped), (1000, built)]).lines if line.startswith("| 1,000")]
    assert "| 0.2 (skipped) |" in rows[0] and "| 7.5 |" in rows[0] and "2.0 / 3.0" in rows[0]
    assert "| 12.0 |" in rows[1] and "skipped" not in rows[1]
    # What results.json keeps is enough to rebuild the rows (bench --merge).
    full, refresh = _full_figure([(1000, built)]), _refresh_figure([(1000, skipped), (1000, built)])
    old_full, old_refresh = previous_runs({"full_run": full.data, "refresh": refresh.data})
    assert old_full == [(1000, built)] and old_refresh == [(1000, skipped), (1000, built)]


def test_sharded_sources_cover_exactly_the_first_n_articles(tmp_path):
    from bench.pipeline import _sources
    from ingest.sources import load_sources

    _sources(tmp_path / "s.yml", tmp_path / "corpus", 2500, sharded=True)
    sources = load_sources(tmp_path / "s.yml")
    assert [(s.name, s.path.rsplit("/", 1)[-1], s.max_articles) for s in sources] == [
        ("bench-000", "000", 1000), ("bench-001", "001", 1000), ("bench-002", "002", 500)]
