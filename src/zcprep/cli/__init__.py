"""zcprep —— 职称评审申报材料整理工具：检查、装订、填表、汇总。

The thin command line: parse, call one core function, show its result. Core modules
never print or exit; ``main`` is the one place that turns errors into exit codes.
"""

from __future__ import annotations

import functools
import gc
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from zcprep import __version__
from zcprep.errors import EXIT_FOUND_ERRORS, EXIT_IO, EXIT_OK, InternalError, ZcprepError

app = typer.Typer(
    name="zcprep",
    help="职称评审申报材料整理工具：按通知检查每位申报人的材料，装订带页码和目录的申报册，"
    "填写需盖章的表单，生成情况一览表。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

NamesArgument = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="姓名",
        help="申报人姓名（档案文件夹名），可写多个；不写则为全部申报人。",
        show_default=False,
    ),
]
WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        metavar="文件夹",
        help="工作区文件夹（含 zcprep.toml）；默认从当前文件夹向上查找。",
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zcprep {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help="出错时显示 Python 调用栈（供开发者排查）。")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号。")
    ] = False,
    show_private: Annotated[
        bool,
        typer.Option(
            "--show-private",
            help="在屏幕上显示完整的身份证号和手机号（默认遮盖为 1101**********002X、"
            "138****0000）；可写在任何命令之后。--json 的输出总是完整的。",
        ),
    ] = False,
) -> None:
    """职称评审申报材料整理工具。"""


class _View:
    """How this run shows private data; set by ``main`` (``--show-private``)."""

    show_private = False


def _shown(text: str) -> str:
    """The one filter every printed text passes: names made printable, and unless
    ``--show-private`` ID and mobile numbers masked (zcprep.privacy)."""
    from zcprep.privacy import mask_private, printable

    text = printable(text)
    return text if _View.show_private else mask_private(text)


@functools.cache
def _console_class() -> Any:
    """A rich Console that filters every str and Text through :func:`_shown` before
    laying it out, so that a number a table would wrap is masked whole."""
    from rich.console import Console
    from rich.text import Text

    class ShownConsole(Console):
        def render_str(self, text: str, *args: Any, **kwargs: Any) -> Any:
            return super().render_str(_shown(text), *args, **kwargs)

        def render(self, renderable: Any, options: Any = None) -> Any:
            if isinstance(renderable, Text):
                shown = _shown(renderable.plain)
                if shown != renderable.plain:
                    renderable = renderable.copy()
                    renderable.plain = shown
            return super().render(renderable, options)

    return ShownConsole


def _out() -> Any:
    """Data goes to stdout. Markup is off: names and paths are printed as written."""
    return _console_class()(highlight=False, soft_wrap=True, markup=False)


def _err() -> Any:
    """Messages go to stderr."""
    return _console_class()(stderr=True, highlight=False, soft_wrap=True, markup=False)


def _styled(label: str, style: str, text: str) -> Any:
    from rich.text import Text

    return Text.assemble((label, style), text)


def _say_warnings(warnings: list[str]) -> None:
    console = _err()
    for warning in warnings:
        console.print(_styled("提示：", "yellow", warning))


NO_DOSSIERS = "工作区中还没有档案，用 zcprep new 姓名 新建。"


def _no_dossiers(ws: Any, names: list[str] | None) -> bool:
    """check, bind, render and roster alike: an empty workspace is said, not an error
    (exit 0). Names that are not there stay a usage error (dossier_paths says which)."""
    if names or ws.dossier_paths():
        return False
    _err().print(NO_DOSSIERS)
    return True


# --- notices -------------------------------------------------------------------------


@app.command("notices")
def notices_command() -> None:
    """列出内置的通知预设（编号、地区、年份、专业、级别、截止日期）。"""
    from rich.table import Table

    from zcprep.cndate import format_date
    from zcprep.model.presets import all_presets

    table = Table(title="内置通知预设", show_lines=False)
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
    _out().print(table)
    _err().print("用 zcprep init 编号 文件夹 新建工作区，如：zcprep init nantong-2023 ./2023职称")


