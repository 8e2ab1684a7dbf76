"""The extractor as a pipeline of small passes over one Doc.

normalise -> sentences -> money -> organisations -> periods -> tables -> classify/roles ->
currency context -> facts -> dedupe. Every pass appends to doc.trace, which
`dealwire extract --explain` prints.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace

from ingest.records import CapexMention, DealMention, Evidence

from . import lexicon_zh as zh
from .classify import Classifier, Draft, SentenceInput
from .coref import Coref
from .entities import Org, find_orgs, load_aliases
from .money import Money, find_money
from .normalize import SIMPLIFIED_ONLY, TRADITIONAL_ONLY, shadow
from .orgshape import refine_orgs
from .periods import Period, ascii_lower, find_periods
from .sentences import paragraphs, split_sentences
from .tables import find_table_capex

Fact = DealMention | CapexMention


@dataclass
class Doc:
    text: str
    lang: str
    published: dt.date | None
    norm: str = ""
    sentences: list[tuple[int, int]] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    money: list[Money] = field(default_factory=list)
    orgs: list[Org] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    trace: list[str] = field(default_factory=list)
    # The stretch the sentence, organisation and period passes read (see _stretch): sentences and
    # periods from the start to `hi`, organisations from `lo` to `hi`.
    lo: int = 0
    hi: int = 0
    orgs_whole: bool = True   # doc.orgs covers the whole text, not only [lo, hi)
    fast: bool = False        # skip what cannot change the facts (see run)


# detect_lang counts with C-speed primitives instead of per-character generators (~4x faster on a
# 1,500-character Chinese sample), giving exactly the same counts: runs of CJK removed by a regex; the
# ASCII letters ([A-Za-z], i.e. ch.isascii() and ch.isalpha()) kept by encode + bytes.translate; one
# regex character class per script set (every member is a single character, escaped).
_CJK_RUN = re.compile("[\u4e00-\u9fff]+")
_ASCII_NON_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_TRADITIONAL_CHAR = re.compile("[" + "".join(map(re.escape, sorted(TRADITIONAL_ONLY))) + "]")
_SIMPLIFIED_CHAR = re.compile("[" + "".join(map(re.escape, sorted(SIMPLIFIED_ONLY))) + "]")


def detect_lang(text: str) -> str:
    if text.isascii():  # no CJK character: the rule below says "en" too, without counting
        return "en"
    cjk = len(text) - len(_CJK_RUN.sub("", text))
    latin = len(text.encode("ascii", "ignore").translate(None, _ASCII_NON_LETTERS))
    if cjk == 0 or cjk * 3 < latin * 0.5:
        return "en"
    trad = len(_TRADITIONAL_CHAR.findall(text))
    simp = len(_SIMPLIFIED_CHAR.findall(text))
    return "zh-Hant" if trad > simp else "zh-Hans"


# ---- passes ------------------------------------------------------------------------------------

def p_normalise(doc: Doc) -> None:
    doc.norm = shadow(doc.text)


def p_sentences(doc: Doc) -> None:
    doc.paragraphs = paragraphs(doc.norm)
    doc.lo, doc.hi = _stretch(doc)
    doc.sentences = split_sentences(doc.norm, doc.hi)
    doc.trace.append(f"sentences: {len(doc.sentences)} in {len(doc.paragraphs)} paragraphs"
                     + (f" (read up to the paragraph after the last amount, char {doc.hi})"
                        if doc.hi < len(doc.norm) else ""))


def _stretch(doc: Doc) -> tuple[int, int]:
    """Only sentences with an amount are classified, and what classifying one reads lies in its
    paragraph (organisations, the subject of an earlier sentence), before it (sentence indexes,
    the periods a relative one resolves against) or anywhere (the main company, read from all
    organisations when asked for, see Coref). So the later passes need not read past the paragraph
    of the last amount, nor look for unknown organisations before the paragraph of the first.
    Both edges sit at a paragraph start after a blank line ("\\n\\n"), which no organisation
    candidate can span (see entities.find_orgs). A table is read whole: no stretch."""
    n = len(doc.norm)
    paras = doc.paragraphs
    if not doc.fast or not doc.money or _has_table(doc.norm):
        return 0, n
    starts = [ps for ps, _ in paras]

    def blank_before(i: int) -> bool:
        return doc.norm[paras[i][0] - 2:paras[i][0]] == "\n\n"

    i = bisect_right(starts, min(m.start for m in doc.money)) - 1
    while i > 0 and not blank_before(i):
        i -= 1
    j = bisect_right(starts, max(m.start for m in doc.money))
    while j < len(paras) and not blank_before(j):
        j += 1
    return (paras[i][0] if i > 0 else 0), (paras[j][0] if j < len(paras) else n)


_CLASSIFIER_AFTER = re.compile(zh.CLASSIFIERS)


def p_money(doc: Doc) -> None:
    found = find_money(doc.norm)
    kept = []
    for m in found:
        if not m.explicit_currency and not m.yuan_only and _CLASSIFIER_AFTER.match(doc.norm, m.end):
            continue  # 2,540 万股: a count, not money
        kept.append(m)
    doc.money = kept
    for m in kept:
        doc.trace.append(f"money {doc.text[m.start:m.end]!r}: {m.amount_min}..{m.amount_max} "
                         f"{m.currency or ('元?' if m.yuan_only else '?')} {m.qualifier}")


def p_currency_context(doc: Doc) -> None:
    """A bare 元 or a bare 亿 takes its currency from the amounts written before it."""
    doc_explicit = [m.currency for m in doc.money if m.explicit_currency]
    out = []
    for m in doc.money:
        if m.currency is None:
            para = next((p for p in doc.paragraphs if p[0] <= m.start < p[1]), (0, len(doc.norm)))
            prior = [x for x in out if x.explicit_currency and para[0] <= x.start < m.start]
            cur = None
            if m.yuan_only:
                yuan_like = [x.currency for x in prior if x.currency in ("CNY", "TWD", "HKD", "JPY")]
                if yuan_like:
                    cur = yuan_like[-1]
                elif doc.lang == "zh-Hans":
                    cur = "CNY"
                else:
                    counts = {c: doc_explicit.count(c) for c in ("TWD", "CNY", "HKD")}
                    best = max(counts, key=lambda c: counts[c])
                    cur = best if counts[best] else None
            elif prior:
                cur = prior[-1].currency
            if cur:
                m = m.with_currency(cur)
                doc.trace.append(f"currency of {doc.text[m.start:m.end]!r} from context: {cur}")
        out.append(m)
    doc.money = out


def p_orgs(doc: Doc) -> None:
    n = len(doc.norm)
    doc.orgs_whole = (doc.lo, doc.hi) == (0, n)
    orgs, shape_trace = _orgs_between(doc, doc.lo, doc.hi)
    if orgs is None:
        doc.orgs_whole = True
        orgs, shape_trace = _orgs(doc, 0, n)
    doc.trace.extend(shape_trace)
    doc.orgs = orgs
    for o in orgs:
        doc.trace.append(f"org {o.raw!r} -> {o.name}{'' if o.known else ' (unknown)'}")


def _all_orgs(doc: Doc):
    """The whole article's organisations, computed once when first asked for."""
    cache: list[list[Org]] = []

    def get() -> list[Org]:
        if doc.orgs_whole:
            return doc.orgs
        if not cache:
            cache.append(_orgs(doc, 0, len(doc.norm))[0])
        return cache[0]
    return get


