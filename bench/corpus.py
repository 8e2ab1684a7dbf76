"""A synthetic news corpus for the benchmarks: N HTML pages in en / zh-Hans / zh-Hant.

Each page is shaped like the pages the parser reads (see ingest/sample_corpus): a site header
and navigation, an inline analytics script, a share bar, the article, tags, related links,
comments and a footer, about 40 KB in all. About two in five articles carry one to three money
facts (deals and capex, with varied companies, currencies and amounts); the rest is filler prose
with no amounts in it. Every page is a pure function of (seed, index): the same seed gives the
same bytes, and the facts each page was written to contain come with it (`SyntheticArticle.facts`),
so a test can check that the extractor finds exactly those.

The sentence templates are written for this generator; none is taken from a real article.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
from dataclasses import dataclass
from pathlib import Path

LANGS = ("en", "zh-Hans", "zh-Hant")
LANG_WEIGHTS = (0.5, 0.3, 0.2)
FACT_SHARE = 0.4           # share of articles with at least one money fact
TARGET_BYTES = 40_000      # typical page size; each page varies by +-15 %
SHARD = 1000               # files per sub-folder, so 100k pages do not sit in one directory


@dataclass(frozen=True)
class ExpectedFact:
    """A fact a page was written to contain, in the extractor's terms."""

    kind: str                 # deal | capex
    amount: float             # in full units of `currency`
    currency: str             # ISO 4217
    company: str | None = None   # capex: canonical company
    period: str | None = None    # capex: "2026"
    investor: str | None = None  # deal: canonical investor
    target: str | None = None    # deal: canonical target


@dataclass(frozen=True)
class SyntheticArticle:
    index: int
    lang: str
    published: dt.datetime
    url: str
    html: str
    facts: tuple[ExpectedFact, ...]

    @property
    def filename(self) -> str:
        return f"{self.index // SHARD:03d}/{self.index:06d}-{self.lang}.html"


# ---- companies: (canonical name, en spelling, zh-Hans spelling, zh-Hant spelling) --------------
# All are in dbt_project/seeds/company_aliases.csv, so the extractor knows them in every script.
_INVESTORS = [
    ("Amazon", "Amazon", "亚马逊", "亞馬遜"),
    ("Microsoft", "Microsoft", "微软", "微軟"),
    ("NVIDIA", "Nvidia", "英伟达", "輝達"),
    ("SoftBank", "SoftBank", "软银", "軟銀"),
    ("Alibaba", "Alibaba", "阿里巴巴", "阿里巴巴"),
    ("Tencent", "Tencent", "腾讯", "騰訊"),
    ("Intel", "Intel", "英特尔", "英特爾"),
    ("Samsung Electronics", "Samsung Electronics", "三星电子", "三星電子"),
]
_TARGETS = [
    ("OpenAI", "OpenAI", "OpenAI", "OpenAI"),
    ("Anthropic", "Anthropic", "Anthropic", "Anthropic"),
    ("xAI", "xAI", "xAI", "xAI"),
    ("Mistral AI", "Mistral AI", "Mistral AI", "Mistral AI"),
    ("Moonshot AI", "Moonshot AI", "月之暗面", "月之暗面"),
    ("Zhipu AI", "Zhipu AI", "智谱", "智譜"),
    ("CoreWeave", "CoreWeave", "CoreWeave", "CoreWeave"),
    ("Cohere", "Cohere", "Cohere", "Cohere"),
]
_SPENDERS = [
    ("Amazon", "Amazon", "亚马逊", "亞馬遜"),
    ("Microsoft", "Microsoft", "微软", "微軟"),
    ("Alphabet", "Alphabet", "谷歌", "Alphabet"),
    ("Meta", "Meta", "Meta", "Meta"),
    ("Oracle", "Oracle", "甲骨文", "Oracle"),
    ("TSMC", "TSMC", "台积电", "台積電"),
    ("Tencent", "Tencent", "腾讯", "騰訊"),
    ("Baidu", "Baidu", "百度", "百度"),
    ("SK Hynix", "SK Hynix", "SK海力士", "SK海力士"),
    ("Intel", "Intel", "英特尔", "英特爾"),
]
_NAME_COLUMN = {"en": 1, "zh-Hans": 2, "zh-Hant": 3}

