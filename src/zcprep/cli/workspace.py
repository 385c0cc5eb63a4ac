"""Commands that set up and look around: notices, init, new, doctor and demo."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from zcprep.cli.console import err, mark, out, say_warnings, styled
from zcprep.cli.console import table as new_table
from zcprep.cli.invoke import invoke
from zcprep.cli.params import WorkspaceOption
from zcprep.errors import EXIT_FOUND_ERRORS, EXIT_OK


def notices_command() -> None:
    """列出内置的通知预设（编号、地区、年份、专业、级别、截止日期）。"""
    from zcprep.cndate import format_date
    from zcprep.model.presets import all_presets

    console = out()
    table = new_table(console, title="内置通知预设", show_lines=False)
    table.add_column("编号", no_wrap=True)  # copied into `zcprep init`: never folded
    for header in ("地区", "年份", "专业", "类别", "级别", "网上申报截止", "纸质报送"):
        table.add_column(header, overflow="fold")
    for loaded in all_presets():
        n = loaded.notice
        online = format_date(n.dates.online.end) if n.dates.online else "—"
        paper = "—"
        if n.dates.paper:
            start = format_date(n.dates.paper.start) + "至" if n.dates.paper.start else ""
            paper = start + format_date(n.dates.paper.end)
        table.add_row(
            n.id,
            n.notice.region,
            str(n.notice.year),
            n.notice.specialty,
            n.notice.kind,
            "、".join(level.name for level in n.levels),
            online,
            paper,
        )
    console.print(table)
    err().print("用 zcprep init 编号 文件夹 新建工作区，如：zcprep init nantong-2023 ./2023职称")


def init_command(
    preset: Annotated[
        str, typer.Argument(metavar="预设编号", help="通知预设编号，见 zcprep notices。")
    ],
    directory: Annotated[Path, typer.Argument(metavar="文件夹", help="要新建的工作区文件夹。")],
    force: Annotated[
        bool,
        typer.Option("--force", help="文件夹非空时仍写入 zcprep.toml（不动 dossiers 中的材料）。"),
    ] = False,
) -> None:
    """按通知预设新建工作区：zcprep.toml、dossiers/、out/。"""
    from zcprep.model.workspace import create_workspace

    created = create_workspace(preset, directory, force=force)
    root = created.root
    console = err()
    console.print(f"已新建工作区 {root}（通知：{preset}）。")
    if created.backup is not None:
        console.print(
            f"原来的 zcprep.toml 已另存为 {created.backup.name}，需要时可从中找回本单位信息。"
        )
    console.print(f"下一步：在 {root / 'zcprep.toml'} 的 [unit] 中填写本单位信息，再运行")
    if sys.platform == "win32":  # cmd's cd does not change drives without /d
        console.print(f"  cd /d {root}        （PowerShell 中写 cd {root}）")
    else:
        console.print(f"  cd {root}")
    console.print("  zcprep new 姓名")


def new_command(
    name: Annotated[str, typer.Argument(metavar="姓名", help="申报人姓名（档案文件夹名）。")],
    workspace: WorkspaceOption = None,
) -> None:
    """为一位申报人新建档案：applicant.toml 和每项材料一个文件夹。"""
    from zcprep.model.workspace import new_dossier, open_workspace

    ws = open_workspace(workspace)
    say_warnings(ws.loaded.warnings)
    folder = new_dossier(ws, name)
    console = err()
    notice = ws.notice
    empty = "没有内容的栏目写“无”" if notice.applicant.none_rule else "标“可不填”的栏目可以留空"
    console.print(f"已新建档案 {ws.relative(folder)}：")
    console.print(f"  {ws.relative(folder / 'applicant.toml')}  —— 填写申报信息，{empty}")
    later = []
    for material in notice.checklist:
        if material.not_accepted:
            continue
        if not material.due("submit"):
            later.append(material)
            continue
        formats = "、".join(fmt.upper() for fmt in material.formats)
        console.print(f"  {material.folder}/  —— 放入“{material.name}”的扫描件（{formats}）")
    for material in later:
        console.print(f"  {material.folder}/  —— “{material.name}”网上审核通过后才有，届时放入")
    if notice.batch_checklist:
        names = "、".join(f"“{m.name}”" for m in notice.batch_checklist)
        console.print(f"  {ws.relative(ws.batch_dir)}/  —— 整批只交一份的材料（{names}），全批共用")


def doctor_command(workspace: WorkspaceOption = None) -> None:
    """检查运行环境：版本、将嵌入的中文字体、节假日日历覆盖的年份、当前工作区。

    有标为 [有误] 的项目时退出码为 1。
    """
    from zcprep.doctor import gather

    marks = {"ok": ("[正常]", "green"), "warning": ("[注意]", "yellow"), "error": ("[有误]", "red")}
    console = out()
    rows = gather(workspace)
    for row in rows:
        label, style = marks[row.status]
        console.print(styled(label, style, f" {row.item}：{row.value}"))
        if row.hint:
            console.print(f"       {mark('arrow', console)} {row.hint}")
    if any(row.status == "error" for row in rows):
        err().print("有标为 [有误] 的项目：按其后的提示处理后，再运行 zcprep doctor。")
        raise typer.Exit(EXIT_FOUND_ERRORS)


# Each step runs a real zcprep command on the demo workspace; a new verb adds its line.
DEMO_STEPS: list[tuple[str, list[str], str]] = [
    ("列出内置通知", ["notices"], ""),
    ("检查全部档案", ["check"], ""),
    ("装订申报册", ["bind"], "out/张三/张三-申报材料.pdf"),
    ("填写表单", ["render"], "out/张三/forms"),
    ("生成情况一览表", ["roster"], "out"),
    ("写补正告知单", ["letter"], "out/李四/补正告知单.pdf"),
]


def demo_command(
    ctx: typer.Context,
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="文件夹",
            help="演示工作区放在哪里（默认 ./zcprep-demo）。",
            show_default=False,
        ),
    ] = Path("zcprep-demo"),
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="文件夹非空时仍覆盖演示文件（已是工作区的文件夹一律不写入）。"
        ),
    ] = False,
) -> None:
    """复制示例工作区（南通 2023，两位申报人）并依次运行各命令，说明每个输出在哪里。"""
    from zcprep.model.demo import copy_example

    root = copy_example(directory, force=force)
    # The steps run through the same root command, as a user would type them; like any
    # single command they show no traceback of their own.
    root_command = ctx.find_root().command
    console = err()
    console.print(f"示例工作区已复制到 {root}：一位材料齐全的申报人，一位带有常见错误的申报人。")
    for number, (title, args, output) in enumerate(DEMO_STEPS, start=1):
        needs_workspace = args[0] not in ("notices",)
        full = [*args, "--workspace", str(root)] if needs_workspace else args
        console.rule(f"第 {number} 步：{title}（zcprep {' '.join(args)}）")
        code = invoke(root_command, full, debug=False)
        if output:
            console.print(f"输出：{root / output}")
        if code not in (EXIT_OK, EXIT_FOUND_ERRORS):
            raise typer.Exit(code)
    console.rule("演示结束")
    console.print(f"可以进入 {root} 查看 dossiers/ 中的材料与 out/ 中的输出，再自己试一试。")