def _orgs_between(doc: Doc, lo: int, hi: int) -> tuple[list[Org] | None, list[str]]:
    """The organisations the whole text gives that start in [lo, hi), or None when that cannot
    be told from a stretch around it.

    Read from one blank-line paragraph before `lo` to one after `hi`: whether the first
    organisation of [lo, hi) merges with a same-named one just across the blank line (the merge
    in _orgs) depends only on the organisation ending there, which the paragraph before gives
    exactly; likewise after `hi`, unless that paragraph's last organisation again ends at the
    blank line, or an alias (whose spaces may be line breaks) spans an edge."""
    n = len(doc.norm)
    if (lo, hi) == (0, n):
        return _orgs(doc, 0, n)
    starts = [ps for ps, _ in doc.paragraphs]
    i, j = bisect_right(starts, lo) - 1, bisect_right(starts, hi)   # lo, hi are paragraph starts
    clo, chi = (_blank_start(doc, i - 1, -1) if lo else 0), (_blank_start(doc, j, 1) if hi < n else n)
    orgs, shape_trace = _orgs(doc, clo, chi)
    if any(o.start < edge < o.end for o in orgs for edge in (lo, hi, clo, chi) if 0 < edge < n):
        return None, []
    if chi < n and any(o.end >= chi - 2 for o in orgs if o.start < chi):
        return None, []
    return [o for o in orgs if lo <= o.start < hi], shape_trace


