"""HTML page -> title, publication date, language and clean body text.

Article pages are parsed once with lxml.html (a 40 KB page parses in about 0.3 ms; building a
BeautifulSoup tree of the same page costs ~40x more). The steps, in order:

1. Read what the page says about itself before anything is removed: title (og:title, <h1>,
   <title>), canonical URL, publication date (JSON-LD, article/OpenGraph meta tags, <time>, then
   the text of date and byline elements; see ingest/dates.py).
2. Remove boilerplate: non-content tags (scripts, nav, footer, aside, forms...), hidden elements
   and elements whose class / id / role names them as share bars, app prompts, related links,
   comments, paywall notes, cookie banners and the like.
3. Choose the body container: each paragraph-like block scores its non-link text for its nearest
   container and half of it for the next one up; the best container wins, widened to its
   enclosing <article> when there is one (so a standfirst or a table next to the body is kept).
4. Read the container as blocks: paragraphs, headings, list items, table rows (cells joined by a
   space; a <caption> is a block of its own) and loose text between <br>s; drop blocks that read
   as boilerplate (copyright, disclaimers, "下载APP", "责任编辑", bylines...) by generic patterns.

Per-source CSS selectors (title / body / date) win over these heuristics when they match.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from ingest.dates import find_date, parse_datetime
from ingest.extract import detect_lang

__all__ = ["ParsedPage", "parse_datetime", "parse_html"]


@dataclass(frozen=True)
class ParsedPage:
    title: str | None
    published_at: datetime | None  # naive UTC
    lang: str
    body_text: str  # paragraphs separated by a blank line
    canonical_url: str | None


# ---- what counts as boilerplate -----------------------------------------------------------------

_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
              "svg", "button", "select", "input", "textarea", "template", "object", "embed", "canvas",
              "dialog", "menu")
# Class / id words that mark an element as not part of the article.
_NOISE = re.compile(
    r"(?:^|[-_ ])(share|sharing|social|related|recommend\w*|comments?|reply|footer|copyright|disclaimer|"
    r"app-?download|download-?app|qr|qrcode|ad|ads|advert|advertisement|adsense|promo|breadcrumbs?|tags?|"
    r"byline|author|subscribe|subscription|newsletter|sidebar|toolbar|masthead|nav|navbar|menu|"
    r"pagination|pager|sponsor(?:ed)?|paywall|cookies?|consent|banner|popup|modal|login|signin|signup|"
    r"outbrain|taboola|read-?more|also-?read|more-?stories|hot-?news|most-?read|popular|ranking)(?:[-_ ]|$)",
    re.IGNORECASE,
)
_NOISE_ROLES = {"navigation", "complementary", "contentinfo", "banner", "search", "dialog", "alert"}
# Ancestors that make a date element someone else's date (a comment's, a related story's).
_FOREIGN = re.compile(r"related|recommend|comment|reply|sidebar|popular|ranking|hot-?news|more-?stories",
                      re.IGNORECASE)
_CONTENT = re.compile(r"article|post|entry|story|content|detail|body|text|main", re.IGNORECASE)
_DATEISH = re.compile(r"date|time|publish|pubtime|byline|meta|info|source|dateline|posted", re.IGNORECASE)

# Boilerplate lines inside the article itself. _LINE_START: a block that opens like this is not
# article text whatever its length. _LINE_SHORT: markers that only count in a short block (a long
# paragraph may quote a copyright dispute or an app's download numbers).
_LINE_START = re.compile(
    r"^[\s(（【\[]*(?:©|\(c\)\s*\d{4}|copyright\b|all rights reserved|版权所有|版權所有|版权声明|版權聲明|"
    r"免责声明|免責聲明|风险提示\s*[:：]|風險提示\s*[:：]|disclaimer\s*:|责任编辑|責任編輯|编辑\s*[:：]|編輯\s*[:：]|"
    r"(?:文章|文|图片|圖片|本文)?(?:来源|來源)\s*[:：]|原标题\s*[:：]|原標題\s*[:：]|"
    r"原文链接|原文連結|本文(?:首发|首發|转载|轉載|来自|來自)|(?:转载|轉載)(?:请|請)|分享到|"
    r"share\s+(?:this|on)\b|(?:additional\s+)?(?:reporting|editing|writing)\s+by\b.*;|"
    r"(?:订阅|訂閱|关注|關注)(?:我们|我們|本(?:站|网|網|号|號|刊)|公众号|公眾號)|扫码|掃碼|扫描二维码|掃描二維碼|"
    r"(?:点击|點擊)(?:下载|下載|关注|關注|阅读|閱讀))",
    re.IGNORECASE,
)
_LINE_SHORT = re.compile(
    r"版权所有|版權所有|all rights reserved|copyright\s*(?:©\s*)?\d{4}|©\s*\d{4}|未经(?:授权|许可)|"
    r"未經(?:授權|許可)|(?:转载|轉載)(?:请|請)?(?:注明|聯繫|联系)|icp(?:备|備|证|證)|"
    r"不(?:构成|構成)(?:任何)?(?:投资|投資)建(?:议|議)|(?:投资|投資)(?:需|须|須)谨慎|(?:投資|投资)有(?:风险|風險)|"
    r"not (?:financial|investment) advice|(?:下载|下載)[^\s,，。]{0,12}\s?app|"
    r"(?:get|download|install|open)\s+(?:the|our)\s+(?:[\w-]+\s+){0,3}app\b|\bapp\s*[—–:-]+\s*download|"
    r"scan (?:the |this )?qr|扫码|掃碼|free articles? left|(?:登录|登入|登錄)后?\S{0,4}(?:评论|評論)|"
    r"(?:评论|評論)\s*[(（]\d+[)）]|comments?\s*\(\d+\)|(?:责任编辑|責任編輯)|editing by"
)  # matched against lower-cased text
# Openings that mark a short line as a heading of a links box or a prompt.
_LINE_SHORT_START = re.compile(
    r"[(\[]?(?:相关|相關|推荐|推薦|延伸|热门|熱門|猜你喜欢|猜你喜歡)(?:阅读|閱讀|文章|新闻|新聞)|"
    r"(?:related(?:\s+(?:articles?|coverage|stories|reading))?|(?:read|see)\s+(?:more|also))\s*:|"
    r"(?:sign up|subscribe)\b"
)  # matched against lower-cased text
_SHORT_LINE = 120
# Substrings without which _LINE_SHORT cannot match (plain `in` tests are far cheaper than the regex).
_LINE_SHORT_HINTS = ("版权", "版權", "reserved", "copyright", "©", "未经", "未經", "转载", "轉載", "icp", "投资",
                     "投資", "advice", "app", "qr", "扫码", "掃碼", "free article", "登录", "登入", "登錄",
                     "评论", "評論", "comment", "编辑", "編輯", "editing")
_BYLINE_EN = re.compile(r"^[Bb]y\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){1,3}\s*(?:[,|/]|and\b|$)")
_BYLINE_ZH = re.compile(r"(?:记者|記者|作者|编辑|編輯|撰文|通讯员|通訊員)")
_SENTENCE_PUNCT = re.compile(r"[。，,；;！!？?]")

# ---- how blocks are read --------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(("p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd",
                         "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "thead", "tbody",
                         "tfoot", "tr", "caption", "figure", "figcaption", "center", "address", "hr",
                         "details", "summary", "body"))
_LEAF_BLOCKS = frozenset(("p", "li", "dt", "dd", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
                          "caption", "figcaption", "summary", "address"))
_NESTED_BLOCKS = ("p", "div", "section", "article", "li", "ul", "ol", "table", "blockquote", "pre",
                  "h2", "h3", "h4", "h5", "h6", "dl")
_SCORED = ("p", "pre", "blockquote", "li", "tr", "dd", "h2", "h3", "h4")
_CONTAINERS = frozenset(("div", "section", "article", "main", "td", "body", "center"))
_ZERO_WIDTH_CHARS = ("\u200b", "\u200c", "\u200d", "\ufeff")
_ZERO_WIDTH = re.compile("[" + "".join(_ZERO_WIDTH_CHARS) + "]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_LOOSE_MIN = 25  # loose text (no <p>) shorter than this is a label or a date, not a paragraph
_LANG_SAMPLE = 1500  # characters of body text for detect_lang: plenty to tell the scripts apart

_X_LD = etree.XPath('//script[@type="application/ld+json"]')
_X_META = etree.XPath("//meta[@content]")
_X_TIME = etree.XPath("//time[@datetime]")
_X_MARKED = etree.XPath("//*[@class or @id or @role or @hidden or @aria-hidden or @style]")
_X_CANONICAL = etree.XPath("//link[@href]")
_DATE_META = ("article:published_time", "og:published_time", "article:published", "datepublished",
              "pubdate", "publishdate", "publish-date", "publish_date", "published_time", "date",
              "dc.date.issued", "dc.date", "dcterms.date", "sailthru.date", "parsely-pub-date",
              "article.published", "original-publish-date", "weibo:article:create_at")


def parse_html(html: bytes | str, url: str | None = None, *, selectors: Mapping[str, str] | None = None,
               fetched_at: datetime | None = None) -> ParsedPage:
    """Parse one article page.

    selectors: optional per-source CSS selectors (keys title / body / date); when one is given and
    matches, it wins over the heuristics. fetched_at: naive UTC fetch time, the anchor for
    relative dates ("3 hours ago", "昨天 10:30"); without it relative dates stay unknown.
    """
    root = _document(html)
    if root is None:
        return ParsedPage(None, None, detect_lang(""), "", None)
    selectors = selectors or {}
    title = _selected_text(root, selectors.get("title")) or _title(root)
    canonical = _canonical(root, url)
    published_at = _selected_date(root, selectors.get("date"), fetched_at)
    if published_at is None:
        published_at = _metadata_date(root)
    if published_at is None:
        published_at = _dateish_element_date(root, fetched_at)
    body = _select(root, selectors.get("body"))
    _drop_boilerplate(body if body is not None else root, keep_root=body is not None)
    parts = [body] if body is not None else _body_parts(root)
    blocks = _blocks(parts, title)
    if published_at is None:
        published_at = _pre_body_date(root, parts[0], fetched_at)
    body_text = "\n\n".join(blocks) if blocks else _clean(" ".join(p.text_content() for p in parts))
    return ParsedPage(title=title, published_at=published_at,
                      lang=detect_lang((title or "") + "\n" + body_text[:_LANG_SAMPLE]),
                      body_text=body_text, canonical_url=canonical)


def _document(html: bytes | str) -> lxml.html.HtmlElement | None:
    if isinstance(html, bytes):
        from ingest.fetch import decode_html  # ingest.fetch is heavier (requests); only bytes need it

        html = decode_html(html)
    if html[:200].lstrip().startswith("<?xml"):
        html = _XML_DECL.sub("", html, count=1)  # lxml refuses str input that declares an encoding
    if any(ch in html for ch in _ZERO_WIDTH_CHARS):
        html = _ZERO_WIDTH.sub("", html)
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except ValueError:  # NUL or other control characters: lxml refuses them in str input
        pass
    except etree.ParserError:
        return None
    try:
        return lxml.html.document_fromstring(_CONTROL.sub("", html))
    except (etree.ParserError, ValueError):
        return None


def _clean(text: str) -> str:
    return " ".join(text.split())


def _text_len(text: str) -> int:
    """Characters other than whitespace."""
    return len("".join(text.split()))


def _marker(el: lxml.html.HtmlElement) -> str:
    return (el.get("class") or "") + " " + (el.get("id") or "")


# ---- selectors ----------------------------------------------------------------------------------

@lru_cache(maxsize=256)
def _compiled(selector: str) -> etree.XPath:
    return etree.XPath(css_to_xpath(selector))


def _select(root: lxml.html.HtmlElement, selector: str | None) -> lxml.html.HtmlElement | None:
    if not selector:
        return None
    found = _compiled(selector)(root)
    return found[0] if found else None


def _selected_text(root: lxml.html.HtmlElement, selector: str | None) -> str | None:
    el = _select(root, selector)
    if el is None:
        return None
    if el.tag == "meta":
        return _clean(el.get("content") or "") or None
    if el.tag == "time" and el.get("datetime"):
        return el.get("datetime")
    return _clean(el.text_content()) or None


def _selected_date(root: lxml.html.HtmlElement, selector: str | None,
                   fetched_at: datetime | None) -> datetime | None:
    value = _selected_text(root, selector)
    return parse_datetime(value, fetched_at) if value else None


_CSS_TOKEN = re.compile(
    r"\s*(?P<comb>[>+~])\s*|(?P<ws>\s+)|(?P<tag>[a-zA-Z][\w-]*|\*)|\.(?P<cls>-?[_a-zA-Z][\w-]*)|"
    r"#(?P<id>[\w-]+)|\[\s*(?P<attr>[\w:-]+)\s*(?:(?P<op>[~^$*|]?=)\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|"
    r"(?P<bare>[^\]\s]+))\s*)?\]|:(?P<pseudo>first-child|last-child|first-of-type|last-of-type)\b(?!\()|"
    r":(?P<nth>nth-child|nth-of-type)\(\s*(?P<n>\d+)\s*\)|:not\((?P<neg>[^()]*)\)"
)


def css_to_xpath(selector: str) -> str:
    """The CSS subset per-source selectors need -> XPath 1.0: tag, *, .class, #id, [attr] and
    [attr=v] (=, ~=, ^=, $=, *=, |=), :first-child, :last-child, :nth-child(n), :first-of-type,
    :last-of-type, :nth-of-type(n) (with a tag), :not(simple selector), the descendant, >, + and ~
    combinators and comma groups. Anything else raises ValueError, so a source's configuration
    can be checked with the same code that runs it."""
    groups = []
    for group in selector.split(","):
        group = group.strip()
        if not group:
            raise ValueError(f"empty selector in {selector!r}")
        xpath, axis, pos = "", "//", 0
        tag, preds = None, []
        for m in _CSS_TOKEN.finditer(group):
            if m.start() != pos:
                break
            pos = m.end()
            if m["comb"] or m["ws"]:
                if tag is None and not preds:
                    raise ValueError(f"unsupported CSS selector {selector!r}: dangling combinator")
                xpath += axis + (tag or "*") + "".join(f"[{p}]" for p in preds)
                tag, preds = None, []
                axis = {">": "/", "+": "/following-sibling::*[1]/self::", "~": "/following-sibling::"}.get(
                    m["comb"] or "", "//")
                continue
            if m["tag"]:
                tag = m["tag"].lower()
            else:
                preds.append(_css_predicate(m, selector, tag))
        if pos != len(group) or (tag is None and not preds):
            raise ValueError(f"unsupported CSS selector {selector!r} at {group[pos:]!r}")
        groups.append(xpath + axis + (tag or "*") + "".join(f"[{p}]" for p in preds))
    return " | ".join(groups)


def _css_predicate(m: re.Match[str], selector: str, tag: str | None) -> str:
    if m["cls"]:
        return f"contains(concat(' ', normalize-space(@class), ' '), ' {m['cls']} ')"
    if m["id"]:
        return f"@id='{m['id']}'"
    if m["attr"]:
        name, op = m["attr"], m["op"]
        if op is None:
            return f"@{name}"
        value = m["dq"] if m["dq"] is not None else m["sq"] if m["sq"] is not None else m["bare"]
        if "'" in value:
            raise ValueError(f"unsupported quote in {selector!r}")
        return {
            "=": f"@{name}='{value}'",
            "~=": f"contains(concat(' ', normalize-space(@{name}), ' '), ' {value} ')",
            "^=": f"starts-with(@{name}, '{value}')",
            "$=": f"substring(@{name}, string-length(@{name}) - {len(value) - 1})='{value}'",
            "*=": f"contains(@{name}, '{value}')",
            "|=": f"(@{name}='{value}' or starts-with(@{name}, '{value}-'))",
        }[op]
    if m["neg"] is not None:
        inner = m["neg"].strip()
        parts = list(_CSS_TOKEN.finditer(inner))
        if not inner or "".join(p.group(0) for p in parts) != inner or any(
                p["comb"] or p["ws"] or p["neg"] is not None for p in parts):
            raise ValueError(f"unsupported :not() in {selector!r}")
        conds = [f"self::{p['tag'].lower()}" if p["tag"] and p["tag"] != "*" else "true()" if p["tag"]
                 else _css_predicate(p, selector, tag) for p in parts]
        return "not(" + " and ".join(conds) + ")"
    pseudo = m["pseudo"] or m["nth"]
    if pseudo in ("first-of-type", "last-of-type", "nth-of-type") and tag in (None, "*"):
        raise ValueError(f"{pseudo} needs a tag in {selector!r}")
    return {
        "first-child": "not(preceding-sibling::*)",
        "last-child": "not(following-sibling::*)",
        "nth-child": f"count(preceding-sibling::*) = {int(m['n'] or 0) - 1}",
        "first-of-type": f"not(preceding-sibling::{tag})",
        "last-of-type": f"not(following-sibling::{tag})",
        "nth-of-type": f"count(preceding-sibling::{tag}) = {int(m['n'] or 0) - 1}",
    }[pseudo]


# ---- title, canonical URL, publication date -------------------------------------------------------

def _meta_content(root: lxml.html.HtmlElement, *keys: str) -> str | None:
    wanted = set(keys)
    for meta in _X_META(root):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in wanted and meta.get("content", "").strip():
            return meta.get("content")
    return None


def _title(root: lxml.html.HtmlElement) -> str | None:
    og = _meta_content(root, "og:title")
    if og:
        return _clean(og)
    for h1 in root.iter("h1"):
        text = _clean(h1.text_content())
        if text:
            return text
    for el in root.iter("title"):
        text = _clean(el.text_content())
        if text:
            return text
    return None


def _canonical(root: lxml.html.HtmlElement, url: str | None) -> str | None:
    href = None
    for link in _X_CANONICAL(root):
        if "canonical" in (link.get("rel") or "").lower().split():
            href = link.get("href").strip()
            break
    if not href:
        href = (_meta_content(root, "og:url") or "").strip() or None
    if href and url:
        href = urljoin(url, href)
    return href


def _metadata_date(root: lxml.html.HtmlElement) -> datetime | None:
    for script in _X_LD(root):
        found = _ld_date(script.text or "")
        if found:
            return found
    metas: dict[str, str] = {}
    for meta in _X_META(root):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _DATE_META and key not in metas:
            metas[key] = meta.get("content", "")
    for key in _DATE_META:
        if key in metas:
            found = parse_datetime(metas[key])
            if found:
                return found
    times = [t for t in _X_TIME(root) if not _foreign(t)]
    # A <time> marked as the publication time first, then the first one on the page.
    times.sort(key=lambda t: not (t.get("itemprop") == "datePublished" or t.get("pubdate") is not None
                                  or "publish" in _marker(t).lower()))
    for t in times:
        found = parse_datetime(t.get("datetime"))
        if found:
            return found
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
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            if isinstance(item.get("datePublished"), str):
                found = parse_datetime(item["datePublished"])
                if found:
                    return found
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
    return None


def _foreign(el: lxml.html.HtmlElement) -> bool:
    """Inside a comment thread, a related-links list, a sidebar, navigation or the footer."""
    for anc in el.iterancestors():
        if anc.tag in ("aside", "nav", "footer") or _FOREIGN.search(_marker(anc)):
            return True
    return False


def _dateish_element_date(root: lxml.html.HtmlElement, fetched_at: datetime | None) -> datetime | None:
    """Date text in an element named for it (class/id date, time, byline, meta, info...)."""
    for el in _X_MARKED(root):
        if el.tag in _DROP_TAGS and el.tag != "header":
            continue
        marker = _marker(el)
        if not _DATEISH.search(marker) or _FOREIGN.search(marker):
            continue
        text = _clean(el.text_content())
        if not text or len(text) > 200 or _foreign(el):
            continue
        found = find_date(text, fetched_at)
        if found:
            return found
    return None


def _pre_body_date(root: lxml.html.HtmlElement, container: lxml.html.HtmlElement,
                   fetched_at: datetime | None) -> datetime | None:
    """A date written between the top of the page and the first paragraph of the body (an
    unmarked byline or dateline); dates inside the article text are events, not the page's date."""
    first = next((b for b in container.iter(*_SCORED) if _prose(b)), None)
    parts: list[str] = []
    size = 0
    body = root.find("body")
    for el in (body if body is not None else root).iter():
        if el is first or size > 3000:
            break
        if isinstance(el.tag, str) and el.text:
            parts.append(el.text)
            size += len(el.text)
        if el.tail and el is not container:
            parts.append(el.tail)
            size += len(el.tail)
    return find_date(_clean(" ".join(parts)), fetched_at) if parts else None


