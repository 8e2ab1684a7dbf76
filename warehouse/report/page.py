"""The HTML page: one small template, plotly.js embedded once, every text from the data escaped."""

from __future__ import annotations

import html
from datetime import datetime
from importlib import resources
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from warehouse.paths import PROJECT_ROOT
from warehouse.report import charts
from warehouse.report.charts import ReportData, usd, usd_range

_PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def safe_href(url: str | None) -> str | None:
    """A link target for `url`, or None: web links as they are, the corpus's relative `file:` links
    made absolute; anything else (javascript:, data:) is shown as text, never linked."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return url
    if parts.scheme == "file":
        if url.startswith("file://"):
            return url
        path = Path(url[len("file:"):])
        return (path if path.is_absolute() else PROJECT_ROOT / path).resolve().as_uri()
    return None


def _link(url: str | None, text: str | None = None) -> str:
    href = safe_href(url)
    label = _e(text or url or "")
    return f'<a href="{_e(href)}">{label}</a>' if href else label


def _chart(fig: go.Figure, div_id: str) -> str:
    # plotly.js is in the page head once; each chart is a div and a Plotly.newPlot call.
    return ('<div class="chart">' + fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                                                config=_PLOTLY_CONFIG) + "</div>")


def _empty(section: str, why: str | None) -> str:
    return f'<div class="empty" data-section="{_e(section)}">No data yet: {_e(why or "nothing to show")}.</div>'


def _day(at) -> str:
    return at.strftime("%Y-%m-%d") if isinstance(at, datetime) else ("–" if at is None else _e(at))


def _minute(at) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if isinstance(at, datetime) else "–"


def _table(header: list[str], rows: list[str], attrs: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    return f"<table{attrs}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _status(status: str | None) -> str:
    if not status:
        return "–"
    return f'<span class="status status-{_e(status)}">{_e(status)}</span>'


# ---------------------------------------------------------------- sections


def _capex_section(data: ReportData) -> str:
    parts = ['<section id="capex"><h2>Capex by company and period</h2>']
    if not data.capex:
        parts.append(_empty("capex", data.gaps.get("capex")))
    else:
        parts.append(_chart(charts.plotly_capex(data.capex), "chart-capex"))
        if len(data.capex) > charts.CHART_ROWS_MAX:
            parts.append(f'<p class="note">The chart shows the first {charts.CHART_ROWS_MAX} of '
                         f'{len(data.capex)} company-periods; the table lists all.</p>')
        rows = []
        for r in data.capex:
            g, a = r.guidance, r.actual
            rows.append(
                f"<tr><td>{_e(r.company)}</td><td>{_e(r.period)}</td>"
                f'<td class="num">{_e(usd_range(g.low_usd, g.high_usd)) if g else "–"}</td>'
                f"<td>{_day(g.as_of) if g else '–'}</td>"
                f'<td class="num">{_e(usd_range(a.low_usd, a.high_usd)) if a else "–"}</td>'
                f"<td>{_day(a.as_of) if a else '–'}</td>"
                f"<td>{_figure_source(g)}{_figure_source(a)}</td></tr>")
        parts.append(_table(["company", "period", "latest guidance (USD)", "as of", "actual (USD)", "as of",
                             "source"], rows, ' id="capex-table"'))
    parts.append("<h3>Guidance revisions</h3>")
    if not data.revisions:
        parts.append(_empty("revisions", data.gaps.get("revisions")))
    else:
        parts.append(_chart(charts.plotly_revisions(data.revisions), "chart-revisions"))
        rows = [f"<tr><td>{_e(r.company)}</td><td>{_e(r.period)}</td><td>{_day(r.revised_at)}</td>"
                f'<td class="num">{_e(usd_range(r.previous_low_usd, r.previous_high_usd))}</td>'
                f'<td class="num">{_e(usd_range(r.new_low_usd, r.new_high_usd))}</td>'
                f"<td>{_e(r.direction or '–')}</td><td>{_link(r.url, r.source or r.url)}</td></tr>"
                for r in data.revisions]
        parts.append(_table(["company", "period", "revised", "from", "to", "direction", "source"], rows,
                            ' id="revisions-table"'))
    return "".join(parts) + "</section>"


def _figure_source(figure) -> str:
    if figure is None or not figure.url:
        return ""
    quote = f"<blockquote>{_e(figure.evidence)}</blockquote>" if figure.evidence else ""
    return f"<div>{_link(figure.url, _short_url(figure.url))}{quote}</div>"


def _short_url(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1] or url


def _deals_section(data: ReportData) -> str:
    parts = ['<section id="deals"><h2>Deals over time</h2>']
    if not data.deals:
        parts.append(_empty("deals", data.gaps.get("deals")))
        return "".join(parts) + "</section>"
    charted = [d for d in data.deals if d.amount_usd is not None and d.first_reported_at is not None]
    if charted:
        parts.append(_chart(charts.plotly_deals_by_month(data.deals), "chart-deals"))
    else:
        parts.append(_empty("deals", "no deal has both a USD amount and a date"))
    left_out = len(data.deals) - len(charted)
    if left_out:
        parts.append(f'<p class="note">{left_out} deal{"s" if left_out != 1 else ""} without a USD amount or '
                     "date are not in the chart.</p>")
    counts: dict[str, int] = {}
    for d in data.deals:
        counts[d.status or "unknown"] = counts.get(d.status or "unknown", 0) + 1
    parts.append('<p class="note">By status: ' + ", ".join(
        f"{_status(s)} {n}" for s, n in sorted(counts.items(), key=lambda kv: charts._status_key(kv[0]))) + "</p>")
    return "".join(parts) + "</section>"


def _flows_section(data: ReportData) -> str:
    parts = ['<section id="flows"><h2>Money flows and circular deals</h2>']
    if not data.flows:
        parts.append(_empty("flows", data.gaps.get("flows")))
    else:
        parts.append(f'<p class="note">Flows from {_e(data.flows_origin)}. Investments go from investor to '
                     "target, purchase commitments from buyer to seller.</p>")
        parts.append(_chart(charts.plotly_money_flows(data.flows), "chart-flows"))
    parts.append("<h3>Circular deals</h3>")
    if not data.cycles:
        parts.append(_empty("cycles", data.gaps.get("cycles")))
    else:
        rows = [f"<tr><td>{_e(' → '.join(c.path + c.path[:1]))}</td>"
                f'<td class="num">{_e(usd(c.invested_usd))}</td><td class="num">{_e(usd(c.committed_usd))}</td>'
                f"<td>{_e(c.evidence or '')}</td></tr>" for c in data.cycles]
        parts.append(_table(["cycle", "invested", "committed back", "evidence"], rows, ' id="cycles-table"'))
    return "".join(parts) + "</section>"


def _top_deals_section(data: ReportData) -> str:
    parts = [f'<section id="top-deals"><h2>Top {charts.TOP_N} deals and their sources</h2>']
    top = data.top_deals
    if not top:
        parts.append(_empty("top-deals", data.gaps.get("deals")))
        return "".join(parts) + "</section>"
    rows = []
    for rank, d in enumerate(top, 1):
        sources = data.deal_sources.get(d.deal_id, [])
        items = "".join(
            f"<li>{_link(s.url, s.title or s.url)}{f' <span class=note>({_e(s.source)})</span>' if s.source else ''}"
            f"{f'<blockquote>{_e(s.evidence)}</blockquote>' if s.evidence else ''}</li>" for s in sources)
        span = usd_range(d.amount_min_usd, d.amount_max_usd)
        rows.append(
            f'<tr data-deal-id="{_e(d.deal_id)}"><td class="num">{rank}</td>'
            f'<td class="deal">{_e(charts.deal_label(d))}</td><td>{_e(d.deal_type or "–")}</td>'
            f"<td>{_status(d.status)}</td>"
            f'<td class="num amount">{_e(usd(d.amount_usd))}'
            f'{f"<br><span class=note>{_e(span)}</span>" if span not in ("–", usd(d.amount_usd)) else ""}</td>'
            f"<td>{_day(d.first_reported_at)}</td><td class=\"num\">{_e(d.n_articles if d.n_articles is not None else '–')}</td>"
            f'<td><ul class="sources">{items}</ul></td></tr>')
    parts.append(_table(["#", "investor → target", "type", "status", "amount (USD)", "first reported",
                         "articles", "sources and evidence"], rows, ' id="top-deals-table"'))
    return "".join(parts) + "</section>"


def _health_section(data: ReportData, now: datetime) -> str:
    h = data.health
    parts = ['<section id="health"><h2>Data health</h2>']
    if "health" in data.gaps:
        parts.append(_empty("health", data.gaps["health"]))
        return "".join(parts) + "</section>"
    fresh = []
    for label, at in (("newest article published", h.newest_article), ("latest fetch", h.newest_fetch)):
        age = f" ({_age(now, at)} before this report)" if isinstance(at, datetime) else ""
        fresh.append(f"<li>{label}: {_minute(at)}{age}</li>")
    parts.append("<ul>" + "".join(fresh) + "</ul>")
    if h.sources:
        parts.append(_chart(charts.plotly_sources(h), "chart-health"))
        rows = [f"<tr><td>{_e(s.source)}</td><td class=num>{s.articles}</td><td>{_minute(s.newest_article)}</td>"
                f"<td class=num>{s.fetches}</td><td class=num>{s.errors}</td><td>{_minute(s.last_fetch)}</td></tr>"
                for s in h.sources]
        parts.append(_table(["source", "articles", "newest article", "fetches", "fetch errors", "last fetch"], rows,
                            ' id="sources-table"'))
    rows = [f"<tr><td>{_e(t)}</td><td class=num>{'not built yet' if n is None else n}</td></tr>"
            for t, n in h.counts.items()]
    parts.append("<h3>Extraction and mart counts</h3>" + _table(["table", "rows"], rows, ' id="counts-table"'))
    parts.append("<h3>Recent fetch errors</h3>")
    if h.recent_errors:
        rows = [f"<tr><td>{_minute(f.at)}</td><td>{_e(f.source)}</td><td>{_link(f.url)}</td><td>{_e(f.error)}</td></tr>"
                for f in h.recent_errors]
        parts.append(_table(["when", "source", "url", "error"], rows, ' id="errors-table"'))
    else:
        parts.append('<p class="note">None.</p>')
    return "".join(parts) + "</section>"


def _age(now: datetime, at: datetime) -> str:
    hours = (now.replace(tzinfo=None) - at.replace(tzinfo=None)).total_seconds() / 3600
    return f"{hours:.1f} h" if abs(hours) < 48 else f"{hours / 24:.1f} days"


def render_page(data: ReportData, headline: dict[str, str], now: datetime) -> str:
    cards = "".join(f"<div><b>{_e(v)}</b><span>{_e(k)}</span></div>" for k, v in headline.items())
    nav = "".join(f'<a href="#{a}">{t}</a>' for a, t in (("capex", "Capex"), ("deals", "Deals over time"),
                                                          ("flows", "Money flows"), ("top-deals", "Top deals"),
                                                          ("health", "Data health")))
    body = (f"<header><h1>dealwire: AI money report</h1>"
            f'<p class="meta">Generated {_e(now.strftime("%Y-%m-%d %H:%M %Z").strip())} from {_e(data.warehouse)}</p>'
            f"<nav>{nav}</nav></header>"
            f'<div class="headline" id="headline">{cards}</div>'
            + _capex_section(data) + _deals_section(data) + _flows_section(data) + _top_deals_section(data)
            + _health_section(data, now))
    template = Template(resources.files("warehouse.report").joinpath("template.html").read_text(encoding="utf-8"))
    return template.substitute(title="dealwire report " + now.strftime("%Y-%m-%d %H:%M"), plotlyjs=get_plotlyjs(),
                               body=body)
