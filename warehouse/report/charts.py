"""All chart code of the report, and the read-only queries that feed it.

`load_report_data` reads the marts (and a few raw tables for data health) in one short read-only
connection. Each section tolerates a missing table, a missing column or zero rows: it is then left
empty and `ReportData.gaps` says why, so the page shows "no data yet" instead of failing. Column
names follow the agreed mart contract; where today's marts spell a column differently the old name
is accepted too (the first name present wins).

`plotly_*` functions build the interactive figures of the page, `png_*` functions the matplotlib
stills. Text from the data goes into plotly escaped (plotly renders labels as a small HTML subset).
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import plotly.graph_objects as go
from matplotlib.figure import Figure

from warehouse.connection import connect

# Same lock-down as `dealwire sql`: read_only stops database writes, this stops file writes.
_LOCKED_DOWN = {"enable_external_access": False, "lock_configuration": True}

STATUS_ORDER = ("talks", "pledged", "announced", "completed", "cancelled")
STATUS_PATTERN = {"talks": ".", "pledged": "x", "announced": "/", "completed": "", "cancelled": "-"}
STATUS_HATCH = {"talks": "..", "pledged": "xx", "announced": "//", "completed": "", "cancelled": "--"}
PALETTE = ("#4C78A8", "#F58518", "#54A24B", "#B279A2", "#9D755D", "#72B7B2", "#E45756", "#EECA3B", "#BAB0AC")
FLOW_COLORS = {"investment": "#4C78A8", "purchase_commitment": "#F58518"}
CIRCULAR_COLOR = "#D62728"
GUIDANCE_COLOR, ACTUAL_COLOR = "#4C78A8", "#E45756"
TOP_N = 20
CHART_ROWS_MAX = 60
# Latin text first, then the CJK faces, so Chinese company names render in the PNGs.
FONT_FAMILY = ["DejaVu Sans", "Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK JP"]


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class CapexFigure:
    low_usd: float | None
    high_usd: float | None
    as_of: datetime | None
    url: str | None
    evidence: str | None


@dataclass(frozen=True)
class CapexRow:
    company: str
    period: str
    guidance: CapexFigure | None
    actual: CapexFigure | None


@dataclass(frozen=True)
class Revision:
    company: str
    period: str
    revised_at: datetime | None
    previous_low_usd: float | None
    previous_high_usd: float | None
    new_low_usd: float | None
    new_high_usd: float | None
    direction: str | None
    source: str | None
    url: str | None


@dataclass(frozen=True)
class Deal:
    deal_id: str
    investor: str | None
    target: str | None
    deal_type: str | None
    status: str | None
    amount_usd: float | None
    amount_min_usd: float | None
    amount_max_usd: float | None
    valuation_usd: float | None
    first_reported_at: datetime | None
    n_articles: int | None
    n_sources: int | None


@dataclass(frozen=True)
class DealSource:
    url: str | None
    title: str | None
    source: str | None
    evidence: str | None


@dataclass(frozen=True)
class Flow:
    from_company: str
    to_company: str
    flow_type: str
    amount_usd: float | None
    n_deals: int
    circular: bool


@dataclass(frozen=True)
class Cycle:
    cycle_id: str
    path: tuple[str, ...]
    invested_usd: float | None
    committed_usd: float | None
    evidence: str | None


@dataclass(frozen=True)
class SourceHealth:
    source: str
    articles: int
    newest_article: datetime | None
    fetches: int
    errors: int
    last_fetch: datetime | None


@dataclass(frozen=True)
class FetchError:
    source: str
    url: str
    at: datetime | None
    error: str | None


@dataclass
class Health:
    sources: list[SourceHealth] = field(default_factory=list)
    recent_errors: list[FetchError] = field(default_factory=list)
    counts: dict[str, int | None] = field(default_factory=dict)  # table -> rows, None when missing
    newest_article: datetime | None = None
    newest_fetch: datetime | None = None


@dataclass
class ReportData:
    warehouse: Path
    capex: list[CapexRow] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    deals: list[Deal] = field(default_factory=list)
    deal_sources: dict[str, list[DealSource]] = field(default_factory=dict)
    flows: list[Flow] = field(default_factory=list)
    flows_origin: str = ""
    cycles: list[Cycle] = field(default_factory=list)
    health: Health = field(default_factory=Health)
    gaps: dict[str, str] = field(default_factory=dict)  # section -> why it has no data

    @property
    def top_deals(self) -> list[Deal]:
        return top_deals(self.deals)


def top_deals(deals: list[Deal], n: int = TOP_N) -> list[Deal]:
    """Largest first; deals without a USD amount last; deal_id breaks ties (same order as the SQL
    `order by amount_usd desc nulls last, deal_id`)."""
    return sorted(deals, key=lambda d: (d.amount_usd is None, -(d.amount_usd or 0), d.deal_id))[:n]


# ---------------------------------------------------------------- queries


class _Catalog:
    """Which tables and columns exist, so each query asks only for what is there."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.columns: dict[str, set[str]] = defaultdict(set)
        for schema, table, column in con.execute(
                "select table_schema, table_name, column_name from information_schema.columns"
                " where table_schema in ('marts', 'raw')").fetchall():
            self.columns[f"{schema}.{table}"].add(column)

    def has(self, table: str) -> bool:
        return table in self.columns

    def pick(self, table: str, *names: str) -> str | None:
        """The first of `names` that `table` has, quoted, else None."""
        return next((f'"{n}"' for n in names if n in self.columns.get(table, ())), None)


