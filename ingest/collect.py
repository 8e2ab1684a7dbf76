"""One source, one pass: discover -> fetch -> parse -> Article records plus a fetch log.

A failure is recorded, never raised: a dead source or a bad page costs only itself. Pages of
different hosts are fetched in parallel (at most Fetcher.max_workers at once), pages of one host one
after the other; results keep the discovery order whatever finishes first. The files of a directory
source are parsed in worker processes when there are many to read (PARSE_PARALLEL_MIN), in name order.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl, quote_from_bytes, urlencode, urlsplit, urlunsplit

from ingest.discover import DiscoveryError, directory_files, discover_urls
from ingest.fetch import Fetcher, FetchError, FetchSkipped, host_key
from ingest.parse import parse_html
from ingest.records import Article, FetchResult
from ingest.sources import SourceConfig
from ingest.workers import FileRead, process_pool, read_files, worker_count
from warehouse.paths import PROJECT_ROOT

_TRACKING_PARAMS = ("utm_", "spm", "fbclid", "gclid", "from", "share")
Validators = tuple[str | None, str | None]


FileStat = tuple[int, int]  # (size in bytes, mtime in ns) of a directory source's file
DIRECTORY_CHUNK = 1000  # articles per landing of a directory source, when collect_source gets `land`
# Directory files to read above which they are parsed in worker processes (ingest.workers.worker_count):
# starting two 'spawn' workers costs ~0.8 s of CPU, parsing a page ~3-4 ms.
PARSE_PARALLEL_MIN = 500
PARSE_SLICE = 20  # files per task sent to a worker: amortises the IPC round trip, keeps results small
# Slices submitted and not yet consumed, per worker: ~300 parsed bodies (~15 MB) with two workers,
# about what they parse while this process lands a chunk of 1,000, so they rarely wait for it.
PARSE_IN_FLIGHT = 8


@dataclass
class SourceBatch:
    source: str
    articles: list[Article] = field(default_factory=list)
    fetches: list[FetchResult] = field(default_factory=list)
    # ETag / Last-Modified of pages read successfully this run, to make the next request conditional.
    validators: dict[str, Validators] = field(default_factory=dict)
    # Directory sources: (size, mtime_ns) of the files read this run, keyed by file: URL.
    file_state: dict[str, FileStat] = field(default_factory=dict)
    # Directory files not read because their size and mtime are as stored. Not fetched, so not in
    # the fetch log (a no-op refresh of a big folder leaves the raw tables as they were); counted
    # as "unchanged" in the run's summary.
    skipped_unchanged: int = 0
    # How many of `fetches` were already handed to `land` (chunked landing of directory sources).
    landed_fetches: int = 0

    def count(self, outcome: str) -> int:
        n = sum(1 for f in self.fetches if f.outcome == outcome)
        return n + self.skipped_unchanged if outcome == "unchanged" else n


Land = Callable[[SourceBatch], None]


@dataclass(frozen=True)
class _Page:
    """What fetching one URL produced, before it is compared with what the warehouse knows."""

    fetch: FetchResult
    article: Article | None = None
    validators: Validators | None = None


def canonical_url(url: str) -> str:
    """Drop fragments and tracking parameters; lowercase the host."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(_TRACKING_PARAMS)]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), ""))


def collect_source(source: SourceConfig, known_hashes: dict[str, str], fetcher: Fetcher | None = None,
                   validators: dict[str, Validators] | None = None, *,
                   file_state: dict[str, FileStat] | None = None, land: Land | None = None,
                   chunk_size: int = DIRECTORY_CHUNK) -> SourceBatch:
    """Everything one source offers this run. `fetcher` defaults to one with the source's User-Agent.

    Directory sources only: a file whose (size, mtime_ns) equals `file_state[url]` (what the last
    run stored) is skipped before it is read; and with `land`, every `chunk_size` articles are
    handed to `land(batch)` as they are read, then dropped from memory, so a 100k-file source never
    holds more than one chunk of bodies. The fetch log of the files read so far and their file
    state go with each chunk (see `pending`); the caller lands what is left in the returned batch.
    """
    batch = SourceBatch(source.name)
    try:
        if source.kind == "directory":
            _collect_directory(source, known_hashes, batch, file_state or {}, land, max(1, chunk_size))
            return batch
        own_fetcher = fetcher is None
        fetcher = fetcher or Fetcher(user_agent=source.effective_user_agent)
        try:
            found = discover_urls(source, fetcher)
            batch.fetches.extend(found.fetches)
            pages = fetch_pages(source, found.urls, fetcher, validators or {})
        finally:
            if own_fetcher:
                fetcher.close()
        for url, page in zip(found.urls, pages):
            if page.article is None:
                batch.fetches.append(page.fetch)
                continue
            if page.validators:
                batch.validators[url] = page.validators
            _add(batch, page.article, known_hashes, page.fetch)
    except (OSError, DiscoveryError, FetchError) as error:
        batch.fetches.append(_error(source.name, source.url or source.path or "", error))
    return batch


