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
    BeforeValidator,
    Field,
    field_validator,
    model_validator,
)

from zcprep.cndate import coerce_date
from zcprep.model.fields import ApplicantSection
from zcprep.model.rules import (
    Conditions,
    ContinuingEducation,
    Eligibility,
    Identifier,
    Model,
    Publicity,
    SocialInsurance,
    Sourced,
    condition_keys,
)
from zcprep.names import portable_name
from zcprep.workdays import CalendarOverride

Date = Annotated[dt.date, BeforeValidator(coerce_date)]

FileFormat = Literal["pdf", "jpg", "png"]
FORMATS: tuple[FileFormat, ...] = ("pdf", "jpg", "png")
# Keys a roster column may show (roster/columns.py computes each), with the applicant
# fields each needs the notice to declare.
ROSTER_NEEDS: dict[str, tuple[str, ...]] = {
    "index": (),
    "rank": ("rank",),
    "name": (),
    "gender": ("gender",),
    "birth_date": ("birth_date",),
    "id_number": ("id_number",),
    "phone": ("phone",),
    "employer": ("employer",),
    "education": ("education",),
    "degree": ("degree",),
    "education_degree": ("education", "degree"),
    "school": ("school",),
    "major": ("major",),
    "school_major": ("school", "major"),
    "graduation_date": ("graduation_date",),
    "work_start_date": ("work_start_date",),
    "specialty_start_date": ("specialty_start_date",),
    "current_title": ("current_title",),
    "current_title_date": ("current_title_date",),
    "level": (),
    "qualification": (),
    "exceptional": ("exceptional",),
    "freelancer": ("freelancer",),
    "continuing_education": ("continuing_education",),
    "social_insurance_months": ("social_insurance_months",),
    "publicity": ("publicity_start", "publicity_end"),
    "remarks": ("remarks",),
}
ROSTER_KEYS = tuple(ROSTER_NEEDS)
Stage = Literal["submit", "generated", "paper"]
STAGES: tuple[Stage, ...] = ("submit", "generated", "paper")
STAGE_NAMES = {"submit": "网上申报前", "generated": "网上审核通过后系统生成", "paper": "纸质报送"}


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


