"""``zcprep check``: the report as tables an officer reads, or --json for programs."""

from __future__ import annotations

from typing import Annotated, Any, cast

import typer

from zcprep.cli.console import (
    NO_DOSSIERS,
    echo_json,
    err,
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
) -> None:
    """按通知逐份检查档案：材料是否齐全、文件能否打开、申报信息和资格条件，一次列出全部问题。

    默认检查网上申报前应备齐的材料；网上审核通过后用 --stage paper 检查纸质报送的全部材料。
    整批材料（batch 文件夹，如花名册）只检查一次。有错误时退出码为 1，只有警告时为 0。
    """
    from zcprep.model.workspace import open_workspace

    ws = open_workspace(workspace)
    say_warnings(ws.loaded.warnings)
    learn_private(ws)
    report = _run_check_with_progress(ws, names or None, stage)
    if json_output:
        echo_json(report.to_dict())
    else:
        _show_check_report(report, ws.notice)
    err().print(_check_summary(report))
    if xlsx:
        _write_xlsx(ws, report, bool(names))
    if not report.ok:
        raise typer.Exit(EXIT_FOUND_ERRORS)


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


_SEVERITY_LABELS = {
    "error": ("错误", "bold red"),
    "warning": ("警告", "yellow"),
    "info": ("提示", "cyan"),
}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _finding_place(dossier_path: str, finding: Any, materials: dict[str, Any]) -> str:
    """材料 / 文件 / 页, as short as the finding allows (the file name alone when the
    material already says which folder it is in)."""
    lines = []
    material = materials.get(finding.material) if finding.material else None
    if material is not None:
        lines.append(f"{material.order:02d} {material.short or material.name}")
    if finding.file:
        prefix = dossier_path + "/"
        shown = finding.file[len(prefix) :] if finding.file.startswith(prefix) else finding.file
        lines.append(shown.rsplit("/", 1)[-1] if material is not None else shown)
    if finding.page:
        lines.append(f"第 {finding.page} 页")
    return "\n".join(lines) or "通知"


def _findings_table(
    title: str, findings: list[Any], dossier_path: str, materials: dict[str, Any], show_codes: bool
) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left", show_lines=True)
    table.add_column("序号", justify="right", no_wrap=True)
    table.add_column("类型", no_wrap=True)  # 级别 elsewhere means the level applied for
    table.add_column("位置", overflow="fold", ratio=1)
    table.add_column("问题", overflow="fold", ratio=3)
    table.add_column("怎么办", overflow="fold", ratio=2)
    ordered = sorted(findings, key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))
    for number, finding in enumerate(ordered, start=1):
        label, style = _SEVERITY_LABELS.get(finding.severity, (finding.severity, ""))
        problem = Text(finding.message)
        if show_codes:
            problem.append(f"\n{finding.code}", style="dim")
        table.add_row(
            str(number),
            Text(label, style=style),
            _finding_place(dossier_path, finding, materials),
            problem,
            finding.hint,
        )
    return table


def _show_check_report(report: Any, notice: Any) -> None:
    console = out()
    materials = {m.id: m for m in notice.materials}
    show_codes = console.width >= 110  # codes help look things up, but not at the cost of wrapping
    shared = report.notice_findings
    if shared:
        title = f"整批与通知：{len(shared)} 条（只列一次，不计入各份档案）"
        console.print(_findings_table(title, shared, "", materials, show_codes))
    for dossier in report.dossiers:
        head = f"{dossier.applicant}（{dossier.level or '级别未填'}，{dossier.path}）"
        own = dossier.findings
        if not own:
            console.print(styled("✓ ", "green", f"{head}：没有发现问题"))
            continue
        errors = sum(1 for f in own if f.severity == "error")
        warnings = sum(1 for f in own if f.severity == "warning")
        title = f"{head}：{errors} 个错误，{warnings} 个警告"
        console.print(_findings_table(title, own, dossier.path, materials, show_codes))


def _check_summary(report: Any) -> str:
    count = len(report.dossiers)
    if count == 0:
        return NO_DOSSIERS
    if report.ok:
        if report.warning_count:
            return (
                f"已检查 {count} 份档案：没有错误，有 {report.warning_count} 个警告，请逐条确认。"
            )
        return f"已检查 {count} 份档案：没有发现问题。"
    failed = sum(1 for d in report.dossiers if not d.ok)
    batch = sum(1 for f in report.notice_findings if f.severity == "error")
    where = f"{failed} 份有错误" + (f"，整批材料有 {batch} 个错误" if batch else "")
    return (
        f"已检查 {count} 份档案：{where}，共 {report.error_count} 个错误、"
        f"{report.warning_count} 个警告；改正错误后再运行 zcprep check。"
    )
