"""Fault injection for worker-process pools: a worker killed as the OOM killer would kill it."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator


@contextlib.contextmanager
def sigkill_a_pool_worker(spare_running: bool = False) -> Iterator[None]:
    """While the block runs, SIGKILL one child process as soon as two are up (a two-worker pool).

    Not before both are up: a kill while a 'spawn' pool still starts its second worker makes CPython
    fail that start with "OSError: handle is closed" instead of BrokenProcessPool. `spare_running`
    leaves alone the children alive on entry (e.g. an idle pool kept by an earlier test), for a
    block that starts a pool of its own.
    """
    spared = {p.pid for p in multiprocessing.active_children()} if spare_running else set()
    done = threading.Event()

    def kill_one() -> None:
        while not done.is_set():
            workers = [p for p in multiprocessing.active_children() if p.pid and p.pid not in spared]
            if len(workers) >= 2:
                os.kill(workers[0].pid, signal.SIGKILL)
                return
            done.wait(0.005)

    killer = threading.Thread(target=kill_one, daemon=True)
    killer.start()
    try:
        yield
    finally:
        done.set()
        killer.join(5)
