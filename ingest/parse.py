"""HTML page -> title, publication date, language and clean body text.

The page is parsed once with BeautifulSoup on the lxml parser (the tree building, not the
parser, is the cost). Boilerplate (navigation, share bars, app prompts, related links, comments,
copyright and disclaimers) is removed before the body container is chosen.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from bs4 import BeautifulSoup, Tag

from ingest.extract import detect_lang

_DROP_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
              "svg", "button", "select", "input", "template"]
_NOISE = re.compile(
    r"(^|[-_ ])(share|social|related|recommend\w*|comments?|footer|copyright|disclaimer|app-?download|"
    r"download-?app|qr|ad|ads|advert|advertisement|promo|breadcrumb|tags?|byline|author|"
    r"subscribe|newsletter|sidebar|toolbar|masthead|nav|menu|pagination|sponsor)([-_ ]|$)",
    re.IGNORECASE,
)
_CONTENT = re.compile(r"(article|post|entry|story|content|detail|body|text)", re.IGNORECASE)
_BLOCK_TAGS = ["p", "li", "h2", "h3", "h4", "blockquote", "tr", "pre"]
_WS = re.compile(r"\s+")
_DATE_IN_TEXT = re.compile(
    r"(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]+(\d{1,2}):(\d{2}))?")


@dataclass(frozen=True)
class ParsedPage:
    title: str | None
    published_at: datetime | None  # naive UTC
    lang: str
    body_text: str  # paragraphs separated by a blank line
    canonical_url: str | None


def parse_html(html: bytes | str, url: str | None = None) -> ParsedPage:
    soup = BeautifulSoup(html, "lxml")
    title = _title(soup)
    published_at = _published_at(soup)
    canonical = _canonical(soup)
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    _drop_noise(soup)
    container = _body_container(soup)
    body_text = _blocks_text(container, skip_heading=title)
    if published_at is None:
        published_at = _date_from_text(soup.get_text(" "))
    return ParsedPage(title=title, published_at=published_at,
                      lang=detect_lang((title or "") + "\n" + body_text),
                      body_text=body_text, canonical_url=canonical)


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _title(soup: BeautifulSoup) -> str | None:
    og = soup.find("meta", attrs={"property": "og:title"})
    if og and og.get("content"):
        return _clean(og["content"])
    h1 = soup.find("h1")
    if h1 and h1.get_text(strip=True):
        return _clean(h1.get_text(" "))
    if soup.title and soup.title.string:
        return _clean(soup.title.string)
    return None


def _canonical(soup: BeautifulSoup) -> str | None:
    link = soup.find("link", rel="canonical")
    if link and link.get("href"):
        return link["href"].strip()
    og = soup.find("meta", attrs={"property": "og:url"})
    return og["content"].strip() if og and og.get("content") else None


def parse_datetime(value: str) -> datetime | None:
    """ISO 8601 (with or without offset) or a Chinese/English numeric date -> naive UTC."""
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return _date_from_text(value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed


def _published_at(soup: BeautifulSoup) -> datetime | None:
    for script in soup.find_all("script", type="application/ld+json"):
        found = _ld_date(script.string or "")
        if found:
            return found
    for attrs in ({"property": "article:published_time"}, {"name": "pubdate"},
                  {"name": "publishdate"}, {"itemprop": "datePublished"}, {"name": "date"}):
        meta = soup.find("meta", attrs=attrs)
        if meta and meta.get("content"):
            found = parse_datetime(meta["content"])
            if found:
                return found
    time_tag = soup.find("time", datetime=True)
    if time_tag:
        return parse_datetime(time_tag["datetime"])
    return None


def _ld_date(raw: str) -> datetime | None:
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if isinstance(item.get("datePublished"), str):
                return parse_datetime(item["datePublished"])
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
    return None


def _date_from_text(text: str) -> datetime | None:
    match = _DATE_IN_TEXT.search(text)
    if not match:
        return None
    year, month, day, hour, minute = match.groups()
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    except ValueError:
        return None


def _drop_noise(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in ("html", "body", "article", "main"):
            continue
        marker = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
        if marker.strip() and _NOISE.search(marker):
            tag.decompose()


def _body_container(soup: BeautifulSoup) -> Tag:
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=_text_len)
    # Otherwise the element whose direct paragraphs hold the most text.
    best, best_len = soup.body or soup, 0
    for tag in soup.find_all(["div", "section", "main"]):
        own = sum(len(p.get_text(strip=True)) for p in tag.find_all(["p", "li", "tr"], recursive=False))
        marker = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
        if _CONTENT.search(marker):
            own *= 1.2
        if own > best_len:
            best, best_len = tag, own
    return best


def _text_len(tag: Tag) -> int:
    return len(tag.get_text(strip=True))


def _blocks_text(container: Tag, skip_heading: str | None) -> str:
    blocks: list[str] = []
    for block in container.find_all(_BLOCK_TAGS):
        # Only the innermost blocks: a <li> holding <p>s is read through its paragraphs.
        if block.find(_BLOCK_TAGS):
            continue
        if block.name == "tr":
            text = " ".join(_clean(cell.get_text(" ")) for cell in block.find_all(["th", "td"]))
        else:
            text = _clean(block.get_text(" "))
        if text and text != skip_heading:
            blocks.append(text)
    if not blocks:
        text = _clean(container.get_text(" "))
        return text
    return "\n\n".join(blocks)
