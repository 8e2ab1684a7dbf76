"""A conservative discourse rule: who "the company" / "It" / 公司 / 该集团 / 財務長 refers to.

When a sentence names no company for a role it needs and opens with an anaphor (a pronoun, a
definite description such as "the social network", or a bare officer title such as 财务长表示),
the referent is the subject of the most recent earlier sentence of the same paragraph that names
a company; failing that, the article's main company when it is unambiguous. Two candidates
(a subject pair "A and B", two companies tied for main) mean no referent: never guess.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from .entities import Org

_EN_ANAPHOR = re.compile(
    r"(?:(?:on|in|at)\s[A-Z]\w+,?\s|separately,?\s|meanwhile,?\s|now,?\s)?"
    r"(?:the\s(?:company|firm|group|chipmaker|chip\sdesigner|chip\smaker|start-?up|lab|developer|maker|"
    r"operator|provider|giant|conglomerate|[a-z-]+\s(?:network|giant|maker|operator|company|group|firm|"
    r"provider|platform|lab|developer|start-?up|cloud|conglomerate))|it|its)\b", re.I)
_ZH_ANAPHOR = re.compile(
    r"(?:[^,。;]{0,12}?表示\s?[,:]\s?)?(?:该公司|该集团|这家公司|公司|集团|其)"
    r"|(?:首席财务官|财务长|首席执行官|执行长|董事长|总裁|发言人|管理层)")
_PREP_BEFORE = re.compile(r"(?:\b(?:in|into|from|with|by|for|of|to|at|on|than|and|or)\s(?:the\s)?|[向与对和由从比较及、])\s?$",
                          re.I)
_COORD_AFTER = re.compile(r"\s?(?:and|&|与|和|及|、)\s?")


def starts_with_anaphor(norm: str, sent: tuple[int, int]) -> bool:
    s, e = sent
    return bool(_EN_ANAPHOR.match(norm, s, e) or _ZH_ANAPHOR.match(norm, s, e))


class Coref:
    def __init__(self, norm: str, sentences: list[tuple[int, int]],
                 paragraphs: list[tuple[int, int]], orgs: list[Org],
                 all_orgs: Callable[[], list[Org]] | None = None):
        """`orgs` covers at least the paragraphs of the sentences asked about; `all_orgs` gives
        the whole article's (for the main company) when `orgs` covers only part of it."""
        self.norm = norm
        self.sentences = sentences
        self.paragraphs = paragraphs
        self.orgs = orgs
        self._all_orgs = all_orgs
        self._org_starts = [o.start for o in orgs]
        self._para_starts = [p[0] for p in paragraphs]
        self._main: Org | None | bool = False   # False: not computed yet

    def _para_of(self, pos: int) -> int:
        return bisect_right(self._para_starts, pos) - 1

    def _orgs_in(self, s: int, e: int) -> list[Org]:
        i = bisect_right(self._org_starts, s - 1)
        out = []
        while i < len(self.orgs) and self.orgs[i].start < e:
            out.append(self.orgs[i])
            i += 1
        return out

    def subject(self, sent: tuple[int, int]) -> Org | None:
        """The company a sentence is about: its first company not governed by a preposition;
        None when that company is one of a coordinated pair."""
        for o in self._orgs_in(*sent):
            if _PREP_BEFORE.search(self.norm[max(sent[0], o.start - 12):o.start]):
                continue
            nxt = _COORD_AFTER.match(self.norm, o.end)
            if nxt and any(p.start == nxt.end() for p in self._orgs_in(nxt.end(), nxt.end() + 1)):
                return None
            return o
        return None

    def main_company(self) -> Org | None:
        """The company the article is about: the most often named known company, named at
        least twice and clearly more often than any other (else None)."""
        if self._main is False:
            counts: dict[str, list[Org]] = {}
            for o in (self._all_orgs() if self._all_orgs is not None else self.orgs):
                if o.known:
                    counts.setdefault(o.name, []).append(o)
            ranked = sorted(counts.values(), key=len, reverse=True)
            main = None
            if ranked and len(ranked[0]) >= 2 and (len(ranked) == 1 or len(ranked[0]) >= 2 * len(ranked[1])):
                main = ranked[0][0]
            self._main = main
        return self._main  # type: ignore[return-value]

    def antecedent(self, index: int) -> Org | None:
        """The referent of an anaphor opening sentence `index`, or None."""
        sent = self.sentences[index]
        if not starts_with_anaphor(self.norm, sent):
            return None
        para = self._para_of(sent[0])
        for j in range(index - 1, -1, -1):
            prev = self.sentences[j]
            if self._para_of(prev[0]) != para:
                break
            if self._orgs_in(*prev):
                return self.subject(prev)
        return self.main_company()
