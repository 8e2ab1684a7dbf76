"""Work that may run in worker processes: how many to start, and reading + parsing directory files.

Worker processes are started with 'spawn' (the caller may run Dagster's threads: no fork) and
import this module, so it imports only what reading and parsing a page needs: never Dagster,
DuckDB or the orchestration package.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ingest.fetch import decode_html
from ingest.parse import parse_html

WORKERS_ENV = "DEALWIRE_EXTRACT_WORKERS"  # one setting for every pool of worker processes (parse, extract)
# A pool left idle this long is shut down. Long enough to carry it from one directory source to the
# next (a big corpus is often many sources of 1,000 files, and starting two 'spawn' workers costs
# ~0.8 s of CPU, a quarter of parsing 1,000 pages); short enough not to sit beside the next step.
POOL_IDLE_S = 5.0


def worker_count(n_items: int, parallel_min: int) -> int:
    """Worker processes for `n_items`: 1 (in this process) unless there are more than `parallel_min`;
    then DEALWIRE_EXTRACT_WORKERS, default one per core."""
    configured = os.environ.get(WORKERS_ENV, "").strip()
    workers = int(configured) if configured else (os.cpu_count() or 1)
    return max(1, workers) if n_items > parallel_min else 1


_pool_lock = threading.Lock()
_idle: tuple[ProcessPoolExecutor, int, threading.Timer] | None = None  # (pool, its workers, its shutdown)


@contextlib.contextmanager
def process_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A 'spawn' pool of `workers` processes (the caller may run Dagster's threads: no fork).

    Given back, it is kept POOL_IDLE_S for the next caller that asks for as many workers, then shut
    down; a pool that broke (a worker died) is never handed out again.
    """
    global _idle
    with _pool_lock:
        kept, _idle = _idle, None
    if kept is not None:
        kept[2].cancel()
        if kept[1] != workers:
            kept[0].shutdown(wait=False, cancel_futures=True)
    pool = kept[0] if kept is not None and kept[1] == workers else ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield pool
    except BrokenProcessPool:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    except BaseException:
        _keep(pool, workers)
        raise
    _keep(pool, workers)


def _keep(pool: ProcessPoolExecutor, workers: int) -> None:
    global _idle
    timer = threading.Timer(POOL_IDLE_S, _shut_if_idle, [pool])
    timer.daemon = True
    with _pool_lock:
        replaced, _idle = _idle, (pool, workers, timer)
    timer.start()
    if replaced is not None:  # two callers at once gave back two pools: keep one
        replaced[2].cancel()
        replaced[0].shutdown(wait=False, cancel_futures=True)


def _shut_if_idle(pool: ProcessPoolExecutor) -> None:
    global _idle
    with _pool_lock:
        if _idle is None or _idle[0] is not pool:
            return  # taken again in the meantime
        _idle = None
    pool.shutdown(wait=True)


@dataclass(frozen=True)
class FileRead:
    """One directory file read and parsed: what the article needs, or why there is none."""

    url: str
    started_at: datetime
    elapsed_ms: int
    nbytes: int = 0
    error: str | None = None  # "OSError: ..." / "parse failed: ..."; then nothing below is set
    title: str | None = None
    published_at: datetime | None = None
    lang: str | None = None
    body_text: str = ""
    canonical_url: str | None = None  # as the page declares it, not yet canonicalised


def read_files(files: Sequence[tuple[str, str]], selectors: Mapping[str, str] | None = None) -> list[FileRead]:
    """Read and parse (path, url) pairs, in order; a file that cannot be read or parsed costs only itself.

    Module-level and plain in what it takes and returns, so a process pool can run it on a slice
    of a source's files and send the results back (bodies only, no parse tree)."""
    return [_read_file(Path(path), url, selectors) for path, url in files]


def _read_file(path: Path, url: str, selectors: Mapping[str, str] | None) -> FileRead:
    started_at, clock = datetime.now(timezone.utc).replace(tzinfo=None), time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - clock) * 1000)

    try:
        content = path.read_bytes()
    except OSError as error:
        return FileRead(url, started_at, elapsed(), error=f"{type(error).__name__}: {error}")
    try:
        text = decode_html(content)
        if path.suffix.lower() == ".txt":
            return FileRead(url, started_at, elapsed(), len(content), body_text=text.strip())
        page = parse_html(text, url=url, selectors=selectors or None, fetched_at=started_at)
    except Exception as error:  # noqa: BLE001 - one unparseable file must not sink the source
        return FileRead(url, started_at, elapsed(), len(content),
                        error=f"parse failed: {type(error).__name__}: {error}")
    return FileRead(url, started_at, elapsed(), len(content), title=page.title, published_at=page.published_at,
                    lang=page.lang, body_text=page.body_text, canonical_url=page.canonical_url)
