"""Reading the officer's table: an .xlsx sheet (as Excel or WPS saved it) or a CSV (UTF-8
with or without BOM, GBK as Chinese Excel saves it, UTF-16 "Unicode text").

Whatever the file, the result is a :class:`Grid`: the non-blank cells by (row, column),
numbered as Excel numbers them, with each merged range's value copied into every cell it
covers (a merged 姓名 header spanning two rows reads as 姓名 in both, as a person reads
it). Values keep their types: text, numbers, dates, booleans. Problems with the file
itself are raised: an unreadable one is an InputError (exit 3), one that is not a table
a UsageError (exit 2).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zcprep.errors import InputError, UsageError
from zcprep.importing.columns import LISTS_SHEET, NOTES_SHEET
from zcprep.units import size_text

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
MAX_MERGED_CELLS = 20_000
MAX_UNPACKED = 200 * 1024 * 1024  # an officer's sheet is a few MB; more is not one
# The file itself, read whole into memory: a unit's sheet of applicants is tens of KB (a
# few MB with pasted photos), so 64 MiB for a workbook and 16 MiB for a CSV (some 100,000
# rows) leave room for any real one while keeping a wrong or huge file out of memory.
MAX_WORKBOOK_BYTES = 64 * 1024 * 1024
MAX_CSV_BYTES = 16 * 1024 * 1024
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, .et, or a password-protected .xlsx
_ZIP = b"PK\x03\x04"
_SAVE_AS = "在 Excel 或 WPS 中打开，“另存为” Excel 工作簿（.xlsx）或 CSV 后再导入。"


@dataclass
class Grid:
    """One sheet's cells; rows and columns count from 1."""

    source: Path
    sheet: str | None  # None for a CSV
    cells: dict[tuple[int, int], Any]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    notes: list[str] = field(default_factory=list)

    @property
    def max_row(self) -> int:
        return max((r for r, _ in self.cells), default=0)

    @property
    def max_col(self) -> int:
        return max((c for _, c in self.cells), default=0)

    def value(self, row: int, column: int) -> Any:
        return self.cells.get((row, column))

    def where(self, row: int, column: int | None = None) -> str:
        """工作表“申报人”第 7 行 D 列 (a CSV has no sheet)."""
        place = f"第 {row} 行" + (f" {column_letter(column)} 列" if column else "")
        return f"工作表“{self.sheet}”{place}" if self.sheet is not None else place

    def merged_down(self, row: int) -> bool:
        """True when a merged range starts on ``row`` and reaches the row below (a header
        cell such as 姓名 spanning both rows of a two-row header)."""
        return any(r1 == row and r2 > row for r1, _, r2, _ in self.merges)

    def merged_across(self, row: int, first: int, last: int) -> bool:
        """True when one merged range covers most of ``first..last`` on ``row``: a note
        or a signature line (填表人：…) laid over the table, not an applicant."""
        span = last - first + 1
        return any(
            r1 <= row <= r2 and min(c2, last) - max(c1, first) + 1 > span / 2
            for r1, c1, r2, c2 in self.merges
            if c2 > c1
        )


