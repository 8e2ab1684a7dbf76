"""Organisation-shaped names the alias seed does not know, and guards against spans that are
not organisations (places, products, data sources).

Chinese has no capitals and no spaces, so an unknown Chinese name is only proposed when its
shape says "organisation": 2-6 Han characters ending in an organisation suffix (科技, 集团,
存储, 基金 ...) right after a boundary, or a short name in a role frame: a descriptor noun
before it (公司, 厂商, 新创 ...) and a reporting verb after it (宣布, 完成, 今日 ...), or an
investor frame (由 X 领投, 领投方 X). English unknown names come from entities.py; here they are
dropped when they are places (a small gazetteer, or "X, <state>"), a product ("EPYC
processors"), or a data source ("according to X", 据 X 统计).
"""

from __future__ import annotations

import re

from .entities import Org, canonical

_H = r"\u4e00-\u9fff"
_HAN = re.compile(f"[{_H}]")

# Suffixes that end a company's name (Simplified shadow; 科技 covers 科技 and 科技).
ZH_ORG_SUFFIX = r"科技|集团|控股|股份|创投|存储|电信|半导体|微电子|智能|光电|机器人|银行|证券"
# ... unless the word goes on as a common noun (资本开支, 半导体部门, 智能手机).
_ZH_SUFFIX_NOT = r"(?!开支|支出|性|投入|市场|预算|部门|业务|产业|领域|板块|芯片|手机|汽车|设备|制造|行业|公司的)"
# What may stand right before a name (a boundary): punctuation, Latin text, a descriptor noun,
# a conjunction or a role word.
_ZH_BOUNDARY = (r"(?:(?<=[,、。;:!?()「」“”\"'\n])|^|(?<=公司|厂商|企业|新创|初创|业者|平台|"
                r"旗下|方面|基金)|(?<=领投方|跟投方|投资方)|(?<=[由与和及向对其则]))")
# Words that look like a name before a suffix but are common nouns (人工智能, 国产芯片 ...).
_ZH_NOT_NAME = re.compile(r"^(?:人工|国产|中国|全球|国内|海外|行业|产业|北京|上海|深圳|美国|台湾|香港|日本|韩国|"
                          r"相关|主要|其他|多家|部分|这些|多个|各|该|本|新|大|小|高端|先进|传统|整体|一家|两家|这家|那家|每家|"
                          r"AI|政府|国有|民间|私募|风险|产业|创业|主权|战略|跟投|领投|投资|参投|"
                          r"科技|芯片|存储|数据|网络|软件|通信|电子|其中|中东|欧洲|亚洲|非洲|海外|国际)")
# Function words and calendar words do not occur inside a short company name.
_ZH_NOT_IN_NAME = re.compile(r"[年季月日的了在将为是与及等这那该此其从向对被把给就都也还又]|财")
_ZH_SUFFIXED = re.compile(rf"{_ZH_BOUNDARY}([{_H}]{{2,4}}?(?:{ZH_ORG_SUFFIX})){_ZH_SUFFIX_NOT}"
                          rf"(?=[\s,、。;:!?()「」“”\"']|[{_H}A-Za-z0-9])")
# A short name framed by a descriptor before it and a reporting or role verb after it.
_ZH_FRAMED = re.compile(rf"(?:公司|厂商|企业|新创|初创公司|独角兽|芯片商|平台)\s?([{_H}]{{2,5}}?)"
                        rf"(?=\s?(?:本月|今日|今天|近日|日前|宣布|完成|已完成|获得|此前|则|于|在))")
_ZH_INVESTOR = re.compile(rf"(?:由\s?([{_H}]{{2,10}}?)\s?(?:领投|跟投|共同领投))|(?:(?:领投方|投资方)\s?([{_H}]{{2,12}}?)(?=出资|投资|认购|跟投|,))")


def find_zh_orgs(text: str, norm: str, taken, lo: int = 0, hi: int | None = None) -> list[Org]:
    """Unknown Chinese organisation-shaped names in `norm` (Simplified shadow) not overlapping
    `taken` (entities.TakenSpans), from matches starting in [lo, hi) (see entities.find_orgs)."""
    out: list[Org] = []
    hi = len(norm) if hi is None else hi
    if not _HAN.search(norm, lo, hi):
        return out
    for rx in (_ZH_INVESTOR, _ZH_FRAMED, _ZH_SUFFIXED):
        for m in rx.finditer(norm, lo):
            if m.start() >= hi:
                break
            g = next(i for i in range(1, (m.lastindex or 1) + 1) if m.group(i))
            s, e = m.start(g), m.end(g)
            name = norm[s:e]
            if _ZH_NOT_NAME.match(name) or _ZH_NOT_IN_NAME.search(name) or len(name) < 2:
                continue
            if not taken.free(s, e):
                continue
            raw = text[s:e]
            out.append(Org(s, e, raw, canonical(raw) or raw, False))
            taken.add(s, e)
    return out


