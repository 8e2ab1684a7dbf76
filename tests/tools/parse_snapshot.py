"""Snapshot of parse_html outputs (and of ingest.dates on page text), to prove a refactor of
ingest/parse.py or ingest/dates.py changes nothing.

    python -m tests.tools.parse_snapshot --out /tmp/before.json
    python -m tests.tools.parse_snapshot --out /tmp/after.json --compare /tmp/before.json

Inputs: (a) every HTML page under ingest/sample_corpus and tests/gold (all sets), as bytes (the
decode path) and as text, with and without a fetch time, with no selectors and with each of
SELECTOR_SETS (matching, partly matching and not matching selectors); each page also once with its
machine-readable dates removed (JSON-LD, date meta tags, <time datetime>), so the byline / element /
pre-body date paths run; (b) the pages tests/unit/test_parse.py builds from its parametrized cases;
(c) N synthetic bench pages (bench/corpus.py, seeds 7, 11, 23), every third with its metadata dates
removed, every fifth with selectors. Every field of ParsedPage is recorded. (d) find_date and
parse_datetime on the text of every short element of the real pages, with and without a fetch time.
Exits 1 when --compare finds a difference.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import re
import sys
import time
from pathlib import Path

from tests.tools.extract_snapshot import report_differences, write_snapshot

REPO = Path(__file__).resolve().parents[2]
PAGE_GLOBS = ["ingest/sample_corpus/*.html", "tests/gold/**/*.html"]
FETCHED = dt.datetime(2026, 11, 23, 12, 0)
BENCH_SEEDS = (7, 11, 23)
SELECTOR_SETS = {
    "generic": {"title": "h1", "body": "article", "date": "time"},
    "sources-yml": {"title": "h1.article-title", "body": "div.article-body", "date": "time[datetime]"},
    "meta": {"title": "meta[property='og:title']", "body": "p", "date": "meta[property='article:published_time']"},
    "classes": {"title": ".post-title, .detail-title", "body": ".post-content, .news-content, .detail-text",
                "date": ".byline .date, .dateline, .detail-info"},
    "nested": {"body": "div.article-body > p:first-child", "date": "span.date"},
    "missing": {"title": ".nope", "body": "#nonexistent", "date": "#none"},
}
# Machine-readable publication dates; removing them sends parse_html down its text date paths.
_META_DATES = [re.compile(r'<script[^>]*application/ld\+json[^>]*>.*?</script>', re.S | re.I),
               re.compile(r'<meta[^>]*(?:published|pubdate|date)[^>]*>', re.I),
               re.compile(r'(<time[^>]*?)\sdatetime="[^"]*"', re.I)]


def _strip_meta_dates(html: str) -> str:
    for pattern in _META_DATES:
        html = pattern.sub(lambda m: m.group(1) if m.groups() else "", html)
    return html


def _record(page) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in dataclasses.asdict(page).items()}


def real_pages():
    for pattern in PAGE_GLOBS:
        for path in sorted(REPO.glob(pattern)):
            yield str(path.relative_to(REPO)), path.read_bytes()


def real_inputs():
    from ingest.fetch import decode_html

    for name, data in real_pages():
        text = decode_html(data)
        yield f"page:bytes:{name}", data, None, None
        for fetched in (None, FETCHED):
            tag = "fetched" if fetched else "nofetch"
            yield f"page:{tag}:{name}", text, None, fetched
            yield f"page:{tag}:nometa:{name}", _strip_meta_dates(text), None, fetched
            for sname, selectors in SELECTOR_SETS.items():
                yield f"page:{tag}:sel-{sname}:{name}", text, selectors, fetched
        yield f"page:nometa:sel-classes:{name}", _strip_meta_dates(text), SELECTOR_SETS["classes"], FETCHED


def unit_test_inputs():
    """The pages tests/unit/test_parse.py builds, read from its parametrize marks."""
    from tests.unit import test_parse as t

    yield "unit:selector_page", t.SELECTOR_PAGE, None, None
    yield "unit:nth_page", t.NTH_PAGE, None, None
    n = 0
    for name in sorted(dir(t)):
        fn = getattr(t, name)
        for mark in getattr(fn, "pytestmark", []):
            if mark.name != "parametrize":
                continue
            argnames = [a.strip() for a in mark.args[0].split(",")] if isinstance(mark.args[0], str) else mark.args[0]
            for values in mark.args[1]:
                values = values if len(argnames) > 1 else (values,)
                case = dict(zip(argnames, values))
                pages = []
                if "html" in case:
                    pages.append(case["html"])
                for key in ("head", "body", "byline", "line", "noise"):
                    if key in case and isinstance(case[key], str):
                        value = case[key] if key in ("head", "body", "byline") else f"<p>{case[key]}</p>"
                        pages.append(t.make_page(**({"head": value} if key == "head" else {"body": value})))
                        if key == "body":
                            pages.append(t.make_page(body=value, container="div", klass="content"))
                for page in pages:
                    for fetched in (None, FETCHED):
                        n += 1
                        yield f"unit:{name}:{n}", page, None, fetched
    for sname, selectors in SELECTOR_SETS.items():
        yield f"unit:selector_page:sel-{sname}", t.SELECTOR_PAGE, selectors, FETCHED


def bench_inputs(n: int):
    from bench.corpus import make_article

    per_seed = -(-n // len(BENCH_SEEDS))
    sets = list(SELECTOR_SETS.items())
    for seed in BENCH_SEEDS:
        for i in range(per_seed):
            html = make_article(seed, i).html
            key = f"bench:{seed}:{i}"
            if i % 3 == 1:
                html, key = _strip_meta_dates(html), key + ":nometa"
            selectors = None
            if i % 5 == 2:
                sname, selectors = sets[(i // 5) % len(sets)]
                key += f":sel-{sname}"
            yield key, html, selectors, FETCHED


def date_inputs() -> dict[str, list]:
    """find_date / parse_datetime on every short element text of the real pages."""
    import lxml.html

    from ingest.dates import find_date, parse_datetime
    from ingest.fetch import decode_html

    def iso(value):
        return value.isoformat() if value else None

    out: dict[str, list] = {}
    for name, data in real_pages():
        root = lxml.html.document_fromstring(decode_html(data))
        rows = []
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            text = " ".join(el.text_content().split())
            if text and len(text) <= 300:
                rows.append([text, iso(find_date(text)), iso(find_date(text, FETCHED)),
                             iso(parse_datetime(text, FETCHED))])
            for value in (el.get("content"), el.get("datetime")):
                if value:
                    rows.append([value, iso(parse_datetime(value)), iso(parse_datetime(value, FETCHED))])
        out[f"dates:{name}"] = rows
    return out


def snapshot(n_bench: int) -> tuple[dict[str, dict], float, int]:
    from ingest.parse import parse_html

    out: dict[str, dict] = {}
    cpu = 0.0
    n_bench_pages = 0
    for source in (real_inputs(), unit_test_inputs(), bench_inputs(n_bench)):
        for key, html, selectors, fetched in source:
            t0 = time.process_time()
            page = parse_html(html, url="https://news.example/a/b?c=1", selectors=selectors, fetched_at=fetched)
            cpu += time.process_time() - t0
            assert key not in out, key
            out[key] = _record(page)
            n_bench_pages += key.startswith("bench:")
    out.update(date_inputs())
    return out, cpu, n_bench_pages


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--compare")
    ap.add_argument("--bench-pages", type=int, default=2000)
    args = ap.parse_args(argv)
    snap, cpu, n_bench = snapshot(args.bench_pages)
    write_snapshot(snap, args.out)
    n_pages = sum(1 for k in snap if not k.startswith("dates:"))
    n_dates = sum(len(v) for k, v in snap.items() if k.startswith("dates:"))
    dated = sum(1 for k, v in snap.items() if not k.startswith("dates:") and v["published_at"])
    print(f"{n_pages} parses ({n_bench} bench pages, {dated} with a date), {n_dates} date rows, "
          f"parse_html CPU {cpu:.2f} s -> {args.out}")
    return report_differences(snap, args.compare, max_chars=2000)


if __name__ == "__main__":
    sys.exit(main())
