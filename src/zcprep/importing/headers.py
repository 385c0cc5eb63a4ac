"""Finding the header row of a sheet and what each of its columns holds.

Headers are matched by label (as ``zcprep new`` and the template write them) or by key,
ignoring spaces, full- and half-width punctuation and brackets, and 必填 marks; a few
names officers commonly give a column (身份证号码, 手机号, 申报资格 …) are known too.
The header need not be the first row: title rows above it are skipped, and a two-row
header (merged cells, 继续教育 over 2021年 over 公需学时) is read as a person reads it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from zcprep.errors import UsageError
from zcprep.importing.columns import (
    EARLIER_KEY,
    HOURS_KEY,
    SheetColumn,
    hours_column,
    sheet_columns,
)
from zcprep.importing.read import Grid, column_letter
from zcprep.model.fields import CATALOGUE
from zcprep.model.notice import Notice

SCAN_ROWS = 30  # the header is looked for in this many rows from the top
NAME_KEY = "name"

# Other names officers give these columns (normalised like any header).
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("申报人姓名",),
    "id_number": ("身份证号码", "身份证", "公民身份号码", "身份证件号码", "证件号码"),
    "birth_date": ("出生日期", "出生年月日"),
    "phone": ("电话", "手机", "手机号", "手机号码", "联系方式"),
    "employer": ("单位", "现工作单位", "所在单位", "单位名称", "工作单位全称"),
    "school": ("毕业学校",),
    "graduation_date": ("毕业日期",),
    "work_start_date": ("参加工作日期",),
    "specialty_start_date": ("从事专业技术工作时间", "从事本专业工作时间"),
    "current_title": ("现职称", "现任职称", "职称", "现任专业技术资格", "现专业技术职称"),
    "current_title_date": ("现职称取得时间", "资格取得时间"),
    "level": ("申报资格", "申报等级", "申报职称级别"),
    "exceptional": ("是否破格申报", "破格"),
}
EARLIER_ALIASES = {"此前毕业时间": "graduation_date"}
SERIAL_HEADERS = frozenset({"序号", "编号", "序", "no"})

_MARKS = re.compile(r"[(\[](?:必填|选填|可不填|可选)[)\]]|必填项?|选填|可不填|[*★☆※]")
_PUNCT = re.compile(r"[\s()\[\]{}<>【】〔〕〖〗《》「」『』:;,.。、!?'\"“”‘’`·•・\-_/\\|~]+")
_HOURS = re.compile(
    r"^(?:继续教育)?(\d{4})年?度?(?:继续教育)?(公需|专业)(?:科目|课程|课)?(?:学时|课时|小时)?数?$"
    r"|^(?:continuingeducation)?(\d{4})(public|professional)(?:hours)?$"
)
_HOURS_ONE_YEAR = re.compile(r"^(?:继续教育)?(公需|专业)(?:科目|课程|课)?(?:学时|课时|小时)$")
_PARTS = {
    "公需": "public_hours",
    "专业": "professional_hours",
    "public": "public_hours",
    "professional": "professional_hours",
}


_REMARK = re.compile(r"[(\[【〔][^)\]】〕]*[)\]】〕]")


def normalize(text: str) -> str:
    """What a header says, without spacing, punctuation, brackets and 必填 marks."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return _PUNCT.sub("", _MARKS.sub("", folded))


