"""The 情况一览表: one printable, sealable table of applicants per level, as .xlsx.

Officers used to type this table into Excel by hand, where 18-digit ID numbers turn into
1.10105E+17 and lose digits, and a remark such as "=SUM(A1)" or "+86 138…" becomes a
formula. Here every cell is typed on purpose: ID and phone numbers are text, dates are
real dates shown in Chinese, counts are numbers, and nothing from applicant data can
ever become a formula.

The work runs in three stages so that each can be timed and tested alone:
``load_applicants`` reads every applicant.toml, ``plan_roster`` turns them into typed
rows per level (plus warnings and the fee summary), ``build_workbooks`` lays the rows
out with openpyxl, and ``save_workbooks`` writes them atomically under out/.
``make_roster`` runs all of them.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from zcprep.atomic import write_with
from zcprep.cndate import format_date, format_year_month
from zcprep.errors import UsageError, ZcprepError
from zcprep.idcard import normalize_id
from zcprep.model.applicant import FIELD_BY_KEY, Applicant, load_applicant, parse_flag
from zcprep.model.notice import Level, Notice, RosterColumn
from zcprep.model.workspace import APPLICANT_FILE, Workspace
from zcprep.names import NAME_MAX_BYTES, portable_name

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

CellKind = Literal["text", "date", "month", "number", "empty"]

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
MONTH_FORMAT = 'yyyy"年"m"月"'
TEXT_FORMAT = "@"
FEE_SHEET = "费用汇总"
FEE_UNKNOWN = "未定"
FOOTER = "第 &P 页 共 &N 页"
# Excel's calendar starts in 1900; an earlier date is a typo and would show as ####.
EARLIEST_DATE = dt.date(1900, 3, 1)
# A leading = + - @ (or a tab / carriage return before one) makes Excel and WPS read a
# typed value as a formula; such text is written as a string cell with a quote prefix.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

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

# Layout constants, in Excel column-width units (about one Latin digit; a CJK char is 2).
MIN_WIDTH = 4.0
MAX_WIDTH = 30.0
HEADER_ONE_LINE = 10  # a header wider than this may wrap onto two lines
PADDING = 2.0
LINE_HEIGHT = 14.25  # points per text line at 11 pt
TITLE_HEIGHT = 32.0
TITLE_SCALE = 16 / 11  # the title's 16 pt characters against the 11 pt column units
DATA_ROW_START = 4  # rows 1–3: title, unit/date line, header


# --- typed cells ------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterCell:
    """One typed value of the table; ``kind`` decides the Excel cell type and format."""

    value: str | int | float | dt.date | None
    kind: CellKind

    @property
    def display(self) -> str:
        """The text a reader sees, used to size columns and rows."""
        if self.value is None:
            return ""
        if isinstance(self.value, dt.date):
            if self.kind == "month":
                return format_year_month(self.value)
            return format_date(self.value)
        if isinstance(self.value, float) and self.value.is_integer():
            return str(int(self.value))
        return str(self.value)


EMPTY = RosterCell(None, "empty")


def text_cell(value: str) -> RosterCell:
    return RosterCell(value, "text")


def number_cell(value: int | float) -> RosterCell:
    return RosterCell(value, "number")


@dataclass(frozen=True)
class Gap:
    """Why a cell could not be filled as the column needs: a field missing or unreadable."""

    key: str
    reason: Literal["missing", "invalid"]
    raw: str = ""
    detail: str = ""
    outcome: str = ""  # what the cell shows instead, when the generic wording would mislead


Resolved = tuple[RosterCell, list[Gap]]


@dataclass(frozen=True)
class RowContext:
    applicant: Applicant
    level: Level
    notice: Notice


# --- what each column key shows ---------------------------------------------------------


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
    return RosterCell(day, kind), []


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
    """The years whose hours count: the N years before the notice year (None: all listed)."""
    rules = notice.continuing_education
    if rules is None:
        return None
    year = notice.notice.year
    return tuple(range(year - rules.years, year))


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
    "phone": _text_field("phone"),
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


# --- the plan: typed rows per level, warnings, fees --------------------------------------


@dataclass
class LevelSheet:
    """One level's table: its title and its typed rows in 推荐排序 order, then name."""

    level: Level
    title: str
    columns: list[RosterColumn]
    rows: list[list[RosterCell]]


