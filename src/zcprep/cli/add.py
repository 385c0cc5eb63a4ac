"""``zcprep add``: what an applicant's zip put into the dossier, what it did not, and why."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from zcprep.cli.console import err, learn_private, mark, out, say_warnings, styled
from zcprep.cli.params import WorkspaceOption
from zcprep.errors import EXIT_FOUND_ERRORS

LIST_LIMIT = 20


def add_command(
    name: Annotated[
        str,
        typer.Argument(metavar="姓名", help="申报人姓名（档案文件夹名）；档案不存在时先新建。"),
    ],
    archive: Annotated[Path, typer.Argument(metavar="压缩包", help="申报人发来的 zip 压缩包。")],
    force: Annotated[
        bool, typer.Option("--force", help="覆盖档案中已有的同名文件（默认跳过并列出）。")
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """把申报人发来的 zip 压缩包解压到其档案 dossiers/姓名/，再检查这份档案。

    识别 Windows（GBK）和 macOS 压缩包的中文文件名；不解压指向档案以外的路径、链接、加密文件和压缩炸弹。

    不加 --force 时不覆盖已有文件。有错误或有未解压的条目时退出码为 1。
    """
    from zcprep.check import run_check
    from zcprep.intake import add_archive
    from zcprep.model.workspace import open_workspace

    ws = open_workspace(workspace)
    say_warnings(ws.loaded.warnings)
    result = add_archive(ws, name, archive, force=force)
    learn_private(ws)  # the zip may have brought the applicant.toml
    _show_intake(ws, archive, result)
    report = run_check(ws, [result.dossier.name])
    dossier = result.dossier.name
    if report.error_count or report.warning_count:
        out().print(
            f"检查 {ws.relative(result.dossier)}：{report.error_count} 个错误，"
            f"{report.warning_count} 个警告；详情请运行 zcprep check {dossier}"
        )
    else:
        out().print(f"检查 {ws.relative(result.dossier)}：没有发现问题。")
    if report.error_count or result.refused:
        raise typer.Exit(EXIT_FOUND_ERRORS)


def _show_intake(ws: Any, archive: Path, result: Any) -> None:
    """Summary on stdout; what was not unpacked, and why, on stderr."""
    where = ws.relative(result.dossier)
    console = out()
    if result.created:
        console.print(f"已新建档案 {where}（含 applicant.toml，请填写申报信息）。")
    console.print(f"已把 {archive.name} 解压到 {where}/：{'，'.join(_counts(result))}。")
    for top in result.stripped:
        console.print(f"  去掉了外层文件夹 {top}/")
    for source, folder in result.mapped:
        console.print(f"  {source}/ {mark('arrow', console)} {folder}/")
    warnings = [
        f"文件名“{shown}”在 Windows 上不能原样保存（含不允许的字符或过长），已存为 {saved}"
        for shown, saved in result.renamed
    ]
    warnings += [
        f"文件名“{shown}”的编码无法识别，无法识别的字符已换成 �；请核对后改名"
        for shown in result.undecodable
    ]
    say_warnings(_capped(warnings))
    _show_not_written(result)


def _counts(result: Any) -> list[str]:
    counts = [f"写入 {len(result.written)} 个文件"]
    if result.folders:
        counts.append(f"新建 {len(result.folders)} 个文件夹")
    if result.skipped:
        counts.append(f"跳过 {len(result.skipped)} 个已有文件")
    if result.refused:
        counts.append(f"{len(result.refused)} 项未解压")
    if result.junk:
        counts.append(f"忽略 {result.junk} 个系统文件（__MACOSX、.DS_Store 等）")
    return counts


def _show_not_written(result: Any) -> None:
    """Files kept as they were (no --force) and entries refused, each with its reason."""
    console = err()
    if result.skipped:
        console.print(
            styled(
                "未覆盖：",
                "yellow",
                f"档案中已有以下 {len(result.skipped)} 个文件，保持原样"
                "（要用压缩包中的文件覆盖，请加 --force 重新运行）：",
            )
        )
        for line in _capped(result.skipped):
            console.print(f"  {line}")
    if result.refused:
        console.print(styled("未解压：", "bold red", f"以下 {len(result.refused)} 项没有解压："))
        for line in _capped([f"{r.entry} —— {r.reason}" for r in result.refused]):
            console.print(f"  {line}")


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= LIST_LIMIT:
        return lines
    return [*lines[:LIST_LIMIT], f"……另有 {len(lines) - LIST_LIMIT} 项"]
