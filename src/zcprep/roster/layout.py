"""How big the table is drawn and what its files and sheets are called.

Column widths and row heights in Excel's units (a CJK character counts as two, so a
long employer wraps instead of being cut off), the title row's height, the heading line
under the title, and the workbook and sheet names made from level names (portable,
Excel-safe). Measuring text only: no openpyxl here.
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
from zcprep.units import text_width

# Layout constants, in Excel column-width units (about one Latin digit; a CJK char is 2).
MIN_WIDTH = 4.0
MAX_WIDTH = 30.0
HEADER_ONE_LINE = 10  # a header wider than this may wrap onto two lines
PADDING = 2.0
LINE_HEIGHT = 14.25  # points per text line at 11 pt
TITLE_HEIGHT = 32.0
TITLE_SCALE = 16 / 11  # the title's 16 pt characters against the 11 pt column units
DATA_ROW_START = 4  # rows 1–3: title, unit/date line, header


@functools.lru_cache(maxsize=8192)
def display_width(text: str) -> int:
    """Width in Excel units: East Asian wide and full-width characters count as 2.

    Cached: a roster repeats the same employers, schools and dates on every row.
    """
    return text_width(text)


def column_width(header: str, values: Iterable[str], configured: float | None = None) -> float:
    """Fit the longest value; a long header may wrap onto two lines; cap and wrap the rest."""
    if configured is not None:
        return configured
    header_width = display_width(header)
    header_need = (
        header_width
        if header_width <= HEADER_ONE_LINE
        else max(HEADER_ONE_LINE, math.ceil(header_width / 2))
    )
    value_need = max((display_width(value) for value in values), default=0)
    return min(MAX_WIDTH, max(MIN_WIDTH, header_need + PADDING, value_need + PADDING))


def lines_needed(text: str, width: float) -> int:
    usable = max(1.0, width - PADDING + 0.5)
    return max(1, math.ceil(display_width(text) / usable)) if text else 1


def title_height(title: str, total_width: float) -> float:
    """Room for the merged title, on more lines when the table is narrower than it."""
    lines = max(1, math.ceil(display_width(title) * TITLE_SCALE / max(total_width, 1.0)))
    return max(TITLE_HEIGHT, lines * 22.0 + 6)


def row_height(texts: Iterable[str], widths: list[float]) -> float | None:
    """A height for a row whose text wraps; None keeps the default for one-line rows."""
    lines = max(
        (lines_needed(text, width) for text, width in zip(texts, widths, strict=True)), default=1
    )
    return None if lines <= 1 else round(lines * LINE_HEIGHT + 4, 2)


@dataclass(frozen=True)
class SheetHeading:
    """The line under the title: 单位（盖章） and 填表日期."""

    unit: str
    date: str


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
