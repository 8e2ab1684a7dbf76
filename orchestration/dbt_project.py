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


RUN_TARGETS_KEPT = 5  # per-run dbt target folders (logs, run_results.json) kept for inspection


def reuse_partial_parse(name: str) -> Path:
    """A fresh target folder for one `dbt build`, seeded with the project's parse cache.

    dagster-dbt gives every invocation its own empty target folder, so dbt found no
    partial_parse.msgpack and parsed the whole project on every run. Seeding the folder with the
    cache `dbt parse` (or the last build) left in the project target lets dbt re-parse only what
    changed; dbt itself re-parses in full when the project, profile or vars differ. Older run
    folders beyond RUN_TARGETS_KEPT are removed.
    """
    project_target = dbt_project.project_dir / dbt_project.target_path
    folder = project_target / name
    folder.mkdir(parents=True, exist_ok=True)
    cache = project_target / "partial_parse.msgpack"
    if cache.exists():
        shutil.copy2(cache, folder / cache.name)
    runs = sorted(p for p in project_target.glob("run-*") if p.is_dir() and p != folder)
    for old in runs[:max(0, len(runs) - (RUN_TARGETS_KEPT - 1))]:
        shutil.rmtree(old, ignore_errors=True)
    return folder


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
