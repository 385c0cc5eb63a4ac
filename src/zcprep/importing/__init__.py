"""zcprep import: the officer's own applicant sheet in, one applicant.toml per row.

Officers keep their colleagues' data in one Excel sheet. ``write_template`` writes a
blank sheet for the workspace's notice (the labels ``zcprep new`` uses, drop-down lists,
ID and phone columns as text, a notes sheet, print-ready); ``import_table`` reads such a
sheet, or one the officer made herself, or a CSV in UTF-8 or GBK, and for each row makes
the dossier as ``zcprep new`` does and writes its applicant.toml with every value as
typed. A row Excel has already spoilt (an ID turned into 3.2060219880315E+17) is refused
with its sheet, row and column; an applicant.toml that differs is kept unless ``force``,
and then its old content is saved under out/备份/ first.
"""

from __future__ import annotations

from zcprep.importing.columns import DATA_SHEET, NOTES_SHEET, SheetColumn, Target, sheet_columns
from zcprep.importing.headers import normalize
from zcprep.importing.rows import Problem
from zcprep.importing.run import ImportResult, RowResult, import_table
from zcprep.importing.template import TemplateResult, write_template
from zcprep.importing.write import BACKUP_DIR, STATUSES, Status

__all__ = [
    "BACKUP_DIR",
    "DATA_SHEET",
    "NOTES_SHEET",
    "STATUSES",
    "ImportResult",
    "Problem",
    "RowResult",
    "SheetColumn",
    "Status",
    "Target",
    "TemplateResult",
    "import_table",
    "normalize",
    "sheet_columns",
    "write_template",
]