# ---- fact sentences ----------------------------------------------------------------------------
_EN_CAPEX = [
    "{co} expects capital expenditures of {amt} in {year}, according to its latest outlook.",
    "{co} said its capital spending for {year} would come to {amt}.",
    "For {year}, {co} guided to capital expenditures of {amt}.",
]
_EN_DEAL = [
    "{inv} has agreed to invest {amt} in {tgt}, the companies said.",
    "{inv} will invest {amt} in {tgt} as part of a wider partnership.",
    "{tgt} raised {amt} in a funding round led by {inv}.",
]
_HANS_CAPEX = [
    "{co}预计{year}年资本开支为{amt}。",
    "{co}表示,{year}年资本支出将达到{amt}。",
]
_HANS_DEAL = [
    "{inv}宣布向{tgt}投资{amt}。",
    "{inv}同意向{tgt}注资{amt}。",
]
_HANT_CAPEX = [
    "{co}預計{year}年資本開支為{amt}。",
    "{co}表示,{year}年資本支出將達到{amt}。",
]
_HANT_DEAL = [
    "{inv}宣布向{tgt}投資{amt}。",
    "{inv}同意向{tgt}注資{amt}。",
]
_FACT_TEMPLATES = {"en": (_EN_CAPEX, _EN_DEAL), "zh-Hans": (_HANS_CAPEX, _HANS_DEAL),
                   "zh-Hant": (_HANT_CAPEX, _HANT_DEAL)}


def _en_amount(rng: random.Random) -> tuple[str, float, str]:
    """A written English amount, its value and currency."""
    kind = rng.random()
    if kind < 0.6:
        billions = rng.choice([rng.randint(1, 400), round(rng.uniform(1, 99), 1)])
        style = rng.choice(["${n} billion", "${n}bn", "US${n} billion"])
        return style.format(n=_num(billions)), float(round(billions * 1e9)), "USD"
    if kind < 0.75:
        millions = rng.choice([150, 250, 400, 600, 750, 900])
        return f"${millions} million", millions * 1e6, "USD"
    if kind < 0.87:
        billions = round(rng.uniform(1, 30), 1)
        return f"€{_num(billions)} billion", float(round(billions * 1e9)), "EUR"
    if kind < 0.95:
        billions = rng.randint(1, 20)
        return f"£{billions} billion", billions * 1e9, "GBP"
    trillions = round(rng.uniform(1, 60), 1)
    return f"{_num(trillions)} trillion won", float(round(trillions * 1e12)), "KRW"


def _zh_amount(rng: random.Random, lang: str) -> tuple[str, float, str]:
    """A written Chinese amount (亿 / 万亿 scales), its value and currency."""
    yi, wan_yi, usd, cny, krw = ("亿", "万亿", "美元", "元人民币", "韩元") if lang == "zh-Hans" else (
        "億", "萬億", "美元", "元人民幣", "韓元")
    kind = rng.random()
    if kind < 0.55:
        n = rng.choice([rng.randint(5, 3000), round(rng.uniform(1, 99), 1)])
        return f"{_num(n)}{yi}{usd}", float(round(n * 1e8)), "USD"
    if kind < 0.85:
        n = rng.randint(10, 4000)
        return f"{_num(n)}{yi}{cny}", n * 1e8, "CNY"
    n = round(rng.uniform(1, 60), 1)
    return f"{_num(n)}{wan_yi}{krw}", float(round(n * 1e12)), "KRW"


def _num(x: float) -> str:
    if isinstance(x, float) and not x.is_integer():
        return f"{x:g}"
    n = int(x)
    return f"{n:,}" if n >= 10000 else str(n)


