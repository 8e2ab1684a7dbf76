"""Writes run in order on one background thread, through one connection kept open while they keep coming.

Landing a chunk of 1,000 articles is mostly DuckDB work (insert, WAL, checkpoint), which runs
without the GIL: on its own thread it overlaps with reading and parsing the next chunk. Opening a
connection per chunk also made DuckDB checkpoint at every close (~0.3 s per 1,000 articles at
100k stored). The connection is closed after IDLE_S without a write, so a source that spends
minutes fetching does not hold the file's one-writer lock meanwhile.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from types import TracebackType

import duckdb

Connect = Callable[[], contextlib.AbstractContextManager[duckdb.DuckDBPyConnection]]
Write = Callable[[duckdb.DuckDBPyConnection], None]

IDLE_S = 2.0
_STOP = object()


class BackgroundWriter:
    """`submit(write)` queues `write(con)`; writes run one after the other, in submission order.

    At most `max_queued` writes wait (submit blocks beyond that), so what is queued stays bounded.
    Each write should be its own transaction. After a write fails, later ones are dropped and the
    error is raised by the next `submit` or by `close` (leaving the `with` block); writes already
    queued when the caller fails still run: each is a complete unit.
    """

    def __init__(self, connect: Connect, *, idle_s: float = IDLE_S, max_queued: int = 1) -> None:
        self._connect = connect
        self._idle_s = idle_s
        self._queue: queue.Queue = queue.Queue(maxsize=max(1, max_queued))
        self._error: BaseException | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="dealwire-writer", daemon=True)
        self._thread.start()

    def submit(self, write: Write) -> None:
        self._raise_failure()
        if self._closed:
            raise RuntimeError("writer is closed")
        self._queue.put(write)

    def close(self) -> None:
        """Wait for every queued write, close the connection; raise the first write's failure."""
        if not self._closed:
            self._closed = True
            self._queue.put(_STOP)
            self._thread.join()
        self._raise_failure()

    def __enter__(self) -> BackgroundWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if error is None:
            self.close()
            return
        with contextlib.suppress(Exception):  # the caller's error is the one to report
            self.close()

    def _raise_failure(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        opened: contextlib.ExitStack | None = None
        con: duckdb.DuckDBPyConnection | None = None
        try:
            while True:
                try:
                    item = self._queue.get(timeout=self._idle_s if opened is not None else None)
                except queue.Empty:  # idle: give the lock back until the next write
                    opened.close()  # type: ignore[union-attr]  # only waits with a timeout when open
                    opened = con = None
                    continue
                if item is _STOP:
                    return
                if self._error is not None:
                    continue  # dropped: an earlier write failed
                try:
                    if opened is None:
                        opened = contextlib.ExitStack()
                        con = opened.enter_context(self._connect())
                    item(con)
                except BaseException as error:  # noqa: BLE001 - handed to the submitting thread
                    self._error = error
                    if opened is not None:
                        with contextlib.suppress(Exception):
                            opened.close()
                    opened = con = None
        finally:
            if opened is not None:
                try:
                    opened.close()
                except BaseException as error:  # noqa: BLE001 - a failed close (checkpoint) must be seen
                    self._error = self._error or error
