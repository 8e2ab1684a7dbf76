"""Jobs and schedules. The refresh cadence (cron and timezone) is configured here and nowhere else."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import dagster as dg

REFRESH_CRON = os.environ.get("DEALWIRE_REFRESH_CRON", "0 */6 * * *")
REFRESH_TIMEZONE = os.environ.get("DEALWIRE_REFRESH_TIMEZONE", "UTC")
REBUILD_CRON = os.environ.get("DEALWIRE_REBUILD_CRON", "30 3 * * *")



def refresh_interval(cron: str = REFRESH_CRON, timezone_name: str = REFRESH_TIMEZONE) -> timedelta:
    """The longest gap between consecutive refresh ticks (6 h by default)."""
    # Dagster's own cron iterator (no public API for it), so the interval matches the scheduler's ticks.
    from dagster._utils.schedules import cron_string_iterator

    start = datetime.now(timezone.utc)
    ticks = cron_string_iterator(start.timestamp(), cron, timezone_name)
    times = [next(ticks)]
    # A week and a day of ticks covers weekday-only and weekly crons (bounded for per-minute ones).
    while times[-1] - times[0] < timedelta(days=8) and len(times) < 2000:
        times.append(next(ticks))
    return max(later - earlier for earlier, later in zip(times, times[1:]))


def mart_freshness_policy() -> dg.FreshnessPolicy:
    """A mart older than two refresh intervals has missed a refresh: fail; older than one: warn."""
    interval = refresh_interval()
    return dg.FreshnessPolicy.time_window(fail_window=2 * interval, warn_window=interval + timedelta(minutes=30))


# In-process: one DuckDB writer at a time, and no 5-8 s subprocess start per step.
refresh_all = dg.define_asset_job(
    name="refresh_all",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Scrape every enabled source, extract facts, `dbt build` the marts, publish the warehouse.",
)

REBUILD_RUN_CONFIG = {"ops": {"dbt_models": {"config": {"full_refresh": True}}}}

# Everything downstream of extraction: incremental dbt models rebuilt from scratch, then published.
rebuild_marts = dg.define_asset_job(
    name="rebuild_marts",
    selection=dg.AssetSelection.groups("publish", "reports").upstream(depth=None)
    - dg.AssetSelection.groups("sources", "raw", "extraction"),
    executor_def=dg.in_process_executor,
    config=REBUILD_RUN_CONFIG,
    description="`dbt build --full-refresh` of every model (heals incremental drift), then publish.",
)


def all_sources_tags(source_names: list[str]) -> dict[str, str]:
    """Run tags that select every source partition in one run (the ingest asset's single-run backfill)."""
    if not source_names:
        return {}
    return {"dagster/asset_partition_range_start": source_names[0],
            "dagster/asset_partition_range_end": source_names[-1]}


def build_schedules(source_names: list[str]) -> list[dg.ScheduleDefinition]:
    @dg.schedule(
        name="refresh_schedule",
        job=refresh_all,
        cron_schedule=REFRESH_CRON,
        execution_timezone=REFRESH_TIMEZONE,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=f"Refresh everything on cron '{REFRESH_CRON}' ({REFRESH_TIMEZONE}); "
                    "override with DEALWIRE_REFRESH_CRON / DEALWIRE_REFRESH_TIMEZONE.",
    )
    def refresh_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        return dg.RunRequest(tags=all_sources_tags(source_names))

    rebuild_schedule = dg.ScheduleDefinition(
        name="daily_marts_rebuild",
        job=rebuild_marts,
        cron_schedule=REBUILD_CRON,
        execution_timezone=REFRESH_TIMEZONE,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=f"Full `dbt build --full-refresh` daily on cron '{REBUILD_CRON}' (DEALWIRE_REBUILD_CRON).",
    )
    return [refresh_schedule, rebuild_schedule]
