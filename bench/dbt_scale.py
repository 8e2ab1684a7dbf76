"""How `dbt build` scales with the corpus, without fetching, parsing or extracting anything.

    python -m bench.dbt_scale --articles 10000,30000,100000

For each size it writes a DuckDB file whose raw tables look like the pipeline's after a
`dealwire run` on that many synthetic articles (bench/corpus.py), runs `dbt build` on it, then
lands 100 more articles' rows and runs `dbt build` again (the refresh). Per size it reports the
seconds of each model (target/run_results.json), and for each dbt invocation its CPU seconds
and peak RSS (os.wait4 on the dbt process: its own getrusage RUSAGE_CHILDREN share).

The raw rows come from two places:
  - the corpus: article i gets the language, date and money facts bench/corpus.py gives page i
    (the same random stream, without writing the HTML), as the extractor reads them: every deal
    sentence is an announced equity stake except the "funding round led by" template, a
    completed funding_round; capex is exact guidance. Same seed, same facts as `make bench`.
  - the sample warehouse (`make run`'s raw rows, bundled corpus): copies of its 24 articles with
    new ids, shifted dates and each copy's amounts scaled by one factor, so every deal family,
    qualifier, amount-less mention and stated USD figure of real articles occurs at scale;
    about one article in ten comes from here.
Bodies are short: no model reads them beyond a hash.

Use --project-dir to build another copy of the dbt project (before / after a model change) and
--compare to check two built files hold the same marts (EXCEPT ALL both ways).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from bench import corpus
from warehouse.schema import RAW_SCHEMA, RAW_TABLES_DDL

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT = PROJECT_ROOT / "dbt_project"
DBT = str(Path(sys.executable).parent / "dbt")
FETCHED_AT = dt.datetime(2026, 11, 23, 12, 0)
SAMPLE_SHARE = 0.1            # share of articles copied from the sample warehouse
REFRESH_ARTICLES = 100
MARTS = ["deals", "deal_participants", "capex", "capex_revisions", "company_ledger", "money_flows",
         "circular_deals", "dim_companies", "fct_deal_mentions", "fct_capex_mentions"]


def _template_regex(template: str) -> re.Pattern[str]:
    """The sentences a corpus template writes: its text with every {placeholder} filled."""
    return re.compile(re.sub(r"\\\{\w+\\\}", ".+", re.escape(template)))


# How the extractor reads the corpus's deal sentences (checked with ingest.extract on every
# template): the round template is a completed funding_round, every other an announced stake.
_ROUND_SENTENCE = _template_regex(corpus._EN_DEAL[2])


def _hex(*parts: object) -> str:
    return hashlib.md5("|".join(map(str, parts)).encode()).hexdigest()[:16]


@dataclass
class RawRows:
    """Column lists per raw table, appended row by row and landed in one statement each."""

    tables: dict[str, dict[str, list]] = field(default_factory=dict)

    def add(self, table: str, row: dict) -> None:
        columns = self.tables.setdefault(table, {})
        for name, value in row.items():
            columns.setdefault(name, []).append(value)

    def count(self, table: str) -> int:
        columns = self.tables.get(table)
        return len(next(iter(columns.values()))) if columns else 0


def _article(rows: RawRows, url: str, source: str, title: str, published: dt.datetime | None, lang: str,
             body: str, fetched_at: dt.datetime) -> str:
    article_id = _hex(url)
    rows.add("articles", {
        "article_id": article_id, "url": url, "canonical_url": url, "source": source, "title": title,
        "published_at": published, "lang": lang, "body_text": body,
        "content_sha256": hashlib.sha256(body.encode()).hexdigest(),
        "first_fetched_at": fetched_at, "last_fetched_at": fetched_at})
    rows.add("fetch_log", {
        "source": source, "url": url, "started_at": fetched_at, "http_status": 200, "bytes": 40_000,
        "elapsed_ms": 5, "outcome": "new", "error": None})
    return article_id


def _corpus_article(rows: RawRows, seed: int, index: int, fetched_at: dt.datetime) -> None:
    """Page `index` of bench/corpus.py: the random draws of make_article up to its facts."""
    rng = corpus._rng(seed, index)
    lang = rng.choices(corpus.LANGS, weights=corpus.LANG_WEIGHTS)[0]
    site, slug = rng.choice(corpus._SITES[lang])
    published = corpus._EPOCH + dt.timedelta(days=rng.randint(0, 900), minutes=rng.randint(0, 1439))
    url = f"https://www.{slug}.example/{lang.lower()}/{published:%Y/%m/%d}/story-{seed}-{index}"
    facts = []
    if rng.random() < corpus.FACT_SHARE:
        facts = [corpus._fact_sentence(rng, lang, published.year) for _ in range(rng.choice([1, 1, 2, 3]))]
    body = " ".join([f"{site} story {index}."] + [sentence for sentence, _ in facts])
    article_id = _article(rows, url, "synthetic", f"story {index}", published, lang, body, fetched_at)
    offset = len(site) + 10
    for n, (sentence, fact) in enumerate(facts):
        usd = fact.amount if fact.currency == "USD" else None
        common = {"mention_id": _hex(article_id, n), "article_id": article_id, "amount_min": fact.amount,
                  "amount_max": fact.amount, "currency": fact.currency, "qualifier": "exact",
                  "amount_usd_min": usd, "amount_usd_max": usd, "aggregate": False, "evidence": sentence,
                  "sentence_start": offset, "sentence_end": offset + len(sentence),
                  "extractor_version": "bench", "extracted_at": fetched_at}
        offset += len(sentence) + 1
        if fact.kind == "deal":
            is_round = lang == "en" and _ROUND_SENTENCE.fullmatch(sentence) is not None
            rows.add("deal_mentions", {
                **common, "investor_raw": fact.investor, "investor": fact.investor,
                "target_raw": fact.target, "target": fact.target, "valuation": None,
                "valuation_currency": None, "status": "completed" if is_round else "announced",
                "deal_type": "funding_round" if is_round else "equity"})
        else:
            rows.add("capex_mentions", {
                **common, "company_raw": fact.company, "company": fact.company, "period": fact.period,
                "capex_kind": "guidance"})


@dataclass
class Sample:
    """The raw rows of a sample warehouse: articles with their deal and capex mentions."""

    articles: list[dict]
    deals: dict[str, list[dict]]      # article_id -> mentions
    capex: dict[str, list[dict]]

    @classmethod
    def read(cls, path: Path) -> Sample:
        with tempfile.TemporaryDirectory() as tmp:   # never open a file the pipeline may be writing
            copy = Path(tmp) / "sample.duckdb"
            shutil.copy(path, copy)
            con = duckdb.connect(str(copy), read_only=True)
            try:
                tables = {t: _dicts(con, f"select * from raw.{t}") for t in ("articles", "deal_mentions",
                                                                               "capex_mentions")}
            finally:
                con.close()
        by_article: dict[str, dict[str, list[dict]]] = {"deal_mentions": {}, "capex_mentions": {}}
        for table, mentions in by_article.items():
            for row in tables[table]:
                mentions.setdefault(row["article_id"], []).append(row)
        return cls(tables["articles"], by_article["deal_mentions"], by_article["capex_mentions"])

    def copy_into(self, rows: RawRows, copy: int, seed: int, fetched_at: dt.datetime) -> None:
        """Copy `copy` of every sample article: new ids, dates shifted together, amounts scaled."""
        rng = random.Random(f"dealwire-dbt-scale:{seed}:{copy}")
        shift = dt.timedelta(days=rng.randint(-700, 200), minutes=rng.randint(0, 1439))
        scale = rng.choice([1.0, rng.uniform(0.5, 2.0)])   # some copies repeat the same figures
        for article in self.articles:
            published = article["published_at"] + shift if article["published_at"] else None
            url = f"{article['url']}?copy={copy}"
            article_id = _article(rows, url, f"{article['source']}-{copy % 7}", article["title"], published,
                                  article["lang"], f"{article['body_text'][:200]} [{copy}]", fetched_at)
            for table, mentions in (("deal_mentions", self.deals), ("capex_mentions", self.capex)):
                for mention in mentions.get(article["article_id"], []):
                    new = {**mention, "mention_id": _hex(mention["mention_id"], copy), "article_id": article_id,
                           "extracted_at": fetched_at}
                    for column in ("amount_min", "amount_max", "amount_usd_min", "amount_usd_max", "valuation"):
                        if new.get(column) is not None:
                            new[column] = round(new[column] * scale, -6)
                    if table == "capex_mentions" and new["period"]:   # the period moves with the dates
                        new["period"] = re.sub(r"\d{4}", lambda y: str(int(y[0]) + round(shift.days / 365)),
                                               new["period"])
                    rows.add(table, new)


def _dicts(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def raw_rows(n_articles: int, seed: int, sample: Sample | None, start: int = 0,
             fetched_at: dt.datetime = FETCHED_AT) -> RawRows:
    """Articles start .. start+n-1: about one in ten a sample copy (all 24 of it), the rest corpus pages."""
    rows = RawRows()
    per_copy = len(sample.articles) if sample and sample.articles else 0
    every = round(per_copy / SAMPLE_SHARE) if per_copy else 0
    index = start
    while index < start + n_articles:
        if every and index % every == 0 and index + per_copy <= start + n_articles:
            sample.copy_into(rows, index // every, seed, fetched_at)
            index += per_copy
        else:
            _corpus_article(rows, seed, index, fetched_at)
            index += 1
    return rows


def land(path: Path, rows: RawRows) -> None:
    """One insert per table: the columns travel as typed lists, unnested side by side."""
    con = duckdb.connect(str(path))
    try:
        con.execute(f"create schema if not exists {RAW_SCHEMA}")
        for ddl in RAW_TABLES_DDL.values():
            con.execute(ddl)
        for table, columns in rows.tables.items():
            types = dict(con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ?", [RAW_SCHEMA, table]).fetchall())
            names = list(columns)
            select = ", ".join(f"unnest(${i + 1}::{types[n]}[]) as {n}" for i, n in enumerate(names))
            con.execute(f"insert into {RAW_SCHEMA}.{table} by name (select {select})",
                        [columns[n] for n in names])
        con.execute("checkpoint")
    finally:
        con.close()


@dataclass
class DbtRun:
    label: str
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int
    models: dict[str, float]      # model name -> seconds
    tests_s: float
    output_tail: str = ""


def run_dbt(label: str, warehouse: Path, project_dir: Path, target_path: Path, *args: str) -> DbtRun:
    """`dbt <args>` on `warehouse`; CPU and peak RSS of that process alone (os.wait4)."""
    env = {**os.environ, "DEALWIRE_BUILD_DUCKDB_PATH": str(warehouse), "DEALWIRE_DUCKDB_PATH": str(warehouse)}
    log = target_path / f"{label}.log"
    target_path.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with open(log, "w") as out:
        process = subprocess.Popen(
            [DBT, *args, "--project-dir", str(project_dir), "--profiles-dir", str(DBT_PROJECT),
             "--target-path", str(target_path), "--log-path", str(target_path / "logs")],
            cwd=project_dir, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    models: dict[str, float] = {}
    tests_s = 0.0
    results = target_path / "run_results.json"
    if results.exists():
        for result in json.loads(results.read_text())["results"]:
            kind, name = result["unique_id"].split(".")[0], result["unique_id"].split(".")[-1]
            if kind in ("model", "seed"):
                models[name] = result["execution_time"]
            else:
                tests_s += result["execution_time"]
        shutil.copy(results, target_path / f"{label}.run_results.json")
    return DbtRun(label, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode,
                  models, tests_s, log.read_text()[-3000:])


def compare_marts(a: Path, b: Path) -> dict[str, tuple[int, int, int, int]]:
    """mart -> (rows in a, rows only in a, rows only in b, rows differing once doubles are rounded
    to the cent), multiset semantics (EXCEPT ALL). Summing doubles in parallel adds them in any
    order, so a rebuild of the same rows may differ in the last bits of a sum: the fourth
    count tells such noise from a real difference."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{a}' as a (read_only)")
        con.execute(f"attach '{b}' as b (read_only)")
        out = {}
        for mart in MARTS:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = 'a' and table_schema = 'marts' and table_name = ? order by ordinal_position",
                [mart]).fetchall()
            rounded = ", ".join(f"round({c}, 2)" if t == "DOUBLE" else c for c, t in columns)
            n = con.execute(f"select count(*) from a.marts.{mart}").fetchone()[0]
            counts = [con.execute(f"select count(*) from (select {cols} from {x}.marts.{mart} "
                                  f"except all select {cols} from {y}.marts.{mart})").fetchone()[0]
                      for cols, x, y in (("*", "a", "b"), ("*", "b", "a"), (rounded, "a", "b"), (rounded, "b", "a"))]
            out[mart] = (n, counts[0], counts[1], counts[2] + counts[3])
        return out
    finally:
        con.close()


