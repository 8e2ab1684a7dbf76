"""The persistent Dagster instance under data/: run history and schedule state survive restarts."""

from __future__ import annotations

import os
from pathlib import Path

from warehouse.paths import dagster_home

_DAGSTER_YAML = """\
# Written by dealwire. Run history, event logs and schedule state live in this folder (SQLite).
telemetry:
  enabled: false
nux:
  enabled: false
"""


def ensure_dagster_home() -> Path:
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(_DAGSTER_YAML, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return home