def column_letter(column: int) -> str:
    """1 → A, 27 → AA: how Excel names a column."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_table(path: Path, sheet: str | None = None) -> Grid:
    """The first visible sheet of a workbook (or ``sheet``), or a CSV file."""
    try:
        raw = _read_capped(path)
    except FileNotFoundError:
        raise InputError(f"找不到文件 {path}。", "检查文件名和所在文件夹是否写对。") from None
    except IsADirectoryError:
        raise UsageError(f"{path} 是文件夹，不是表格。", "写上表格文件名。") from None
    except PermissionError:
        raise InputError(
            f"无法读取 {path}：文件被占用或没有权限。", "关闭正在打开它的 Excel 或 WPS 后重试。"
        ) from None
    except OSError as exc:
        from zcprep.oserrors import os_problem

        problem = os_problem(exc, path)
        raise InputError(f"无法读取 {path}：{problem.reason}。", problem.remedy) from None
    suffix = path.suffix.lower()
    if raw.startswith(_OLE2):
        raise UsageError(
            f"{path.name} 是旧版 Excel（.xls）、WPS（.et）文件或加了打开密码的表格，无法直接读取。",
            _SAVE_AS + "（不要设打开密码）",
        )
    if suffix in XLSX_SUFFIXES or raw.startswith(_ZIP):
        return read_workbook(path, raw, sheet)
    if suffix in CSV_SUFFIXES or suffix == "":
        if sheet is not None:
            raise UsageError(
                f"{path.name} 是 CSV 文件，没有工作表，不能用 --sheet。", "去掉 --sheet。"
            )
        return read_csv(path, raw)
    raise UsageError(f"只能导入 .xlsx 或 .csv 表格，{path.name} 不是。", _SAVE_AS)


def _read_capped(path: Path) -> bytes:
    """The file's bytes, never more than its kind's cap + 1 read (a huge or sparse file
    costs neither memory nor time); an old .xls is recognised from its first bytes."""
    if path.exists() and not path.is_file() and not path.is_dir():
        raise UsageError(f"{path} 不是普通文件（可能是管道或设备），未读取。", _SAVE_AS)
    with path.open("rb") as handle:
        head = handle.read(len(_OLE2))
        if head.startswith(_OLE2):
            return head  # refused as an old workbook by the caller, whatever its size
        workbook = path.suffix.lower() in XLSX_SUFFIXES or head.startswith(_ZIP)
        cap = MAX_WORKBOOK_BYTES if workbook else MAX_CSV_BYTES
        raw = head + handle.read(cap + 1 - len(head))
        if len(raw) <= cap:
            return raw
        size = max(os.fstat(handle.fileno()).st_size, len(raw))
    raise UsageError(
        f"{path.name} 有 {size_text(size)}，超过{'表格' if workbook else ' CSV 文件'}的上限 "
        f"{size_text(cap)}，不像一张申报人信息表，未读取。",
        "检查是否选错了文件；表格中只留申报人信息（删去图片和其他工作表）后另存再导入。",
    )


# --- workbooks ---------------------------------------------------------------------------


def read_workbook(path: Path, raw: bytes, sheet: str | None) -> Grid:
    from openpyxl import load_workbook

    if not raw.startswith(_ZIP):
        raise UsageError(f"{path.name} 不是 Excel 表格（.xlsx），也不是 CSV。", _SAVE_AS)
    _refuse_oversized(path, raw)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it skips
            workbook = load_workbook(io.BytesIO(raw), data_only=True)
    except KeyError:
        raise UsageError(f"{path.name} 是压缩包或 Word 文档，不是 Excel 表格。", _SAVE_AS) from None
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise InputError(f"{path.name} 已损坏，无法作为 Excel 表格读取。", _SAVE_AS) from None
    worksheets = [ws for ws in workbook.worksheets if hasattr(ws, "merged_cells")]
    if not worksheets:
        raise UsageError(f"{path.name} 中没有工作表。", _SAVE_AS)
    if sheet is not None:
        return _grid(path, _named_sheet(path, worksheets, sheet))
    visible = [ws for ws in worksheets if ws.sheet_state == "visible"] or worksheets
    # the template's notes sheet moved to the front is not the table
    tables = [ws for ws in visible if ws.title not in (NOTES_SHEET, LISTS_SHEET)] or visible
    return _grid(path, tables[0])


def other_sheets(path: Path, grid: Grid) -> list[Grid]:
    """The workbook's other visible sheets, for when the first has no 姓名 column."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(io.BytesIO(_read_capped(path)), data_only=True)
    return [
        _grid(path, ws)
        for ws in workbook.worksheets
        if hasattr(ws, "merged_cells") and ws.sheet_state == "visible" and ws.title != grid.sheet
    ]


