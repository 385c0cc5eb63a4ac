"""The template's second sheet, 填写说明: the rules of the sheet in a few lines, then one
row per column (which column, which field, 必填 or not, how to fill it in, and the field's
own comment from the notice). Every row is as tall as its wrapped text, and the footer
counts this sheet's pages alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zcprep.importing.columns import (
    EARLIER_KEY,
    HOURS_KEY,
    NOTES_SHEET,
    TEXT_KEYS,
    SheetColumn,
    how_to_fill,
    sheet_comment,
)
from zcprep.model.notice import Notice
from zcprep.roster import lines_height, lines_needed, print_setup, title_height

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

NOTES_HEADERS = ("列", "栏目", "必填", "怎么填", "说明")
NOTES_WIDTHS = (6.0, 26.0, 8.0, 48.0, 48.0)


def general_notes(notice: Notice, columns: list[SheetColumn]) -> list[str]:
    """The sheet's rules, one sentence each."""
    empty = (
        "没有内容的栏目写“无”，不得留空（本通知要求）"
        if notice.applicant.none_rule
        else "其他栏目没有内容的可以空着"
    )
    text_columns = [c.header for c in columns if c.target.key in TEXT_KEYS or c.kind == "month"]
    lines = [
        f"本表按《{notice.notice.title}》要填的申报人栏目生成。一行填一位申报人，从第 2 行起填写；"
        "表头文字不要改动，列的顺序可以调整。",
        f"表头标 * （底色为黄色）的栏目必填；{empty}。",
    ]
    if text_columns:
        lines.append(
            f"{'、'.join(text_columns)}列已设为文本格式，按输入原样保留：直接输入即可，"
            "从别处复制时用“选择性粘贴 → 数值”，不要把别处的格式一起粘过来。"
        )
    lines.append(
        "日期可输入 2012-07-01 或 2012/7/1，Excel 会识别为日期；是/否、性别、学历等从下拉列表选择。"
    )
    years = sorted({c.target.year for c in columns if c.target.key == HOURS_KEY and c.target.year})
    if years:
        span = f"{years[0]}—{years[-1]} 年" if len(years) > 1 else f"{years[0]} 年"
        lines.append(
            f"继续教育每个年度两列（公需科目学时、专业科目学时），本通知核对 {span}；学时填数字。"
        )
    if any(c.target.key == EARLIER_KEY for c in columns):
        lines.append(
            "此前学历只留了一个（最高学历以前的学历，如先大专后本科的大专），资格条件会按它再核对一次；"
            "有两个以上的，导入后在 applicant.toml 中按 [[earlier_education]] 补写。"
        )
    lines.append(
        "填好后保存，在工作区中运行 zcprep import 本文件.xlsx：每行建一份档案 dossiers/姓名/ 并写入"
        " applicant.toml。已有且内容不同的 applicant.toml 不会被覆盖（加 --force 才覆盖，原文件另存到"
        " out/备份/姓名/）。"
    )
    return lines


def write_notes_sheet(ws: Worksheet, notice: Notice, columns: list[SheetColumn]) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    ws.title = NOTES_SHEET
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(vertical="center", wrap_text=True)
    count = len(NOTES_HEADERS)
    total = sum(NOTES_WIDTHS)
    title = ws.cell(row=1, column=1, value=f"{notice.notice.title} 申报人信息表 填写说明")
    title.font = Font(name="宋体", size=14, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=count)
    ws.row_dimensions[1].height = title_height(str(title.value), total)
    row = 2
    for number, line in enumerate(general_notes(notice, columns), start=1):
        cell = ws.cell(row=row, column=1, value=f"{number}. {line}")
        cell.alignment = wrap
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=count)
        ws.row_dimensions[row].height = _height(line, total)
        row += 1
    row += 1
    header_row = row
    for index, header in enumerate(NOTES_HEADERS, start=1):
        cell = ws.cell(row=row, column=index, value=header)
        cell.font = Font(name="宋体", size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = border
    ws.row_dimensions[row].height = lines_height(1)
    for index, column in enumerate(columns, start=1):
        row += 1
        values = _column_row(index, column)
        for position, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=position, value=value)
            cell.data_type = "s"
            cell.alignment = wrap
            cell.border = border
        ws.row_dimensions[row].height = max(
            _height(value, width) for value, width in zip(values, NOTES_WIDTHS, strict=True)
        )
    for index, width in enumerate(NOTES_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate
    print_setup(ws, title_rows=f"{header_row}:{header_row}", numbering="counted")


def _column_row(index: int, column: SheetColumn) -> tuple[str, str, str, str, str]:
    from openpyxl.utils import get_column_letter

    # the level's comment speaks of zcprep.toml; the drop-down says it better
    own = column.target.key in (HOURS_KEY, EARLIER_KEY, "level")
    said = "" if own else column.spec.comment
    return (
        get_column_letter(index),
        column.marked_header,
        "必填" if column.required else "可不填",
        how_to_fill(column),
        sheet_comment(said),
    )


def _height(text: str, width: float) -> float:
    return lines_height(lines_needed(text, width))
