"""Article files -> body text, the way the pipeline reads them.

HTML goes through ingest.parse.parse_html when that module exists (the pipeline's own parser, so
offsets and table rows look the same here as in the warehouse); until then a fallback keeps the
main content block: one paragraph per <p>/<h*>/<li>, one per table row with cells joined by
spaces, paragraphs separated by a blank line.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LoadedArticle:
    text: str
    lang: str | None
    published: dt.date | None


_BLOCKS = ["p", "h1", "h2", "h3", "h4", "li", "tr", "caption", "blockquote"]


def _fallback(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for t in soup(["script", "style", "nav", "footer", "aside", "form", "noscript"]):
        t.decompose()
    root = soup.find("article")
    if root is None:
        best, best_len = None, 0
        for el in soup.find_all(["div", "section", "main"]):
            n = sum(len(p.get_text()) for p in el.find_all("p", recursive=False))
            n += sum(len(t.get_text()) for t in el.find_all("table", recursive=False))
            if n > best_len:
                best, best_len = el, n
        root = best or soup.body or soup
    paras: list[str] = []
    for el in root.find_all(_BLOCKS):
        if el.name == "tr":
            cells = [c.get_text(" ", strip=True) for c in el.find_all(["td", "th"])]
            paras.append(" ".join(c for c in cells if c))
        elif el.find_parent(["tr", "li"]) is None or el.name == "li" and el.find_parent("li") is None:
            if el.name != "li" and el.find_parent("li") is not None:
                continue
            txt = el.get_text(" ", strip=True)
            if txt:
                paras.append(txt)
    return "\n\n".join(p for p in paras if p)


def html_to_article(html: bytes | str, url: str | None = None) -> LoadedArticle:
    try:
        parse = importlib.import_module("ingest.parse")
        page = parse.parse_html(html, url=url)
        pub = page.published_at
        if isinstance(pub, dt.datetime):
            pub = pub.date()
        return LoadedArticle(page.body_text, page.lang, pub)
    except ModuleNotFoundError:
        text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
        return LoadedArticle(_fallback(text), None, None)


def load_article(path: str | Path) -> LoadedArticle:
    p = Path(path)
    data = p.read_bytes()
    if p.suffix.lower() in (".html", ".htm") or data.lstrip()[:1] == b"<":
        return html_to_article(data, url=None)
    return LoadedArticle(data.decode("utf-8", "replace"), None, None)
