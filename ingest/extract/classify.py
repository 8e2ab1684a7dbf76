"""Pass 6: what each amount is (deal, capex, valuation, or not a fact) and who plays which role.

The decision for one amount is local: the nearest cue word in its clause says what kind of
number it is ("capital expenditure of $X", "X 亿美元的投资", "revenue of $X"); the company
spans around it, and the small words before them (invest ... in, 向, 由 ... 领投, from, with),
say who invests and who receives. What one sentence leaves open (a pronoun, "the pair", a
contribution to "the round") is filled from the article's recent facts (the Discourse).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lexicon_en as en
from . import lexicon_zh as zh
from .coref import Coref
from .entities import Org
from .money import Money
from .periods import Period
from .sentences import clause_bounds

I = re.I


def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


# ---- cues --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    cat: str      # neg | val | worth | capex | capex_weak | deal | cmp | diff
    sub: str = ""  # deal type for deal cues

_CUE_TABLE: list[tuple[str, str, re.Pattern[str]]] = []
for _cat, _en, _zh in (("neg", en.NEG, zh.NEG), ("val", en.VAL, zh.VAL),
                       ("capex", en.CAPEX, zh.CAPEX), ("capex_weak", en.CAPEX_WEAK, zh.CAPEX_WEAK),
                       ("cmp", en.CMP, zh.CMP), ("diff", r"(?!x)x", zh.DIFF)):
    _CUE_TABLE.append((_cat, "", _rx(_en, I)))
    _CUE_TABLE.append((_cat, "", _rx(_zh)))
_CUE_TABLE.append(("worth", "", _rx(en.WORTH, I)))
for _t, _p in en.DEAL.items():
    _CUE_TABLE.append(("deal", _t, _rx(_p, I)))
for _t, _p in zh.DEAL.items():
    _CUE_TABLE.append(("deal", _t, _rx(_p)))

_HYPO = [_rx(en.HYPOTHETICAL, I), _rx(zh.HYPOTHETICAL)]
_STATUS = [(k, _rx(en.STATUS[k], I), _rx(zh.STATUS[k]))
           for k in ("cancelled", "talks", "pledged", "completed", "announced")]
_GUIDANCE = [_rx(en.GUIDANCE, I), _rx(zh.GUIDANCE)]
_FACILITY = [_rx(en.FACILITY), _rx(zh.FACILITY)]
_AGG_GROUP = _rx(f"{en.AGG_GROUP}|{zh.AGG_GROUP}", I)
_AGG_SUM = _rx(f"{en.AGG_SUM}|{zh.AGG_SUM}", I)
_RESPECTIVELY = [_rx(en.RESPECTIVELY, I), _rx(zh.RESPECTIVELY)]
_PAIR = [_rx(en.PAIR, I), _rx(zh.PAIR)]
_WORTH_DEAL = _rx(en.WORTH_DEAL, I)
_EXTEND = _rx(f"{en.EXTEND}|{zh.EXTEND}", I)
_SEGMENT = re.compile(r"[;；:：]")
_PLAN_WORDS = _rx(f"{en.PLAN_WORDS}|{zh.PLAN_WORDS}", I)
_ACTUAL_WORDS = _rx(f"{en.ACTUAL_WORDS}|{zh.ACTUAL_WORDS}", I)
_FUTURE = _rx(f"{en.FUTURE}|{zh.FUTURE}", I)
_SUPPLIERS = {"hyperscaler", "chipmaker", "other"}  # company types that sell compute
_CMP_BEFORE = _rx(f"{en.CMP_BEFORE}|{zh.CMP_BEFORE}", I)
_ANAPHORIC = [_rx(en.ANAPHORIC, I), _rx(zh.ANAPHORIC)]
_SUPERSEDED_BEFORE = [_rx(en.SUPERSEDED_BEFORE, I), _rx(zh.SUPERSEDED_BEFORE)]


def find_cues(norm: str, s: int, e: int) -> list[Cue]:
    out = []
    for cat, sub, rx in _CUE_TABLE:
        for m in rx.finditer(norm, s, e):
            out.append(Cue(m.start(), m.end(), cat, sub))
    return out


_MODAL_BEFORE = _rx(r"\b(?:could|would|might)\s+(?:\w+\s+){0,1}(?:reach|cost|rise\sto|climb\sto|top|hit|exceed|"
                    r"balloon\sto|grow\sto)\s+(?:\w+\s+){0,2}$|\bwould\s+cost\b[^.]{0,20}$", I)
_IF_AFTER = _rx(r"\b(?:if|unless|provided|assuming)\b", I)


def is_hypothetical(norm: str, sent: tuple[int, int], pos: int) -> bool:
    s, e = sent
    for rx in _HYPO:
        m = rx.search(norm, s, e)
        if m and m.start() < pos:
            return True
    # "could reach $X if ...", "would cost $X": a conditional estimate, not a fact
    modal = _MODAL_BEFORE.search(norm[max(s, pos - 40):pos])
    if modal and ("cost" in modal.group().lower() or _IF_AFTER.search(norm, pos, e)):
        return True
    return False


def nearest_cue(m: Money, cues: list[Cue], clause: tuple[int, int], cjk: bool) -> Cue | None:
    """The cue that governs amount `m`: the closest one in its clause, left or (close) right."""
    best: tuple[float, int, Cue] | None = None
    for c in cues:
        if c.cat == "diff":
            if 0 <= m.num_start - c.end <= 3 and c.start >= clause[0]:
                return c
            continue
        if c.end <= m.start and c.start >= clause[0]:
            d = m.start - c.end
        elif c.start >= m.end and c.end <= clause[1]:
            d = c.start - m.end
            limit = 7 if cjk else 24
            if d > limit or c.cat in ("cmp", "capex_weak"):
                continue
            d += 0.5
        else:
            continue
        key = (d, -(c.end - c.start))
        if best is None or key < best[:2]:
            best = (key[0], key[1], c)
    return best[2] if best else None


def nearest_left_cue(m: Money, cues: list[Cue], lo: int, skip: tuple[str, ...]) -> Cue | None:
    cands = [c for c in cues if c.end <= m.start and c.start >= lo and c.cat not in skip]
    return max(cands, key=lambda c: (c.end, c.end - c.start)) if cands else None


# ---- facts under construction --------------------------------------------------------------------

@dataclass
class Draft:
    kind: str                      # deal | capex
    money: Money
    sent: tuple[int, int]
    investor: Org | None = None
    target: Org | None = None
    company: Org | None = None
    period: str | None = None
    deal_type: str | None = None
    status: str | None = None
    capex_kind: str | None = None
    aggregate: bool = False
    valuation: Money | None = None
    amount_max_override: float | None = None
    sent_index: int = -1
    trace: list[str] = field(default_factory=list)

    def parties(self) -> tuple[str | None, str | None]:
        return (self.investor.name if self.investor else None,
                self.target.name if self.target else None)


@dataclass
class Discourse:
    """What earlier sentences of the article established."""
    last_deal: Draft | None = None
    last_capex: Draft | None = None
    deals: list[Draft] = field(default_factory=list)
    recent_capex_sentences: list[int] = field(default_factory=list)  # sentence indexes


# ---- role helpers ------------------------------------------------------------------------------

_T_PRE_EN = _rx(en.TARGET_BEFORE)
_T_FROM_EN = _rx(en.SELLER_BEFORE, I)
_T_ON_EN = _rx(en.OWNER_BEFORE, I)
_POSS_OBJECT = _rx(en.POSSESSIVE_OBJECT, I)
_T_PRE_ZH = _rx(zh.TARGET_BEFORE)
_T_COUNTERPART_ZH = _rx(zh.COUNTERPART_BEFORE)
_T_POST_ZH = _rx(zh.TARGET_AFTER)
_T_POST_ZH_TALK = _rx(zh.TALK_AFTER)
_I_PRE_EN = _rx(en.INVESTOR_BEFORE, I)
_I_PRE_ZH = _rx(zh.INVESTOR_BEFORE)
_I_POST_ZH = _rx(zh.INVESTOR_AFTER)
_NOT_SUBJECT_POST = _rx(f"{en.NOT_SUBJECT_AFTER}|{zh.NOT_SUBJECT_AFTER}")
_UNIT_OF = _rx(en.UNIT_OF)
_COORD = _rx(f"{en.COORD}|{zh.COORD}", I)
_PRONOUN_START = _rx(f"{en.PRONOUN_START}|{zh.PRONOUN_START}", I)
_BACKERS_OF = _rx(en.BACKERS_OF, I)
_PROJECT_AFTER = _rx(f"{en.PROJECT_AFTER}|{zh.PROJECT_AFTER}", I)
_RELATIVE = _rx(en.RELATIVE, I)
_LIST_GAP = _rx(f"(?:{en.LIST_GAP}|{zh.LIST_GAP})", I)
_PARTICIPATION = _rx(f"{en.PARTICIPATION}|{zh.PARTICIPATION}", I)
_RAISE_WORDS = _rx(f"{en.RAISE_WORDS}|{zh.RAISE_WORDS}", I)
_CONTRIBUTION = _rx(f"{en.CONTRIBUTION}|{zh.CONTRIBUTION}", I)
_JV_WORDS = _rx(f"{en.JV_WORDS}|{zh.JV_WORDS}", I)
_PROJECT_WORDS = _rx(f"{en.PROJECT_WORDS}|{zh.PROJECT_WORDS}", I)
_SPEND_VERBS = _rx(f"{en.SPEND_VERBS}|{zh.SPEND_VERBS}", I)
_STOCK_WORDS = _rx(f"{en.STOCK_WORDS}|{zh.STOCK_WORDS}", I)
_FIGURE_ANAPHOR = _rx(f"{en.FIGURE_ANAPHOR}|{zh.FIGURE_ANAPHOR}", I)
_BUY_BEFORE = _rx(en.BUY_BEFORE, I)
_BUY_VERB = _rx(en.BUY_VERB, I)
_STAKE_WORDS = _rx(en.STAKE_WORDS, I)
_RAISE_HINT = _rx(zh.RAISE_HINT)
_DEADLINE_AFTER = _rx(zh.DEADLINE_AFTER)
_DEADLINE_BEFORE = _rx(zh.DEADLINE_BEFORE)


def _pre(norm: str, o: Org, lo: int) -> str:
    return norm[max(lo, o.start - 60):o.start]


def _post(norm: str, o: Org) -> str:
    return norm[o.end:o.end + 24]


def _is_target_marked(norm: str, o: Org, lo: int, dtype: str) -> bool:
    pre, post = _pre(norm, o, lo), _post(norm, o)
    if _T_PRE_EN.search(pre) or _T_PRE_ZH.search(pre):
        # 与 X: a counterpart only when talks or a signature follow
        if _T_COUNTERPART_ZH.search(pre) and not _T_POST_ZH_TALK.match(post):
            return False
        return True
    if dtype == "contract" and _T_FROM_EN.search(pre):
        return True
    if _T_ON_EN.search(pre) and _POSS_OBJECT.match(post):
        return True
    if _T_POST_ZH.match(post):
        return True
    if dtype in ("contract", "acquisition") and _POSS_OBJECT.match(post) and _BUY_VERB.search(pre):
        return True
    return False


def _is_investor_marked(norm: str, o: Org, lo: int, dtype: str) -> bool:
    pre, post = _pre(norm, o, lo), _post(norm, o)
    if _I_PRE_EN.search(pre):
        if pre.rstrip().lower().endswith("from") and dtype == "contract":
            return False
        return True
    if _I_PRE_ZH.search(pre) and _I_POST_ZH.match(post):
        return True
    if _I_POST_ZH.match(post):
        return True
    return False


def _can_be_subject(norm: str, o: Org, lo: int) -> bool:
    if _NOT_SUBJECT_POST.match(_post(norm, o)):
        return False
    if _UNIT_OF.search(_pre(norm, o, lo)):
        return False
    return True


def _segment_start(norm: str, sent: tuple[int, int], pos: int) -> int:
    lo = sent[0]
    for m in _SEGMENT.finditer(norm, sent[0], pos):
        lo = m.end()
    return lo


def _status(text: str) -> str | None:
    for name, rx_en, rx_zh in _STATUS:
        if rx_en.search(text) or rx_zh.search(text):
            return name
    return None


def _run_length(norm: str, orgs: list[Org], member: Org) -> int:
    """How many companies are listed together with `member` (A, B and C): a figure whose
    counterpart is such a list covers several companies, an aggregate."""
    runs: list[list[Org]] = []
    for o in orgs:
        if runs and _LIST_GAP.fullmatch(norm[runs[-1][-1].end:o.start]):
            runs[-1].append(o)
        else:
            runs.append([o])
    return next((len(r) for r in runs if member in r), 0)


def _co_investors(norm: str, orgs: list[Org], o: Org) -> bool:
    """X is joined to another company by 与/和/and (a subject group), so not a target."""
    for other in orgs:
        if other is o:
            continue
        gap = norm[other.end:o.start] if other.end <= o.start else norm[o.end:other.start]
        if _COORD.match(gap):
            return True
    return False


# ---- the classifier ------------------------------------------------------------------------------

@dataclass
class SentenceInput:
    index: int
    sent: tuple[int, int]
    paragraph: int
    money: list[Money]
    orgs: list[Org]
    periods: list[Period]


class Classifier:
    def __init__(self, text: str, norm: str, published, doc_capex: bool):
        self.text = text
        self.norm = norm
        self.published = published
        self.doc_capex = doc_capex
        self.disc = Discourse()
        self.coref: Coref | None = None   # set by the pipeline: who "the company" / 公司 is

    def _antecedent(self, si: SentenceInput, d: Draft | None = None) -> Org | None:
        ante = self.coref.antecedent(si.index) if self.coref is not None else None
        if ante is not None and d is not None:
            d.trace.append(f"anaphor -> {ante.raw}")
        return ante

    # -- entry ---------------------------------------------------------------------------
    def sentence(self, si: SentenceInput, trace: list[str]) -> list[Draft]:
        norm, sent = self.norm, si.sent
        cjk = bool(re.search(r"[\u4e00-\u9fff]", norm[sent[0]:sent[1]]))
        cues = find_cues(norm, *sent)
        has_capex_here = any(c.cat == "capex" for c in cues)
        if has_capex_here:
            self.disc.recent_capex_sentences.append(si.index)
        capex_ctx = has_capex_here or any(si.index - i <= 2 for i in self.disc.recent_capex_sentences)
        drafts: list[Draft] = []
        valuations: list[Money] = []
        respectively = self._respectively(si, cues, cjk)
        prev_cat: str | None = None
        for m in si.money:
            label = f"money {self.text[m.start:m.end]!r}"
            if is_hypothetical(norm, sent, m.start):
                trace.append(f"{label}: skipped, hypothetical")
                continue
            if any(r.search(norm[max(sent[0], m.start - 6):m.start]) for r in _ANAPHORIC):
                trace.append(f"{label}: skipped, restates an earlier figure")
                continue
            if any(r.search(norm[max(sent[0], m.start - 40):m.start]) for r in _SUPERSEDED_BEFORE):
                trace.append(f"{label}: skipped, a superseded figure")
                continue
            clause = clause_bounds(norm, sent, m.num_start)
            cue = nearest_cue(m, cues, clause, cjk)
            cat, sub = (cue.cat, cue.sub) if cue else (None, "")
            if cat == "worth":
                cat, sub = ("deal", "equity") if _WORTH_DEAL.search(norm, clause[0], m.start) else ("neg", "")
            if cat is None:
                lc = nearest_left_cue(m, cues, sent[0], ("cmp", "diff", "worth"))
                if lc is not None and lc.cat in ("capex", "capex_weak", "deal", "neg", "val"):
                    cat, sub = lc.cat, lc.sub
            if cat == "cmp":
                if drafts:
                    cat = "inherit"
                elif prev_cat in ("neg", "val"):
                    cat = prev_cat
                else:
                    lc = nearest_left_cue(m, cues, sent[0], ("cmp", "diff", "worth"))
                    if lc is not None:
                        cat, sub = lc.cat, lc.sub
                    elif _FIGURE_ANAPHOR.match(norm, sent[0]) \
                            and self.disc.last_capex is not None:
                        cat = "inherit_prev"
                    else:
                        cat = None
            if cat in (None, "neg", "diff", "val"):
                if cat == "val":
                    valuations.append(m)
                prev_cat = cat
                trace.append(f"{label}: {cat or 'no cue'}" + (f" ({self.text[cue.start:cue.end]!r})" if cue else ""))
                continue
            prev_cat = cat
            if m.currency is None:
                trace.append(f"{label}: skipped, no currency")
                continue
            d: Draft | None = None
            if cat == "inherit" and drafts:
                d = self._inherit(drafts[-1], m, si, clause)
            elif cat == "inherit_prev":
                d = self._capex(m, si, clause, cues, base=self.disc.last_capex)
            elif cat == "capex":
                d = self._capex(m, si, clause, cues)
            elif cat == "capex_weak":
                if capex_ctx or self.doc_capex and has_capex_here or any(
                        r.search(norm, clause[0], clause[1]) for r in _FACILITY):
                    d = self._capex(m, si, clause, cues)
            elif cat == "deal":
                if respectively and m in respectively:
                    d = self._deal(m, si, clause, cues, sub, drafts=drafts, forced_investor=respectively[m])
                else:
                    d = self._deal(m, si, clause, cues, sub, drafts=drafts, capex_ctx=capex_ctx)
            if d is None:
                trace.append(f"{label}: {cat}, roles not found")
                continue
            if d.kind == "deal" and drafts and _EXTEND.search(norm, clause[0], m.start):
                prev = drafts[-1]
                if prev.kind == "deal" and prev.parties() == d.parties():
                    prev.amount_max_override = m.value
                    trace.append(f"{label}: extends the previous deal's upper bound")
                    continue
            d.trace.append(f"cue={self.text[cue.start:cue.end]!r}" if cue else "cue=inherited")
            drafts.append(d)
            trace.append(f"{label}: {d.kind} " + "; ".join(d.trace))
        # valuations attach to the deals of the sentence, or of the previous sentence
        if valuations:
            targets = [d for d in drafts if d.kind == "deal"] or [
                d for d in self.disc.deals if d.sent[1] <= sent[0] and si.index - d.sent_index <= 1]
            for d in targets:
                if d.valuation is None:
                    d.valuation = valuations[0]
        for d in drafts:
            d.sent_index = si.index
            if d.kind == "deal":
                self.disc.last_deal = d
                self.disc.deals.append(d)
            else:
                self.disc.last_capex = d
        return drafts

    # -- respectively ----------------------------------------------------------------------
    def _respectively(self, si: SentenceInput, cues: list[Cue], cjk: bool) -> dict[Money, Org]:
        norm = self.norm
        rx = None
        for r in _RESPECTIVELY:
            rx = r.search(norm, *si.sent) or rx
        if rx is None:
            return {}
        moneys = [m for m in si.money if m.currency is not None or m.explicit_currency]
        if cjk:
            moneys = [m for m in moneys if m.start > rx.start()]
            orgs = [o for o in si.orgs if o.end <= rx.start()]
        else:
            seg = _segment_start(norm, si.sent, rx.start())
            moneys = [m for m in moneys if seg <= m.start and m.end <= rx.start() + 1]
            first = moneys[0].start if moneys else rx.start()
            orgs = [o for o in si.orgs if seg <= o.start and o.end <= first]
        orgs = [o for o in orgs if not _UNIT_OF.search(_pre(norm, o, si.sent[0]))]
        # the run of companies joined by commas / 和 / and right before
        run: list[Org] = []
        for o in reversed(orgs):
            if run:
                gap = norm[o.end:run[0].start]
                if not _LIST_GAP.fullmatch(gap):
                    break
            run.insert(0, o)
        if len(moneys) < 2 or len(run) != len(moneys):
            return {}
        return dict(zip(moneys, run))

    # -- deals -------------------------------------------------------------------------------
    def _deal(self, m: Money, si: SentenceInput, clause: tuple[int, int], cues: list[Cue],
              dtype: str, drafts: list[Draft] | None = None, forced_investor: Org | None = None,
              capex_ctx: bool = False) -> Draft | None:
        norm = self.norm
        seg_lo = _segment_start(norm, si.sent, m.start)
        orgs = [o for o in si.orgs if o.start >= seg_lo]
        all_orgs = si.orgs
        d = Draft("deal", m, si.sent)
        d.deal_type = dtype
        ctx_text = norm[seg_lo:si.sent[1]]
        if _STOCK_WORDS.search(norm, m.end, m.end + 40) and dtype in ("acquisition", "contract"):
            d.deal_type = "equity"
        if _JV_WORDS.search(ctx_text):
            d.deal_type = "joint_venture"
        # target
        target = None
        for o in orgs:
            if o is forced_investor or (o.start > m.end and o.start >= clause[1]):
                continue
            if _is_target_marked(norm, o, seg_lo, dtype):
                if o.start > m.end and target is not None:
                    continue
                target = o
                if o.start > m.start:
                    break
        investor = forced_investor
        if investor is None:
            for o in orgs:
                if o is not target and _is_investor_marked(norm, o, seg_lo, dtype) and (
                        target is None or o.name != target.name):
                    investor = o
                    break
        paren = norm.rfind("(", si.sent[0], m.start)
        paren_owner = False
        if investor is None and paren > norm.rfind(")", si.sent[0], m.start):
            # 英伟达(拟投资至多1000亿美元): the amount belongs to the company before the bracket
            owner = [o for o in all_orgs if o.end <= paren and paren - o.end <= 1]
            if owner and (target is None or owner[-1].name != target.name):
                investor = owner[-1]
                paren_owner = True
                if target is not None and target.start < paren:
                    target = None
        rel = _RELATIVE.match(norm, clause[0]) if clause[0] > si.sent[0] else None
        if investor is None and rel:
            before = [o for o in all_orgs if o.end <= clause[0]]
            if before:
                investor = before[-1]
        # an org inside this clause, before the amount, with no marker: the one who pays
        prev_deal = next((x for x in reversed(drafts or []) if x.kind == "deal"), None)
        in_clause = [o for o in orgs if clause[0] <= o.start < m.start and o is not target
                     and _can_be_subject(norm, o, seg_lo)]
        if dtype == "funding_round" and _PARTICIPATION.search(norm, clause[0], m.start):
            dtype = d.deal_type = "equity"
        raise_type = dtype in ("funding_round", "fund")
        if raise_type and target is not None and investor is None:
            subj = [o for o in orgs if o.start < target.start and o.name != target.name
                    and _can_be_subject(norm, o, seg_lo)]
            if subj:
                investor = subj[0]
        if raise_type and target is None:
            cue_pos = m.start
            cands = [o for o in orgs if o.start < cue_pos and o is not investor
                     and _can_be_subject(norm, o, seg_lo) and not _is_investor_marked(norm, o, seg_lo, dtype)]
            near = [o for o in cands if o.start >= clause[0]]
            if near:
                target = near[-1]
            elif cands:
                target = cands[0]
            elif prev_deal is not None:
                target = prev_deal.target
            elif (ante := self._antecedent(si, d)) is not None:
                target = ante
            elif _PRONOUN_START.match(norm[si.sent[0]:si.sent[0] + 20]) or _RAISE_HINT.search(ctx_text):
                target = self._recent_target(si)
        if investor is None and not raise_type and drafts:
            last_m = drafts[-1].money
            between = [o for o in orgs if last_m.end <= o.start < m.start
                       and not _is_target_marked(norm, o, seg_lo, dtype)
                       and (target is None or o.name != target.name)]
            if between:
                investor = between[-1]
        if investor is None and not raise_type:
            in_clause = [o for o in in_clause if target is None or o.name != target.name]
            if in_clause and (prev_deal is not None or not _is_target_marked(norm, in_clause[0], seg_lo, dtype)):
                investor = in_clause[0]
            else:
                subj = [o for o in orgs if o is not target and (target is None or o.name != target.name)
                        and o.start < max(m.start, target.start if target else 0)
                        and _can_be_subject(norm, o, seg_lo)
                        and not _is_target_marked(norm, o, seg_lo, dtype)]
                if subj:
                    investor = subj[0]
                elif prev_deal is not None:
                    investor = prev_deal.investor
                elif _PRONOUN_START.match(norm[seg_lo:seg_lo + 20].strip()) and self.disc.last_deal:
                    investor = self.disc.last_deal.investor
        if target is None and prev_deal is not None and not raise_type:
            target = prev_deal.target
        # "the pair" / 双方: the parties of the previous deal
        if target is None and investor is None and any(r.search(norm, *si.sent) for r in _PAIR):
            last = self.disc.last_deal
            if last and last.investor and last.target:
                a, b = last.investor, last.target
                if dtype == "contract":
                    supplier = _SUPPLIERS
                    if a.company_type in supplier and b.company_type == "ai_lab":
                        a, b = b, a
                    elif not (b.company_type in supplier and a.company_type == "ai_lab"):
                        a, b = b, a
                investor, target = a, b
                d.trace.append("parties from the previous deal")
        if target is None:
            for o in orgs:
                if _BACKERS_OF.match(_post(norm, o)):
                    target = o
                    break
        if target is None and investor is not None and dtype == "contract":
            named = [o for o in orgs if o.start < m.start and o.name != investor.name]
            if named:
                target = named[0]
        if target is None:
            target, as_capex = self._fallback_target(d, m, si, clause, cues, seg_lo, investor, raise_type,
                                                     paren_owner, capex_ctx)
            if as_capex is not None:
                return as_capex
        if target is None:
            return None
        self._finish_deal(d, m, si, clause, seg_lo, investor, target, forced_investor)
        d.trace.append(f"investor={d.investor.raw if d.investor else None} target={d.target.raw if d.target else None}")
        return d

    def _finish_deal(self, d: Draft, m: Money, si: SentenceInput, clause: tuple[int, int], seg_lo: int,
                     investor: Org | None, target: Org, forced_investor: Org | None) -> None:
        """Roles settled: refine the type, swap supplier and buyer, flag aggregates, set status."""
        norm = self.norm
        if d.deal_type == "contract" and _BUY_BEFORE.search(_pre(norm, target, seg_lo)):
            d.deal_type = "acquisition"
        if investor is not None and investor.name == target.name:
            investor = None
        if (d.deal_type == "contract" and investor is not None and target.company_type == "ai_lab"
                and investor.company_type in _SUPPLIERS):
            # a cloud or chip supplier "signs with" a lab: the lab is the one paying
            investor, target = target, investor
            d.trace.append("supplier and buyer swapped")
        d.target, d.investor = target, investor
        # several companies listed as the other side of one figure: an aggregate
        if forced_investor is None and _run_length(norm, si.orgs, target) >= 3:
            d.aggregate = True
        status_text = norm[clause[0]:clause[1]]
        cancelled = _STATUS[0]
        if cancelled[1].search(norm, seg_lo, si.sent[1]) or cancelled[2].search(norm, seg_lo, si.sent[1]):
            d.status = "cancelled"  # a cancellation later in the sentence covers the deal it names
        else:
            d.status = _status(status_text) or _status(norm[seg_lo:clause[1]]) or "announced"
        if m.qualifier == "at_most" and d.status in ("announced", None) and _FUTURE.search(norm, seg_lo, clause[1]):
            d.status = "pledged"

    def _fallback_target(self, d: Draft, m: Money, si: SentenceInput, clause: tuple[int, int],
                         cues: list[Cue], seg_lo: int, investor: Org | None, raise_type: bool,
                         paren_owner: bool, capex_ctx: bool) -> tuple[Org | None, Draft | None]:
        """No company is marked as the receiving side: a named project, the company's own
        facilities (then it is capex, returned as the second item), the article's main target,
        another company of the clause, or the round the sentence is about."""
        norm = self.norm
        orgs = [o for o in si.orgs if o.start >= seg_lo]
        all_orgs = si.orgs
        target = None
        project_words = _PROJECT_WORDS.search(norm, seg_lo, si.sent[1])
        co_names = {o.name for o in all_orgs if _co_investors(norm, all_orgs, o)}
        named = [o for o in all_orgs if o is not investor and (investor is None or o.name != investor.name)
                 and o.name not in co_names and (o.start < m.start or o.start < clause[1])]
        if target is None and not raise_type and project_words and investor is not None:
            project = [o for o in named if _PROJECT_AFTER.match(_post(norm, o)) and o.start > investor.start]
            if project:
                target = project[-1]
                d.deal_type = "joint_venture"
        if target is None and not raise_type:
            # invest in a place / a facility: the company's own capital spending
            if _SPEND_VERBS.search(norm, seg_lo, m.end + 20) and (
                    any(r.search(norm, seg_lo, si.sent[1]) for r in _FACILITY)):
                return None, self._capex(m, si, clause, cues, plan=True)
        if target is None and not raise_type and project_words and investor is not None:
            known = [o for o in named if o.known]
            if known:
                target = known[-1]
                d.deal_type = "joint_venture"
        if target is None and not raise_type and paren_owner:
            target = self._main_target()
        if target is None and not raise_type:
            others = [o for o in orgs if o is not investor and (investor is None or o.name != investor.name)
                      and not _co_investors(norm, all_orgs, o) and _can_be_subject(norm, o, si.sent[0])]
            others_clause = [o for o in others if clause[0] <= o.start < clause[1]]
            if others_clause and investor is not None:
                target = others_clause[-1]
            elif investor is not None and _CONTRIBUTION.search(norm, seg_lo, si.sent[1]):
                target = self._recent_target(si)
            elif investor is not None and d.deal_type == "equity" and _STAKE_WORDS.search(norm, clause[0], clause[1]):
                target = self._recent_target(si)
            elif capex_ctx and investor is not None and _SPEND_VERBS.search(norm, clause[0], m.end):
                return None, self._capex(m, si, clause, cues)
            elif investor is not None and _RAISE_WORDS.search(norm, si.sent[0], m.start):
                raiser = [o for o in si.orgs if o.start < m.start and o.name != investor.name
                          and _can_be_subject(norm, o, si.sent[0])]
                if raiser:
                    target = raiser[0]
        return target, None

    def _main_target(self) -> Org | None:
        """The company most of the article's deals so far went to."""
        counts: dict[str, list[Org]] = {}
        for dd in self.disc.deals:
            if dd.target is not None:
                counts.setdefault(dd.target.name, []).append(dd.target)
        if not counts:
            return None
        best = max(counts.values(), key=len)
        return best[-1]

    def _recent_target(self, si: SentenceInput) -> Org | None:
        for dd in reversed(self.disc.deals):
            if si.index - dd.sent_index <= 3 and dd.target is not None:
                return dd.target
        return None

    def _inherit(self, prev: Draft, m: Money, si: SentenceInput, clause: tuple[int, int]) -> Draft:
        d = Draft(prev.kind, m, si.sent, investor=prev.investor, target=prev.target,
                  company=prev.company, deal_type=prev.deal_type, status=prev.status,
                  capex_kind=prev.capex_kind, aggregate=prev.aggregate)
        if prev.kind == "capex":
            p = self._period_for(m, si, clause)
            d.period = p or prev.period
            d.capex_kind = self._capex_kind(d.period, clause, si, m)
        else:
            # a different company named in this clause takes the paying role
            in_clause = [o for o in si.orgs if clause[0] <= o.start < m.start]
            if in_clause and in_clause[0].name not in prev.parties():
                d.investor = in_clause[0]
            d.status = _status(self.norm[clause[0]:clause[1]]) or prev.status
        d.trace.append("inherits the previous fact of the sentence")
        return d

    # -- capex ---------------------------------------------------------------------------------
    def _capex(self, m: Money, si: SentenceInput, clause: tuple[int, int], cues: list[Cue],
               base: Draft | None = None, plan: bool = False) -> Draft | None:
        norm = self.norm
        d = Draft("capex", m, si.sent)
        seg_lo = _segment_start(norm, si.sent, m.start)
        in_clause = [o for o in si.orgs if clause[0] <= o.start < m.start and _can_be_subject(norm, o, seg_lo)]
        before = [o for o in si.orgs if o.start < m.start and _can_be_subject(norm, o, si.sent[0])]
        group_text = norm[si.sent[0]:m.end]
        company = None
        if in_clause:
            company = in_clause[-1]
        elif before:
            company = before[0]
        elif base is not None:
            company = base.company
        elif (ante := self._antecedent(si, d)) is not None:
            company = ante
        elif self.disc.last_capex is not None and self.disc.last_capex.company is not None:
            company = self.disc.last_capex.company
        distinct = {o.name for o in before}
        if _AGG_GROUP.search(group_text) or (_AGG_SUM.search(norm, clause[0], m.end) and len(distinct) != 1) \
                or len(distinct) >= 3:
            d.aggregate = True
            company = None
        d.company = company
        d.period = self._period_for(m, si, clause)
        if d.period is None:
            return None
        if company is None and not d.aggregate:
            return None
        d.capex_kind = self._capex_kind(d.period, clause, si, m)
        if plan and _PLAN_WORDS.search(norm, seg_lo, si.sent[1]):
            d.capex_kind = "plan"
        d.trace.append(f"company={company.raw if company else None} period={d.period}")
        return d

    def _period_for(self, m: Money, si: SentenceInput, clause: tuple[int, int]) -> str | None:
        ps = [p for p in si.periods if p.value and not p.value.startswith(("BARE", "CONTEXT", "SAME"))]
        ps = [p for p in ps if p.prep not in en.DEADLINE_PREPS and not _DEADLINE_AFTER.match(self.norm, p.end)
              and not (p.kind == "year" and _DEADLINE_BEFORE.search(self.norm, max(0, p.start - 4), p.start))]
        after = [p for p in ps if clause[0] <= p.start and p.start >= m.end and p.start - m.end <= 30 and p.end <= clause[1]]
        before_clause = [p for p in ps if clause[0] <= p.start and p.end <= m.start]
        if after and (not before_clause or after[0].start - m.end < 12):
            return after[0].value
        if before_clause:
            return before_clause[-1].value
        before_sent = [p for p in ps if p.end <= m.start]
        plain = [p for p in before_sent if not _CMP_BEFORE.search(self.norm[max(si.sent[0], p.start - 4):p.start])]
        if plain:
            return plain[-1].value
        if before_sent:
            return before_sent[-1].value
        after_sent = [p for p in ps if p.start >= m.end]
        if after_sent:
            return after_sent[0].value
        return None

    def _capex_kind(self, period: str | None, clause: tuple[int, int], si: SentenceInput, m: Money) -> str:
        """plan for multi-year programmes; guidance for what a company expects; actual for
        what it spent. Words in the amount's clause decide first, then the period's tense."""
        if period and "-" in period:
            return "plan"
        if any(r.search(self.norm, clause[0], clause[1]) for r in _GUIDANCE):
            return "guidance"
        if _ACTUAL_WORDS.search(self.norm, clause[0], clause[1]):
            return "actual"
        mm = re.search(r"20\d\d", period or "")
        y = int(mm.group()) if mm else None
        if self.published and y is not None:
            if y > self.published.year:
                return "guidance"
            if y < self.published.year:
                return "actual"
        if re.search(r"Q\d|H\d", period or ""):
            return "actual"
        return "guidance"
