"""dbt's run_results.json -> the failed models and tests, in plain words for the run's error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_FAILED = {"error": "failed", "fail": "failed its test", "runtime error": "failed"}


def describe_failures(run_results: Mapping[str, Any], limit: int = 10) -> list[str]:
    """One line per failed node: 'test not_null_deals_deal_id on marts.deals failed its test: Got 3 results'."""
    lines = []
    for result in run_results.get("results", []):
        status = str(result.get("status", "")).lower()
        if status not in _FAILED:
            continue
        unique_id = str(result.get("unique_id", "?"))
        kind, _, rest = unique_id.partition(".")
        parts = rest.split(".")  # <package>.<name>[.<hash> for tests]
        name = parts[1] if len(parts) > 1 else unique_id
        message = " ".join(str(result.get("message") or "").split())
        lines.append(f"{kind} {name} {_FAILED[status]}" + (f": {message[:300]}" if message else ""))
    if len(lines) > limit:
        lines = lines[:limit] + [f"... and {len(lines) - limit} more (see the run's dbt log)"]
    return lines
