"""Every dbt model and seed as an asset; dbt tests become asset checks through `dbt build`."""


import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.dbt_project import DealwireDbtTranslator, dbt_project
from orchestration.resources import Warehouse
from orchestration.schedules import mart_freshness_policy


class DbtBuildConfig(dg.Config):
    full_refresh: bool = False  # rebuild incremental models from scratch (the daily rebuild sets it)


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project,
            dagster_dbt_translator=DealwireDbtTranslator(mart_freshness=mart_freshness_policy()))
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse,
               config: DbtBuildConfig):
    warehouse.prepare_for_dbt()
    args = ["build", "--full-refresh"] if config.full_refresh else ["build"]
    yield from dbt.cli(args, context=context).stream()
