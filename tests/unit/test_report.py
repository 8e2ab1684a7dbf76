"""The analyst report built from real DuckDB files: empty, missing, hand-made marts (old and new column names)."""

import re
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest
from plotly.offline import get_plotlyjs

from warehouse.report import build_report
from warehouse.report.build import DATED_PREFIX, KEEP_DATED
from warehouse.report.charts import cycle_edges, load_report_data, parse_cycle_path, Cycle, usd, usd_range
from warehouse.report.page import safe_href

NOW = datetime(2026, 5, 2, 8, 30, tzinfo=timezone.utc)
EVIL = "<img src=x onerror=alert(1)>"
SECTIONS = ("capex", "revisions", "deals", "flows", "cycles", "health")
PLOTLY_HEAD = get_plotlyjs()[:200]


def _html(result) -> str:
    return result.html_path.read_text(encoding="utf-8")


def _empty_sections(html: str) -> set[str]:
    return set(re.findall(r'<div class="empty" data-section="([^"]+)">No data yet', html))


def _sql(path: Path, statements: str) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute(statements)
    finally:
        con.close()


# The agreed mart contract, as the new marts spell it.
MARTS_DDL = """
create schema marts; create schema raw;
create table marts.deals (deal_id varchar, deal_type varchar, investor varchar, target varchar, status varchar,
    amount_usd double, amount_min_usd double, amount_max_usd double, valuation_usd double,
    first_reported_at timestamp, last_reported_at timestamp, deal_year integer, n_articles integer,
    n_sources integer, mention_ids varchar[], urls varchar[]);
create table marts.fct_deal_mentions (mention_id varchar, article_id varchar, article_url varchar, source varchar,
    published_at timestamp, evidence_sentence varchar);
create table marts.capex (company varchar, period varchar, figure_kind varchar, low_usd double, high_usd double,
    currency_original varchar, as_of date, article_url varchar, evidence_sentence varchar);
create table marts.capex_revisions (company varchar, period varchar, revised_at date, previous_low_usd double,
    previous_high_usd double, new_low_usd double, new_high_usd double, direction varchar, source varchar,
    article_url varchar);
create table marts.money_flows (from_company varchar, to_company varchar, flow_type varchar, amount_usd double,
    deal_id varchar, evidence_sentence varchar, article_url varchar);
create table marts.circular_deals (cycle_id varchar, cycle_length integer, cycle_path varchar, company_a varchar,
    company_b varchar, invested_usd double, committed_usd double, evidence varchar);
create table raw.articles (article_id varchar, url varchar, source varchar, title varchar, published_at timestamp,
    last_fetched_at timestamp);
create table raw.fetch_log (source varchar, url varchar, started_at timestamp, outcome varchar, error varchar)
"""

