"""Build the report: read the marts once, write latest.html, a dated copy and the PNG stills.

Every file is written to a temporary name in the same folder and moved into place with
os.replace, so a browser or a file server never sees half a page.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from warehouse.report import charts
from warehouse.report.charts import ReportData, load_report_data, usd
from warehouse.report.page import render_page

LATEST = "latest.html"
DATED_PREFIX = "report-"
KEEP_DATED = 20  # 5 days of 6-hourly refreshes; each page carries plotly.js (about 5 MB), so keep few


@dataclass(frozen=True)
class ReportResult:
    html_path: Path
    dated_path: Path
    pngs: dict[str, Path] = field(default_factory=dict)
    headline: dict[str, str] = field(default_factory=dict)    # label -> formatted value, as shown on the page
    numbers: dict[str, float] = field(default_factory=dict)   # the same as plain numbers (None-free)
    empty_sections: dict[str, str] = field(default_factory=dict)


def build_report(duckdb_path: Path, out_dir: Path, now: datetime | None = None) -> ReportResult:
    now = now or datetime.now(timezone.utc)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = load_report_data(Path(duckdb_path))
    headline, numbers = headline_numbers(data)
    page = render_page(data, headline, now)
    html_path = out_dir / LATEST
    dated_path = out_dir / f"{DATED_PREFIX}{now:%Y%m%d-%H%M%S}.html"
    _write_atomic(dated_path, lambda tmp: tmp.write_text(page, encoding="utf-8"))
    _write_atomic(html_path, lambda tmp: tmp.write_text(page, encoding="utf-8"))
    pngs = _write_pngs(data, out_dir)
    _prune_dated(out_dir, KEEP_DATED)
    return ReportResult(html_path, dated_path, pngs, headline, numbers, dict(data.gaps))


def headline_numbers(data: ReportData) -> tuple[dict[str, str], dict[str, float]]:
    live = [d for d in data.deals if d.status != "cancelled"]
    total = sum(d.amount_usd or 0 for d in live)
    top = data.top_deals[0] if data.top_deals and data.top_deals[0].amount_usd is not None else None
    guided = {r.company for r in data.capex if r.guidance}
    n_errors = sum(s.errors for s in data.health.sources)
    articles = data.health.counts.get("raw.articles")
    numbers = {"deals": len(data.deals), "deal_value_usd": total, "companies_with_guidance": len(guided),
               "circular_deals": len(data.cycles), "articles": articles or 0, "fetch_errors": n_errors}
    headline = {
        "deals": str(len(data.deals)),
        "deal value, USD (not cancelled)": usd(total) if data.deals else "–",
        "largest deal": f"{charts.deal_label(top)} {usd(top.amount_usd)}" if top else "–",
        "companies with capex guidance": str(len(guided)),
        "circular deals": "not built yet" if data.health.counts.get("marts.circular_deals") is None
                          else str(len(data.cycles)),
        "articles": "–" if articles is None else str(articles),
        "fetch errors": str(n_errors),
        "newest article": data.health.newest_article.strftime("%Y-%m-%d") if data.health.newest_article else "–",
    }
    return headline, numbers


def headline_markdown(result: ReportResult) -> str:
    rows = "\n".join(f"| {k} | {v.replace('|', '/')} |" for k, v in result.headline.items())
    gaps = "".join(f"\n- no data yet in {k}: {v}" for k, v in result.empty_sections.items())
    return f"| headline | value |\n|---|---|\n{rows}\n" + (f"\nSections without data:{gaps}\n" if gaps else "")


def _write_pngs(data: ReportData, out_dir: Path) -> dict[str, Path]:
    """The main charts as PNGs; a chart with no data leaves no stale image behind."""
    wanted: dict[str, Callable[[], Figure] | None] = {
        "capex": (lambda: charts.png_capex(data.capex)) if data.capex else None,
        "capex_revisions": (lambda: charts.png_revisions(data.revisions)) if data.revisions else None,
        "deals_by_month": (lambda: charts.png_deals_by_month(data.deals))
        if charts.deals_by_month(data.deals) else None,
        "money_flows": (lambda: charts.png_money_flows(data.flows)) if data.flows else None,
    }
    written = {}
    with matplotlib.rc_context({"font.family": charts.FONT_FAMILY,
                                "axes.unicode_minus": False}):
        for name, make in wanted.items():
            path = out_dir / f"{name}.png"
            if make is None:
                path.unlink(missing_ok=True)
                continue
            figure = make()
            FigureCanvasAgg(figure)  # the Agg canvas, whatever backend the process chose
            _write_atomic(path, lambda tmp, f=figure: f.savefig(tmp, format="png"))
            written[name] = path
    return written


def _write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _prune_dated(out_dir: Path, keep: int) -> None:
    dated = sorted(out_dir.glob(f"{DATED_PREFIX}*.html"))
    for old in dated[:-keep]:
        old.unlink(missing_ok=True)
