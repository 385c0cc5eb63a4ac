"""Table cells that fit: a long value is set smaller, then wrapped, never left to stop a run.

A table row cannot be split over two pages, so one value of 600 characters in a cell of
the 六公开 card made reportlab raise LayoutError and no applicant got any form. A cell
whose text would need more than :data:`CELL_LINES` lines at 五号 is set in a smaller size,
half a point at a time down to :data:`FLOOR_SIZE`, until it fits in those lines; at the
floor it wraps onto as many lines as it needs. A value that cannot break (an 18-digit ID
number, a date) and is wider than its cell is set smaller until it fits with the cell's
padding, so it never touches the rules or splits. A row that is still taller than a page
raises :class:`LayoutProblem` naming the cell's text, which the caller turns into an
error for that one form (naming the applicant and the field) while the others are made.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import unescape

from zcprep.render.justify import atoms
from zcprep.render.markup import Blank

CELL_LINES = 3  # lines a cell may take at the normal size before it is set smaller
FLOOR_SIZE = 6.0  # points: the smallest size a cell is set in (still legible printed)
STEP = 0.5
CELL_PADDING = 10.0  # points: a table cell's left + right padding (5 + 5, about half an em)
ROW_PADDING = 12.0  # points: its top + bottom padding (6 + 6)
_TALL = 1e6


class LayoutProblem(Exception):
    """The form cannot be laid out: ``text`` is the cell (or None) that would not fit."""

    def __init__(self, text: str | None) -> None:
        super().__init__(text or "")
        self.text = text


def fitted_cell(
    paragraph: type, markup: str, style: Any, width: float, rows: int = 1
) -> tuple[Any, float]:
    """The cell's paragraph, set smaller when it would take more than CELL_LINES lines
    or when one of its unbreakable pieces is wider than ``width``, and its height."""
    from reportlab.lib.styles import ParagraphStyle

    budget = CELL_LINES * style.leading * rows
    widest = _widest_atom(markup, style.fontName)  # at 1 pt
    cell = paragraph(markup, style)
    height = cell.wrap(width, _TALL)[1]
    size = style.fontSize
    while (height > budget + 0.01 or widest * size > width + 0.01) and size > FLOOR_SIZE:
        size = max(FLOOR_SIZE, size - STEP)
        smaller = ParagraphStyle(
            f"{style.name}-{size}",
            parent=style,
            fontSize=size,
            leading=style.leading * size / style.fontSize,
        )
        cell = paragraph(markup, smaller)
        height = cell.wrap(width, _TALL)[1]
    return cell, height


def _widest_atom(markup: str, font: str) -> float:
    """The width at 1 pt of the widest piece a line never breaks (a number, a date)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pieces = [a for a in atoms(unescape(markup.replace("<br/>", " "))) if len(a) > 1]
    return max((stringWidth(a, font, 1) for a in pieces if not a.isspace()), default=0.0)


def only_blanks(runs: tuple[object, ...]) -> bool:
    """Whether a table cell holds nothing but missing values (and spaces)."""
    return bool(runs) and all(
        isinstance(run, Blank) or (isinstance(run, str) and not run.strip()) for run in runs
    )


def span_boxes(
    spans: list[tuple[tuple[int, int], tuple[int, int]]],
) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """(row, col) of each spanning cell's owner → (first col, last col, first row, last row)."""
    return {(r0, c0): (c0, c1, r0, r1) for (c0, r0), (c1, r1) in spans}


def refuse_tall_rows(
    heights: dict[tuple[int, int], float], texts: dict[tuple[int, int], str], limit: float
) -> None:
    """LayoutProblem for the first cell (of one row) that no page could hold."""
    for key, height in heights.items():
        if height + ROW_PADDING > limit:
            raise LayoutProblem(texts.get(key))
