"""HTML -> title, date, language, body: table-driven, no network, no Dagster."""

from datetime import datetime

import pytest

from ingest.fetch import decode_html
from ingest.extract import detect_lang
from ingest.parse import css_to_xpath, parse_datetime, parse_html

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


# ---- publication dates beyond metadata ------------------------------------------------------------

FETCHED = datetime(2026, 11, 23, 12, 0)


@pytest.mark.parametrize("byline, fetched_at, expected", [
    ('<p class="byline">科创日报记者 刘洋 | <span class="date">2026-03-20 10:15</span></p>', None,
     datetime(2026, 3, 20, 10, 15)),
    ('<div class="post-meta">By Rachel Moss | Nov 3, 2026 10:30 AM</div>', None, datetime(2026, 11, 3, 10, 30)),
    ('<div class="info">3 November 2026</div>', None, datetime(2026, 11, 3)),
    ('<span class="time">6小时前</span>', FETCHED, datetime(2026, 11, 23, 6, 0)),
    ('<span class="time">6小时前</span>', None, None),
    ('<span class="pubtime">昨天 10:30</span>', FETCHED, datetime(2026, 11, 22, 10, 30)),
    ('<span class="date">3 hours ago</span>', FETCHED, datetime(2026, 11, 23, 9, 0)),
    ('<span class="date">yesterday</span>', FETCHED, datetime(2026, 11, 22)),
    ('<p>财讯速递 2026年3月19日 14:05</p>', None, datetime(2026, 3, 19, 14, 5)),  # unmarked byline
])
def test_publication_date_from_byline_text(byline, fetched_at, expected):
    page = make_page(body=byline + "<p>台積電維持今年資本支出 520 億至 560 億美元的預估,並表示實際金額將偏向區間高端。</p>")
    assert parse_html(page, fetched_at=fetched_at).published_at == expected


@pytest.mark.parametrize("body", [
    # a date inside the article text is an event, not the page's date: never guess
    "<p>阿里巴巴公布截至2025年9月30日的季度业绩,资本开支为315亿元人民币,同比增长约80%。</p>",
    "<p>Amazon said on Nov 3, 2026 that it would spend about $200 billion this year on data centres.</p>",
    "<p>这笔投资3小时前才敲定,双方仍需完成监管审批。</p>",
])
def test_dates_in_article_text_are_not_publication_dates(body):
    assert parse_html(make_page(body=body), fetched_at=FETCHED).published_at is None


def test_dates_of_comments_and_related_links_are_ignored():
    page = make_page(body="<p>Body text that is long enough to be the article body of this page.</p>").replace(
        '<section id="comments">', '<section id="comments"><span class="time">2 hours ago</span>').replace(
        '<aside class="related">', '<aside class="related"><time datetime="2024-01-01T00:00:00Z">old</time>')
    assert parse_html(page, fetched_at=FETCHED).published_at is None


def test_metadata_date_wins_over_byline_text():
    page = make_page(head='<meta property="article:published_time" content="2026-02-06T11:45:00Z">',
                     body='<span class="date">2 hours ago</span><p>Para one.</p>')
    assert parse_html(page, fetched_at=FETCHED).published_at == datetime(2026, 2, 6, 11, 45)


# ---- per-source selectors -------------------------------------------------------------------------

SELECTOR_PAGE = """<html><head><title>Site</title><meta property="og:title" content="OG title"></head><body>
<div class="hdr"><h2 class="headline">Selected headline</h2><em class="stamp">2026年3月19日 14:05</em></div>
<div id="main-text"><p>Short one.</p><p>Short two.</p><div class="share">分享到微信</div></div>
<article><p>A much longer teaser paragraph that the heuristics would pick as the article body here.</p>
<p>And another long paragraph of teaser text to make the article element win on length alone.</p></article>
</body></html>"""


def test_selectors_win_over_heuristics():
    parsed = parse_html(SELECTOR_PAGE, selectors={"title": "h2.headline", "body": "#main-text", "date": ".hdr em"})
    assert parsed.title == "Selected headline"
    assert parsed.body_text == "Short one.\n\nShort two."  # boilerplate inside the selected body still goes
    assert parsed.published_at == datetime(2026, 3, 19, 14, 5)


def test_selectors_that_do_not_match_fall_back_to_heuristics():
    parsed = parse_html(SELECTOR_PAGE, selectors={"title": ".nope", "body": "div.missing", "date": "#none"})
    assert parsed.title == "OG title"
    assert parsed.body_text.startswith("A much longer teaser paragraph")


