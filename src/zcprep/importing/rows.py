"""The sheet's rows below the header, each as one applicant's values or as refused.

A row is read whole: every cell that cannot be taken as typed is reported, each with
its place (工作表“申报人”第 7 行 D 列), so that the officer fixes a row once. Rows blank
in every known column are skipped (pre-numbered 序号 rows of an unfilled sheet), and so
are notes laid over the table in one merged cell (填表人：…).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from zcprep.errors import UsageError
from zcprep.importing.columns import EARLIER_KEY, HOURS_KEY
from zcprep.importing.headers import HeaderMap
from zcprep.importing.read import Grid
from zcprep.importing.values import CellRefused, blank, convert
from zcprep.model.workspace import check_dossier_name


@dataclass(frozen=True)
class Problem:
    where: str  # 工作表“申报人”第 7 行 D 列
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{self.where}：{self.message}。"


@dataclass
class RowData:
    """One applicant's values from one row; only the fields the sheet has columns for."""

    row: int
    name: str
    values: dict[str, Any] = field(default_factory=dict)  # None for a blank cell
    hours: dict[int, dict[str, Any]] | None = None  # year → part → value
    earlier: dict[str, Any] | None = None  # part → value
    notes: list[str] = field(default_factory=list)

    @property
    def covered(self) -> set[str]:
        """The fields the sheet gives (the others keep what applicant.toml holds)."""
        keys = set(self.values)
        if self.hours is not None:
            keys.add(HOURS_KEY)
        if self.earlier is not None:
            keys.add(EARLIER_KEY)
        return keys


@dataclass
class RefusedRow:
    row: int
    name: str | None
    problems: list[Problem]


@dataclass
class SkippedRow:
    row: int
    reason: str


def read_rows(grid: Grid, header: HeaderMap) -> Iterator[RowData | RefusedRow | SkippedRow]:
    first, last = min(header.columns), max(header.columns)
    for row in range(header.last_row + 1, grid.max_row + 1):
        raw = {column: grid.value(row, column) for column in header.columns}
        if all(blank(value) for value in raw.values()):
            continue
        if grid.merged_across(row, first, last):
            yield SkippedRow(row, "是跨列合并的说明文字，不是申报人，未导入")
            continue
        name_value = raw[header.name_column]
        summary = _summary_row([grid.value(row, c) for c in range(1, last + 1)])
        if summary:
            yield SkippedRow(row, f"是“{summary}”行，不是申报人，未导入")
            continue
        others = [v for c, v in raw.items() if c != header.name_column and not blank(v)]
        if not others and isinstance(name_value, str) and any(m in name_value for m in "：:"):
            yield SkippedRow(row, f"只有一句“{name_value.strip()}”，像是说明文字，未导入")
            continue
        yield _read_row(grid, header, row, raw)


_EXCEL_ERRORS = frozenset(
    {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)
# Rows officers add below the people: totals and the "nothing below" line.
_SUMMARY = re.compile(r"^(?:以下空白|以下无|以下为空|合计|总计|小计|共计)")


def _summary_row(values: list[Any]) -> str | None:
    """The word that makes a row a total or a 以下空白 line, in any of its cells (序号 too)."""
    for value in values:
        if isinstance(value, str):
            text = "".join(value.split())
            if _SUMMARY.match(text):
                return text[:8]
    return None


def _read_row(grid: Grid, header: HeaderMap, row: int, raw: dict[int, Any]) -> RowData | RefusedRow:
    problems: list[Problem] = []
    data = RowData(row=row, name="")
    for column_number, column in header.columns.items():
        written = raw[column_number]
        if isinstance(written, str) and written.strip().upper() in _EXCEL_ERRORS:
            problems.append(
                Problem(
                    grid.where(row, column_number),
                    f"单元格是 Excel 的错误值 {written.strip()}（公式算不出结果）",
                    "在 Excel 中改正这一格的公式或直接填上内容，保存后重新导入。",
                )
            )
            continue
        try:
            value, note = convert(column, written)
        except CellRefused as refused:
            problems.append(Problem(grid.where(row, column_number), refused.message, refused.hint))
            continue
        if note:
            data.notes.append(f"{grid.where(row, column_number)}：{note.rstrip('。')}。")
        target = column.target
        if target.key == HOURS_KEY and target.year is not None and target.part is not None:
            data.hours = data.hours if data.hours is not None else {}
            data.hours.setdefault(target.year, {})[target.part] = value
        elif target.key == EARLIER_KEY and target.part is not None:
            data.earlier = data.earlier if data.earlier is not None else {}
            data.earlier[target.part] = value
        else:
            data.values[target.key] = value
    name = data.values.get("name")
    where = grid.where(row, header.name_column)
    if name is None:
        problems.insert(
            0, Problem(where, "姓名是空的", "填上姓名；这一行不是申报人的话，删去这一行。")
        )
    else:
        try:
            data.name = check_dossier_name(str(name))
        except UsageError as exc:
            problems.insert(0, Problem(where, exc.message.rstrip("。"), exc.hint or ""))
        data.values["name"] = data.name
    if problems:
        return RefusedRow(row, str(name) if name is not None else None, problems)
    return data


def duplicates(rows: list[RowData], grid: Grid, header: HeaderMap) -> dict[int, Problem]:
    """Rows sharing a name (one dossier cannot take two rows): every one is refused."""
    by_name: dict[str, list[int]] = {}
    for data in rows:
        by_name.setdefault(data.name, []).append(data.row)
    refused = {}
    for name, numbers in by_name.items():
        if len(numbers) < 2:
            continue
        listed = "、".join(f"第 {n} 行" for n in numbers)
        for number in numbers:
            refused[number] = Problem(
                grid.where(number, header.name_column),
                f"姓名“{name}”在{listed}都出现了，一份档案只能对应一行",
                f"同一人只留一行；确是两位同名申报人的，写成 {name}、{name}2 这样不同的档案名。",
            )
    return refused
