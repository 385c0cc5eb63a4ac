"""Typed models of one notice's config (zcprep.toml): what the notice asks for.

``zcprep.model.config.load_notice`` validates a file into these once, at the boundary;
after that the rest of zcprep only sees these objects.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from zcprep.cndate import coerce_date
from zcprep.names import portable_name
from zcprep.workdays import CalendarOverride

Date = Annotated[dt.date, BeforeValidator(coerce_date)]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]

EDUCATIONS = ("中专", "大专", "本科", "硕士研究生", "博士研究生")
DEGREES = ("无", "学士", "第二学士", "硕士", "博士")
FileFormat = Literal["pdf", "jpg", "png"]
FORMATS: tuple[FileFormat, ...] = ("pdf", "jpg", "png")
# Fields of applicant.toml a condition may test (see applicant.py).
CONDITION_FIELDS = (
    "exceptional",
    "freelancer",
    "specialized_enterprise",
    "labor_dispatch",
    "education",
    "degree",
    "level",
    "current_title",
)
# Keys a roster column may show; roster.py computes each from applicant.toml.
ROSTER_KEYS = (
    "index",
    "rank",
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "employer",
    "education",
    "degree",
    "education_degree",
    "school",
    "major",
    "school_major",
    "graduation_date",
    "work_start_date",
    "specialty_start_date",
    "current_title",
    "current_title_date",
    "level",
    "qualification",
    "exceptional",
    "freelancer",
    "continuing_education",
    "social_insurance_months",
    "publicity",
    "remarks",
)


class Model(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=True)


class Identity(Model):
    """Who issued the notice and what it covers."""

    id: Identifier
    title: str
    issuer: str
    doc_number: str = "无"
    issued: Date
    year: int = Field(ge=2000, le=2100)
    region: str
    series: str = "工程系列"
    specialty: str
    kind: Literal["评审", "初定"] = "评审"
    source: str = ""


class Unit(Model):
    """The applying unit's own details; filled in by the officer after ``zcprep init``."""

    name: str = ""
    contact: str = ""
    phone: str = ""


class Level(Model):
    id: Identifier
    name: str
    qualification: str
    fee: int | None = Field(default=None, ge=0)
    copies: int = Field(default=1, ge=1)


class Window(Model):
    start: Date | None = None
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.start is not None and self.start > self.end:
            raise ValueError("开始日期晚于截止日期")
        return self


class Dates(Model):
    online: Window | None = None
    paper: Window | None = None
    seniority_cutoff: Date | None = None
    achievements_cutoff: Date | None = None


class Publicity(Model):
    """The unit's own 公示. ``required = false`` where the notice has no unit 公示
    (Sichuan's 初定 results are published by the committee, not by the unit)."""

    required: bool = True
    min_working_days: int = Field(default=5, ge=1, le=60)
    first_day_counts: bool = True


class Calendar(Model):
    """The officer's own corrections to the official holiday calendar, for a year the
    installed chinesecalendar does not know yet (the State Council publishes each
    year's arrangement in November) or a local holiday."""

    holidays: list[Date] = Field(default_factory=list)
    workdays: list[Date] = Field(default_factory=list)
    years: list[int] | None = None

    @model_validator(mode="after")
    def _disjoint(self) -> Calendar:
        both = sorted(set(self.holidays) & set(self.workdays))
        if both:
            raise ValueError(f"{both[0].isoformat()} 同时列在 holidays 和 workdays 中")
        return self

    def override(self) -> CalendarOverride | None:
        if not (self.holidays or self.workdays or self.years):
            return None
        return CalendarOverride(
            holidays=frozenset(self.holidays),
            workdays=frozenset(self.workdays),
            years=None if self.years is None else frozenset(self.years),
        )


class ContinuingEducation(Model):
    hours_per_year: float = Field(default=90, ge=0)
    public_min_hours: float | None = Field(default=None, ge=0)
    professional_min_hours: float | None = Field(default=None, ge=0)
    professional_min_share: float | None = Field(default=None, ge=0, le=1)
    years: int = Field(default=1, ge=1, le=10)


Condition = dict[str, str | bool | int]


def _as_condition_list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, dict):
        return [value]
    return value


Conditions = Annotated[list[Condition], BeforeValidator(_as_condition_list)]


def _check_conditions(conditions: list[Condition]) -> None:
    for condition in conditions:
        for key in condition:
            if key not in CONDITION_FIELDS:
                raise ValueError(f"条件字段“{key}”未知，可用：{'、'.join(CONDITION_FIELDS)}")


class EligibilityRule(Model):
    """One path to a level: education (and degree) plus months counted from a date.

    ``count_from`` names the applicant date the months run from: graduation, work_start,
    specialty_start or current_title. ``lower_titles`` lists titles of which the applicant
    must hold one (matched against ``current_title``). An ``exceptional`` rule is a 破格
    path: it needs no months but makes the 破格 material required.
    """

    level: Identifier
    education: list[str] = Field(default_factory=list)
    degree: list[str] = Field(default_factory=list)
    lower_titles: list[str] = Field(default_factory=list)
    months: int = Field(default=0, ge=0, le=600)
    count_from: Literal["graduation", "work_start", "specialty_start", "current_title"] = (
        "graduation"
    )
    exceptional: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _known_values(self) -> EligibilityRule:
        for item in self.education:
            if item not in EDUCATIONS:
                raise ValueError(f"学历“{item}”未知，可用：{'、'.join(EDUCATIONS)}")
        for item in self.degree:
            if item not in DEGREES:
                raise ValueError(f"学位“{item}”未知，可用：{'、'.join(DEGREES)}")
        return self