def test_date_selector_reads_time_datetime_and_relative_text():
    page = SELECTOR_PAGE.replace('<em class="stamp">2026年3月19日 14:05</em>',
                                 '<time datetime="2026-03-19T06:05:00Z">3月19日</time><b>30分钟前</b>')
    assert parse_html(page, selectors={"date": ".hdr time"}).published_at == datetime(2026, 3, 19, 6, 5)
    assert parse_html(page, selectors={"date": ".hdr > b"}, fetched_at=FETCHED).published_at == datetime(
        2026, 11, 23, 11, 30)


@pytest.mark.parametrize("css, xpath", [
    ("div.article-content", "//div[contains(concat(' ', normalize-space(@class), ' '), ' article-content ')]"),
    ("#artibody", "//*[@id='artibody']"),
    ("div#main > p", "//div[@id='main']/p"),
    ("meta[property='article:published_time']", "//meta[@property='article:published_time']"),
    ("h1.title, h1", "//h1[contains(concat(' ', normalize-space(@class), ' '), ' title ')] | //h1"),
    ("div:not(.ad)", "//div[not(contains(concat(' ', normalize-space(@class), ' '), ' ad '))]"),
])
def test_css_to_xpath(css, xpath):
    assert css_to_xpath(css) == xpath


NTH_PAGE = """<html><body><div id="a"><span>s0</span><p class="x">p1</p><p>p2</p><p class="y">p3</p></div>
<ul><li>one</li><li class="hot">two</li></ul><h2>h</h2><em>e1</em><em>e2</em></body></html>"""


@pytest.mark.parametrize("css, texts", [
    ("#a p", ["p1", "p2", "p3"]),
    ("#a > p:first-of-type", ["p1"]),
    ("#a > p:last-of-type", ["p3"]),
    ("#a p:nth-of-type(2)", ["p2"]),
    ("#a > :nth-child(2)", ["p1"]),
    ("#a > :first-child", ["s0"]),
    ("#a > :last-child", ["p3"]),
    ("#a p:not(.x):not(.y)", ["p2"]),
    ("li:not([class])", ["one"]),
    ("ul + h2", ["h"]),
    ("h2 ~ em", ["e1", "e2"]),
    ("[class^=ho]", ["two"]),
    ("p[class$='y'], li.hot", ["p3", "two"]),
])
def test_css_to_xpath_selects_like_css(css, texts):
    import lxml.html

    root = lxml.html.document_fromstring(NTH_PAGE)
    assert [el.text_content() for el in root.xpath(css_to_xpath(css))] == texts


@pytest.mark.parametrize("css", ["div:has(p)", "a::before", "", "div,", "div >", ":nth-of-type(2)",
                                 "p:not(div p)", "li:nth-child(2n+1)"])
def test_css_to_xpath_refuses_what_it_cannot_translate(css):
    with pytest.raises(ValueError):
        css_to_xpath(css)


# ---- boilerplate inside the article --------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Copyright © 2026 Example Media Ltd. All rights reserved.",
    "© 2026 Example Media. Reproduction without permission is prohibited.",
    "版权所有 © 2026 某某财经 未经授权禁止转载",
    "本文版权归某某网所有,未经许可不得转载。",
    "免责声明:本文仅代表作者观点,不构成投资建议。",
    "免責聲明:本文內容僅供參考,不構成任何投資建議。",
    "扫码下载APP,随时获取一手资讯",
    "下載某某新聞 App,掌握第一手新聞",
    "Get the Example News app: scan the QR code to download",
    "Read faster in the Example app — download on iOS and Android",
    "责任编辑:李娜",
    "責任編輯:王小明",
    "(文章来源:某某证券报)",
    "(Reporting by Jane Doe; Editing by John Roe)",
    "You have 2 free articles left this month.",
    "分享到:微信 微博 复制链接",
    "相关阅读:三星扩产计划",
    "By Rachel Moss, Seattle | 2026-02-06 06:45",
    "科创日报记者 刘洋 | 2026-03-20",
])
def test_boilerplate_lines_inside_the_article_are_dropped(line):
    keep = "<p>三星电子周四表示,2026年将在半导体业务上投入超过110万亿韩元,用于扩充产能和研发。</p>"
    text = parse_html(make_page(body=keep + f"<p>{line}</p>")).body_text
    assert text == "三星电子周四表示,2026年将在半导体业务上投入超过110万亿韩元,用于扩充产能和研发。"


@pytest.mark.parametrize("line", [
    "Meta's app downloads rose 20% in the quarter.",
    "Reporting by the Financial Times showed the talks had stalled.",
    "By March, Amazon had spent $40 billion.",
    "相关公司股价周四上涨。",
    "The court ruled that the copyright claims against the AI developer could go ahead, a setback for the company, "
    "which had argued that training on published books was fair use.",
    "该公司表示,其App下载量在第三季度突破1亿次。",
])
def test_article_sentences_that_look_like_boilerplate_are_kept(line):
    assert parse_html(make_page(body=f"<p>{line}</p>")).body_text == line


