"""Figure 2: loading raw.articles: the project's load (warehouse/loads.py) against other ways to insert."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import duckdb

from bench.common import Figure, median_time, table
from bench.corpus import make_article

_COLUMNS = ("article_id", "url", "canonical_url", "source", "title", "published_at", "lang", "body_text",
            "content_sha256", "first_fetched_at", "last_fetched_at")


def _articles(n: int, seed: int):
    """n Article records with real parsed bodies (a few hundred pages parsed, then reused with new URLs)."""
    from dataclasses import replace

    from ingest.parse import parse_html
    from ingest.records import Article

    base = []
    for i in range(min(n, 200)):
        a = make_article(seed, i)
        page = parse_html(a.html)
        base.append(Article(url=a.url, canonical_url=a.url, source="bench", title=page.title,
                            published_at=page.published_at, lang=page.lang, body_text=page.body_text))
    return [replace(base[i % len(base)], url=f"{base[i % len(base)].url}?copy={i}",
                    canonical_url=f"{base[i % len(base)].url}?copy={i}") for i in range(n)]


def _fresh(path: Path) -> duckdb.DuckDBPyConnection:
    from warehouse.connection import ensure_raw_schema

    path.unlink(missing_ok=True)
    Path(str(path) + ".wal").unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    ensure_raw_schema(con)
    return con


def run(n_rows: int = 2000, runs: int = 3, seed: int = 7) -> Figure:
    from warehouse import loads

    articles = _articles(n_rows, seed)
    now = dt.datetime(2026, 1, 1)
    rows = [(a.article_id, a.url, a.canonical_url, a.source, a.title, a.published_at, a.lang, a.body_text,
             a.content_sha256, now, now) for a in articles]
    insert = "insert into raw.articles values (" + ", ".join("?" * len(_COLUMNS)) + ")"
    results, data = [], {}
    with tempfile.TemporaryDirectory(prefix="dealwire-bench-loads-") as tmp:
        db = Path(tmp) / "bench.duckdb"

        def method(label: str, load) -> None:
            def once():
                con = _fresh(db)
                try:
                    load(con)
                    assert con.execute("select count(*) from raw.articles").fetchone()[0] == n_rows
                finally:
                    con.close()
            med, times = median_time(once, runs)
            data[label] = {"median_s": med, "runs_s": times, "rows": n_rows}
            results.append([label, n_rows, n_rows / med, med])

        method("project: warehouse.loads.upsert_articles (new ids: plain insert of unnested column lists; "
               "stored ids: on conflict do update)",
               lambda con: loads.upsert_articles(con, articles, now))

        def previous_upsert(con):  # the project's code before issue 7: executemany with on conflict
            con.execute("begin")
            con.executemany(insert + """
                on conflict (article_id) do update set url = excluded.url, source = excluded.source,
                    title = excluded.title, published_at = excluded.published_at, lang = excluded.lang,
                    body_text = excluded.body_text, content_sha256 = excluded.content_sha256,
                    last_fetched_at = excluded.last_fetched_at""", rows)
            con.execute("commit")
        method("before: executemany with on conflict do update (the project's code until issue 7)", previous_upsert)

        def row_by_row(con):
            con.execute("begin")
            for row in rows:
                con.execute(insert, row)
            con.execute("commit")
        method("row by row: one execute per row, one transaction", row_by_row)
        method("executemany plain insert, one transaction", lambda con: (
            con.execute("begin"), con.executemany(insert, rows), con.execute("commit")))

        def via_json(con):
            path = Path(tmp) / "rows.ndjson"
            with open(path, "w", encoding="utf-8") as f:
                for row in rows:
                    f.write(json.dumps(dict(zip(_COLUMNS, row)), default=str, ensure_ascii=False) + "\n")
            columns = ", ".join(f"'{c}': '{t}'" for c, t in zip(_COLUMNS, (
                "VARCHAR",) * 5 + ("TIMESTAMP",) + ("VARCHAR",) * 3 + ("TIMESTAMP",) * 2))
            con.execute(f"insert into raw.articles select * from read_json('{path}', format = 'newline_delimited', "
                        f"columns = {{{columns}}})")
        method("bulk: NDJSON file + insert ... select * from read_json (file writing included)", via_json)

        def via_values(con):
            # A pandas- and pyarrow-free bulk path: one multi-row VALUES statement per 500 rows.
            con.execute("begin")
            for start in range(0, len(rows), 500):
                chunk = rows[start:start + 500]
                sql = "insert into raw.articles values " + ", ".join(
                    "(" + ", ".join("?" * len(_COLUMNS)) + ")" for _ in chunk)
                con.execute(sql, [v for row in chunk for v in row])
            con.execute("commit")
        method("multi-row VALUES, 500 rows per statement", via_values)
        try:
            import pyarrow as pa

            def via_arrow(con):
                tbl = pa.table({c: [row[i] for row in rows] for i, c in enumerate(_COLUMNS)})
                con.register("incoming", tbl)
                con.execute("insert into raw.articles select * from incoming")
            method("Arrow table + insert ... select", via_arrow)
            arrow_note = "pyarrow is installed: the Arrow path is measured."
        except ImportError:
            arrow_note = ("pyarrow and pandas are not installed (duckdb does not bring them), so the Arrow / "
                          "DataFrame insert is not measured; read_json and multi-row VALUES are the bulk paths "
                          "available without them.")
    fig = Figure("loads", "2. Loading raw tables (raw.articles, real parsed bodies)")
    fig.lines = [f"{n_rows} rows into a fresh DuckDB file each run; median of {runs} runs. {arrow_note}", "",
                 *table(["method", "rows", "rows/s", "seconds"], results)]
    fig.data = data
    return fig
