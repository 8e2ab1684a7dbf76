"""Every dbt model and seed as an asset; dbt tests become asset checks through `dbt build`.

A refresh that brought nothing new skips `dbt build`: the raw tables' fingerprint (row counts and
newest timestamps, plus the manifest's checksum) is recorded on every dbt materialization, and when
it still matches, the models are not rebuilt and not reported as materialized (the dbt assets are
skippable, so publish and the report skip too). Only a recent build is trusted that way (at most
SKIP_MAX_AGE old, 20 min by default): a scheduled refresh, one interval after the last, always
rebuilds, so the marts' freshness policy (which counts materializations) and `dealwire status`
never see a healthy pipeline as stale; repeated manual or frequent runs are what the skip saves.
"""

import hashlib
import logging
import shutil
import time
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.dbt_failures import describe_failures
from orchestration.dbt_project import DealwireDbtTranslator, dbt_project, reuse_partial_parse
from orchestration.resources import Warehouse
from orchestration.schedules import mart_freshness_policy, refresh_interval
from warehouse.loads import raw_state

FINGERPRINT_KEY = "dealwire/raw_fingerprint"
# A build older than this is redone even when nothing changed. The marts warn at one refresh
# interval + 30 min: a skip at a tick leaves the last real build at most SKIP_MAX_AGE older than the
# tick, so with 20 min (or half the interval, for fast crons) the next tick's build still lands in time.
SKIP_MAX_AGE = min(timedelta(minutes=20), refresh_interval() / 2)


class _DeliberateSkipWarnings(logging.Filter):
    """Drops Dagster's warning, per downstream step and blocking check, that a check "emitted no
    result in step 'dbt_models'": the skip path below yields no results on purpose and says so once
    in plain words. Other steps' warnings pass through. (The run log also notes "did not yield ...
    expected outputs"; `dealwire run` folds that line, the UI keeps it.)"""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Blocking asset check") and "in step 'dbt_models'" in message)


logging.getLogger("dagster._core.execution.plan.active").addFilter(_DeliberateSkipWarnings())


class DbtBuildConfig(dg.Config):
    full_refresh: bool = False  # rebuild incremental models from scratch (the daily rebuild sets it)


def build_fingerprint(con: duckdb.DuckDBPyConnection, manifest_path: Path) -> str:
    """The raw tables' state plus the dbt manifest's checksum: equal fingerprints, equal marts."""
    digest = hashlib.sha256(raw_state(con).encode())
    digest.update(manifest_path.read_bytes() if manifest_path.exists() else b"no manifest")
    return digest.hexdigest()[:32]


def unchanged_since_last_build(instance: dg.DagsterInstance, keys: list[dg.AssetKey], fingerprint: str,
                               now: float, max_age: timedelta = SKIP_MAX_AGE) -> bool:
    """True when every asset in `keys` was last materialized from `fingerprint`, less than max_age ago."""
    # One query for all keys (one per key cost ~1.5 s of a no-op refresh with SQLite storage).
    latest = instance.get_latest_materialization_events(keys)
    for key in keys:
        event = latest.get(key)
        if event is None or event.asset_materialization is None:
            return False
        recorded = event.asset_materialization.metadata.get(FINGERPRINT_KEY)
        if recorded is None or recorded.value != fingerprint or now - event.timestamp > max_age.total_seconds():
            return False
    return True


def build_is_current(instance: dg.DagsterInstance, warehouse: Warehouse,
                     keys: Iterable[dg.AssetKey]) -> tuple[str, bool]:
    """The raw tables' fingerprint now, and whether the marts in `keys` were built from it recently
    (and published): then `dbt build` would change nothing. `dealwire run` asks before it even
    plans the dbt step (orchestration/runner.py); the step asks again for scheduled and UI runs."""
    with warehouse.connect() as con:
        fingerprint = build_fingerprint(con, dbt_project.manifest_path)
    current = Path(warehouse.published_path).exists() and unchanged_since_last_build(
        instance, sorted(keys, key=lambda k: k.path), fingerprint, time.time())
    return fingerprint, current


def skip_message(fingerprint: str) -> str:
    return f"nothing changed since the last build (raw fingerprint {fingerprint}, built less than {SKIP_MAX_AGE} ago)"


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project,
            dagster_dbt_translator=DealwireDbtTranslator(mart_freshness=mart_freshness_policy()))
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse,
               config: DbtBuildConfig):
    fingerprint, current = build_is_current(context.instance, warehouse, context.selected_asset_keys)
    if current and not config.full_refresh:
        context.log.info(f"{skip_message(fingerprint)}; dbt skipped, and so are publish and the report")
        return
    warehouse.prepare_for_dbt()
    args = ["build", "--full-refresh"] if config.full_refresh else ["build"]
    target = reuse_partial_parse(f"run-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{context.run_id[:8]}")
    invocation = dbt.cli(args, context=context, target_path=target, raise_on_error=False)
    for event in invocation.stream():
        if isinstance(event, dg.Output):
            event = event.with_metadata({**event.metadata, FINGERPRINT_KEY: fingerprint})
        yield event
    keep_partial_parse(target)
    if not invocation.is_successful():
        # Name what failed, in plain words, rather than "dbt exited with code 1".
        try:
            failures = describe_failures(invocation.get_artifact("run_results.json"))
        except (OSError, ValueError):
            failures = []
        raise dg.Failure(description="dbt build failed:\n" + "\n".join(
            failures or ["dbt stopped before running the models; see its log above"]))


def keep_partial_parse(target: Path) -> None:
    """Copy this run's parse cache back to the project target, for the next run's partial parse."""
    produced = target / "partial_parse.msgpack"
    if produced.exists():
        cache = dbt_project.project_dir / dbt_project.target_path / "partial_parse.msgpack"
        partial = cache.with_name(f".{target.name}.msgpack")
        shutil.copy2(produced, partial)
        partial.replace(cache)  # atomic: a dbt starting now reads the old cache or the new one