@dataclass(frozen=True)
class FeeLine:
    level: Level
    count: int

    @property
    def fee(self) -> int | None:
        return self.level.fee

    @property
    def amount(self) -> int | None:
        return None if self.level.fee is None else self.level.fee * self.count


@dataclass
class RosterPlan:
    sheets: list[LevelSheet]
    warnings: list[str] = field(default_factory=list)
    # The one level ``--level`` asked for; None when the plan covers every level.
    selected: Level | None = None

    @property
    def fees(self) -> list[FeeLine]:
        return [FeeLine(sheet.level, len(sheet.rows)) for sheet in self.sheets]


@dataclass
class RosterResult:
    """What ``make_roster`` wrote, the fee summary and what the user should hear."""

    outputs: list[Path]
    fees: list[FeeLine]
    warnings: list[str]


def fee_total(fees: Iterable[FeeLine]) -> int | None:
    """Sum of all amounts, or None when any level's fee is 未定."""
    amounts = [line.amount for line in fees]
    if any(amount is None for amount in amounts):
        return None
    return sum(amount for amount in amounts if amount is not None)


def select_levels(notice: Notice, wanted: str | None) -> list[Level]:
    """All levels, or the one ``--level`` names by id, Chinese name or qualification."""
    if wanted is None:
        return list(notice.levels)
    level = notice.level(wanted)
    if level is None:
        choices = "、".join(f"{lv.id}（{lv.name}）" for lv in notice.levels)
        raise UsageError(
            f"zcprep.toml 中没有级别“{wanted}”。",
            f"--level 可用：{choices}。",
        )
    return [level]


def load_applicants(workspace: Workspace) -> tuple[list[Applicant], list[str]]:
    """Every dossier's applicant.toml; a missing or broken one is a warning, not a stop."""
    applicants: list[Applicant] = []
    warnings: list[str] = []
    for folder in workspace.dossier_paths():
        path = folder / APPLICANT_FILE
        if not path.exists():  # a pipe or a link is load_applicant's to say
            warnings.append(
                f"{workspace.relative(folder)} 中没有 {APPLICANT_FILE}，未列入一览表；"
                "用 zcprep new 姓名 新建的档案才带有该文件。"
            )
            continue
        try:
            applicant = load_applicant(folder)
        except ZcprepError as exc:
            warnings.append(f"{exc.message} 该申报人未列入一览表。")
            continue
        warnings.extend(f"{workspace.relative(path)}：{note}" for note in applicant.notes)
        applicants.append(applicant)
    return applicants, warnings


def roster_title(notice: Notice, level: Level) -> str:
    """The configured title with {level} and {specialty} filled; other braces stay as typed."""
    return notice.roster.title.replace("{level}", level.name).replace(
        "{specialty}", notice.notice.specialty
    )


def roster_columns(notice: Notice) -> list[RosterColumn]:
    return list(notice.roster.columns) or list(DEFAULT_COLUMNS)


def plan_roster(
    workspace: Workspace, applicants: list[Applicant], level: str | None = None
) -> RosterPlan:
    """Typed rows per level (levels with applicants only), with every warning collected."""
    notice = workspace.notice
    levels = select_levels(notice, level)
    warnings: list[str] = []
    by_level: dict[str, list[Applicant]] = {lv.id: [] for lv in notice.levels}
    stray: list[str] = []
    for applicant in applicants:
        written = applicant.text("level")
        found = notice.level(written) if written else None
        if found is None:
            stray.append(f"{applicant.name}（{written or '未填写'}）")
        else:
            by_level[found.id].append(applicant)
    if stray:
        known = "、".join(lv.name for lv in notice.levels)
        warnings.append(
            f"以下申报人的申报级别（level）不在 zcprep.toml 的级别中，未列入一览表：{'、'.join(stray)}；"
            f"请改为 {known} 之一。"
        )
    columns = roster_columns(notice)
    sheets = []
    for lv in levels:
        members = sorted(by_level[lv.id], key=_order_key)
        if not members:
            if level is not None:
                raise UsageError(
                    f"没有申报“{lv.name}”的人员，未生成一览表。",
                    "检查各档案 applicant.toml 中的 level，或去掉 --level 生成全部级别。",
                )
            continue
        warnings.extend(_duplicate_ranks(lv, members))
        sheets.append(_level_sheet(workspace, lv, columns, members, warnings))
    if not sheets:
        raise UsageError(
            "没有可列入一览表的申报人。",
            "先用 zcprep new 姓名 新建档案并填写 applicant.toml 中的 level。",
        )
    return RosterPlan(
        sheets=sheets, warnings=warnings, selected=levels[0] if level is not None else None
    )


