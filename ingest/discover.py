"""Discovery: which article URLs (or files) a source offers right now.

Parsers of feeds, sitemaps and listing pages are pure functions of the bytes; `discover_urls` drives
them through a Fetcher for one source and logs every index page it reads.
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urldefrag, urljoin

from bs4 import BeautifulSoup
from lxml import etree

from ingest.fetch import SITEMAP_TYPES, FetchError, Fetcher, FetchSkipped, Response
from ingest.records import FetchResult
from ingest.sources import SourceConfig

ARTICLE_SUFFIXES = (".html", ".htm", ".txt")
MAX_SITEMAP_FILES = 20  # sitemap documents read per run, index files included
_GZIP_MAGIC = b"\x1f\x8b"


class DiscoveryError(ValueError):
    """An index (feed, sitemap, listing page) that yields no usable links."""


class FeedError(DiscoveryError):
    """A feed that yields no usable links."""


class SitemapError(DiscoveryError):
    """A sitemap that is not one, or is malformed beyond repair."""


@dataclass
class Discovered:
    urls: list[str] = field(default_factory=list)
    fetches: list[FetchResult] = field(default_factory=list)  # the index pages read, and their failures


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    date: datetime | None = None  # news:publication_date, else lastmod; naive UTC


@dataclass(frozen=True)
class Sitemap:
    kind: str  # "index" (entries are sitemaps) or "urlset" (entries are pages)
    entries: list[SitemapEntry]


# ---------------------------------------------------------------- feeds

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


# ---------------------------------------------------------------- sitemaps

def gunzip_capped(content: bytes, max_bytes: int) -> bytes:
    """Inflate a .gz body, refusing to grow past max_bytes (a small file can inflate enormously)."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(content, max_bytes + 1)
    except zlib.error as error:
        raise SitemapError(f"broken gzip data: {error}") from error
    if len(data) > max_bytes:
        raise SitemapError(f"sitemap inflates to more than {max_bytes} bytes")
    return data


def parse_sitemap(content: bytes, max_bytes: int = 50 * 1024 * 1024) -> Sitemap:
    """A sitemap index, a urlset (news sitemaps included) or a plain-text list of URLs; gzip is inflated.

    Only a <loc> directly under <url> / <sitemap> counts (image:loc and friends are not pages);
    the XML parser recovers from truncation and never resolves entities or touches the network.
    """
    if content.startswith(_GZIP_MAGIC):
        content = gunzip_capped(content, max_bytes)
    stripped = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped and not stripped.startswith(b"<"):
        lines = [line.strip() for line in stripped.decode("utf-8", errors="replace").splitlines() if line.strip()]
        urls = [line for line in lines if line.startswith(("http://", "https://"))]
        if urls:
            return Sitemap("urlset", _unique([SitemapEntry(u) for u in urls]))
        raise SitemapError("neither XML nor a text list of URLs")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(stripped, parser) if stripped else None
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        raise SitemapError("not XML, or malformed beyond repair")
    kind = {"sitemapindex": "index", "urlset": "urlset"}.get(etree.QName(root).localname)
    if kind is None:
        raise SitemapError(f"root element <{etree.QName(root).localname}> is neither <urlset> nor <sitemapindex>")
    entries = []
    for element in root:
        if not isinstance(element.tag, str) or etree.QName(element).localname not in ("url", "sitemap"):
            continue
        loc = _child_text(element, "loc")
        if loc and loc.startswith(("http://", "https://")):
            news = _child(element, "news")
            published = _child_text(news, "publication_date") if news is not None else None
            entries.append(SitemapEntry(loc, _w3c_date(published) or _w3c_date(_child_text(element, "lastmod"))))
    if not entries:
        raise SitemapError(f"<{etree.QName(root).localname}> holds no <loc> with an http(s) URL")
    return Sitemap(kind, _unique(entries))


def newest_first(entries: list[SitemapEntry]) -> list[SitemapEntry]:
    """Dated entries newest first, then undated ones in document order."""
    dated = sorted((e for e in entries if e.date), key=lambda e: e.date, reverse=True)
    return dated + [e for e in entries if not e.date]


def _child(element, localname: str):
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname == localname:
            return child
    return None


def _child_text(element, localname: str) -> str | None:
    child = _child(element, localname)
    if child is None:
        return None
    return (child.text or "").strip() or None


def _w3c_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed


def _unique(entries: list[SitemapEntry]) -> list[SitemapEntry]:
    seen, unique = set(), []
    for entry in entries:
        if entry.url not in seen:
            seen.add(entry.url)
            unique.append(entry)
    return unique


# ---------------------------------------------------------------- listing pages

def listing_links(html: bytes | str, page_url: str, link_selector: str,
                  next_selector: str | None = None) -> tuple[list[str], str | None]:
    """Article links picked by a CSS selector on an index page, and the "next page" URL if any.

    A selector may pick the <a> itself or an element around it (the first link inside counts).
    Links are absolute (against <base href> or the page URL), without fragments, http(s) only.
    """
    soup = BeautifulSoup(html, "lxml")
    base_tag = soup.find("base", href=True)
    base = urljoin(page_url, base_tag["href"].strip()) if base_tag else page_url
    links = []
    for element in soup.select(link_selector):
        url = _href(element, base)
        if url and url not in links:
            links.append(url)
    next_url = None
    if next_selector:
        element = soup.select_one(next_selector)
        next_url = _href(element, base) if element is not None else None
    return links, next_url


def _href(element, base: str) -> str | None:
    anchor = element if element.name == "a" and element.get("href") else element.find("a", href=True)
    if anchor is None:
        return None
    url = urldefrag(urljoin(base, anchor["href"].strip())).url
    return url if url.startswith(("http://", "https://")) else None


