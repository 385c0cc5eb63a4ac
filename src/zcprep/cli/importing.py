"""``zcprep import``: a blank sheet for the notice, or the officer's sheet in, shown as
one line per row (新建、更新、未改动、保留原文件、拒绝 and why)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from zcprep.cli.console import err, learn_private, out, say_warnings, styled
from zcprep.cli.console import table as new_table
from zcprep.cli.params import WorkspaceOption
from zcprep.errors import UsageError

_STATUS_STYLES = {
    "新建": "green",
    "更新": "cyan",
    "未改动": "",
    "保留原文件": "yellow",
    "拒绝": "bold red",
}


TableArgument = Annotated[
    Path | None,
    typer.Argument(
        metavar="表格",
        help="填好的申报人信息表：.xlsx，或 .csv（UTF-8 或 GBK）。",
        show_default=False,
    ),
]
TemplateOption = Annotated[
    Path | None,
    typer.Option(
        "--template",
        metavar="文件.xlsx",
        help="不导入，生成本通知的空白申报人信息表（表头、下拉列表、填写说明）。",
        show_default=False,
    ),
]
SheetOption = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        metavar="工作表",
        help="读取哪个工作表（名称，或第几个）；默认第一个。",
        show_default=False,
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="覆盖内容不同的 applicant.toml（原文件先另存到 out/备份/姓名/）；"
        "与 --template 同用时覆盖已有的表格文件。",
    ),
]


def import_command(
    table: TableArgument = None,
    template: TemplateOption = None,
    sheet: SheetOption = None,
    force: ForceOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """从 Excel/CSV 表格导入申报人信息：每行建一份档案，写入 applicant.toml。

    先用 zcprep import --template 申报人信息.xlsx 生成空白表格，填好后 zcprep import
    申报人信息.xlsx。也能读自己做的表（按表头文字对应栏目）。已有且内容不同的
    applicant.toml 不会被覆盖，除非加 --force。有被拒绝的行时退出码为 1。
    """
    from zcprep.model.workspace import open_workspace

    if (table is None) == (template is None):
        raise UsageError(
            "要么写要导入的表格，要么用 --template 生成空白表格，二者选一。",
            "如 zcprep import --template 申报人信息.xlsx，填好后 zcprep import 申报人信息.xlsx。",
        )
    ws = open_workspace(workspace)
    say_warnings(ws.loaded.warnings)
    if template is not None:
        _write_template(ws, template, force, workspace)
        return
    assert table is not None
    from zcprep.importing import import_table

    learn_private(ws)
    result = import_table(ws, table, sheet=sheet, force=force)
    say_warnings(result.warnings)
    _show_rows(ws, result)
    if result.exit_code:
        raise typer.Exit(result.exit_code)


def _write_template(ws: Any, target: Path, force: bool, workspace: Path | None) -> None:
    from zcprep.importing import NOTES_SHEET, write_template

    result = write_template(ws, target, force=force)
    say_warnings(list(result.warnings))
    console = err()
    console.print(
        f"已生成空白表格 {target}：{len(result.columns)} 列，其中必填 {result.required} 列"
        f"（表头标 *），填写说明见工作表“{NOTES_SHEET}”。"
    )
    # The command as she can type it from where she is: the path as given, -w if given.
    where = f" -w {workspace}" if workspace is not None else ""
    console.print(f"填好后运行：zcprep import {target}{where}")


def _show_rows(ws: Any, result: Any) -> None:
    where = f"{result.source.name}" + (f" 工作表“{result.sheet}”" if result.sheet else "")
    console = out()
    if not result.rows:
        console.print(f"{where}：表头（第 {result.header_rows[1]} 行）下面没有申报人，未导入。")
        return
    table = new_table(console, title=f"导入 {where}")
    for header in ("行", "姓名", "结果", "说明"):
        table.add_column(header, overflow="fold")
    for row in result.rows:
        detail = row.reason
        if row.status != "拒绝" and row.dossier is not None:
            place = ws.relative(row.dossier)
            detail = f"{place}：{detail}" if detail else place
        style = _STATUS_STYLES[row.status]
        table.add_row(str(row.row), row.name or "", styled(row.status, style, ""), detail)
    console.print(table)
    counts = "，".join(f"{status} {n}" for status, n in result.counts.items() if n)
    console.print(f"共 {len(result.rows)} 行：{counts}。")
    messages = err()
    for hint in dict.fromkeys(h for row in result.rows for h in row.hints):
        messages.print(styled("怎么办：", "cyan", hint))
    say_warnings([note for row in result.rows for note in row.notes])
    if result.count("新建") or result.count("更新"):
        messages.print("下一步：运行 zcprep check 检查这些档案。")
