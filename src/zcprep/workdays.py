"""Chinese working days: the official calendar, a user override, and honest unknown years.

A day is a working day (工作日) when the State Council calendar says so: Monday–Friday
except public holidays, plus the 调休 weekend days that are worked. chinesecalendar holds
that calendar for the years it knows (2004–2026 in 1.11.0) and raises
``NotImplementedError`` for any other year. zcprep never crashes on such a year: it falls
back to Monday–Friday and reports the year as unverified, so the caller can emit a
``calendar-unverified`` finding. A :class:`CalendarOverride` (extra holidays and extra
working days, e.g. copied from the State Council notice for a year the installed
chinesecalendar does not know yet) takes precedence over both, and a year it lists
dates for counts as verified.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from zcprep.cndate import coerce_date
from zcprep.errors import ConfigError

_ONE_DAY = dt.timedelta(days=1)
# Years probed by known_years(): wide enough for any release of chinesecalendar.
_PROBE_FIRST_YEAR = 1990
_PROBE_YEARS_AHEAD = 10
# A guard against runaway loops in add_workdays: an override that declares a whole
# year of holidays is a mistake, not a calendar.
_MAX_IDLE_DAYS = 366


@dataclass(frozen=True)
class CalendarOverride:
    """User-supplied corrections: dates that are holidays or working days.

    ``years`` are the years the override vouches for; by default every year that one of
    its dates falls in. Those years are reported as verified even when chinesecalendar
    does not know them.
    """

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    years: frozenset[int] | None = None

    def __post_init__(self) -> None:
        both = sorted(self.holidays & self.workdays)
        if both:
            listed = "、".join(day.isoformat() for day in both)
            raise ConfigError(
                f"节假日调整中 {listed} 同时被列为节假日和工作日",
                "请在 holidays 和 workdays 中只保留其中一处",
            )

    @property
    def covered_years(self) -> frozenset[int]:
        """Years this override vouches for."""
        if self.years is not None:
            return self.years
        return frozenset(day.year for day in self.holidays | self.workdays)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> CalendarOverride:
        """Build from a config table: ``{holidays = [...], workdays = [...], years = [...]}``.

        Dates may be TOML dates or strings such as "2027-10-01"; a bad value raises
        ConfigError naming it.
        """
        unknown = sorted(set(data) - {"holidays", "workdays", "years"})
        if unknown:
            raise ConfigError(
                f"节假日调整中有无法识别的键：{'、'.join(unknown)}",
                "只能写 holidays（放假日期）、workdays（调休上班日期）和 years（适用年份）",
            )
        years = data.get("years")
        return cls(
            holidays=_dates(data.get("holidays", []), "holidays"),
            workdays=_dates(data.get("workdays", []), "workdays"),
            years=None if years is None else _years(years),
        )


def _dates(values: object, key: str) -> frozenset[dt.date]:
    if not isinstance(values, list | tuple | set | frozenset):
        raise ConfigError(
            f"节假日调整中的 {key} 应是日期列表，实际是“{values}”",
            f'请写成 {key} = ["2027-10-01", "2027-10-02"]',
        )
    days: set[dt.date] = set()
    for value in values:
        try:
            days.add(coerce_date(value))
        except ValueError as exc:
            raise ConfigError(
                f"节假日调整中的 {key} 有无效日期：{exc}",
                "日期请写成 2027-10-01 的形式",
            ) from None
    return frozenset(days)


def _years(values: object) -> frozenset[int]:
    if not isinstance(values, list | tuple | set | frozenset) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in values
    ):
        raise ConfigError(
            f"节假日调整中的 years 应是年份列表，实际是“{values}”",
            "请写成 years = [2027]",
        )
    return frozenset(values)


class DayStatus(NamedTuple):
    """Whether a day is worked, and whether an official calendar said so."""

    workday: bool
    verified: bool


@dataclass(frozen=True)
class WorkdayCount:
    """Working days in a period; ``unverified_years`` were counted as plain Monday–Friday."""

    days: int
    unverified_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class WorkdayResult:
    """Last day of an n-working-day period; ``unverified_years`` as in WorkdayCount."""

    end: dt.date
    unverified_years: tuple[int, ...] = ()


@cache
def _library_workday(day: dt.date) -> bool | None:
    """chinesecalendar's answer, or None when it has no data for that year."""
    try:
        import chinese_calendar
    except ImportError:
        return None
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


@cache
def _library_knows_year(year: int) -> bool:
    return _library_workday(dt.date(year, 6, 1)) is not None


def known_years() -> tuple[int, ...]:
    """The years the installed chinesecalendar has official data for (probed, not assumed)."""
    last = dt.date.today().year + _PROBE_YEARS_AHEAD
    return tuple(y for y in range(_PROBE_FIRST_YEAR, last + 1) if _library_knows_year(y))


def calendar_version() -> str | None:
    """The installed chinesecalendar version, for ``zcprep doctor``; None if absent."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chinesecalendar")
    except PackageNotFoundError:
        return None


def is_workday(day: dt.date, override: CalendarOverride | None = None) -> DayStatus:
    """Is ``day`` a working day in mainland China, and was that known officially?"""
    if isinstance(day, dt.datetime):
        day = day.date()
    if override is not None:
        if day in override.holidays:
            return DayStatus(False, True)
        if day in override.workdays:
            return DayStatus(True, True)
    official = _library_workday(day)
    if official is not None:
        return DayStatus(official, True)
    vouched = override is not None and day.year in override.covered_years
    return DayStatus(day.weekday() < 5, vouched)


def _days(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start
    while day <= end:
        yield day
        day += _ONE_DAY


def count_workdays(
    start: dt.date,
    end: dt.date,
    first_day_counts: bool = True,
    override: CalendarOverride | None = None,
) -> WorkdayCount:
    """Working days from ``start`` to ``end`` inclusive (``start`` itself only if
    ``first_day_counts``). An empty period (end before start) has 0 days."""
    first = start if first_day_counts else start + _ONE_DAY
    days = 0
    unverified: set[int] = set()
    for day in _days(first, end):
        status = is_workday(day, override)
        days += status.workday
        if not status.verified:
            unverified.add(day.year)
    return WorkdayCount(days, tuple(sorted(unverified)))


def add_workdays(
    start: dt.date,
    n: int,
    first_day_counts: bool = True,
    override: CalendarOverride | None = None,
) -> WorkdayResult:
    """The last day of a period of ``n`` working days beginning at ``start``.

    With ``first_day_counts`` a working ``start`` is day 1; otherwise counting begins the
    day after. Raises ValueError when ``n`` < 1.
    """
    if n < 1:
        raise ValueError(f"工作日数应至少为 1，实际为 {n}")
    day = start if first_day_counts else start + _ONE_DAY
    remaining = n
    idle = 0
    unverified: set[int] = set()
    while idle <= _MAX_IDLE_DAYS:
        status = is_workday(day, override)
        if not status.verified:
            unverified.add(day.year)
        if status.workday:
            remaining -= 1
            idle = 0
            if remaining == 0:
                return WorkdayResult(day, tuple(sorted(unverified)))
        else:
            idle += 1
        day += _ONE_DAY
    raise ValueError(
        f"自 {day.isoformat()} 前连续一年以上没有工作日，请检查节假日调整中的 holidays 设置"
    )
