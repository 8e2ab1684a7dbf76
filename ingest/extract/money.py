"""Pass 3: money spans. A number, its scale (bn, 亿), its currency ($, 美元), the qualifier
around it (about, 逾, up to), ranges (520 亿至 560 亿美元) and a bracketed conversion
(110 万亿韩元(约 733 亿美元)) become one Money.

Works on the normalised shadow; offsets are offsets into the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import lexicon_en as en
from . import lexicon_zh as zh
from .numbers import parse_arabic, parse_chinese, scale_value


@dataclass(frozen=True)
class Money:
    start: int             # whole span, qualifier to currency (and range end)
    end: int
    num_start: int         # where the (first) number starts
    amount_min: float | None
    amount_max: float | None
    currency: str | None   # ISO code; None when the text does not say (resolved later)
    qualifier: str         # exact | approx | at_least | at_most | range
    explicit_currency: bool
    yuan_only: bool = False          # written with a bare 元: currency depends on context
    has_scale: bool = False
    usd_min: float | None = None
    usd_max: float | None = None
    conversion: tuple[int, int] | None = None

    @property
    def value(self) -> float:
        return self.amount_max if self.amount_max is not None else self.amount_min  # type: ignore[return-value]

    def with_currency(self, currency: str | None) -> "Money":
        m = replace(self, currency=currency)
        if currency == "USD" and m.usd_min is None and m.usd_max is None:
            m = replace(m, usd_min=m.amount_min, usd_max=m.amount_max)
        return m


_CN = zh.CN_NUMERAL_CHARS
# Arabic numbers: not glued to a word, a decimal or a hyphenated code, not a percentage. As
# first written, `(?<![A-Za-z\d.,/_])(?<![A-Za-z]-)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d%])`;
# here the first digit comes first and the lookbehinds follow it, so the engine skips ahead to the
# next digit instead of trying the lookbehinds at every position (5x faster, same matches).
_ARABIC_RE = re.compile(r"\d(?<![A-Za-z\d.,/_]\d)(?<![A-Za-z]-\d)(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?(?![\d%])")
# A Chinese-numeral amount must end in a big unit to count (一千六百亿, 十亿).
_CN_RE = re.compile(rf"(?<![数几上第每个{_CN}])[{_CN}]*[{_CN[:-3]}][{_CN}]*[万亿兆](?![{_CN}])")
_ZH_SCALE_AFTER = re.compile(rf"\s?([多余]?)\s?({zh.SCALE_RE})")
_EN_SCALE_AFTER = re.compile(r"(\s?)(trillion|billion|million|thousand|bn|tn|trn|mn|mln|bln|[kmbtKMBT])(?![A-Za-z])")
_ZH_CUR_SUFFIX = sorted(zh.CURRENCY_SUFFIX, key=len, reverse=True)
_ZH_CUR_SUFFIX_RE = re.compile(r"\s?(" + "|".join(map(re.escape, _ZH_CUR_SUFFIX)) + ")")
_EN_CUR_SUFFIX_RE = re.compile(
    r"\s(" + "|".join(map(re.escape, sorted(en.CURRENCY_SUFFIX, key=len, reverse=True)))
    + r")(?![A-Za-z])", re.I)
_PREFIXES = sorted(
    [(p, c, "en") for p, c in en.CURRENCY_PREFIX.items()]
    + [(p, c, "zh") for p, c in zh.CURRENCY_PREFIX.items()],
    key=lambda t: len(t[0]), reverse=True)
_EN_QUALS = sorted(((w, q) for q, ws in en.QUALIFIER_PREFIX.items() for w in ws),
                   key=lambda t: len(t[0]), reverse=True)
_ZH_QUALS = sorted(((w, q) for q, ws in zh.QUALIFIER_PREFIX.items() for w in ws),
                   key=lambda t: len(t[0]), reverse=True)
_RANGE_SEP = re.compile(r"\s?(?:-|~|—|至|到)\s?|\s(?:to|and)\s")
_CONV_OPEN = re.compile(
    r"\s?[(\[]\s?(?:约合|约为|约|折合|合|相当于|about|around|roughly|approximately|approx\.|some|~|≈|c\.|or)?\s?",
    re.I)


@dataclass
class _Raw:
    start: int
    num_start: int
    end: int
    value: float
    number_only: float
    scale_word: str | None
    currency: str | None
    explicit: bool
    yuan_only: bool
    qualifier: str
    suffix_qualifier: bool


def _prefix_currency(s: str, pos: int) -> tuple[str | None, int]:
    """Currency written just before `pos`; returns (code, new start)."""
    for p, code, kind in _PREFIXES:
        for gap in ("", " "):
            cand = p + gap
            if s.endswith(cand, 0, pos):
                st = pos - len(cand)
                if kind == "en" and p[0].isalpha() and st > 0 and s[st - 1].isalpha():
                    continue
                if p == "$" and st > 0 and s[st - 1].isalpha():
                    continue  # A$, S$ etc. are listed; other letter+$ is unknown
                if gap and p in ("$", "€", "£"):
                    continue
                return code, st
    return None, pos


def _prefix_qualifier(s: str, pos: int) -> tuple[str, int]:
    """Qualifier words just before `pos` (可 skip one space); 最多约 -> at_most."""
    qual = "exact"
    start = pos
    for _ in range(2):
        p = start
        while p > 0 and s[p - 1] == " ":
            p -= 1
        found = False
        low = s[max(0, p - 30):p].lower()
        for w, q in _EN_QUALS:
            if low.endswith(w):
                st = p - len(w)
                if w[0].isalpha() and st > 0 and s[st - 1].isalpha():
                    continue
                qual = _combine(qual, q)
                start, found = st, True
                break
        if not found:
            for w, q in _ZH_QUALS:
                if s.endswith(w, 0, p):
                    if w == "或" :
                        continue
                    qual = _combine(qual, q)
                    start, found = p - len(w), True
                    break
        if not found:
            break
    return qual, start


def _combine(current: str, new: str) -> str:
    if current == "exact":
        return new
    if "at_most" in (current, new):
        return "at_most"
    if "at_least" in (current, new):
        return "at_least"
    return current


def _scan(s: str) -> list[_Raw]:
    out: list[_Raw] = []
    cores: list[tuple[int, int, float, bool]] = []  # start, end, value, is_chinese
    for m in _ARABIC_RE.finditer(s):
        v = parse_arabic(m.group())
        if v is not None:
            cores.append((m.start(), m.end(), v, False))
    # every match ends in 万, 亿 or 兆: without one the pattern (slow: it starts with a lookbehind
    # and an optional run) cannot match
    if "万" in s or "亿" in s or "兆" in s:
        for m in _CN_RE.finditer(s):
            v = parse_chinese(m.group())
            if v is not None:
                cores.append((m.start(), m.end(), v, True))
    cores.sort()
    taken_until = -1
    for st, en_, v, is_cn in cores:
        if st < taken_until:
            continue
        pos = en_
        value = v
        scale_word = None
        qual_suffix = None
        if is_cn:
            scale_word = "亿"  # units already folded in; mark as scaled
        else:
            mz = _ZH_SCALE_AFTER.match(s, pos)
            if mz:
                # 1 兆 1,340 亿: a compound number with two units
                value = v * scale_value(mz.group(2))
                scale_word = mz.group(2)
                if mz.group(1):
                    qual_suffix = "at_least"
                pos = mz.end()
                mc = re.match(r"\s?(\d{1,3}(?:,\d{3})*|\d+)\s?(亿|万)", s[pos:])
                if scale_word in ("万亿", "兆") and mc:
                    value += parse_arabic(mc.group(1)) * scale_value(mc.group(2))  # type: ignore[operator]
                    pos += mc.end()
            else:
                me = _EN_SCALE_AFTER.match(s, pos)
                if me and not (me.group(1) and len(me.group(2)) == 1):
                    value = v * scale_value(me.group(2))
                    scale_word = me.group(2)
                    pos = me.end()
        currency, explicit, yuan_only = None, False, False
        cur_pre, start = _prefix_currency(s, st)
        if start < taken_until:  # that "prefix" is the previous amount's currency
            cur_pre, start = None, st
        if cur_pre:
            currency, explicit = cur_pre, True
        ms = _ZH_CUR_SUFFIX_RE.match(s, pos)
        if ms and (scale_word is None or scale_word not in en.SCALES):
            code = zh.CURRENCY_SUFFIX[ms.group(1)]
            if code is None:
                if not explicit:
                    yuan_only = True
            elif not explicit or code != currency:
                currency, explicit = code, True
                start = st if cur_pre and code != cur_pre else start
            pos = ms.end()
        else:
            me2 = _EN_CUR_SUFFIX_RE.match(s, pos)
            if me2 and not explicit and (scale_word or value >= 1e5):
                currency, explicit = en.CURRENCY_SUFFIX[me2.group(1).lower()], True
                pos = me2.end()
        if not explicit and scale_word and scale_word not in zh.SCALES:
            # "$10-12 billion": the currency sits before the first number of the range
            ml = re.search(r"(US\$|HK\$|NT\$|\$|€|£)\d[\d,.]*\s?(?:-|~|\sto)\s?$", s[max(0, st - 20):st])
            if ml:
                currency, explicit = en.CURRENCY_PREFIX[ml.group(1)], True
        if not explicit and not yuan_only and not (scale_word and scale_word in zh.SCALES):
            # a bare number ("2025", "185") is not money; tables handle their own cells
            continue
        if scale_word is None and value < 1e5:
            continue  # per-share prices, EPS, counts
        qual, qstart = _prefix_qualifier(s, start)
        # suffix qualifiers
        tail = s[pos:pos + 8]
        for q, words in zh.QUALIFIER_SUFFIX.items():
            for w in words:
                if w != "多" and tail.lstrip().startswith(w):
                    qual_suffix = q
                    pos = pos + (len(tail) - len(tail.lstrip())) + len(w)
                    break
        for q, words in en.QUALIFIER_SUFFIX.items():
            for w in words:
                if tail.lower().startswith(" " + w) and not s[pos + 1 + len(w):pos + 2 + len(w)].isalpha():
                    qual_suffix = q
                    pos += 1 + len(w)
        if qual_suffix:
            qual = _combine(qual, qual_suffix)
        out.append(_Raw(qstart, st, pos, value, v, scale_word, currency, explicit, yuan_only,
                        qual, bool(qual_suffix)))
        taken_until = pos
    return out


def _bare_number_before(s: str, raw: _Raw) -> tuple[int, float] | None:
    """'520 至 560 亿美元': the 520 the scanner skipped (no unit of its own)."""
    left = s[max(0, raw.start - 40):raw.start]
    cur = r"(?:US\$|\$|€|£|HK\$|NT\$)?"
    m = re.search(rf"{cur}((?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)\s?(?:-|~|至|到|\sto)\s?$", left)
    if not m:
        m = re.search(rf"between\s{cur}((?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)\sand\s$", left, re.I)
    if not m:
        return None
    st = raw.start - len(left) + m.start(1)
    if st > 0 and (s[st - 1].isdigit() or s[st - 1] in ".,"):
        return None
    v = parse_arabic(m.group(1))
    return (st, v) if v is not None else None


def find_money(s: str) -> list[Money]:
    """All money spans in the shadow text `s`, in order."""
    raws = _scan(s)
    out: list[Money] = []
    i = 0
    while i < len(raws):
        a = raws[i]
        merged = False
        if i + 1 < len(raws):
            b = raws[i + 1]
            gap = s[a.end:b.start]
            msep = _RANGE_SEP.fullmatch(gap)
            if msep and not a.suffix_qualifier:
                word = gap.strip().lower()
                ok = True
                before = s[max(0, a.start - 12):a.start].lower()
                if word == "and" and not before.rstrip().endswith("between"):
                    ok = False
                if word == "to" and re.search(r"\bfrom\s*$", before):
                    ok = False
                if a.explicit and b.explicit and a.currency != b.currency:
                    ok = False
                if a.yuan_only != b.yuan_only and a.explicit and not b.explicit:
                    ok = False
                if ok and b.value >= a.value:
                    lo = a.value
                    out.append(Money(a.start, b.end, a.num_start, lo, b.value,
                                     b.currency if b.explicit else a.currency,
                                     "range", a.explicit or b.explicit,
                                     yuan_only=b.yuan_only and not a.explicit,
                                     has_scale=True))
                    i += 2
                    merged = True
        if not merged:
            bare = _bare_number_before(s, a)
            if bare and (a.scale_word or a.explicit) and not (out and out[-1].end > bare[0]):
                st, v = bare
                lo = v * (a.value / a.number_only if a.number_only else 1.0)
                if lo < a.value:
                    qual_start = st
                    while qual_start > 0 and s[qual_start - 1] in "$€£US":
                        qual_start -= 1
                    bt = s[max(0, qual_start - 9):qual_start].lower()
                    if bt.endswith("between "):
                        qual_start -= 8
                    out.append(Money(qual_start, a.end, st, lo, a.value, a.currency, "range",
                                     a.explicit, yuan_only=a.yuan_only, has_scale=True))
                    i += 1
                    continue
            qmin, qmax = a.value, a.value
            if a.qualifier == "at_least":
                qmax = None
            elif a.qualifier == "at_most":
                qmin = None
            out.append(Money(a.start, a.end, a.num_start, qmin, qmax, a.currency, a.qualifier,
                             a.explicit, yuan_only=a.yuan_only, has_scale=a.scale_word is not None))
            i += 1
    return _attach_conversions(s, _distribute_qualifiers(s, out))


def _distribute_qualifiers(s: str, items: list[Money]) -> list[Money]:
    """最多 50 亿美元和 100 亿美元 / up to $5bn and $10bn: the qualifier covers the list."""
    out: list[Money] = []
    for m in items:
        if out and m.qualifier == "exact" and out[-1].qualifier in ("at_most", "at_least", "approx") \
                and re.fullmatch(r"\s?(?:和|及|、|与|,|and|, and)\s?", s[out[-1].end:m.start]):
            q = out[-1].qualifier
            v = m.value
            m = replace(m, qualifier=q, amount_min=None if q == "at_most" else v,
                        amount_max=None if q == "at_least" else v)
        out.append(m)
    return out


def _attach_conversions(s: str, items: list[Money]) -> list[Money]:
    """110 万亿韩元(约 733 亿美元): the bracketed amount becomes the first one's USD figure."""
    out: list[Money] = []
    skip = set()
    for idx, m in enumerate(items):
        if idx in skip:
            continue
        if idx + 1 < len(items):
            nxt = items[idx + 1]
            mo = _CONV_OPEN.match(s, m.end)
            if mo and mo.end() >= nxt.start - 1 and nxt.start >= mo.start():
                close = re.match(r"\s?[)\]]", s[nxt.end:nxt.end + 3])
                if close and nxt.explicit_currency and nxt.currency != m.currency:
                    usd_min = usd_max = None
                    if nxt.currency == "USD":
                        usd_min = nxt.amount_min if nxt.amount_min is not None else nxt.amount_max
                        usd_max = nxt.amount_max if nxt.amount_max is not None else nxt.amount_min
                        if m.qualifier == "at_least":
                            usd_max = None
                        elif m.qualifier == "at_most":
                            usd_min = None
                    m = replace(m, usd_min=usd_min, usd_max=usd_max,
                                conversion=(m.end, nxt.end + close.end()))
                    skip.add(idx + 1)
        if m.currency == "USD" and m.usd_min is None and m.usd_max is None:
            m = replace(m, usd_min=m.amount_min, usd_max=m.amount_max)
        out.append(m)
    return out