def _order_key(applicant: Applicant) -> tuple[bool, int, str]:
    """推荐排序 first (unranked last), then name."""
    rank = applicant.number("rank")
    return (rank is None, rank or 0, applicant.name)


def _duplicate_ranks(level: Level, members: list[Applicant]) -> list[str]:
    names_by_rank: dict[int, list[str]] = {}
    for applicant in members:
        rank = applicant.number("rank")
        if rank is not None:
            names_by_rank.setdefault(rank, []).append(applicant.name)
    return [
        f"{level.name}：推荐排序 {rank} 重复（{'、'.join(names)}），一览表按姓名先后排列；"
        "请在 applicant.toml 中改正 rank。"
        for rank, names in names_by_rank.items()
        if len(names) > 1
    ]


def _level_sheet(
    workspace: Workspace,
    level: Level,
    columns: list[RosterColumn],
    members: list[Applicant],
    warnings: list[str],
) -> LevelSheet:
    rows = []
    for index, applicant in enumerate(members, start=1):
        ctx = RowContext(applicant, level, workspace.notice)
        row = []
        for column in columns:
            if column.key == "index":
                row.append(number_cell(index))
                continue
            cell, gaps = RESOLVERS[column.key](ctx)
            row.append(_clean(cell, applicant, column, workspace, warnings))
            warnings.extend(_gap_warning(g, cell, applicant, column, workspace) for g in gaps)
        rows.append(row)
    return LevelSheet(
        level=level,
        title=roster_title(workspace.notice, level),
        columns=columns,
        rows=rows,
    )


def _gap_warning(
    gap: Gap, cell: RosterCell, applicant: Applicant, column: RosterColumn, workspace: Workspace
) -> str:
    """Name the applicant, the field, the column, what was written and where to fix it."""
    where = workspace.relative(applicant.folder / APPLICANT_FILE)
    field_name = f"{_label(gap.key)}（{gap.key}）"
    if gap.outcome:
        outcome = gap.outcome
    elif cell.kind == "empty":
        outcome = "已留空"
    elif gap.reason == "invalid" and cell.value == gap.raw:
        outcome = "按原文填写"
    else:
        outcome = "只填了可识别的部分"
    if gap.reason == "missing":
        return (
            f"{applicant.name}：缺少{field_name}{gap.detail}，一览表“{column.header}”栏{outcome}；"
            f"请在 {where} 中填写。"
        )
    return (
        f"{applicant.name}：{field_name}“{gap.raw}”无法识别，一览表“{column.header}”栏{outcome}；"
        f"请在 {where} 中改正。"
    )


# openpyxl refuses these control characters (it raises IllegalCharacterError on write).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(
    cell: RosterCell,
    applicant: Applicant,
    column: RosterColumn,
    workspace: Workspace,
    warnings: list[str],
) -> RosterCell:
    if cell.kind != "text" or not isinstance(cell.value, str) or not _ILLEGAL.search(cell.value):
        return cell
    where = workspace.relative(applicant.folder / APPLICANT_FILE)
    warnings.append(
        f"{applicant.name}：一览表“{column.header}”栏的内容含有不可见的控制字符，已去掉；"
        f"请检查 {where}。"
    )
    return text_cell(_ILLEGAL.sub("", cell.value))


# --- column widths and row heights ------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def display_width(text: str) -> int:
    """Width in Excel units: East Asian wide and full-width characters count as 2.

    Cached: a roster repeats the same employers, schools and dates on every row.
    """
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def column_width(header: str, values: Iterable[str], configured: float | None = None) -> float:
    """Fit the longest value; a long header may wrap onto two lines; cap and wrap the rest."""
    if configured is not None:
        return configured
    header_width = display_width(header)
    header_need = (
        header_width
        if header_width <= HEADER_ONE_LINE
        else max(HEADER_ONE_LINE, math.ceil(header_width / 2))
    )
    value_need = max((display_width(value) for value in values), default=0)
    return min(MAX_WIDTH, max(MIN_WIDTH, header_need + PADDING, value_need + PADDING))