# --- init / new ----------------------------------------------------------------------


@app.command("init")
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
    from zcprep.model.workspace import init_workspace

    had_config = (directory / "zcprep.toml").is_file()
    root = init_workspace(preset, directory, force=force)
    console = _err()
    console.print(f"已新建工作区 {root}（通知：{preset}）。")
    if had_config:
        backups = sorted(root.glob("zcprep.toml.bak*"), key=lambda p: p.stat().st_mtime)
        console.print(
            f"原来的 zcprep.toml 已另存为 {backups[-1].name}，需要时可从中找回本单位信息。"
        )
    console.print(f"下一步：在 {root / 'zcprep.toml'} 的 [unit] 中填写本单位信息，再运行")
    console.print(f"  cd {root}")
    console.print("  zcprep new 姓名")


@app.command("new")
def new_command(
    name: Annotated[str, typer.Argument(metavar="姓名", help="申报人姓名（档案文件夹名）。")],
    workspace: WorkspaceOption = None,
) -> None:
    """为一位申报人新建档案：applicant.toml 和每项材料一个文件夹。"""
    from zcprep.model.workspace import new_dossier, open_workspace

    ws = open_workspace(workspace)
    _say_warnings(ws.loaded.warnings)
    folder = new_dossier(ws, name)
    console = _err()
    console.print(f"已新建档案 {ws.relative(folder)}：")
    console.print(
        f"  {ws.relative(folder / 'applicant.toml')}  —— 填写申报信息，没有内容的栏目写“无”"
    )
    for material in ws.notice.checklist:
        formats = "、".join(fmt.upper() for fmt in material.formats)
        console.print(f"  {material.folder}/  —— 放入“{material.name}”的扫描件（{formats}）")


# --- doctor --------------------------------------------------------------------------


@app.command("doctor")
def doctor_command(workspace: WorkspaceOption = None) -> None:
    """检查运行环境：版本、将嵌入的中文字体、节假日日历覆盖的年份、当前工作区。

    有标为 [有误] 的项目时退出码为 1。
    """
    from zcprep.doctor import gather

    marks = {"ok": ("[正常]", "green"), "warning": ("[注意]", "yellow"), "error": ("[有误]", "red")}
    console = _out()
    rows = gather(workspace)
    for row in rows:
        label, style = marks[row.status]
        console.print(_styled(label, style, f" {row.item}：{row.value}"))
        if row.hint:
            console.print(f"       → {row.hint}")
    if any(row.status == "error" for row in rows):
        _err().print("有标为 [有误] 的项目：按其后的提示处理后，再运行 zcprep doctor。")
        raise typer.Exit(EXIT_FOUND_ERRORS)


# --- check ---------------------------------------------------------------------------


@app.command("check")
def check_command(
    names: NamesArgument = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="把检查结果以 JSON 输出到标准输出，供其他程序读取。")
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """按通知逐份检查档案：材料是否齐全、文件能否打开、申报信息和资格条件，一次列出全部问题。

    有错误时退出码为 1，只有警告时为 0。
    """
    from zcprep.model.workspace import open_workspace

    ws = open_workspace(workspace)
    _say_warnings(ws.loaded.warnings)
    report = _run_check_with_progress(ws, names or None)
    if json_output:
        _echo_json(report.to_dict())
    else:
        _show_check_report(report, ws.notice)
    _err().print(_check_summary(report))
    if not report.ok:
        raise typer.Exit(EXIT_FOUND_ERRORS)