def _blank_start(doc: Doc, i: int, step: int) -> int:
    """The start of paragraph i, or of the nearest one in direction `step` after a blank line;
    0 or len(text) past the ends."""
    paras = doc.paragraphs
    while 0 < i < len(paras) and doc.norm[paras[i][0] - 2:paras[i][0]] != "\n\n":
        i += step
    if i <= 0:
        return 0
    return paras[i][0] if i < len(paras) else len(doc.norm)


def _orgs(doc: Doc, lo: int, hi: int) -> tuple[list[Org], list[str]]:
    """Organisations starting in [lo, hi) (known aliases: everywhere, since they decide the
    short-name fix below), and the trace of the shape checks."""
    orgs, shape_trace = refine_orgs(doc.text, doc.norm, find_orgs(doc.text, doc.norm, lo, hi), lo, hi)
    # a short name for a company named in full elsewhere (Reflection -> Reflection AI)
    known = {o.name for o in orgs if o.known}
    fixed = []
    for o in orgs:
        if not o.known:
            longer = [k for k in known if k.startswith(o.raw + " ")]
            if len(longer) == 1:
                o = replace(o, name=longer[0], known=True,
                            company_type=load_aliases().company_type.get(longer[0]))
        fixed.append(o)
    # the same company written twice in a row (香港投资管理有限公司(港投公司)) is one mention
    merged: list[Org] = []
    for o in fixed:
        if merged and merged[-1].name == o.name and re.fullmatch(r"\s?[(]?\s?", doc.norm[merged[-1].end:o.start]):
            prev = merged[-1]
            end = o.end
            if doc.norm[end:end + 1] == ")":
                end += 1
            merged[-1] = replace(prev, end=end)
            continue
        merged.append(o)
    if (lo, hi) != (0, len(doc.norm)):
        # outside [lo, hi) only aliases were looked for: keep those that reach into it
        merged = [o for o in merged if lo <= o.start < hi or o.start < lo < o.end or o.start < hi < o.end]
    return merged, shape_trace


def p_periods(doc: Doc) -> None:
    doc.periods = find_periods(doc.norm, doc.published, doc.sentences, doc.hi)
    for p in doc.periods:
        doc.trace.append(f"period {doc.text[p.start:p.end]!r} -> {p.value}")


_DOC_CAPEX = re.compile(r"capital expenditure|capex|capital spending|资本支出|资本开支", re.I)
# The same without re.I, for the ASCII-lowercased text: several times faster (a case-insensitive
# pattern cannot skip ahead to its first letters). re.I also lets i match İ and ı, and s match ſ:
# a text holding one of those takes the slow path.
_DOC_CAPEX_LOWER = re.compile(_DOC_CAPEX.pattern)


def _doc_capex(norm: str) -> bool:
    if "İ" in norm or "ı" in norm or "ſ" in norm:
        return bool(_DOC_CAPEX.search(norm))
    return bool(_DOC_CAPEX_LOWER.search(ascii_lower(norm)))


def p_classify(doc: Doc) -> None:
    doc_capex = _doc_capex(doc.norm)
    has_table = _has_table(doc.norm)   # else no paragraph is a table row, and the table pass finds none
    table_rows = _table_rows(doc) if has_table else set()
    clf = Classifier(doc.text, doc.norm, doc.published, doc_capex)
    clf.coref = Coref(doc.norm, doc.sentences, doc.paragraphs, doc.orgs, _all_orgs(doc))
    # Only sentences with an amount are classified: file each amount under its sentence once
    # (sentences are sorted and disjoint) instead of scanning every amount for every sentence.
    by_sentence: dict[int, list[Money]] = {}
    sent_starts = [s for s, _ in doc.sentences]
    for m in doc.money:
        idx = bisect_right(sent_starts, m.start) - 1
        if idx >= 0 and m.start < doc.sentences[idx][1]:
            by_sentence.setdefault(idx, []).append(m)
    para_ends = [p[1] for p in doc.paragraphs]
    for idx in sorted(by_sentence):
        sent, money = doc.sentences[idx], by_sentence[idx]
        # the first paragraph not ending before the sentence (the last one at most)
        para_index = min(bisect_left(para_ends, sent[0]), max(len(para_ends) - 1, 0))
        if any(r[0] <= sent[0] < r[1] for r in table_rows):
            continue
        si = SentenceInput(
            idx, sent, para_index, money,
            [o for o in doc.orgs if sent[0] <= o.start < sent[1]],
            [p for p in doc.periods if sent[0] <= p.start < sent[1]],
        )
        trace: list[str] = []
        doc.drafts.extend(clf.sentence(si, trace))
        doc.trace.extend(f"s{idx}: {t}" for t in trace)
    if not has_table:
        return
    known = [(d.company.name, d.money.value, d.money.currency, 0.0) for d in doc.drafts
             if d.kind == "capex" and d.company is not None and d.money.currency]
    units = []
    for d in doc.drafts:
        if d.kind == "capex" and d.money.currency:
            unit = _printed_unit(doc, d.money)
            if unit:
                units.append((d.money.currency, unit))
    tables = find_table_capex(doc.norm, doc.paragraphs, doc.orgs, doc.published, known, units, doc_capex)
    for t in tables:
        d = Draft("capex", t.money, t.row, company=t.org, period=t.period, capex_kind=t.kind)
        d.trace.append("table row")
        doc.drafts.append(d)
        doc.trace.append(f"table row {doc.text[t.row[0]:t.row[1]]!r} -> {t.org.name} {t.period} {t.money.value}")