# ---------------------------------------------------------------- files

@dataclass(frozen=True)
class DirectoryFile:
    path: Path
    is_symlink: bool  # the file itself is a link: read from its directory entry, no system call


def directory_files(source: SourceConfig) -> list[DirectoryFile]:
    """The article files under the source's folder, in path order, at most max_articles.

    The files `root.rglob("*")` finds that are files with an article suffix (links to files too;
    folders that are links are not entered), from os.scandir's entries: their type comes with the
    directory listing, where Path.is_file() costs a stat per file (100k files: ~4 s of a no-op refresh).
    """
    root = source.resolved_path()
    if not root.is_dir():
        raise FileNotFoundError(f"source '{source.name}': directory {root} does not exist")
    found: list[tuple[str, bool]] = []
    _scan(str(root), found, top=True)
    found.sort(key=lambda item: item[0].split(os.sep))  # part by part, as sorted() orders Paths
    return [DirectoryFile(Path(path), is_link) for path, is_link in found[: source.max_articles]]


def _scan(folder: str, found: list[tuple[str, bool]], top: bool = False) -> None:
    try:
        entries = list(os.scandir(folder))
    except PermissionError:  # an unreadable sub-folder is passed over, as rglob does
        if top:
            raise
        return
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink():
            _scan(entry.path, found)
        elif os.path.splitext(entry.name)[1].lower() in ARTICLE_SUFFIXES and entry.is_file():
            found.append((entry.path, entry.is_symlink()))


# ---------------------------------------------------------------- driving discovery over HTTP

def discover_urls(source: SourceConfig, fetcher: Fetcher) -> Discovered:
    """Article URLs of a web source (at most max_articles), with a log line per index page read.

    A failure of the first index page (the feed, the top sitemap, the first listing page) raises
    FetchError / DiscoveryError: the source has nothing to offer this run. A later index page that
    fails is logged and the URLs found so far are kept.
    """
    found = Discovered()
    if source.kind == "urls":
        found.urls = list(dict.fromkeys(source.urls))
    elif source.kind == "rss":
        response = fetcher.get(source.url)
        found.urls = feed_links(response.content)
        found.fetches.append(_index_fetch(source, source.url, response, f"feed: {len(found.urls)} links"))
    elif source.kind == "sitemap":
        _walk_sitemaps(source, fetcher, found)
    elif source.kind == "listing":
        _walk_listing(source, fetcher, found)
    else:
        raise DiscoveryError(f"source '{source.name}': kind {source.kind!r} has no URLs to discover")
    found.urls = found.urls[: source.max_articles]
    return found


def _walk_sitemaps(source: SourceConfig, fetcher: Fetcher, found: Discovered) -> None:
    """Breadth first from the configured sitemap, newest child first, at most max_depth levels deep."""
    queue, seen, pages = [(source.url, 1)], {source.url}, []
    files_read = 0
    while queue and files_read < MAX_SITEMAP_FILES and len(pages) < source.max_articles:
        url, depth = queue.pop(0)
        files_read += 1
        try:
            response = fetcher.get(url, accept=SITEMAP_TYPES)
            sitemap = parse_sitemap(response.content, fetcher.max_bytes)
        except (FetchError, SitemapError) as error:
            if url == source.url:
                raise
            found.fetches.append(_index_error(source, url, error))
            continue
        note = f"sitemap {sitemap.kind}: {len(sitemap.entries)} entries"
        if sitemap.kind == "index":
            children = [e.url for e in newest_first(sitemap.entries) if e.url not in seen]
            if depth >= source.max_depth:
                note += f", not followed (max_depth {source.max_depth})"
                children = []
            seen.update(children)
            queue.extend((child, depth + 1) for child in children)
        else:
            pages.extend(sitemap.entries)
        found.fetches.append(_index_fetch(source, url, response, note))
    found.urls = list(dict.fromkeys(e.url for e in newest_first(pages)))


def _walk_listing(source: SourceConfig, fetcher: Fetcher, found: Discovered) -> None:
    """The index page and up to max_pages - 1 "next" pages, stopping once max_articles links are found."""
    url, visited = source.url, []
    while url and url not in visited and len(visited) < source.max_pages and len(found.urls) < source.max_articles:
        visited.append(url)
        try:
            response = fetcher.get(url)
        except FetchError as error:
            if len(visited) == 1:
                raise
            found.fetches.append(_index_error(source, url, error))
            break
        links, url = listing_links(response.content, response.url, source.link_selector, source.next_selector)
        new = [link for link in links if link not in found.urls]
        found.urls.extend(new)
        found.fetches.append(_index_fetch(source, visited[-1], response,
                                          f"listing page {len(visited)}: {len(new)} new links"))
    if not found.urls:
        raise DiscoveryError(f"listing: no link matched {source.link_selector!r} on {source.url}")


def _index_fetch(source: SourceConfig, url: str, response: Response, note: str) -> FetchResult:
    # An index page is not an article: logged as `skipped`, with what it yielded.
    return FetchResult(source.name, url, response.started_at, response.status, len(response.content),
                       response.elapsed_ms, "skipped", note)


def _index_error(source: SourceConfig, url: str, error: Exception) -> FetchResult:
    outcome = "skipped" if isinstance(error, FetchSkipped) else "error"
    return FetchResult(source.name, url, datetime.now(timezone.utc).replace(tzinfo=None),
                       getattr(error, "http_status", None), getattr(error, "nbytes", 0), 0, outcome,
                       f"{type(error).__name__}: {error}")