def _select(cat: _Catalog, table: str, wanted: dict[str, tuple[str, ...]], required: tuple[str, ...]
            ) -> tuple[str | None, str | None]:
    """`select <col> as <alias>, ...` over `table`, or (None, why) when it or a required column is missing."""
    if not cat.has(table):
        return None, f"{table} is not built yet"
    parts = []
    for alias, names in wanted.items():
        column = cat.pick(table, *names)
        if column is None and alias in required:
            return None, f"{table} has no column {names[0]}"
        parts.append(f"{column or 'null'} as {alias}")
    return "select " + ", ".join(parts) + f" from {table}", None


def load_report_data(duckdb_path: Path) -> ReportData:
    """Everything the report shows, read in one short read-only connection."""
    data = ReportData(warehouse=duckdb_path)
    if not duckdb_path.exists():
        why = f"no warehouse at {duckdb_path} yet"
        data.gaps = {k: why for k in ("capex", "revisions", "deals", "flows", "cycles", "health")}
        return data
    with connect(duckdb_path, read_only=True, config=_LOCKED_DOWN, wait_s=30) as con:
        cat = _Catalog(con)
        _load_capex(con, cat, data)
        _load_revisions(con, cat, data)
        _load_deals(con, cat, data)
        _load_cycles(con, cat, data)
        _load_flows(con, cat, data)
        _load_health(con, cat, data)
    return data