def _table_rows(doc: Doc) -> set[tuple[int, int]]:
    """Paragraphs that are table rows (a header row starting with Company/公司, and the rows
    under it that start with a company): the table pass reads them, not the sentence pass."""
    rows: set[tuple[int, int]] = set()
    for i, (ps, pe) in enumerate(doc.paragraphs):
        if _is_table_header(doc.norm, ps, pe):
            rows.add((ps, pe))
            for rs, re_ in doc.paragraphs[i + 1:]:
                if not any(o.start == rs for o in doc.orgs):
                    break
                rows.add((rs, re_))
    return rows


TABLE_HEADS = frozenset(("company", "companies", "公司", "企业", "厂商"))
# The first characters of the header words (only C and c lowercase to c): a paragraph (a run of
# non-newline characters, as sentences.paragraphs) starting with none of them is no header.
_HEAD_FIRST = frozenset("cC公企厂")
_HEAD_CANDIDATE = re.compile(r"\n[cC公企厂]")


def _has_table(norm: str) -> bool:
    """Whether some paragraph is a table header (see _is_table_header)."""
    starts = [0] if norm[:1] in _HEAD_FIRST else []
    starts.extend(m.start() + 1 for m in _HEAD_CANDIDATE.finditer(norm))
    for ps in starts:
        pe = norm.find("\n", ps)
        if _is_table_header(norm, ps, len(norm) if pe < 0 else pe):
            return True
    return False


def _is_table_header(norm: str, ps: int, pe: int) -> bool:
    """The paragraph's first word (up to the first space) is a table header's: the test
    `norm[ps:pe].split(" ")[0].lower() in TABLE_HEADS` of tables.py, without splitting the whole
    paragraph."""
    sp = norm.find(" ", ps, pe)
    return norm[ps:pe if sp < 0 else sp].lower() in TABLE_HEADS


def _printed_unit(doc: Doc, m: Money) -> float | None:
    nums = re.findall(r"\d[\d,]*(?:\.\d+)?", doc.norm[m.num_start:m.end])
    if not nums or not m.value:
        return None
    n = float(nums[-1].replace(",", ""))
    if not n:
        return None
    ratio = m.value / n
    for scale in (1e6, 1e8, 1e9, 1e12):
        if abs(ratio - scale) <= 0.02 * scale:
            return scale
    return None


def _round(x: float | None) -> float | None:
    """52.1 * 1e9 is 52100000000.000004 in floating point; amounts are whole units."""
    return float(round(x)) if x is not None and x >= 1000 else x


def _evidence(doc: Doc, span: tuple[int, int]) -> Evidence:
    return Evidence(doc.text[span[0]:span[1]], span[0], span[1])