ROWS = f"""
insert into marts.deals values
 ('d1', 'equity', 'NVIDIA', 'OpenAI', 'announced', 100e9, 100e9, 100e9, null, '2025-10-08 01:45', null, 2025, 2, 2,
  ['m1', 'm2'], []),
 ('d2', 'contract', 'OpenAI', 'NVIDIA', 'completed', 30e9, null, null, null, '2025-11-04', null, 2025, 1, 1, ['m3'], []),
 ('d3', 'funding_round', null, '{EVIL}', 'talks', 5e9, 4e9, 6e9, null, '2026-01-07', null, 2026, 1, 1, ['m4'], []),
 ('d4', 'acquisition', 'SoftBank', '英伟达', 'cancelled', 30e9, null, null, null, '2026-01-20', null, 2026, 1, 1, [], []),
 ('d5', 'fund', 'Aker', 'Nscale', null, null, null, null, null, null, null, null, 1, 1, [], []);
insert into marts.fct_deal_mentions values
 ('m1', 'a1', 'https://news.example/nvidia-openai', 'wire', '2025-10-08', 'NVIDIA will invest up to $100 billion.'),
 ('m2', 'a2', 'javascript:alert(1)', 'blog', '2025-10-09', 'A second report {EVIL}.'),
 ('m3', 'a1', 'https://news.example/nvidia-openai', 'wire', '2025-11-04', 'OpenAI buys chips.'),
 ('m4', 'a3', 'https://news.example/round', 'wire', '2026-01-07', 'The round values it at $5bn.');
insert into marts.capex values
 ('Meta', '2026', 'guidance', 125e9, 145e9, 'USD', '2026-04-30', 'https://news.example/meta', 'Meta raised its range.'),
 ('Meta', '2025', 'actual', 72e9, 72e9, 'USD', '2026-01-29', 'https://news.example/meta-q4', null),
 ('Meta', '2026', 'guidance', 115e9, 135e9, 'USD', '2026-01-29', 'https://news.example/meta-old', null),
 ('Microsoft', 'FY2026', 'guidance', 140e9, null, 'USD', '2026-02-07', null, null);
insert into marts.capex_revisions values
 ('Meta', '2026', '2026-04-30', 115e9, 135e9, 125e9, 145e9, 'raised', 'wire', 'https://news.example/meta');
insert into marts.money_flows values
 ('NVIDIA', 'OpenAI', 'investment', 100e9, 'd1', null, null),
 ('OpenAI', 'NVIDIA', 'purchase_commitment', 30e9, 'd2', null, null),
 ('SoftBank', '英伟达', 'investment', 30e9, 'd4', null, null);
insert into marts.circular_deals values
 ('c1', 2, 'NVIDIA -> OpenAI -> NVIDIA', 'NVIDIA', 'OpenAI', 100e9, 30e9, 'NVIDIA invests; OpenAI buys chips.');
insert into raw.articles values
 ('a1', 'https://news.example/nvidia-openai', 'wire', 'NVIDIA and OpenAI', '2026-04-30 10:00', '2026-05-01'),
 ('a2', 'https://blog.example/x', 'blog', 'Blog', '2025-10-09', '2026-05-01'),
 ('a3', 'https://news.example/round', 'wire', 'Round', '2026-01-07', '2026-05-01');
insert into raw.fetch_log values
 ('wire', 'https://news.example/nvidia-openai', '2026-05-01 06:00', 'new', null),
 ('blog', 'https://blog.example/gone', '2026-05-01 06:01', 'error', 'HTTP 503 after 3 attempts')
"""


