"""Pass 5: period spans ("2026", "FY2026", "2026Q1", "2026H1", "2026-2028"), with relative
expressions (去年, next year, last quarter) resolved against the publication date."""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass

from .numbers import parse_chinese


@dataclass(frozen=True)
class Period:
    start: int
    end: int
    value: str | None       # None when it cannot be resolved (no publication date)
    kind: str               # year | fy | quarter | half | multi
    explicit_year: bool     # the year is written out (not 今年 / a bare quarter)
    prep: str = ""          # English preposition before it (in, by, through ...)


_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4,
      "first": 1, "second": 2, "third": 3, "fourth": 4}
_EN_NUM = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10}

Y = r"(20\d{2})(?!\d)"
# The same, written so the pattern starts with a literal: `re` then jumps from one "2" to the next
# instead of trying the pattern at every position (the lookbehind captures the same group).
Y_ = r"20\d{2}(?<=(\d{4}))(?!\d)"


def _q_words(tail: str, boundary: bool = False) -> str:
    """first|second|third|fourth, each followed by `tail`, as alternatives that start with a
    literal; the word is captured by a lookbehind, and `boundary` keeps a letter, digit or hyphen
    from coming just before it."""
    alts = []
    for w in ("first", "second", "third", "fourth"):
        guard = rf"(?<![\w-]{w})" if boundary else ""
        alts.append(rf"{w}{guard}(?<=({w})){tail}")
    return "|".join(alts)


_YQ_WORDS = _q_words(r"[\s-]quarter(?:\sof)?")
# (kind, pattern[, words]): when words are given, every match of the pattern contains one of them
# (in ASCII lowercase for a `(?i:` pattern), so a text with none of them is not scanned at all:
# the patterns that cannot start with a literal are slow to run over a whole article.
_PATTERNS: list[tuple[str, str] | tuple[str, str, tuple[str, ...]]] = [
    # multi-year
    ("multi", rf"{Y}\s?年?\s?(?:至|到|-|~|和|与|及)\s?{Y}\s?年(?:间|之间)?"),
    ("multi", rf"(?i:between\s{Y}\sand\s{Y}|{Y_}\s?(?:-|to|through)\s?{Y}|in\s{Y}\sand\s{Y})"),
    ("next_n", r"未来\s?([一二三四五六七八九十\d]{1,2})\s?年"),
    ("next_n", r"(?i:(?:over|in|during)\s(?:the\s)?(?:next|coming)\s(two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+years)", ("years",)),
    # quarter ending month: 截至2025年9月30日的季度 / 截至 9 月底的季度
    ("qend", rf"截至\s?(?:{Y}\s?年\s?)?(\d{{1,2}})\s?月\s?(?:\d{{1,2}}\s?日|底)?\s?(?:止)?\s?的?\s?(?:第\s?[一二三四1-4]\s?)?(?:季度|财季|三个月)"),
    ("qend", rf"(?i:(?:quarter|three months)\s(?:ended|ending|to)\s(?:(?:the\s)?end\sof\s)?(January|February|March|April|May|June|July|August|September|October|November|December)(?:\s\d{{1,2}})?(?:,?\s{Y})?)", ("quarter", "three months")),
    # fiscal years
    ("fy_half", rf"{Y}\s?财年\s?(上半年|下半年|上半财年)"),
    ("fy_q", rf"{Y}\s?财年\s?第\s?([一二三四1-4])\s?(?:财季|季度|季)"),
    ("fy", rf"{Y}\s?(?:财年|财政年度|会计年度)"),
    # 本财年(截至2027年3月31日): the fiscal year named by the year it ends in
    ("fy_end", rf"(?:本|这一?|该|新)?\s?(?:财年|财政年度|会计年度)\s?[(（]?\s?(?:截至|截止到?|至)\s?{Y}\s?年", ("财年", "财政年度", "会计年度")),
    ("prev_fy", r"(?i:上一?个?财年|上一财政年度|(?:the\s)?(?:previous|prior|last)\sfiscal\syear)", ("财年", "上一财政年度", "fiscal")),
    ("fy", rf"(?i:(?:fiscal(?:\syear)?|FY)\s?'?(20\d{{2}}|\d{{2}})(?!\d))"),
    ("fy_to", rf"(?i:(?:the\s(?:fiscal\s)?year|fiscal\syear|year)\s(?:to|ending|ended)\s(?:January|February|March|April|May|June|July|August|September|October|November|December)\s(?:\d{{1,2}},?\s)?{Y})", ("year",)),
    # quarters and halves with a year
    ("yq", rf"{Y}\s?年\s?(?:第\s?([一二三四1-4])\s?(?:季度|季|财季)|([一二三四1-4])\s?季度)"),
    ("yq", rf"(?i:(?:Q([1-4])|{_YQ_WORDS})\s?(?:of\s)?(?:fiscal\s)?{Y})", ("q",)),
    ("yq2", rf"(?i:{Y}\s?Q([1-4]))"),
    ("yh", rf"{Y}\s?年\s?(上半年|下半年)"),
    ("yh", rf"(?i:(first|second)\shalf\s(?:of\s)?{Y})", ("half",)),
    ("year_full", rf"{Y}\s?年\s?(?:全年|全年度|年度)?(?![\d月])"),
    # relative
    ("rel_same", r"去年同期|上年同期|a\syear\s(?:earlier|ago)|the\ssame\s(?:quarter|period)\slast\syear", ("同期", "year")),
    ("rel_yh", r"(今年|去年|明年)\s?(上半年|下半年)", ("半年",)),
    ("rel_y", r"(?i:今年|本年度|本年|去年|上年|明年|来年|前年|后年|this\syear|next\syear|last\syear|for\sthe\s(?:full\s)?year|over\sthe\s(?:full\s)?year|the\scurrent\syear|this\sfiscal\syear)", ("年", "year")),
    ("rel_q", r"(?i:上季度|上一季度|上个季度|上季|本季度|本季|当季度|当季|该季度|该财季|(?:最新|最近)的?一个?财季|last\squarter|this\squarter|the\sprevious\squarter|the\slatest\squarter|in\sthe\squarter)", ("季", "quarter")),
    ("bare_q", r"(?i:第\s?([一二三四1-4])\s?(?:季度|季|财季)|Q(?<![\w-]Q)([1-4])(?!\s?(?:of\s)?20\d\d)|"
               + _q_words(r"[\s-]quarter(?!\s?(?:of\s)?20\d\d)", boundary=True) + ")", ("季", "q")),
    ("bare_h", r"(?i:上半年|下半年|the\sfirst\shalf(?!\sof\s20)|the\ssecond\shalf(?!\sof\s20)|"
               r"first\shalf(?!\sof\s20)|second\shalf(?!\sof\s20))", ("半年", "half")),
    ("year", r"2(?<![\d.,$]2)(?<!\d\s2)" + Y_[1:] + r"(?![\d%]|\.\d|\s?(?:年|GW|MW))"),
    ("full", r"全年"),
]


