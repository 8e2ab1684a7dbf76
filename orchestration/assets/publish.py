"""The warehouse users read: the working file copied into place by atomic rename after the marts build."""


import dagster as dg

from orchestration.resources import Warehouse

PUBLISHED_WAREHOUSE = dg.AssetKey(["warehouse", "published"])


def build_publish_asset(upstream: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        key=PUBLISHED_WAREHOUSE,
        deps=upstream,
        group_name="publish",
        kinds={"duckdb"},
        owners=["team:data-engineering"],
        description="The DuckDB file at DEALWIRE_DUCKDB_PATH that users and `dealwire sql` open. The "
                    "pipeline builds in its own file and swaps it in here only after every model and "
                    "test passed, so an open SQL session never blocks a refresh and never sees half a "
                    "build; it sees the new data on its next connection.",
    )
    def published_warehouse(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
        published = warehouse.publish()
        context.log.info(f"published {published.path} ({published.size_bytes / 1e6:.1f} MB)")
        return dg.MaterializeResult(metadata={
            "path": dg.MetadataValue.path(str(published.path)),
            "size_mb": round(published.size_bytes / 1e6, 2),
        })

    return published_warehouse