def _fact_sentence(rng: random.Random, lang: str, year: int) -> tuple[str, ExpectedFact]:
    capex_templates, deal_templates = _FACT_TEMPLATES[lang]
    col = _NAME_COLUMN[lang]
    text, value, currency = _en_amount(rng) if lang == "en" else _zh_amount(rng, lang)
    if rng.random() < 0.5:
        company = rng.choice(_SPENDERS)
        period = str(rng.choice([year, year + 1]))
        sentence = rng.choice(capex_templates).format(co=company[col], amt=text, year=period)
        return sentence, ExpectedFact("capex", value, currency, company=company[0], period=period)
    investor, target = rng.choice(_INVESTORS), rng.choice(_TARGETS)
    sentence = rng.choice(deal_templates).format(inv=investor[col], tgt=target[col], amt=text)
    return sentence, ExpectedFact("deal", value, currency, investor=investor[0], target=target[0])


# ---- filler prose (no amounts) ----------------------------------------------------------------
_EN_SUBJECTS = ["Engineers at the lab", "Several cloud customers", "The chip designer", "Industry analysts",
                "Procurement teams", "Regional utilities", "A group of researchers", "Start-up founders",
                "Network operators", "Data centre builders", "Portfolio managers", "Policy makers in the region"]
_EN_VERBS = ["reported steady demand for", "kept a close eye on", "raised fresh questions about",
             "spent the quarter testing", "warned of delays in", "pointed to growing interest in",
             "signalled caution about", "published new benchmarks for", "expanded their work on",
             "described a shortage of"]
_EN_OBJECTS = ["liquid-cooled server racks", "inference workloads", "high-bandwidth memory",
               "grid connections for new campuses", "open-weight language models", "optical interconnects",
               "custom accelerators", "long-term power purchase agreements", "edge deployments",
               "training clusters", "model evaluation suites", "software tooling for agents"]
_EN_TAILS = ["over the past few months", "according to people familiar with the matter",
             "ahead of the next product cycle", "in several markets at once", "despite supply constraints",
             "as competition intensified", "while regulators watched closely", "for the third time this year",
             "with mixed results so far", "in line with earlier plans"]

_ZH_SUBJECTS = ["业内人士", "多家云服务商", "这家芯片设计公司", "分析师", "采购团队", "地方电网企业", "研究团队",
                "创业公司创始人", "运营商", "数据中心建设方", "基金经理", "监管部门"]
_ZH_VERBS = ["持续关注", "重新评估", "加快测试", "提醒市场留意", "看好", "谨慎看待", "发布了新的测评,涉及",
             "扩大了对", "指出需求集中在", "讨论了"]
_ZH_OBJECTS = ["液冷服务器机柜", "推理负载", "高带宽内存", "新园区的电网接入", "开源大模型", "光互连技术",
               "定制加速芯片", "长期购电协议", "边缘部署", "训练集群", "模型评测体系", "智能体开发工具"]
_ZH_TAILS = ["过去几个月以来情况如此", "据知情人士透露", "下一代产品周期临近", "多个市场同时出现这一趋势",
             "尽管供应依然紧张", "行业竞争明显加剧", "监管机构保持关注", "今年以来已是第三次",
             "目前成效不一", "与此前规划一致"]
_HANT_FILLER_MAP = str.maketrans({"业": "業", "内": "內", "务": "務", "设": "設", "计": "計", "创": "創", "团": "團",
                                  "队": "隊", "网": "網", "据": "據", "经": "經", "监": "監", "门": "門", "续": "續",
                                  "关": "關", "评": "評", "试": "試", "场": "場", "发": "發", "测": "測", "对": "對",
                                  "讨": "討", "论": "論", "云": "雲", "商": "商", "这": "這", "师": "師", "购": "購",
                                  "电": "電", "园": "園", "区": "區", "开": "開", "源": "源", "模": "模", "型": "型",
                                  "术": "術", "长": "長", "协": "協", "议": "議", "练": "練", "体": "體", "系": "系",
                                  "过": "過", "个": "個", "况": "況", "产": "產", "临": "臨", "势": "勢", "尽": "儘",
                                  "紧": "緊", "争": "爭", "显": "顯", "剧": "劇", "构": "構", "来": "來", "第": "第",
                                  "与": "與", "规": "規", "划": "劃", "致": "致", "应": "應", "机": "機", "柜": "櫃",
                                  "载": "載", "带": "帶", "宽": "寬", "存": "存", "层": "層", "边": "邊", "缘": "緣",
                                  "部": "部", "署": "署", "训": "訓", "集": "集", "群": "群", "智": "智", "能": "能",
                                  "问": "問", "题": "題", "谨": "謹", "慎": "慎", "扩": "擴", "大": "大", "指": "指",
                                  "需": "需", "求": "求", "户": "戶", "运": "運", "营": "營", "决": "決", "虑": "慮",
                                  "实": "實", "际": "際", "时": "時", "间": "間"})


