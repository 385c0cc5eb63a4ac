"""``zcprep roster``: the fee summary as a table, then the workbooks written."""

from __future__ import annotations

from typing import Annotated

import typer

from zcprep.cli.console import err, no_dossiers, out, say_warnings
from zcprep.cli.console import table as new_table
from zcprep.cli.params import WorkspaceOption


def roster_command(
    level: Annotated[
        str | None,
        typer.Option(
            "--level",
            "-l",
            metavar="级别",
            help="只生成一个级别（id 或名称，如 中级），写入 out/情况一览表-级别.xlsx。",
            show_default=False,
        ),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """生成情况一览表（out/ 下的 .xlsx，每个级别一份或一个工作表）和评审费用汇总。

    有申报人未列入一览表（没有填写或填错申报级别、不符合申报条件）时退出码为 1：
    一览表和费用合计不完整。用 --level 时只看所选级别的申报人。
    """
    from zcprep.model.workspace import open_workspace
    from zcprep.roster import FEE_HEADERS, fee_rows, make_roster

    ws = open_workspace(workspace)
    say_warnings(ws.loaded.warnings)
    if no_dossiers(ws, None):
        return
    result = make_roster(ws, level)
    say_warnings(result.warnings)
    console = out()
    table = new_table(console, title="评审费用汇总")
    for index, header in enumerate(FEE_HEADERS):
        table.add_column(header, justify="left" if index < 2 else "right")
    for row in fee_rows(result.fees):  # the same rows as the workbook's 费用汇总 sheet
        table.add_row(*(cell.display for cell in row))
    console.print(table)
    for path in result.outputs:
        console.print(f"已生成：{ws.relative(path)}")
    if result.left_out:
        err().print(
            f"有 {len(result.left_out)} 位申报人未列入一览表（{'、'.join(result.left_out)}），"
            "评审费用汇总也不含他们（原因见上）。"
        )
    if result.exit_code:
        raise typer.Exit(result.exit_code)
