"""The extractor as a pipeline of small passes over one Doc.

normalise -> sentences -> money -> organisations -> periods -> tables -> classify/roles ->
currency context -> facts -> dedupe. Every pass appends to doc.trace, which
`dealwire extract --explain` prints.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from ingest.records import CapexMention, DealMention, Evidence

from . import lexicon_zh as zh
from .classify import Classifier, Draft, SentenceInput
from .coref import Coref
from .entities import Org, find_orgs, load_aliases
from .money import Money, find_money
from .normalize import SIMPLIFIED_ONLY, TRADITIONAL_ONLY, shadow
from .orgshape import refine_orgs
from .periods import Period, find_periods
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


def detect_lang(text: str) -> str:
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if cjk == 0 or cjk * 3 < latin * 0.5:
        return "en"
    trad = sum(1 for ch in text if ch in TRADITIONAL_ONLY)
    simp = sum(1 for ch in text if ch in SIMPLIFIED_ONLY)
    return "zh-Hant" if trad > simp else "zh-Hans"


# ---- passes ------------------------------------------------------------------------------------

def p_normalise(doc: Doc) -> None:
    doc.norm = shadow(doc.text)


def p_sentences(doc: Doc) -> None:
    doc.sentences = split_sentences(doc.norm)
    doc.paragraphs = paragraphs(doc.norm)
    doc.trace.append(f"sentences: {len(doc.sentences)} in {len(doc.paragraphs)} paragraphs")


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
    orgs, shape_trace = refine_orgs(doc.text, doc.norm, find_orgs(doc.text, doc.norm))
    doc.trace.extend(shape_trace)
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
    doc.orgs = merged
    for o in merged:
        doc.trace.append(f"org {o.raw!r} -> {o.name}{'' if o.known else ' (unknown)'}")


def p_periods(doc: Doc) -> None:
    doc.periods = find_periods(doc.norm, doc.published, doc.sentences)
    for p in doc.periods:
        doc.trace.append(f"period {doc.text[p.start:p.end]!r} -> {p.value}")


def p_classify(doc: Doc) -> None:
    doc_capex = bool(re.search(r"capital expenditure|capex|capital spending|资本支出|资本开支", doc.norm, re.I))
    table_rows = _table_rows(doc)
    clf = Classifier(doc.text, doc.norm, doc.published, doc_capex)
    clf.coref = Coref(doc.norm, doc.sentences, doc.paragraphs, doc.orgs)
    para_index = 0
    for idx, sent in enumerate(doc.sentences):
        while para_index + 1 < len(doc.paragraphs) and doc.paragraphs[para_index][1] < sent[0]:
            para_index += 1
        # Only sentences with an amount are classified: look for one before gathering the rest.
        money = [m for m in doc.money if sent[0] <= m.start < sent[1]]
        if not money or any(r[0] <= sent[0] < r[1] for r in table_rows):
            continue
        si = SentenceInput(
            idx, sent, para_index, money,
            [o for o in doc.orgs if sent[0] <= o.start < sent[1]],
            [p for p in doc.periods if sent[0] <= p.start < sent[1]],
        )
        trace: list[str] = []
        doc.drafts.extend(clf.sentence(si, trace))
        doc.trace.extend(f"s{idx}: {t}" for t in trace)
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
        first = doc.norm[ps:pe].split(" ")[0].lower()
        if first in ("company", "companies", "公司", "企业", "厂商"):
            rows.add((ps, pe))
            for rs, re_ in doc.paragraphs[i + 1:]:
                if not any(o.start == rs for o in doc.orgs):
                    break
                rows.add((rs, re_))
    return rows


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


PASSES = (p_normalise, p_sentences, p_money, p_orgs, p_currency_context, p_periods, p_classify,
          p_facts, p_dedupe)


def run(text: str, published: dt.date | None = None, lang: str | None = None) -> Doc:
    if isinstance(published, dt.datetime):
        published = published.date()
    doc = Doc(text=text, lang=lang or detect_lang(text), published=published)
    for p in PASSES:
        p(doc)
    return doc


def extract_facts(text: str, published: dt.date | None = None, lang: str | None = None) -> list[Fact]:
    return run(text, published, lang).facts


def extract_rows(rows: list[tuple]) -> list[tuple[str, str, list[Fact]]]:
    """(article_id, content_sha256, body_text, published_at, lang) rows -> (article_id, content_sha256,
    facts): the unit of work handed to an extraction worker process (this module imports no Dagster,
    so a spawned worker starts quickly)."""
    return [(article_id, sha, extract_facts(body, published_at.date() if published_at else None, lang))
            for article_id, sha, body, published_at, lang in rows]
