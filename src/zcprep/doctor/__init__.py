"""What ``zcprep doctor`` reports: versions, the CJK font that would be embedded, the
holiday-calendar years known, and the workspace found. Gathers facts; never prints."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Literal

from zcprep import __version__
from zcprep.errors import ZcprepError

Status = Literal["ok", "warning", "error"]

PACKAGES = (
    "typer",
    "rich",
    "pydantic",
    "jinja2",
    "openpyxl",
    "pypdf",
    "cryptography",
    "reportlab",
    "Pillow",
    "fonttools",
    "chinesecalendar",
)


@dataclass(frozen=True)
class Row:
    item: str
    value: str
    status: Status = "ok"
    hint: str = ""


def gather(workspace: Path | None = None, start: Path | None = None) -> list[Row]:
    rows = [
        Row("zcprep", __version__),
        Row("Python", f"{platform.python_version()}（{platform.system()} {platform.machine()}）"),
    ]
    rows += [_package_row(name) for name in PACKAGES]
    ws_row, font_path, subfont, base = _workspace_row(workspace, start)
    rows.append(ws_row)
    if base is not None:
        unit = _unit_row(workspace, start)
        if unit is not None:
            rows.append(unit)
    rows.append(_font_row(font_path, subfont, base))
    rows.append(_calendar_row())
    return rows


def _package_row(name: str) -> Row:
    try:
        return Row(name, version(name))
    except PackageNotFoundError:
        hint = (
            'pypdf 读取 AES 加密文件需要它：pip install "pypdf[crypto]"'
            if name == "cryptography"
            else "重新安装 zcprep"
        )
        return Row(name, "未安装", "error", hint)


def _workspace_row(
    explicit: Path | None, start: Path | None
) -> tuple[Row, str | None, int | None, Path | None]:
    from zcprep.model.workspace import open_workspace

    try:
        ws = open_workspace(explicit, start=start)
    except ZcprepError as exc:
        status: Status = "error" if explicit is not None else "warning"
        return Row("工作区", exc.message, status, exc.hint or ""), None, None, None
    notice = ws.notice
    count = len(ws.dossier_paths())
    value = f"{ws.root}（通知 {notice.id}，{count} 位申报人）"
    warnings = "；".join(ws.loaded.warnings)
    row = Row("工作区", value, "warning" if warnings else "ok", warnings)
    return row, notice.fonts.path, notice.fonts.subfont_index, ws.root


UNIT_LABELS = {"name": "单位名称", "contact": "联系人", "phone": "联系电话"}


def _unit_row(explicit: Path | None, start: Path | None) -> Row | None:
    """One warning when [unit] in zcprep.toml leaves fields the forms print empty."""
    from zcprep.model.workspace import open_workspace

    try:
        unit = open_workspace(explicit, start=start).notice.unit
    except ZcprepError:
        return None
    empty = [label for key, label in UNIT_LABELS.items() if not getattr(unit, key)]
    if not empty:
        return None
    keys = "、".join(key for key, label in UNIT_LABELS.items() if label in empty)
    return Row(
        "单位信息",
        "未填写：" + "、".join(empty),
        "warning",
        f"在 zcprep.toml 的 [unit] 中填写 {keys}，表格中的单位名称和联系方式才不会留空",
    )


def _font_row(path: str | None, subfont: int | None, base: Path | None) -> Row:
    from zcprep.fonts import find_font

    try:
        choice = find_font(path, subfont, base_dir=base)
    except ZcprepError as exc:
        return Row("中文字体", exc.message, "error", exc.hint or "")
    if not choice.embedded:
        return Row("中文字体", f"{choice.name}（不嵌入）", "warning", choice.warning or "")
    where = f"{choice.path}" + (
        f"（第 {choice.subfont_index} 个字形）" if choice.subfont_index else ""
    )
    return Row("中文字体", f"{choice.name}：{where}，{choice.source}")


def _calendar_row() -> Row:
    from zcprep.workdays import calendar_version, known_years

    years = known_years()
    if not years:
        return Row("节假日日历", "chinesecalendar 不可用", "error", "pip install chinesecalendar")
    value = f"chinesecalendar {calendar_version()}：{years[0]}–{years[-1]} 年"
    import datetime as dt

    this_year = dt.date.today().year
    if this_year + 1 not in years:
        return Row(
            "节假日日历",
            value,
            "warning",
            f"{this_year + 1} 年的放假安排尚未收录，公示期按周一至周五计算并提示“未核实”；"
            "国务院公布后升级：pip install -U chinesecalendar",
        )
    return Row("节假日日历", value)
