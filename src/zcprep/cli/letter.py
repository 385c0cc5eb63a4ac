"""``zcprep letter``: one 补正告知单 per applicant (being written for issue 12)."""

from __future__ import annotations

import typer


def letter_command() -> None:
    """为每位有问题的申报人生成补正告知单。"""
    raise typer.Exit(2)
