"""The plan written as .xlsx with openpyxl: typed cells, shared styles, print setup, saving.

Every cell gets the Excel type its ``RosterCell`` asks for, and text can never become a
formula; each sheet has the merged title, the 单位（盖章）/填表日期 line and the header
repeated on every printed page, fits the page width, and numbers its pages in the footer.
openpyxl is imported inside the functions, so that ``zcprep --help`` stays quick.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zcprep.atomic import write_with
from zcprep.cndate import format_date
from zcprep.model.workspace import Workspace
from zcprep.roster.cells import CellKind, RosterCell
from zcprep.roster.layout import (
    DATA_ROW_START,
    FEE_SHEET,
    SheetHeading,
    column_width,
    output_paths,
    row_height,
    sheet_name,
    title_height,
)
from zcprep.roster.plan import FEE_HEADERS, FeeLine, LevelSheet, RosterPlan, fee_rows
from zcprep.xmltext import xml_safe

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


DATE_FORMAT = 'yyyy"年"m"月"d"日"'
MONTH_FORMAT = 'yyyy"年"m"月"'
TEXT_FORMAT = "@"
FOOTER = "第 &P 页 共 &N 页"
# A leading = + - @ (or a tab / carriage return before one) makes Excel and WPS read a
# typed value as a formula; such text is written as a string cell with a quote prefix.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


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
        workbook.properties.title = xml_safe(sheets[0].title if len(sheets) == 1 else "情况一览表")
        for sheet in sheets:
            ws = workbook.create_sheet(sheet_name(sheet.level))
            write_level_sheet(ws, sheet, heading, notice.roster.paper, styles)
        fee_ws = workbook.create_sheet(FEE_SHEET)
        write_fee_sheet(fee_ws, [FeeLine(s.level, len(s.rows)) for s in sheets], heading, styles)
        books.append((path, workbook))
    return books


def print_setup(
    ws: Worksheet,
    paper: str = "A4",
    *,
    landscape: bool = True,
    title_rows: str = "1:1",
    heading: str | None = None,
    gridlines: bool = False,
) -> None:
    """Print-ready as zcprep's sheets are: one page wide, centred, the title rows on every
    page, 第 N 页 / 共 M 页 at the foot; ``heading`` printed at the top of each page."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if paper == "A3" else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = gridlines
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = 0.6 if heading is None else 0.8
    ws.page_margins.bottom = 0.7
    ws.page_margins.footer = 0.3
    ws.print_title_rows = title_rows
    if heading is not None:
        ws.oddHeader.center.text = xml_safe(heading).replace("&", "&&")  # & starts a code
        ws.oddHeader.center.size = 10
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
    set_text(cell, value)
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
    print_setup(ws, paper, title_rows="1:3")


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


def set_text(cell: Any, value: str) -> None:
    """A string cell that can never be a formula, whatever it starts with.

    openpyxl turns any str starting with "=" into a formula; forcing the type back to
    "s" writes it as a string, and the quote prefix (the ' Excel shows in the formula
    bar) keeps Excel and WPS from re-reading it as a formula or a number when edited.
    Characters no workbook can hold are dropped here too, as a last guard: the callers
    clean what they write first and say what they removed.
    """
    value = xml_safe(value)
    cell.value = value
    cell.data_type = "s"
    cell.number_format = TEXT_FORMAT
    if value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def write_cell(cell: Any, value: RosterCell, styles: _Styles) -> None:
    """One typed data cell with the shared font, border and wrapping alignment."""
    if value.kind == "text" and isinstance(value.value, str):
        text = xml_safe(value.value)  # a last guard: the plan cleaned it and said so
        cell.value = text
        cell.data_type = "s"  # never a formula, whatever the text starts with (see set_text)
        quoted = text.startswith(FORMULA_TRIGGERS)
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
    print_setup(ws, "A4", landscape=False, title_rows="1:3")


def save_workbooks(books: list[tuple[Path, Workbook]]) -> list[Path]:
    """Write each workbook atomically: a failure leaves the previous file, never half of one."""
    for path, workbook in books:
        write_with(path, workbook.save)
    return [path for path, _ in books]
