"""ingest.parse's cheaper stand-ins give what the lxml.html / XPath calls they replaced gave: the
text of an element, dropping a subtree, the marked elements, the page's meta / link / JSON-LD /
<time> elements, the whitespace clean-up and the boilerplate hint test."""

from __future__ import annotations

import glob
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from bench.corpus import make_article
from ingest import parse

REPO = Path(__file__).resolve().parents[2]

ODD = """<html><head><title> T  &amp; co </title><meta name="x" content=""><meta property="OG:Title" content="A">
<link rel="canonical" href=" /c "><link rel="stylesheet"><script type="application/ld+json">{"a": 1}</script>
<script>if (a < b) { x = "<p>"; }</script><style>p { color: red }</style></head>
<body class="b"><!-- lead --><div id="x">one<!-- c -->two<?pi data?>three<br>four<b>five</b> six</div>
<p hidden>h</p><p aria-hidden="true">a</p><p role="Navigation">r</p><p style="display: none">s</p>
<p>\u00a0nbsp\u3000ideographic\u2028line</p><p></p><p> <span> </span> </p>
<time datetime="2026-01-02">x</time><time>no stamp</time><div class="share"><p>tail</p>after</div>keep
<table><tr><td>c1</td><td>c2<br>c3</td></tr></table><ul><li>i1<li>i2</ul></body></html>"""


def _pages() -> list[str]:
    pages = [ODD, "<p>x</p>", "<html><body>loose text only</body></html>"]
    pages += [make_article(7, i).html for i in range(6)]
    for path in sorted(glob.glob(str(REPO / "ingest/sample_corpus/*.html")))[:8]:
        pages.append(Path(path).read_text(encoding="utf-8"))
    return pages


PAGES = _pages()


@pytest.mark.parametrize("html", PAGES)
def test_text_is_lxml_html_text_content(html):
    old, new = lxml.html.document_fromstring(html), parse._document(html)
    pairs = list(zip(old.iter(), new.iter(), strict=True))
    assert all(a.tag == b.tag for a, b in pairs)
    for a, b in pairs:
        if isinstance(a.tag, str):
            assert parse._text(b) == a.text_content()


@pytest.mark.parametrize("html", PAGES[:5])
def test_drop_tree_is_lxml_html_drop_tree(html):
    n = sum(1 for _ in parse._document(html).iter())
    for i in range(1, n):  # drop the i-th node (comments too) from a fresh tree each time
        old, new = lxml.html.document_fromstring(html), parse._document(html)
        a, b = list(old.iter())[i], list(new.iter())[i]
        a.drop_tree()
        parse._drop_tree(b)
        assert etree.tostring(new, encoding="unicode") == etree.tostring(old, encoding="unicode")


_X_MARKED = etree.XPath("//*[@class or @id or @role or @hidden or @aria-hidden or @style]")


@pytest.mark.parametrize("html", PAGES)
def test_marked_is_the_xpath_from_any_element(html):
    root = parse._document(html)
    for el in [root, *root.iter("body", "div", "p")][:20]:
        assert parse._marked(el) == _X_MARKED(el)  # the XPath reads the whole document from any element


@pytest.mark.parametrize("html", PAGES)
def test_head_is_the_xpath_searches(html):
    root = parse._document(html)
    head = parse._Head(root)
    assert [m for _, m in head.metas] == root.xpath("//meta[@content]")
    assert [k for k, _ in head.metas] == [(m.get("property") or m.get("name") or m.get("itemprop") or "").lower()
                                          for m in root.xpath("//meta[@content]")]
    assert head.links == root.xpath("//link[@href]")
    assert head.ld == root.xpath('//script[@type="application/ld+json"]')
    assert head.times == root.xpath("//time[@datetime]")


_SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(_SPACES) + list("ab.é中")), max_size=12))
def test_clean_is_split_join(text):
    assert parse._clean(text) == " ".join(text.split())


def test_clean_fast_path_returns_clean_ascii_as_is():
    assert parse._clean("Amazon plans $200 billion.") == "Amazon plans $200 billion."
    assert parse._clean("a\tb") == "a b" and parse._clean("a\x1fb") == "a b" and parse._clean(" a") == "a"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(parse._LINE_SHORT_HINTS + ("x", " ", "版", "ap", "commen")), max_size=6))
def test_hint_regex_is_the_substring_test(pieces):
    text = "".join(pieces)
    assert (parse._LINE_SHORT_HINT.search(text) is not None) == any(h in text for h in parse._LINE_SHORT_HINTS)
