"""Pass 4: organisation spans.

Known companies come from the seed tables (dbt_project/seeds/companies.csv and
company_aliases.csv), compiled once into one regex that prefers the longest alias at each
position and is matched on the Simplified shadow (so 輝達 and 辉达 are one alias). Names the
table does not know are proposed from their shape (capitalised words in English, Latin names
inside Chinese text, quoted Chinese names); the role pass only uses those in role positions.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .normalize import shadow, to_simplified

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"


@dataclass(frozen=True)
class Org:
    start: int
    end: int
    raw: str            # as written in the original text
    name: str           # canonical name when known, else the raw string
    known: bool
    company_type: str | None = None


@dataclass(frozen=True)
class AliasTable:
    alias_to_company: dict[str, str]   # shadow(alias) -> canonical
    lower_to_company: dict[str, str]   # lowercased shadow(alias or company) -> canonical
    company_type: dict[str, str]
    pattern: re.Pattern[str]           # every alias, longest first (the reference semantics)
    # The same alternation split by the alias's first character, and a scanner for the positions
    # where some alias can start: find_orgs tries only the aliases that begin with the character
    # found there, instead of every alias at every position (about 50x faster, same matches).
    starts: re.Pattern[str]
    by_first: dict[str, re.Pattern[str]]

    def finditer(self, norm: str):
        """Matches of `pattern` in `norm`, as `pattern.finditer` finds them."""
        pos, by_first = 0, self.by_first
        for start in self.starts.finditer(norm):
            i = start.start()
            if i < pos:
                continue
            m = by_first[norm[i]].match(norm, i)
            if m:
                pos = m.end()
                yield m


_CJK = r"\u3400-\u9fff"


def _alias_regex(alias: str) -> str:
    parts: list[str] = []
    prev = ""
    for ch in alias:
        if ch == " ":
            parts.append(r"\s+")
        else:
            if prev and prev != " " and (_is_cjk(prev) != _is_cjk(ch)):
                parts.append(r"\s?")
            parts.append(re.escape(ch))
        prev = ch
    body = "".join(parts)
    if re.match(r"[A-Za-z0-9]", alias[0]):
        body = r"(?<![A-Za-z0-9])" + body
    if re.match(r"[A-Za-z0-9]", alias[-1]):
        body = body + r"(?![A-Za-z0-9])"
    return body


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


@lru_cache(maxsize=4)
def load_aliases(seeds_dir: str | None = None) -> AliasTable:
    d = Path(seeds_dir) if seeds_dir else SEEDS_DIR
    company_type: dict[str, str] = {}
    with open(d / "companies.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            company_type[row["company"]] = row["company_type"]
    alias_to_company: dict[str, str] = {}
    with open(d / "company_aliases.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            alias = to_simplified(row["alias"].strip())
            alias_to_company[alias] = row["company"]
            # An all-caps alias also stands for its title-case spelling (NVIDIA / Nvidia).
            if alias.isupper() and alias.isalpha() and len(alias) >= 4:
                alias_to_company.setdefault(alias.title(), row["company"])
    lower = {k.lower(): v for k, v in alias_to_company.items()}
    for c in company_type:
        lower.setdefault(to_simplified(c).lower(), c)
    ordered = sorted(alias_to_company, key=len, reverse=True)
    pattern = re.compile("|".join(f"(?:{_alias_regex(a)})" for a in ordered))
    grouped: dict[str, list[str]] = {}
    for a in ordered:  # keeps the longest-first order within each group
        grouped.setdefault(a[0], []).append(f"(?:{_alias_regex(a)})")
    by_first = {ch: re.compile("|".join(alts)) for ch, alts in grouped.items()}
    # An alias starting with a letter or digit needs a word boundary before it (see _alias_regex).
    # One character class first, then the boundary checked by lookbehind for those characters
    # only: `(?<![A-Za-z0-9])[word]|[other]` as written before, but the engine can skip ahead to
    # the next character of the class instead of trying the lookbehind at every position.
    word = "".join(re.escape(ch) for ch in grouped if re.match(r"[A-Za-z0-9]", ch))
    every = "".join(re.escape(ch) for ch in grouped)
    starts = re.compile(f"[{every}](?<![A-Za-z0-9][{word}])" if word else f"[{every}]")
    return AliasTable(alias_to_company, lower, company_type, pattern, starts, by_first)


def canonical(name: str | None) -> str | None:
    """Canonical company for a name or alias (case-insensitive, either script), else the name."""
    if name is None:
        return None
    key = re.sub(r"\s+", " ", to_simplified(name.strip())).lower()
    if not key:
        return None
    table = load_aliases()
    if key in table.lower_to_company:
        return table.lower_to_company[key]
    squeezed = key.replace(" ", "")
    for k, v in table.lower_to_company.items():
        if k.replace(" ", "") == squeezed:
            return v
    return name.strip()


# --- unknown names ---------------------------------------------------------------------------

_EN_STOP = set("""
The A An In On At For By With From As After Before Under Over And But Or Last This That These Those
Its It Their His Her He She They We Our You Your Separately Meanwhile Counting Taken If Had Were When
While Analysts Analyst Chief Series Class Fourth-quarter Third-quarter Second-quarter First-quarter
January February March April May June July August September October November December Monday
Tuesday Wednesday Thursday Friday Saturday Sunday Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
Q1 Q2 Q3 Q4 H1 H2 FY UK US U.S. USA EU Britain British America American Europe European Asia Asian
China Chinese Japan Japanese Korea Korean Taiwan India Germany France French Paris London Texas
Louisiana Norway Norwegian Portugal Saudi Arabia Arabia's Gulf Middle East Riyadh Dammam Memphis
Singapore Abu Dhabi Dubai Qatar Canada Australia Australian Denver Amsterdam San Jose Francisco New
York Washington Beijing Shanghai Shenzhen Hong Kong Tokyo Seoul Hertfordshire Waltham Cross Arizona
AI GPU GPUs CPU TPU TPUs HBM CEO CFO CTO ARR IPO LP GW MW SPV EPS Inc Ltd Corp Co Mr Ms Dr Prof
Capex Capital Revenue Sales None Most Some Many All Both Each Every Several Talks Shares Critics
Combined Spending Had Were Amid Despite Under Including Also Still Now Then There Here So Yet Such
Net Operating Adjusted Total Annual Quarterly Fiscal Full-year Year Years According Data Here
ChatGPT Gemini Claude Grok Kimi Trainium Blackwell Rubin Vera Grace Colossus Azure Cloud Series
""".split())
_TRAIL_STOP = {"of", "&", "de", "du", "la", "and", "The", "In", "On", "At", "For", "By", "With",
               "January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December", "Monday", "Tuesday", "Wednesday",
               "Thursday", "Friday", "Saturday", "Sunday", "Q1", "Q2", "Q3", "Q4", "Series"}
# Capitalised word runs, optionally after a 2-4 digit number: first written as
# `(?<![A-Za-z0-9&.'-])((?:\d{2,4}\s)?(?:[A-Z][A-Za-z0-9&'.-]*|[A-Z]\.)(?:\s(?:...))*)`. Here the
# first character (a digit or a capital) is matched first and the lookbehinds follow it, so the
# engine skips ahead to the next digit or capital instead of trying the lookbehind everywhere.
_EN_NAME = re.compile(
    r"([\dA-Z](?<![A-Za-z0-9&.'-][\dA-Z])"
    r"(?:(?<=\d)\d{1,3}\s(?:[A-Z][A-Za-z0-9&'.-]*|[A-Z]\.)|(?<=[A-Z])(?:[A-Za-z0-9&'.-]*|\.))"
    r"(?:\s(?:[A-Z][A-Za-z0-9&'.-]*|[A-Z]\.|&|of|de|du|la))*)")
_ZH_LATIN = re.compile(r"(?<![A-Za-z0-9])([A-Z][A-Za-z0-9.&'-]*(?:\s[A-Z0-9][A-Za-z0-9.&'-]*)*)")
_ZH_QUOTED = re.compile(rf"[「“\"]([{_CJK}][{_CJK}A-Za-z0-9 ]{{1,11}})[」”\"]")
_TECH_WORDS = {"AI", "GPU", "GPUs", "TPU", "HBM", "SPV", "CEO", "CFO", "ARR", "IPO", "LP", "GW",
               "MW", "ChatGPT", "Gemini", "Claude", "Grok", "Kimi", "Trainium", "Blackwell",
               "Rubin", "Vera Rubin", "Colossus", "RPO", "API", "ASIC", "CPU", "DRAM", "NAND",
               "EUV", "PC", "AGI", "LLM", "CNBC", "WSJ", "FT", "Bloomberg", "Reuters", "Q1",
               "Q2", "Q3", "Q4", "H1", "H2", "FY", "CUDA", "TrendForce", "Crunchbase", "PitchBook",
               "Dealroom", "Gartner", "Goldman Sachs", "Morgan Stanley", "Global SWF", "B", "A",
               "C", "D", "E", "F", "G", "Series", "Pre", "PE", "VC", "agent", "Agentic AI", "GB200",
               "GB300", "H100", "H200", "H20", "MI450", "TSMC Arizona"}


class TakenSpans:
    """The character spans already claimed by an organisation, kept as sorted disjoint intervals.

    `free(s, e)` answers "does [s, e) overlap no claimed span?" by bisection instead of a scan of
    every claimed span (find_orgs asks it for every candidate name: quadratic on long articles).
    Overlapping or touching spans are merged: a non-empty query overlaps the union exactly when it
    overlaps one of the spans.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, s: int, e: int) -> None:
        lo = bisect_left(self.ends, s)      # first span ending at or after s
        hi = bisect_right(self.starts, e)   # spans starting at or before e
        if lo < hi:
            s, e = min(s, self.starts[lo]), max(e, self.ends[hi - 1])
        self.starts[lo:hi] = [s]
        self.ends[lo:hi] = [e]

    def free(self, s: int, e: int) -> bool:
        i = bisect_left(self.starts, e)     # spans [0, i) start before e; i - 1 ends last
        return i == 0 or self.ends[i - 1] <= s