def _filler_sentence(rng: random.Random, lang: str) -> str:
    if lang == "en":
        return (f"{rng.choice(_EN_SUBJECTS)} {rng.choice(_EN_VERBS)} {rng.choice(_EN_OBJECTS)} "
                f"{rng.choice(_EN_TAILS)}.")
    text = f"{rng.choice(_ZH_SUBJECTS)}{rng.choice(_ZH_VERBS)}{rng.choice(_ZH_OBJECTS)},{rng.choice(_ZH_TAILS)}。"
    return text.translate(_HANT_FILLER_MAP) if lang == "zh-Hant" else text


def _filler_paragraph(rng: random.Random, lang: str) -> str:
    joiner = " " if lang == "en" else ""
    return joiner.join(_filler_sentence(rng, lang) for _ in range(rng.randint(3, 6)))


# ---- page chrome -------------------------------------------------------------------------------
_SITES = {
    "en": [("TechLedger Wire", "techledger-wire"), ("Compute Street", "compute-street"),
           ("The Silicon Desk", "silicon-desk")],
    "zh-Hans": [("算力观察", "suanli-guancha"), ("科创快讯", "kechuang-kuaixun"), ("芯闻日报", "xinwen-ribao")],
    "zh-Hant": [("科技財經台", "keji-caijing"), ("港股科技網", "ganggu-keji"), ("半導體週報", "bandaoti-zhoubao")],
}
_NAV = {"en": ["Home", "AI", "Chips", "Cloud", "Deals", "Markets", "Policy", "Opinion", "Podcasts", "Events"],
        "zh-Hans": ["首页", "人工智能", "半导体", "云计算", "投融资", "市场", "政策", "观点", "视频", "活动"],
        "zh-Hant": ["主頁", "人工智能", "半導體", "雲端", "投融資", "市場", "政策", "觀點", "影音", "活動"]}
_CHROME = {
    "en": {"share": ["Share on X", "Share on LinkedIn", "Copy link", "Email"], "related": "Related coverage",
           "comments": "Comments", "app": "Get our app: scan the QR code", "rights": "All rights reserved."},
    "zh-Hans": {"share": ["分享到微信", "分享到微博", "复制链接"], "related": "相关阅读", "comments": "评论",
                "app": "下载客户端,扫码阅读全文", "rights": "版权所有,未经授权不得转载。"},
    "zh-Hant": {"share": ["分享到 WhatsApp", "Facebook", "複製連結"], "related": "相關閱讀", "comments": "留言",
                "app": "下載應用程式,掃碼閱讀", "rights": "版權所有,不得轉載。"},
}
_USERS = ["cloudwatcher", "dk_invest", "gpu_fan", "lin88", "marketmole", "quietquant", "hbm_bull", "nodeshrink"]


def _chrome_head(rng: random.Random, lang: str, site: str, slug: str, title: str, url: str,
                 published: dt.datetime) -> str:
    iso = published.strftime("%Y-%m-%dT%H:%M:00+00:00")
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": iso, "publisher": {"@type": "Organization", "name": site}},
                    ensure_ascii=False)
    nav = "\n".join(f'        <li><a href="/channel/{i}/">{html.escape(label)}</a></li>'
                    for i, label in enumerate(_NAV[lang]))
    sub_nav = "\n".join(f'        <li><a href="/topic/{slug}-{i}">{html.escape(_short_title(rng, lang))}</a></li>'
                        for i in range(12))
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(title)} | {html.escape(site)}</title>
  <link rel="canonical" href="{url}">
  <meta property="og:title" content="{html.escape(title)}">
  <meta property="og:site_name" content="{html.escape(site)}">
  <meta property="article:published_time" content="{iso}">
  <link rel="stylesheet" href="/static/css/{slug}.css">
  <script type="application/ld+json">{ld}</script>
  <script>{_analytics_script(rng, slug)}</script>
