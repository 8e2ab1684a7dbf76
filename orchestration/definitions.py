"""The code location: `dg dev`, `dg check defs` and `dealwire run` all load this module."""

from __future__ import annotations

import dagster as dg

from orchestration.dbt_project import prepare_manifest

prepare_manifest()  # before the dbt assets module reads the manifest

from orchestration.assets.dbt import dbt_models  # noqa: E402
from orchestration.assets.extraction import extract_mentions  # noqa: E402
from orchestration.assets.raw import build_raw_articles_asset  # noqa: E402
from orchestration.assets.sources import enabled_sources, source_specs  # noqa: E402
from orchestration.resources import build_resources  # noqa: E402
from orchestration.schedules import refresh_all, refresh_schedule  # noqa: E402

_sources = enabled_sources()

defs = dg.Definitions(
    assets=[*source_specs(_sources), build_raw_articles_asset(_sources), extract_mentions, dbt_models],
    jobs=[refresh_all],
    schedules=[refresh_schedule],
    resources=build_resources(),
)
