"""What each roster column shows: one resolver per column key, reading the applicant.

``RESOLVERS`` maps every key of model/notice.ROSTER_KEYS to a function of the row's
applicant, level and notice (a ``RowContext``) that returns a typed cell and the gaps it
met: ID and phone numbers stay text, dates become real dates, hours and months numbers.
A new column is a new resolver here. ``DEFAULT_COLUMNS`` are the columns used when
zcprep.toml lists none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from zcprep.cndate import format_date
from zcprep.idcard import normalize_id, normalize_phone
from zcprep.model.applicant import FIELD_BY_KEY, Applicant, parse_flag
from zcprep.model.notice import Notice, RosterColumn
from zcprep.roster.cells import (
    EMPTY,
    CellKind,
    Gap,
    Resolved,
    RosterCell,
    RowContext,
    number_cell,
    text_cell,
)

# Excel's calendar starts in 1900; an earlier date is a typo and would show as ####.
EARLIEST_DATE = dt.date(1900, 3, 1)


# Used when zcprep.toml has no [roster] columns: the common core of the notices' tables.
DEFAULT_COLUMNS = (
    RosterColumn(key="index", header="序号"),
    RosterColumn(key="name", header="姓名"),
    RosterColumn(key="gender", header="性别"),
    RosterColumn(key="birth_date", header="出生年月"),
    RosterColumn(key="employer", header="工作单位"),
    RosterColumn(key="education_degree", header="学历（学位）"),
    RosterColumn(key="school_major", header="毕业院校及专业"),
    RosterColumn(key="current_title", header="现专业技术资格"),
    RosterColumn(key="qualification", header="申报资格"),
    RosterColumn(key="phone", header="联系电话"),
    RosterColumn(key="remarks", header="备注"),
)


def _label(key: str) -> str:
    spec = FIELD_BY_KEY.get(key)
    return spec.label if spec else key


def _text_field(key: str) -> Callable[[RowContext], Resolved]:
    def resolve(ctx: RowContext) -> Resolved:
        value = ctx.applicant.text(key)
        if value is None:
            return EMPTY, [Gap(key, "missing")]
        return text_cell(value), []

    return resolve


def _date_field(key: str, kind: CellKind = "date") -> Callable[[RowContext], Resolved]:
    def resolve(ctx: RowContext) -> Resolved:
        return _date_value(ctx.applicant, key, kind)

    return resolve


def _date_value(applicant: Applicant, key: str, kind: CellKind) -> Resolved:
    """A real date cell; 无 stays the text 无; unreadable text is kept as written."""
    raw = applicant.text(key)
    if raw is None:
        return EMPTY, [Gap(key, "missing")]
    if applicant.is_none(key):
        return text_cell(raw), []
    day = applicant.date(key)
    if day is None or day < EARLIEST_DATE:
        return text_cell(raw), [Gap(key, "invalid", raw)]
    # A month given stays a month (2010年7月), never a day nobody knows.
    return RosterCell(day, "month" if applicant.month_only(key) else kind), []


def _bool_field(key: str) -> Callable[[RowContext], Resolved]:
    def resolve(ctx: RowContext) -> Resolved:
        value = ctx.applicant.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return EMPTY, [Gap(key, "missing")]
        flag = parse_flag(value)
        if flag is not None:
            return text_cell("是" if flag else "否"), []
        text = str(value).strip()
        return text_cell(text), [Gap(key, "invalid", text)]

    return resolve


def _number_field(key: str) -> Callable[[RowContext], Resolved]:
    def resolve(ctx: RowContext) -> Resolved:
        raw = ctx.applicant.text(key)
        if raw is None:
            return EMPTY, [Gap(key, "missing")]
        number = ctx.applicant.number(key)
        if number is None:
            return text_cell(raw), [Gap(key, "invalid", raw)]
        return number_cell(number), []

    return resolve


def _name(ctx: RowContext) -> Resolved:
    """姓名; when absent, the dossier folder's name (which is the name by convention)."""
    if ctx.applicant.text("name") is not None:
        return text_cell(ctx.applicant.name), []
    folder = ctx.applicant.name  # the folder's name, made printable (it may be GBK bytes)
    return text_cell(folder), [Gap("name", "missing", outcome=f"填了档案文件夹名“{folder}”")]


def _id_number(ctx: RowContext) -> Resolved:
    raw = ctx.applicant.text("id_number")
    if raw is None:
        return EMPTY, [Gap("id_number", "missing")]
    return text_cell(normalize_id(raw)), []


def _phone(ctx: RowContext) -> Resolved:
    """The number in one form (13912345678, 0513-85550000); kept as typed when it is not
    a phone number (check warns about it)."""
    raw = ctx.applicant.text("phone")
    if raw is None:
        return EMPTY, [Gap("phone", "missing")]
    return text_cell(normalize_phone(raw) or raw), []


def _birth_date(ctx: RowContext) -> Resolved:
    """出生年月 as written; when absent, read from a valid ID number (digits 7–14)."""
    cell, gaps = _date_value(ctx.applicant, "birth_date", "month")
    if not (gaps and gaps[0].reason == "missing"):
        return cell, gaps
    birth, derived = ctx.applicant.birth_date()
    if derived and birth is not None:
        return RosterCell(birth, "month"), []
    return cell, gaps


