"""``zcprep import --template``: a blank applicant sheet for this workspace's notice.

One header row with the labels ``zcprep new`` writes (required ones marked * and shaded),
one row per applicant below it. Columns whose cells Excel would spoil are formatted
beforehand: ID and phone numbers as text (no 3.2E+17), year-and-month fields as text (so
that "2012.7" stays what was typed, not a date on the 1st), dates as dates. Choices come
as drop-down lists. A second sheet says how to fill in every column, and the sheet prints
like the roster: landscape, fitted to the page width, the header on every page. Column
widths come from the headers and a typical value; a header is written as zcprep reads it
back, so it wraps by the spreadsheet's own rule, at a width where that keeps a bracketed
part whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zcprep.atomic import write_with
from zcprep.errors import UsageError
from zcprep.importing.columns import (
    DATA_SHEET,
    EARLIER_KEY,
    HOURS_KEY,
    LISTS_SHEET,
    TEXT_KEYS,
    SheetColumn,
    how_to_fill,
    sheet_columns,
    sheet_comment,
)
from zcprep.importing.notes import write_notes_sheet
from zcprep.model.notice import Notice
from zcprep.model.workspace import Workspace
from zcprep.roster import (
    DATE_FORMAT,
    display_width,
    lines_height,
    natural_layout,
    print_setup,
    values_width,
)
from zcprep.xmltext import clean_model, config_notes

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

DATA_ROWS = 1000  # rows the drop-down lists cover
TEXT_FORMAT = "@"
REQUIRED_FILL = "FFF2CC"
WIDE_SHEET = 200.0  # total column width from which the sheet is laid out on A3
LIST_LIMIT = 255  # characters Excel allows in a list written into the validation itself


@dataclass(frozen=True)
class TemplateResult:
    path: Path
    columns: tuple[SheetColumn, ...]
    # zcprep.toml texts that lost characters a workbook cannot hold, one line each.
    warnings: tuple[str, ...] = ()

    @property
    def required(self) -> int:
        return sum(1 for column in self.columns if column.required)

    @property
    def hours_years(self) -> list[int]:
        years = {c.target.year for c in self.columns if c.target.key == HOURS_KEY}
        return sorted(year for year in years if year is not None)

    @property
    def earlier(self) -> bool:
        return any(column.target.key == EARLIER_KEY for column in self.columns)


def write_template(workspace: Workspace, target: Path, force: bool = False) -> TemplateResult:
    """Write the blank sheet to ``target`` atomically; an existing file needs ``force``."""
    if target.suffix.lower() != ".xlsx":
        raise UsageError(
            f"空白表格要存为 .xlsx 文件，“{target.name}”不是。",
            "换一个以 .xlsx 结尾的文件名，如 zcprep import --template 申报人信息.xlsx。",
        )
    if target.is_dir():
        raise UsageError(f"{target} 是文件夹。", "写上文件名，如 申报人信息.xlsx。")
    if target.exists() and not force:
        raise UsageError(
            f"{target} 已存在，未做任何改动。",
            "换一个文件名；确实要用空白表格替换它，加 --force。",
        )
    # Labels, comments, choices and the title come from zcprep.toml: without the
    # characters no workbook can hold (openpyxl would raise or write a corrupt file).
    notice, found = clean_model(workspace.notice, ("notice", "applicant", "levels"))
    columns = sheet_columns(notice)
    workbook = build_template(notice, columns)
    write_with(target, workbook.save)
    warnings = tuple(config_notes(found, "空白表格"))
    return TemplateResult(path=target, columns=tuple(columns), warnings=warnings)


def build_template(notice: Notice, columns: list[SheetColumn]) -> Workbook:
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = DATA_SHEET
    workbook.properties.creator = "zcprep"
    workbook.properties.title = f"{notice.notice.title} 申报人信息表"
    widths = _write_header(ws, columns)
    _add_drop_downs(workbook, ws, columns)
    name_first = bool(columns) and columns[0].target.key == "name"
    ws.freeze_panes = "B2" if name_first else "A2"
    paper = "A3" if sum(widths) > WIDE_SHEET else notice.roster.paper
    # Gridlines: the rows the officer fills print as a ruled table; rows are still to come,
    # so the footer says 第 N 页 alone (the 填写说明 sheet counts its own pages).
    heading = f"{notice.notice.title} 申报人信息表"
    print_setup(ws, paper, heading=heading, gridlines=True, numbering="open")
    write_notes_sheet(workbook.create_sheet(), notice, columns)
    return workbook


def _write_header(ws: Worksheet, columns: list[SheetColumn]) -> list[float]:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(name="宋体", size=11, bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    shaded = PatternFill("solid", fgColor=REQUIRED_FILL)
    widths: list[float] = []
    lines = 1
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.marked_header)
        cell.data_type = "s"
        cell.font, cell.alignment, cell.border = bold, center, border
        if column.required:
            cell.fill = shaded
        cell.comment = _comment(Comment, column)
        letter = get_column_letter(index)
        layout = natural_layout(column.marked_header, values_width([_example(column)]))
        widths.append(layout.width)
        lines = max(lines, len(layout.lines))
        ws.column_dimensions[letter].width = layout.width
        number_format = _number_format(column)
        if number_format:
            ws.column_dimensions[letter].number_format = number_format
    ws.row_dimensions[1].height = lines_height(lines)
    return widths


def _comment(comment_class: Any, column: SheetColumn) -> Any:
    said = sheet_comment(column.spec.comment)
    text = ("必填。" if column.required else "可不填。") + how_to_fill(column)
    if said and column.target.key not in (HOURS_KEY, EARLIER_KEY, "level"):
        text += f"\n说明：{said}"
    comment = comment_class(text, "zcprep")
    comment.width, comment.height = 320, 110
    return comment


def _number_format(column: SheetColumn) -> str | None:
    """Text for IDs, phones and year-and-month fields (kept as typed), dates as dates."""
    if column.target.key in TEXT_KEYS or column.kind == "month":
        return TEXT_FORMAT
    if column.kind == "date":
        return DATE_FORMAT
    return None


def _example(column: SheetColumn) -> str:
    """A typical value, for the column's width."""
    if column.kind == "hours":
        return "90"
    if column.kind == "date":
        return "2012年12月31日"
    if column.kind == "month":
        return "2012.12"
    if column.choices:
        return max(column.choices, key=display_width)
    example = column.spec.example
    return example if isinstance(example, str) else str(example)