def find_orgs(text: str, norm: str, lo: int = 0, hi: int | None = None) -> list[Org]:
    """Known aliases (longest match) plus shape-based candidates that do not overlap them.

    Known aliases are found in the whole text; shape-based candidates only where a match starts
    in [lo, hi). No candidate match holds two whitespace characters in a row, so with `lo` and
    `hi` at paragraph starts after a blank line ("\\n\\n") the candidates found are exactly those
    the whole text gives in that stretch (the caller checks the edges; see pipeline.p_orgs)."""
    hi = len(norm) if hi is None else hi
    table = load_aliases()
    out: list[Org] = []
    taken = TakenSpans()
    for m in table.finditer(norm):
        if re.match(r"-(?:backed|based|owned|led|linked|controlled)", norm[m.end():m.end() + 12]):
            continue  # PIF-backed Humain: an adjective, not a party
        key = re.sub(r"\s+", " ", m.group())
        company = table.alias_to_company.get(key) or table.alias_to_company.get(m.group())
        if company is None:
            company = table.alias_to_company.get(key.replace(" ", ""))
        if company is None:
            company = canonical(key) or key
        out.append(Org(m.start(), m.end(), text[m.start():m.end()], company, True,
                       table.company_type.get(company)))
        taken.add(m.start(), m.end())
    free = taken.free

    for m in _ZH_QUOTED.finditer(norm, lo):
        if m.start() >= hi:
            break
        s, e = m.start(1), m.end(1)
        if free(s, e):
            raw = text[s:e]
            eng = re.match(r"\s?[(]([A-Z][A-Za-z0-9 .&'-]+)[)]", norm[m.end():m.end() + 40])
            name = eng.group(1) if eng else raw
            out.append(Org(s, e, raw, canonical(name) or name, False))
            taken.add(s, e + (len(eng.group(0)) if eng else 0))
    for m in _EN_NAME.finditer(norm, lo):
        if m.start() >= hi:
            break
        s, e = m.start(1), m.end(1)
        words = m.group(1).split(" ")
        # trim stop words at both ends, and a trailing possessive
        while words and ((words[0] in _EN_STOP and not (words[0] in ("AI",) and len(words) > 2))
                         or words[0].endswith("-based")
                         or words[0].endswith("-backed") or words[0] in ("of", "&", "de", "du", "la")):
            s += len(words[0]) + 1
            words = words[1:]
        if words and words[-1].endswith(".") and not re.fullmatch(r"[A-Z]\.", words[-1]):
            e -= 1
            words[-1] = words[-1][:-1]
        while words and (words[-1] in _TRAIL_STOP or (len(words) == 1 and words[-1] in _EN_STOP)):
            e -= len(words[-1]) + 1
            words = words[:-1]
        if not words:
            continue
        if words[-1].endswith("'s"):
            e -= 2
            words[-1] = words[-1][:-2]
        raw = text[s:e]
        if len(raw) < 2 or raw in _TECH_WORDS or not re.search(r"[A-Za-z]{2}", raw):
            continue
        if re.fullmatch(r"[A-Z][a-z]+", raw) and _sentence_initial(norm, s) and not _ORG_FOLLOWS.match(norm, e):
            continue  # "Combined", "Separately": capitalised only because a sentence starts
        if not free(s, e):
            continue
        out.append(Org(s, e, raw, raw, False))
        taken.add(s, e)
    out.sort(key=lambda o: o.start)
    return out


_ORG_FOLLOWS = re.compile(
    r",\s(?:the|a|an)\s|'s\s|\s(?:has|had|have|is|was|will|raised|closed|agreed|signed|plans|expects|"
    r"announced|completed|invested|acquired|bought|shelved)\b")


def _sentence_initial(norm: str, pos: int) -> bool:
    before = norm[max(0, pos - 3):pos]
    return pos == 0 or before.strip() == "" and (pos < 3 or norm[pos - 1] == "\n") or bool(
        re.search(r"[.!?\n]\s*$", norm[max(0, pos - 4):pos]))
