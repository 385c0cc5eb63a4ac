"""The 情况一览表: one printable, sealable table of applicants per level, as .xlsx.

Officers used to type this table into Excel by hand, where 18-digit ID numbers turn into
1.10105E+17 and lose digits, and a remark such as "=SUM(A1)" or "+86 138…" becomes a
formula. Here every cell is typed on purpose: ID and phone numbers are text, dates are
real dates shown in Chinese, counts are numbers, and nothing from applicant data can
ever become a formula.

The work runs in three stages so that each can be timed and tested alone:
``load_applicants`` reads every applicant.toml, ``plan_roster`` turns them into typed
rows per level (plus warnings and the fee summary), ``build_workbooks`` lays the rows
out with openpyxl (widths and heights from the content, page numbers per sheet), and
``save_workbooks`` writes them atomically under out/.
``make_roster`` runs all of them.
"""

from __future__ import annotations

from zcprep.roster.cells import RosterCell
from zcprep.roster.cellstyle import DATE_FORMAT, MONTH_FORMAT, set_text
from zcprep.roster.layout import (
    LINE_HEIGHT,
    MAX_WIDTH,
    HeaderLayout,
    column_width,
    display_width,
    header_layout,
    lines_height,
    lines_needed,
    natural_layout,
    row_height,
    title_height,
    values_width,
)
from zcprep.roster.paging import FOOTER, OPEN_FOOTER, counted_footer, print_setup
from zcprep.roster.plan import (
    FEE_HEADERS,
    FeeLine,
    RosterPlan,
    RosterResult,
    fee_rows,
    load_applicants,
    plan_roster,
)
from zcprep.roster.run import make_roster
from zcprep.roster.workbook import build_workbooks, save_workbooks
from zcprep.roster.wrap import print_units, width_for, wrap

__all__ = [
    "DATE_FORMAT",
    "FEE_HEADERS",
    "FOOTER",
    "LINE_HEIGHT",
    "MAX_WIDTH",
    "MONTH_FORMAT",
    "OPEN_FOOTER",
    "FeeLine",
    "HeaderLayout",
    "RosterCell",
    "RosterPlan",
    "RosterResult",
    "build_workbooks",
    "column_width",
    "counted_footer",
    "display_width",
    "fee_rows",
    "header_layout",
    "lines_height",
    "lines_needed",
    "load_applicants",
    "make_roster",
    "natural_layout",
    "plan_roster",
    "print_setup",
    "print_units",
    "row_height",
    "save_workbooks",
    "set_text",
    "title_height",
    "values_width",
    "width_for",
    "wrap",
]