def _rows(con, sql: str, params=None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def _load_capex(con, cat: _Catalog, data: ReportData) -> None:
    base, why = _select(cat, "marts.capex", {
        "company": ("company",), "period": ("period",), "kind": ("figure_kind", "capex_kind"),
        "low": ("low_usd", "amount_low_usd"), "high": ("high_usd", "amount_high_usd"),
        "as_of": ("as_of", "current_reported_at", "last_seen"), "url": ("article_url", "current_url"),
        "evidence": ("evidence_sentence",),
    }, required=("company", "period", "kind", "low", "high"))
    if base is None:
        data.gaps["capex"] = why
        return
    # Plans count with guidance: both are forward-looking; the latest figure of each kind stands.
    rows = _rows(con, f"""
        with figures as (
            select company, period, case when kind = 'actual' then 'actual' else 'guidance' end as kind,
                   low, high, as_of, url, evidence
            from ({base})
            where company is not null and period is not null and coalesce(low, high) is not null
        )
        select * from figures
        qualify row_number() over (partition by company, period, kind
                                   order by as_of desc nulls last, url, low) = 1
        order by company, period, kind""")
    pivot: dict[tuple[str, str], dict[str, CapexFigure]] = defaultdict(dict)
    for company, period, kind, low, high, as_of, url, evidence in rows:
        pivot[(company, period)][kind] = CapexFigure(low, high, as_of, url, evidence)
    data.capex = [CapexRow(c, p, f.get("guidance"), f.get("actual")) for (c, p), f in sorted(pivot.items())]
    if not data.capex:
        data.gaps["capex"] = "marts.capex has no rows yet"


def _load_revisions(con, cat: _Catalog, data: ReportData) -> None:
    base, why = _select(cat, "marts.capex_revisions", {
        "company": ("company",), "period": ("period",), "revised_at": ("revised_at",),
        "previous_low": ("previous_low_usd",), "previous_high": ("previous_high_usd",),
        "new_low": ("new_low_usd",), "new_high": ("new_high_usd",), "direction": ("direction",),
        "source": ("source",), "url": ("article_url",),
    }, required=("company", "period", "revised_at", "new_low", "new_high"))
    if base is None:
        data.gaps["revisions"] = why
        return
    data.revisions = [Revision(*r) for r in _rows(
        con, f"select * from ({base}) where company is not null "
             "order by company, period, revised_at nulls first, url")]
    if not data.revisions:
        data.gaps["revisions"] = "marts.capex_revisions has no rows yet"


def _load_deals(con, cat: _Catalog, data: ReportData) -> None:
    base, why = _select(cat, "marts.deals", {
        "deal_id": ("deal_id",), "investor": ("investor",), "target": ("target",),
        "deal_type": ("deal_type",), "status": ("status",), "amount_usd": ("amount_usd",),
        "amount_min_usd": ("amount_min_usd",), "amount_max_usd": ("amount_max_usd",),
        "valuation_usd": ("valuation_usd",), "first_reported_at": ("first_reported_at", "first_seen"),
        "n_articles": ("n_articles",), "n_sources": ("n_sources",),
    }, required=("deal_id", "amount_usd"))
    if base is None:
        data.gaps["deals"] = why
        return
    data.deals = [Deal(*r) for r in _rows(con, f"select * from ({base}) order by deal_id")]
    if not data.deals:
        data.gaps["deals"] = "marts.deals has no rows yet"
        return
    data.deal_sources = _deal_sources(con, cat, [d.deal_id for d in data.top_deals])


def _deal_sources(con, cat: _Catalog, deal_ids: list[str]) -> dict[str, list[DealSource]]:
    """Article links and evidence sentences of the given deals, from the best table available."""
    rows: list[tuple] = []
    mention_url = cat.pick("marts.fct_deal_mentions", "article_url", "url")
    if cat.pick("marts.fct_deal_mentions", "deal_id") and mention_url:
        evidence = cat.pick("marts.fct_deal_mentions", "evidence_sentence", "evidence") or "null"
        title = cat.pick("marts.fct_deal_mentions", "article_title", "title") or "null"
        source = cat.pick("marts.fct_deal_mentions", "source") or "null"
        rows = _rows(con, f"""
            select deal_id, {mention_url}, {title}, {source}, {evidence}
            from marts.fct_deal_mentions where deal_id in (select unnest(?))
            order by deal_id, {mention_url}, {evidence}""", [deal_ids])
    elif cat.pick("marts.deals", "mention_ids") and cat.pick("marts.fct_deal_mentions", "mention_id") \
            and mention_url:
        # fct_deal_mentions has no deal_id: reach it through the deal's mention_ids.
        evidence = cat.pick("marts.fct_deal_mentions", "evidence_sentence", "evidence") or "null"
        source = cat.pick("marts.fct_deal_mentions", "source") or "null"
        published = cat.pick("marts.fct_deal_mentions", "published_at") or "null"
        title, join = "null", ""
        if cat.pick("marts.fct_deal_mentions", "article_id") and cat.pick("raw.articles", "title"):
            title, join = "a.title", "left join raw.articles a on a.article_id = m.article_id"
        rows = _rows(con, f"""
            with wanted as (
                select deal_id, unnest(mention_ids) as mention_id
                from marts.deals where deal_id in (select unnest(?))
            )
            select wanted.deal_id, m.{mention_url}, {title}, m.{source}, m.{evidence}
            from wanted
            join marts.fct_deal_mentions m on m.mention_id = wanted.mention_id
            {join}
            order by wanted.deal_id, m.{published} nulls last, m.{mention_url}, m.{evidence}""", [deal_ids])
    elif (cat.pick("marts.deals", "mention_ids") and cat.has("raw.deal_mentions")
          and cat.has("raw.articles")):
        rows = _rows(con, """
            with wanted as (
                select deal_id, unnest(mention_ids) as mention_id
                from marts.deals where deal_id in (select unnest(?))
            )
            select wanted.deal_id, a.url, a.title, a.source, m.evidence
            from wanted
            join raw.deal_mentions m on m.mention_id = wanted.mention_id
            join raw.articles a on a.article_id = m.article_id
            order by wanted.deal_id, a.published_at nulls last, a.url, m.sentence_start""", [deal_ids])
    elif cat.pick("marts.deals", "urls"):
        rows = _rows(con, """
            select deal_id, unnest(urls), null, null, null
            from marts.deals where deal_id in (select unnest(?)) order by all""", [deal_ids])
    sources: dict[str, list[DealSource]] = defaultdict(list)
    for deal_id, url, title, source, evidence in rows:
        item = DealSource(url, title, source, evidence)
        if item not in sources[deal_id]:
            sources[deal_id].append(item)
    return dict(sources)


def _load_cycles(con, cat: _Catalog, data: ReportData) -> None:
    base, why = _select(cat, "marts.circular_deals", {
        "cycle_id": ("cycle_id",), "cycle_path": ("cycle_path",), "company_a": ("company_a",),
        "company_b": ("company_b",), "invested_usd": ("invested_usd",), "committed_usd": ("committed_usd",),
        "evidence": ("evidence",),
    }, required=("cycle_id",))
    if base is None:
        data.gaps["cycles"] = why
        return
    for cycle_id, path, a, b, invested, committed, evidence in _rows(con, f"select * from ({base}) order by all"):
        companies = parse_cycle_path(path) or tuple(c for c in (a, b) if c)
        data.cycles.append(Cycle(str(cycle_id), companies, invested, committed,
                                 evidence if isinstance(evidence, str) or evidence is None else
                                 " / ".join(map(str, evidence))))
    if not data.cycles:
        data.gaps["cycles"] = "marts.circular_deals has no rows: no circular deals found"


def parse_cycle_path(path) -> tuple[str, ...]:
    """A cycle path as a list, or text such as 'A -> B -> A' (arrows, '>' or commas)."""
    if path is None:
        return ()
    if isinstance(path, (list, tuple)):
        parts = [str(p).strip() for p in path]
    else:
        text = str(path)
        arrows = [a for a in ("->", "→", "=>") if a in text] or [","]
        for arrow in arrows:
            text = text.replace(arrow, "\x00")
        parts = [p.strip() for p in text.split("\x00")]
    parts = [p for p in parts if p]
    if len(parts) > 1 and parts[0] == parts[-1]:
        parts = parts[:-1]
    return tuple(parts)


def cycle_edges(cycles: list[Cycle]) -> set[tuple[str, str]]:
    """Directed company pairs that belong to a cycle (both directions of a two-company cycle)."""
    edges: set[tuple[str, str]] = set()
    for cycle in cycles:
        path = cycle.path
        if len(path) < 2:
            continue
        for i, company in enumerate(path):
            edges.add((company, path[(i + 1) % len(path)]))
        if len(path) == 2:
            edges.add((path[1], path[0]))
    return edges


def _load_flows(con, cat: _Catalog, data: ReportData) -> None:
    base, why = _select(cat, "marts.money_flows", {
        "from_company": ("from_company",), "to_company": ("to_company",), "flow_type": ("flow_type",),
        "amount_usd": ("amount_usd",), "deal_id": ("deal_id",),
    }, required=("from_company", "to_company", "flow_type"))
    if base is not None:
        data.flows_origin = "marts.money_flows"
    elif cat.pick("marts.deals", "investor") and cat.pick("marts.deals", "target"):
        # Until marts.money_flows lands: every deal naming both sides is one flow; a contract is
        # the buyer's purchase commitment, anything else an investment. Cancelled money never moved.
        status = cat.pick("marts.deals", "status") or "null"
        deal_type = cat.pick("marts.deals", "deal_type") or "null"
        base = f"""
            select investor as from_company, target as to_company,
                   case when {deal_type} = 'contract' then 'purchase_commitment' else 'investment' end as flow_type,
                   amount_usd, deal_id
            from marts.deals where {status} is distinct from 'cancelled'"""
        data.flows_origin = "marts.deals (marts.money_flows is not built yet)"
    else:
        data.gaps["flows"] = why
        return
    circular = cycle_edges(data.cycles)
    for src, dst, kind, amount, n in _rows(con, f"""
            select from_company, to_company, flow_type, sum(amount_usd), count(distinct deal_id)
            from ({base})
            where from_company is not null and to_company is not null and from_company <> to_company
            group by all order by all"""):
        data.flows.append(Flow(src, dst, kind or "investment", amount, n, (src, dst) in circular))
    if not data.flows:
        data.gaps["flows"] = f"{data.flows_origin.split()[0]} has no flows yet"


def _load_health(con, cat: _Catalog, data: ReportData) -> None:
    health = data.health
    for table in ("raw.articles", "raw.fetch_log", "raw.deal_mentions", "raw.capex_mentions", "raw.extractions",
                  "marts.deals", "marts.capex", "marts.capex_revisions", "marts.money_flows",
                  "marts.circular_deals"):
        health.counts[table] = (con.execute(f"select count(*) from {table}").fetchone()[0]
                                if cat.has(table) else None)
    has_articles = all(cat.pick("raw.articles", c) for c in ("source", "published_at"))
    has_log = all(cat.pick("raw.fetch_log", c) for c in ("source", "url", "started_at", "outcome", "error"))
    if not has_articles and not has_log:
        data.gaps["health"] = "raw.articles and raw.fetch_log are not built yet"
        return
    per_source: dict[str, list] = defaultdict(lambda: [0, None, 0, 0, None])
    if has_articles:
        for source, n, newest in _rows(con, "select source, count(*), max(published_at) from raw.articles group by all"):
            per_source[source][0:2] = [n, newest]
        health.newest_article = con.execute("select max(published_at) from raw.articles").fetchone()[0]
    if has_log:
        for source, n, errors, last in _rows(con, """
                select source, count(*), count(*) filter (where outcome = 'error'), max(started_at)
                from raw.fetch_log group by all"""):
            per_source[source][2:5] = [n, errors, last]
        health.newest_fetch = con.execute("select max(started_at) from raw.fetch_log").fetchone()[0]
        health.recent_errors = [FetchError(*r) for r in _rows(con, """
            select source, url, started_at, error from raw.fetch_log where outcome = 'error'
            order by started_at desc, url limit 20""")]
    health.sources = [SourceHealth(s, *v) for s, v in sorted(per_source.items())]


# ---------------------------------------------------------------- numbers and labels


def usd(value: float | None) -> str:
    if value is None:
        return "–"
    for size, unit in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if abs(value) >= size:
            return f"${value / size:,.1f}{unit}".replace(".0" + unit, unit)
    return f"${value:,.0f}"


def usd_range(low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return "–"
    if high is None:
        return f"≥ {usd(low)}"
    if low is None:
        return f"≤ {usd(high)}"
    return usd(low) if math.isclose(low, high) else f"{usd(low)} – {usd(high)}"


def _bn(value: float | None) -> float | None:
    return None if value is None else value / 1e9


def _esc(text) -> str:
    return html.escape("" if text is None else str(text), quote=False)


def _month(at: datetime | date) -> date:
    return date(at.year, at.month, 1)


def deal_label(deal: Deal) -> str:
    return f"{deal.investor or '(undisclosed)'} → {deal.target or '(undisclosed)'}"


def _type_colors(types) -> dict[str, str]:
    return {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(sorted(types))}


def _status_key(status: str | None) -> tuple[int, str]:
    return (STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER), status or "")


# ---------------------------------------------------------------- shared chart inputs


def capex_chart_rows(rows: list[CapexRow]) -> list[CapexRow]:
    """What the capex chart draws: rows with a guidance or actual figure, capped, companies in order."""
    return rows[:CHART_ROWS_MAX]


def deals_by_month(deals: list[Deal]) -> dict[tuple[str, str], dict[date, list[Deal]]]:
    """(deal_type, status) -> month -> deals with a USD amount and a date."""
    buckets: dict[tuple[str, str], dict[date, list[Deal]]] = defaultdict(lambda: defaultdict(list))
    for deal in deals:
        if deal.amount_usd is not None and deal.first_reported_at is not None:
            key = (deal.deal_type or "unspecified", deal.status or "unknown")
            buckets[key][_month(deal.first_reported_at)].append(deal)
    return {k: buckets[k] for k in sorted(buckets, key=lambda k: (k[0], _status_key(k[1])))}


def network_layout(flows: list[Flow]) -> dict[str, tuple[float, float]]:
    """Companies on a circle, the busiest first, so the layout is the same on every run."""
    weight: dict[str, float] = defaultdict(float)
    for flow in flows:
        for company in (flow.from_company, flow.to_company):
            weight[company] += flow.amount_usd or 0
    order = sorted(weight, key=lambda c: (-weight[c], c))
    n = len(order)
    return {c: (math.cos(2 * math.pi * i / n + math.pi / 2), math.sin(2 * math.pi * i / n + math.pi / 2))
            for i, c in enumerate(order)}


def _edge_ends(flow: Flow, pos, reverse_exists: bool) -> tuple[float, float, float, float]:
    """Start and end of an edge, shifted sideways when the opposite edge exists so both stay visible."""
    (x0, y0), (x1, y1) = pos[flow.from_company], pos[flow.to_company]
    if reverse_exists:
        dx, dy = x1 - x0, y1 - y0
        norm = math.hypot(dx, dy) or 1
        x0, y0, x1, y1 = (x0 - dy / norm * .04, y0 + dx / norm * .04, x1 - dy / norm * .04, y1 + dx / norm * .04)
    return x0, y0, x1, y1


def _edge_width(amount: float | None, biggest: float) -> float:
    return 1 + 9 * math.sqrt((amount or 0) / biggest) if biggest else 1.5


# ---------------------------------------------------------------- plotly (the page)


def _layout(fig: go.Figure, title: str, height: int, **extra) -> go.Figure:
    fig.update_layout(title=title, height=height, template="plotly_white", margin=dict(l=10, r=10, t=50, b=40),
                      legend=dict(orientation="h", y=-0.15), hoverlabel=dict(align="left"), **extra)
    return fig


def plotly_capex(rows: list[CapexRow]) -> go.Figure:
    rows = capex_chart_rows(rows)
    labels = [f"{_esc(r.company)} · {_esc(r.period)}" for r in rows]
    fig = go.Figure()
    ranges = [(lab, r.guidance) for lab, r in zip(labels, rows) if r.guidance and r.guidance.low_usd is not None
              and r.guidance.high_usd is not None and r.guidance.high_usd > r.guidance.low_usd]
    fig.add_bar(y=[lab for lab, _ in ranges], x=[_bn(g.high_usd - g.low_usd) for _, g in ranges],
                base=[_bn(g.low_usd) for _, g in ranges], orientation="h", name="guidance range (low to high)",
                marker_color=GUIDANCE_COLOR, opacity=.75,
                hovertext=[f"{lab}<br>guidance {usd_range(g.low_usd, g.high_usd)}<br>as of {_day(g.as_of)}"
                           for lab, g in ranges], hoverinfo="text")
    points = [(lab, r.guidance) for lab, r in zip(labels, rows) if r.guidance and (lab, r.guidance) not in ranges]
    fig.add_scatter(y=[lab for lab, _ in points], x=[_bn(g.low_usd if g.low_usd is not None else g.high_usd)
                                                     for _, g in points],
                    mode="markers", name="guidance (single figure or open bound)",
                    marker=dict(color=GUIDANCE_COLOR, size=11, symbol=[_bound_symbol(g) for _, g in points]),
                    hovertext=[f"{lab}<br>guidance {usd_range(g.low_usd, g.high_usd)}<br>as of {_day(g.as_of)}"
                               for lab, g in points], hoverinfo="text")
    actuals = [(lab, r.actual) for lab, r in zip(labels, rows) if r.actual]
    fig.add_scatter(y=[lab for lab, _ in actuals],
                    x=[_bn(a.high_usd if a.high_usd is not None else a.low_usd) for _, a in actuals],
                    mode="markers", name="actual", marker=dict(color=ACTUAL_COLOR, size=12, symbol="x"),
                    hovertext=[f"{lab}<br>actual {usd_range(a.low_usd, a.high_usd)}<br>as of {_day(a.as_of)}"
                               for lab, a in actuals], hoverinfo="text")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), automargin=True)
    fig.update_xaxes(title="USD bn", rangemode="tozero")
    return _layout(fig, "Capex by company and period: latest guidance next to actuals", 140 + 26 * len(rows))


