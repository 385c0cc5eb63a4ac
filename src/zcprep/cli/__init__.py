"""zcprep —— 职称评审申报材料整理工具：检查、装订、填表、汇总。

The command line only talks: each command parses its arguments, calls one core function
and shows what it returns. ``app`` holds the commands, ``main`` is the one place that
turns errors into exit codes (zcprep.cli.invoke), ``console`` is how anything is shown,
``zh`` says typer's own words in Chinese.
"""

from zcprep.cli.app import app, main, run

__all__ = ["app", "main", "run"]
