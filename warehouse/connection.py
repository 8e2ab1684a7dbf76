"""Short-lived DuckDB connections that wait out another process's lock for a bounded time.

DuckDB allows one read-write process per file, and a reader blocks a writer too. Connections here
are opened per unit of work and closed at once, so the webserver or a dbt run never finds the
file held longer than needed.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from warehouse.schema import RAW_SCHEMA, RAW_TABLES_DDL

_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


class WarehouseLockedError(RuntimeError):
    """Another process holds the DuckDB file; the message names the file and the holder."""


def _lock_message(path: Path, error: Exception, waited_s: float) -> str:
    match = _LOCK_HOLDER.search(str(error))
    holder = f"{match.group(1)} (PID {match.group(2)})" if match else "another process"
    return (f"the warehouse {path} is locked by {holder}; gave up after {waited_s:.0f} s. "
            f"Close that process (or its SQL session) and run again.")


def _is_lock_error(error: Exception) -> bool:
    text = str(error)
    return "Could not set lock" in text or "Conflicting lock" in text


@contextlib.contextmanager
def connect(path: Path, *, read_only: bool = False, wait_s: float = 60.0,
            config: dict | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open `path`, retrying with backoff while another process holds the lock."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    delay = 0.2
    started = time.monotonic()
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only, config=config or {})
            break
        except duckdb.IOException as error:
            if not _is_lock_error(error):
                raise
            if time.monotonic() >= deadline:
                raise WarehouseLockedError(_lock_message(path, error, time.monotonic() - started)) from error
            time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
            delay = min(delay * 2, 5.0)
    try:
        yield con
    finally:
        con.close()


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    for ddl in RAW_TABLES_DDL.values():
        con.execute(ddl)