def _bound_symbol(figure: CapexFigure) -> str:
    if figure.high_usd is None:
        return "triangle-right"  # at least
    if figure.low_usd is None:
        return "triangle-left"   # at most
    return "diamond"


def _day(at) -> str:
    return at.strftime("%Y-%m-%d") if isinstance(at, (datetime, date)) else "–"


def plotly_revisions(revisions: list[Revision]) -> go.Figure:
    series: dict[tuple[str, str], list[Revision]] = defaultdict(list)
    for rev in revisions:
        if rev.revised_at is not None:
            series[(rev.company, rev.period)].append(rev)
    fig = go.Figure()
    for (company, period), revs in series.items():
        mids = [_mid(r.new_low_usd, r.new_high_usd) for r in revs]
        fig.add_scatter(
            x=[r.revised_at for r in revs], y=[_bn(m) for m in mids], mode="lines+markers", line_shape="hv",
            name=f"{_esc(company)} · {_esc(period)}",
            error_y=dict(type="data", symmetric=False,
                         array=[_bn((r.new_high_usd or m) - m) if m is not None else 0 for r, m in zip(revs, mids)],
                         arrayminus=[_bn(m - (r.new_low_usd or m)) if m is not None else 0 for r, m in zip(revs, mids)]),
            hovertext=[f"{_esc(company)} · {_esc(period)} on {_day(r.revised_at)}<br>"
                       f"{usd_range(r.previous_low_usd, r.previous_high_usd)} → {usd_range(r.new_low_usd, r.new_high_usd)}"
                       f" ({_esc(r.direction or 'revised')})" for r in revs], hoverinfo="text")
    fig.update_yaxes(title="guidance, USD bn (bar = low to high)")
    return _layout(fig, "How capex guidance moved", 460)


