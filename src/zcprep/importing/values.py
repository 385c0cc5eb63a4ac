"""One cell as the value applicant.toml holds, as typed: Excel dates as dates, text as
text, numbers for whole-number fields, true/false for yes/no, IDs and phones as strings.

Only what Excel has already spoilt is refused: an ID number stored as a number (Excel
keeps 15 significant digits, so an 18-digit ID has lost its last ones) and a year and
month typed as a number where 2012.10 and 2012.1 are the same number. Everything else
is written as typed and left to ``zcprep check`` to judge, with every problem at once.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from zcprep.importing.columns import SheetColumn
from zcprep.model.applicant import parse_flag

_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:\.\d*)?[eE][+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)$")
_YEAR_DOT_ONE = re.compile(r"^(\d{4})\.1$")
_CJK_SPACED = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
# Excel's day numbers for 1910-01-01 and 2100-12-31: a plain number in this range in a
# date column is a date whose cell lost its date format.
_SERIAL_RANGE = (3654, 73415)
_YEARS = (1900, 2100)
_TEXT_HINT = "把这一列的单元格格式设为“文本”，再重新输入（或在前面加英文单引号 '）。"


class CellRefused(Exception):
    """A cell whose value cannot be taken as typed; the row is refused."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def number_text(value: int | float) -> str:
    """A number as Excel's General format shows it (no trailing .0)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def convert(column: SheetColumn, value: Any) -> tuple[Any, str | None]:
    """(the value to write, a note for the officer or None); blank cells are None."""
    if blank(value):
        return None, None
    key = column.target.key
    if key == "id_number":
        return id_number(value), None
    if key == "phone":
        return phone(value)
    if key == "name":
        return name(value)
    if column.kind in ("date", "month"):
        return date_value(column, value)
    if column.kind == "bool":
        flag = parse_flag(value.strip() if isinstance(value, str) else value)
        return (flag if flag is not None else as_text(value)), None
    if column.kind in ("int", "hours"):
        return number(value, whole=column.kind == "int"), None
    return as_text(value), None


def id_number(value: Any) -> str:
    """The ID as typed (a lowercase x too); a number or its scientific form is refused."""
    if isinstance(value, bool):
        return as_text(value)
    if isinstance(value, int | float):
        shown = f"{value:.6G}" if isinstance(value, float) or value > 10**15 else str(value)
        raise CellRefused(
            f"身份证号是“{shown}”，被 Excel 存成了数字：Excel 只保留 15 位有效数字，"
            "18 位号码的后几位已经丢失，无法还原",
            _TEXT_HINT.replace("重新输入", "重新输入完整的身份证号"),
        )
    text = _unquoted(as_text(value))
    if _SCIENTIFIC.match(text.replace(" ", "")):
        raise CellRefused(
            f"身份证号是“{text}”：表格存为 CSV 或复制时已被 Excel 变成了数字，后几位已经丢失，无法还原",
            _TEXT_HINT.replace("重新输入", "重新输入完整的身份证号"),
        )
    return text


def phone(value: Any) -> tuple[str, str | None]:
    """A phone number as text; a number cell is written as its digits, with a note when
    it does not look like a mobile number (a landline's leading 0 would be gone)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise CellRefused(
                f"联系电话是“{value:.6G}”，被 Excel 存成了数字，号码已经变了", _TEXT_HINT
            )
        digits = str(int(value))
        if len(digits) == 11 and digits.startswith("1"):
            return digits, None
        return digits, (
            f"联系电话是“{digits}”，是数字单元格：座机号开头的 0 会被 Excel 去掉，请核对；"
            f"{_TEXT_HINT}"
        )
    text = as_text(value)
    if _SCIENTIFIC.match(text.replace(" ", "")):
        raise CellRefused(f"联系电话是“{text}”，已被 Excel 变成了数字，号码已经丢失", _TEXT_HINT)
    return _unquoted(text), None


def name(value: Any) -> tuple[str, str | None]:
    """姓名, with the spaces officers put between two characters to align them removed."""
    text = unicodedata.normalize("NFC", as_text(value))
    joined = _CJK_SPACED.sub("", text)
    if joined != text:
        return joined, f"姓名“{text}”中的空格已去掉，档案名为“{joined}”"
    return text, None


def date_value(column: SheetColumn, value: Any) -> tuple[Any, str | None]:
    """A date cell is a date (a month field's too); text stays text; a number is read as
    what Excel shows, refused where that is ambiguous."""
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return as_text(value), None
    if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1] and not _YEARS[0] <= value <= _YEARS[1]:
        day = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        note = (
            f"“{column.header}”是数字 {number_text(value)}，已按 Excel 的日期序号读作 "
            f"{day.isoformat()}；请核对，并把该列的单元格格式设为日期"
        )
        return day, note
    shown = number_text(value)
    ambiguous = _YEAR_DOT_ONE.match(shown)
    if ambiguous:
        year = ambiguous.group(1)
        raise CellRefused(
            f"“{column.header}”是数字 {shown}：Excel 把 {year}.10 也存成 {year}.1，"
            "分不清是 1 月还是 10 月",
            f"把这一列设为文本后重新输入，或写成 {year}-01、{year}-10（{year}年1月、{year}年10月）。",
        )
    return shown, None


def number(value: Any, whole: bool) -> Any:
    """A count or hours: numbers stay numbers (whole ones as integers), digits typed as
    text become numbers, anything else stays as typed."""
    if isinstance(value, bool):
        return as_text(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = unicodedata.normalize("NFKC", as_text(value)).replace(",", "")
    if _DECIMAL.match(text):
        parsed = float(text)
        if parsed.is_integer():
            return int(parsed)
        return as_text(value) if whole else parsed
    return as_text(value)


def _unquoted(text: str) -> str:
    """'3206… (the apostrophe that keeps Excel from making a number) without the mark."""
    return text[1:].strip() if text.startswith(("'", "‘", "’")) else text
