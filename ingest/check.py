"""`dealwire sources check`: can each source be read right now? One request per source, no ingest.

A web source is asked once for its entry point (the feed, the sitemap, the first listing page, or
the first of a `urls` list) with the pipeline's own Fetcher, so robots.txt, the User-Agent and the
politeness interval are the same as in a real run. A directory source must exist and hold files.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ingest.discover import (ARTICLE_SUFFIXES, DiscoveryError, feed_links, listing_links,
                             parse_sitemap)
from ingest.fetch import PAGE_TYPES, SITEMAP_TYPES, DisallowedByRobots, Fetcher, FetchError
from ingest.sources import SourceConfig


@dataclass(frozen=True)
class SourceCheck:
    name: str
    kind: str
    target: str  # the URL or folder checked
    ok: bool
    status: int | None = None  # HTTP status, if an answer came back
    elapsed_ms: int | None = None  # the entry-point request alone (not robots.txt, not the polite wait)
    robots: str = "-"  # allowed / disallowed / - (not HTTP, or the host did not answer)
    detail: str = ""


def location(source: SourceConfig) -> str:
    """What `sources list` shows: the URL, the folder, or the first of the URLs."""
    if source.kind == "directory":
        return source.path or ""
    if source.kind == "urls":
        more = f" (+{len(source.urls) - 1} more)" if len(source.urls) > 1 else ""
        return (source.urls[0] if source.urls else "") + more
    return source.url or ""


def check_sources(sources: list[SourceConfig]) -> list[SourceCheck]:
    """Check each source in turn. Sources with one User-Agent share a Fetcher, so a host's robots.txt
    is read once and its politeness interval holds across sources."""
    fetchers: dict[str, Fetcher] = {}
    try:
        results = []
        for source in sources:
            agent = source.effective_user_agent
            fetcher = None
            if source.kind != "directory":
                fetcher = fetchers.setdefault(agent, Fetcher(user_agent=agent, max_attempts=1))
            results.append(check_source(source, fetcher))
        return results
    finally:
        for fetcher in fetchers.values():
            fetcher.close()


def check_source(source: SourceConfig, fetcher: Fetcher | None = None) -> SourceCheck:
    if source.kind == "directory":
        return _check_directory(source)
    url = source.urls[0] if source.kind == "urls" else source.url
    if not url:
        return SourceCheck(source.name, source.kind, "", False, detail="no URL configured")
    own = fetcher is None
    # One attempt: the question is "does it answer now", not "does it answer eventually".
    fetcher = fetcher or Fetcher(user_agent=source.effective_user_agent, max_attempts=1)
    try:
        return _check_url(source, url, fetcher)
    finally:
        if own:
            fetcher.close()


def _check_directory(source: SourceConfig) -> SourceCheck:
    root = source.resolved_path()
    if not root.is_dir():
        return SourceCheck(source.name, source.kind, str(root), False, detail="folder does not exist")
    n = sum(1 for p in root.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
    suffixes = "/".join(ARTICLE_SUFFIXES)
    return SourceCheck(source.name, source.kind, str(root), n > 0,
                       detail=f"{n} {suffixes} files" if n else f"no {suffixes} files")


def _check_url(source: SourceConfig, url: str, fetcher: Fetcher) -> SourceCheck:
    fetcher.load_robots(url)
    # Wait out the politeness interval the robots.txt request started, so elapsed is the request alone.
    time.sleep(fetcher.seconds_until_ready(url))
    clock = time.monotonic()
    try:
        response = fetcher.get(url, accept=SITEMAP_TYPES if source.kind == "sitemap" else PAGE_TYPES)
    except DisallowedByRobots as error:
        return SourceCheck(source.name, source.kind, url, False, robots="disallowed", detail=str(error))
    except FetchError as error:
        elapsed = int((time.monotonic() - clock) * 1000)
        status = error.http_status
        # An HTTP status means the host answered, so its robots.txt was read and allowed the URL.
        return SourceCheck(source.name, source.kind, url, False, status, elapsed,
                           "allowed" if status else "-", str(error))
    elapsed = int((time.monotonic() - clock) * 1000)
    ok, detail = _what_it_offers(source, response)
    return SourceCheck(source.name, source.kind, url, ok, response.status, elapsed, "allowed", detail)


def _what_it_offers(source: SourceConfig, response) -> tuple[bool, str]:
    """Reachable is not enough for an index page: it must also yield links, as ingest would read it."""
    try:
        if source.kind == "rss":
            return True, f"feed: {len(feed_links(response.content))} links"
        if source.kind == "sitemap":
            sitemap = parse_sitemap(response.content)
            return True, f"sitemap {sitemap.kind}: {len(sitemap.entries)} entries"
        if source.kind == "listing":
            links, _ = listing_links(response.content, response.url, source.link_selector, source.next_selector)
            if not links:
                return False, f"no link matches {source.link_selector!r}"
            return True, f"listing: {len(links)} links"
    except DiscoveryError as error:
        return False, f"{type(error).__name__}: {error}"
    more = f" (1 of {len(source.urls)} URLs checked)" if len(source.urls) > 1 else ""
    return True, f"{len(response.content):,} bytes{more}"