def _education_degree(ctx: RowContext) -> Resolved:
    """本科（学士）; a degree of 无 shows the education alone."""
    education = ctx.applicant.text("education")
    degree = ctx.applicant.text("degree")
    gaps = []
    if education is None:
        gaps.append(Gap("education", "missing"))
    if degree is None:
        gaps.append(Gap("degree", "missing"))
    if education is None:
        return EMPTY, gaps
    if degree is None or ctx.applicant.is_none("degree"):
        return text_cell(education), gaps
    return text_cell(f"{education}（{degree}）"), gaps


def _school_major(ctx: RowContext) -> Resolved:
    school = ctx.applicant.text("school")
    major = ctx.applicant.text("major")
    gaps = [
        Gap(key, "missing")
        for key, value in (("school", school), ("major", major))
        if value is None
    ]
    shown = " ".join(part for part in (school, major) if part)
    return (text_cell(shown) if shown else EMPTY), gaps


def _level_name(ctx: RowContext) -> Resolved:
    return text_cell(ctx.level.name), []


def _qualification(ctx: RowContext) -> Resolved:
    return text_cell(ctx.level.qualification), []


def _hours(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def counted_years(notice: Notice) -> tuple[int, ...] | None:
    """The years whose hours count: ``years`` years ending with the rule's ``last_year``
    (None: all listed)."""
    if notice.continuing_education is None:
        return None
    return tuple(notice.continuing_education_years())


def _continuing_education(ctx: RowContext) -> Resolved:
    """Total hours (公需 + 专业) over the years the notice counts, as a number."""
    entries = ctx.applicant.data.get("continuing_education")
    if not isinstance(entries, list) or not entries:
        return EMPTY, [Gap("continuing_education", "missing")]
    wanted = counted_years(ctx.notice)
    total = 0.0
    counted: set[int] = set()
    gaps: list[Gap] = []
    for entry in entries:
        year = entry.get("year") if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or not isinstance(year, int) or isinstance(year, bool):
            gaps.append(Gap("continuing_education", "invalid", str(entry)))
            continue
        if wanted is not None and year not in wanted:
            continue
        public = _hours(entry.get("public_hours", 0))
        professional = _hours(entry.get("professional_hours", 0))
        if public is None or professional is None:
            gaps.append(
                Gap("continuing_education", "invalid", f"{year} 年度的学时", outcome="未计入该年度")
            )
            continue
        total += public + professional
        counted.add(year)
    missing_years = [year for year in (wanted or ()) if year not in counted]
    if missing_years:
        years = "、".join(str(year) for year in missing_years)
        outcome = "只计已填的年度" if counted else "已留空"
        gaps.append(
            Gap("continuing_education", "missing", detail=f"{years} 年度的学时", outcome=outcome)
        )
    if not counted:
        return EMPTY, gaps or [Gap("continuing_education", "missing")]
    return number_cell(int(total) if total.is_integer() else total), gaps


def _publicity(ctx: RowContext) -> Resolved:
    """公示起止: 2023年5月8日至2023年5月12日."""
    start = ctx.applicant.date("publicity_start")
    end = ctx.applicant.date("publicity_end")
    gaps = []
    for key, day in (("publicity_start", start), ("publicity_end", end)):
        if day is None:
            raw = ctx.applicant.text(key)
            gaps.append(Gap(key, "invalid", raw) if raw else Gap(key, "missing"))
    if start is None or end is None:
        return EMPTY, gaps
    return text_cell(f"{format_date(start)}至{format_date(end)}"), gaps


RESOLVERS: dict[str, Callable[[RowContext], Resolved]] = {
    "rank": _number_field("rank"),
    "name": _name,
    "gender": _text_field("gender"),
    "birth_date": _birth_date,
    "id_number": _id_number,
    "phone": _phone,
    "employer": _text_field("employer"),
    "education": _text_field("education"),
    "degree": _text_field("degree"),
    "education_degree": _education_degree,
    "school": _text_field("school"),
    "major": _text_field("major"),
    "school_major": _school_major,
    "graduation_date": _date_field("graduation_date"),
    "work_start_date": _date_field("work_start_date"),
    "specialty_start_date": _date_field("specialty_start_date"),
    "current_title": _text_field("current_title"),
    "current_title_date": _date_field("current_title_date"),
    "level": _level_name,
    "qualification": _qualification,
    "exceptional": _bool_field("exceptional"),
    "freelancer": _bool_field("freelancer"),
    "continuing_education": _continuing_education,
    "social_insurance_months": _number_field("social_insurance_months"),
    "publicity": _publicity,
    "remarks": _text_field("remarks"),
}


def resolver(notice: Notice, key: str) -> Callable[[RowContext], Resolved]:
    """The function filling a column: a known key's, else a notice's own field's by kind."""
    if key in RESOLVERS:
        return RESOLVERS[key]
    spec = notice.applicant.spec(key)
    kind = spec.kind if spec else "text"
    if kind in ("date", "month"):
        return _custom_date(key, kind)
    if kind == "bool":
        return _bool_field(key)
    if kind == "int":
        return _number_field(key)
    return _text_field(key)


def _custom_date(key: str, kind: str) -> Callable[[RowContext], Resolved]:
    def resolve(ctx: RowContext) -> Resolved:
        raw = ctx.applicant.text(key)
        if raw is None:
            return EMPTY, [Gap(key, "missing")]
        if ctx.applicant.is_none(key):
            return text_cell(raw), []
        day = ctx.applicant.date(key, kind)
        if day is None or day < EARLIEST_DATE:
            return text_cell(raw), [Gap(key, "invalid", raw)]
        return RosterCell(day, "month" if kind == "month" else "date"), []

    return resolve


def roster_columns(notice: Notice) -> list[RosterColumn]:
    return list(notice.roster.columns) or list(DEFAULT_COLUMNS)
