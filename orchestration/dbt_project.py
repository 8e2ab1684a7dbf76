"""The dbt project as Dagster sees it: manifest, asset keys and groups decided in one place."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject

from warehouse.paths import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_executable() -> str:
    """The dbt installed next to this interpreter (the project's venv), else the one on PATH."""
    sibling = Path(sys.executable).parent / "dbt"
    return str(sibling) if sibling.exists() else (shutil.which("dbt") or "dbt")


def manifest_is_stale() -> bool:
    manifest = dbt_project.manifest_path
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    watched = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "seeds", "macros", "tests"):
        watched += (DBT_PROJECT_DIR / folder).rglob("*")
    return any(p.is_file() and p.stat().st_mtime > built for p in watched)


def prepare_manifest() -> None:
    """`dbt parse` when the manifest is missing or older than the project.

    prepare_if_dev() only acts under `dg dev`; the CLI, tests and CI load the definitions too.
    """
    if manifest_is_stale():
        # Not dbt_project.preparer: it looks for `dbt` on PATH, which an un-activated venv lacks.
        dbt = DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())
        dbt.cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()


class DealwireDbtTranslator(DagsterDbtTranslator):
    """Models keyed <layer>/<name> and grouped by their folder, so the graph reads as the data flow.

    Every model follows its upstream assets by declarative automation (a source backfilled alone
    in the UI flows on to the marts without a second schedule); marts carry a freshness policy.
    """

    def __init__(self, mart_freshness: dg.FreshnessPolicy | None = None):
        super().__init__()
        self._mart_freshness = mart_freshness

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: Any) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = manifest["nodes"].get(unique_id) or {}
        if props.get("resource_type") == "model" and self._layer(props) == "marts" and self._mart_freshness:
            spec = spec.replace_attributes(freshness_policy=self._mart_freshness)
        return spec.replace_attributes(owners=["team:data-engineering"])

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> dg.AutomationCondition | None:
        return dg.AutomationCondition.eager()

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed"):
            return dg.AssetKey([self._layer(dbt_resource_props), dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] in ("model", "seed"):
            return self._layer(dbt_resource_props)
        return super().get_group_name(dbt_resource_props)

    @staticmethod
    def _layer(props: Mapping[str, Any]) -> str:
        if props["resource_type"] == "seed":
            return "seeds"
        fqn = props.get("fqn") or []
        return fqn[1] if len(fqn) > 2 else "models"
