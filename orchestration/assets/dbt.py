"""Every dbt model and seed as an asset; dbt tests become asset checks through `dbt build`."""


import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.dbt_project import DealwireDbtTranslator, dbt_project


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project,
            dagster_dbt_translator=DealwireDbtTranslator())
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context).stream()
