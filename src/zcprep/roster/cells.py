"""The typed cells of the 情况一览表: every value carries the kind that decides its Excel type.

A column resolver (roster/columns.py) returns a ``RosterCell`` and the gaps it met (a
field missing or unreadable); the plan turns gaps into warnings and the workbook turns
cells into typed Excel cells. This is the vocabulary both sides share.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from zcprep.cndate import format_date, format_year_month
from zcprep.model.applicant import Applicant
from zcprep.model.notice import Level, Notice

CellKind = Literal["text", "date", "month", "number", "empty"]


@dataclass(frozen=True)
class RosterCell:
    """One typed value of the table; ``kind`` decides the Excel cell type and format."""

    value: str | int | float | dt.date | None
    kind: CellKind

    @property
    def display(self) -> str:
        """The text a reader sees, used to size columns and rows."""
        if self.value is None:
            return ""
        if isinstance(self.value, dt.date):
            if self.kind == "month":
                return format_year_month(self.value)
            return format_date(self.value)
        if isinstance(self.value, float) and self.value.is_integer():
            return str(int(self.value))
        return str(self.value)


EMPTY = RosterCell(None, "empty")


def text_cell(value: str) -> RosterCell:
    return RosterCell(value, "text")


def number_cell(value: int | float) -> RosterCell:
    return RosterCell(value, "number")


@dataclass(frozen=True)
class Gap:
    """Why a cell could not be filled as the column needs: a field missing or unreadable."""

    key: str
    reason: Literal["missing", "invalid"]
    raw: str = ""
    detail: str = ""
    outcome: str = ""  # what the cell shows instead, when the generic wording would mislead


Resolved = tuple[RosterCell, list[Gap]]


@dataclass(frozen=True)
class RowContext:
    applicant: Applicant
    level: Level
    notice: Notice
