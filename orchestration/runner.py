"""Run the refresh job in this process against the persistent Dagster instance (what `dealwire run` does)."""

from __future__ import annotations

from dataclasses import dataclass, field

# The full DEBUG event log is kept in the instance (see it in the UI); the terminal gets INFO.
_QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


@dataclass(frozen=True)
class RunOutcome:
    run_ids: list[str]
    success: bool
    failures: list[tuple[str, str]] = field(default_factory=list)  # (step, plain-words reason)
    notes: list[str] = field(default_factory=list)

    @property
    def run_id(self) -> str:
        return self.run_ids[-1]


# What a refresh runs before dbt. `dealwire run` asks between the two whether dbt has anything to
# do: when it has not, the second run is never planned. Planning it is not free: Dagster stores an
# event per planned asset and dbt test (~230 here), each a few SQLite commits, and on a disk with a
# slow fsync (~12 ms per commit here) that alone took ~8 s of a no-op refresh.
INGEST_GROUPS = ("raw", "extraction")


def run_refresh(selection: str | None = None, source: str | None = None, job_name: str = "refresh_all") -> RunOutcome:
    """Materialize every asset (or the `selection`, dg asset-selection syntax) in process.

    Ingest covers every enabled source (its partitions), or only `source`. `job_name` picks
    another job of the code location (e.g. `rebuild_marts`). A full refresh is two runs of the
    refresh job: ingest + extraction, then (unless nothing changed) dbt, publish and the report.
    """
    import dagster as dg

    from orchestration.instance import ensure_dagster_home

    ensure_dagster_home()
    from orchestration.assets.dbt import build_is_current, dbt_models, skip_message
    from orchestration.assets.sources import enabled_sources
    from orchestration.definitions import defs
    from orchestration.schedules import REBUILD_RUN_CONFIG, all_sources_tags

    names = [s.name for s in enabled_sources()]
    if source is not None and source not in names:
        raise ValueError(f"no enabled source named '{source}' (enabled: {', '.join(names) or 'none'})")
    job = defs.resolve_job_def(job_name)
    # run_config replaces a job's own default config, so the rebuild's is merged back in
    run_config = {**_QUIET_LOGS, **(REBUILD_RUN_CONFIG if job_name == "rebuild_marts" else {})}
    source_tags = None if source or job_name != "refresh_all" else all_sources_tags(names)
    results, notes = [], []
    with dg.DagsterInstance.get() as instance:
        def execute(keys, partitioned: bool):
            results.append(job.execute_in_process(
                instance=instance, raise_on_error=False, run_config=run_config, asset_selection=keys,
                partition_key=source if partitioned else None, tags=source_tags if partitioned else None))
            return results[-1].success

        if selection or job_name != "refresh_all":
            execute(_resolve(defs, selection), partitioned=True)
        else:
            graph = defs.resolve_asset_graph()
            ingest = dg.AssetSelection.groups(*INGEST_GROUPS)
            if execute(list(ingest.resolve(graph)), partitioned=True):
                fingerprint, current = build_is_current(instance, defs.resources["warehouse"], dbt_models.keys)
                if current:
                    notes.append(f"{skip_message(fingerprint)}: dbt, publish and the report not run")
                else:
                    execute(list((dg.AssetSelection.all() - ingest).resolve(graph)), partitioned=False)
    failures = [(event.step_key, event.event_specific_data.error.message.strip())
                for result in results for event in result.all_events if event.is_step_failure]
    return RunOutcome([r.run_id for r in results], all(r.success for r in results), failures, notes)


def _resolve(defs, selection: str | None):
    if not selection:
        return None
    import dagster as dg

    graph = defs.resolve_asset_graph()
    return list(dg.AssetSelection.from_string(selection).resolve(graph))