def lines_needed(text: str, width: float) -> int:
    usable = max(1.0, width - PADDING + 0.5)
    return max(1, math.ceil(display_width(text) / usable)) if text else 1


def title_height(title: str, total_width: float) -> float:
    """Room for the merged title, on more lines when the table is narrower than it."""
    lines = max(1, math.ceil(display_width(title) * TITLE_SCALE / max(total_width, 1.0)))
    return max(TITLE_HEIGHT, lines * 22.0 + 6)


def row_height(texts: Iterable[str], widths: list[float]) -> float | None:
    """A height for a row whose text wraps; None keeps the default for one-line rows."""
    lines = max(
        (lines_needed(text, width) for text, width in zip(texts, widths, strict=True)), default=1
    )
    return None if lines <= 1 else round(lines * LINE_HEIGHT + 4, 2)


# --- workbooks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetHeading:
    """The line under the title: 单位（盖章） and 填表日期."""

    unit: str
    date: str


_WORKBOOK_PREFIX = "情况一览表-"
_XLSX = ".xlsx"
_NAME_BYTES = NAME_MAX_BYTES - len((_WORKBOOK_PREFIX + _XLSX).encode("utf-8"))


def _safe_name(name: str, limit: int, max_bytes: int | None = None) -> str:
    """A level name fit for a file name and an Excel sheet name: no ``[ ]`` (Excel), no
    apostrophe at either end (Excel), nothing Windows forbids, dropped rather than
    replaced so that 中级/初级 read as the officer wrote them."""
    return portable_name(
        name.replace("[", "").replace("]", ""),
        replacement="",
        also_strip=" .'",
        max_chars=limit,
        max_bytes=max_bytes,
        fallback="级别",
    )


def output_paths(workspace: Workspace, plan: RosterPlan) -> list[Path]:
    """out/情况一览表-<级别>.xlsx per level, or one out/情况一览表.xlsx (split = "sheet").

    With ``--level`` the workbook is always named after that level: a one-level
    workbook must never replace the full 情况一览表.xlsx of a "sheet" split.
    """
    if workspace.notice.roster.split == "sheet" and plan.selected is None:
        return [workspace.out_dir / "情况一览表.xlsx"]
    return [
        workspace.out_dir
        / f"{_WORKBOOK_PREFIX}{_safe_name(sheet.level.name, 60, _NAME_BYTES)}{_XLSX}"
        for sheet in plan.sheets
    ]


