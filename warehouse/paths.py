"""Where the warehouse lives. Resolved once here; every caller (CLI, Dagster, dbt) uses it."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return Path(os.environ.get("DEALWIRE_DATA_DIR", PROJECT_ROOT / "data")).resolve()


def duckdb_path() -> Path:
    """The DuckDB file: env DEALWIRE_DUCKDB_PATH, default data/dealwire.duckdb (always absolute)."""
    configured = os.environ.get("DEALWIRE_DUCKDB_PATH")
    path = Path(configured) if configured else data_dir() / "dealwire.duckdb"
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    return path.resolve()


def dagster_home() -> Path:
    """Persistent Dagster instance (run history, schedule state): never a temporary directory."""
    return Path(os.environ.get("DAGSTER_HOME", data_dir() / "dagster_home")).resolve()
