"""The code location: `dg dev`, `dg check defs` and `dealwire run` all load this module.

Data flow, as the lineage shows it: sources -> raw -> extraction -> seeds / staging / intermediate
-> marts -> publish (-> reports), refreshed by the schedules in orchestration/schedules.py.
"""

from __future__ import annotations

import dagster as dg

from orchestration.dbt_project import prepare_manifest

prepare_manifest()  # before the dbt assets module reads the manifest

from orchestration.assets.dbt import dbt_models  # noqa: E402
from orchestration.assets.extraction import extract_mentions  # noqa: E402
from orchestration.assets.publish import build_publish_asset  # noqa: E402
from orchestration.assets.raw import build_raw_articles_asset  # noqa: E402
from orchestration.assets.report import analyst_report  # noqa: E402
from orchestration.assets.sources import enabled_sources, source_specs  # noqa: E402
from orchestration.resources import build_resources  # noqa: E402
from orchestration.schedules import build_schedules, rebuild_marts, refresh_all  # noqa: E402

_sources = enabled_sources()

defs = dg.Definitions(
    assets=[
        *source_specs(_sources),
        build_raw_articles_asset(_sources),
        extract_mentions,
        dbt_models,
        build_publish_asset(upstream=[key for key in dbt_models.keys if key.path[0] == "marts"]),
        analyst_report,
    ],
    jobs=[refresh_all, rebuild_marts],
    schedules=build_schedules([s.name for s in _sources]),
    resources=build_resources(),
)