# ---- body structure ---------------------------------------------------------------------------------

def test_table_caption_and_header_rows_are_blocks():
    body = ("<p>Guidance:</p><table><caption>Capex (US$bn)</caption><thead><tr><th>Company</th><th>2026</th></tr>"
            "</thead><tbody><tr><td>Meta</td><td>115-135</td></tr></tbody></table>")
    assert parse_html(make_page(body=body)).body_text.split("\n\n") == [
        "Guidance:", "Capex (US$bn)", "Company 2026", "Meta 115-135"]


def test_text_between_br_without_paragraph_tags():
    body = ("软银集团周三表示,已完成对OpenAI的225亿美元追加投资,承诺的投资已全部到位。<br><br>"
            "软银还宣布已同意以约40亿美元收购数据中心投资公司DigitalBridge。<br>"
            "<span>3月19日</span>")
    assert parse_html(make_page(body=body, container="div", klass="detail-text")).body_text.split("\n\n") == [
        "软银集团周三表示,已完成对OpenAI的225亿美元追加投资,承诺的投资已全部到位。",
        "软银还宣布已同意以约40亿美元收购数据中心投资公司DigitalBridge。"]


def test_standfirst_beside_the_body_div_is_kept():
    page = """<html><body><div class="post"><h1>Headline</h1>
<p class="lede-note">The deal turns one of cloud computing's fiercest rivalries into a partnership.</p>
<div class="post-content"><p>Amazon has completed a US$10bn investment in OpenAI, the companies confirmed.</p>
<p>The deal values OpenAI at US$730bn, according to a person familiar with the terms.</p></div>
<div class="newsletter">Get the morning briefing in your inbox</div></div>
<aside class="related"><ul><li><a href="/x">Other story with a fairly long link text here</a></li></ul></aside>
</body></html>"""
    assert parse_html(page).body_text.split("\n\n") == [
        "The deal turns one of cloud computing's fiercest rivalries into a partnership.",
        "Amazon has completed a US$10bn investment in OpenAI, the companies confirmed.",
        "The deal values OpenAI at US$730bn, according to a person familiar with the terms."]


def test_inline_markup_does_not_split_words():
    assert parse_html(make_page(body="<p>Nvi<b>dia</b> and <a href='/x'>Open</a>AI.</p>")).body_text == "Nvidia and OpenAI."


@pytest.mark.parametrize("html", [
    b"", "", "   ", "<html></html>", "not html at all",
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>Hello.</p></body></html>',
    "<html><body><p>NUL\x00 inside.</p></body></html>",
])
def test_odd_input_does_not_raise(html):
    parsed = parse_html(html)
    assert isinstance(parsed.body_text, str)


def test_bytes_are_decoded_as_before():
    page = make_page(body="<p>三星电子周四表示,将投入超过110万亿韩元。</p>").replace("utf-8", "gb18030").encode("gb18030")
    assert parse_html(page).body_text == "三星电子周四表示,将投入超过110万亿韩元。"


def test_canonical_url_is_resolved_against_the_page_url():
    page = make_page(head='<link rel="canonical" href="/a/1">')
    assert parse_html(page, url="https://news.example/x?y=1").canonical_url == "https://news.example/a/1"


@pytest.mark.parametrize("body, blocks", [
    # old-style pages: the text sits in <font> inside a table cell, paragraphs split by <br>s
    ("<table><tr><td><font size=3>Amazon expects to spend about $200 billion on capital projects in 2026.<br><br>"
     "That would be a sharp step up from 2025.<br><br>Copyright 2026 Example Corp. All rights reserved.</font>"
     "</td></tr></table>",
     ["Amazon expects to spend about $200 billion on capital projects in 2026.",
      "That would be a sharp step up from 2025."]),
    # a whole article in one <p>, lines split by <br>: short lines inside a paragraph are kept
    ("<p>英伟达第三财季营收为570亿美元。<br>数据中心<br>512亿美元<br>责任编辑:张三</p>",
     ["英伟达第三财季营收为570亿美元。", "数据中心", "512亿美元"]),
    # one <div> per paragraph
    ("<div>英伟达周三公布,截至10月26日的第三财季营收为570亿美元,同比增长62%,高于市场预期。</div>"
     "<div>其中数据中心业务收入为512亿美元,环比增长25%,占总营收的九成。</div><div>责任编辑:张三</div>",
     ["英伟达周三公布,截至10月26日的第三财季营收为570亿美元,同比增长62%,高于市场预期。",
      "其中数据中心业务收入为512亿美元,环比增长25%,占总营收的九成。"]),
])
def test_paragraphs_without_p_tags(body, blocks):
    assert parse_html(make_page(body=body, container="div", klass="content")).body_text.split("\n\n") == blocks
