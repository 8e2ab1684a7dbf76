"""Resources shared by the assets: the warehouse file and the dbt CLI."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource

from orchestration.dbt_project import dbt_executable, dbt_project
from warehouse.connection import connect, ensure_raw_schema
from warehouse.paths import build_duckdb_path, duckdb_path
from warehouse.publish import Published, publish, seed_build_file


class Warehouse(dg.ConfigurableResource):
    """The pipeline's working DuckDB file, and the published copy users read.

    Connections are opened per unit of work and closed at once. Only `publish` touches the
    published path, by atomic rename, so open readers never block a refresh.
    """

    path: str
    published_path: str
    lock_wait_s: float = 120.0
    # DuckDB's default (80% of RAM) lets its buffer pool grow with the table: landing 30k articles
    # held ~1.5 GB, mostly cached blocks of raw.articles rewritten at checkpoints. A cap makes it
    # evict (and spill) instead. Landing 100k articles through one connection: 1GB -> 1.45 GB peak
    # RSS and 275 s; 256MB -> 0.66 GB and 202 s. DEALWIRE_DUCKDB_MEMORY_LIMIT overrides it.
    memory_limit: str = os.environ.get("DEALWIRE_DUCKDB_MEMORY_LIMIT", "256MB")

    @contextlib.contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        seed_build_file(Path(self.path), Path(self.published_path))
        with connect(Path(self.path), wait_s=self.lock_wait_s, config={"memory_limit": self.memory_limit}) as con:
            ensure_raw_schema(con)
            yield con

    def prepare_for_dbt(self) -> None:
        """Point dbt's profile (DEALWIRE_BUILD_DUCKDB_PATH) at the working file, in the run's process only."""
        seed_build_file(Path(self.path), Path(self.published_path))
        os.environ["DEALWIRE_BUILD_DUCKDB_PATH"] = self.path

    def publish(self) -> Published:
        return publish(Path(self.path), Path(self.published_path), wait_s=self.lock_wait_s)


def build_resources() -> dict:
    return {
        "warehouse": Warehouse(path=str(build_duckdb_path()), published_path=str(duckdb_path())),
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
    }
