"""Working days: the official calendar, the Monday–Friday fallback and the override."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zcprep.errors import ConfigError
from zcprep.workdays import (
    CalendarOverride,
    DayStatus,
    add_workdays,
    calendar_version,
    count_workdays,
    is_workday,
    known_years,
)

D = dt.date
KNOWN = known_years()
# A year no chinesecalendar release will know: always the Monday–Friday fallback.
FAR = 2090

known_days = st.dates(min_value=D(KNOWN[0], 1, 1), max_value=D(KNOWN[-1], 11, 30))
any_days = st.dates(min_value=D(KNOWN[0], 1, 1), max_value=D(FAR, 12, 31))


def test_national_day_2025_with_tiaoxiu_sunday() -> None:
    # 2025-09-28 is a Sunday worked in lieu; 10-01..10-08 are the holiday.
    assert is_workday(D(2025, 9, 28)) == DayStatus(True, True)
    assert is_workday(D(2025, 10, 2)) == DayStatus(False, True)
    result = add_workdays(D(2025, 9, 26), 5)
    assert result.end == D(2025, 10, 9)
    assert result.unverified_years == ()
    assert count_workdays(D(2025, 9, 26), D(2025, 10, 9)).days == 5


def test_first_day_not_counted() -> None:
    assert add_workdays(D(2025, 9, 26), 5, first_day_counts=False).end == D(2025, 10, 10)
    assert count_workdays(D(2025, 9, 26), D(2025, 10, 9), first_day_counts=False).days == 4


def test_known_years_are_probed() -> None:
    assert 2025 in KNOWN
    assert FAR not in KNOWN
    assert list(KNOWN) == list(range(KNOWN[0], KNOWN[-1] + 1))
    assert calendar_version()


def test_unknown_year_falls_back_and_is_reported() -> None:
    monday = D(FAR, 1, 2)
    assert monday.weekday() == 0
    assert is_workday(monday) == DayStatus(True, False)
    assert is_workday(monday + dt.timedelta(days=5)) == DayStatus(False, False)
    result = add_workdays(monday, 6)
    assert result.end == monday + dt.timedelta(days=7)
    assert result.unverified_years == (FAR,)


def test_period_crossing_into_unknown_year() -> None:
    last = KNOWN[-1]
    count = count_workdays(D(last, 12, 1), D(last + 1, 1, 31))
    assert count.unverified_years == (last + 1,)
    assert count.days > 0


def test_empty_period_and_bad_n() -> None:
    assert count_workdays(D(2025, 5, 10), D(2025, 5, 1)).days == 0
    with pytest.raises(ValueError, match="至少为 1"):
        add_workdays(D(2025, 5, 1), 0)


def test_override_makes_unknown_year_verified() -> None:
    override = CalendarOverride(
        holidays=frozenset({D(FAR, 1, 2)}), workdays=frozenset({D(FAR, 1, 7)})
    )
    assert is_workday(D(FAR, 1, 2), override) == DayStatus(False, True)
    assert is_workday(D(FAR, 1, 7), override) == DayStatus(True, True)  # a Saturday
    assert is_workday(D(FAR, 1, 3), override) == DayStatus(True, True)
    count = count_workdays(D(FAR, 1, 2), D(FAR, 1, 8), override=override)
    assert count == count_workdays(D(FAR, 1, 2), D(FAR, 1, 8), override=override)
    assert count.days == 5  # 3,4,5,6 (Tue–Fri) + Saturday 7
    assert count.unverified_years == ()


def test_override_takes_precedence_over_library() -> None:
    override = CalendarOverride(holidays=frozenset({D(2025, 9, 26)}))
    assert is_workday(D(2025, 9, 26), override) == DayStatus(False, True)
    assert add_workdays(D(2025, 9, 26), 5, override=override).end == D(2025, 10, 10)


def test_override_from_mapping() -> None:
    override = CalendarOverride.from_mapping(
        {"holidays": ["2090-10-02", D(FAR, 10, 3)], "workdays": ["2090年9月30日"]}
    )
    assert override.holidays == {D(FAR, 10, 2), D(FAR, 10, 3)}
    assert override.workdays == {D(FAR, 9, 30)}
    assert override.covered_years == {FAR}
    explicit = CalendarOverride.from_mapping({"holidays": [], "years": [2091]})
    assert explicit.covered_years == {2091}


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ({"holidays": "2090-10-01"}, "日期列表"),
        ({"holidays": ["2090-13-01"]}, "无效日期"),
        ({"holiday": []}, "无法识别"),
        ({"years": ["2090"]}, "年份列表"),
        ({"holidays": ["2090-10-01"], "workdays": ["2090-10-01"]}, "同时"),
    ],
)
def test_override_errors_are_config_errors(data: dict[str, object], needle: str) -> None:
    with pytest.raises(ConfigError, match=needle) as info:
        CalendarOverride.from_mapping(data)
    assert info.value.hint


def test_runaway_override_is_refused() -> None:
    start = D(FAR, 1, 1)
    every_day = frozenset(start + dt.timedelta(days=i) for i in range(800))
    with pytest.raises(ValueError, match="没有工作日"):
        add_workdays(start, 1, override=CalendarOverride(holidays=every_day))


@settings(max_examples=150, deadline=None)
@given(start=any_days, n=st.integers(min_value=1, max_value=40), first=st.booleans())
def test_add_then_count_round_trips(start: dt.date, n: int, first: bool) -> None:
    result = add_workdays(start, n, first_day_counts=first)
    assert is_workday(result.end).workday
    count = count_workdays(start, result.end, first_day_counts=first)
    assert count.days == n
    assert count.unverified_years == result.unverified_years


@settings(max_examples=150, deadline=None)
@given(start=known_days, n=st.integers(min_value=1, max_value=30))
def test_count_from_a_workday_round_trips(start: dt.date, n: int) -> None:
    if not is_workday(start).workday:
        return
    end = add_workdays(start, n).end
    assert count_workdays(start, end).days == n
    # one day less is one working day short
    assert count_workdays(start, end - dt.timedelta(days=1)).days == n - 1


@settings(max_examples=150, deadline=None)
@given(start=any_days, a=st.integers(0, 60), b=st.integers(0, 60))
def test_count_is_monotone_in_end(start: dt.date, a: int, b: int) -> None:
    short, long = sorted((a, b))
    first = count_workdays(start, start + dt.timedelta(days=short)).days
    second = count_workdays(start, start + dt.timedelta(days=long)).days
    assert 0 <= second - first <= long - short


@settings(max_examples=100, deadline=None)
@given(start=any_days, n=st.integers(1, 30))
def test_add_is_monotone_in_n(start: dt.date, n: int) -> None:
    assert add_workdays(start, n).end < add_workdays(start, n + 1).end


@settings(max_examples=100, deadline=None)
@given(
    start=st.dates(min_value=D(KNOWN[-1] + 1, 1, 1), max_value=D(FAR, 12, 1)),
    span=st.integers(0, 40),
)
def test_unknown_years_are_mon_to_fri_and_reported(start: dt.date, span: int) -> None:
    end = start + dt.timedelta(days=span)
    count = count_workdays(start, end)
    expected = sum((start + dt.timedelta(days=i)).weekday() < 5 for i in range(span + 1))
    assert count.days == expected
    assert count.unverified_years == tuple(range(start.year, end.year + 1))
