"""Where the warehouse lives. Resolved once here; every caller (CLI, Dagster, dbt) uses it."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return Path(os.environ.get("DEALWIRE_DATA_DIR", PROJECT_ROOT / "data")).resolve()


def duckdb_path() -> Path:
    """The DuckDB file users query: env DEALWIRE_DUCKDB_PATH, default data/dealwire.duckdb (absolute).

    The pipeline publishes it by atomic rename after each successful build, so a reader holding it
    open keeps its snapshot and sees the new data on its next connection.
    """
    configured = os.environ.get("DEALWIRE_DUCKDB_PATH")
    path = Path(configured) if configured else data_dir() / "dealwire.duckdb"
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    return path.resolve()


def build_duckdb_path() -> Path:
    """The pipeline's working copy, beside the published file (same filesystem, so the swap is atomic).

    Ingest, extraction and dbt write here; readers never open it, so they never block a refresh.
    """
    configured = os.environ.get("DEALWIRE_BUILD_DUCKDB_PATH")
    if configured:
        return Path(configured).resolve()
    published = duckdb_path()
    return published.with_name(published.stem + ".build" + published.suffix)


def dagster_home() -> Path:
    """Persistent Dagster instance (run history, schedule state): never a temporary directory."""
    return Path(os.environ.get("DAGSTER_HOME", data_dir() / "dagster_home")).resolve()