@pytest.fixture
def marts_db(tmp_path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    _sql(path, MARTS_DDL + ";" + ROWS)
    return path


def _query(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# ---------------------------------------------------------------- empty warehouses


@pytest.mark.parametrize("kind", ["missing file", "no marts", "marts with zero rows"])
def test_empty_warehouse_builds_a_page_with_no_data_sections(tmp_path, kind):
    path = tmp_path / "wh.duckdb"
    if kind == "no marts":
        _sql(path, "create schema raw; create table raw.articles (article_id varchar)")
    elif kind == "marts with zero rows":
        _sql(path, MARTS_DDL)
    result = build_report(path, tmp_path / "reports", NOW)
    html = _html(result)
    assert result.html_path == tmp_path / "reports" / "latest.html"
    assert result.dated_path.name == f"{DATED_PREFIX}20260502-083000.html"
    assert result.dated_path.read_text(encoding="utf-8") == html
    assert result.pngs == {} and not list((tmp_path / "reports").glob("*.png"))
    expected_empty = {"capex", "revisions", "deals", "top-deals", "flows", "cycles"}
    if kind == "missing file":
        expected_empty.add("health")
    assert expected_empty <= _empty_sections(html)
    assert not re.search(r'<div id="chart-', html)
    assert result.headline["deals"] == "0"


def test_missing_file_says_where_the_warehouse_should_be(tmp_path):
    data = load_report_data(tmp_path / "nowhere.duckdb")
    assert set(data.gaps) == set(SECTIONS)
    assert all("nowhere.duckdb" in why for why in data.gaps.values())


def test_a_stale_png_is_removed_when_its_chart_has_no_data(tmp_path, marts_db):
    out = tmp_path / "reports"
    assert "capex" in build_report(marts_db, out, NOW).pngs
    _sql(marts_db, "delete from marts.capex")
    result = build_report(marts_db, out, NOW)
    assert "capex" not in result.pngs and not (out / "capex.png").exists()
    assert "deals_by_month" in result.pngs


# ---------------------------------------------------------------- a hand-made warehouse


def test_report_from_hand_made_marts(tmp_path, marts_db):
    result = build_report(marts_db, tmp_path / "reports", NOW)
    html = _html(result)
    # every section has data
    assert _empty_sections(html) == set()
    for chart in ("chart-capex", "chart-revisions", "chart-deals", "chart-flows", "chart-health"):
        assert f'id="{chart}"' in html
    # plotly.js embedded exactly once, nothing fetched from the network
    assert html.count(PLOTLY_HEAD) == 1
    assert not re.search(r"<script[^>]+src=", html) and not re.search(r"<link[^>]+href=", html)
    # top deals in the order the marts give
    expected = [r[0] for r in _query(marts_db, "select deal_id from marts.deals order by amount_usd desc nulls last, "
                                               "deal_id limit 20")]
    assert re.findall(r'<tr data-deal-id="([^"]+)"', html) == expected
    # sources: link and evidence sentence; a javascript: URL is shown, never linked
    assert '<a href="https://news.example/nvidia-openai">' in html
    assert "NVIDIA will invest up to $100 billion." in html
    assert 'href="javascript:' not in html
    # text from the data is escaped everywhere, including inside the plotly JSON
    assert EVIL not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    # PNGs of the main charts, real images
    assert set(result.pngs) == {"capex", "capex_revisions", "deals_by_month", "money_flows"}
    for path in result.pngs.values():
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
    # no temporary files left behind
    assert not [p for p in (tmp_path / "reports").iterdir() if p.name.startswith(".")]


def test_headline_numbers(marts_db):
    from warehouse.report.build import headline_numbers

    data = load_report_data(marts_db)
    headline, numbers = headline_numbers(data)
    total = _query(marts_db, "select sum(amount_usd) from marts.deals where status is distinct from 'cancelled'")[0][0]
    assert numbers["deal_value_usd"] == total
    assert numbers["deals"] == _query(marts_db, "select count(*) from marts.deals")[0][0]
    assert numbers["circular_deals"] == 1 and numbers["fetch_errors"] == 1
    assert headline["largest deal"] == "NVIDIA → OpenAI $100bn"
    assert headline["newest article"] == "2026-04-30"


def test_latest_guidance_stands_next_to_the_actual(marts_db):
    rows = {(r.company, r.period): r for r in load_report_data(marts_db).capex}
    meta_2026 = rows[("Meta", "2026")]
    assert (meta_2026.guidance.low_usd, meta_2026.guidance.high_usd) == (125e9, 145e9)  # the raised range
    assert meta_2026.actual is None and rows[("Meta", "2025")].actual.low_usd == 72e9
    assert rows[("Microsoft", "FY2026")].guidance.high_usd is None


def test_circular_edges_are_flagged(marts_db):
    data = load_report_data(marts_db)
    flags = {(f.from_company, f.to_company): f.circular for f in data.flows}
    assert flags == {("NVIDIA", "OpenAI"): True, ("OpenAI", "NVIDIA"): True, ("SoftBank", "英伟达"): False}
    assert data.flows_origin == "marts.money_flows"


def test_sources_reach_fct_deal_mentions_through_mention_ids(marts_db):
    sources = load_report_data(marts_db).deal_sources
    assert [s.url for s in sources["d1"]] == ["https://news.example/nvidia-openai", "javascript:alert(1)"]
    assert sources["d1"][0].title == "NVIDIA and OpenAI"
    assert "d4" not in sources  # no mention ids, no sources


def test_todays_mart_column_names_are_read_too(tmp_path):
    """Before the marts are extended: capex_kind / amount_*_usd / first_seen, flows derived from deals."""
    path = tmp_path / "old.duckdb"
    _sql(path, """
        create schema marts;
        create table marts.deals (deal_id varchar, investor varchar, target varchar, deal_type varchar, status varchar,
            amount_usd double, amount_min_usd double, amount_max_usd double, first_seen timestamp,
            n_articles integer, mention_ids varchar[], urls varchar[]);
        create table marts.capex (company varchar, period varchar, capex_kind varchar, amount_low_usd double,
            amount_high_usd double, current_reported_at timestamp, current_url varchar);
        insert into marts.deals values
            ('x', 'OpenAI', 'Oracle', 'contract', 'announced', 300e9, 300e9, 300e9, '2025-10-08', 1, ['m'],
             ['https://news.example/oracle']),
            ('y', 'SoftBank', 'OpenAI', 'equity', 'cancelled', 1e9, 1e9, 1e9, '2025-10-09', 1, ['n'], []);
        insert into marts.capex values ('Amazon', '2026', 'plan', 200e9, 200e9, '2026-02-06', 'https://a.example/')
    """)
    result = build_report(path, tmp_path / "reports", NOW)
    data = load_report_data(path)
    assert [(r.company, r.guidance.low_usd) for r in data.capex] == [("Amazon", 200e9)]
    assert [(f.from_company, f.to_company, f.flow_type) for f in data.flows] == [
        ("OpenAI", "Oracle", "purchase_commitment")]  # the cancelled deal moved no money
    assert "marts.money_flows is not built yet" in data.flows_origin
    assert data.deal_sources["x"][0].url == "https://news.example/oracle"
    html = _html(result)
    assert {"revisions", "cycles"} <= _empty_sections(html) and "capex" not in _empty_sections(html)
    assert re.findall(r'<tr data-deal-id="([^"]+)"', html) == ["x", "y"]


def test_old_dated_copies_are_pruned(tmp_path, marts_db):
    out = tmp_path / "reports"
    out.mkdir()
    for i in range(KEEP_DATED + 5):
        (out / f"{DATED_PREFIX}20250101-{i:06d}.html").write_text("old")
    result = build_report(marts_db, out, NOW)
    dated = sorted(out.glob(f"{DATED_PREFIX}*.html"))
    assert len(dated) == KEEP_DATED and dated[-1] == result.dated_path


# ---------------------------------------------------------------- pure helpers


@pytest.mark.parametrize("path, expected", [
    ("NVIDIA -> OpenAI -> NVIDIA", ("NVIDIA", "OpenAI")),
    ("A → B → C → A", ("A", "B", "C")),
    (["A", "B", "A"], ("A", "B")),
    ("Foo, Inc. -> Bar -> Foo, Inc.", ("Foo, Inc.", "Bar")),
    ("A, B", ("A", "B")),
    (None, ()),
])
def test_parse_cycle_path(path, expected):
    assert parse_cycle_path(path) == expected


def test_cycle_edges_cover_both_directions_of_a_pair_and_close_a_triangle():
    edges = cycle_edges([Cycle("1", ("A", "B"), None, None, None), Cycle("2", ("C", "D", "E"), None, None, None)])
    assert edges == {("A", "B"), ("B", "A"), ("C", "D"), ("D", "E"), ("E", "C")}


@pytest.mark.parametrize("url, expected", [
    ("https://news.example/a?b=1", "https://news.example/a?b=1"),
    ("http://news.example/", "http://news.example/"),
    ("javascript:alert(1)", None),
    ("data:text/html,hi", None),
    ("file:///srv/corpus/a.html", "file:///srv/corpus/a.html"),
    ("", None),
    (None, None),
])
def test_safe_href(url, expected):
    assert safe_href(url) == expected


def test_safe_href_resolves_corpus_relative_file_links():
    href = safe_href("file:ingest/sample_corpus/en_01.html")
    assert href.startswith("file:///") and href.endswith("/ingest/sample_corpus/en_01.html")


@pytest.mark.parametrize("value, expected", [
    (300e9, "$300bn"), (1.25e12, "$1.2tn"), (23.6e9, "$23.6bn"), (846.75e6, "$846.8m"), (5000, "$5,000"),
    (None, "–"),
])
def test_usd(value, expected):
    assert usd(value) == expected


@pytest.mark.parametrize("low, high, expected", [
    (125e9, 145e9, "$125bn – $145bn"), (200e9, 200e9, "$200bn"), (140e9, None, "≥ $140bn"),
    (None, 100e9, "≤ $100bn"), (None, None, "–"),
])
def test_usd_range(low, high, expected):
    assert usd_range(low, high) == expected