def p_facts(doc: Doc) -> None:
    facts: list[Fact] = []
    for d in doc.drafts:
        m = d.money
        amin, amax = _round(m.amount_min), _round(m.amount_max)
        qual = m.qualifier
        usd_min, usd_max = m.usd_min, m.usd_max
        if d.amount_max_override is not None:
            amax, qual = d.amount_max_override, "range"
            if m.currency == "USD":
                usd_max = amax
        if d.kind == "deal":
            facts.append(DealMention(
                investor_raw=d.investor.raw if d.investor else None,
                investor=d.investor.name if d.investor else None,
                target_raw=d.target.raw if d.target else None,
                target=d.target.name if d.target else None,
                amount_min=amin, amount_max=amax, currency=m.currency, qualifier=qual,  # type: ignore[arg-type]
                amount_usd_min=usd_min, amount_usd_max=usd_max,
                valuation=d.valuation.value if d.valuation else None,
                valuation_currency=d.valuation.currency if d.valuation else None,
                status=d.status, deal_type=d.deal_type, aggregate=d.aggregate,
                evidence=_evidence(doc, d.sent)))
        else:
            facts.append(CapexMention(
                company_raw=d.company.raw if d.company else None,
                company=d.company.name if d.company else None,
                period=d.period, capex_kind=d.capex_kind,
                amount_min=amin, amount_max=amax, currency=m.currency, qualifier=qual,  # type: ignore[arg-type]
                amount_usd_min=usd_min, amount_usd_max=usd_max, aggregate=d.aggregate,
                evidence=_evidence(doc, d.sent)))
    doc.facts = facts


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 0.02 * max(abs(a), abs(b))


def _same_fact(a: Fact, b: Fact) -> bool:
    if a.kind != b.kind or a.currency != b.currency:
        return False
    amounts_a = [x for x in (a.amount_min, a.amount_max) if x is not None]
    amounts_b = [x for x in (b.amount_min, b.amount_max) if x is not None]
    if not any(_close(x, y) for x in amounts_a for y in amounts_b):
        return False
    if isinstance(a, CapexMention) and isinstance(b, CapexMention):
        return a.company == b.company and (a.period or "").removeprefix("FY") == (b.period or "").removeprefix("FY")
    assert isinstance(a, DealMention) and isinstance(b, DealMention)
    return a.target == b.target and a.investor == b.investor


def p_dedupe(doc: Doc) -> None:
    """The same figure said twice (a sentence and a table row, a recap) is one fact."""
    out: list[Fact] = []
    for f in doc.facts:
        dup = next((g for g in out if _same_fact(f, g)), None)
        if dup is not None:
            doc.trace.append(f"dedupe: {f.evidence.sentence[:60]!r} repeats an earlier fact")
            if isinstance(f, DealMention) and isinstance(dup, DealMention) and dup.investor is None and f.investor:
                out[out.index(dup)] = replace(dup, investor=f.investor, investor_raw=f.investor_raw)
            continue
        out.append(f)
    doc.facts = out


# Amounts come first: without one, and without a table a row of which could state one, no pass
# after them can produce a fact, so run() stops there (most pages of a news feed name no amount).
PASSES = (p_normalise, p_money, p_sentences, p_orgs, p_currency_context, p_periods, p_classify,
          p_facts, p_dedupe)


def _nothing_to_extract(doc: Doc) -> bool:
    return not doc.money and not _has_table(doc.norm)


def run(text: str, published: dt.date | None = None, lang: str | None = None, fast: bool = False) -> Doc:
    """Every pass over the whole text: doc.sentences, orgs and periods describe all of it.

    With `fast` (what extract_facts does), the same facts for less work: the passes after the
    money pass are skipped when there is nothing to extract, and otherwise read only the stretch
    the amounts need (see _stretch); doc.sentences, orgs and periods then cover only that
    stretch, and the trace leaves out what was not read."""
    if isinstance(published, dt.datetime):
        published = published.date()
    doc = Doc(text=text, lang=lang or detect_lang(text), published=published, fast=fast)
    for p in PASSES:
        p(doc)
        if fast and p is p_money and _nothing_to_extract(doc):
            doc.trace.append("no amount and no table: later passes skipped")
            break
    return doc


def extract_facts(text: str, published: dt.date | None = None, lang: str | None = None) -> list[Fact]:
    return run(text, published, lang, fast=True).facts


def extract_rows(rows: list[tuple]) -> list[tuple[str, str, list[Fact]]]:
    """(article_id, content_sha256, body_text, published_at, lang) rows -> (article_id, content_sha256,
    facts): the unit of work handed to an extraction worker process (this module imports no Dagster,
    so a spawned worker starts quickly)."""
    return [(article_id, sha, extract_facts(body, published_at.date() if published_at else None, lang))
            for article_id, sha, body, published_at, lang in rows]
