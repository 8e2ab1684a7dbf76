"""sources.yml: the sites and folders dealwire reads. Path from env DEALWIRE_SOURCES."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from warehouse.paths import PROJECT_ROOT

SOURCE_KINDS = ("directory", "rss", "urls")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class SourceConfigError(ValueError):
    """sources.yml is malformed; the message says which entry and why."""


@dataclass(frozen=True)
class SourceConfig:
    name: str
    kind: str
    url: str | None = None
    path: str | None = None
    urls: tuple[str, ...] = ()
    lang: str | None = None
    enabled: bool = True
    max_articles: int = 200
    user_agent: str | None = None

    def resolved_path(self) -> Path:
        path = Path(self.path or "")
        return path if path.is_absolute() else PROJECT_ROOT / path


def sources_file() -> Path:
    configured = os.environ.get("DEALWIRE_SOURCES")
    return Path(configured).resolve() if configured else PROJECT_ROOT / "sources.yml"


def load_sources(path: Path | None = None, *, include_disabled: bool = False) -> list[SourceConfig]:
    path = path or sources_file()
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise SourceConfigError(f"cannot read sources file {path}: {error}") from error
    entries = document.get("sources") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise SourceConfigError(f"{path}: expected a top-level 'sources:' list")
    sources, seen = [], set()
    for index, entry in enumerate(entries):
        source = _parse_entry(path, index, entry)
        if source.name in seen:
            raise SourceConfigError(f"{path}: source name '{source.name}' is used twice")
        seen.add(source.name)
        if source.enabled or include_disabled:
            sources.append(source)
    return sources


def _parse_entry(path: Path, index: int, entry: object) -> SourceConfig:
    where = f"{path}: sources[{index}]"
    if not isinstance(entry, dict):
        raise SourceConfigError(f"{where} must be a mapping")
    name, kind = entry.get("name"), entry.get("kind")
    if not isinstance(name, str) or not _NAME.match(name):
        raise SourceConfigError(f"{where}: 'name' must be lowercase letters, digits, '-' or '_'")
    if kind not in SOURCE_KINDS:
        raise SourceConfigError(f"{where} ({name}): 'kind' must be one of {', '.join(SOURCE_KINDS)}")
    if kind == "directory" and not entry.get("path"):
        raise SourceConfigError(f"{where} ({name}): a directory source needs 'path'")
    if kind == "rss" and not entry.get("url"):
        raise SourceConfigError(f"{where} ({name}): an rss source needs 'url'")
    if kind == "urls" and not entry.get("urls"):
        raise SourceConfigError(f"{where} ({name}): a urls source needs a 'urls' list")
    if entry.get("lang") not in (None, "en", "zh-Hans", "zh-Hant"):
        raise SourceConfigError(f"{where} ({name}): 'lang' must be en, zh-Hans or zh-Hant")
    return SourceConfig(
        name=name, kind=kind, url=entry.get("url"), path=entry.get("path"),
        urls=tuple(entry.get("urls") or ()), lang=entry.get("lang"),
        enabled=bool(entry.get("enabled", True)), max_articles=int(entry.get("max_articles", 200)),
        user_agent=entry.get("user_agent"),
    )
