"""What frames each table: the merged title, the 单位（盖章）/填表日期 line under it and the
经办人/联系电话 line below the table, each row as tall as its wrapped lines.

The official forms put the unit and the date above the table and the person who filled
it in, with a telephone number, below it; both come from zcprep.toml's [unit], and a
blank leaves its label and room to write by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zcprep.roster.cellstyle import Styles, set_text
from zcprep.roster.layout import (
    SheetHeading,
    heading_split,
    lines_height,
    lines_needed,
    title_height,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

TITLE_ROW, HEADING_ROW = 1, 2


def merge_with_borders(
    ws: Worksheet, row: int, first: int, last: int, styles: Styles, border: bool = True
) -> None:
    """Merge a run of cells and border every one of them: Excel draws a merged range's
    edges from its member cells, so a border on the top-left cell alone leaves gaps."""
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    if border:
        for column in range(first, last + 1):
            ws.cell(row=row, column=column).border = styles.border


def heading_cell(
    ws: Worksheet,
    row: int,
    column: int,
    value: str,
    font: Any,
    align: Any,
    styles: Styles,
    border: bool = True,
) -> None:
    cell = ws.cell(row=row, column=column)
    set_text(cell, value)
    cell.font = font
    cell.alignment = align
    if border:
        cell.border = styles.border


def write_title_rows(
    ws: Worksheet, title: str, heading: SheetHeading, widths: list[float], styles: Styles
) -> None:
    """Row 1: the merged title. Row 2: 单位（盖章）on the left, 填表日期 on the right, the
    date's part as narrow as keeps it on one line; the row as tall as the unit needs."""
    count = len(widths)
    heading_cell(ws, TITLE_ROW, 1, title, styles.title_font, styles.center, styles)
    merge_with_borders(ws, TITLE_ROW, 1, count, styles)
    ws.row_dimensions[TITLE_ROW].height = title_height(title, sum(widths))
    unit, date = heading.unit_text, heading.date_text
    if count == 1:
        line = f"{unit}\u3000{date}"
        heading_cell(ws, HEADING_ROW, 1, line, styles.font, styles.left, styles)
        ws.row_dimensions[HEADING_ROW].height = lines_height(lines_needed(line, widths[0]))
        return
    split = heading_split(widths, unit, date)
    heading_cell(ws, HEADING_ROW, 1, unit, styles.font, styles.left, styles)
    merge_with_borders(ws, HEADING_ROW, 1, split, styles)
    heading_cell(ws, HEADING_ROW, split + 1, date, styles.font, styles.right, styles)
    merge_with_borders(ws, HEADING_ROW, split + 1, count, styles)
    lines = max(lines_needed(unit, sum(widths[:split])), lines_needed(date, sum(widths[split:])))
    ws.row_dimensions[HEADING_ROW].height = lines_height(lines)


def write_contact_line(
    ws: Worksheet, row: int, heading: SheetHeading, widths: list[float], styles: Styles
) -> None:
    """经办人：… 联系电话：… under the table, across its width, without a border."""
    text = heading.contact_text
    heading_cell(ws, row, 1, text, styles.font, styles.left, styles, border=False)
    merge_with_borders(ws, row, 1, len(widths), styles, border=False)
    ws.row_dimensions[row].height = lines_height(lines_needed(text, sum(widths)))
