"""Run the refresh job in this process against the persistent Dagster instance (what `dealwire run` does)."""

from __future__ import annotations

from dataclasses import dataclass, field

# The full DEBUG event log is kept in the instance (see it in the UI); the terminal gets INFO.
_QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


@dataclass(frozen=True)
class RunOutcome:
    run_id: str
    success: bool
    failures: list[tuple[str, str]] = field(default_factory=list)  # (step, plain-words reason)


def run_refresh(selection: str | None = None, source: str | None = None, job_name: str = "refresh_all") -> RunOutcome:
    """Materialize every asset (or the `selection`, dg asset-selection syntax) in process.

    Ingest covers every enabled source (its partitions), or only `source`. `job_name` picks
    another job of the code location (e.g. `rebuild_marts`).
    """
    import dagster as dg

    from orchestration.instance import ensure_dagster_home

    ensure_dagster_home()
    from orchestration.assets.sources import enabled_sources
    from orchestration.definitions import defs
    from orchestration.schedules import REBUILD_RUN_CONFIG, all_sources_tags

    names = [s.name for s in enabled_sources()]
    if source is not None and source not in names:
        raise ValueError(f"no enabled source named '{source}' (enabled: {', '.join(names) or 'none'})")
    job = defs.resolve_job_def(job_name)
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance, raise_on_error=False,
            # run_config replaces a job's own default config, so the rebuild's is merged back in
            run_config={**_QUIET_LOGS, **(REBUILD_RUN_CONFIG if job_name == "rebuild_marts" else {})},
            asset_selection=_resolve(defs, selection),
            partition_key=source, tags=None if source or job_name != "refresh_all" else all_sources_tags(names))
    failures = [(event.step_key, event.event_specific_data.error.message.strip())
                for event in result.all_events if event.is_step_failure]
    return RunOutcome(result.run_id, result.success, failures)


def _resolve(defs, selection: str | None):
    if not selection:
        return None
    import dagster as dg

    graph = defs.resolve_asset_graph()
    return list(dg.AssetSelection.from_string(selection).resolve(graph))
