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
from warehouse.paths import duckdb_path


class Warehouse(dg.ConfigurableResource):
    """The DuckDB file. Connections are opened per unit of work and closed at once."""

    path: str
    lock_wait_s: float = 120.0

    @contextlib.contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with connect(Path(self.path), wait_s=self.lock_wait_s) as con:
            ensure_raw_schema(con)
            yield con


def build_resources() -> dict:
    path = str(duckdb_path())
    # dbt's profiles.yml reads the same variable: both sides always agree on the file.
    os.environ["DEALWIRE_DUCKDB_PATH"] = path
    return {
        "warehouse": Warehouse(path=path),
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
    }
