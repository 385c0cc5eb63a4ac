"""``zcprep bind``: each volume's 目录 as a table, then what was bound, refused or left out."""

from __future__ import annotations

from typing import Annotated, Any, cast

import typer

from zcprep.cli.console import (
    err,
    mark,
    no_dossiers,
    out,
    report_error,
    say_warnings,
    styled,
)
from zcprep.cli.console import table as new_table
from zcprep.cli.params import NamesArgument, StageOption, WorkspaceOption
from zcprep.errors import EXIT_OK


def bind_command(
    names: NamesArgument = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="检查有错误时仍然装订一份预览稿（每页印“预览稿 不得报送”，不能报送）。",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只列出目录和页码范围，不写文件。")
    ] = False,
    workspace: WorkspaceOption = None,
    stage: StageOption = "submit",
) -> None:
    """把每位申报人需装订的材料按目录顺序装订成一册：目录在前，逐页编页码，带书签。

    输出 out/姓名/姓名-申报材料.pdf 和同名 .json（各项材料的页码范围）。
    装订前先运行 zcprep check：检查有错误的档案不装订并列出错误。加 --force 时装订为
    out/姓名/姓名-申报材料-预览稿.pdf：每页印“预览稿 不得报送”，目录中缺的材料标“缺”，
    检查认为损坏的文件不装订并逐个列出。
    退出码：全部装订（或本通知无需装订）为 0，有档案被拒、装订的是预览稿或有文件未装订为 1，文件无法读取为 3。
    """
    from zcprep.bind import bind_dossiers
    from zcprep.model.workspace import open_workspace

    ws = open_workspace(workspace)
    say_warnings(ws.loaded.warnings)
    if no_dossiers(ws, names):
        return
    if not ws.notice.bound_at(cast(Any, stage)):
        ws.dossier_paths(names or None)  # a name that is not there is still said
        _say_binds_nothing(bool(ws.notice.bound_at("paper")))
        return
    result = bind_dossiers(ws, names or None, force=force, dry_run=dry_run, stage=cast(Any, stage))
    say_warnings(result.warnings)
    for volume in result.volumes:
        _show_volume(ws, volume, dry_run)
    _show_refusals(result.refused)
    for failure in result.failed:
        report_error(f"{failure.dossier}：{failure.error.message}", failure.error.hint)
    if result.exit_code != EXIT_OK:
        raise typer.Exit(result.exit_code)


def _say_binds_nothing(paper_binds: bool) -> None:
    """A notice that binds nothing (at this stage): nothing to do and nothing wrong, exit 0."""
    if paper_binds:
        said = (
            "网上申报前没有需要装订的材料，没有生成文件；纸质报送前运行 zcprep bind --stage paper "
            "装订纸质材料。"
        )
    else:
        said = (
            "本通知不要求装订申报册（zcprep.toml 中没有 bound = true 的材料），没有生成文件。"
            "按通知逐项上传或报送各材料文件夹中的文件即可，用 zcprep check 检查；"
            "确需合并打印的，在 zcprep.toml 中把相应材料设为 bound = true。"
        )
    err().print(styled("无需装订 ", "cyan", said))


def _show_volume(ws: Any, volume: Any, dry_run: bool) -> None:
    """The 目录 on stdout; where the volume went, and the files left out, on stderr."""
    from zcprep.units import size_text

    _show_toc(volume, dry_run)
    say_warnings(volume.warnings)
    console = err()
    if volume.pdf is not None:
        label, colour = (
            ("已装订预览稿（不得报送） ", "yellow") if volume.preview else ("已装订 ", "green")
        )
        console.print(
            styled(
                label,
                colour,
                f"{volume.applicant}：{ws.relative(volume.pdf)}"
                f"（目录 {volume.toc_pages} 页 + 材料 {volume.bound_pages} 页，"
                f"{size_text(volume.output_bytes)}）；"
                f"各项页码范围见 {ws.relative(volume.sidecar or volume.pdf)}",
            )
        )
    if volume.skipped:
        console.print(
            styled(
                "未装订的文件 ",
                "bold red",
                f"{volume.applicant}：{len(volume.skipped)} 个文件无法读取，申报册中没有它们"
                "（改正后重新装订）：",
            )
        )
        for line in volume.skipped:
            console.print(f"  {mark('dot', console)} {line}")
    if volume.missing:
        console.print(
            styled(
                "缺少的材料 ",
                "bold red",
                f"{volume.applicant}：目录中标“缺”：{'、'.join(volume.missing)}。",
            )
        )


def _show_refusals(refused: list[Any]) -> None:
    """Dossiers not bound because check found errors, each error listed, then the way out."""
    console = err()
    for refusal in refused:
        console.print(
            styled(
                "未装订 ", "bold red", f"{refusal.dossier}：检查发现 {len(refusal.errors)} 个错误："
            )
        )
        for finding in refusal.errors:
            where = f"（{finding.file}）" if finding.file else ""
            console.print(f"  {mark('dot', console)} {finding.message}{where}")
    if refused:
        console.print(
            styled(
                "怎么办：",
                "cyan",
                "按 zcprep check 的提示改正后再运行 zcprep bind；"
                "只想先看装订效果可加 --force（不要报送这样装订的材料）。",
            )
        )


def _show_toc(volume: Any, dry_run: bool) -> None:
    """The 目录 as a table on stdout: what the officer checks before printing."""
    numbered = "目录计入页码" if volume.toc_numbered else "目录不编页码"
    title = f"{volume.applicant}（{_flat_brackets(volume.level)}）目录：{volume.toc_pages} 页，{numbered}"
    if dry_run:
        title += "（预览，未写文件）"
    console = out()
    table = new_table(console, title=title, title_justify="left")
    table.add_column("序号", justify="right", no_wrap=True)
    table.add_column("材料名称", overflow="fold")
    table.add_column("页码", no_wrap=True)
    table.add_column("文件", justify="right", no_wrap=True)
    for item in volume.items:
        table.add_row(str(item.number), item.name, item.pages, str(len(item.files)))
    console.print(table)


def _flat_brackets(text: str) -> str:
    """中级（工程师） → 中级·工程师, so that it can sit inside another pair of brackets."""
    head, opening, rest = text.partition("（")
    if opening and rest.endswith("）") and "（" not in rest:
        return f"{head}·{rest[:-1]}"
    return text