def _mid(low: float | None, high: float | None) -> float | None:
    values = [v for v in (low, high) if v is not None]
    return sum(values) / len(values) if values else None


def plotly_deals_by_month(deals: list[Deal]) -> go.Figure:
    buckets = deals_by_month(deals)
    colors = _type_colors({t for t, _ in buckets})
    fig = go.Figure()
    for (deal_type, status), months in buckets.items():
        xs = sorted(months)
        fig.add_bar(
            x=xs, y=[_bn(sum(d.amount_usd for d in months[m])) for m in xs], name=f"{_esc(deal_type)} · {_esc(status)}",
            legendgroup=deal_type, marker=dict(color=colors[deal_type],
                                               pattern=dict(shape=STATUS_PATTERN.get(status, "+"), solidity=.4)),
            hovertext=["<br>".join([f"{_esc(deal_type)}, {_esc(status)}, {m:%b %Y}"] +
                                   [f"{_esc(deal_label(d))}: {usd(d.amount_usd)}" for d in months[m]])
                       for m in xs], hoverinfo="text")
    fig.update_xaxes(type="date", tickformat="%b %Y", dtick="M1")
    fig.update_yaxes(title="USD bn")
    return _layout(fig, "Deals by month of first report, by deal type (colour) and status (pattern)", 480,
                   barmode="stack")