def _print_run(run: DbtRun, top: int) -> None:
    print(f"  {run.label}: rc {run.returncode}, wall {run.wall_s:.1f} s, CPU {run.cpu_s:.1f} s, "
          f"peak RSS {run.peak_rss_mb:,.0f} MB, models {sum(run.models.values()):.1f} s, tests {run.tests_s:.1f} s")
    for name, seconds in sorted(run.models.items(), key=lambda kv: -kv[1])[:top]:
        print(f"      {seconds:8.2f} s  {name}")
    if run.returncode:
        print(run.output_tail)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="dbt build on a synthetic raw warehouse of N articles")
    parser.add_argument("--articles", default="10000", help="comma-separated sizes, e.g. 10000,30000,100000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=Path, default=PROJECT_ROOT / "data" / "dealwire.duckdb",
                        help="warehouse whose raw rows are copied in (copied to a temp file first); "
                             "'none' for corpus rows only")
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "dbtscale")
    parser.add_argument("--project-dir", type=Path, default=DBT_PROJECT)
    parser.add_argument("--label", default="", help="suffix of the files written (to keep two projects apart)")
    parser.add_argument("--no-refresh", action="store_true", help="skip the 100-article refresh")
    parser.add_argument("--raw-only", action="store_true", help="write the raw files, run no dbt")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"),
                        help="only compare the marts of two built files and exit")
    parser.add_argument("--top", type=int, default=8, help="models listed per run")
    args = parser.parse_args(argv)

    if args.compare:
        diff = compare_marts(*args.compare)
        for mart, (n, only_a, only_b, rounded) in diff.items():
            print(f"{mart:20} {n:>9,} rows  only in A {only_a:,}  only in B {only_b:,}  "
                  f"differing with doubles rounded to the cent {rounded:,}")
        return 1 if any(rounded for *_, rounded in diff.values()) else 0

    sample = None if str(args.sample) == "none" else Sample.read(args.sample)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    summary = {}
    for n in [int(s) for s in args.articles.split(",")]:
        raw = args.work_dir / f"raw-{n}.duckdb"
        if not raw.exists():
            cpu = time.process_time()
            rows = raw_rows(n, args.seed, sample)
            land(raw, rows)
            print(f"{n:,} articles: raw written in {time.process_time() - cpu:.1f} CPU s -> {raw} "
                  f"({', '.join(f'{t} {rows.count(t):,}' for t in rows.tables)})")
        if args.raw_only:
            continue
        warehouse = args.work_dir / f"build-{n}{args.label}.duckdb"
        shutil.copy(raw, warehouse)
        target = args.work_dir / f"target{args.label}"
        print(f"{n:,} articles ({args.project_dir}):")
        runs = [run_dbt(f"build-{n}", warehouse, args.project_dir, target, "build")]
        _print_run(runs[-1], args.top)
        if not args.no_refresh and runs[-1].returncode == 0:
            land(warehouse, raw_rows(REFRESH_ARTICLES, args.seed, sample, start=n,
                                     fetched_at=FETCHED_AT + dt.timedelta(hours=6)))
            runs.append(run_dbt(f"refresh-{n}", warehouse, args.project_dir, target, "build"))
            _print_run(runs[-1], args.top)
        summary[n] = [run.__dict__ | {"output_tail": ""} for run in runs]
    if summary:
        out = args.work_dir / f"summary{args.label}.json"
        out.write_text(json.dumps(summary, indent=1))
        print(f"-> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