def fetch_pages(source: SourceConfig, urls: list[str], fetcher: Fetcher,
                validators: dict[str, Validators]) -> list[_Page]:
    """Fetch and parse `urls` with at most fetcher.max_workers requests in flight, never two to one host.

    A worker is only handed a host that is idle and past its politeness interval (its robots.txt
    first, then its URLs in discovery order), so hosts waiting out their interval do not tie up
    workers. Results come back in discovery order.
    """
    queues: dict[str, deque[int]] = {}
    for index, url in enumerate(urls):
        queues.setdefault(host_key(url), deque()).append(index)
    pages: list[_Page | None] = [None] * len(urls)
    running: dict[Future, tuple[str, int | None]] = {}  # -> (host, URL index, None for robots.txt)
    workers = max(1, fetcher.max_workers)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dealwire-fetch") as pool:
        while queues or running:
            busy = {host for host, _ in running.values()}
            waits = {}
            for host, queue in list(queues.items()):
                if host in busy or len(running) >= workers:
                    continue
                url = urls[queue[0]]
                if fetcher.robots_pending(url):  # robots.txt first: it is a request too, and rules the rest
                    running[pool.submit(fetcher.load_robots, url)] = (host, None)
                    continue
                waits[host] = fetcher.seconds_until_ready(url)
                if waits[host] > 0:
                    continue
                del waits[host]
                index = queue.popleft()
                if not queue:
                    del queues[host]
                running[pool.submit(_fetch_page, source, url, fetcher, validators.get(url))] = (host, index)
            # Sleep until a request finishes or the next idle host comes off its interval.
            timeout = max(min(waits.values()), 0.005) if waits and len(running) < workers else None
            if not running:
                time.sleep(timeout or 0.005)
                continue
            done, _ = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
            for future in done:
                _, index = running.pop(future)
                result = future.result()
                if index is not None:
                    pages[index] = result
    return pages  # type: ignore[return-value]  # every index was filled


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _error(source: str, url: str, error: Exception, started_at: datetime | None = None,
           elapsed_ms: int = 0) -> FetchResult:
    status = getattr(error, "http_status", None)
    nbytes = getattr(error, "nbytes", 0)
    outcome = "skipped" if isinstance(error, FetchSkipped) else "error"
    return FetchResult(source, url, started_at or _now(), status, nbytes, elapsed_ms, outcome,
                       f"{type(error).__name__}: {error}")


def _fetch_page(source: SourceConfig, url: str, fetcher: Fetcher, validators: Validators | None) -> _Page:
    started_at, clock = _now(), time.monotonic()
    try:
        response = fetcher.get(url, validators)
    except FetchSkipped as error:  # robots.txt, a PDF: deliberately not read
        return _Page(FetchResult(source.name, url, started_at, error.http_status, 0,
                                 int((time.monotonic() - clock) * 1000), "skipped", str(error)))
    except FetchError as error:
        return _Page(_error(source.name, url, error, started_at, int((time.monotonic() - clock) * 1000)))
    if response.not_modified:  # costs nothing downstream: no parse, no extraction
        return _Page(FetchResult(source.name, url, started_at, 304, 0, response.elapsed_ms, "not_modified"))
    fetched = FetchResult(source.name, url, started_at, response.status, len(response.content),
                          response.elapsed_ms, "new")
    try:
        page = parse_html(response.text(), url=response.url, selectors=source.selectors or None,
                          fetched_at=response.started_at)
    except Exception as error:  # noqa: BLE001 - one unparseable page must not sink the source
        return _Page(replace(fetched, outcome="error", error=f"parse failed: {type(error).__name__}: {error}"))
    if not page.body_text.strip():
        return _Page(replace(fetched, outcome="error", error="empty page: no body text found"))
    article = Article(url=response.url, canonical_url=canonical_url(page.canonical_url or response.url),
                      source=source.name, title=page.title, published_at=page.published_at,
                      lang=page.lang or source.lang, body_text=page.body_text)
    kept = (response.etag, response.last_modified) if response.etag or response.last_modified else None
    return _Page(fetched, article, kept)


def pending(batch: SourceBatch) -> tuple[list[Article], list[FetchResult], dict[str, FileStat]]:
    """What of `batch` has not been landed yet: its articles, its new fetch-log rows, its file state."""
    return batch.articles, batch.fetches[batch.landed_fetches:], batch.file_state


def mark_landed(batch: SourceBatch) -> None:
    """After `pending(batch)` was written: drop the bodies, keep the (small) fetch records for the counts."""
    batch.articles = []
    batch.file_state = {}
    batch.landed_fetches = len(batch.fetches)


