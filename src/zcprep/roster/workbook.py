"""The plan written as .xlsx with openpyxl: the level sheets and the fee sheet, saved.

Each sheet has the merged title, the 单位（盖章）/填表日期 line and the header repeated on
every printed page, the 经办人/联系电话 line below the table, columns as wide as their
content (a long header breaks between whole words and brackets), every row as tall as
its wrapped lines, one page wide, and page numbers that count the sheet alone.
openpyxl is imported inside the functions, so that ``zcprep --help`` stays quick.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from zcprep.atomic import write_with
from zcprep.cndate import format_date
from zcprep.model.workspace import Workspace
from zcprep.roster.cells import RosterCell
from zcprep.roster.cellstyle import Styles, write_cell
from zcprep.roster.frame import heading_cell, write_contact_line, write_title_rows
from zcprep.roster.layout import (
    DATA_ROW_START,
    FEE_SHEET,
    HeaderLayout,
    SheetHeading,
    header_layout,
    heading_split,
    lines_height,
    output_paths,
    row_height,
    sheet_name,
    values_width,
)
from zcprep.roster.paging import PAPER_PT, SIDE_MARGIN_IN, print_setup
from zcprep.roster.plan import FEE_HEADERS, FeeLine, LevelSheet, RosterPlan, fee_rows
from zcprep.roster.wrap import COLUMN_UNIT_PT_WIDEST, print_units, width_for
from zcprep.xmltext import xml_safe

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

HEADER_ROW = DATA_ROW_START - 1
FEE_MIN_WIDTH = 8.0


def build_workbooks(
    workspace: Workspace, plan: RosterPlan, today: dt.date | None = None
) -> list[tuple[Path, Workbook]]:
    """Lay the plan out: one workbook per level, or one with a sheet per level."""
    from openpyxl import Workbook

    notice = workspace.notice
    heading = SheetHeading(
        unit=notice.unit.name,
        date=format_date(today or dt.date.today(), notice.render.date_style),
        contact=notice.unit.contact,
        phone=notice.unit.phone,
    )
    paths = output_paths(workspace, plan)
    groups = [plan.sheets] if notice.roster.split == "sheet" else [[sheet] for sheet in plan.sheets]
    books = []
    for path, sheets in zip(paths, groups, strict=True):
        workbook = Workbook()
        workbook.remove(workbook.active)
        styles = Styles()
        workbook.properties.creator = "zcprep"
        workbook.properties.title = xml_safe(sheets[0].title if len(sheets) == 1 else "情况一览表")
        for sheet in sheets:
            ws = workbook.create_sheet(sheet_name(sheet.level))
            write_level_sheet(ws, sheet, heading, notice.roster.paper, styles)
        fee_ws = workbook.create_sheet(FEE_SHEET)
        write_fee_sheet(fee_ws, [FeeLine(s.level, len(s.rows)) for s in sheets], heading, styles)
        books.append((path, workbook))
    return books


def write_level_sheet(
    ws: Worksheet, sheet: LevelSheet, heading: SheetHeading, paper: str, styles: Styles
) -> None:
    shown = [[cell.display for cell in row] for row in sheet.rows]
    layouts = [
        header_layout(
            column.header,
            values_width(row[i] for row in shown) if column.width is None else column.width,
            fixed=column.width is not None,
        )
        for i, column in enumerate(sheet.columns)
    ]
    _write_table(ws, sheet.title, heading, layouts, styles, sheet.rows, shown)
    print_setup(ws, paper, title_rows=f"1:{HEADER_ROW}", numbering="counted")


def _write_table(
    ws: Worksheet,
    title: str,
    heading: SheetHeading,
    layouts: list[HeaderLayout],
    styles: Styles,
    rows: list[list[RosterCell]],
    shown: list[list[str]],
) -> None:
    """Title rows, the header, the typed rows and the 经办人 line, every row's height and
    every column's width set (the page count is read off them)."""
    from openpyxl.utils import get_column_letter

    widths = [layout.width for layout in layouts]
    write_title_rows(ws, title, heading, widths, styles)
    for i, layout in enumerate(layouts, start=1):
        heading_cell(ws, HEADER_ROW, i, layout.text, styles.bold, styles.center, styles)
    ws.row_dimensions[HEADER_ROW].height = lines_height(max(len(x.lines) for x in layouts))
    for r, (row, texts) in enumerate(zip(rows, shown, strict=True), start=DATA_ROW_START):
        for c, value in enumerate(row, start=1):
            write_cell(ws.cell(row=r, column=c), value, styles)
        ws.row_dimensions[r].height = row_height(texts, widths)
    write_contact_line(ws, DATA_ROW_START + len(rows), heading, widths, styles)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(row=DATA_ROW_START, column=1).coordinate


def write_fee_sheet(
    ws: Worksheet, fees: list[FeeLine], heading: SheetHeading, styles: Styles
) -> None:
    """评审费用汇总 on A4 upright: its few columns widened until the unit and the date
    fit on their line (up to the page's width), one page in all."""
    rows = fee_rows(fees)
    shown = [[cell.display for cell in row] for row in rows]
    layouts = [
        header_layout(header, max(FEE_MIN_WIDTH, values_width(row[i] for row in shown)))
        for i, header in enumerate(FEE_HEADERS)
    ]
    layouts = _widened(layouts, heading)
    _write_table(ws, "评审费用汇总", heading, layouts, styles, rows, shown)
    print_setup(ws, "A4", landscape=False, title_rows=f"1:{HEADER_ROW}", numbering="counted")


def _widened(layouts: list[HeaderLayout], heading: SheetHeading) -> list[HeaderLayout]:
    """The columns widened so that the unit and the date fit on their line side by side:
    each part's columns evenly, as far as the upright A4 page allows (wider would only
    shrink the print)."""
    widths = [layout.width for layout in layouts]
    unit, date = heading.unit_text, heading.date_text
    split = heading_split(widths, unit, date)
    extra = [
        max(0.0, width_for(print_units(unit)) - sum(widths[:split])) / split,
        max(0.0, width_for(print_units(date)) - sum(widths[split:])) / (len(widths) - split),
    ]
    grown = [w + extra[0 if i < split else 1] for i, w in enumerate(widths)]
    page = (PAPER_PT["A4"][0] - 2 * SIDE_MARGIN_IN * 72) / COLUMN_UNIT_PT_WIDEST
    if sum(grown) > page:
        keep = max(0.0, page - sum(widths)) / (sum(grown) - sum(widths))
        grown = [w + (g - w) * keep for w, g in zip(widths, grown, strict=True)]
    return [HeaderLayout(x.lines, g) for x, g in zip(layouts, grown, strict=True)]


def save_workbooks(books: list[tuple[Path, Workbook]]) -> list[Path]:
    """Write each workbook atomically: a failure leaves the previous file, never half of one."""
    for path, workbook in books:
        write_with(path, workbook.save)
    return [path for path, _ in books]
