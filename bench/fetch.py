"""Figure 5: fetch throughput against slow loopback hosts, against the politeness limit.

20 threaded HTTP servers on 127.0.0.1, one port each (the fetcher keys hosts by scheme://host:port),
answer every request after 100 ms. A `urls` source lists the same number of pages on every host,
interleaved, and goes through the real collect_source / Fetcher path. With a minimum interval of
I seconds between two requests to one host, the most a polite crawler can do is hosts / I requests/s.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.common import Figure, table
from bench.corpus import make_article


class _SlowServer:
    def __init__(self, delay_s: float, body: bytes):
        self.hits = 0         # pages
        self.robots_hits = 0  # robots.txt requests
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                time.sleep(delay_s)
                if self.path == "/robots.txt":
                    server.robots_hits += 1
                    status, payload, ctype = 404, b"no robots.txt", "text/plain"
                else:
                    server.hits += 1
                    status, payload, ctype = 200, body, "text/html; charset=utf-8"
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def run(hosts: int = 20, pages_per_host: int = 10, delay_s: float = 0.1, seed: int = 7) -> Figure:
    from ingest.collect import collect_source
    from ingest.fetch import Fetcher
    from ingest.sources import SourceConfig

    body = make_article(seed, 0).html.encode("utf-8")
    servers = [_SlowServer(delay_s, body) for _ in range(hosts)]
    try:
        urls = [f"{s.base_url}/story/{i}" for i in range(pages_per_host) for s in servers]
        fetcher = Fetcher()
        interval = fetcher.min_host_interval_s
        source = SourceConfig(name="bench-fetch", kind="urls", urls=tuple(urls), max_articles=len(urls))
        t0 = time.perf_counter()
        batch = collect_source(source, {}, fetcher=fetcher)
        elapsed = time.perf_counter() - t0
        fetcher_close = getattr(fetcher, "close", None)
        if fetcher_close:
            fetcher_close()
        pages = sum(s.hits for s in servers)
        requests_made = pages + sum(s.robots_hits for s in servers)
    finally:
        for s in servers:
            s.close()
    limit = hosts / interval
    # Each host's first page costs a robots.txt request plus one interval; the steady-state bound
    # for pages only is hosts * pages_per_host / ((pages_per_host) * interval).
    achieved = requests_made / elapsed  # robots.txt requests count against the same interval
    workers = getattr(fetcher, "max_workers", 1)
    fig = Figure("fetch", "5. Fetch throughput against the politeness limit")
    fig.lines = [
        f"{hosts} loopback hosts (distinct ports), {delay_s * 1000:.0f} ms added to every response, "
        f"{pages_per_host} pages per host interleaved, robots.txt answered 404 (allow all); the real "
        f"`collect_source` + `Fetcher` (min_host_interval_s = {interval}, max_workers = {workers}). "
        "Target: >= 90 % of the politeness limit. One run.", "",
        *table(["pages fetched", "requests (pages + robots.txt)", "articles", "seconds", "achieved req/s",
                "pages/s", "politeness limit req/s", "share of limit"],
               [[pages, requests_made, len(batch.articles), f"{elapsed:.1f}", f"{achieved:.2f}",
                 f"{pages / elapsed:.2f}", f"{limit:.1f}", f"{achieved / limit:.0%}"]]),
        "",
        "Each host's robots.txt is fetched first and counts against the same interval, so achieved req/s "
        "counts it; pages/s alone is lower by that share (1 in pages_per_host + 1).",
    ]
    fig.data = {"pages": pages, "requests": requests_made, "seconds": elapsed, "achieved_rps": achieved, "limit_rps": limit,
                "interval_s": interval, "max_workers": workers, "hosts": hosts}
    return fig
