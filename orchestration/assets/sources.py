"""Configured sources as external assets: the first nodes of the lineage graph."""

from __future__ import annotations

import dagster as dg

from ingest.sources import SourceConfig, load_sources


def source_asset_key(source: SourceConfig) -> dg.AssetKey:
    return dg.AssetKey(["sources", source.name])


def source_specs(sources: list[SourceConfig]) -> list[dg.AssetSpec]:
    return [
        dg.AssetSpec(
            key=source_asset_key(source),
            group_name="sources",
            description=f"{source.kind} source '{source.name}': {source.url or source.path or ', '.join(source.urls)}",
            kinds={"file" if source.kind == "directory" else "web"},
            metadata={"kind": source.kind, "location": source.url or source.path or "", "lang_hint": source.lang or ""},
        )
        for source in sources
    ]


def enabled_sources() -> list[SourceConfig]:
    return load_sources()
