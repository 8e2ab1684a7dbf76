"""Article files -> body text, the way the pipeline reads them (eval and `dealwire extract`).

HTML goes through the pipeline's own parser, so offsets and table rows look the same here as in
the warehouse.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LoadedArticle:
    text: str
    lang: str | None
    published: dt.date | None


def html_to_article(html: bytes | str, url: str | None = None) -> LoadedArticle:
    from ingest.fetch import decode_html
    from ingest.parse import parse_html  # imported late: ingest.parse imports this package

    page = parse_html(decode_html(html) if isinstance(html, bytes) else html, url=url)
    published = page.published_at.date() if page.published_at else None
    return LoadedArticle(page.body_text, page.lang, published)


def load_article(path: str | Path) -> LoadedArticle:
    p = Path(path)
    data = p.read_bytes()
    if p.suffix.lower() in (".html", ".htm") or data.lstrip()[:1] == b"<":
        return html_to_article(data)
    from ingest.fetch import decode_html

    return LoadedArticle(decode_html(data), None, None)
