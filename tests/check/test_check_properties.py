"""Property tests at the level of check: 公示 findings against an independent count of
working days, the ID check as check reports it, and dates written every accepted way.

(workdays.py and idcard.py have their own property tests; these test what check makes
of them.)
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from check_helpers import CONTINUING, id_with_check, right_applicant, write_notice
from zcprep.check import applicant as applicant_checks
from zcprep.check import eligibility, paths, rules
from zcprep.check.context import DossierContext
from zcprep.cndate import format_date, parse_date
from zcprep.model.applicant import Applicant
from zcprep.model.config import LoadedNotice
from zcprep.model.notice import Publicity
from zcprep.model.workspace import Workspace, open_workspace
from zcprep.workdays import known_years

KNOWN = known_years()
D = dt.date
TODAY = D(2024, 5, 20)
PROVINCES = [
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "81",
    "82",
    "83",
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("props")
    write_notice(root)
    return open_workspace(root)


def context(ws: Workspace, data: dict[str, Any], today: dt.date = TODAY) -> DossierContext:
    folder = ws.dossiers_dir / "x"
    full = {"continuing_education": CONTINUING, **data}
    return DossierContext(
        workspace=ws, path=folder, rel="dossiers/x", today=today, applicant=Applicant(folder, full)
    )


def with_publicity(ws: Workspace, days: int, first_day_counts: bool) -> Workspace:
    notice = ws.notice.model_copy(
        update={"publicity": Publicity(min_working_days=days, first_day_counts=first_day_counts)}
    )
    return Workspace(ws.root, LoadedNotice(notice=notice, path=ws.config_path, warnings=[]))


def oracle_workday(day: dt.date) -> bool:
    """Straight from chinesecalendar, Monday–Friday where it has no data."""
    if day.year in KNOWN:
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


def oracle_count(start: dt.date, end: dt.date, first_day_counts: bool) -> int:
    day, count = (start if first_day_counts else start + dt.timedelta(days=1)), 0
    while day <= end:
        count += oracle_workday(day)
        day += dt.timedelta(days=1)
    return count


_LAST_DAY = re.compile(r"应至少公示到 (\d{4})年(\d{1,2})月(\d{1,2})日")

starts = st.one_of(
    st.dates(min_value=D(KNOWN[0], 1, 1), max_value=D(KNOWN[-1], 11, 30)),
    st.dates(min_value=D(KNOWN[-1], 12, 1), max_value=D(KNOWN[-1] + 2, 12, 31)),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=starts,
    length=st.integers(min_value=0, max_value=25),
    minimum=st.integers(min_value=1, max_value=10),
    first_day_counts=st.booleans(),
)
def test_publicity_findings_follow_the_working_day_count(
    workspace: Workspace, start: dt.date, length: int, minimum: int, first_day_counts: bool
) -> None:
    end = start + dt.timedelta(days=length)
    ws = with_publicity(workspace, minimum, first_day_counts)
    data = {
        **right_applicant(),
        "publicity_start": start.isoformat(),
        "publicity_end": end.isoformat(),
    }
    findings = list(rules.publicity(context(ws, data)))
    codes = [f.code for f in findings]
    counted = oracle_count(start, end, first_day_counts)
    assert ("publicity-too-short" in codes) == (counted < minimum)
    if counted < minimum:
        short = next(f for f in findings if f.code == "publicity-too-short")
        assert f"只有 {counted} 个工作日" in short.message
        match = _LAST_DAY.search(short.hint)
        assert match is not None
        last = D(*(int(g) for g in match.groups()))
        assert oracle_count(start, last, first_day_counts) == minimum
        assert oracle_workday(last)  # the smallest such day: one earlier would be short
    horizon = end + dt.timedelta(days=60)
    all_known = all(year in KNOWN for year in range(start.year, horizon.year + 1))
    first = start if first_day_counts else start + dt.timedelta(days=1)
    some_unknown = (
        any(year not in KNOWN for year in range(first.year, end.year + 1)) and first <= end
    )
    if all_known:
        assert "calendar-unverified" not in codes
    if some_unknown:
        assert "calendar-unverified" in codes


@st.composite
def id_numbers(draw: st.DrawFn) -> tuple[str, dt.date, str]:
    region = draw(st.sampled_from(PROVINCES)) + f"{draw(st.integers(0, 9999)):04d}"
    birth = draw(st.dates(min_value=D(1950, 1, 1), max_value=D(2005, 12, 31)))
    sequence = draw(st.integers(0, 999))
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return id_with_check(first17), birth, "男" if sequence % 2 else "女"


def applicant_for(number: str, birth: dt.date, gender: str) -> dict[str, Any]:
    return {
        **right_applicant(),
        "id_number": number,
        "birth_date": birth.isoformat(),
        "gender": gender,
    }


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    person=id_numbers(), position=st.integers(0, 16), delta=st.integers(1, 9), lower=st.booleans()
)
def test_id_check_as_check_reports_it(
    workspace: Workspace, person: tuple[str, dt.date, str], position: int, delta: int, lower: bool
) -> None:
    number, birth, gender = person
    written = number.lower() if lower else number  # a lowercase x is the same number
    assert (
        list(applicant_checks.id_number(context(workspace, applicant_for(written, birth, gender))))
        == []
    )
    digit = str((int(number[position]) + delta) % 10)
    typo = number[:position] + digit + number[position + 1 :]
    findings = list(
        applicant_checks.id_number(context(workspace, applicant_for(typo, birth, gender)))
    )
    assert any(f.code == "id-number-invalid" and f.severity == "error" for f in findings)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(person=id_numbers(), shift=st.integers(-4000, 4000).filter(bool), month_only=st.booleans())
def test_birth_date_and_gender_against_the_id(
    workspace: Workspace, person: tuple[str, dt.date, str], shift: int, month_only: bool
) -> None:
    number, birth, gender = person
    data = applicant_for(number, birth, gender)
    if month_only:
        data["birth_date"] = f"{birth.year}年{birth.month}月"
    assert list(applicant_checks.id_number(context(workspace, data))) == []
    other = birth + dt.timedelta(days=shift)
    data["birth_date"] = f"{other.year}-{other.month:02d}" if month_only else other.isoformat()
    codes = [f.code for f in applicant_checks.id_number(context(workspace, data))]
    same_month = (other.year, other.month) == (birth.year, birth.month)
    assert codes == ([] if month_only and same_month else ["id-number-mismatch"])
    data = applicant_for(number, birth, "女" if gender == "男" else "男")
    assert [f.code for f in applicant_checks.id_number(context(workspace, data))] == [
        "id-number-mismatch"
    ]


STYLES = (
    lambda d: d.isoformat(),
    lambda d: format_date(d),
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
    lambda d: f"{d:%Y%m%d}",
    lambda d: f" {d.year} 年 {d.month} 月 {d.day} 日 ",
    lambda d: f"{d.year}-{d.month}-{d.day}",
)


@given(
    day=st.dates(min_value=D(1000, 1, 1), max_value=D(9999, 12, 31)), style=st.sampled_from(STYLES)
)
def test_parse_date_round_trips(day: dt.date, style: Any) -> None:
    assert parse_date(style(day)) == day


@given(text=st.text(max_size=20))
def test_parse_date_returns_a_date_or_a_chinese_value_error(text: str) -> None:
    try:
        parse_date(text)
    except ValueError as exc:
        assert "日期" in str(exc)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    day=st.dates(min_value=D(1980, 1, 1), max_value=D(2017, 12, 31)), style=st.sampled_from(STYLES)
)
def test_any_accepted_date_style_passes_the_field_check_and_counts_the_same(
    workspace: Workspace, day: dt.date, style: Any
) -> None:
    data = {**right_applicant(), "current_title_date": style(day)}
    findings = list(applicant_checks.applicant_fields(context(workspace, data)))
    assert findings == []
    iso = {**right_applicant(), "current_title_date": day.isoformat()}
    written = [f.message for f in eligibility.eligibility(context(workspace, data))]
    assert written == [f.message for f in eligibility.eligibility(context(workspace, iso))]
    assert bool(written) == (paths.full_months(day, D(2023, 12, 31)) < 48)


def test_full_months_examples() -> None:
    assert paths.full_months(D(2022, 7, 1), D(2022, 12, 31)) == 5
    assert paths.full_months(D(2016, 12, 30), D(2022, 12, 31)) == 72
    assert paths.full_months(D(2020, 1, 31), D(2020, 2, 29)) == 0
    assert paths.full_months(D(2020, 1, 31), D(2020, 3, 31)) == 2


@given(a=st.dates(), b=st.dates())
def test_full_months_is_monotonic_and_exact(a: dt.date, b: dt.date) -> None:
    months = paths.full_months(a, b)
    if b >= a:
        assert months >= 0
        later = b + dt.timedelta(days=40)
        if later.year <= 9999:
            assert paths.full_months(a, later) >= months + 1


def test_title_matching() -> None:
    assert paths.title_matches("助理工程师", "助理工程师")
    assert paths.title_matches("网络安全助理工程师（中级职称前）", "助理工程师")
    assert not paths.title_matches("助理工程师", "工程师")
    assert not paths.title_matches("高级工程师", "工程师")
    assert paths.title_matches("信息安全工程师", "工程师")
    assert not paths.title_matches("无", "技术员")