# --- not organisations ---------------------------------------------------------------------------

PLACES = frozenset("""
Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii
Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan
Minnesota Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania
Tennessee Texas Utah Vermont Virginia Washington Wisconsin Wyoming Quebec Ontario Bavaria
Rotterdam Amsterdam Berlin Munich Frankfurt Madrid Barcelona Lisbon Milan Rome Stockholm Oslo
Helsinki Copenhagen Dublin Brussels Zurich Geneva Vienna Warsaw Prague Atlanta Chicago Dallas
Houston Austin Phoenix Seattle Boston Miami Denver Memphis Columbus Nashville Sacramento
Jakarta Johor Bangkok Mumbai Bangalore Chennai Delhi Hyderabad Osaka Hokkaido Kyushu Busan
Incheon Yongin Pyeongtaek Taipei Hsinchu Taichung Tainan Kaohsiung Shenzhen Hangzhou Guangzhou
Wuhan Chengdu Hefei Doha Riyadh Jeddah Dubai Sydney Melbourne Toronto Vancouver Montreal
Netherlands Belgium Switzerland Austria Poland Sweden Finland Denmark Ireland Spain Italy
Malaysia Indonesia Thailand Vietnam Philippines Mexico Brazil Chile Argentina Israel Egypt
Kenya Nigeria Morocco Scotland Wales England Greenland Iceland Hungary Greece Turkey
""".split()) | {"South Korea", "North Korea", "New Jersey", "New Mexico", "New Hampshire",
                "North Carolina", "South Carolina", "North Dakota", "South Dakota", "West Virginia",
                "Rhode Island", "Los Angeles", "Las Vegas", "New Delhi", "Kuala Lumpur",
                "Silicon Valley", "North America", "South America", "Latin America",
                "United Arab Emirates", "the Netherlands", "Hong Kong", "Abu Dhabi"}
_STATE_AFTER = re.compile(r",\s([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)")
_PRODUCT_AFTER = re.compile(r"\s(?:processors?|chips?|accelerators?|GPUs?|CPUs?|servers?|systems?|"
                            r"models?|racks?|superchips?|platform|instances)\b")
_SOURCE_BEFORE = re.compile(r"(?:according\sto\s(?:data\sfrom\s)?|据\s?)$", re.I)
_SOURCE_AFTER = re.compile(rf"^\s?[{_H}]{{0,3}}?(?:统计|数据|报道|显示|调查)")


def is_place(norm: str, o: Org) -> bool:
    if o.known:
        return False
    if o.raw in PLACES or o.name in PLACES:
        return True
    m = _STATE_AFTER.match(norm, o.end)
    return bool(m and m.group(1) in PLACES)


def not_an_org(norm: str, o: Org) -> str | None:
    """Why the unknown span `o` is not a party (a place, a product, a data source), or None."""
    if o.known:
        return None
    if is_place(norm, o):
        return "place"
    if _PRODUCT_AFTER.match(norm, o.end):
        return "product"
    if _SOURCE_BEFORE.search(norm[max(0, o.start - 20):o.start]) and (
            _SOURCE_AFTER.match(norm[o.end:o.end + 8]) or not re.search(f"[{_H}]", o.raw)):
        return "data source"
    return None


def refine_orgs(text: str, norm: str, orgs: list[Org], lo: int = 0,
                hi: int | None = None) -> tuple[list[Org], list[str]]:
    """Drop unknown spans that are not organisations, add organisation-shaped Chinese names
    (from matches starting in [lo, hi)). Returns the new list (by position) and trace lines."""
    from .entities import TakenSpans

    trace: list[str] = []
    kept: list[Org] = []
    for o in orgs:
        why = not_an_org(norm, o)
        if why:
            trace.append(f"org {o.raw!r} dropped: {why}")
            continue
        kept.append(o)
    taken = TakenSpans()
    for o in kept:
        taken.add(o.start, o.end)
    added = find_zh_orgs(text, norm, taken, lo, hi)
    for o in added:
        trace.append(f"org {o.raw!r} proposed: organisation-shaped")
    if added:
        kept = sorted(kept + added, key=lambda o: o.start)
    return kept, trace
