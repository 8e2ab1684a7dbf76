"""`dealwire status`: when each asset last materialized, how many rows the tables hold, how fresh it is.

Read from the Dagster instance in DAGSTER_HOME (no code location is loaded, so it answers in about
a second) and from the published warehouse, opened read-only and briefly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path



@dataclass(frozen=True)
class AssetState:
    key: str  # "raw/articles"
    materialized_at: datetime  # UTC, aware
    run_id: str
    partition: str | None = None


@dataclass(frozen=True)
class LastRun:
    run_id: str
    job: str
    status: str  # SUCCESS, FAILURE, STARTED, ...
    started_at: datetime | None


@dataclass
class Status:
    now: datetime
    interval: timedelta
    dagster_home: Path
    warehouse: Path
    assets: list[AssetState] = field(default_factory=list)
    last_run: LastRun | None = None
    table_rows: dict[str, int] | None = None  # None: no warehouse yet
    warehouse_error: str | None = None

    @property
    def newest(self) -> datetime | None:
        return max((a.materialized_at for a in self.assets), default=None)

    @property
    def stale(self) -> bool:
        return self.newest is not None and is_stale(self.newest, self.now, self.interval)

    @property
    def healthy(self) -> bool:
        """Fine to a monitoring script: no run, or fresh data and a last run that did not fail."""
        failed = self.last_run is not None and self.last_run.status == "FAILURE"
        return not self.stale and not failed


def is_stale(materialized_at: datetime, now: datetime, interval: timedelta) -> bool:
    """Older than two refresh intervals: at least one scheduled refresh has been missed."""
    return now - materialized_at > 2 * interval


def format_age(age: timedelta) -> str:
    seconds = max(0, int(age.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 2 * 86400:
        hours, minutes = divmod(seconds // 60, 60)
        return f"{hours} h {minutes:02d} min"
    return f"{seconds // 86400} d {seconds % 86400 // 3600} h"


def refresh_interval() -> timedelta:
    # The scheduler's own interval, so `status` and the marts' freshness policy agree.
    from orchestration.schedules import refresh_interval as scheduled_interval

    return scheduled_interval()


def collect(now: datetime | None = None) -> Status:
    from warehouse.paths import dagster_home, duckdb_path

    status = Status(now=now or datetime.now(timezone.utc), interval=refresh_interval(),
                    dagster_home=dagster_home(), warehouse=duckdb_path())
    if (status.dagster_home / "dagster.yaml").exists():
        status.assets, status.last_run = read_instance(status.dagster_home)
    try:
        status.table_rows = table_row_counts(status.warehouse)
    except FileNotFoundError:
        status.table_rows = None
    except Exception as error:  # noqa: BLE001 - a locked or broken file is reported, not raised
        status.warehouse_error = f"{type(error).__name__}: {error}"
    return status


def read_instance(home: Path) -> tuple[list[AssetState], LastRun | None]:
    """Latest materialization of every asset the instance has seen, and the most recent run."""
    import dagster as dg

    os.environ["DAGSTER_HOME"] = str(home)
    assets = []
    with dg.DagsterInstance.get() as instance:
        for key in instance.get_asset_keys():
            records = instance.fetch_materializations(key, limit=1).records
            if records:
                record = records[0]
                assets.append(AssetState(key.to_user_string(), _utc(record.timestamp), record.run_id,
                                         record.partition_key))
        runs = instance.get_run_records(limit=1)
        last = None
        if runs:
            run = runs[0]
            last = LastRun(run.dagster_run.run_id, run.dagster_run.job_name, run.dagster_run.status.value,
                           _utc(run.start_time) if run.start_time else None)
    return sorted(assets, key=lambda a: a.key), last


def table_row_counts(path: Path) -> dict[str, int]:
    """Rows of every raw and mart table, through the read-only user connection."""
    from warehouse.query import run_query

    _, tables = run_query(path, "select table_schema, table_name from information_schema.tables "
                                "where table_schema in ('raw', 'marts') order by 1, 2")
    if not tables:
        return {}
    union = " union all ".join(f"select '{s}.{t}', count(*) from \"{s}\".\"{t}\"" for s, t in tables)
    _, rows = run_query(path, union)
    return dict(rows)


def render(status: Status) -> str:
    lines = [f"dagster home  {status.dagster_home}", f"warehouse     {status.warehouse}", ""]
    if not status.assets:
        lines.append("no runs yet: `dealwire run` (or `make run`) materializes everything")
    else:
        from warehouse.query import format_rows

        newest = status.newest
        verdict = (f"STALE: older than 2 x the {format_age(status.interval)} refresh interval"
                   if status.stale else f"fresh (refresh every {format_age(status.interval)})")
        lines.append(f"last refresh  {newest:%Y-%m-%d %H:%M:%S} UTC, {format_age(status.now - newest)} ago: {verdict}")
        if status.last_run:
            run = status.last_run
            started = f", started {run.started_at:%Y-%m-%d %H:%M:%S} UTC" if run.started_at else ""
            lines.append(f"last run      {run.run_id[:8]} {run.job} {run.status}{started}")
        lines.append("")
        partitioned = any(a.partition for a in status.assets)
        columns = ["asset", "materialized (UTC)", "age", "run"] + ["partition"] * partitioned + ["freshness"]
        rows = [(a.key, f"{a.materialized_at:%Y-%m-%d %H:%M:%S}", format_age(status.now - a.materialized_at),
                 a.run_id[:8], *([a.partition or ""] if partitioned else []),
                 "stale" if is_stale(a.materialized_at, status.now, status.interval) else "ok")
                for a in status.assets]
        lines.append(format_rows(columns, rows))
    lines.append("")
    if status.warehouse_error:
        lines.append(f"warehouse unreadable: {status.warehouse_error}")
    elif status.table_rows is None:
        lines.append("no warehouse file yet")
    elif status.table_rows:
        width = max(len(name) for name in status.table_rows)
        lines.append("rows")
        lines += [f"  {name:<{width}}  {n:>8,}" for name, n in status.table_rows.items()]
    else:
        lines.append("the warehouse has no raw or mart tables yet")
    return "\n".join(lines)


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc)
