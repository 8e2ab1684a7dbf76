"""The report of the sample-corpus warehouse, opened from disk in headless chromium."""

import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from warehouse.report import build_report

ROOT = Path(__file__).resolve().parents[2]
CHARTS = ("chart-capex", "chart-deals", "chart-flows", "chart-health")


@pytest.fixture(scope="module")
def report(pipeline_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return build_report(pipeline_run.duckdb_path, out, datetime.now(timezone.utc))


def test_the_pipeline_run_materialized_the_report_asset(pipeline_run):
    reports = pipeline_run.data_dir / "reports"
    assert (reports / "latest.html").stat().st_size > 1_000_000  # plotly.js is embedded
    assert list(reports.glob("report-*.html"))  # plus one dated copy per run
    assert {p.name for p in reports.glob("*.png")} >= {"capex.png", "deals_by_month.png", "money_flows.png"}


def test_report_renders_offline_with_charts_and_top_deals(report, pipeline_run, page, tmp_path):
    outside = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(("file:", "data:", "blob:", "about:")) else None)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(report.html_path.as_uri())
    page.wait_for_function(
        "ids => ids.every(id => { const d = document.getElementById(id);"
        " return d && d._fullLayout && d.querySelector('.main-svg'); })", arg=list(CHARTS), timeout=60_000)

    # every chart container holds drawn marks
    drawn = page.evaluate("""ids => Object.fromEntries(ids.map(id => [id,
        document.getElementById(id).querySelectorAll('.barlayer .point path, .scatterlayer path.point, '
                                                      + '.annotation-arrow-g path').length]))""", list(CHARTS))
    assert all(n > 0 for n in drawn.values()), drawn
    flows = page.evaluate("() => document.getElementById('chart-flows').querySelectorAll('.annotation-arrow-g').length")
    n_flows = pipeline_run.query("""
        select count(*) from (select distinct from_company, to_company, flow_type from marts.money_flows
                              where from_company <> to_company)""")[0][0]
    assert flows == n_flows

    # the top-deal table lists the marts' largest deals, in order, each with its sources
    expected = pipeline_run.query("""
        select deal_id, coalesce(investor, '(undisclosed)') || ' → ' || coalesce(target, '(undisclosed)')
        from marts.deals order by amount_usd desc nulls last, deal_id limit 20""")
    rows = page.locator("#top-deals-table tbody tr")
    assert rows.count() == len(expected) == 20
    shown = [(rows.nth(i).get_attribute("data-deal-id"), rows.nth(i).locator("td.deal").inner_text())
             for i in range(rows.count())]
    assert shown == [tuple(r) for r in expected]
    largest = rows.nth(0)
    assert largest.locator("ul.sources li").count() >= 1
    assert largest.locator("blockquote").first.inner_text().strip()

    # sections without data say so; the corpus has no fetch errors
    text = page.inner_text("body")
    assert "Top 20 deals" in text and "Data health" in text
    assert errors == [] and outside == []

    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 50_000
    docs = ROOT / "docs" / "images"
    docs.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(tmp_path / "report-top.png"))  # the first screen, for the README
    shutil.copyfile(tmp_path / "report-top.png", docs / "report.png")


def test_no_data_page_renders(page, tmp_path):
    result = build_report(tmp_path / "missing.duckdb", tmp_path / "reports", datetime.now(timezone.utc))
    page.goto(result.html_path.as_uri())
    empties = page.locator("div.empty")
    assert empties.count() >= 6
    assert all(re.match(r"No data yet: ", empties.nth(i).inner_text()) for i in range(empties.count()))
    assert page.evaluate("() => typeof Plotly") == "object"  # the library still loads, offline
