"""How big the table is drawn and what its files and sheets are called.

Column widths and row heights in Excel's units (a CJK character counts as two, so a
long employer wraps instead of being cut off; roster/wrap.py says where lines break),
each header's lines, the title row's height, the heading line under the title, and the
workbook and sheet names made from level names (portable, Excel-safe). Measuring text
only: no openpyxl here.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from zcprep.errors import ConfigError
from zcprep.model.notice import Level, Notice
from zcprep.model.workspace import Workspace
from zcprep.names import NAME_MAX_BYTES, portable_name
from zcprep.roster.plan import RosterPlan
from zcprep.roster.wrap import (
    balanced_lines,
    breaks_alike,
    capacity,
    print_units,
    width_for,
    wrap,
)
from zcprep.units import text_width

# Layout constants, in Excel column-width units (about one Latin digit; a CJK char is 2).
MIN_WIDTH = 4.0
MAX_WIDTH = 30.0
HEADER_ONE_LINE = 10  # display units: a header wider than this may break onto more lines
MOST_HEADER_LINES = 4
LINE_HEIGHT = 14.25  # points per text line at 11 pt
ROW_PADDING = 5.0  # points above and below a row's lines
TITLE_HEIGHT = 32.0
TITLE_LINE_HEIGHT = 22.0  # points per line of the 16 pt title
TITLE_SCALE = 16 / 11  # the title's 16 pt characters against the 11 pt column units
DATA_ROW_START = 4  # rows 1–3: title, unit/date line, header


@functools.lru_cache(maxsize=8192)
def display_width(text: str) -> int:
    """Width in Excel units: East Asian wide and full-width characters count as 2.

    Cached: a roster repeats the same employers, schools and dates on every row.
    """
    return text_width(text)


@dataclass(frozen=True)
class HeaderLayout:
    """A header's lines (joined by line breaks in its cell) and its column's width."""

    lines: tuple[str, ...]
    width: float

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def values_width(values: Iterable[str], most: float = MAX_WIDTH) -> float:
    """The width on which the longest value prints on one line, within the bounds."""
    need = max((print_units(value) for value in values), default=0.0)
    return min(most, max(MIN_WIDTH, width_for(need)))


def header_layout(header: str, least: float, fixed: bool = False) -> HeaderLayout:
    """The header on one line when it is short or the values leave room for it, else
    on the fewest lines (two, then more) cut between whole pieces, so that a bracketed
    part stays with itself; the width grows to the widest line. ``fixed``: the width
    is the configured one and the header wraps within it."""
    if fixed:
        return HeaderLayout(tuple(wrap(header, least, keep_groups=True)), least)
    one_line = width_for(print_units(header))
    if one_line <= max(least, width_for(HEADER_ONE_LINE)):
        return HeaderLayout((header,), max(least, one_line))
    for count in range(2, MOST_HEADER_LINES + 1):
        lines = balanced_lines(header, count)
        if lines is None:
            break
        need = width_for(max(print_units(line) for line in lines))
        if need <= MAX_WIDTH:
            return HeaderLayout(tuple(lines), max(least, need))
    width = max(least, MAX_WIDTH)
    return HeaderLayout(tuple(wrap(header, width, keep_groups=True)), width)


def natural_layout(header: str, least: float) -> HeaderLayout:
    """The header's layout for a cell that must hold it as written (no line breaks added,
    as the import sheet's headers are matched when read back): a width at which the
    spreadsheet's own wrapping cuts where ``header_layout`` would; failing that, the
    layout's width and its own wrapping's lines, for the row's height."""
    layout = header_layout(header, least)
    if len(layout.lines) == 1:
        return layout
    steps = int((MAX_WIDTH - layout.width) * 4)
    for step in range(max(steps, 0) + 1):
        width = layout.width + step / 4
        if breaks_alike(list(layout.lines), width):
            return HeaderLayout(layout.lines, width)
    return HeaderLayout(tuple(wrap(header, layout.width)), layout.width)


def column_width(header: str, values: Iterable[str], configured: float | None = None) -> float:
    """Fit the longest value; a long header breaks onto more lines; cap and wrap the rest."""
    if configured is not None:
        return configured
    return header_layout(header, values_width(values)).width


def lines_needed(text: str, width: float) -> int:
    return len(wrap(text, width)) if text else 1


def lines_height(lines: int) -> float:
    return round(lines * LINE_HEIGHT + ROW_PADDING, 2)


def title_height(title: str, total_width: float) -> float:
    """Room for the merged title, on more lines when the table is narrower than it."""
    room = max(capacity(max(total_width, 1.0)) / TITLE_SCALE, 2.0)
    lines = max(1, math.ceil(print_units(title) / room))
    return max(TITLE_HEIGHT, lines * TITLE_LINE_HEIGHT + 6)


def row_height(texts: Iterable[str], widths: list[float]) -> float:
    """A height with room for the most lines any cell of the row wraps onto."""
    lines = max(
        (lines_needed(text, width) for text, width in zip(texts, widths, strict=True)), default=1
    )
    return lines_height(lines)


