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