def _collect_directory(source: SourceConfig, known: dict[str, str], batch: SourceBatch,
                       stored: dict[str, FileStat], land: Land | None, chunk_size: int) -> None:
    # Stat every file first (cheap): unchanged ones are skipped unread, and the count of the rest
    # decides whether parsing them is worth worker processes.
    folder_prefixes: dict[Path, tuple[str, bool]] = {}
    to_read: list[tuple[str, str]] = []  # (path, url), in name order
    seen: dict[str, FileStat] = {}
    for file in directory_files(source):
        started_at = _now()
        path = file.path
        url = _file_url(path, folder_prefixes, file.is_symlink)
        try:
            stat = os.stat(path)
        except OSError as error:
            batch.fetches.append(_error(source.name, url, error, started_at))
            continue
        state: FileStat = (stat.st_size, stat.st_mtime_ns)
        if stored.get(url) == state:
            batch.skipped_unchanged += 1
            continue
        # Taken before the content is read, so a file rewritten while being read is read again next time.
        seen[url] = state
        to_read.append((str(path), url))
    workers = worker_count(len(to_read), PARSE_PARALLEL_MIN)
    n_read = 0
    try:
        with contextlib.closing(_read_in_order(to_read, dict(source.selectors or {}), workers)) as reads:
            for read in reads:
                n_read += 1
                fetch = FetchResult(source.name, read.url, read.started_at, None, read.nbytes, read.elapsed_ms, "new")
                if read.error is not None:  # logged, not stored in file state: the file is tried again next run
                    batch.fetches.append(replace(fetch, outcome="error", error=read.error))
                    continue
                canonical = canonical_url(read.canonical_url) if read.canonical_url else read.url
                article = Article(url=read.url, canonical_url=canonical, source=source.name, title=read.title,
                                  published_at=read.published_at, lang=read.lang or source.lang,
                                  body_text=read.body_text)
                _add(batch, article, known, fetch)
                # Stored with the article (same transaction): the next run skips this file until it changes.
                batch.file_state[read.url] = seen[read.url]
                if land is not None and len(batch.articles) >= chunk_size:
                    land(batch)
                    mark_landed(batch)
    except BrokenProcessPool as error:
        # A worker process died (killed, out of memory): what was read lands; the files not read are
        # not in the file state, so the next run reads them.
        batch.fetches.append(_error(source.name, source.path or "", BrokenProcessPool(
            f"a parse worker process died; {len(to_read) - n_read} of {len(to_read)} files not read, "
            f"read again next run ({error})")))


def _read_in_order(files: list[tuple[str, str]], selectors: dict[str, str], workers: int) -> Iterator[FileRead]:
    """read_files over `files`, results in the order of `files`: here, or in `workers` worker processes.

    Slices of PARSE_SLICE files go to the pool with at most PARSE_IN_FLIGHT slices per worker
    submitted and not yet consumed, so bodies waiting to be landed stay bounded (~15 MB) however
    big the source; the consumer lands a chunk while the workers parse the next slices.
    """
    if workers <= 1:
        for start in range(0, len(files), PARSE_SLICE):
            yield from read_files(files[start:start + PARSE_SLICE], selectors)
        return
    in_flight: deque[Future] = deque()
    with process_pool(workers) as pool:
        try:
            for start in range(0, len(files), PARSE_SLICE):
                in_flight.append(pool.submit(read_files, files[start:start + PARSE_SLICE], selectors))
                if len(in_flight) >= workers * PARSE_IN_FLIGHT:
                    yield from in_flight.popleft().result()
            while in_flight:
                yield from in_flight.popleft().result()
        finally:  # also when landing failed: slices not started are dropped, running ones are not waited for
            for future in in_flight:
                future.cancel()


def _file_url(path: Path, folder_prefixes: dict[Path, tuple[str, bool]] | None = None,
              is_symlink: bool | None = None) -> str:
    """The file's stable URL: file:<path from the project root>, or a file:// URI outside it.

    `folder_prefixes` caches, per folder, the URL of its resolved path: resolving every one of 100k
    files costs ~0.1 ms each (syscalls per path component), and a file that is not itself a
    symlink resolves to its resolved folder plus its name, so one resolve per folder gives the
    same URL (the name percent-quoted as Path.as_uri quotes it). `is_symlink`, when the caller knows
    it (from the directory entry), saves the lstat.
    """
    if folder_prefixes is None or (path.is_symlink() if is_symlink is None else is_symlink):
        resolved = path.resolve()
        try:
            return "file:" + resolved.relative_to(PROJECT_ROOT).as_posix()
        except ValueError:
            return resolved.as_uri()
    cached = folder_prefixes.get(path.parent)
    if cached is None:
        folder = path.parent.resolve()
        try:
            relative = folder.relative_to(PROJECT_ROOT).as_posix()
            cached = ("file:" if relative == "." else f"file:{relative}/", False)
        except ValueError:
            uri = folder.as_uri()
            cached = (uri if uri.endswith("/") else uri + "/", True)
        folder_prefixes[path.parent] = cached
    prefix, quoted = cached
    return prefix + (quote_from_bytes(os.fsencode(path.name)) if quoted else path.name)


def _add(batch: SourceBatch, article: Article, known: dict[str, str], fetch: FetchResult) -> None:
    stored = known.get(article.article_id)
    outcome = "new" if stored is None else ("unchanged" if stored == article.content_sha256 else "changed")
    batch.fetches.append(replace(fetch, outcome=outcome))
    if outcome != "unchanged":
        batch.articles.append(article)