</head>
<body>
  <nav class="site-nav">
    <a class="logo" href="/">{html.escape(site)}</a>
      <ul>
{nav}
      </ul>
      <ul class="menu-topics">
{sub_nav}
      </ul>
    <form class="search"><input type="text" name="q"></form>
  </nav>
  <header class="masthead"><div class="ad-slot">Advertisement</div></header>
"""


def _analytics_script(rng: random.Random, slug: str) -> str:
    """A few KB of inline tracking configuration, the kind every news page carries."""
    slots = [{"id": f"{slug}-slot-{i}", "sizes": [[300, 250], [728, 90]], "refresh": rng.randint(20, 90),
              "targeting": {"section": rng.choice(["ai", "chips", "cloud"]), "pos": i}} for i in range(14)]
    config = {"site": slug, "consent": {"version": rng.randint(1, 9), "vendors": list(range(1, 60))},
              "slots": slots}
    return ("\n    window.dataLayer = window.dataLayer || [];\n    window.__adConfig = "
            + json.dumps(config) + ";\n    (function(){ var s = document.createElement('script'); "
            "s.async = true; s.src = '/static/js/ads.js'; document.head.appendChild(s); })();\n  ")


def _short_title(rng: random.Random, lang: str) -> str:
    if lang == "en":
        return f"{rng.choice(_EN_SUBJECTS)} and {rng.choice(_EN_OBJECTS)}"
    text = f"{rng.choice(_ZH_SUBJECTS)}{rng.choice(_ZH_VERBS)}{rng.choice(_ZH_OBJECTS)}"
    return text.translate(_HANT_FILLER_MAP) if lang == "zh-Hant" else text


def _chrome_tail(rng: random.Random, lang: str, site: str, slug: str, published: dt.datetime) -> str:
    c = _CHROME[lang]
    related = "\n".join(f'        <li><a href="/{slug}/{published:%Y/%m/%d}/related-{i}">'
                        f"{html.escape(_short_title(rng, lang))}</a></li>" for i in range(10))
    comments = "\n".join(f'        <div class="comment"><span class="user">{rng.choice(_USERS)}</span> '
                         f"{html.escape(_filler_sentence(rng, lang))}</div>" for _ in range(rng.randint(4, 10)))
    footer_links = " ".join(f'<a href="/about/{i}">{html.escape(label)}</a>' for i, label in enumerate(_NAV[lang]))
    return f"""    <div class="app-download"><img src="/static/img/qr.png" alt="QR"> {html.escape(c["app"])}</div>
    <aside class="related">
      <h3>{html.escape(c["related"])}</h3>
      <ul>
{related}
      </ul>
    </aside>
    <section id="comments" class="comments">
      <p>{html.escape(c["comments"])}</p>
{comments}
    </section>
  </main>
  <footer class="site-footer">
    <p>{footer_links}</p>
    <p>&copy; {published.year} {html.escape(site)}. {html.escape(c["rights"])}</p>
  </footer>
  <script>
    document.querySelectorAll('.share a').forEach(function (el) {{
      el.addEventListener('click', function () {{ dataLayer.push({{'event': 'share', 'site': '{slug}'}}); }});
    }});
  </script>