def plotly_money_flows(flows: list[Flow]) -> go.Figure:
    pos = network_layout(flows)
    pairs = {(f.from_company, f.to_company) for f in flows}
    biggest = max((f.amount_usd or 0 for f in flows), default=0)
    fig = go.Figure()
    hover_x, hover_y, hover_text, arrows = [], [], [], []
    for flow in flows:
        x0, y0, x1, y1 = _edge_ends(flow, pos, (flow.to_company, flow.from_company) in pairs)
        color = CIRCULAR_COLOR if flow.circular else FLOW_COLORS.get(flow.flow_type, "#888888")
        arrows.append(dict(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                           arrowhead=2, arrowsize=.8, arrowwidth=_edge_width(flow.amount_usd, biggest),
                           arrowcolor=color, opacity=.75, standoff=14, startstandoff=10, text=""))
        hover_x.append((x0 + x1) / 2)
        hover_y.append((y0 + y1) / 2)
        hover_text.append(f"{_esc(flow.from_company)} → {_esc(flow.to_company)}<br>{_esc(flow.flow_type)}: "
                          f"{usd(flow.amount_usd)} ({flow.n_deals} deal{'s' if flow.n_deals != 1 else ''})"
                          + ("<br><b>part of a circular deal</b>" if flow.circular else ""))
    # One assignment: add_annotation per arrow re-validated the whole list each time (~3 s for 200 flows).
    fig.update_layout(annotations=arrows)
    fig.add_scatter(x=hover_x, y=hover_y, mode="markers", marker=dict(size=10, opacity=0), hovertext=hover_text,
                    hoverinfo="text", showlegend=False, name="flows")
    totals: dict[str, float] = defaultdict(float)
    for flow in flows:
        totals[flow.from_company] += flow.amount_usd or 0
        totals[flow.to_company] += flow.amount_usd or 0
    names = list(pos)
    top = max(totals.values(), default=0) or 1
    fig.add_scatter(x=[pos[c][0] for c in names], y=[pos[c][1] for c in names], mode="markers+text",
                    text=[_esc(c) for c in names], name="companies",
                    textposition=[{"left": "middle right", "right": "middle left"}.get(_label_side(pos[c][0]),
                                  "top center" if pos[c][1] > 0 else "bottom center") for c in names],
                    marker=dict(size=[12 + 26 * math.sqrt(totals[c] / top) for c in names], color="#E8E8E8",
                                line=dict(color="#444444", width=1)),
                    hovertext=[f"{_esc(c)}: {usd(totals[c])} in and out" for c in names], hoverinfo="text")
    for label, color in (("investment", FLOW_COLORS["investment"]),
                         ("purchase commitment", FLOW_COLORS["purchase_commitment"]),
                         ("in a circular deal", CIRCULAR_COLOR)):
        fig.add_scatter(x=[None], y=[None], mode="lines", line=dict(color=color, width=4), name=label)
    fig.update_xaxes(visible=False, range=[-1.6, 1.6])
    fig.update_yaxes(visible=False, range=[-1.2, 1.2], scaleanchor="x")
    return _layout(fig, "Money flows: edge width = USD amount", 720)


