"""reports/analyst_report: the offline HTML report and PNG charts, rebuilt after every refresh of the marts."""

# No `from __future__ import annotations` here: Dagster checks the context annotation at runtime.

from datetime import datetime, timezone

import dagster as dg

from pathlib import Path

from orchestration.assets.dbt import dbt_models
from orchestration.assets.metadata import OWNERS
from orchestration.assets.publish import PUBLISHED_WAREHOUSE
from orchestration.resources import Warehouse
from warehouse.paths import data_dir

ANALYST_REPORT = dg.AssetKey(["reports", "analyst_report"])
# Every mart the dbt project defines (new marts join without an edit here), and the published
# warehouse: the report reads the published file, so it runs after the swap.
MART_KEYS = sorted((key for key in dbt_models.keys if key.path[0] == "marts"), key=lambda k: k.path)


@dg.asset(
    key=ANALYST_REPORT,
    group_name="reports",
    deps=[*MART_KEYS, PUBLISHED_WAREHOUSE],
    kinds={"python", "plotly"},
    owners=OWNERS,
    description="Static HTML report (data/reports/latest.html plus a dated copy per run; plotly.js embedded, "
                "opens offline) and PNG charts: capex guidance vs actuals and its revisions, deals by month, "
                "the money-flow network with circular deals, the top 20 deals with their sources, data health.",
)
def analyst_report(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    # Imported here: plotly and matplotlib cost ~3 s, which every `dealwire run` would pay at load.
    from warehouse.report import build_report, headline_markdown

    # The published warehouse, opened read-only for the few queries the report needs.
    result = build_report(Path(warehouse.published_path), data_dir() / "reports", datetime.now(timezone.utc))
    for section, why in result.empty_sections.items():
        context.log.info(f"report section '{section}' has no data yet: {why}")
    metadata = {
        "path": dg.MetadataValue.path(str(result.html_path)),
        "url": dg.MetadataValue.url(result.html_path.as_uri()),
        "dated_copy": dg.MetadataValue.path(str(result.dated_path)),
        "headline": dg.MetadataValue.md(headline_markdown(result)),
        **{f"png_{name}": dg.MetadataValue.path(str(path)) for name, path in result.pngs.items()},
        **{name: dg.MetadataValue.float(float(value)) if isinstance(value, float) else dg.MetadataValue.int(value)
           for name, value in result.numbers.items()},
    }
    return dg.MaterializeResult(metadata=metadata)