def _add_drop_downs(workbook: Workbook, ws: Worksheet, columns: list[SheetColumn]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    lists: Worksheet | None = None
    for index, column in enumerate(columns, start=1):
        if not column.choices:
            continue
        formula = _inline_list(column.choices)
        if formula is None:
            if lists is None:
                lists = workbook.create_sheet(LISTS_SHEET)
                lists.sheet_state = "hidden"
            formula = _list_on_sheet(lists, index, column.choices)
        shown = "、".join(column.choices)
        validation = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            # a level may also be written by its id; the others are closed lists
            errorStyle="warning" if column.kind == "level" else "stop",
            errorTitle="请从下拉列表中选择",
            error=f"“{column.header}”应填：{shown}"[:LIST_LIMIT],
        )
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{DATA_ROWS + 1}")
        ws.add_data_validation(validation)


def _inline_list(choices: tuple[str, ...]) -> str | None:
    """``"男,女"``, or None when the list is too long or a choice holds a comma or quote."""
    if any("," in choice or '"' in choice for choice in choices):
        return None
    formula = '"' + ",".join(choices) + '"'
    return formula if len(formula) <= LIST_LIMIT else None


def _list_on_sheet(lists: Worksheet, index: int, choices: tuple[str, ...]) -> str:
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(index)
    for row, choice in enumerate(choices, start=1):
        cell = lists.cell(row=row, column=index, value=choice)
        cell.data_type = "s"
    return f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(choices)}"