def _refuse_oversized(path: Path, raw: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(f"{path.name} 已损坏，无法作为 Excel 表格读取。", _SAVE_AS) from None
    if total > MAX_UNPACKED:
        raise UsageError(
            f"{path.name} 解压后超过 {MAX_UNPACKED // 1024 // 1024} MB，不像一张申报人信息表。",
            "只保留申报人信息那张表（删去图片和其他工作表）后另存再导入。",
        )


def _named_sheet(path: Path, worksheets: list[Any], name: str) -> Any:
    for ws in worksheets:
        if ws.title == name or ws.title.strip() == name.strip():
            return ws
    if name.strip().isdigit() and 1 <= int(name) <= len(worksheets):
        return worksheets[int(name) - 1]
    names = "、".join(f"“{ws.title}”" for ws in worksheets)
    raise UsageError(
        f"{path.name} 中没有名为“{name}”的工作表（有：{names}）。",
        "--sheet 写工作表名（或第几个工作表，如 --sheet 2）。",
    )


_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _shown(cell: Any) -> Any:
    """A cell's value as the officer sees it: a date formatted without a day ("2012年7月",
    "2012.7") is the month "2012-07", not a day nobody gave."""
    value = cell.value
    if isinstance(value, dt.datetime | dt.date):
        pattern = _QUOTED.sub("", str(cell.number_format or "")).lower()
        if "y" in pattern and "m" in pattern and "d" not in pattern:
            return f"{value.year}-{value.month:02d}"
    return value


def _grid(path: Path, ws: Any) -> Grid:
    """The sheet's non-blank cells, merged ranges filled from their top-left cell.

    Read from openpyxl's cell store rather than by iterating rows: a sheet whose
    formatting reaches row 1,048,576 holds only a few real cells.
    """
    cells = {
        (row, column): _shown(cell)
        for (row, column), cell in ws._cells.items()
        if cell.value is not None and not (isinstance(cell.value, str) and not cell.value.strip())
    }
    merges = []
    for merged in ws.merged_cells.ranges:
        r1, c1, r2, c2 = merged.min_row, merged.min_col, merged.max_row, merged.max_col
        merges.append((r1, c1, r2, c2))
        top_left = cells.get((r1, c1))
        if top_left is None or (r2 - r1 + 1) * (c2 - c1 + 1) > MAX_MERGED_CELLS:
            continue  # a merge over a whole sheet is formatting, not a value per cell
        for row in range(r1, r2 + 1):
            for column in range(c1, c2 + 1):
                cells[(row, column)] = top_left
    return Grid(source=path, sheet=ws.title, cells=cells, merges=merges)


# --- CSV ---------------------------------------------------------------------------------


def decode_csv(path: Path, raw: bytes) -> tuple[str, list[str]]:
    """UTF-8 (BOM or not), UTF-16 with BOM, else GB18030 (GBK, Excel's 中文 CSV)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            pass
    text: str | None = None
    notes: list[str] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
            notes.append(f"{path.name} 按 GBK 编码读取（Excel 保存的中文 CSV）。")
        except UnicodeDecodeError:
            text = None
    if text is None or "\x00" in text:
        raise UsageError(
            f"{path.name} 不是文本表格（既不是 UTF-8 也不是 GBK 编码的 CSV）。", _SAVE_AS
        )
    return text, notes


def read_csv(path: Path, raw: bytes) -> Grid:
    text, notes = decode_csv(path, raw)
    if not text.strip():
        raise UsageError(f"{path.name} 是空文件。", "导入填好的表格。")
    delimiter = _delimiter(text)
    cells: dict[tuple[int, int], Any] = {}
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UsageError(f"{path.name} 不是正常的 CSV 表格：{exc}。", _SAVE_AS) from None
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            cleaned = _csv_value(value)
            if cleaned is not None:
                cells[(row_number, column)] = cleaned
    return Grid(source=path, sheet=None, cells=cells, notes=notes)


def _delimiter(text: str) -> str:
    """Comma, unless the first line is plainly split by tabs or semicolons."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", "\t", ";")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def _csv_value(value: str) -> str | None:
    """A CSV cell's text; ``="0513…"`` (how some exports keep a number as text) unwrapped."""
    text = value.strip()
    if len(text) >= 3 and text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    return text or None
