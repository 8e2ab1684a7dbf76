"""Publish the pipeline's working DuckDB file to the path users read, atomically.

DuckDB lets no process write a file that another holds open, even read-only (STACK.md), and users
keep SQL clients open for hours. So the pipeline writes its own file (`build_duckdb_path`) and,
after a successful build, copies it beside the published file and renames it into place: readers
with the old file open keep their snapshot; new connections see the new data; a crash at any
point leaves either the old or the new file, never half of one.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from warehouse.connection import connect


@dataclass(frozen=True)
class Published:
    path: Path
    size_bytes: int


def seed_build_file(build: Path, published: Path) -> bool:
    """First run after an upgrade: start the working file from the published one (keeps raw history)."""
    if build.exists() or not published.exists():
        return False
    build.parent.mkdir(parents=True, exist_ok=True)
    _copy_atomically(published, build)
    return True


def publish(build: Path, published: Path, *, wait_s: float = 120.0) -> Published:
    if not build.exists():
        raise FileNotFoundError(f"nothing to publish: the working warehouse {build} does not exist")
    # Fold the write-ahead log into the file so the copy is complete on its own.
    with connect(build, wait_s=wait_s) as con:
        con.execute("checkpoint")
    wal = build.with_name(build.name + ".wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise RuntimeError(f"{build} still has a write-ahead log after checkpoint; another writer is active")
    published.parent.mkdir(parents=True, exist_ok=True)
    _copy_atomically(build, published)
    return Published(published, published.stat().st_size)


def _copy_atomically(source: Path, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(source, temporary)
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)  # atomic on POSIX: readers see the old file or the new one
    finally:
        temporary.unlink(missing_ok=True)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # make the rename itself durable
    finally:
        os.close(directory)
