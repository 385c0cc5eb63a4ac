"""Chinese dates: read the ways officers write them, print the two official styles.

GB/T 9704-2012 writes dates in Arabic numerals (2023年4月20日); older forms use
Chinese numerals (二〇二三年四月二十日). Applicant files arrive as 2023-05-08,
2023.5.8, 2023/5/8, 2023年5月8日 or 20230508; all are read.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

DateStyle = Literal["arabic", "chinese"]

_DIGITS = "〇一二三四五六七八九"
_SEPARATED = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_YEAR_MONTH = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?\s*$")


def parse_date(value: str) -> dt.date:
    """Parse a full date; raise ValueError with a Chinese message if it is not one."""
    text = value.strip()
    match = _SEPARATED.match(text) or _COMPACT.match(text)
    if not match:
        raise ValueError(f"“{value}”不是日期，应写成 2023-05-08 或 2023年5月8日")
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"“{value}”不是存在的日期") from None


def parse_year_month(value: str) -> dt.date:
    """Parse 出生年月-style values (2023-05 or 2023年5月) as the first of the month."""
    match = _YEAR_MONTH.match(value)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            return dt.date(year, month, 1)
    return parse_date(value)


def is_year_month(value: str) -> bool:
    """Whether a written date gives only a year and a month ("2010.7", "2010年7月")."""
    match = _YEAR_MONTH.match(value)
    return match is not None and 1 <= int(match.group(2)) <= 12


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def coerce_date(value: object) -> dt.date:
    """Accept a TOML date, a datetime or a string in any accepted form."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    raise ValueError(f"“{value}”不是日期，应写成 2023-05-08")


def _number(n: int) -> str:
    """1..31 in Chinese numerals as written in dates: 十, 十一, 二十, 三十一."""
    if n < 10:
        return _DIGITS[n]
    tens, units = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[units] if units else ''}"


def format_date(day: dt.date, style: DateStyle = "arabic") -> str:
    """2023年5月8日 (arabic, the default) or 二〇二三年五月八日 (chinese)."""
    if style == "chinese":
        year = "".join(_DIGITS[int(c)] for c in f"{day.year:04d}")
        return f"{year}年{_number(day.month)}月{_number(day.day)}日"
    return f"{day.year}年{day.month}月{day.day}日"


def format_year_month(day: dt.date) -> str:
    """出生年月 style: 1990年3月 (Arabic) — the form 一览表 columns use."""
    return f"{day.year}年{day.month}月"