def _run_check_with_progress(ws: Any, names: list[str] | None) -> Any:
    """A progress bar on stderr, only for a large batch and only on a terminal."""
    from zcprep.check import PARALLEL_FROM, run_check

    console = _err()
    count = len(ws.dossier_paths(names))
    if count < PARALLEL_FROM or not console.is_terminal:
        return run_check(ws, names)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("检查档案"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("check", total=count)
        return run_check(ws, names, progress=lambda done, _total: bar.update(task, completed=done))


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


def _shared_findings(report: Any) -> list[Any]:
    """Findings about the notice itself (e.g. deadline-passed) that every dossier carries
    identically: shown once on screen instead of once per dossier. --json keeps them per
    dossier, as the report contract has no notice-level place."""
    if len(report.dossiers) < 2:
        return []
    first, *rest = report.dossiers
    return [
        finding
        for finding in first.findings
        if finding.file is None
        and finding.material is None
        and all(finding in dossier.findings for dossier in rest)
    ]


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
    out = _out()
    materials = {m.id: m for m in notice.materials}
    show_codes = out.width >= 110  # codes help look things up, but not at the cost of wrapping
    shared = _shared_findings(report)
    if shared:
        title = (
            f"以下 {len(shared)} 条适用于全部 {len(report.dossiers)} 份档案（各档案中不再重复列出）"
        )
        out.print(_findings_table(title, shared, "", materials, show_codes))
    for dossier in report.dossiers:
        head = f"{dossier.applicant}（{dossier.level or '级别未填'}，{dossier.path}）"
        own = [f for f in dossier.findings if f not in shared]
        if not own:
            note = "：没有发现问题" if not dossier.findings else "：除上面的通知提示外没有发现问题"
            out.print(_styled("✓ ", "green", f"{head}{note}"))
            continue
        errors = sum(1 for f in own if f.severity == "error")
        warnings = sum(1 for f in own if f.severity == "warning")
        title = f"{head}：{errors} 个错误，{warnings} 个警告"
        out.print(_findings_table(title, own, dossier.path, materials, show_codes))


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
    return (
        f"已检查 {count} 份档案：{failed} 份有错误，共 {report.error_count} 个错误、"
        f"{report.warning_count} 个警告；改正错误后再运行 zcprep check。"
    )


# --- bind ----------------------------------------------------------------------------


@app.command("bind")
def bind_command(
    names: NamesArgument = None,
    force: Annotated[
        bool, typer.Option("--force", help="检查有错误时仍然装订（报送前务必改正错误）。")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只列出目录和页码范围，不写文件。")
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """把每位申报人需装订的材料按目录顺序装订成一册：目录在前，逐页编页码，带书签。

    输出 out/姓名/姓名-申报材料.pdf 和同名 .json（各项材料的页码范围）。
    检查有错误的档案不装订并列出错误，除非加 --force；加 --force 时无法读取的文件不装订，逐个列出。
    退出码：全部装订为 0，有档案被拒或有文件未装订为 1，文件无法读取为 3。
    """
    from zcprep.bind import bind_dossiers
    from zcprep.model.workspace import open_workspace
    from zcprep.units import size_text

    ws = open_workspace(workspace)
    _say_warnings(ws.loaded.warnings)
    if _no_dossiers(ws, names):
        return
    result = bind_dossiers(ws, names or None, force=force, dry_run=dry_run)
    _say_warnings(result.warnings)
    console = _err()
    for volume in result.volumes:
        _show_toc(volume, dry_run)
        _say_warnings(volume.warnings)
        if volume.pdf is not None:
            console.print(
                _styled(
                    "已装订 ",
                    "green",
                    f"{volume.applicant}：{ws.relative(volume.pdf)}"
                    f"（目录 {volume.toc_pages} 页 + 材料 {volume.bound_pages} 页，"
                    f"{size_text(volume.output_bytes)}）；"
                    f"各项页码范围见 {ws.relative(volume.sidecar or volume.pdf)}",
                )
            )
        if volume.skipped:
            console.print(
                _styled(
                    "未装订的文件 ",
                    "bold red",
                    f"{volume.applicant}：{len(volume.skipped)} 个文件无法读取，申报册中没有它们"
                    "（改正后重新装订）：",
                )
            )
            for line in volume.skipped:
                console.print(f"  · {line}")
    for refusal in result.refused:
        console.print(
            _styled(
                "未装订 ", "bold red", f"{refusal.dossier}：检查发现 {len(refusal.errors)} 个错误："
            )
        )
        for finding in refusal.errors:
            where = f"（{finding.file}）" if finding.file else ""
            console.print(f"  · {finding.message}{where}")
    if result.refused:
        console.print(
            _styled(
                "怎么办：",
                "cyan",
                "按 zcprep check 的提示改正后再运行 zcprep bind；"
                "只想先看装订效果可加 --force（不要报送这样装订的材料）。",
            )
        )
    for failure in result.failed:
        _report_error(f"{failure.dossier}：{failure.error.message}", failure.error.hint)
    if result.exit_code != EXIT_OK:
        raise typer.Exit(result.exit_code)


def _show_toc(volume: Any, dry_run: bool) -> None:
    """The 目录 as a table on stdout: what the officer checks before printing."""
    from rich.table import Table

    numbered = "目录计入页码" if volume.toc_numbered else "目录不编页码"
    title = f"{volume.applicant}（{_flat_brackets(volume.level)}）目录：{volume.toc_pages} 页，{numbered}"
    if dry_run:
        title += "（预览，未写文件）"
    table = Table(title=title, title_justify="left")
    table.add_column("序号", justify="right", no_wrap=True)
    table.add_column("材料名称", overflow="fold")
    table.add_column("页码", no_wrap=True)
    table.add_column("文件", justify="right", no_wrap=True)
    for item in volume.items:
        table.add_row(str(item.number), item.name, item.pages, str(len(item.files)))
    _out().print(table)


def _flat_brackets(text: str) -> str:
    """中级（工程师） → 中级·工程师, so that it can sit inside another pair of brackets."""
    head, opening, rest = text.partition("（")
    if opening and rest.endswith("）") and "（" not in rest:
        return f"{head}·{rest[:-1]}"
    return text


# --- render --------------------------------------------------------------------------


@app.command("render")
def render_command(
    names: NamesArgument = None,
    form: Annotated[
        str | None,
        typer.Option(
            "--form",
            "-f",
            metavar="表单",
            help="只生成一种表单：编号、名称或别名（如 publicity-result、公示结果证明、保证书）。",
            show_default=False,
        ),
    ] = None,
    date_style: Annotated[
        str | None,
        typer.Option(
            "--date-style",
            metavar="写法",
            help="日期写法：arabic（2023年5月8日）或 chinese（二〇二三年五月八日）；"
            "默认取 zcprep.toml [render] date_style。",
            show_default=False,
        ),
    ] = None,
    docx: Annotated[
        bool,
        typer.Option(
            "--docx",
            help="同时生成可在 WPS/Word 中修改的 .docx（需要 pip install python-docx）。",
        ),
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """填写需签字盖章的表单（公示结果证明、真实性承诺书、“六公开”监督卡等）：out/姓名/forms/表名.pdf。

    没有数据的栏目印成横线供手填，并列出是哪些栏目；模板写法见 templates/README.md。
    """
    from zcprep.model.workspace import open_workspace
    from zcprep.render import render_forms

    ws = open_workspace(workspace)
    _say_warnings(ws.loaded.warnings)
    if _no_dossiers(ws, names):
        return
    result = render_forms(ws, names or None, form, date_style, docx=docx)
    _say_warnings(result.warnings)
    console = _out()
    for item in result.outputs:
        console.print(ws.relative(item.path))
        if item.docx_path is not None:
            console.print(ws.relative(item.docx_path))
    err = _err()
    for line in result.skipped:
        err.print(_styled("错误：", "bold red", line))
    _show_render_failures(result.failed)
    if result.outputs:
        people = len({item.path.parent.parent for item in result.outputs})
        err.print(
            f"已为 {people} 位申报人生成 {len(result.outputs)} 份表单（字体：{result.font_source}），"
            "请核对后打印、签字、盖章。"
        )
    if result.exit_code != EXIT_OK:
        raise typer.Exit(result.exit_code)


def _show_render_failures(failed: list[Any]) -> None:
    """Each form that was not made; one failure shared by many applicants (a broken
    template, a full disk) is said once, with whom it concerned."""
    grouped: dict[tuple[str, str | None], list[str]] = {}
    for failure in failed:
        key = (failure.error.message, failure.error.hint)
        grouped.setdefault(key, []).append(f"{failure.dossier}《{failure.form.title}》")
    for (message, hint), forms in grouped.items():
        _report_error(f"未生成 {'、'.join(forms)}：{message}", hint)


# --- roster --------------------------------------------------------------------------


@app.command("roster")
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
    """生成情况一览表（out/ 下的 .xlsx，每个级别一份或一个工作表）和评审费用汇总。"""
    from rich.table import Table

    from zcprep.model.workspace import open_workspace
    from zcprep.roster import FEE_HEADERS, fee_rows, make_roster

    ws = open_workspace(workspace)
    _say_warnings(ws.loaded.warnings)
    if _no_dossiers(ws, None):
        return
    result = make_roster(ws, level)
    _say_warnings(result.warnings)
    table = Table(title="评审费用汇总")
    for index, header in enumerate(FEE_HEADERS):
        table.add_column(header, justify="left" if index < 2 else "right")
    for row in fee_rows(result.fees):  # the same rows as the workbook's 费用汇总 sheet
        table.add_row(*(cell.display for cell in row))
    console = _out()
    console.print(table)
    for path in result.outputs:
        console.print(f"已生成：{ws.relative(path)}")


# --- add -----------------------------------------------------------------------------


@app.command("add")
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
    _say_warnings(ws.loaded.warnings)
    result = add_archive(ws, name, archive, force=force)
    _show_intake(ws, archive, result)
    report = run_check(ws, [result.dossier.name])
    dossier = result.dossier.name
    if report.error_count or report.warning_count:
        _out().print(
            f"检查 {ws.relative(result.dossier)}：{report.error_count} 个错误，"
            f"{report.warning_count} 个警告；详情请运行 zcprep check {dossier}"
        )
    else:
        _out().print(f"检查 {ws.relative(result.dossier)}：没有发现问题。")
    if report.error_count or result.refused:
        raise typer.Exit(EXIT_FOUND_ERRORS)


_ADD_LIST_LIMIT = 20


def _show_intake(ws: Any, archive: Path, result: Any) -> None:
    """Summary on stdout; what was not unpacked, and why, on stderr."""
    where = ws.relative(result.dossier)
    out = _out()
    if result.created:
        out.print(f"已新建档案 {where}（含 applicant.toml，请填写申报信息）。")
    counts = [f"写入 {len(result.written)} 个文件"]
    if result.folders:
        counts.append(f"新建 {len(result.folders)} 个文件夹")
    if result.skipped:
        counts.append(f"跳过 {len(result.skipped)} 个已有文件")
    if result.refused:
        counts.append(f"{len(result.refused)} 项未解压")
    if result.junk:
        counts.append(f"忽略 {result.junk} 个系统文件（__MACOSX、.DS_Store 等）")
    out.print(f"已把 {archive.name} 解压到 {where}/：{'，'.join(counts)}。")
    for top in result.stripped:
        out.print(f"  去掉了外层文件夹 {top}/")
    for source, folder in result.mapped:
        out.print(f"  {source}/ → {folder}/")
    warnings = [
        f"文件名“{shown}”在 Windows 上不能原样保存（含不允许的字符或过长），已存为 {saved}"
        for shown, saved in result.renamed
    ]
    warnings += [
        f"文件名“{shown}”的编码无法识别，无法识别的字符已换成 �；请核对后改名"
        for shown in result.undecodable
    ]
    _say_warnings(_capped(warnings))
    console = _err()
    if result.skipped:
        console.print(
            _styled(
                "未覆盖：",
                "yellow",
                f"档案中已有以下 {len(result.skipped)} 个文件，保持原样"
                "（要用压缩包中的文件覆盖，请加 --force 重新运行）：",
            )
        )
        for line in _capped(result.skipped):
            console.print(f"  {line}")
    if result.refused:
        console.print(_styled("未解压：", "bold red", f"以下 {len(result.refused)} 项没有解压："))
        for line in _capped([f"{r.entry} —— {r.reason}" for r in result.refused]):
            console.print(f"  {line}")


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= _ADD_LIST_LIMIT:
        return lines
    return [*lines[:_ADD_LIST_LIMIT], f"……另有 {len(lines) - _ADD_LIST_LIMIT} 项"]


# --- demo ----------------------------------------------------------------------------

# Each step runs a real zcprep command on the demo workspace; a new verb adds its line.
DEMO_STEPS: list[tuple[str, list[str], str]] = [
    ("列出内置通知", ["notices"], ""),
    ("检查全部档案", ["check"], ""),
    ("装订申报册", ["bind"], "out/张三/张三-申报材料.pdf"),
    ("填写表单", ["render"], "out/张三/forms"),
    ("生成情况一览表", ["roster"], "out"),
]


@app.command("demo")
def demo_command(
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="文件夹",
            help="演示工作区放在哪里（默认 ./zcprep-demo）。",
            show_default=False,
        ),
    ] = Path("zcprep-demo"),
    force: Annotated[bool, typer.Option("--force", help="文件夹非空时仍覆盖演示文件。")] = False,
) -> None:
    """复制示例工作区（南通 2023，两位申报人）并依次运行各命令，说明每个输出在哪里。"""
    from zcprep.model.demo import copy_example

    root = copy_example(directory, force=force)
    console = _err()
    console.print(f"示例工作区已复制到 {root}：一位材料齐全的申报人，一位带有常见错误的申报人。")
    for number, (title, args, output) in enumerate(DEMO_STEPS, start=1):
        needs_workspace = args[0] not in ("notices",)
        full = [*args, "--workspace", str(root)] if needs_workspace else args
        console.rule(f"第 {number} 步：{title}（zcprep {' '.join(args)}）")
        code = main(full)
        if output:
            console.print(f"输出：{root / output}")
        if code not in (EXIT_OK, EXIT_FOUND_ERRORS):
            raise typer.Exit(code)
    console.rule("演示结束")
    console.print(f"可以进入 {root} 查看 dossiers/ 中的材料与 out/ 中的输出，再自己试一试。")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; the one place that turns exceptions into messages and exit codes.

    Usage errors (unknown option, missing argument) are shown by typer itself and exit 2;
    commands signal "found errors" with ``typer.Exit(1)``.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    _prepare_streams()
    debug = "--debug" in args
    saved = _View.show_private
    # --show-private is read here so that it works after any command too.
    _View.show_private = saved or _PRIVATE_OPTION in args
    args = [arg for arg in args if arg != _PRIVATE_OPTION]
    saved_hook = sys.unraisablehook
    if not debug:
        sys.unraisablehook = _quiet_unraisable
    code = EXIT_IO
    try:
        code = _run_help(args, debug) if _wants_help(args) else _run(args, debug)
        return code
    finally:
        _View.show_private = saved
        if code not in (EXIT_OK, EXIT_FOUND_ERRORS):
            gc.collect()  # a writer that failed half way may leave objects to clean up
        sys.unraisablehook = saved_hook


_PRIVATE_OPTION = "--show-private"
_HELP_OPTIONS = ("-h", "--help")


def _prepare_streams() -> None:
    """Make output survive any console encoding.

    On Chinese Windows ``zcprep check > 结果.txt`` gives a GBK stdout, which cannot hold
    "✓" (UnicodeEncodeError) and would write --json in GBK: output that is not a
    terminal is written as UTF-8. A terminal keeps its own encoding, but a character it
    cannot show becomes "?" instead of a crash.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            if stream.isatty():
                reconfigure(errors="replace")
            else:
                stream.flush()
                reconfigure(encoding="utf-8", errors="replace")
        except (OSError, ValueError, LookupError):  # a closed or exotic stream: leave it
            continue


def _is_utf8(stream: Any) -> bool:
    import codecs

    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "utf-8"
    except LookupError:
        return False


def _wants_help(args: list[str]) -> bool:
    """Help is shown for -h/--help anywhere before "--", and for a bare ``zcprep``."""
    before = args[: args.index("--")] if "--" in args else args
    return not before or any(arg in _HELP_OPTIONS for arg in before)


def _run_help(args: list[str], debug: bool) -> int:
    """typer writes its help in English labels; catch it and say them in Chinese."""
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = _run(args, debug)
    sys.stdout.write(translate_help(buffer.getvalue()))
    sys.stdout.flush()
    return code


# Labels typer and click print in help, by line; version-agnostic (plain text).
_HELP_LABELS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.MULTILINE), chinese)
    for pattern, chinese in (
        (r"^Usage: ", "用法："),
        (r"^(\s*)Options:$", "\\1选项："),
        (r"^(\s*)Commands:$", "\\1命令："),
        (r"^(\s*)Arguments:$", "\\1参数："),
        (r"Show this message and exit\.", "显示本帮助并退出。"),
        (r"\[required\]", "[必填]"),
        (r"\[default: ([^\]]*)\]", "[默认：\\1]"),
        (r"\[OPTIONS\]", "[选项]"),
        (r"\bCOMMAND \[ARGS\]\.\.\.", "命令 [参数]..."),
    )
)
# typer's type labels after a metavar (姓名 <str>, <list[str]>, <path>): the Chinese
# metavar says enough. Blanked to spaces of the same width so that columns stay aligned.
_TYPE_LABEL = re.compile(r"(?<=\S) <[a-z][a-z0-9_\[\]|, .]*>")


def translate_help(text: str) -> str:
    text = _TYPE_LABEL.sub("", text)
    for pattern, chinese in _HELP_LABELS:
        text = pattern.sub(chinese, text)
    return _realign(text)


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


_SECTION = re.compile(r"^(选项|参数|命令)：$")
_ENTRY = re.compile(r"^  (\S(?:\S| (?! ))*)(?:  +(.*))?$")


def _realign(text: str) -> str:
    """Re-pad the two columns of each section by display width: click counts a Chinese
    metavar (姓名, 文件夹) as one column per character, but a terminal shows two."""
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        out.append(lines[index])
        if not _SECTION.match(lines[index]):
            index += 1
            continue
        index += 1
        block: list[tuple[str | None, str]] = []  # (term, help); None term: continuation
        while index < len(lines) and lines[index].startswith("  "):
            entry = _ENTRY.match(lines[index])
            if entry:
                block.append((entry.group(1), entry.group(2) or ""))
            else:
                block.append((None, lines[index].strip()))
            index += 1
        column = max((_display_width(term) for term, _ in block if term), default=0) + 2
        for term, help_text in block:
            if term is None:
                out.append(" " * (2 + column) + help_text)
            elif help_text:
                out.append(f"  {term}{' ' * (column - _display_width(term))}{help_text}")
            else:
                out.append(f"  {term}")
    return "\n".join(out)


def _quiet_unraisable(unraisable: Any) -> None:
    """An output library that failed half way (openpyxl's zip writer) complains from
    ``__del__`` that its file is closed; the failure itself has already been reported."""


def _run(args: list[str], debug: bool) -> int:
    command = typer.main.get_command(app)
    try:
        result = command.main(args=args, prog_name="zcprep", standalone_mode=False)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else 1)
    except ZcprepError as exc:
        _show_traceback(debug)
        _report_error(exc.message, exc.hint)
        return exc.exit_code
    except KeyboardInterrupt:
        return _interrupted()
    except OSError as exc:
        _show_traceback(debug)
        where = f"{exc.filename}：" if exc.filename else ""
        _report_error(
            f"{where}读写失败（{exc.strerror or exc}）。",
            "检查文件是否存在、是否被其他程序占用、磁盘空间是否足够。",
        )
        return EXIT_IO
    except Exception as exc:  # noqa: BLE001 - the last resort: never a bare traceback
        if _is_click_exception(exc, "NoArgsIsHelpError"):
            typer.echo(str(getattr(exc, "format_message", exc.__str__)()))
            return EXIT_OK
        if _is_click_exception(exc, "ClickException"):
            message = str(getattr(exc, "format_message", exc.__str__)())
            _report_error(_translate_usage(message), "运行 zcprep -h 或 zcprep 命令 -h 查看用法。")
            return int(getattr(exc, "exit_code", 2))
        if _is_click_exception(exc, "Abort"):
            _err().print("已取消。")
            return EXIT_INTERRUPTED
        _show_traceback(debug)
        bug = InternalError(f"{type(exc).__name__}。")
        _report_error(bug.message, bug.hint)
        return bug.exit_code
    if result == EXIT_INTERRUPTED:  # typer turns Ctrl-C into a silent exit 130
        return _interrupted()
    return result if isinstance(result, int) else EXIT_OK


EXIT_INTERRUPTED = 130


def _interrupted() -> int:
    _err().print("已中断；已写出的文件保持原样，未完成的输出没有留下。")
    return EXIT_INTERRUPTED


def _is_click_exception(exc: BaseException, name: str) -> bool:
    """typer vendors click in recent versions; match its exceptions by class name."""
    return any(cls.__name__ == name for cls in type(exc).__mro__)


# click's usage errors (typer vendors click; matched on the text, so any version works).
_USAGE_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), chinese)
    for pattern, chinese in (
        (r"No such command '(.+?)'\.", "没有这个命令：\\1。"),
        (r"No such option: (\S+)", "没有这个选项：\\1"),
        (r" ?\(Possible options: (.+?)\)", "（可用的选项：\\1）"),
        (r"\.? ?Did you mean (.+?)\?", "你是不是想用 \\1？"),
        (r"Missing argument '(.+?)'\.?", "缺少参数：\\1。"),
        (r"Missing option '(.+?)'\.?", "缺少选项：\\1。"),
        (r"Missing parameter: (\S+)", "缺少参数：\\1"),
        (r"Missing command\.", "缺少命令。"),
        (r"Invalid value for '(.+?)': ", "“\\1”的值无效："),
        (r"Invalid value: ", "值无效："),
        (r"Got unexpected extra argument(?:\(s\)|s)? \((.+?)\)", "多余的参数：\\1"),
        (r"Option '(.+?)' requires an argument\.", "选项 \\1 后面要写一个值。"),
        (r"Option '(.+?)' requires (\d+) arguments\.", "选项 \\1 后面要写 \\2 个值。"),
        (r"Option '(.+?)' does not take a value\.", "选项 \\1 后面不能写值。"),
        (r"Argument '(.+?)' takes (\d+) values\.", "参数 \\1 要写 \\2 个值。"),
        (r"is not a valid", "不是有效的"),
        (r"does not exist", "不存在"),
    )
)


def _translate_usage(message: str) -> str:
    for pattern, chinese in _USAGE_PHRASES:
        message = pattern.sub(chinese, message)
    return message


def _show_traceback(debug: bool) -> None:
    """Only with --debug; plain traceback, never local variables (applicant data)."""
    if debug:
        import traceback

        _err().print(traceback.format_exc().rstrip())


def _report_error(message: str, hint: str | None) -> None:
    console = _err()
    console.print(_styled("错误：", "bold red", message))
    if hint:
        console.print(_styled("怎么办：", "cyan", hint))


def _echo_json(data: Any) -> None:
    """JSON for the officer's own records keeps private numbers; undecodable file-name
    bytes are made printable (a lone surrogate cannot be written as UTF-8)."""
    import json

    from zcprep.privacy import printable

    text = printable(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if _is_utf8(stream) or buffer is None:
        stream.write(text)
        stream.flush()
        return
    stream.flush()  # a terminal in another encoding: still UTF-8, as --json promises
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