class _Styles:
    """Shared style objects: openpyxl stores each distinct style once, so reuse is fast."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, Side

        thin = Side(style="thin", color="000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = Font(name="宋体", size=11)
        self.bold = Font(name="宋体", size=11, bold=True)
        self.title_font = Font(name="宋体", size=16, bold=True)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.right = Alignment(horizontal="right", vertical="center", wrap_text=True)
        self._arrays: dict[str, Any] = {}

    def apply(self, cell: Any, key: str, style: Callable[[Any, _Styles], None]) -> None:
        """Style the first cell of a kind through openpyxl's API, then copy its style ids.

        Assigning font, border and alignment hashes each object to find it in the
        workbook's style tables, which took 1.2 s of a 1,000-row build; copying the
        resulting id array (as openpyxl's own worksheet copy does) takes microseconds.
        The ids index this workbook's tables, so one ``_Styles`` serves one workbook.
        """
        cached = self._arrays.get(key)
        if cached is not None:
            cell._style = copy.copy(cached)
            return
        style(cell, self)
        self._arrays[key] = copy.copy(cell._style)


def build_workbooks(
    workspace: Workspace, plan: RosterPlan, today: dt.date | None = None
) -> list[tuple[Path, Workbook]]:
    """Lay the plan out: one workbook per level, or one with a sheet per level."""
    from openpyxl import Workbook

    notice = workspace.notice
    heading = SheetHeading(
        unit=notice.unit.name,
        date=format_date(today or dt.date.today(), notice.render.date_style),
    )
    paths = output_paths(workspace, plan)
    groups = [plan.sheets] if notice.roster.split == "sheet" else [[sheet] for sheet in plan.sheets]
    books = []
    for path, sheets in zip(paths, groups, strict=True):
        workbook = Workbook()
        workbook.remove(workbook.active)
        styles = _Styles()
        workbook.properties.creator = "zcprep"
        workbook.properties.title = sheets[0].title if len(sheets) == 1 else "情况一览表"
        for sheet in sheets:
            ws = workbook.create_sheet(_safe_name(sheet.level.name, 31))
            write_level_sheet(ws, sheet, heading, notice.roster.paper, styles)
        fee_ws = workbook.create_sheet(FEE_SHEET)
        write_fee_sheet(fee_ws, [FeeLine(s.level, len(s.rows)) for s in sheets], heading, styles)
        books.append((path, workbook))
    return books


def _page_setup(ws: Worksheet, paper: str, landscape: bool, title_rows: str) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if paper == "A3" else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.page_margins.footer = 0.3
    ws.print_title_rows = title_rows
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.size = 10


def _merge_with_borders(ws: Worksheet, row: int, first: int, last: int, styles: _Styles) -> None:
    """Merge a run of cells and border every one of them: Excel draws a merged range's
    edges from its member cells, so a border on the top-left cell alone leaves gaps."""
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    for column in range(first, last + 1):
        ws.cell(row=row, column=column).border = styles.border


def _heading_cell(
    ws: Worksheet, row: int, column: int, value: str, font: Any, align: Any, styles: _Styles
) -> None:
    cell = ws.cell(row=row, column=column)
    _set_text(cell, value)
    cell.font = font
    cell.alignment = align
    cell.border = styles.border


def write_level_sheet(
    ws: Worksheet, sheet: LevelSheet, heading: SheetHeading, paper: str, styles: _Styles
) -> None:
    from openpyxl.utils import get_column_letter

    count = len(sheet.columns)
    shown = [[cell.display for cell in row] for row in sheet.rows]
    widths = [
        column_width(column.header, (row[i] for row in shown), column.width)
        for i, column in enumerate(sheet.columns)
    ]
    _write_title_rows(ws, sheet.title, heading, count, sum(widths), styles)
    for i, column in enumerate(sheet.columns, start=1):
        _heading_cell(ws, 3, i, column.header, styles.bold, styles.center, styles)
    ws.row_dimensions[3].height = row_height([c.header for c in sheet.columns], widths)
    for r, (row, texts) in enumerate(zip(sheet.rows, shown, strict=True), start=DATA_ROW_START):
        for c, value in enumerate(row, start=1):
            write_cell(ws.cell(row=r, column=c), value, styles)
        height = row_height(texts, widths)
        if height is not None:
            ws.row_dimensions[r].height = height
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(row=DATA_ROW_START, column=1).coordinate
    _page_setup(ws, paper, landscape=True, title_rows="1:3")


def _write_title_rows(
    ws: Worksheet,
    title: str,
    heading: SheetHeading,
    count: int,
    total_width: float,
    styles: _Styles,
) -> None:
    """Row 1: the merged title. Row 2: 单位（盖章）on the left, 填表日期 on the right."""
    _heading_cell(ws, 1, 1, title, styles.title_font, styles.center, styles)
    _merge_with_borders(ws, 1, 1, count, styles)
    ws.row_dimensions[1].height = title_height(title, total_width)
    unit = f"单位（盖章）：{heading.unit}"
    date = f"填表日期：{heading.date}"
    if count == 1:
        _heading_cell(ws, 2, 1, f"{unit}　{date}", styles.font, styles.left, styles)
        return
    split = max(1, count - max(1, count // 3))
    _heading_cell(ws, 2, 1, unit, styles.font, styles.left, styles)
    _merge_with_borders(ws, 2, 1, split, styles)
    _heading_cell(ws, 2, split + 1, date, styles.font, styles.right, styles)
    _merge_with_borders(ws, 2, split + 1, count, styles)
    ws.row_dimensions[2].height = 22


def _set_text(cell: Any, value: str) -> None:
    """A string cell that can never be a formula, whatever it starts with.

    openpyxl turns any str starting with "=" into a formula; forcing the type back to
    "s" writes it as a string, and the quote prefix (the ' Excel shows in the formula
    bar) keeps Excel and WPS from re-reading it as a formula or a number when edited.
    """
    cell.value = value
    cell.data_type = "s"
    cell.number_format = TEXT_FORMAT
    if value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def write_cell(cell: Any, value: RosterCell, styles: _Styles) -> None:
    """One typed data cell with the shared font, border and wrapping alignment."""
    if value.kind == "text" and isinstance(value.value, str):
        cell.value = value.value
        cell.data_type = "s"  # never a formula, whatever the text starts with (see _set_text)
        quoted = value.value.startswith(FORMULA_TRIGGERS)
        styles.apply(cell, "text-quoted" if quoted else "text", _text_style(quoted))
    elif value.kind in ("date", "month"):
        cell.value = value.value
        styles.apply(cell, value.kind, _date_style(value.kind))
    elif value.kind == "number":
        cell.value = value.value
        styles.apply(cell, "number", _number_style)
    else:
        styles.apply(cell, "empty", _text_style(False))


def _text_style(quoted: bool) -> Callable[[Any, _Styles], None]:
    def style(cell: Any, styles: _Styles) -> None:
        _base_style(cell, styles)
        cell.number_format = TEXT_FORMAT
        cell.quotePrefix = quoted

    return style


def _date_style(kind: CellKind) -> Callable[[Any, _Styles], None]:
    def style(cell: Any, styles: _Styles) -> None:
        _base_style(cell, styles)
        cell.number_format = MONTH_FORMAT if kind == "month" else DATE_FORMAT

    return style


def _number_style(cell: Any, styles: _Styles) -> None:
    _base_style(cell, styles)


def _base_style(cell: Any, styles: _Styles) -> None:
    cell.font = styles.font
    cell.border = styles.border
    cell.alignment = styles.center


FEE_HEADERS = ("级别", "申报资格", "人数", "收费标准（元/人）", "金额（元）")


def fee_rows(fees: list[FeeLine]) -> list[list[RosterCell]]:
    """The fee table as typed cells: one row per level and a 合计 row."""
    rows = []
    for line in fees:
        rows.append(
            [
                text_cell(line.level.name),
                text_cell(line.level.qualification),
                number_cell(line.count),
                number_cell(line.fee) if line.fee is not None else text_cell(FEE_UNKNOWN),
                number_cell(line.amount) if line.amount is not None else text_cell(FEE_UNKNOWN),
            ]
        )
    total = fee_total(fees)
    rows.append(
        [
            text_cell("合计"),
            EMPTY,
            number_cell(sum(line.count for line in fees)),
            EMPTY,
            number_cell(total) if total is not None else text_cell(FEE_UNKNOWN),
        ]
    )
    return rows


def write_fee_sheet(
    ws: Worksheet, fees: list[FeeLine], heading: SheetHeading, styles: _Styles
) -> None:
    from openpyxl.utils import get_column_letter

    rows = fee_rows(fees)
    widths = [
        max(12.0, column_width(header, (row[i].display for row in rows)))
        for i, header in enumerate(FEE_HEADERS)
    ]
    _write_title_rows(ws, "评审费用汇总", heading, len(FEE_HEADERS), sum(widths), styles)
    for i, header in enumerate(FEE_HEADERS, start=1):
        _heading_cell(ws, 3, i, header, styles.bold, styles.center, styles)
    for r, row in enumerate(rows, start=DATA_ROW_START):
        for c, value in enumerate(row, start=1):
            write_cell(ws.cell(row=r, column=c), value, styles)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    _page_setup(ws, "A4", landscape=False, title_rows="1:3")


def save_workbooks(books: list[tuple[Path, Workbook]]) -> list[Path]:
    """Write each workbook atomically: a failure leaves the previous file, never half of one."""
    for path, workbook in books:
        write_with(path, workbook.save)
    return [path for path, _ in books]


def make_roster(
    workspace: Workspace, level: str | None = None, today: dt.date | None = None
) -> RosterResult:
    """Load, plan, build and save: the whole ``zcprep roster`` command without the printing."""
    select_levels(workspace.notice, level)  # an unknown --level fails before any reading
    applicants, warnings = load_applicants(workspace)
    plan = plan_roster(workspace, applicants, level)
    if not workspace.notice.unit.name:
        warnings.append(
            "zcprep.toml 的 [unit] 中没有填写单位名称（name），一览表“单位（盖章）”后留空；"
            "请填写后重新运行 zcprep roster。"
        )
    outputs = save_workbooks(build_workbooks(workspace, plan, today))
    return RosterResult(outputs=outputs, fees=plan.fees, warnings=[*warnings, *plan.warnings])
