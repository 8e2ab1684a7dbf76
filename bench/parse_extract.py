"""Figure 1: parse + extract throughput on one core, next to other HTML parsers and trafilatura."""

from __future__ import annotations

from bench.common import Figure, median_times, pin_to_one_core, table
from bench.corpus import make_article


def _pages(n: int, seed: int) -> list[str]:
    return [make_article(seed, i).html for i in range(n)]


def run(n_pages: int = 200, runs: int = 5, seed: int = 7) -> Figure:
    cpu = pin_to_one_core()
    pages = _pages(n_pages, seed)
    mb = sum(len(p.encode("utf-8")) for p in pages) / 1e6

    from ingest.extract import extract_facts
    from ingest.parse import parse_html

    parsed = [parse_html(p) for p in pages]

    def parse_only():
        for p in pages:
            parse_html(p)

    def extract_only():
        for page in parsed:
            extract_facts(page.body_text, page.published_at.date() if page.published_at else None, page.lang)

    def parse_and_extract():
        for p in pages:
            page = parse_html(p)
            extract_facts(page.body_text, page.published_at.date() if page.published_at else None, page.lang)

    rows, data = [], {}

    def measure(label: str, fn, n_runs: int = runs) -> None:
        (med, times), (cpu, cpu_times) = median_times(fn, n_runs)
        data[label] = {"median_s": med, "runs_s": times, "cpu_median_s": cpu, "cpu_runs_s": cpu_times,
                       "pages": n_pages, "mb": mb}
        rows.append([label, n_runs, n_pages / med, mb / med, med / n_pages * 1000, n_pages / cpu,
                     cpu / n_pages * 1000])

    measure("dealwire parse_html + extract_facts (the pipeline's work per article)", parse_and_extract)
    measure("dealwire parse_html alone (ingest/parse.py)", parse_only)
    measure("dealwire extract_facts alone (on the parsed body text)", extract_only)

    from bs4 import BeautifulSoup

    for parser in ("html.parser", "lxml"):
        measure(f"BeautifulSoup({parser}) + get_text", lambda parser=parser: [
            BeautifulSoup(p, parser).get_text(" ") for p in pages])
    import lxml.html

    measure("lxml.html.fromstring + text_content", lambda: [lxml.html.fromstring(p).text_content() for p in pages])
    try:
        from selectolax.lexbor import LexborHTMLParser

        measure("selectolax LexborHTMLParser + text", lambda: [LexborHTMLParser(p).text() for p in pages])
    except ImportError:
        rows.append(["selectolax", "not installed", "", "", ""])
    try:
        import trafilatura

        measure("trafilatura.extract (one run)", lambda: [trafilatura.extract(p) for p in pages], 1)
    except ImportError:
        rows.append(["trafilatura", "not installed", "", "", ""])

    main = data["dealwire parse_html + extract_facts (the pipeline's work per article)"]
    per_article, per_article_cpu = main["median_s"] / n_pages, main["cpu_median_s"] / n_pages
    fig = Figure("parse_extract", "1. Parse + extract throughput, one core")
    fig.lines = [
        f"{n_pages} synthetic pages ({mb / n_pages * 1000:.1f} KB on average, {mb:.1f} MB), the process pinned to "
        f"CPU {cpu}; median of {runs} runs (trafilatura: one run). Target: >= 150 pages/s for parse + extract.",
        "",
        "Wall-clock columns are what the run took on the shared machine; the CPU columns count only this "
        "process's CPU time, which is what the code costs on an idle core.",
        "",
        *table(["what", "runs", "pages/s (wall)", "MB/s (wall)", "ms/page (wall)", "pages/s (CPU)",
                "CPU ms/page"], rows),
        "",
        f"parse + extract: **{1 / per_article:.0f} pages/s wall, {1 / per_article_cpu:.0f} pages/s of CPU time** "
        f"({'meets' if 1 / per_article_cpu >= 150 else 'misses'} the 150 pages/s target on CPU time).",
    ]
    fig.data = {"cpu": cpu, "results": data}
    return fig


def profile_extract(n_pages: int = 40, seed: int = 7) -> str:
    """A pyinstrument profile of extract_facts over n_pages (text), for the report when the target is missed."""
    from pyinstrument import Profiler

    from ingest.extract import extract_facts
    from ingest.parse import parse_html

    parsed = [parse_html(make_article(seed, i).html) for i in range(n_pages)]
    profiler = Profiler()
    with profiler:
        for page in parsed:
            extract_facts(page.body_text, page.published_at.date() if page.published_at else None, page.lang)
    return profiler.output_text(unicode=False, color=False)
