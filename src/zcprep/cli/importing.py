"""``zcprep import``: the officer's own sheet in (being written for issue 12)."""

from __future__ import annotations

import typer


def import_command() -> None:
    """从 Excel/CSV 表格导入申报人信息。"""
    raise typer.Exit(2)
