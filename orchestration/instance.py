"""The persistent Dagster instance under data/: run history and schedule state survive restarts."""

from __future__ import annotations

import os
from pathlib import Path

from warehouse.paths import dagster_home

_HEADER = "# Written by dealwire."
_DAGSTER_YAML = f"""\
{_HEADER} Run history, event logs and schedule state live in this folder (SQLite).
# Edit freely after removing the first line; dealwire then leaves the file alone.
telemetry:
  enabled: false
nux:
  enabled: false
# Evaluate the marts' freshness policies (a preview feature, off unless enabled).
freshness:
  enabled: true
# DuckDB takes one writer at a time: queue runs (schedules, automation, UI launches) one by one.
concurrency:
  runs:
    max_concurrent_runs: 1
"""


def ensure_dagster_home() -> Path:
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or _ours_and_outdated(config):
        config.write_text(_DAGSTER_YAML, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def _ours_and_outdated(config: Path) -> bool:
    text = config.read_text(encoding="utf-8")
    return text.startswith(_HEADER) and text != _DAGSTER_YAML
