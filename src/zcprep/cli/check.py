"""``zcprep check``: the report as tables an officer reads, or --json for programs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, cast

import typer

from zcprep.cli.console import (
    NO_DOSSIERS,
    echo_json,
    err,
    file_console,
    file_text,
    json_text,
    learn_private,
    out,
    say_warnings,
    styled,
)
from zcprep.cli.params import NamesArgument, StageOption, WorkspaceOption
from zcprep.errors import EXIT_FOUND_ERRORS


def check_command(
    names: NamesArgument = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="把检查结果以 JSON 输出到标准输出，供其他程序读取。")
    ] = False,
    workspace: WorkspaceOption = None,
    stage: StageOption = "submit",
    xlsx: Annotated[
        bool,
        typer.Option(
            "--xlsx",
            help="另把每个问题写成一行，存为 out/检查结果.xlsx（可筛选、可打印），供经办人跟踪。",
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="在每个问题下另列英文代码（与 --json 中的 code 相同）。"
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            metavar="文件",
            help="把检查结果写入此文件（UTF-8，记事本和 PowerShell 都能正确显示中文），"
            "屏幕上只留摘要；与 --json 同用时写 JSON。不能写在 dossiers 中。",
        ),
    ] = None,
) -> None:
    """按通知逐份检查档案：材料是否齐全、文件能否打开、申报信息和资格条件，一次列出全部问题。

    默认检查网上申报前应备齐的材料；网上审核通过后用 --stage paper 检查纸质报送的全部材料。
    整批材料（batch 文件夹，如花名册）只检查一次。有错误时退出码为 1，只有警告时为 0。
    """
    from zcprep.model.workspace import open_workspace

    ws = open_workspace(workspace)
    if output is not None:
        _refuse_inside_inputs(ws, output)
    say_warnings(ws.loaded.warnings)
    learn_private(ws)
    report = _run_check_with_progress(ws, names or None, stage)
    summary = _check_summary(report)
    if output is not None:
        _write_output(output, report, ws.notice, json_output, verbose, summary)
    elif json_output:
        echo_json(report.to_dict())
    else:
        from zcprep.cli.findings import show_report

        show_report(out(), report, ws.notice, verbose)
    _say_summary(summary)
    if xlsx:
        _write_xlsx(ws, report, bool(names))
    if not report.ok:
        raise typer.Exit(EXIT_FOUND_ERRORS)


def _refuse_inside_inputs(ws: Any, target: Path) -> None:
    """--output is a file, never among what zcprep reads: a dossier, batch/, zcprep.toml."""
    from zcprep.errors import UsageError

    if target.is_dir():
        raise UsageError(
            f"--output 要的是文件名，{target} 是一个文件夹。",
            f"写上文件名，例如 --output {target / '检查结果.txt'}",
        )
    where = target.resolve()
    inputs = (ws.dossiers_dir.resolve(), ws.batch_dir.resolve())
    if where == ws.config_path.resolve():
        reason = "这是本工作区的配置文件 zcprep.toml，写入会覆盖它"
    elif any(where.is_relative_to(f) for f in inputs):
        reason = "它在 dossiers 或 batch 文件夹中，zcprep 从不改动申报材料"
    else:
        return
    raise UsageError(
        f"不能把检查结果写到 {target}：{reason}。",
        "写到 out 文件夹或其他位置，例如 --output out/检查结果.txt",
    )


def _write_output(
    target: Path, report: Any, notice: Any, as_json: bool, verbose: bool, summary: str
) -> None:
    """The report as a file Windows reads right: the text with a UTF-8 BOM and CRLF
    (Notepad, PowerShell 5.1 Get-Content), laid out at a fixed width without colours;
    JSON as plain UTF-8 (RFC 8259: no BOM)."""
    from zcprep.atomic import write_bytes

    if as_json:
        data = json_text(report.to_dict()).encode("utf-8")
    else:
        from zcprep.cli.findings import show_report, summary_lines

        console = file_console()
        show_report(console, report, notice, verbose)
        console.print()
        for line in summary_lines(summary, console.width):
            console.print(line)
        text = file_text(console).replace("\r\n", "\n").replace("\n", "\r\n")
        data = ("\ufeff" + text).encode("utf-8")
    write_bytes(target, data)
    err().print(styled("已写入 ", "green", str(target)))


def _write_xlsx(ws: Any, report: Any, selected: bool) -> None:
    from zcprep.letter import write_findings_workbook

    notes: list[str] = []
    path = write_findings_workbook(ws, report, notes=notes)
    say_warnings(notes)
    only = f"，只含本次检查的 {len(report.dossiers)} 份档案" if selected else ""
    err().print(styled("已写入 ", "green", f"{ws.relative(path)}（每个问题一行{only}）"))


def _run_check_with_progress(ws: Any, names: list[str] | None, stage: str) -> Any:
    """A progress bar on stderr, only for a large batch and only on a terminal."""
    from zcprep.check import PARALLEL_FROM, run_check

    console = err()
    count = len(ws.dossier_paths(names))
    if count < PARALLEL_FROM or not console.is_terminal:
        return run_check(ws, names, stage=cast(Any, stage))
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("检查档案"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("check", total=count)
        return run_check(
            ws,
            names,
            stage=cast(Any, stage),
            progress=lambda done, _total: bar.update(task, completed=done),
        )


def _say_summary(text: str) -> None:
    from zcprep.cli.findings import summary_lines

    console = err()
    for line in summary_lines(text, console.width):
        console.print(line)


def _check_summary(report: Any) -> str:
    """One sentence whose counts are the rows shown above it, each finding once."""
    count = len(report.dossiers)
    if count == 0:
        return NO_DOSSIERS
    notes = f"（另有 {report.info_count} 条提示）" if report.info_count else ""
    if report.ok:
        if report.warning_count:
            return (
                f"已检查 {count} 份档案：没有错误，有 {report.warning_count} 个警告{notes}，"
                "请逐条确认。"
            )
        return f"已检查 {count} 份档案：没有发现问题{notes}。"
    failed = sum(1 for d in report.dossiers if not d.ok)
    batch = sum(1 for f in report.notice_findings if f.severity == "error")
    where = f"{failed} 份有错误" + (f"，整批材料有 {batch} 个错误" if batch else "")
    return (
        f"已检查 {count} 份档案：{where}，共 {report.error_count} 个错误、"
        f"{report.warning_count} 个警告{notes}；改正错误后再运行 zcprep check。"
    )
