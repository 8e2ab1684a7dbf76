"""dbt against hand-written raw rows: a temporary DuckDB file with the raw schema, the real
`dbt build`, and queries on the marts. One build per session, shared by the tests here."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from warehouse.connection import connect, ensure_raw_schema

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT = PROJECT_ROOT / "dbt_project"
DBT = str(Path(sys.executable).parent / "dbt")
EXTRACTED_AT = datetime(2026, 5, 1, 12, 0)


def _id(*parts) -> str:
    return hashlib.md5("|".join(map(str, parts)).encode()).hexdigest()


@dataclass
class RawCorpus:
    """Articles with their deal and capex mentions, as the ingest and extractor would land them."""

    articles: list[tuple] = field(default_factory=list)
    deals: list[tuple] = field(default_factory=list)
    capex: list[tuple] = field(default_factory=list)

    def article(self, slug: str, published: str, lang: str = "en", source: str = "wire") -> str:
        url = f"https://{source}.example/{slug}"
        article_id = _id(url)
        body = f"body of {slug}"
        self.articles.append((article_id, url, url, source, slug, datetime.fromisoformat(published), lang, body,
                              hashlib.sha256(body.encode()).hexdigest(), EXTRACTED_AT, EXTRACTED_AT))
        return article_id

    def deal(self, article_id: str, investor: str | None, target: str | None, deal_type: str, status: str,
             amount_min: float | None, amount_max: float | None, currency: str = "USD", qualifier: str = "exact",
             usd_min: float | None = None, usd_max: float | None = None, valuation: float | None = None,
             aggregate: bool = False) -> str:
        if currency == "USD":
            usd_min, usd_max = amount_min, amount_max
        mention_id = _id(article_id, investor, target, deal_type, amount_min, amount_max, len(self.deals))
        evidence = f"{investor} {deal_type} {target} {amount_min or amount_max} {currency} ({status})"
        self.deals.append((mention_id, article_id, investor, investor, target, target, amount_min, amount_max,
                           currency, qualifier, usd_min, usd_max, valuation, currency if valuation else None,
                           status, deal_type, aggregate, evidence, 10 * len(self.deals), 10 * len(self.deals) + 9,
                           "test", EXTRACTED_AT))
        return mention_id

    def capex_mention(self, article_id: str, company: str | None, period: str, kind: str,
                      amount_min: float | None, amount_max: float | None, currency: str = "USD",
                      qualifier: str = "range", usd_min: float | None = None, usd_max: float | None = None,
                      aggregate: bool = False) -> str:
        if currency == "USD":
            usd_min, usd_max = amount_min, amount_max
        mention_id = _id(article_id, company, period, amount_min, amount_max, len(self.capex))
        evidence = f"{company} {period} capex {amount_min}-{amount_max} {currency}"
        self.capex.append((mention_id, article_id, company, company, period, kind, amount_min, amount_max, currency,
                           qualifier, usd_min, usd_max, aggregate, evidence, 10 * len(self.capex),
                           10 * len(self.capex) + 9, "test", EXTRACTED_AT))
        return mention_id

    def land(self, path: Path) -> None:
        with connect(path) as con:
            ensure_raw_schema(con)
            for table, rows in (("articles", self.articles), ("deal_mentions", self.deals),
                                ("capex_mentions", self.capex)):
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    con.executemany(f"insert into raw.{table} values ({marks})", rows)


@dataclass
class Warehouse:
    path: Path
    work_dir: Path

    def dbt(self, *args: str) -> subprocess.CompletedProcess:
        """The real dbt CLI on this file; target and logs kept out of the project folder."""
        env = {**os.environ, "DEALWIRE_DUCKDB_PATH": str(self.path)}
        result = subprocess.run(
            [DBT, *args, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
             "--target-path", str(self.work_dir / "target"), "--log-path", str(self.work_dir / "logs")],
            env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
        return result

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        con = duckdb.connect(str(self.path), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def copy(self, work_dir: Path) -> Warehouse:
        work_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.path, work_dir / "warehouse.duckdb")
        # reuse the parsed project (partial parse) of the original
        shutil.copytree(self.work_dir / "target", work_dir / "target", dirs_exist_ok=True)
        return Warehouse(work_dir / "warehouse.duckdb", work_dir)


def scenario_corpus() -> RawCorpus:
    """The cases the marts must get right, one small story each."""
    c = RawCorpus()

    # Talks reported in Chinese, completion in English by another source: one completed deal.
    zh = c.article("amazon-openai-talks", "2026-01-10 08:00", lang="zh-Hans", source="cn-daily")
    en = c.article("amazon-openai-closed", "2026-03-02 09:00", lang="en", source="en-wire")
    c.deal(zh, "Amazon", "OpenAI", "equity", "talks", 10e9, 10e9, qualifier="approx")
    c.deal(en, "Amazon", "OpenAI", "equity", "completed", 10e9, 10e9, valuation=730e9)
    # ... and OpenAI commits to buy cloud from Amazon: a circular pair.
    c.deal(en, "OpenAI", "Amazon", "contract", "announced", 38e9, 38e9)

    # One investor's stake and the round it leads, in EUR, typed two ways: one deal.
    eu = c.article("mistral-round", "2025-10-02 10:00", source="eu-news")
    c.deal(eu, "ASML", "Mistral AI", "equity", "completed", 1.3e9, 1.3e9, currency="EUR")
    c.deal(eu, "ASML", "Mistral AI", "funding_round", "completed", 1.7e9, 1.7e9, currency="EUR")

    # A round joined by several investors, each named in a different article: one round.
    r1 = c.article("xai-round-valor", "2026-01-07 10:00", source="en-wire")
    r2 = c.article("xai-round-nvidia", "2026-01-09 10:00", source="tech-daily")
    c.deal(r1, "Valor Equity Partners", "xAI", "funding_round", "completed", 20e9, 20e9)
    c.deal(r2, "NVIDIA", "xAI", "funding_round", "completed", 20e9, 20e9)

    # The same parties and amount two years apart: two deals.
    old = c.article("msft-openai-2024", "2024-01-05 10:00")
    new = c.article("msft-openai-2026", "2026-01-05 10:00")
    c.deal(old, "OpenAI", "Microsoft", "contract", "announced", 10e9, 10e9)
    c.deal(new, "OpenAI", "Microsoft", "contract", "announced", 10e9, 10e9)

    # A triangle: Microsoft invests in Anthropic, Anthropic buys chips from NVIDIA, NVIDIA
    # buys cloud from Microsoft.
    tri = c.article("triangle", "2025-11-19 10:00")
    c.deal(tri, "Microsoft", "Anthropic", "equity", "pledged", None, 5e9, qualifier="at_most")
    c.deal(tri, "Anthropic", "NVIDIA", "contract", "announced", 10e9, 10e9)
    c.deal(tri, "NVIDIA", "Microsoft", "contract", "announced", 15e9, 15e9)

    # A figure for several companies is in no deal.
    c.deal(tri, "Big Tech", None, "contract", "announced", 400e9, 400e9, aggregate=True)

    # Guidance raised between two articles: a revision; repeated unchanged: none.
    feb = c.article("meta-feb", "2026-02-01 10:00", source="en-wire")
    apr = c.article("meta-apr", "2026-04-30 10:00", lang="zh-Hans", source="cn-daily")
    c.capex_mention(feb, "Meta", "2026", "guidance", 115e9, 135e9)
    c.capex_mention(apr, "Meta", "2026", "guidance", 125e9, 145e9)
    c.capex_mention(feb, "TSMC", "2026", "guidance", 52e9, 56e9)
    c.capex_mention(apr, "TSMC", "2026", "guidance", 52e9, 56e9)
    c.capex_mention(apr, "Meta", "2026Q1", "actual", 29e9, 29e9, qualifier="approx")

    # An open bound in KRW with the USD figure the article states (the extractor recorded it in
    # the max column): the stated USD figure, not a conversion, and the open side stays open.
    kr = c.article("samsung-capex", "2026-03-20 10:00", lang="zh-Hans", source="kr-news")
    c.capex_mention(kr, "Samsung Electronics", "2026", "guidance", 110e12, None, currency="KRW",
                    qualifier="at_least", usd_min=None, usd_max=73.3e9)
    return c


@pytest.fixture(scope="session")
def scenario_warehouse(tmp_path_factory) -> Warehouse:
    work_dir = tmp_path_factory.mktemp("dbt-scenarios")
    warehouse = Warehouse(work_dir / "warehouse.duckdb", work_dir)
    scenario_corpus().land(warehouse.path)
    warehouse.dbt("build")
    return warehouse
