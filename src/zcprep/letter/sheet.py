"""out/检查结果.xlsx: every finding of a check, one row each, for the officer's own tracking.

``zcprep check --xlsx`` writes it beside the screen report. The rows are the report's
findings as they are (full ID numbers included: out/ is the officer's own record), the
notice-wide ones first with 申报人 = 整批; each has the columns an officer filters on
(申报人, 严重程度, 材料, 代码). Every text is a text cell that can never become a
formula (as in the roster: a message beginning with = stays text), the header row is
frozen and filtered, columns are as wide as their Chinese text prints, every row as tall
as its wrapped lines, and the sheet prints landscape on A4, one page wide, the header
repeated on every page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from zcprep.atomic import write_with
from zcprep.cndate import format_date
from zcprep.model.notice import Notice
from zcprep.model.workspace import Workspace
from zcprep.report import Finding, Report
from zcprep.roster import (
    lines_height,
    print_setup,
    print_units,
    row_height,
    set_text,
    values_width,
    width_for,
)
from zcprep.xmltext import clean_model, config_notes, describe, removed_characters, xml_safe

WORKBOOK_NAME = "检查结果.xlsx"
SHEET_NAME = "检查结果"
BATCH_APPLICANT = "整批"
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
# (header, widest the column grows, in Excel units: a CJK character counts two)
COLUMNS = (
    ("申报人", 12.0),
    ("申报级别", 10.0),
    ("严重程度", 10.0),
    ("材料", 28.0),
    ("文件", 32.0),
    ("页", 6.0),
    ("问题", 60.0),
    ("怎么办", 50.0),
    ("代码", 26.0),
)
HEADERS = tuple(header for header, _ in COLUMNS)
PAGE_COLUMN = HEADERS.index("页")
FILTER_BUTTON = 3.0  # display units the filter's drop-down button takes in the header

Row = tuple[Any, ...]


def finding_rows(notice: Notice, report: Report) -> list[Row]:
    """The sheet's rows: notice-wide findings (申报人 整批) first, then each dossier's,
    errors before warnings before notes within each."""
    materials = {m.id: m for m in notice.materials}

    def row(who: str, level: str, finding: Finding, prefix: str) -> Row:
        material = materials.get(finding.material) if finding.material else None
        if material is not None:
            material_text = f"{material.order:02d} {material.name}"
        else:
            material_text = finding.material or ""
        file = finding.file or ""
        if prefix and file.startswith(prefix):
            file = file[len(prefix) :]
        return (
            who,
            level,
            SEVERITY_NAMES.get(finding.severity, finding.severity),
            material_text,
            file,
            finding.page,
            finding.message,
            finding.hint,
            finding.code,
        )

    rows = [row(BATCH_APPLICANT, "", f, "") for f in _ordered(report.notice_findings)]
    for dossier in report.dossiers:
        prefix = f"{dossier.path}/"
        level = dossier.level or ""
        rows += [row(dossier.applicant, level, f, prefix) for f in _ordered(dossier.findings)]
    return rows


def _ordered(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))


def column_widths(rows: list[Row]) -> list[float]:
    """Each column as wide as its widest text prints (header included, with room for the
    filter's ▼ beside it), within its cap; longer text wraps onto more lines."""
    widths = []
    for i, (header, cap) in enumerate(COLUMNS):
        need = values_width([header, *(_shown(row[i]) for row in rows)], most=cap)
        widths.append(min(cap, max(need, width_for(print_units(header) + FILTER_BUTTON))))
    return widths


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def write_findings_workbook(
    ws: Workspace, report: Report, today: dt.date | None = None, notes: list[str] | None = None
) -> Path:
    """Write out/检查结果.xlsx atomically and return its path. Characters a workbook cannot
    hold (XML 1.0) are left out of it, and each such place is added to ``notes``."""
    from openpyxl import Workbook

    notice, found = clean_model(ws.notice, ("notice", "materials", "levels"))
    said = config_notes(found, WORKBOOK_NAME)
    rows = [_clean_row(row, said) for row in finding_rows(notice, report)]
    if notes is not None:
        notes.extend(said)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    workbook.properties.creator = "zcprep"
    workbook.properties.title = f"{notice.notice.title} 检查结果"
    widths = column_widths(rows)
    _write_table(sheet, rows, widths)
    day = format_date(today or dt.date.today(), ws.notice.render.date_style)
    # The workbook's only sheet: its footer's 共 &N 页 is its own, and stays right when the
    # officer filters rows.
    print_setup(sheet, heading=f"检查结果（{xml_safe(report.notice)}，{day}）", numbering="alone")
    target = ws.out_dir / WORKBOOK_NAME
    write_with(target, workbook.save)
    return target


def _clean_row(row: Row, notes: list[str]) -> Row:
    """The row without characters a workbook cannot hold; a line for each cell that had some
    (a file name from a Windows zip is first decoded, see zcprep.xmltext)."""
    cleaned = []
    for header, value in zip(HEADERS, row, strict=True):
        if isinstance(value, str):
            removed = removed_characters(value)
            value = xml_safe(value)
            if removed:
                notes.append(
                    f"{row[0]}：检查结果（{row[-1]}）的“{header}”栏含有不能写入表格的字符"
                    f"（{describe(removed)}），{WORKBOOK_NAME} 中已去掉；屏幕上的检查结果不受影响。"
                )
        cleaned.append(value)
    return tuple(cleaned)


def _write_table(sheet: Any, rows: list[Row], widths: list[float]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font, bold = Font(name="宋体", size=11), Font(name="宋体", size=11, bold=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    fill = PatternFill("solid", fgColor="D9D9D9")
    for c, header in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=1, column=c)
        set_text(cell, header)
        cell.font, cell.border, cell.alignment, cell.fill = bold, border, centre, fill
    sheet.row_dimensions[1].height = lines_height(1)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, int):
                cell.value = value
            else:
                set_text(cell, _shown(value))
            cell.font, cell.border = font, border
            cell.alignment = centre if c - 1 == PAGE_COLUMN else wrap
        sheet.row_dimensions[r].height = row_height([_shown(value) for value in row], widths)
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(HEADERS))
    sheet.auto_filter.ref = f"A1:{last}{max(2, len(rows) + 1)}"