# ---- boilerplate removal and the body container -----------------------------------------------------

def _drop_boilerplate(scope: lxml.html.HtmlElement, keep_root: bool) -> None:
    for el in list(scope.iter(*_DROP_TAGS)):
        if el is not scope and el.getparent() is not None:
            el.drop_tree()
    for el in _X_MARKED(scope):
        if el.tag in ("html", "body", "article", "main") or (keep_root and el is scope):
            continue
        if el.getparent() is None:
            continue
        if (el.get("hidden") is not None or el.get("aria-hidden") == "true"
                or (el.get("role") or "").lower() in _NOISE_ROLES
                or "display:none" in (el.get("style") or "").replace(" ", "").lower()
                or _NOISE.search(_marker(el))):
            el.drop_tree()


def _body_parts(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The body container, plus those of its siblings that read as article text too (a standfirst
    or a table beside the main text div), in document order."""
    scores = _scores(root)
    best = _body_container(root, scores)
    parent = best.getparent()
    if best.tag == "article" or best.tag == "body" or parent is None:
        return [best]
    threshold = max(10.0, scores.get(best, 0.0) * 0.2)
    parts = []
    for sib in parent:
        if sib is best:
            parts.append(sib)
        elif isinstance(sib.tag, str) and sib.tag not in ("h1",) and (
                scores.get(sib, 0.0) >= threshold or (sib.tag == "p" and _prose(sib))):
            parts.append(sib)
    return parts


def _prose(p: lxml.html.HtmlElement) -> bool:
    """A paragraph long enough (or sentence enough), and with few enough links, to be article text
    on its own."""
    text = p.text_content()
    text_len = _text_len(text)
    if text_len < 12 or (text_len < 40 and not _SENTENCE_PUNCT.search(text)):
        return False
    return sum(_text_len(a.text_content()) for a in p.iter("a")) <= 0.25 * text_len


def _scores(root: lxml.html.HtmlElement) -> dict[lxml.html.HtmlElement, float]:
    scores: dict[lxml.html.HtmlElement, float] = {}
    for block in root.iter(*_SCORED):
        text_len = _text_len(block.text_content())
        if text_len < 2:
            continue
        score = text_len
        for a in block.iter("a"):
            score -= _text_len(a.text_content())
        if score <= 0:
            continue
        share = 1.0
        for anc in block.iterancestors():
            if anc.tag in _CONTAINERS:
                scores[anc] = scores.get(anc, 0.0) + score * share
                if share < 1.0:
                    break
                share = 0.5
    return scores


def _body_container(root: lxml.html.HtmlElement,
                    scores: dict[lxml.html.HtmlElement, float] | None = None) -> lxml.html.HtmlElement:
    if scores is None:
        scores = _scores(root)
    body = root.find("body")
    fallback = body if body is not None else root
    if not scores:
        return fallback
    best = max(scores, key=lambda el: scores[el] * (1.2 if _CONTENT.search(_marker(el)) else 1.0)
               if el is not fallback else 0.0)
    if best.tag == "article":
        return best
    for anc in best.iterancestors("article"):
        return anc
    return best


# ---- blocks ----------------------------------------------------------------------------------------

def _blocks(parts: list[lxml.html.HtmlElement], title: str | None) -> list[str]:
    raw: list[str] = []
    for part in parts:
        nesting = _holding_blocks(part)
        if part.tag in _LEAF_BLOCKS and part not in nesting:
            raw.append(_clean(part.text_content()))
        else:
            _walk(part, raw, nesting, keep_short=part.tag in _LEAF_BLOCKS)
    blocks = []
    for text in raw:
        if text and text != title and not _is_boilerplate(text):
            blocks.append(text)
    return blocks


def _holding_blocks(scope: lxml.html.HtmlElement) -> set[lxml.html.HtmlElement]:
    """Elements under `scope` (and scope) that hold a block element or a <br>: one pass instead
    of a descendant search per element."""
    holding: set[lxml.html.HtmlElement] = set()
    for block in scope.iterdescendants(*_NESTED_BLOCKS, "br"):
        for anc in block.iterancestors():
            if anc in holding:
                break
            holding.add(anc)
            if anc is scope:
                break
    return holding


def _walk(el: lxml.html.HtmlElement, out: list[str], nesting: set[lxml.html.HtmlElement], keep_short: bool,
          run: list[str] | None = None) -> None:
    """Append the text blocks under `el` to `out`: leaf blocks whole, table rows as cells joined by
    a space, and the text between blocks and <br>s as lines of its own. Inline elements are
    transparent: their text continues the current line. Outside a paragraph, a short line that is
    no sentence (a label, a date) is dropped; inside one (keep_short) every line is kept."""
    own_run = run is None
    if run is None:
        run = []
    if el.text:
        run.append(el.text)
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):  # comment or processing instruction: only its tail is text
            pass
        elif tag == "h1":
            _flush(run, out, keep_short)
        elif tag == "br":
            _flush(run, out, keep_short)
        elif tag == "tr":
            _flush(run, out, keep_short)
            if child in nesting:  # a table or <br>s inside a cell
                _walk(child, out, nesting, keep_short=True)
            else:
                cells = [_clean(c.text_content()) for c in child if c.tag in ("td", "th")]
                row = " ".join(c for c in cells if c)
                if row:
                    out.append(row)
        elif tag in _LEAF_BLOCKS:
            _flush(run, out, keep_short)
            if child in nesting:
                _walk(child, out, nesting, keep_short=True)
            else:
                text = _clean(child.text_content())
                if text:
                    out.append(text)
        elif tag in _BLOCK_TAGS or tag in ("td", "th"):
            _flush(run, out, keep_short)
            _walk(child, out, nesting, keep_short=False)
        elif child in nesting:  # an inline element holding <br>s or blocks: walk through it
            _walk(child, out, nesting, keep_short, run)
        else:
            run.append(child.text_content())
        if child.tail:
            run.append(child.tail)
    if own_run:
        _flush(run, out, keep_short)


def _flush(run: list[str], out: list[str], keep_short: bool) -> None:
    text = _clean("".join(run))
    run.clear()
    if text and (keep_short or len(text) >= _LOOSE_MIN or text[-1] in "。.!?！？\"”」"):
        out.append(text)


def _is_boilerplate(text: str) -> bool:
    if _LINE_START.match(text):
        return True
    if len(text) > _SHORT_LINE:
        return False
    lowered = text.lower()
    if _LINE_SHORT_START.match(lowered) or (any(h in lowered for h in _LINE_SHORT_HINTS)
                                            and _LINE_SHORT.search(lowered)):
        return True
    if text.startswith(("By ", "by ")) and _BYLINE_EN.search(text):
        return True
    # "记者 陈思远 | 2026-03-20", "财讯速递 2026年3月19日 14:05": a short line naming a reporter or
    # stamping a date, with no sentence in it
    if len(text) > 60 or _SENTENCE_PUNCT.search(text):
        return False
    return bool(_BYLINE_ZH.search(text)) or find_date(text) is not None