class Eligibility(Model):
    basis: str = ""
    as_of: Literal["seniority_cutoff", "notice_date", "today"] = "seniority_cutoff"
    rules: list[EligibilityRule] = Field(default_factory=list)


class SocialInsurance(Model):
    months: int = Field(ge=1, le=600)
    waived_when: Conditions = Field(default_factory=list)

    @model_validator(mode="after")
    def _fields(self) -> SocialInsurance:
        _check_conditions(self.waived_when)
        return self


class Material(Model):
    """One checklist item of the notice."""

    id: Identifier
    name: str
    short: str | None = None
    order: int = Field(ge=1, le=99)
    required: bool = True
    required_when: Conditions = Field(default_factory=list)
    omit_when: Conditions = Field(default_factory=list)
    bound: bool = False
    copies: int = Field(default=1, ge=1, le=20)
    formats: list[FileFormat] = Field(default_factory=lambda: list(FORMATS))
    max_size_kb: int | None = Field(default=None, ge=1)
    min_dpi: int | None = Field(default=None, ge=50, le=1200)
    patterns: list[str] = Field(default_factory=list)
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Material:
        _check_conditions(self.required_when)
        _check_conditions(self.omit_when)
        for pattern in self.patterns:
            if ".." in Path(pattern).parts or Path(pattern).is_absolute() or "\\" in pattern:
                raise ValueError(f"文件匹配式“{pattern}”不能指向档案文件夹以外")
        return self

    @property
    def folder(self) -> str:
        """The dossier sub-folder ``zcprep new`` makes for this item: NN-材料名."""
        return f"{self.order:02d}-{_safe_folder_name(self.short or self.name)}"


_WHITESPACE = re.compile(r"\s+")


def _safe_folder_name(name: str) -> str:
    """A Windows-safe folder name from a material name: forbidden characters and all
    whitespace dropped (``NN-材料名`` reads as one word), no dot at either end, ≤ 40 chars."""
    return portable_name(
        _WHITESPACE.sub("", name), replacement="", also_strip=".", max_chars=40, fallback="材料"
    )


class Form(Model):
    id: Identifier
    title: str
    template: str
    aliases: list[str] = Field(default_factory=list)


class Render(Model):
    date_style: Literal["arabic", "chinese"] = "arabic"
    templates_dir: str | None = None
    forms: list[Form] = Field(default_factory=list)


class RosterColumn(Model):
    key: str
    header: str
    width: float | None = Field(default=None, gt=0, le=100)

    @model_validator(mode="after")
    def _known_key(self) -> RosterColumn:
        if self.key not in ROSTER_KEYS:
            raise ValueError(f"列“{self.key}”未知，可用：{'、'.join(ROSTER_KEYS)}")
        return self


class Roster(Model):
    title: str = "申报{specialty}{level}专业技术资格人员情况一览表"
    split: Literal["file", "sheet"] = "file"
    paper: Literal["A4", "A3"] = "A4"
    columns: list[RosterColumn] = Field(default_factory=list)


class Bind(Model):
    page_number_format: str = "第 {n} 页"
    position: Literal["bottom-center", "bottom-outer", "bottom-right", "top-right"] = (
        "bottom-center"
    )
    font_size: float = Field(default=10.5, ge=6, le=24)
    toc: bool = True
    toc_numbered: bool = False
    white_backing: bool = True

    @field_validator("page_number_format")
    @classmethod
    def _has_number(cls, value: str) -> str:
        if "{n}" not in value:
            raise ValueError("页码格式必须含有 {n}，如“第 {n} 页”或“- {n} -”")
        return value


class Fonts(Model):
    path: str | None = None
    subfont_index: int = Field(default=0, ge=0)


class Notice(Model):
    schema_version: int = Field(default=1, alias="schema")
    notice: Identity
    unit: Unit = Field(default_factory=Unit)
    levels: list[Level] = Field(min_length=1)
    dates: Dates = Field(default_factory=Dates)
    publicity: Publicity = Field(default_factory=Publicity)
    calendar: Calendar = Field(default_factory=Calendar)
    continuing_education: ContinuingEducation | None = None
    eligibility: Eligibility = Field(default_factory=Eligibility)
    social_insurance: SocialInsurance | None = None
    materials: list[Material] = Field(min_length=1)
    render: Render = Field(default_factory=Render)
    roster: Roster = Field(default_factory=Roster)
    bind: Bind = Field(default_factory=Bind)
    fonts: Fonts = Field(default_factory=Fonts)

    @model_validator(mode="after")
    def _cross_references(self) -> Notice:
        _unique("levels", [lv.id for lv in self.levels])
        _unique("materials", [m.id for m in self.materials])
        _unique("materials.order", [m.order for m in self.materials])
        level_ids = {lv.id for lv in self.levels}
        for rule in self.eligibility.rules:
            if rule.level not in level_ids:
                raise ValueError(
                    f"eligibility.rules 中的级别“{rule.level}”不在 levels 中"
                    f"（可用：{'、'.join(sorted(level_ids))}）"
                )
        return self

    @property
    def id(self) -> str:
        return self.notice.id

    def level(self, key: str) -> Level | None:
        """Find a level by id, Chinese name or qualification name (中级, 工程师)."""
        key = key.strip()
        for level in self.levels:
            if key in (level.id, level.name, level.qualification):
                return level
        return None

    @property
    def checklist(self) -> list[Material]:
        return sorted(self.materials, key=lambda m: m.order)

    @property
    def bound_materials(self) -> list[Material]:
        return [m for m in self.checklist if m.bound]


def _unique(key: str, values: list[Any]) -> None:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{key} 中的“{value}”重复出现")
        seen.add(value)
