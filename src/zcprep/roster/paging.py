"""How a sheet prints: paper, margins, the rows repeated on each page, and page numbers
that count each sheet on its own.

A footer's "共 &N 页" is the page count of the whole print job: LibreOffice always prints
every sheet of a workbook in one job, and so does Excel's 打印整个工作簿, so a one-page
table came out as "第 1 页 共 2 页" beside its 费用汇总. Each sheet therefore starts at
page 1 (``useFirstPageNumber``), and a sheet whose content is final says its own total:
zcprep counts the pages it prints (every row's height is set, the columns' width gives
the scale), asks the spreadsheet to fit it to exactly that many pages tall, and writes
the number into the footer. Sheets that grow (the blank import sheet) say only 第 N 页;
the only sheet of a workbook keeps &N, which is then its own.
Works on openpyxl worksheets without importing openpyxl.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from zcprep.roster.wrap import COLUMN_UNIT_PT_WIDEST
from zcprep.xmltext import xml_safe

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

Numbering = Literal["counted", "open", "alone"]

FOOTER = "第 &P 页 共 &N 页"
OPEN_FOOTER = "第 &P 页"
PAPER_PT = {"A4": (595.28, 841.89), "A3": (841.89, 1190.55)}  # portrait width, height
SIDE_MARGIN_IN = 0.4
BOTTOM_MARGIN_IN = 0.7
DEFAULT_ROW_PT = 15.0  # a row whose height is not set, as Excel gives Calibri 11
DEFAULT_COLUMN = 8.43
LAST_PAGE_SHRINK = 0.3  # a last page less full than this is shrunk onto the others


def counted_footer(pages: int) -> str:
    return f"第 &P 页 共 {pages} 页"


def print_setup(
    ws: Worksheet,
    paper: str = "A4",
    *,
    landscape: bool = True,
    title_rows: str = "1:1",
    heading: str | None = None,
    gridlines: bool = False,
    numbering: Numbering = "alone",
) -> int | None:
    """Print-ready as zcprep's sheets are: one page wide, centred, the title rows on every
    page, page numbers at the foot counting this sheet alone (see the module's note);
    ``heading`` printed at the top of each page. Returns the pages a "counted" sheet
    prints. Call it once the sheet's rows and columns are written."""
    setup = ws.page_setup
    setup.orientation = "landscape" if landscape else "portrait"
    setup.paperSize = ws.PAPERSIZE_A3 if paper == "A3" else ws.PAPERSIZE_A4
    setup.firstPageNumber = 1
    setup.useFirstPageNumber = True
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = gridlines
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN_IN
    ws.page_margins.top = 0.6 if heading is None else 0.8
    ws.page_margins.bottom = BOTTOM_MARGIN_IN
    ws.page_margins.footer = 0.3
    ws.print_title_rows = title_rows
    if heading is not None:
        ws.oddHeader.center.text = xml_safe(heading).replace("&", "&&")  # & starts a code
        ws.oddHeader.center.size = 10
    pages = sheet_pages(ws, paper, landscape, title_rows) if numbering == "counted" else None
    setup.fitToWidth = 1
    setup.fitToHeight = pages or 0
    footers = {"open": OPEN_FOOTER, "alone": FOOTER}
    ws.oddFooter.center.text = counted_footer(pages) if pages else footers[numbering]
    ws.oddFooter.center.size = 10
    return pages


def sheet_pages(ws: Worksheet, paper: str, landscape: bool, title_rows: str) -> int:
    """The pages the sheet prints one page wide, read off its column widths and row
    heights (see ``page_count``)."""
    from openpyxl.utils import get_column_letter

    widths = [
        ws.column_dimensions[get_column_letter(c)].width or DEFAULT_COLUMN
        for c in range(1, ws.max_column + 1)
    ]
    heights = [ws.row_dimensions[r].height or DEFAULT_ROW_PT for r in range(1, ws.max_row + 1)]
    first, _, last = title_rows.partition(":")
    repeated = (int(first), int(last or first)) if first else (0, 0)
    width, height = PAPER_PT["A3" if paper == "A3" else "A4"]
    if landscape:
        width, height = height, width
    top = ws.page_margins.top + BOTTOM_MARGIN_IN
    room = (width - 2 * SIDE_MARGIN_IN * 72, height - top * 72)
    return page_count(widths, heights, repeated, room)


def page_count(
    widths: list[float],
    heights: list[float],
    repeated: tuple[int, int],
    room: tuple[float, float],
) -> int:
    """Pages of a table fitted one page wide on ``room`` (width, height in points), the
    rows ``repeated`` (first, last; 1-based, 0 for none) printed again atop every later
    page. The scale is taken from the widest drawing of a column unit, which gives the
    fewest pages, and a last page filled less than ``LAST_PAGE_SHRINK`` is not counted:
    fitted to that many pages the table shrinks a little in every application, and none
    prints fewer."""
    table_w = sum(widths) * COLUMN_UNIT_PT_WIDEST
    scale = min(1.0, room[0] / table_w) if table_w else 1.0
    usable = room[1] / scale
    first, last = repeated
    titles = sum(heights[first - 1 : last]) if first else 0.0
    pages, used = 1, 0.0
    for height in heights:
        if used + height > usable and used > (titles if pages > 1 else 0.0):
            pages, used = pages + 1, titles
        used += height
    body = max(usable - titles, 1.0)
    if pages > 1 and (used - titles) / body < LAST_PAGE_SHRINK:
        pages -= 1
    return pages
