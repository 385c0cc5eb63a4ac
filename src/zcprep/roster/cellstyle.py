"""Typed cells with shared styles: text that can never become a formula, real dates,
numbers, each with the table's font, border and wrapping alignment.

Every cell gets the Excel type its ``RosterCell`` asks for. openpyxl is imported inside
the functions, so that ``zcprep --help`` stays quick.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from zcprep.roster.cells import CellKind, RosterCell
from zcprep.xmltext import xml_safe

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
MONTH_FORMAT = 'yyyy"年"m"月"'
TEXT_FORMAT = "@"
# A leading = + - @ (or a tab / carriage return before one) makes Excel and WPS read a
# typed value as a formula; such text is written as a string cell with a quote prefix.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class Styles:
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

    def apply(self, cell: Any, key: str, style: Callable[[Any, Styles], None]) -> None:
        """Style the first cell of a kind through openpyxl's API, then copy its style ids.

        Assigning font, border and alignment hashes each object to find it in the
        workbook's style tables, which took 1.2 s of a 1,000-row build; copying the
        resulting id array (as openpyxl's own worksheet copy does) takes microseconds.
        The ids index this workbook's tables, so one ``Styles`` serves one workbook.
        """
        cached = self._arrays.get(key)
        if cached is not None:
            cell._style = copy.copy(cached)
            return
        style(cell, self)
        self._arrays[key] = copy.copy(cell._style)


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


def write_cell(cell: Any, value: RosterCell, styles: Styles) -> None:
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


def _text_style(quoted: bool) -> Callable[[Any, Styles], None]:
    def style(cell: Any, styles: Styles) -> None:
        _base_style(cell, styles)
        cell.number_format = TEXT_FORMAT
        cell.quotePrefix = quoted

    return style


def _date_style(kind: CellKind) -> Callable[[Any, Styles], None]:
    def style(cell: Any, styles: Styles) -> None:
        _base_style(cell, styles)
        cell.number_format = MONTH_FORMAT if kind == "month" else DATE_FORMAT

    return style


def _number_style(cell: Any, styles: Styles) -> None:
    _base_style(cell, styles)


def _base_style(cell: Any, styles: Styles) -> None:
    cell.font = styles.font
    cell.border = styles.border
    cell.alignment = styles.center
