"""Publication dates: machine-readable stamps and date text in Chinese or English -> naive UTC.

    parse_datetime("2026-02-06T06:45:00-05:00")              -> 2026-02-06 11:45
    find_date("科创日报记者 刘洋 | 2026-03-20 10:15")             -> 2026-03-20 10:15
    find_date("6小时前", fetched_at=datetime(2026, 3, 20, 12))  -> 2026-03-20 06:00

Rules:
- A stamp with a UTC offset (ISO 8601, RFC 2822) is converted to UTC. Date text without a zone
  is taken as written (the site's wall clock: we cannot know its zone, and guessing one would
  be worse than a few hours off).
- Relative dates ("6小时前", "3 hours ago", "昨天 10:30", "yesterday") and dates without a
  year ("3月19日 14:05", "Nov 3") need the fetch time as anchor; without it they stay unknown.
  Day-words keep the wall-clock time written next to them, or midnight when none is given.
- Numeric day/month orders that could be read both ways (03/11/2026) stay unknown; so does
  anything else we cannot read. Never guess.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

_MIN_YEAR, _MAX_YEAR = 1990, 2100

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"

# Optional wall-clock time after a date: 14:05, 14:05:30, 2:05 PM, 14时05分, 14點05分.
# A zone may follow the time only: UTC / GMT / Z (no change) or a numeric offset (converted).
_TIME = (r"(?:\s*(?:T|,|at)?\s*(?P<hh>\d{1,2})\s*[:时時点點]\s*(?P<mi>\d{2})(?:\s*[:分]\s*(?P<ss>\d{2}))?"
         r"\s*分?(?:\s*(?P<ampm>[ap]\.?m\.?)(?![a-z]))?"
         r"(?:\s*(?:Z|UTC|GMT)?(?P<off>[+-]\d{2}:?\d{2})?(?!\d))?)?")

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 2026-03-20, 2026/3/20, 2026.03.20, 2026年3月20日 (full-width digits are normalised first)
    ("ymd", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"
                       r"(?!\d)\s*[日号號]?" + _TIME, re.IGNORECASE)),
    # Nov 3, 2026 / November 3rd 2026 / Nov. 3, 2026 10:30 am
    ("mdy", re.compile(r"\b" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b"
                       + _TIME, re.IGNORECASE)),
    # 3 November 2026 / 3rd Nov 2026
    ("dmy", re.compile(r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y>(?:19|20)\d\d)\b"
                       + _TIME, re.IGNORECASE)),
    # 03/11/2026 or 11-03-2026: only when the order is unambiguous
    ("numeric", re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>(?:19|20)\d\d)(?![\d/.-])"
                           + _TIME, re.IGNORECASE)),
]

# Needing the fetch time: relative dates and dates without a year.
_AGO_ZH = re.compile(r"(?<![\d月一二两兩三四五六七八九十])(?P<n>\d+|[一二两兩三四五六七八九十半])\s*(?:个|個)?\s*"
                     r"(?P<unit>秒|分钟|分鐘|分|小时|小時|钟头|鐘頭|天|日|周|週|星期|礼拜|禮拜)\s*(?:之)?前")
_AGO_EN = re.compile(r"\b(?P<n>\d+|an?|one)\s+(?P<unit>sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|hours?|days?|weeks?)"
                     r"\s+ago\b", re.IGNORECASE)
_NOW = re.compile(r"刚刚|剛剛|刚才|剛才|\bjust now\b|\bmoments? ago\b", re.IGNORECASE)
_DAY_WORD = re.compile(r"(?P<word>今天|今日|昨天|昨日|前天|\btoday\b|\byesterday\b)" + _TIME, re.IGNORECASE)
_MONTH_DAY_ZH = re.compile(r"(?<![\d年])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号號]" + _TIME)
# Capitalised month names only: "may 5" in running text is a verb, not a date.
_MONTH_CAP = r"(?P<mon>" + "|".join(sorted((m.capitalize() for m in _MONTHS), key=len, reverse=True)) + r")\.?"
_MONTH_DAY_EN = re.compile(r"\b" + _MONTH_CAP + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?!,?\s*\d{4})" + _TIME)

_ZH_NUM = {"一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9, "十": 10}
_UNIT_SECONDS = {"秒": 1, "分钟": 60, "分鐘": 60, "分": 60, "小时": 3600, "小時": 3600, "钟头": 3600,
                 "鐘頭": 3600, "天": 86400, "日": 86400, "周": 604800, "週": 604800, "星期": 604800,
                 "礼拜": 604800, "禮拜": 604800}
_DAY_OFFSET = {"今天": 0, "今日": 0, "today": 0, "昨天": 1, "昨日": 1, "yesterday": 1, "前天": 2}
_FULLWIDTH = str.maketrans("０１２３４５６７８９：／－．", "0123456789:/-.")


def parse_datetime(value: str, fetched_at: datetime | None = None) -> datetime | None:
    """A machine-readable stamp (ISO 8601, RFC 2822) or date text -> naive UTC, or None."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        parsed = _rfc2822(value)
    if parsed is not None:
        if not _MIN_YEAR <= parsed.year <= _MAX_YEAR:
            return None
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
        return parsed
    return find_date(value, fetched_at)