@dataclass(frozen=True)
class SheetHeading:
    """The line under the title (单位（盖章）, 填表日期) and the one below the table
    (经办人, 联系电话), from zcprep.toml's [unit]; a blank leaves room to write by hand."""

    unit: str
    date: str
    contact: str = ""
    phone: str = ""

    @property
    def unit_text(self) -> str:
        return f"单位（盖章）：{self.unit}"

    @property
    def date_text(self) -> str:
        return f"填表日期：{self.date}"

    @property
    def contact_text(self) -> str:
        contact = self.contact or HAND_BLANK
        return f"经办人：{contact}{CONTACT_GAP}联系电话：{self.phone or HAND_BLANK}"


HAND_BLANK = "\u3000" * 6  # ideographic spaces: room to write a name or number by hand
CONTACT_GAP = "\u3000" * 4


def heading_split(widths: list[float], unit: str, date: str) -> int:
    """How many columns, from the left, carry 单位（盖章）: the rest carry 填表日期 on one
    line (a date never wraps); of those splits, the one the unit needs fewest lines on,
    then the one giving the date least room. At least one column each."""
    need = width_for(print_units(date))
    fits = [s for s in range(1, len(widths)) if sum(widths[s:]) >= need]
    if not fits:
        return 1
    return min(fits, key=lambda s: (lines_needed(unit, sum(widths[:s])), -s))


_WORKBOOK_PREFIX = "情况一览表-"
FEE_SHEET = "费用汇总"
SHEET_NAME_CHARS = 31  # Excel's limit
_XLSX = ".xlsx"
_NAME_BYTES = NAME_MAX_BYTES - len((_WORKBOOK_PREFIX + _XLSX).encode("utf-8"))


def _safe_name(name: str, limit: int, max_bytes: int | None = None) -> str:
    """A level name fit for a file name and an Excel sheet name: no ``[ ]`` (Excel), no
    apostrophe at either end (Excel), nothing Windows forbids, dropped rather than
    replaced so that 中级/初级 read as the officer wrote them."""
    return portable_name(
        name.replace("[", "").replace("]", ""),
        replacement="",
        also_strip=" .'",
        max_chars=limit,
        max_bytes=max_bytes,
        fallback="级别",
    )


def workbook_name(level: Level) -> str:
    """情况一览表-<级别>.xlsx, the level's name made portable."""
    return f"{_WORKBOOK_PREFIX}{_safe_name(level.name, 60, _NAME_BYTES)}{_XLSX}"


def sheet_name(level: Level) -> str:
    return _safe_name(level.name, SHEET_NAME_CHARS)


def refuse_name_collisions(notice: Notice, one_level: bool = False) -> None:
    """Two levels whose names give one file name (中级 and 中级?: ``?`` is dropped) would
    have the second workbook replace the first, and two sheets of one name in one workbook
    would be renamed by openpyxl: a ConfigError naming both, before anything is read or
    written. Compared as Windows and macOS compare file names (case and NFC alike) and
    Excel sheet names (case alike)."""
    by_file = notice.roster.split == "file" or one_level
    if by_file:
        files = [(workbook_name(lv), lv) for lv in notice.levels]
        _refuse_same(files, "都会写成一览表文件 out/{}，后一个会覆盖前一个")
    else:
        sheets = [(sheet_name(lv), lv) for lv in notice.levels]
        _refuse_same(sheets, "在 out/情况一览表.xlsx 中都会成为工作表“{}”，无法区分")
    for level in notice.levels:
        if sheet_name(level).casefold() == FEE_SHEET:
            raise ConfigError(
                f"zcprep.toml 的级别“{level.name}”在一览表中会成为工作表“{FEE_SHEET}”，"
                "与评审费用汇总的工作表同名，未生成任何一览表。",
                _RENAME_HINT,
            )


_RENAME_HINT = (
    '把其中一个级别的 name 改成不同的名称（文件名和工作表名中 \\ / : * ? " < > | [ ] '
    "会被去掉，工作表名最多 31 个字），然后重新运行 zcprep roster。"
)


def _refuse_same(names: list[tuple[str, Level]], what: str) -> None:
    seen: dict[str, Level] = {}
    for name, level in names:
        first = seen.setdefault(unicodedata.normalize("NFC", name).casefold(), level)
        if first is not level:
            raise ConfigError(
                f"zcprep.toml 的级别“{first.name}”和“{level.name}”{what.format(name)}，"
                "未生成任何一览表。",
                _RENAME_HINT,
            )


def output_paths(workspace: Workspace, plan: RosterPlan) -> list[Path]:
    """out/情况一览表-<级别>.xlsx per level, or one out/情况一览表.xlsx (split = "sheet").

    With ``--level`` the workbook is always named after that level: a one-level
    workbook must never replace the full 情况一览表.xlsx of a "sheet" split.
    """
    if workspace.notice.roster.split == "sheet" and plan.selected is None:
        return [workspace.out_dir / "情况一览表.xlsx"]
    return [workspace.out_dir / workbook_name(sheet.level) for sheet in plan.sheets]