def header_text(value: Any) -> str:
    """A header cell as text (a year may be a number, 2021 or 2021.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


@dataclass(frozen=True)
class Ignored:
    """A header zcprep knows and leaves out: 序号, or a field this notice does not ask."""

    label: str
    asked: bool  # False: a field of other notices


class Lookup:
    """Header text → the column it names, for one notice."""

    def __init__(self, notice: Notice) -> None:
        self.columns: dict[str, SheetColumn | Ignored] = {}
        declared = notice.applicant.declared()
        self.hours = next(((s, r) for s, r in declared if s.kind == "hours"), None)
        years = sorted({c.target.year for c in sheet_columns(notice) if c.target.year})
        self.single_year = years[0] if len(years) == 1 else None
        for column in sheet_columns(notice):
            self._add(column.header, column)
            if column.target.key not in (HOURS_KEY, EARLIER_KEY):
                self._add(column.target.key, column)
                for alias in ALIASES.get(column.target.key, ()):
                    self._add(alias, column)
            elif column.target.key == EARLIER_KEY:
                for alias, part in EARLIER_ALIASES.items():
                    if column.target.part == part:
                        self._add(alias, column)
        asked = {spec.key for spec, _ in declared}
        for spec in CATALOGUE:
            if spec.key not in asked:
                for text in (spec.label, spec.key, *ALIASES.get(spec.key, ())):
                    self._add(text, Ignored(spec.label, asked=False))
        for text in SERIAL_HEADERS:
            self._add(text, Ignored("序号", asked=True))

    def _add(self, text: str, column: SheetColumn | Ignored) -> None:
        self.columns.setdefault(normalize(text), column)

    def match(self, text: str) -> SheetColumn | Ignored | None:
        found = self._match(text)
        if found is None:
            # "身份证号（18位）", "毕业时间（年月）": a bracketed remark after the label.
            bare = _REMARK.sub("", unicodedata.normalize("NFKC", text))
            if bare.strip() and bare != unicodedata.normalize("NFKC", text):
                found = self._match(bare)
        return found

    def _match(self, text: str) -> SheetColumn | Ignored | None:
        key = normalize(text)
        if not key:
            return None
        found = self.columns.get(key)
        if found is not None:
            return found
        year, part = self._hours(key)
        if part is None:
            return None
        if self.hours is None:
            return Ignored("继续教育", asked=False)
        spec, required = self.hours
        return hours_column(spec, required, year, part) if year else None

    def _hours(self, key: str) -> tuple[int | None, str | None]:
        found = _HOURS.match(key)
        if found:
            year = found.group(1) or found.group(3)
            part = found.group(2) or found.group(4)
            return int(year), _PARTS[part]
        one = _HOURS_ONE_YEAR.match(key)
        if one:
            return self.single_year, _PARTS[one.group(1)]
        return None, None


@dataclass(frozen=True)
class HeaderMap:
    first_row: int
    last_row: int  # data starts on the row after
    columns: dict[int, SheetColumn]
    warnings: tuple[str, ...]

    @property
    def name_column(self) -> int:
        return next(c for c, column in self.columns.items() if column.target.key == NAME_KEY)


Labels = dict[int, tuple[str, SheetColumn | Ignored | None]]


def find_header(grid: Grid, notice: Notice) -> HeaderMap | None:
    """The header with the most known columns among the rows naming a 姓名 column; None
    when no row in the first ``SCAN_ROWS`` does."""
    lookup = Lookup(notice)
    by_row: dict[int, set[int]] = {}
    for r, c in grid.cells:
        if r <= SCAN_ROWS + 1:
            by_row.setdefault(r, set()).add(c)
    best: tuple[tuple[int, int, bool, int], int, int, Labels] | None = None
    for row in range(1, min(grid.max_row, SCAN_ROWS) + 1):
        for depth in (1, 2):
            seen = by_row.get(row, set()) | (by_row.get(row + 1, set()) if depth == 2 else set())
            labels = _labels(grid, lookup, row, depth, seen)
            targets = {m.target for _, m in labels.values() if isinstance(m, SheetColumn)}
            if not any(target.key == NAME_KEY for target in targets):
                continue
            if len(targets) < 2 and sum(1 for text, _ in labels.values() if text) > 1:
                continue  # one known word in a row of text (a notes table), not a header
            # ties go to the header ending higher; of two ending on the same row, to the
            # two-row one only where cells are merged down across both rows
            merged_down = depth == 2 and grid.merged_down(row)
            rank = (len(targets), -(row + depth), merged_down, -depth)
            if best is None or rank > best[0]:
                best = (rank, row, row + depth - 1, labels)
    if best is None:
        return None
    _, first, last, labels = best
    columns = _columns(grid, labels)
    warnings = [*_warnings(grid, labels, last), *_missing(grid, notice, columns)]
    return HeaderMap(first, last, columns, tuple(warnings))


def _labels(grid: Grid, lookup: Lookup, row: int, depth: int, columns: set[int]) -> Labels:
    """Each column's header text and match; a two-row header tries the lower cell, then
    upper and lower together (2021年 over 公需学时), then the upper cell."""
    labels: Labels = {}
    for column in sorted(columns):
        upper = header_text(grid.value(row, column))
        lower = header_text(grid.value(row + 1, column)) if depth == 2 else ""
        if depth == 2 and lower and lower != upper:
            candidates = [lower, upper + lower, upper] if upper else [lower]
        else:
            candidates = [upper or lower]
        labels[column] = (candidates[0], None)
        for text in candidates:
            match = lookup.match(text)
            if match is not None:
                labels[column] = (text, match)
                break
    return labels


def _columns(grid: Grid, labels: Labels) -> dict[int, SheetColumn]:
    """Known columns by position; one field in two columns cannot be read."""
    seen: dict[Any, int] = {}
    columns: dict[int, SheetColumn] = {}
    for column, (text, match) in labels.items():
        if not isinstance(match, SheetColumn):
            continue
        if match.target in seen:
            first = column_letter(seen[match.target])
            raise UsageError(
                f"{_sheet(grid)}表头“{text}”对应的栏目在 "
                f"{first} 列和 {column_letter(column)} 列都有，不知道用哪一列。",
                "删去其中一列，或把不用的那列表头改名，再导入。",
            )
        seen[match.target] = column
        columns[column] = match
    return columns


def _sheet(grid: Grid) -> str:
    return f"工作表“{grid.sheet}”的" if grid.sheet is not None else ""


def _warnings(grid: Grid, labels: Labels, last_row: int) -> list[str]:
    unknown = [f"“{t}”（{column_letter(c)} 列）" for c, (t, m) in labels.items() if m is None and t]
    other = [
        f"“{t}”（{column_letter(c)} 列）"
        for c, (t, m) in labels.items()
        if isinstance(m, Ignored) and not m.asked
    ]
    out = []
    if unknown:
        out.append(
            f"{_sheet(grid)}表头{'、'.join(unknown)}不是本通知的申报人栏目，这些列未导入"
            "（表头写法见 zcprep import --template 生成的表格）。"
        )
    if other:
        out.append(f"{_sheet(grid)}表头{'、'.join(other)}是本通知不要求填写的栏目，未导入。")
    headed = {c for c, (text, _) in labels.items() if text}
    blank = sorted({c for r, c in grid.cells if r > last_row and c not in headed})
    if blank:
        letters = "、".join(column_letter(c) for c in blank)
        out.append(f"{_sheet(grid)}{letters} 列没有表头，其中的内容未导入。")
    return out


def _missing(grid: Grid, notice: Notice, columns: dict[int, SheetColumn]) -> list[str]:
    """The notice's required fields the sheet has no column for, said once."""
    present = {column.target.key for column in columns.values()}
    missing = dict.fromkeys(
        column.spec.label
        for column in sheet_columns(notice)
        if column.required and column.target.key not in present
    )
    if not missing:
        return []
    where = f"工作表“{grid.sheet}”" if grid.sheet is not None else "表格"
    return [
        f"{where}中没有本通知必填的栏目：{'、'.join(missing)}。导入时这些栏目保留 "
        "applicant.toml 中原有的内容，原来没有的留空，请在 applicant.toml 中补填或在表格中加上这些列。"
    ]
