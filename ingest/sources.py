"""sources.yml: the sites and folders dealwire reads. Path from env DEALWIRE_SOURCES."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import soupsieve
import yaml

from ingest.fetch import build_user_agent
from warehouse.paths import PROJECT_ROOT

SOURCE_KINDS = ("directory", "rss", "sitemap", "listing", "urls")
SELECTOR_KEYS = ("title", "body", "date")
LANGS = ("en", "zh-Hans", "zh-Hant")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TOP_LEVEL_KEYS = {"sources", "user_agent", "contact"}
_ENTRY_KEYS = {"name", "kind", "url", "path", "urls", "lang", "enabled", "max_articles", "user_agent", "contact",
               "selectors", "link_selector", "next_selector", "max_pages", "max_depth"}
# Keys that only make sense for some kinds: a typo'd or misplaced key is an error, not silently ignored.
_KIND_KEYS = {"url": {"rss", "sitemap", "listing"}, "path": {"directory"}, "urls": {"urls"},
              "link_selector": {"listing"}, "next_selector": {"listing"}, "max_pages": {"listing"},
              "max_depth": {"sitemap"}}
# (lowest, highest) for the integer bounds.
_BOUNDS = {"max_articles": (1, 10_000), "max_pages": (1, 100), "max_depth": (1, 5)}


class SourceConfigError(ValueError):
    """sources.yml is malformed; the message says which entry and why."""


@dataclass(frozen=True)
class SourceConfig:
    name: str
    kind: str
    url: str | None = None  # rss: the feed; sitemap: the sitemap (or index); listing: the first index page
    path: str | None = None
    urls: tuple[str, ...] = ()
    lang: str | None = None  # a hint, used when the page's own language cannot be detected
    enabled: bool = True
    max_articles: int = 200  # article pages fetched per run
    user_agent: str | None = None  # full override of the User-Agent header
    contact: str | None = None  # URL (or mailto:) site owners can reach us at, put in the User-Agent
    # CSS selectors for the article pages: {"title": ..., "body": ..., "date": ...}, each optional.
    selectors: Mapping[str, str] = field(default_factory=dict, hash=False)
    link_selector: str | None = None  # listing: the article links on an index page
    next_selector: str | None = None  # listing: the "next page" link
    max_pages: int = 5  # listing: index pages read per run
    max_depth: int = 3  # sitemap: levels of sitemap index followed (1 = the sitemap itself only)

    def resolved_path(self) -> Path:
        path = Path(self.path or "")
        return path if path.is_absolute() else PROJECT_ROOT / path

    @property
    def effective_user_agent(self) -> str:
        return self.user_agent or build_user_agent(self.contact)


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
    unknown = sorted(set(document) - _TOP_LEVEL_KEYS)
    if unknown:
        raise SourceConfigError(f"{path}: unknown top-level key(s) {', '.join(map(str, unknown))}; "
                                f"expected {', '.join(sorted(_TOP_LEVEL_KEYS))}")
    defaults = {key: _user_agent_value(str(path), key, document.get(key)) for key in ("user_agent", "contact")}
    sources, seen = [], set()
    for index, entry in enumerate(entries):
        source = _parse_entry(path, index, entry, defaults)
        if source.name in seen:
            raise SourceConfigError(f"{path}: source name '{source.name}' is used twice")
        seen.add(source.name)
        if source.enabled or include_disabled:
            sources.append(source)
    return sources


def _parse_entry(path: Path, index: int, entry: object, defaults: dict[str, str | None]) -> SourceConfig:
    where = f"{path}: sources[{index}]"
    if not isinstance(entry, dict):
        raise SourceConfigError(f"{where} must be a mapping")
    name, kind = entry.get("name"), entry.get("kind")
    if not isinstance(name, str) or not _NAME.match(name):
        raise SourceConfigError(f"{where}: 'name' must be lowercase letters, digits, '-' or '_'")
    where = f"{where} ({name})"
    if kind not in SOURCE_KINDS:
        raise SourceConfigError(f"{where}: 'kind' must be one of {', '.join(SOURCE_KINDS)}")
    unknown = sorted(map(str, set(entry) - _ENTRY_KEYS))
    if unknown:
        raise SourceConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
    for key, kinds in _KIND_KEYS.items():
        if key in entry and kind not in kinds:
            raise SourceConfigError(f"{where}: '{key}' does not apply to a {kind} source "
                                    f"(only {', '.join(sorted(kinds))})")
    if kind == "directory" and not entry.get("path"):
        raise SourceConfigError(f"{where}: a directory source needs 'path'")
    if kind in ("rss", "sitemap", "listing"):
        if not entry.get("url"):
            article = "an" if kind == "rss" else "a"
            raise SourceConfigError(f"{where}: {article} {kind} source needs 'url'")
        _http_url(where, "url", entry["url"])
    if kind == "listing" and not entry.get("link_selector"):
        raise SourceConfigError(f"{where}: a listing source needs 'link_selector' (CSS for the article links)")
    urls = entry.get("urls")
    if kind == "urls":
        if not urls or not isinstance(urls, list):
            raise SourceConfigError(f"{where}: a urls source needs a 'urls' list")
        for url in urls:
            _http_url(where, "urls", url)
    if entry.get("lang") not in (None, *LANGS):
        raise SourceConfigError(f"{where}: 'lang' must be en, zh-Hans or zh-Hant")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise SourceConfigError(f"{where}: 'enabled' must be true or false")
    bounds = {key: _bounded_int(where, key, entry[key]) for key in _BOUNDS if key in entry}
    selectors = _selectors(where, entry.get("selectors"))
    for key in ("link_selector", "next_selector"):
        if key in entry:
            _css(where, key, entry[key])
    agent = {key: _user_agent_value(where, key, entry[key]) if key in entry else defaults[key]
             for key in ("user_agent", "contact")}
    return SourceConfig(
        name=name, kind=kind, url=entry.get("url"), path=entry.get("path"), urls=tuple(urls or ()),
        lang=entry.get("lang"), enabled=enabled, selectors=selectors,
        link_selector=entry.get("link_selector"), next_selector=entry.get("next_selector"), **bounds, **agent,
    )


def _http_url(where: str, key: str, value: object) -> None:
    if not isinstance(value, str) or not re.match(r"^https?://[^/\s]+", value):
        raise SourceConfigError(f"{where}: '{key}' must hold http(s) URLs, got {value!r}")


def _bounded_int(where: str, key: str, value: object) -> int:
    low, high = _BOUNDS[key]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SourceConfigError(f"{where}: '{key}' must be a whole number from {low} to {high}, got {value!r}")
    return value


def _css(where: str, key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SourceConfigError(f"{where}: '{key}' must be a CSS selector string")
    try:
        soupsieve.compile(value)
    except soupsieve.SelectorSyntaxError as error:
        first_line = str(error).splitlines()[0]
        raise SourceConfigError(f"{where}: '{key}' is not a valid CSS selector ({value!r}): {first_line}") from None
    return value


def _selectors(where: str, value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SourceConfigError(f"{where}: 'selectors' must be a mapping with keys {', '.join(SELECTOR_KEYS)}")
    unknown = sorted(map(str, set(value) - set(SELECTOR_KEYS)))
    if unknown:
        raise SourceConfigError(f"{where}: unknown selector key(s) {', '.join(unknown)}; "
                                f"expected {', '.join(SELECTOR_KEYS)}")
    selectors = {key: _css(where, f"selectors.{key}", css) for key, css in value.items()}
    # Article pages are read with lxml, which takes the CSS subset ingest.parse translates to XPath.
    from ingest.parse import css_to_xpath

    for key, css in selectors.items():
        try:
            css_to_xpath(css)
        except ValueError as error:
            raise SourceConfigError(f"{where}: 'selectors.{key}' uses CSS the article parser does not "
                                    f"support ({css!r}): {error}") from None
    return selectors


def _user_agent_value(where: str, key: str, value: object) -> str | None:
    """A User-Agent must let a site owner reach us: an override has to name a URL or an e-mail address."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise SourceConfigError(f"{where}: '{key}' must be a non-empty string")
    if key == "contact" and not re.match(r"^(https?://\S+|mailto:\S+@\S+)$", value):
        raise SourceConfigError(f"{where}: 'contact' must be an http(s) URL or a mailto: address, got {value!r}")
    if key == "user_agent" and not re.search(r"https?://|@", value):
        raise SourceConfigError(f"{where}: 'user_agent' must include a contact URL or e-mail address "
                                f"so site owners can reach the operator, got {value!r}")
    return value.strip()