def plotly_sources(health: Health) -> go.Figure:
    sources = health.sources
    fig = go.Figure()
    fig.add_bar(x=[_esc(s.source) for s in sources], y=[s.articles for s in sources], name="articles",
                marker_color=GUIDANCE_COLOR)
    fig.add_bar(x=[_esc(s.source) for s in sources], y=[s.errors for s in sources], name="fetch errors",
                marker_color=ACTUAL_COLOR)
    return _layout(fig, "Articles and fetch errors per source", 320, barmode="group")


# ---------------------------------------------------------------- matplotlib (the PNGs)


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    return fig


def _label_side(x: float) -> str:
    return "left" if x > .05 else "right" if x < -.05 else "center"


def png_capex(rows: list[CapexRow]) -> Figure:
    rows = capex_chart_rows(rows)
    fig = _figure(10, 1.2 + .32 * len(rows))
    ax = fig.add_subplot()
    ys = list(range(len(rows)))[::-1]
    for y, row in zip(ys, rows):
        g, a = row.guidance, row.actual
        if g and g.low_usd is not None and g.high_usd is not None and g.high_usd > g.low_usd:
            ax.barh(y, _bn(g.high_usd - g.low_usd), left=_bn(g.low_usd), color=GUIDANCE_COLOR, alpha=.75, height=.6)
        elif g:
            marker = {"triangle-right": ">", "triangle-left": "<"}.get(_bound_symbol(g), "D")
            ax.plot(_bn(g.low_usd if g.low_usd is not None else g.high_usd), y, marker, color=GUIDANCE_COLOR)
        if a:
            ax.plot(_bn(a.high_usd if a.high_usd is not None else a.low_usd), y, "x", color=ACTUAL_COLOR,
                    markersize=9, mew=2)
    ax.set_yticks(ys, [f"{r.company} · {r.period}" for r in rows])
    ax.set_xlabel("USD bn")
    ax.set_xlim(left=0)
    ax.set_title("Capex: guidance range (bar or ◆, ▶ = at least) and actual (×)")
    ax.grid(axis="x", alpha=.3)
    return fig


