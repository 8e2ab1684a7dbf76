"""HTML page -> title, publication date, language and clean body text.

Article pages are parsed once with lxml's HTML parser (a 40 KB page parses in about 0.25 ms;
building a BeautifulSoup tree of the same page costs ~40x more). The steps, in order:

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
# Substrings without which _LINE_SHORT cannot match (looking for them is far cheaper than the regex;
# one alternation of literals is ~5x cheaper than a loop of `in` tests).
_LINE_SHORT_HINTS = ("版权", "版權", "reserved", "copyright", "©", "未经", "未經", "转载", "轉載", "icp", "投资",
                     "投資", "advice", "app", "qr", "扫码", "掃碼", "free article", "登录", "登入", "登錄",
                     "评论", "評論", "comment", "编辑", "編輯", "editing")
_LINE_SHORT_HINT = re.compile("|".join(re.escape(h) for h in _LINE_SHORT_HINTS))
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
_ASCII_SPACES = ("\n", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")  # str.split()'s, but " "
_ZERO_WIDTH_CHARS = ("\u200b", "\u200c", "\u200d", "\ufeff")
_ZERO_WIDTH = re.compile("[" + "".join(_ZERO_WIDTH_CHARS) + "]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_LOOSE_MIN = 25  # loose text (no <p>) shorter than this is a label or a date, not a paragraph
_LANG_SAMPLE = 1500  # characters of body text for detect_lang: plenty to tell the scripts apart

# lxml.etree's own HTML parser builds the same tree as lxml.html's, but lxml.html looks up a
# Python element class each time an element is touched from Python, which cost about as much as
# the rest of the parse; _text and _drop_tree stand in for its two methods used here.
_PARSER = etree.HTMLParser()
_MARK_ATTRS = frozenset(("class", "id", "role", "hidden", "aria-hidden", "style"))
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
    head = _Head(root)
    title = _selected_text(root, selectors.get("title")) or _title(root, head)
    canonical = _canonical(head, url)
    published_at = _selected_date(root, selectors.get("date"), fetched_at)
    if published_at is None:
        published_at = _metadata_date(head)
    if published_at is None:
        published_at = _dateish_element_date(root, fetched_at)
    body = _select(root, selectors.get("body"))
    _drop_boilerplate(body if body is not None else root, keep_root=body is not None)
    texts = _Texts()
    parts = [body] if body is not None else _body_parts(root, texts)
    blocks = _blocks(parts, title, texts)
    if published_at is None:
        published_at = _pre_body_date(root, parts[0], fetched_at, texts)
    body_text = "\n\n".join(blocks) if blocks else _clean(" ".join(_text(p) for p in parts))
    return ParsedPage(title=title, published_at=published_at,
                      lang=detect_lang((title or "") + "\n" + body_text[:_LANG_SAMPLE]),
                      body_text=body_text, canonical_url=canonical)


def _document(html: bytes | str) -> etree._Element | None:
    if isinstance(html, bytes):
        from ingest.fetch import decode_html  # ingest.fetch is heavier (requests); only bytes need it

        html = decode_html(html)
    if html[:200].lstrip().startswith("<?xml"):
        html = _XML_DECL.sub("", html, count=1)  # lxml refuses str input that declares an encoding
    if any(ch in html for ch in _ZERO_WIDTH_CHARS):
        html = _ZERO_WIDTH.sub("", html)
    if not html or html.isspace():  # `not html.strip()` without copying the page
        return None
    try:
        return etree.fromstring(html, _PARSER)  # None for an empty document
    except ValueError:  # NUL or other control characters: lxml refuses them in str input
        pass
    try:
        return etree.fromstring(_CONTROL.sub("", html), _PARSER)
    except ValueError:
        return None


def _text(el: etree._Element) -> str:
    """The text of `el` and its descendants, without its tail: what lxml.html's text_content()
    returns (the XPath string value), serialised in C."""
    if not len(el):  # no child node but text (most paragraphs): no need to serialise
        return el.text or ""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def _drop_tree(el: etree._Element) -> None:
    """Remove `el` and its subtree, keeping its tail text (lxml.html's drop_tree)."""
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


def _clean(text: str) -> str:
    # Most paragraphs are clean already, and for ASCII text (many words to split) checking that is
    # ~3x cheaper than the split; Chinese text has few spaces to split on.
    if text.isascii() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        for ch in _ASCII_SPACES:
            if ch in text:
                break
        else:
            return text
    return " ".join(text.split())


def _text_len(text: str) -> int:
    """Characters other than whitespace."""
    return len("".join(text.split()))


def _marker(el: etree._Element) -> str:
    return (el.get("class") or "") + " " + (el.get("id") or "")


def _marked(el: etree._Element) -> list[etree._Element]:
    """Every element of el's document with a class, id, role, hidden, aria-hidden or style
    attribute, in document order (as XPath //*[@class or ...] from el, which reads the whole
    document whatever el is; a loop over the attributes is ~3x cheaper than that XPath)."""
    root = el.getroottree().getroot()
    return [e for e in root.iter(etree.Element) if not _MARK_ATTRS.isdisjoint(e.keys())]


class _Texts:
    """Cleaned text and link text of elements, each read once per page: the body scoring, the
    sibling and first-paragraph tests and the block reader all read the same paragraphs, and the
    tree no longer changes once boilerplate is removed (the only time a _Texts is used)."""

    __slots__ = ("clean", "links")

    def __init__(self) -> None:
        self.clean: dict[etree._Element, str] = {}
        # Non-whitespace characters of the links inside each scored block, for the whole page
        # (see _scores); None until then, and links are read per element.
        self.links: dict[etree._Element, int] | None = None

    def of(self, el: etree._Element) -> str:
        text = self.clean.get(el)
        if text is None:
            text = self.clean[el] = _clean(_text(el))
        return text

    def link_len(self, el: etree._Element) -> int:
        if self.links is not None:
            return self.links.get(el, 0)
        return sum(_text_len(_text(a)) for a in el.iter("a"))


# ---- selectors ----------------------------------------------------------------------------------

@lru_cache(maxsize=256)
def _compiled(selector: str) -> etree.XPath:
    return etree.XPath(css_to_xpath(selector))


def _select(root: etree._Element, selector: str | None) -> etree._Element | None:
    if not selector:
        return None
    found = _compiled(selector)(root)
    return found[0] if found else None


def _selected_text(root: etree._Element, selector: str | None) -> str | None:
    el = _select(root, selector)
    if el is None:
        return None
    if el.tag == "meta":
        return _clean(el.get("content") or "") or None
    if el.tag == "time" and el.get("datetime"):
        return el.get("datetime")
    return _clean(_text(el)) or None


def _selected_date(root: etree._Element, selector: str | None,
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

class _Head:
    """The elements the page describes itself with, in document order, from one pass over the
    tree (one XPath search per kind cost ~4x more): <meta content> with its lower-cased key,
    <link href>, JSON-LD <script> and <time datetime>."""

    __slots__ = ("metas", "links", "ld", "times")

    def __init__(self, root: etree._Element) -> None:
        self.metas: list[tuple[str, etree._Element]] = []
        self.links: list[etree._Element] = []
        self.ld: list[etree._Element] = []
        self.times: list[etree._Element] = []
        for el in root.iter("meta", "link", "script", "time"):
            tag = el.tag
            if tag == "meta":
                if el.get("content") is not None:
                    key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
                    self.metas.append((key, el))
            elif tag == "link":
                if el.get("href") is not None:
                    self.links.append(el)
            elif tag == "script":
                if el.get("type") == "application/ld+json":
                    self.ld.append(el)
            elif el.get("datetime") is not None:
                self.times.append(el)


def _meta_content(head: _Head, *keys: str) -> str | None:
    wanted = set(keys)
    for key, meta in head.metas:
        if key in wanted and meta.get("content", "").strip():
            return meta.get("content")
    return None


def _title(root: etree._Element, head: _Head) -> str | None:
    og = _meta_content(head, "og:title")
    if og:
        return _clean(og)
    for h1 in root.iter("h1"):
        text = _clean(_text(h1))
        if text:
            return text
    for el in root.iter("title"):
        text = _clean(_text(el))
        if text:
            return text
    return None


def _canonical(head: _Head, url: str | None) -> str | None:
    href = None
    for link in head.links:
        if "canonical" in (link.get("rel") or "").lower().split():
            href = link.get("href").strip()
            break
    if not href:
        href = (_meta_content(head, "og:url") or "").strip() or None
    if href and url:
        href = urljoin(url, href)
    return href


def _metadata_date(head: _Head) -> datetime | None:
    for script in head.ld:
        found = _ld_date(script.text or "")
        if found:
            return found
    metas: dict[str, str] = {}
    for key, meta in head.metas:
        if key in _DATE_META and key not in metas:
            metas[key] = meta.get("content", "")
    for key in _DATE_META:
        if key in metas:
            found = parse_datetime(metas[key])
            if found:
                return found
    times = [t for t in head.times if not _foreign(t)]
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


def _foreign(el: etree._Element) -> bool:
    """Inside a comment thread, a related-links list, a sidebar, navigation or the footer."""
    for anc in el.iterancestors():
        if anc.tag in ("aside", "nav", "footer") or _FOREIGN.search(_marker(anc)):
            return True
    return False


def _dateish_element_date(root: etree._Element, fetched_at: datetime | None) -> datetime | None:
    """Date text in an element named for it (class/id date, time, byline, meta, info...)."""
    for el in _marked(root):
        if el.tag in _DROP_TAGS and el.tag != "header":
            continue
        marker = _marker(el)
        if not _DATEISH.search(marker) or _FOREIGN.search(marker):
            continue
        text = _clean(_text(el))
        if not text or len(text) > 200 or _foreign(el):
            continue
        found = find_date(text, fetched_at)
        if found:
            return found
    return None


def _pre_body_date(root: etree._Element, container: etree._Element, fetched_at: datetime | None,
                   texts: _Texts) -> datetime | None:
    """A date written between the top of the page and the first paragraph of the body (an
    unmarked byline or dateline); dates inside the article text are events, not the page's date."""
    first = next((b for b in container.iter(*_SCORED) if _prose(b, texts)), None)
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

def _drop_boilerplate(scope: etree._Element, keep_root: bool) -> None:
    for el in list(scope.iter(*_DROP_TAGS)):
        if el is not scope and el.getparent() is not None:
            _drop_tree(el)
    for el in _marked(scope):
        if el.tag in ("html", "body", "article", "main") or (keep_root and el is scope):
            continue
        if el.getparent() is None:
            continue
        if (el.get("hidden") is not None or el.get("aria-hidden") == "true"
                or (el.get("role") or "").lower() in _NOISE_ROLES
                or "display:none" in (el.get("style") or "").replace(" ", "").lower()
                or _NOISE.search(_marker(el))):
            _drop_tree(el)


def _body_parts(root: etree._Element, texts: _Texts) -> list[etree._Element]:
    """The body container, plus those of its siblings that read as article text too (a standfirst
    or a table beside the main text div), in document order."""
    scores = _scores(root, texts)
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
                scores.get(sib, 0.0) >= threshold or (sib.tag == "p" and _prose(sib, texts))):
            parts.append(sib)
    return parts


def _prose(p: etree._Element, texts: _Texts) -> bool:
    """A paragraph long enough (or sentence enough), and with few enough links, to be article text
    on its own."""
    text = texts.of(p)
    text_len = len(text) - text.count(" ")  # cleaned text: its only whitespace is single spaces
    if text_len < 12 or (text_len < 40 and not _SENTENCE_PUNCT.search(text)):
        return False
    return texts.link_len(p) <= 0.25 * text_len


def _scores(root: etree._Element, texts: _Texts) -> dict[etree._Element, float]:
    """Each scored block's non-link text, added to its nearest container and half of it to the
    next one up."""
    # Link text per block from one pass over the links (few) instead of a search of every block.
    links: dict[etree._Element, int] = {}
    for a in root.iter("a"):
        n = -1
        for block in a.iterancestors(*_SCORED):
            if n < 0:
                n = _text_len(_text(a))
            links[block] = links.get(block, 0) + n
    texts.links = links
    scores: dict[etree._Element, float] = {}
    chains: dict[etree._Element, list[tuple[etree._Element, float]]] = {}  # parent -> containers, shares
    clean = texts.clean
    for block in root.iter(*_SCORED):
        text = clean[block] = _clean(_text(block))  # read again by _walk and _prose
        score = len(text) - text.count(" ")  # cleaned: its only whitespace is single spaces
        if score < 2:
            continue
        score -= links.get(block, 0)
        if score <= 0:
            continue
        parent = block.getparent()
        chain = chains.get(parent)
        if chain is None:  # siblings share their ancestors: walk them once per parent
            chain = chains[parent] = []
            share = 1.0
            for anc in block.iterancestors(*_CONTAINERS):
                chain.append((anc, share))
                if share < 1.0:
                    break
                share = 0.5
        for anc, share in chain:
            scores[anc] = scores.get(anc, 0.0) + score * share
    return scores


def _body_container(root: etree._Element, scores: dict[etree._Element, float]) -> etree._Element:
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

def _blocks(parts: list[etree._Element], title: str | None, texts: _Texts) -> list[str]:
    raw: list[str] = []
    for part in parts:
        nesting = _holding_blocks(part)
        if part.tag in _LEAF_BLOCKS and part not in nesting:
            raw.append(texts.of(part))
        else:
            _walk(part, raw, nesting, texts, keep_short=part.tag in _LEAF_BLOCKS)
    blocks = []
    for text in raw:
        if text and text != title and not _is_boilerplate(text):
            blocks.append(text)
    return blocks


def _holding_blocks(scope: etree._Element) -> set[etree._Element]:
    """Elements under `scope` (and scope) that hold a block element or a <br>: one pass instead
    of a descendant search per element."""
    holding: set[etree._Element] = set()
    for block in scope.iterdescendants(*_NESTED_BLOCKS, "br"):
        anc = block.getparent()  # mostly already in: cheaper than an ancestor iterator
        while anc not in holding:
            holding.add(anc)
            if anc is scope:
                break
            anc = anc.getparent()
    return holding


def _walk(el: etree._Element, out: list[str], nesting: set[etree._Element], texts: _Texts, keep_short: bool,
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
        if tag in _LEAF_BLOCKS:  # the common case first (a comment's tag is a function: not in it)
            if run:
                _flush(run, out, keep_short)
            if child in nesting:
                _walk(child, out, nesting, texts, keep_short=True)
            else:
                text = texts.of(child)
                if text:
                    out.append(text)
        elif not isinstance(tag, str):  # comment or processing instruction: only its tail is text
            pass
        elif tag == "h1":
            _flush(run, out, keep_short)
        elif tag == "br":
            _flush(run, out, keep_short)
        elif tag == "tr":
            _flush(run, out, keep_short)
            if child in nesting:  # a table or <br>s inside a cell
                _walk(child, out, nesting, texts, keep_short=True)
            else:
                cells = [_clean(_text(c)) for c in child if c.tag in ("td", "th")]
                row = " ".join(c for c in cells if c)
                if row:
                    out.append(row)
        elif tag in _BLOCK_TAGS or tag in ("td", "th"):
            _flush(run, out, keep_short)
            _walk(child, out, nesting, texts, keep_short=False)
        elif child in nesting:  # an inline element holding <br>s or blocks: walk through it
            _walk(child, out, nesting, texts, keep_short, run)
        else:
            run.append(_text(child))
        if child.tail:
            run.append(child.tail)
    if own_run:
        _flush(run, out, keep_short)


def _flush(run: list[str], out: list[str], keep_short: bool) -> None:
    text = _clean("".join(run) if len(run) > 1 else run[0]) if run else ""
    run.clear()
    if text and (keep_short or len(text) >= _LOOSE_MIN or text[-1] in "。.!?！？\"”」"):
        out.append(text)


def _is_boilerplate(text: str) -> bool:
    if _LINE_START.match(text):
        return True
    if len(text) > _SHORT_LINE:
        return False
    lowered = text.lower()
    if _LINE_SHORT_START.match(lowered) or (_LINE_SHORT_HINT.search(lowered) and _LINE_SHORT.search(lowered)):
        return True
    if text.startswith(("By ", "by ")) and _BYLINE_EN.search(text):
        return True
    # "记者 陈思远 | 2026-03-20", "财讯速递 2026年3月19日 14:05": a short line naming a reporter or
    # stamping a date, with no sentence in it
    if len(text) > 60 or _SENTENCE_PUNCT.search(text):
        return False
    return bool(_BYLINE_ZH.search(text)) or find_date(text) is not None