class Material(Sourced):
    """One checklist item of the notice.

    ``stage``: when it is due — ``submit`` (prepared before the online submission),
    ``generated`` (made by the platform after the online review, e.g. the 评审表) or
    ``paper`` (handed in on paper after the review). ``scope``: one per applicant, or
    one per ``batch`` (花名册, the unit's 推荐意见), kept in the workspace's batch folder.
    ``not_accepted``: files matching ``patterns`` are what the notice refuses.
    """

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
    stage: Stage = "submit"
    scope: Literal["applicant", "batch"] = "applicant"
    paper_size: Literal["A4", "A3"] | None = None
    duplex: bool = False
    not_accepted: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Material:
        if self.not_accepted and not self.patterns:
            raise ValueError(f"材料“{self.id}”设了 not_accepted，须用 patterns 写明要识别的文件名")
        for pattern in self.patterns:
            if ".." in Path(pattern).parts or Path(pattern).is_absolute() or "\\" in pattern:
                raise ValueError(f"文件匹配式“{pattern}”不能指向档案文件夹以外")
        return self

    @property
    def folder(self) -> str:
        """The dossier sub-folder ``zcprep new`` makes for this item: NN-材料名."""
        return f"{self.order:02d}-{_safe_folder_name(self.short or self.name)}"

    def due(self, stage: Stage) -> bool:
        """Whether the item is due by ``stage`` (submit < generated < paper)."""
        return STAGES.index(self.stage) <= STAGES.index(stage)

    @property
    def paper_note(self) -> str:
        """ "A3 双面，一式 5 份": how the paper copy is made, where the notice says."""
        parts = [p for p in (self.paper_size, "双面" if self.duplex else "") if p]
        if self.copies > 1:
            parts.append(f"一式 {self.copies} 份")
        return "，".join(parts)


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
    # A white box behind the number on full-page scans (and where room cannot be made).
    white_backing: bool = True
    # How room is made where a page paints in the number's band: shrink the content a
    # little (never over content) or put the number on a white box (may cover content).
    make_room: Literal["shrink", "white-box"] = "shrink"

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
    applicant: ApplicantSection = Field(default_factory=ApplicantSection.legacy)
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
        material_ids = {m.id for m in self.materials}
        for rule in self.eligibility.rules:
            if rule.level not in level_ids:
                raise ValueError(
                    f"eligibility.rules 中的级别“{rule.level}”不在 levels 中"
                    f"（可用：{'、'.join(sorted(level_ids))}）"
                )
            for item in rule.materials:
                if item not in material_ids:
                    raise ValueError(f"eligibility.rules 中的材料“{item}”不在 materials 中")
        _declared_only(self)
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

    def continuing_education_years(self) -> list[int]:
        """The years the continuing-education rule counts: ``years`` years ending with its
        ``last_year``, or with the year before the notice's when none is given (configs
        written before ``last_year`` existed keep their verdicts)."""
        rule = self.continuing_education
        if rule is None:
            return []
        last = rule.last_year if rule.last_year is not None else self.notice.year - 1
        return list(range(last - rule.years + 1, last + 1))

    @property
    def checklist(self) -> list[Material]:
        """The items of each applicant's dossier, in order."""
        return self.items("applicant")

    @property
    def batch_checklist(self) -> list[Material]:
        """The items of the whole batch (the workspace's batch folder), in order."""
        return self.items("batch")

    def items(self, scope: Literal["applicant", "batch"]) -> list[Material]:
        return sorted((m for m in self.materials if m.scope == scope), key=lambda m: m.order)

    @property
    def bound_materials(self) -> list[Material]:
        """The items bound into an applicant's volume before submission."""
        return self.bound_at("submit")

    def bound_at(self, stage: Stage) -> list[Material]:
        """The items bound into an applicant's volume at ``stage``."""
        return [m for m in self.checklist if m.bound and m.due(stage) and not m.not_accepted]


def _declared_only(notice: Notice) -> None:
    """Conditions and roster columns may only use fields the notice declares."""
    declared = notice.applicant.declared_keys() | {"level"}
    uses: list[tuple[str, set[str]]] = [
        ("eligibility.exclusions", condition_keys([e.when for e in notice.eligibility.exclusions]))
    ]
    for material in notice.materials:
        keys = condition_keys([*material.required_when, *material.omit_when])
        uses.append((f"materials（{material.id}）", keys))
    for name, rule in (
        ("social_insurance", notice.social_insurance),
        ("continuing_education", notice.continuing_education),
    ):
        if rule is not None:
            uses.append((f"{name}.waived_when", condition_keys(rule.waived_when)))
    for where, keys in uses:
        for key in sorted(keys - declared):
            raise ValueError(
                f"{where} 的条件用到栏目“{key}”，而 [applicant] 没有声明它；"
                "把它加进 fields、optional 或 [[applicant.custom]]"
            )
    custom = {c.key for c in notice.applicant.custom}
    for column in notice.roster.columns:
        if column.key in custom:
            continue
        if column.key not in ROSTER_NEEDS:
            raise ValueError(
                f"roster 的列“{column.key}”未知，可用：{'、'.join(ROSTER_KEYS)} 或自定义栏目"
            )
        missing = [k for k in ROSTER_NEEDS[column.key] if k not in declared]
        if missing:
            raise ValueError(
                f"roster 的列“{column.key}”要用栏目“{'、'.join(missing)}”，而 [applicant] 没有声明它"
            )


def _unique(key: str, values: list[Any]) -> None:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{key} 中的“{value}”重复出现")
        seen.add(value)
