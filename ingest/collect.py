"""One source, one pass: discover -> fetch -> parse -> Article records plus a fetch log.

A failure is recorded, never raised: a dead source or a bad page costs only itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ingest.discover import FeedError, directory_files, feed_links
from ingest.fetch import DEFAULT_USER_AGENT, DisallowedByRobots, Fetcher, FetchError, decode_html
from ingest.parse import parse_html
from ingest.records import Article, FetchResult
from ingest.sources import SourceConfig
from warehouse.paths import PROJECT_ROOT

_TRACKING_PARAMS = ("utm_", "spm", "fbclid", "gclid", "from", "share")


@dataclass
class SourceBatch:
    source: str
    articles: list[Article] = field(default_factory=list)
    fetches: list[FetchResult] = field(default_factory=list)
    # ETag / Last-Modified of pages read successfully this run, to make the next request conditional.
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)

    def count(self, outcome: str) -> int:
        return sum(1 for f in self.fetches if f.outcome == outcome)


def canonical_url(url: str) -> str:
    """Drop fragments and tracking parameters; lowercase the host."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(_TRACKING_PARAMS)]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), ""))


def collect_source(source: SourceConfig, known_hashes: dict[str, str], fetcher: Fetcher | None = None,
                   validators: dict[str, tuple[str | None, str | None]] | None = None) -> SourceBatch:
    batch = SourceBatch(source.name)
    try:
        if source.kind == "directory":
            _collect_directory(source, known_hashes, batch)
        else:
            fetcher = fetcher or Fetcher(user_agent=source.user_agent or DEFAULT_USER_AGENT)
            urls = list(source.urls) if source.kind == "urls" else _feed_urls(source, fetcher, batch)
            for url in urls[: source.max_articles]:
                _collect_page(source, url, fetcher, known_hashes, batch, (validators or {}).get(url))
    except (OSError, FeedError, FetchError) as error:
        batch.fetches.append(_error(source.name, source.url or source.path or "", error))
    return batch


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _error(source: str, url: str, error: Exception, started_at: datetime | None = None,
           elapsed_ms: int = 0) -> FetchResult:
    status = getattr(error, "http_status", None)
    nbytes = getattr(error, "nbytes", 0)
    return FetchResult(source, url, started_at or _now(), status, nbytes, elapsed_ms, "error",
                       f"{type(error).__name__}: {error}")


def _feed_urls(source: SourceConfig, fetcher: Fetcher, batch: SourceBatch) -> list[str]:
    response = fetcher.get(source.url)
    batch.fetches.append(FetchResult(source.name, source.url, response.started_at, response.status,
                                     len(response.content), response.elapsed_ms, "skipped", None))
    return feed_links(response.content)


def _collect_page(source: SourceConfig, url: str, fetcher: Fetcher, known: dict[str, str],
                  batch: SourceBatch, validators: tuple[str | None, str | None] | None) -> None:
    started_at, clock = _now(), time.monotonic()
    try:
        response = fetcher.get(url, validators)
        if response.not_modified:  # costs nothing downstream: no parse, no extraction
            batch.fetches.append(FetchResult(source.name, url, started_at, 304, 0, response.elapsed_ms,
                                             "not_modified"))
            return
        page = parse_html(response.text(), url=response.url)
    except DisallowedByRobots as error:
        batch.fetches.append(FetchResult(source.name, url, started_at, None, 0, 0, "skipped", str(error)))
        return
    except FetchError as error:
        batch.fetches.append(_error(source.name, url, error, started_at, int((time.monotonic() - clock) * 1000)))
        return
    if not page.body_text.strip():
        batch.fetches.append(FetchResult(source.name, url, started_at, response.status, len(response.content),
                                         response.elapsed_ms, "error", "empty page: no body text found"))
        return
    article = Article(url=response.url, canonical_url=canonical_url(page.canonical_url or response.url),
                      source=source.name, title=page.title, published_at=page.published_at,
                      lang=page.lang, body_text=page.body_text)
    if response.etag or response.last_modified:
        batch.validators[url] = (response.etag, response.last_modified)
    _add(batch, article, known, FetchResult(source.name, url, started_at, response.status,
                                            len(response.content), response.elapsed_ms, "new"))


def _collect_directory(source: SourceConfig, known: dict[str, str], batch: SourceBatch) -> None:
    for path in directory_files(source):
        started_at, clock = _now(), time.monotonic()
        url = _file_url(path)
        try:
            content = path.read_bytes()
        except OSError as error:
            batch.fetches.append(_error(source.name, url, error, started_at))
            continue
        if path.suffix.lower() == ".txt":
            text = decode_html(content)
            article = Article(url=url, canonical_url=url, source=source.name, title=None, published_at=None,
                              lang=None, body_text=text.strip())
        else:
            page = parse_html(decode_html(content), url=url)
            article = Article(url=url, canonical_url=canonical_url(page.canonical_url) if page.canonical_url
                              else url, source=source.name, title=page.title, published_at=page.published_at,
                              lang=page.lang, body_text=page.body_text)
        _add(batch, article, known, FetchResult(source.name, url, started_at, None, len(content),
                                                int((time.monotonic() - clock) * 1000), "new"))


def _file_url(path: Path) -> str:
    try:
        return "file:" + path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.resolve().as_uri()


def _add(batch: SourceBatch, article: Article, known: dict[str, str], fetch: FetchResult) -> None:
    stored = known.get(article.article_id)
    outcome = "new" if stored is None else ("unchanged" if stored == article.content_sha256 else "changed")
    batch.fetches.append(replace(fetch, outcome=outcome))
    if outcome != "unchanged":
        batch.articles.append(article)

