"""Pass 7: capital-spending tables flattened into paragraphs.

An HTML table arrives as one paragraph per row, cells separated by spaces:

    Capital expenditure, Q3 2026 (US$bn)          <- caption: topic and unit
    Company Q3 2026 Q3 2025 Full-year 2026 outlook <- header: one period per value column
    Amazon 52.1 34.2 about 215                     <- row: a company, then one cell per column

A row yields capex facts only when the caption or header names capital spending, the row starts
with a known company, and its value cells line up one-to-one with the header's periods (or the
row carries its own period and money, as in "Amazon 2026 about $200bn"). Anything else is left
to the sentence passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .entities import Org
from .money import Money, find_money
from .periods import find_periods

_CAPEX_WORDS = re.compile(r"capital expenditure|capex|capital spending|资本支出|资本开支|资本性支出", re.I)
_UNIT = re.compile(
    r"[(]\s?(?:单位\s?[:：]\s?)?(US\$|\$|USD|NT\$|新台币|人民币|港元|HK\$|€|£)?\s?"
    r"(bn|billion|m|mn|million|tn|trillion|亿元|亿美元|亿|万亿韩元|万亿|百万美元|亿日元)\s?[)]", re.I)
_GUIDE = re.compile(r"outlook|guidance|forecast|plan|预估|预计|计划|指引|目标", re.I)
_CELL = re.compile(
    r"\s*(n/a(?:\s\([^)]*\))?|—|-(?=\s|$)|(?:about|approx\.?|around|roughly|more than|over|约|逾|超过|近)?\s?"
    r"\d[\d,]*(?:\.\d+)?(?:\s?-\s?\d[\d,]*(?:\.\d+)?)?)(?=\s|$)", re.I)


@dataclass(frozen=True)
class TableCapex:
    org: Org
    period: str
    money: Money
    kind: str
    row: tuple[int, int]


def _unit_of(caption: str) -> tuple[str | None, float | None]:
    m = _UNIT.search(caption)
    if not m:
        return None, None
    cur_word, scale_word = (m.group(1) or ""), m.group(2).lower()
    currency = {"us$": "USD", "$": "USD", "usd": "USD", "nt$": "TWD", "新台币": "TWD",
                "人民币": "CNY", "港元": "HKD", "hk$": "HKD", "€": "EUR", "£": "GBP"}.get(cur_word.lower())
    scale = {"bn": 1e9, "billion": 1e9, "m": 1e6, "mn": 1e6, "million": 1e6, "tn": 1e12,
             "trillion": 1e12, "亿元": 1e8, "亿美元": 1e8, "亿": 1e8, "万亿韩元": 1e12, "万亿": 1e12,
             "百万美元": 1e6, "亿日元": 1e8}[scale_word]
    if scale_word == "亿美元" or scale_word == "百万美元":
        currency = "USD"
    if scale_word == "万亿韩元":
        currency = "KRW"
    if scale_word == "亿日元":
        currency = "JPY"
    if currency is None and scale_word == "亿元":
        currency = "CNY"
    return currency, scale


def _cell_money(cell: str, start: int, currency: str | None, scale: float | None) -> Money | None:
    cell_s = cell.strip()
    if not re.search(r"\d", cell_s) or currency is None or scale is None:
        return None
    qual = "exact"
    low = cell_s.lower()
    for words, q in ((("about", "approx", "around", "roughly", "约", "近"), "approx"),
                     (("more than", "over", "逾", "超过"), "at_least")):
        for w in words:
            if low.startswith(w):
                qual = q
                cell_s = cell_s[len(w):].strip(" .")
    nums = [float(x.replace(",", "")) * scale for x in re.findall(r"\d[\d,]*(?:\.\d+)?", cell_s)]
    if len(nums) == 2:
        lo, hi, qual = nums[0], nums[1], "range"
    else:
        lo = hi = nums[0]
        if qual == "at_least":
            hi = None
    usd = currency == "USD"
    return Money(start, start + len(cell), start, lo, hi, currency, qual, True, has_scale=True,
                 usd_min=lo if usd else None, usd_max=hi if usd else None)


def _infer_unit(norm: str, rows: list[tuple[Org, list[str]]], known: list[tuple[str, float, str, float]],
                capex_units: list[tuple[str, float]]) -> tuple[str | None, float | None]:
    """No caption with a unit: a row cell equal (up to a power of ten) to an amount a sentence
    already gave for the same company fixes the unit; else a unit every capex amount shares."""
    for org, cells in rows:
        for cell in cells:
            nums = [float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", cell)]
            for n in nums:
                for company, value, currency, _unit in known:
                    if company != org.name or not n:
                        continue
                    ratio = value / n
                    for scale in (1e6, 1e8, 1e9, 1e12):
                        if abs(ratio - scale) <= 0.02 * scale:
                            return currency, scale
    if capex_units and len(set(capex_units)) == 1:
        return capex_units[0]
    return None, None


def find_table_capex(norm: str, paragraphs: list[tuple[int, int]], orgs: list[Org],
                     published, known: list[tuple[str, float, str, float]] | None = None,
                     capex_units: list[tuple[str, float]] | None = None,
                     doc_capex: bool = False) -> list[TableCapex]:
    out: list[TableCapex] = []
    i = 0
    while i < len(paragraphs):
        ps, pe = paragraphs[i]
        header = norm[ps:pe]
        first_word = header.split(" ")[0].lower() if header else ""
        if first_word not in ("company", "公司", "企业", "厂商", "companies"):
            i += 1
            continue
        caption = norm[paragraphs[i - 1][0]:paragraphs[i - 1][1]] if i > 0 else ""
        topic = _CAPEX_WORDS.search(caption) or _CAPEX_WORDS.search(header)
        currency, scale = _unit_of(caption)
        if currency is None:
            currency, scale = _unit_of(header)
        if currency is None:
            rows = []
            k = i + 1
            while k < len(paragraphs):
                rs, re_ = paragraphs[k]
                row_org = next((o for o in orgs if o.start == rs and o.known), None)
                if row_org is None:
                    break
                rows.append((row_org, norm[row_org.end:re_].split()))
                k += 1
            currency, scale = _infer_unit(norm, rows, known or [], [] if not (topic or doc_capex) else capex_units or [])
            if currency is not None and (known or doc_capex):
                topic = topic or doc_capex
        periods = [p for p in find_periods(norm[ps:pe], published) if p.value]
        columns = [(p.value, "guidance" if _GUIDE.search(header[p.end:(periods[k + 1].start if k + 1 < len(periods) else len(header))]) else "actual")
                   for k, p in enumerate(periods)]
        j = i + 1
        while j < len(paragraphs) and topic:
            rs, re_ = paragraphs[j]
            row_orgs = [o for o in orgs if o.start == rs and o.known]
            if not row_orgs:
                break
            org = row_orgs[0]
            rest_start = org.end
            rest = norm[rest_start:re_]
            # a row with its own period and money ("Amazon 2026 about $200bn")
            own_money = find_money(rest)
            own_periods = [p for p in find_periods(rest, published) if p.value]
            if own_money and own_periods and not columns:
                m = own_money[0]
                shifted = Money(m.start + rest_start, m.end + rest_start, m.num_start + rest_start,
                                m.amount_min, m.amount_max, m.currency, m.qualifier, m.explicit_currency,
                                has_scale=m.has_scale, usd_min=m.usd_min, usd_max=m.usd_max)
                if m.currency:
                    kind = "guidance" if _GUIDE.search(header + caption) else "actual"
                    out.append(TableCapex(org, own_periods[0].value, shifted, kind, (rs, re_)))
                j += 1
                continue
            cells = []
            pos = 0
            while pos < len(rest):
                cm = _CELL.match(rest, pos)
                if not cm:
                    break
                cells.append((cm.group(1), rest_start + cm.start(1)))
                pos = cm.end()
            tail = rest[pos:].strip()
            if columns and len(cells) == len(columns) and not tail:
                for (cell, cstart), (period, kind) in zip(cells, columns):
                    money = _cell_money(cell, cstart, currency, scale)
                    if money is not None:
                        out.append(TableCapex(org, period, money, kind, (rs, re_)))
            j += 1
        i = j if j > i + 1 else i + 1
    return out

