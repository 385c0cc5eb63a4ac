"""What ``zcprep doctor`` reports: versions, the CJK fonts that would be embedded (the
body's and the title's, by face and file), the holiday-calendar years known, the
workspace found and whether its [unit] is filled in. Gathers facts; never prints."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from zcprep import __version__
from zcprep.errors import ZcprepError

if TYPE_CHECKING:
    from zcprep.fonts import FontChoice

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
    rows += _font_rows(font_path, subfont, base)
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


FONT_ITEMS = ("中文字体（正文）", "中文字体（标题）")
EXTENSION_ITEM = "生僻字字体"


def _font_rows(path: str | None, subfont: int | None, base: Path | None) -> list[Row]:
    """The body's face and the title's, each with its file (GB/T 9704 habits: 仿宋 or 宋体
    for the body, 小标宋 or 黑体 for the title where installed)."""
    from zcprep.fonts import find_form_fonts

    body_item, title_item = FONT_ITEMS
    try:
        fonts = find_form_fonts(path, subfont, base_dir=base)
    except ZcprepError as exc:
        return [Row(body_item, exc.message, "error", exc.hint or "")]
    body = fonts.body
    if not body.embedded:
        value = f"{body.name}（不嵌入）"
        return [Row(body_item, value, "warning", body.warning or ""), Row(title_item, "同正文")]
    rows = [Row(body_item, _face_value(body))]
    if fonts.own_title:
        return [*rows, Row(title_item, _face_value(fonts.title)), _extension_row(body)]
    why = (
        "zcprep.toml [fonts] 指定的字体，标题也用它"
        if path and str(path).strip()
        else "未找到小标宋或黑体，标题用正文字体加粗"
    )
    return [*rows, Row(title_item, f"同正文（{why}）"), _extension_row(body)]


def _extension_row(body: FontChoice) -> Row:
    """The extension faces (SimSun-ExtB …) that draw rare name characters the body lacks."""
    if body.extensions:
        files = "、".join(str(face.path) for face in body.extensions)
        return Row(EXTENSION_ITEM, f"{files}（正文字体缺的 CJK 扩展区汉字由它印出）")
    return Row(
        EXTENSION_ITEM,
        "未找到（正文字体缺的生僻字如“𠮷”“䶮”会印成“＿”）",
        hint="Windows 自带 SimSun-ExtB（C:\\Windows\\Fonts\\simsunb.ttf）；"
        "其他系统可安装 HanaMinB.ttf 或 BabelStoneHan.ttf",
    )


def _face_value(choice: FontChoice) -> str:
    """e.g. 仿宋（simfang.ttf）：系统字体 C:\\Windows\\Fonts\\simfang.ttf."""
    from zcprep.fonts import face_name

    file = choice.path.name if choice.path else choice.name
    face = f"，第 {choice.subfont_index} 个子字体" if choice.subfont_index else ""
    return f"{face_name(choice)}（{file}{face}）：{choice.source}"


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
