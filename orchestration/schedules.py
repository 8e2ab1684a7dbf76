"""The refresh job and its schedule. Cron and timezone are configured here and nowhere else."""

from __future__ import annotations

import os

import dagster as dg

REFRESH_CRON = os.environ.get("DEALWIRE_REFRESH_CRON", "0 */6 * * *")
REFRESH_TIMEZONE = os.environ.get("DEALWIRE_REFRESH_TIMEZONE", "UTC")

# In-process: one DuckDB writer at a time, and no 5-8 s subprocess start per step.
refresh_all = dg.define_asset_job(
    name="refresh_all",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Scrape every enabled source, extract facts, then `dbt build` the marts.",
)

refresh_schedule = dg.ScheduleDefinition(
    name="refresh_every_6_hours" if REFRESH_CRON == "0 */6 * * *" else "refresh_schedule",
    job=refresh_all,
    cron_schedule=REFRESH_CRON,
    execution_timezone=REFRESH_TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=f"Refresh everything on cron '{REFRESH_CRON}' ({REFRESH_TIMEZONE}); "
                "override with DEALWIRE_REFRESH_CRON / DEALWIRE_REFRESH_TIMEZONE.",
)