</body>
</html>
"""


# ---- one article --------------------------------------------------------------------------------
_EPOCH = dt.datetime(2024, 1, 1, 6, 0)


def _rng(seed: int, index: int) -> random.Random:
    return random.Random(f"dealwire-bench:{seed}:{index}")


def make_article(seed: int, index: int, target_bytes: int = TARGET_BYTES) -> SyntheticArticle:
    """Article `index` of the corpus with this seed (a pure function of both)."""
    rng = _rng(seed, index)
    lang = rng.choices(LANGS, weights=LANG_WEIGHTS)[0]
    site, slug = rng.choice(_SITES[lang])
    published = _EPOCH + dt.timedelta(days=rng.randint(0, 900), minutes=rng.randint(0, 1439))
    url = f"https://www.{slug}.example/{lang.lower()}/{published:%Y/%m/%d}/story-{seed}-{index}"
    facts: list[tuple[str, ExpectedFact]] = []
    if rng.random() < FACT_SHARE:
        facts = [_fact_sentence(rng, lang, published.year) for _ in range(rng.choice([1, 1, 2, 3]))]
    title = _short_title(rng, lang)
    head = _chrome_head(rng, lang, site, slug, title, url, published)
    tail = _chrome_tail(rng, lang, site, slug, published)
    c = _CHROME[lang]
    share = " ".join(f'<a href="#" data-share="{i}">{html.escape(s)}</a>' for i, s in enumerate(c["share"]))
    byline = site if lang != "en" else f"By staff, {site}"
    top = f"""  <main>
    <div class="breadcrumb"><a href="/">{html.escape(_NAV[lang][0])}</a> &gt; <a href="/c">{html.escape(_NAV[lang][2])}</a></div>
    <article class="story">
      <h1>{html.escape(title)}</h1>
      <p class="byline">{html.escape(byline)} | <span class="date">{published:%Y-%m-%d %H:%M}</span></p>
      <div class="share">{share}</div>
      <div class="article-body">
"""
    tags = " ".join(f'<a class="tag" href="/tag/{i}">{html.escape(label)}</a>' for i, label in enumerate(_NAV[lang][1:5]))
    bottom = f"""      </div>
      <div class="tags">{tags}</div>
    </article>
"""
    budget = int(target_bytes * rng.uniform(0.85, 1.15))
    used = sum(len(part.encode("utf-8")) for part in (head, tail, top, bottom))
    paragraphs: list[str] = []
    while used < budget or len(paragraphs) < 4:
        paragraph = _filler_paragraph(rng, lang)
        paragraphs.append(paragraph)
        used += len(paragraph.encode("utf-8")) + 20
    for sentence, _ in facts:  # each fact in a paragraph of its own, somewhere in the story
        paragraphs.insert(rng.randint(0, len(paragraphs)), sentence)
    body = "".join(f"      <p>{html.escape(p, quote=False)}</p>\n" for p in paragraphs)
    page = head + top + body + bottom + tail
    return SyntheticArticle(index, lang, published, url, page, tuple(f for _, f in facts))


@dataclass(frozen=True)
class CorpusInfo:
    root: Path
    n_articles: int
    n_bytes: int
    n_with_facts: int
    n_facts: int
    by_lang: dict[str, int]


def write_corpus(root: Path, n: int, seed: int = 7, start: int = 0,
                 target_bytes: int = TARGET_BYTES) -> CorpusInfo:
    """Write articles start .. start+n-1 under `root` (sharded folders); skip files already written."""
    n_bytes = n_with_facts = n_facts = 0
    by_lang = dict.fromkeys(LANGS, 0)
    for index in range(start, start + n):
        article = make_article(seed, index, target_bytes)
        path = root / article.filename
        data = article.html.encode("utf-8")
        if not path.exists() or path.stat().st_size != len(data):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        n_bytes += len(data)
        n_with_facts += bool(article.facts)
        n_facts += len(article.facts)
        by_lang[article.lang] += 1
    return CorpusInfo(root, n, n_bytes, n_with_facts, n_facts, by_lang)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="write a synthetic dealwire corpus")
    parser.add_argument("root", type=Path)
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start", type=int, default=0)
    args = parser.parse_args(argv)
    info = write_corpus(args.root, args.n, args.seed, args.start)
    print(f"{info.n_articles} articles, {info.n_bytes / 1e6:.1f} MB, {info.n_facts} facts in "
          f"{info.n_with_facts} articles, {info.by_lang} -> {info.root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
