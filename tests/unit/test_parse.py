"""HTML -> title, date, language, body: table-driven, no network, no Dagster."""

from datetime import datetime

import pytest

from ingest.fetch import decode_html
from ingest.extract import detect_lang
from ingest.parse import parse_datetime, parse_html

TEMPLATE = """<html><head><meta charset="utf-8"><title>Site | {title}</title>{head}</head><body>
<nav><ul><li><a href="/">首页</a></li><li><a href="/t">科技</a></li></ul></nav>
<div class="share">分享到微信 Share on X</div>
<div class="app-download">扫码下载APP</div>
<{container} class="{klass}"><h1>{title}</h1>{body}</{container}>
<aside class="related"><ul><li><a href="/r1">Related: OpenAI raises $40bn</a></li></ul></aside>
<section id="comments"><p>评论(0) 登录后发表评论</p></section>
<footer><p>版权所有 © 2026 免责声明:不构成投资建议</p></footer>
<script>var x = "$99 billion";</script></body></html>"""


def make_page(title="T", head="", body="<p>Para one.</p><p>Para two.</p>", container="article", klass="story"):
    return TEMPLATE.format(title=title, head=head, body=body, container=container, klass=klass)


@pytest.mark.parametrize("head, expected", [
    ('<meta property="article:published_time" content="2026-02-06T11:45:00Z">', datetime(2026, 2, 6, 11, 45)),
    ('<meta property="article:published_time" content="2025-12-17T20:30:00+08:00">', datetime(2025, 12, 17, 12, 30)),
    ('<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2026-01-07T13:20:00Z"}</script>',
     datetime(2026, 1, 7, 13, 20)),
    ('<script type="application/ld+json">[{"@graph":[{"datePublished":"2026-03-01"}]}]</script>', datetime(2026, 3, 1)),
    ("", None),
])
def test_publication_date_from_metadata(head, expected):
    assert parse_html(make_page(head=head)).published_at == expected


@pytest.mark.parametrize("text, expected", [
    ("2026-02-05T09:00:00+08:00", datetime(2026, 2, 5, 1, 0)),
    ("2026年3月19日 14:05", datetime(2026, 3, 19, 14, 5)),
    ("2025/12/18", datetime(2025, 12, 18)),
    ("not a date", None),
])
def test_parse_datetime(text, expected):
    assert parse_datetime(text) == expected


def test_time_tag_date_and_body_without_article_element():
    page = make_page(head="", container="div", klass="post-content",
                     body='<time datetime="2026-04-24T08:00:00Z">4月24日</time>'
                          "<p>台積電維持今年資本支出 520 億至 560 億美元的預估。</p><p>第二段。</p>")
    parsed = parse_html(page)
    assert parsed.published_at == datetime(2026, 4, 24, 8, 0)
    assert parsed.body_text == "台積電維持今年資本支出 520 億至 560 億美元的預估。\n\n第二段。"


@pytest.mark.parametrize("noise", ["分享到微信", "扫码下载APP", "Related: OpenAI", "评论(0)", "版权所有", "$99 billion", "首页"])
def test_boilerplate_is_dropped(noise):
    assert noise not in parse_html(make_page()).body_text


def test_tables_and_lists_are_kept_as_blocks():
    body = ("<p>Guidance by company:</p><table><tr><th>Company</th><th>2026</th></tr>"
            "<tr><td>Amazon</td><td>$200bn</td></tr></table><ul><li>Meta: $115bn-$135bn</li></ul>")
    text = parse_html(make_page(body=body)).body_text
    assert text.split("\n\n") == ["Guidance by company:", "Company 2026", "Amazon $200bn", "Meta: $115bn-$135bn"]


def test_title_prefers_og_title_and_heading_is_not_repeated_in_body():
    parsed = parse_html(make_page(title="Amazon closes deal", head='<meta property="og:title" content="Amazon closes deal">'))
    assert parsed.title == "Amazon closes deal"
    assert not parsed.body_text.startswith("Amazon closes deal")


def test_canonical_url():
    parsed = parse_html(make_page(head='<link rel="canonical" href="https://news.example/a/1">'))
    assert parsed.canonical_url == "https://news.example/a/1"


@pytest.mark.parametrize("text, lang", [
    ("Amazon plans $200 billion of capex in 2026, the company said on Thursday.", "en"),
    ("英伟达拟出资最高约300亿美元,这笔投资将在未来几年分期完成。", "zh-Hans"),
    ("三星 2026 年将投入超过 110 万亿韩元用于芯片产能扩张", "zh-Hans"),
    ("Alphabet 預測 1750 億美元至 1850 億美元,較去年大幅增加。", "zh-Hant"),
    ("輝達將對 OpenAI 投資最高 1000 億美元,這項協議分階段進行。", "zh-Hant"),
])
def test_detect_lang(text, lang):
    assert detect_lang(text) == lang


@pytest.mark.parametrize("text, codec, header", [
    ("三星将投入超过110万亿韩元", "gbk", None),
    ("台積電資本支出預估", "big5", None),
    ("Amazon – “quoted”", "utf-8", None),
    ("亚马逊洽谈投资", "gb18030", "gb2312"),
])
def test_decode_html_without_or_with_charset(text, codec, header):
    html = f"<html><body><p>{text}</p></body></html>".encode(codec)
    assert text in decode_html(html, header)


def test_decode_html_uses_meta_charset():
    html = '<html><head><meta charset="gbk"></head><body>三星电子</body></html>'.encode("gbk")
    assert "三星电子" in decode_html(html)
