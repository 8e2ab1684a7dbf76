"""BackgroundWriter: writes in order on one thread and one connection, the lock given back when idle,
a failed write raised to the caller with nothing half-written."""

import contextlib
import subprocess
import sys
import threading
import time

import pytest

from warehouse.connection import connect
from warehouse.loads import transaction
from warehouse.writer import BackgroundWriter


class Opens:
    """warehouse.connect over a real file, counting how often a connection was opened and closed."""

    def __init__(self, path):
        self.path, self.opened, self.closed = path, 0, 0
        with connect(path) as con:
            con.execute("create table t (n integer primary key)")

    @contextlib.contextmanager
    def __call__(self):
        with connect(self.path) as con:
            self.opened += 1
            try:
                yield con
            finally:
                self.closed += 1

    def rows(self):
        with connect(self.path, read_only=True) as con:
            return [n for (n,) in con.execute("select n from t order by rowid").fetchall()]


def insert(n):
    def write(con):
        with transaction(con):
            con.execute("insert into t values (?)", [n])
    return write


def test_writes_land_in_submission_order_through_one_connection(tmp_path):
    opens = Opens(tmp_path / "w.duckdb")
    with BackgroundWriter(opens, idle_s=30) as writer:
        for n in range(50):
            writer.submit(insert(n))
    assert opens.rows() == list(range(50))
    assert (opens.opened, opens.closed) == (1, 1)


def _can_open_read_write(path) -> bool:
    """In another process: DuckDB's lock is per process, so only another process sees it."""
    code = f"import duckdb\ntry:\n    duckdb.connect({str(path)!r}).close()\nexcept duckdb.IOException:\n    raise SystemExit(3)"
    return subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_an_idle_writer_gives_the_file_lock_back_and_reopens_for_the_next_write(tmp_path):
    opens = Opens(tmp_path / "w.duckdb")
    with BackgroundWriter(opens, idle_s=0.2) as writer:
        writer.submit(insert(1))
        deadline = time.monotonic() + 10
        while opens.closed == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert opens.closed == 1
        assert _can_open_read_write(opens.path)
        writer.submit(insert(2))
    assert opens.rows() == [1, 2]
    assert opens.opened == 2


def test_a_failed_write_is_rolled_back_and_raised_and_later_writes_are_dropped(tmp_path):
    opens = Opens(tmp_path / "w.duckdb")

    def half_then_fail(con):
        with transaction(con):
            con.execute("insert into t values (10)")
            con.execute("insert into t values (1)")  # primary key violation

    with pytest.raises(Exception, match="(?i)constraint|duplicate"):
        with BackgroundWriter(opens) as writer:
            writer.submit(insert(1))
            writer.submit(half_then_fail)
            writer.submit(insert(2))
    assert opens.rows() == [1]  # neither 10 (rolled back) nor 2 (dropped)


def test_submit_after_a_failure_raises_it(tmp_path):
    opens = Opens(tmp_path / "w.duckdb")
    writer = BackgroundWriter(opens)
    writer.submit(insert(1))
    writer.submit(insert(1))
    deadline = time.monotonic() + 10
    with pytest.raises(Exception, match="(?i)constraint|duplicate"):
        while time.monotonic() < deadline:
            writer.submit(insert(3))
            time.sleep(0.02)
    with pytest.raises(Exception, match="(?i)constraint|duplicate"):
        writer.close()
    assert opens.rows() == [1]


def test_the_callers_error_wins_and_queued_writes_still_land(tmp_path):
    opens = Opens(tmp_path / "w.duckdb")
    with pytest.raises(KeyError):
        with BackgroundWriter(opens) as writer:
            writer.submit(insert(1))
            raise KeyError("parsing failed")
    assert opens.rows() == [1]


def test_submit_blocks_while_max_queued_writes_wait(tmp_path):
    opens = Opens(tmp_path / "w.duckdb")
    release = threading.Event()

    def held(con):
        release.wait(10)

    submitted = []
    with BackgroundWriter(opens, max_queued=1) as writer:
        writer.submit(held)  # running
        writer.submit(insert(1))  # waiting in the queue
        producer = threading.Thread(target=lambda: (writer.submit(insert(2)), submitted.append(2)))
        producer.start()
        time.sleep(0.3)
        assert submitted == []  # blocked: the queue is full
        release.set()
        producer.join(10)
        assert submitted == [2]
    assert opens.rows() == [1, 2]