def _rfc2822(value: str) -> datetime | None:
    if not re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", value):
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def find_date(text: str, fetched_at: datetime | None = None) -> datetime | None:
    """The first date written in `text` -> naive UTC (absolute dates win over relative ones)."""
    text = text.translate(_FULLWIDTH)
    best: tuple[int, datetime] | None = None
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            found = _absolute(kind, match)
            if found is not None:
                if best is None or match.start() < best[0]:
                    best = (match.start(), found)
                break
    if best is not None:
        return best[1]
    if fetched_at is None:
        return None
    return _relative(text, fetched_at)


def _absolute(kind: str, match: re.Match[str]) -> datetime | None:
    g = match.groupdict()
    year = int(g["y"])
    if kind == "ymd":
        month, day = int(g["m"]), int(g["d"])
    elif kind in ("mdy", "dmy"):
        month, day = _MONTHS[g["mon"].lower()], int(g["d"])
    else:
        a, b = int(g["a"]), int(g["b"])
        if a > 12 >= b:
            day, month = a, b
        elif b > 12 >= a:
            month, day = a, b
        elif a == b:
            month = day = a
        else:
            return None  # 03/11/2026: March or November? unknown
    return _build(year, month, day, g)


def _build(year: int, month: int, day: int, g: dict[str, str | None]) -> datetime | None:
    hour, minute, second = _clock(g)
    if hour is None:
        return None
    try:
        value = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    off = g.get("off")
    if off:
        sign = 1 if off[0] == "+" else -1
        digits = off[1:].replace(":", "")
        value -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return value


def _clock(g: dict[str, str | None]) -> tuple[int | None, int, int]:
    """(hour, minute, second) of the optional time part; hour None when the time is impossible."""
    if not g.get("hh"):
        return 0, 0, 0
    hour, minute, second = int(g["hh"]), int(g["mi"]), int(g.get("ss") or 0)
    ampm = (g.get("ampm") or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None, 0, 0
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None, 0, 0
    return hour, minute, second


def _relative(text: str, fetched_at: datetime) -> datetime | None:
    candidates: list[tuple[int, datetime]] = []
    for match in _AGO_ZH.finditer(text):
        n = match["n"]
        amount = 0.5 if n == "半" else _ZH_NUM.get(n) or int(n)
        candidates.append((match.start(), fetched_at - timedelta(seconds=amount * _UNIT_SECONDS[match["unit"]])))
        break
    for match in _AGO_EN.finditer(text):
        n = match["n"].lower()
        amount = 1 if n in ("a", "an", "one") else int(n)
        unit = match["unit"].lower()
        seconds = (1 if unit.startswith("s") else 60 if unit.startswith("m") else 3600 if unit.startswith("h")
                   else 86400 if unit.startswith("d") else 604800)
        candidates.append((match.start(), fetched_at - timedelta(seconds=amount * seconds)))
        break
    for match in _NOW.finditer(text):
        candidates.append((match.start(), fetched_at))
        break
    for match in _DAY_WORD.finditer(text):
        day = (fetched_at - timedelta(days=_DAY_OFFSET[match["word"].lower()])).date()
        hour, minute, second = _clock(match.groupdict())
        if hour is not None:
            candidates.append((match.start(), datetime(day.year, day.month, day.day, hour, minute, second)))
        break
    for pattern, kind in ((_MONTH_DAY_ZH, "zh"), (_MONTH_DAY_EN, "en")):
        for match in pattern.finditer(text):
            month = int(match["m"]) if kind == "zh" else _MONTHS[match["mon"].lower()]
            found = _without_year(month, int(match["d"]), match.groupdict(), fetched_at)
            if found is not None:
                candidates.append((match.start(), found))
                break
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[0])[1]


def _without_year(month: int, day: int, g: dict[str, str | None], fetched_at: datetime) -> datetime | None:
    """A month and day as seen on a page fetched at `fetched_at`: this year, or last year when
    this year's date is still more than a day ahead (a page dated "12月31日" read on 2 January)."""
    for year in (fetched_at.year, fetched_at.year - 1):
        found = _build(year, month, day, g)
        if found is not None and found <= fetched_at + timedelta(days=1):
            return found
    return None
