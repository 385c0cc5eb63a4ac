"""Builders for import tests: a fresh workspace, one complete applicant row per notice,
and filling a template with openpyxl the way a person fills it in Excel (dates as date
cells, text as text), or writing the same rows as CSV bytes."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import openpyxl

from zcprep.idcard import check_character
from zcprep.importing import SheetColumn, Target, sheet_columns
from zcprep.model.notice import Notice
from zcprep.model.workspace import Workspace, init_workspace, open_workspace

FIELD_ERRORS = ("applicant-field-missing", "applicant-field-invalid")


def fresh_workspace(tmp_path: Path, preset: str = "nantong-2023") -> Workspace:
    return open_workspace(init_workspace(preset, tmp_path / "工作区"))


def make_id(first17: str) -> str:
    return first17 + check_character(first17)


def id_ending_in_x(birth: str = "19900307", odd: bool = True) -> str:
    """A valid 18-digit ID whose check character is X, written with a lowercase x."""
    for sequence in range(1000):
        digits = f"{sequence:03d}"
        if int(digits[-1]) % 2 != int(odd):
            continue
        first17 = f"320602{birth}{digits}"
        if check_character(first17) == "X":
            return first17 + "x"
    raise AssertionError("no ID with X found")


def complete_row(notice: Notice, name: str, **overrides: Any) -> dict[Target, Any]:
    """Every column of the notice's sheet filled with a valid value, by target."""
    base: dict[str, Any] = {
        "name": name,
        "gender": "男",
        "id_number": make_id("32060219900307123"),
        "birth_date": "1990.3",
        "phone": "13800000001",
        "employer": "南通测试网络科技有限公司",
        "education": "本科",
        "degree": "学士",
        "school": "南京示例大学",
        "major": "信息安全",
        "graduation_date": dt.datetime(2012, 7, 1),
        "work_start_date": "2012.7",
        "specialty_start_date": "2012-07",
        "current_title": "助理工程师",
        "current_title_date": dt.datetime(2016, 12, 30),
        "level": "中级",
        "exceptional": "否",
        "freelancer": "否",
        "social_insurance_months": 120,
        "publicity_start": dt.datetime(2023, 5, 8),
        "publicity_end": dt.datetime(2023, 5, 12),
        "rank": 1,
        "remarks": "无",
    }
    base.update(overrides)
    row: dict[Target, Any] = {}
    for column in sheet_columns(notice):
        target = column.target
        if target.key == "continuing_education":
            row[target] = 30 if target.part == "public_hours" else 62
        elif target.key == "earlier_education":
            continue
        elif target.key in base:
            row[target] = base[target.key]
        elif column.kind == "bool":
            row[target] = "否"
        elif column.choices:
            row[target] = column.choices[0]
    return row


def header_targets(path: Path, notice: Notice) -> dict[Target, int]:
    """Column number of each target in a template (its headers as written)."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    by_header = {c.marked_header: c for c in sheet_columns(notice)}
    return {by_header[cell.value].target: cell.column for cell in ws[1] if cell.value}


def fill_template(path: Path, notice: Notice, rows: list[dict[Target, Any]]) -> None:
    """Type the rows into the template below its header, as a person would."""
    columns = header_targets(path, notice)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for number, row in enumerate(rows, start=2):
        for target, value in row.items():
            ws.cell(row=number, column=columns[target], value=value)
    wb.save(path)


def csv_bytes(
    columns: list[SheetColumn], rows: list[dict[Target, Any]], encoding: str, sep: str = ","
) -> bytes:
    """The rows as a CSV Excel would save (dates as it shows them: 2012/7/1)."""

    def text(value: Any) -> str:
        if isinstance(value, dt.datetime):
            return f"{value.year}/{value.month}/{value.day}"
        return "" if value is None else str(value)

    lines = [sep.join(c.header for c in columns)]
    lines += [sep.join(text(row.get(c.target)) for c in columns) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def applicant_data(ws: Workspace, name: str) -> dict[str, Any]:
    return tomllib.loads((ws.dossiers_dir / name / "applicant.toml").read_text("utf-8"))
