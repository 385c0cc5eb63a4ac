"""The arguments several commands share, declared once so that they read alike."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

NamesArgument = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="姓名",
        help="申报人姓名（档案文件夹名），可写多个；不写则为全部申报人。",
        show_default=False,
    ),
]
WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        metavar="文件夹",
        help="工作区文件夹（含 zcprep.toml）；默认从当前文件夹向上查找。",
        show_default=False,
    ),
]

DocxOption = Annotated[
    bool,
    typer.Option(
        "--docx",
        help="同时生成可在 WPS/Word 中修改的 .docx（需要 pip install python-docx）。",
    ),
]

# The stage a command checks or binds for (zcprep.model.notice.STAGES), by its Chinese
# name or its English value.
_STAGES = {"submit": "submit", "网上": "submit", "paper": "paper", "纸质": "paper"}


def _stage(value: str) -> str:
    key = value.strip().lower()
    if key not in _STAGES:
        raise typer.BadParameter(f"“{value}”不是可用的阶段；写 submit（网上）或 paper（纸质）。")
    return _STAGES[key]


StageOption = Annotated[
    str,
    typer.Option(
        "--stage",
        metavar="阶段",
        callback=_stage,
        help="检查哪个阶段的材料：submit（网上申报前，默认）或 paper（纸质报送，含系统生成的评审表等）。",
    ),
]
