"""``zcprep import``: the officer's sheet in, one applicant.toml per row.

Reads the table (``read``), finds its header (``headers``), takes every row as typed
(``rows``, ``values``), refuses rows that cannot be taken (a spoilt ID, a duplicate
name), and writes each other row's applicant.toml (``text``, ``write``). The result
says per row what happened; nothing is printed here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zcprep.errors import EXIT_FOUND_ERRORS, EXIT_OK, UsageError
from zcprep.importing.headers import SCAN_ROWS, HeaderMap, find_header
from zcprep.importing.read import Grid, other_sheets, read_table
from zcprep.importing.rows import Problem, RefusedRow, RowData, SkippedRow, duplicates, read_rows
from zcprep.importing.text import applicant_text
from zcprep.importing.write import STATUSES, Status, save_row
from zcprep.model.notice import Notice
from zcprep.model.workspace import Workspace


@dataclass(frozen=True)
class RowResult:
    """What happened to one row of the sheet."""

    row: int
    name: str | None
    status: Status
    dossier: Path | None = None
    problems: tuple[Problem, ...] = ()  # why the row was refused, each with its place
    detail: str = ""
    hint: str = ""
    notes: tuple[str, ...] = ()  # values taken but worth a look (a phone stored as a number)
    backup: Path | None = None

    @property
    def reason(self) -> str:
        return "\n".join(str(problem) for problem in self.problems) or self.detail

    @property
    def hints(self) -> list[str]:
        found = [problem.hint for problem in self.problems if problem.hint]
        return list(dict.fromkeys(found + ([self.hint] if self.hint else [])))


@dataclass
class ImportResult:
    source: Path
    sheet: str | None  # None for a CSV
    header_rows: tuple[int, int]
    rows: list[RowResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self) -> dict[Status, int]:
        return {status: self.count(status) for status in STATUSES}

    @property
    def refused(self) -> list[RowResult]:
        return [row for row in self.rows if row.status == "拒绝"]

    @property
    def exit_code(self) -> int:
        return EXIT_FOUND_ERRORS if self.refused else EXIT_OK


def import_table(
    workspace: Workspace, path: Path, *, sheet: str | None = None, force: bool = False
) -> ImportResult:
    """Import every row of ``path`` (.xlsx: its first visible sheet or ``sheet``; .csv)."""
    notice = workspace.notice
    grid, header, warnings = _open(path, sheet, notice)
    result = ImportResult(path, grid.sheet, (header.first_row, header.last_row))
    result.warnings = [*warnings, *header.warnings]
    parsed = list(read_rows(grid, header))
    repeated = duplicates([r for r in parsed if isinstance(r, RowData)], grid, header)
    for item in parsed:
        if isinstance(item, SkippedRow):
            result.warnings.append(f"{grid.where(item.row)}{item.reason}。")
        elif isinstance(item, RefusedRow):
            result.rows.append(
                RowResult(item.row, item.name, "拒绝", problems=tuple(item.problems))
            )
        elif item.row in repeated:
            result.rows.append(
                RowResult(item.row, item.name, "拒绝", problems=(repeated[item.row],))
            )
        else:
            render = _renderer(notice, item, _source(path, grid, item.row))
            outcome = save_row(workspace, item, render, force)
            result.rows.append(
                RowResult(
                    item.row,
                    item.name,
                    outcome.status,
                    outcome.dossier,
                    detail=outcome.detail,
                    hint=outcome.hint,
                    notes=tuple(item.notes),
                    backup=outcome.backup,
                )
            )
    return result


def _open(path: Path, sheet: str | None, notice: Notice) -> tuple[Grid, HeaderMap, list[str]]:
    """The sheet and its header. Without --sheet, a workbook whose first sheet has no
    姓名 column (a notes sheet moved first) is read from the first sheet that has one."""
    grid = read_table(path, sheet)
    warnings = list(grid.notes)
    header = find_header(grid, notice)
    if header is None and sheet is None and grid.sheet is not None:
        for other in other_sheets(path, grid):
            header = find_header(other, notice)
            if header is not None:
                warnings.append(
                    f"第一个工作表“{grid.sheet}”中没有“姓名”列，读取的是工作表“{other.sheet}”。"
                )
                grid = other
                break
    if header is None:
        where = f"{path.name} 的工作表“{grid.sheet}”" if grid.sheet is not None else path.name
        raise UsageError(
            f"{where}中找不到“姓名”列（前 {SCAN_ROWS} 行中没有写着“姓名”的表头），未导入任何内容。",
            "在表头写上“姓名”（档案名取自这一列）；或用 zcprep import --template 申报人信息.xlsx "
            "生成空白表格，照它的表头填写。",
        )
    return grid, header, warnings


def _source(path: Path, grid: Grid, row: int) -> str:
    """“申报人信息.xlsx”工作表“申报人信息”第 3 行, as the file's first comment says it."""
    sheet = f"工作表“{grid.sheet}”" if grid.sheet is not None else ""
    return f"“{path.name}”{sheet}第 {row} 行"


def _renderer(notice: Notice, data: RowData, source: str) -> Callable[[dict[str, Any]], str]:
    def render(carried: dict[str, Any]) -> str:
        return applicant_text(notice, data, carried, source)

    return render
