"""Shared fixtures: one materialized warehouse for every end-to-end test (session scope)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEALWIRE = str(Path(sys.executable).parent / "dealwire")


@dataclass
class PipelineRun:
    data_dir: Path
    duckdb_path: Path
    env: dict
    outputs: list[str]

    def query(self, sql: str) -> list[tuple]:
        import duckdb

        con = duckdb.connect(str(self.duckdb_path), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()


def run_dealwire(env: dict, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([DEALWIRE, *args], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory) -> PipelineRun:
    """`dealwire run` on the bundled sample corpus into a temporary data folder."""
    data_dir = tmp_path_factory.mktemp("dealwire-data")
    env = {**os.environ, "DEALWIRE_DATA_DIR": str(data_dir),
           "DEALWIRE_SOURCES": str(PROJECT_ROOT / "sources.yml")}
    env.pop("DEALWIRE_DUCKDB_PATH", None)
    env.pop("DEALWIRE_BUILD_DUCKDB_PATH", None)
    env.pop("DAGSTER_HOME", None)
    result = run_dealwire(env, "run")
    assert result.returncode == 0, f"dealwire run failed:\n{result.stdout}\n{result.stderr}"
    return PipelineRun(data_dir, data_dir / "dealwire.duckdb", env, [result.stdout])