def _caseless(pattern: str) -> str:
    """The pattern for ASCII-lowercased text: `(?i:` groups become plain groups and literal
    capitals become small letters. Case-insensitive matching is several times slower in `re`,
    and a lowercase literal lets the engine skip ahead, so each pattern runs on a lowered copy
    of the text (same length, same offsets) instead."""
    out, escaped = [], False
    for ch in pattern.replace("(?i:", "(?:"):
        out.append(ch if escaped else ch.translate(_ASCII_LOWER))
        escaped = ch == "\\" and not escaped
    return "".join(out)


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def ascii_lower(text: str) -> str:
    """`text.translate(_ASCII_LOWER)`, ten times faster: bytes.lower() changes only ASCII capitals,
    and UTF-8 encodes every other character in bytes above 0x7F, which it leaves alone."""
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


# Patterns without a `(?i:` group are case-sensitive as written and run on the text itself; in
# the others every letter sits inside the `(?i:` group, so the lowered copy changes nothing.
_COMPILED = [(k, re.compile(_caseless(p)), True, words) if "(?i:" in p else (k, re.compile(p), False, words)
             for k, p, *rest in _PATTERNS for words in (rest[0] if rest else (),)]


_FISCAL_OF = re.compile(r"\s(?:of\s)?(?:the\s|its\s|their\s|[\w.&-]+'s\s){0,2}fiscal\s(?:year|20\d\d)")


def _n(s: str) -> int | None:
    s = s.strip().lower()
    if s.isdigit():
        return int(s)
    if s in _EN_NUM:
        return _EN_NUM[s]
    v = parse_chinese(s)
    return int(v) if v else None