def png_revisions(revisions: list[Revision]) -> Figure:
    fig = _figure(10, 4.5)
    ax = fig.add_subplot()
    series: dict[tuple[str, str], list[Revision]] = defaultdict(list)
    for rev in revisions:
        if rev.revised_at is not None:
            series[(rev.company, rev.period)].append(rev)
    for (company, period), revs in series.items():
        mids = [_bn(_mid(r.new_low_usd, r.new_high_usd)) for r in revs]
        ax.step([r.revised_at for r in revs], mids, where="post", marker="o", label=f"{company} · {period}")
    ax.set_ylabel("guidance, USD bn (midpoint)")
    ax.set_title("How capex guidance moved")
    if series:
        ax.legend(fontsize=8)
    fig.autofmt_xdate()
    return fig


def png_deals_by_month(deals: list[Deal]) -> Figure:
    buckets = deals_by_month(deals)
    colors = _type_colors({t for t, _ in buckets})
    months = sorted({m for by_month in buckets.values() for m in by_month})
    fig = _figure(10, 4.8)
    ax = fig.add_subplot()
    bottom = [0.0] * len(months)
    for (deal_type, status), by_month in buckets.items():
        heights = [_bn(sum(d.amount_usd for d in by_month.get(m, []))) for m in months]
        ax.bar(range(len(months)), heights, bottom=bottom, color=colors[deal_type], edgecolor="white",
               hatch=STATUS_HATCH.get(status, "++"), label=f"{deal_type} · {status}")
        bottom = [b + h for b, h in zip(bottom, heights)]
    ax.set_xticks(range(len(months)), [f"{m:%b %Y}" for m in months], rotation=45, ha="right")
    ax.set_ylabel("USD bn")
    ax.set_ylim(0, max(bottom, default=0) * 1.08 or 1)
    ax.set_title("Deals by month, by type (colour) and status (hatch)")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.grid(axis="y", alpha=.3)
    return fig


def png_money_flows(flows: list[Flow]) -> Figure:
    pos = network_layout(flows)
    pairs = {(f.from_company, f.to_company) for f in flows}
    biggest = max((f.amount_usd or 0 for f in flows), default=0)
    fig = _figure(10, 9)
    ax = fig.add_subplot()
    for flow in flows:
        x0, y0, x1, y1 = _edge_ends(flow, pos, (flow.to_company, flow.from_company) in pairs)
        color = CIRCULAR_COLOR if flow.circular else FLOW_COLORS.get(flow.flow_type, "#888888")
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops=dict(arrowstyle="-|>", color=color, alpha=.75, shrinkA=8, shrinkB=10,
                                    lw=_edge_width(flow.amount_usd, biggest) * .8))
    for company, (x, y) in pos.items():
        ax.plot(x, y, "o", color="#E8E8E8", markeredgecolor="#444444", markersize=10)
        ax.text(x * 1.07, y * 1.07, company, ha=_label_side(x), va="center", fontsize=8)
    for label, color in (("investment", FLOW_COLORS["investment"]),
                         ("purchase commitment", FLOW_COLORS["purchase_commitment"]),
                         ("in a circular deal", CIRCULAR_COLOR)):
        ax.plot([], [], color=color, lw=4, label=label)
    ax.legend(loc="lower left", fontsize=8)
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.2, 1.2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("Money flows (edge width = USD amount)")
    return fig
