"""Discovery: which article URLs (or files) a source offers right now."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from ingest.sources import SourceConfig

ARTICLE_SUFFIXES = (".html", ".htm", ".txt")


class FeedError(ValueError):
    """A feed that yields no usable links."""


def feed_links(xml: bytes | str) -> list[str]:
    """Article links of an RSS 2.0, RDF or Atom feed, in feed order, without duplicates.

    The XML parser is tried first; a malformed feed falls back to lxml's forgiving HTML parser,
    which still finds <link> and <item>/<entry> elements in most broken feeds.
    """
    links: list[str] = []
    for features in ("xml", "lxml"):
        soup = BeautifulSoup(xml, features)
        for item in soup.find_all(["item", "entry"]):
            link = _item_link(item)
            if link and link not in links:
                links.append(link)
        if links:
            return links
    raise FeedError("no <item> or <entry> with a link found: not a feed, or malformed beyond repair")


def _item_link(item) -> str | None:
    for link in item.find_all("link"):
        href = link.get("href")
        if href:  # Atom
            if link.get("rel") in (None, "alternate", ["alternate"]):
                return href.strip()
            continue
        text = link.get_text(strip=True)
        # The HTML fallback parser treats <link> as a void element: the URL is the next text node.
        if not text and isinstance(link.next_sibling, str):
            text = link.next_sibling.strip()
        if text.startswith(("http://", "https://")):
            return text
    guid = item.find("guid")
    if guid and guid.get_text(strip=True).startswith(("http://", "https://")):
        return guid.get_text(strip=True)
    return None


def directory_files(source: SourceConfig) -> list[Path]:
    root = source.resolved_path()
    if not root.is_dir():
        raise FileNotFoundError(f"source '{source.name}': directory {root} does not exist")
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
    return files[: source.max_articles]