def _quarter_of(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


def find_periods(norm: str, published: dt.date | None,
                 sentences: list[tuple[int, int]] | None = None, end: int | None = None) -> list[Period]:
    """Periods in `norm`; with `end`, those starting before it (the same as the first periods of
    the whole text: which span wins and how it resolves depend only on what comes before it)."""
    spans: list[tuple[int, int, str, re.Match[str]]] = []
    lowered = ascii_lower(norm)
    end = len(norm) if end is None else end
    for kind, rx, caseless, words in _COMPILED:
        target = lowered if caseless else norm
        if words and not any(w in target for w in words):
            continue
        for m in rx.finditer(target):
            if m.start() >= end:
                break
            if m.end() == m.start():
                continue
            spans.append((m.start(), m.end(), kind, m))
    # leftmost-longest, first pattern wins on ties
    spans.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    chosen: list[tuple[int, int, str, re.Match[str]]] = []
    last_end = -1
    for st, en, kind, m in spans:
        if st >= last_end:
            chosen.append((st, en, kind, m))
            last_end = en
    out: list[Period] = []
    pub_y = published.year if published else None
    for st, en, kind, m in chosen:
        g = [x for x in m.groups() if x is not None]
        text = m.group().lower()
        prep_m = re.search(r"(\b[a-z]+)\s*$", norm[max(0, st - 12):st].lower())
        prep = prep_m.group(1) if prep_m else ""
        value, pkind, explicit = None, "year", True
        if kind == "multi":
            value, pkind = f"{g[0]}-{g[1]}", "multi"
        elif kind == "next_n":
            n = _n(g[0])
            if pub_y and n:
                value, pkind, explicit = f"{pub_y}-{pub_y + n - 1}", "multi", False
            else:
                pkind = "multi"
        elif kind == "qend":
            months = ["january", "february", "march", "april", "may", "june", "july", "august",
                      "september", "october", "november", "december"]
            year = next((x for x in g if re.fullmatch(r"20\d\d", x)), None)
            mon = next((x for x in g if not re.fullmatch(r"20\d\d", x)), None)
            month = int(mon) if mon and mon.isdigit() else months.index(mon.lower()) + 1 if mon else None
            if month:
                q = (month - 1) // 3 + 1
                if year is None and published:
                    year = str(pub_y if month <= published.month else pub_y - 1)
                    explicit = False
                value, pkind = (f"{year}Q{q}" if year else None), "quarter"
        elif kind == "fy_half":
            value, pkind = f"FY{g[0]}H{1 if '上' in g[1] else 2}", "half"
        elif kind == "fy_q":
            value, pkind = f"FY{g[0]}Q{_Q[g[1]]}", "quarter"
        elif kind == "fy":
            y = g[0]
            if len(y) == 2:
                y = "20" + y
            value, pkind = f"FY{y}", "fy"
        elif kind == "fy_end":
            value, pkind = f"FY{g[0]}", "fy"
        elif kind == "prev_fy":
            value, pkind, explicit = "PREV_FY", "fy", False
        elif kind == "fy_to":
            value, pkind = f"FY{g[0]}", "fy"
        elif kind in ("yq", "yq2"):
            year = next(x for x in g if re.fullmatch(r"20\d\d", x))
            qs = next(x for x in g if x.lower() in _Q)
            value, pkind = f"{year}Q{_Q[qs.lower()]}", "quarter"
        elif kind == "yh":
            year = next(x for x in g if re.fullmatch(r"20\d\d", x))
            h = next(x for x in g if not re.fullmatch(r"20\d\d", x)).lower()
            value, pkind = f"{year}H{1 if h in ('上半年', 'first') else 2}", "half"
        elif kind in ("year_full", "year"):
            value, pkind = g[0], "year"
        elif kind == "rel_same":
            value, pkind, explicit = "SAME_LAST_YEAR", "relative", False
        elif kind == "rel_yh":
            if pub_y:
                off = {"今年": 0, "去年": -1, "明年": 1}[g[0]]
                value = f"{pub_y + off}H{1 if g[1] == '上半年' else 2}"
            pkind, explicit = "half", False
        elif kind == "rel_y":
            explicit = False
            off = 0
            if any(w in text for w in ("去年", "上年", "last year")):
                off = -1
            elif any(w in text for w in ("明年", "来年", "next year")):
                off = 1
            elif "前年" in text:
                off = -2
            elif "后年" in text:
                off = 2
            if pub_y:
                value = str(pub_y + off)
        elif kind == "rel_q":
            explicit = False
            pkind = "quarter"
            if published:
                q, y = _quarter_of(published), pub_y
                if any(w in text for w in ("上", "last", "previous", "latest", "the quarter", "该", "最新", "最近")) \
                        or "当季" in text or "本季" in text:
                    q -= 1
                    if q == 0:
                        q, y = 4, y - 1  # type: ignore[operator]
                value = f"{y}Q{q}"
                if text in ("当季", "当季度", "本季度", "本季", "in the quarter", "该季度", "该财季") \
                        or "财季" in text:
                    value = "CONTEXT_Q:" + value
        elif kind == "bare_q":
            explicit = False
            pkind = "quarter"
            qs = next(x for x in g if x.lower() in _Q)
            q = _Q[qs.lower()]
            value = f"BARE_Q:{q}"
            if _FISCAL_OF.match(lowered, en):
                value = None  # "the first quarter of its fiscal year": no calendar quarter
        elif kind == "bare_h":
            explicit = False
            pkind = "half"
            h = 1 if (("上" in text) or ("first" in text)) else 2
            value = f"BARE_H:{h}"
        elif kind == "full":
            explicit = False
            value = "CONTEXT_Y"
        out.append(Period(st, en, value, pkind, explicit, prep))
    return _resolve_context(out, published, sentences)


def _resolve_context(items: list[Period], published: dt.date | None,
                     sentences: list[tuple[int, int]] | None) -> list[Period]:
    """Bare quarters and halves take the year written earlier in their sentence, else the most
    recent such period before the publication date; 去年同期 takes the period it compares to."""
    def sent_of(pos: int) -> tuple[int, int]:
        for s, e in sentences or []:
            if s <= pos < e:
                return s, e
        return 0, 10**9

    out: list[Period] = []
    last_quarter: str | None = None
    last_value: str | None = None
    for p in items:
        v = p.value
        if v and (v.startswith("BARE_") or v == "CONTEXT_Y" or v.startswith("CONTEXT_Q")):
            s0, _ = sent_of(p.start)
            ctx_year = None
            for q in reversed(out):
                if q.start < s0:
                    break
                if q.value and re.fullmatch(r"(FY)?20\d\d", q.value):
                    ctx_year = q.value
                    break
            if v == "CONTEXT_Y":
                v = ctx_year or (str(published.year) if published else None)
            elif v.startswith("CONTEXT_Q"):
                v = last_quarter or v.split(":", 1)[1]
            elif v.startswith("BARE_Q"):
                qn = int(v.split(":")[1])
                if ctx_year:
                    v = f"{ctx_year}Q{qn}"
                elif published:
                    y = published.year if qn <= _quarter_of(published) else published.year - 1
                    v = f"{y}Q{qn}"
                else:
                    v = None
            elif v.startswith("BARE_H"):
                hn = int(v.split(":")[1])
                if ctx_year:
                    v = f"{ctx_year}H{hn}"
                elif published:
                    if hn == 1:
                        y = published.year if published.month >= 7 else published.year - 1
                    else:
                        y = published.year if published.month == 12 else published.year - 1
                    v = f"{y}H{hn}"
                else:
                    v = None
        elif v == "PREV_FY":
            v = None
            m = re.fullmatch(r"FY(20\d\d)", last_value or "")
            if m:
                v = f"FY{int(m.group(1)) - 1}"
        elif v == "SAME_LAST_YEAR":
            base = last_value
            v = None
            if base:
                m = re.fullmatch(r"(FY)?(20\d\d)(.*)", base)
                if m:
                    v = f"{m.group(1) or ''}{int(m.group(2)) - 1}{m.group(3)}"
        p = Period(p.start, p.end, v, p.kind, p.explicit_year, p.prep)
        if v and re.search(r"Q\d$", v):
            last_quarter = v
        if v:
            last_value = v
        out.append(p)
    return out


def same_period(a: str | None, b: str | None) -> bool:
    """FY2026 == 2026; 2026Q1 != 2026 (the scorer's rule)."""
    if a is None or b is None:
        return False
    return a.removeprefix("FY") == b.removeprefix("FY")
