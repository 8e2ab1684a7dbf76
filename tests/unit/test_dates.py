"""Date text -> naive UTC: one case a line, Chinese and English, absolute and relative."""

from datetime import datetime

import pytest

from ingest.dates import find_date, parse_datetime

FETCHED = datetime(2026, 11, 23, 12, 0)  # naive UTC


@pytest.mark.parametrize("value, expected", [
    ("2026-02-06T11:45:00Z", datetime(2026, 2, 6, 11, 45)),
    ("2026-02-06T06:45:00-05:00", datetime(2026, 2, 6, 11, 45)),
    ("2025-12-17T20:30:00+08:00", datetime(2025, 12, 17, 12, 30)),
    ("2026-03-01", datetime(2026, 3, 1)),
    ("2026-03-01T08:00:00.000+0800", datetime(2026, 3, 1, 0, 0)),
    ("Tue, 03 Nov 2026 10:30:00 GMT", datetime(2026, 11, 3, 10, 30)),
    ("Tue, 03 Nov 2026 18:30:00 +0800", datetime(2026, 11, 3, 10, 30)),
    ("2026年3月19日 14:05", datetime(2026, 3, 19, 14, 5)),
    ("", None),
    ("not a date", None),
    ("0001-01-01T00:00:00Z", None),
])
def test_parse_datetime(value, expected):
    assert parse_datetime(value) == expected


@pytest.mark.parametrize("text, expected", [
    # absolute, numeric
    ("2026-03-20 10:15", datetime(2026, 3, 20, 10, 15)),
    ("科创日报记者 刘洋 | 2026-03-20 10:15", datetime(2026, 3, 20, 10, 15)),
    ("2025/12/18", datetime(2025, 12, 18)),
    ("2025.12.18 08:05:09", datetime(2025, 12, 18, 8, 5, 9)),
    ("2026年3月19日", datetime(2026, 3, 19)),
    ("2026年03月19日 14时05分", datetime(2026, 3, 19, 14, 5)),
    ("２０２６年３月１９日 １４：０５", datetime(2026, 3, 19, 14, 5)),
    ("发布时间:2026年3月19日14:05 来源:新华社", datetime(2026, 3, 19, 14, 5)),
    ("2026-03-20 10:15 +08:00", datetime(2026, 3, 20, 2, 15)),
    ("2026-03-20 10:15 UTC", datetime(2026, 3, 20, 10, 15)),
    ("2026-02-30", None),
    ("2026-03-20 25:15", None),
    ("1850-01-01", None),
    # absolute, English month names
    ("Nov 3, 2026", datetime(2026, 11, 3)),
    ("Nov. 3, 2026 10:30 AM", datetime(2026, 11, 3, 10, 30)),
    ("November 3rd, 2026 at 9:05 p.m.", datetime(2026, 11, 3, 21, 5)),
    ("3 November 2026", datetime(2026, 11, 3)),
    ("Published 3rd Nov 2026, 14:20", datetime(2026, 11, 3, 14, 20)),
    ("Sept 30, 2026", datetime(2026, 9, 30)),
    ("Nov 31, 2026", None),
    ("13:00 PM, Nov 3, 2026", datetime(2026, 11, 3)),
    # numeric day/month order: only when unambiguous
    ("25/12/2026", datetime(2026, 12, 25)),
    ("12/25/2026", datetime(2026, 12, 25)),
    ("03/11/2026", None),
    # the earliest date in the text wins
    ("Updated Nov 4, 2026; first published 2026-11-03", datetime(2026, 11, 4)),
    # relative forms are unknown without a fetch time
    ("6小时前", None),
    ("3 hours ago", None),
    ("昨天 10:30", None),
])
def test_find_date_without_fetch_time(text, expected):
    assert find_date(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("6小时前", datetime(2026, 11, 23, 6, 0)),
    ("6小時前", datetime(2026, 11, 23, 6, 0)),
    ("30分钟前", datetime(2026, 11, 23, 11, 30)),
    ("30 分鐘前", datetime(2026, 11, 23, 11, 30)),
    ("半小时前", datetime(2026, 11, 23, 11, 30)),
    ("两天前", datetime(2026, 11, 21, 12, 0)),
    ("3天前", datetime(2026, 11, 20, 12, 0)),
    ("1周前", datetime(2026, 11, 16, 12, 0)),
    ("刚刚", FETCHED),
    ("昨天 10:30", datetime(2026, 11, 22, 10, 30)),
    ("昨天", datetime(2026, 11, 22)),
    ("前天 08:00", datetime(2026, 11, 21, 8, 0)),
    ("今天 09:15", datetime(2026, 11, 23, 9, 15)),
    ("3 hours ago", datetime(2026, 11, 23, 9, 0)),
    ("an hour ago", datetime(2026, 11, 23, 11, 0)),
    ("45 mins ago", datetime(2026, 11, 23, 11, 15)),
    ("2 days ago", datetime(2026, 11, 21, 12, 0)),
    ("1 week ago", datetime(2026, 11, 16, 12, 0)),
    ("just now", FETCHED),
    ("yesterday", datetime(2026, 11, 22)),
    ("Yesterday at 4:30 PM", datetime(2026, 11, 22, 16, 30)),
    ("Today 07:45", datetime(2026, 11, 23, 7, 45)),
    # no year: this year, or last year when this year's date is still ahead
    ("11月20日 14:05", datetime(2026, 11, 20, 14, 5)),
    ("12月30日", datetime(2025, 12, 30)),
    ("Nov 3", datetime(2026, 11, 3)),
    ("Dec 30 09:00", datetime(2025, 12, 30, 9, 0)),
    # absolute dates ignore the fetch time
    ("2026-03-20 10:15", datetime(2026, 3, 20, 10, 15)),
    ("Nov 3, 2024", datetime(2024, 11, 3)),
    # not dates
    ("5月3日前完成交割", datetime(2026, 5, 3)),
    ("shares may 10 percent", None),
    ("a few hours ago", None),
    ("来源:新华社", None),
])
def test_find_date_relative_to_fetch_time(text, expected):
    assert find_date(text, fetched_at=FETCHED) == expected


def test_parse_datetime_passes_the_fetch_time_on():
    assert parse_datetime("3小时前", fetched_at=FETCHED) == datetime(2026, 11, 23, 9, 0)
