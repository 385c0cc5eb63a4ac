"""zcprep —— 职称评审申报材料整理工具：检查、装订、填表、汇总。

The thin command line: parse, call one core function, show its result. Core modules
never print or exit; ``main`` is the one place that turns errors into exit codes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from zcprep import __version__
from zcprep.errors import EXIT_FOUND_ERRORS, EXIT_IO, EXIT_OK, ZcprepError

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

WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
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
) -> None:
    """职称评审申报材料整理工具。"""


def _out() -> Any:
    """Data goes to stdout. Markup is off: names and paths are printed as written."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True, markup=False)


def _err() -> Any:
    """Messages go to stderr."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def _styled(label: str, style: str, text: str) -> Any:
    from rich.text import Text

    return Text.assemble((label, style), text)


def _say_warnings(warnings: list[str]) -> None:
    console = _err()
    for warning in warnings:
        console.print(_styled("提示：", "yellow", warning))


# --- notices -------------------------------------------------------------------------


@app.command("notices")
def notices_command() -> None:
    """列出内置的通知预设（编号、地区、年份、专业、级别、截止日期）。"""
    from rich.table import Table

    from zcprep.cndate import format_date
    from zcprep.presets import all_presets

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
    preset: Annotated[str, typer.Argument(help="通知预设编号，见 zcprep notices。")],
    directory: Annotated[Path, typer.Argument(help="要新建的工作区文件夹。")],
    force: Annotated[
        bool,
        typer.Option("--force", help="文件夹非空时仍写入 zcprep.toml（不动 dossiers 中的材料）。"),
    ] = False,
) -> None:
    """按通知预设新建工作区：zcprep.toml、dossiers/、out/。"""
    from zcprep.workspace import init_workspace

    root = init_workspace(preset, directory, force=force)
    console = _err()
    console.print(f"已新建工作区 {root}（通知：{preset}）。")
    console.print(f"下一步：在 {root / 'zcprep.toml'} 的 [unit] 中填写本单位信息，再运行")
    console.print(f"  cd {root}")
    console.print("  zcprep new 姓名")


@app.command("new")
def new_command(
    name: Annotated[str, typer.Argument(help="申报人姓名（档案文件夹名）。")],
    workspace: WorkspaceOption = None,
) -> None:
    """为一位申报人新建档案：applicant.toml 和每项材料一个文件夹。"""
    from zcprep.workspace import new_dossier, open_workspace

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
    """检查运行环境：版本、将嵌入的中文字体、节假日日历覆盖的年份、当前工作区。"""
    from zcprep.doctor import gather

    marks = {"ok": ("[正常]", "green"), "warning": ("[注意]", "yellow"), "error": ("[有误]", "red")}
    console = _out()
    for row in gather(workspace):
        label, style = marks[row.status]
        console.print(_styled(label, style, f" {row.item}：{row.value}"))
        if row.hint:
            console.print(f"       → {row.hint}")


# --- check ---------------------------------------------------------------------------

# --- bind ----------------------------------------------------------------------------

# --- render --------------------------------------------------------------------------

# --- roster --------------------------------------------------------------------------

# --- demo ----------------------------------------------------------------------------

# Each step runs a real zcprep command on the demo workspace; a new verb adds its line.
DEMO_STEPS: list[tuple[str, list[str], str]] = [
    ("列出内置通知", ["notices"], ""),
    # demo steps of later verbs go here
]


@app.command("demo")
def demo_command(
    directory: Annotated[
        Path, typer.Argument(help="演示工作区放在哪里（默认 ./zcprep-demo）。")
    ] = Path("zcprep-demo"),
    force: Annotated[bool, typer.Option("--force", help="文件夹非空时仍覆盖演示文件。")] = False,
) -> None:
    """复制示例工作区（南通 2023，两位申报人）并依次运行各命令，说明每个输出在哪里。"""
    from zcprep.demo import copy_example

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
    debug = "--debug" in args
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
        _err().print("已中断；已写出的文件保持原样，未完成的输出没有留下。")
        return 130
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
            return 130
        _show_traceback(debug)
        _report_error(
            f"zcprep 内部错误：{type(exc).__name__}。",
            "请加 --debug 重新运行，并把输出（注意遮盖个人信息）反馈给开发者。",
        )
        return EXIT_IO
    return result if isinstance(result, int) else EXIT_OK


def _is_click_exception(exc: BaseException, name: str) -> bool:
    """typer vendors click in recent versions; match its exceptions by class name."""
    return any(cls.__name__ == name for cls in type(exc).__mro__)


_USAGE_PHRASES = (
    ("No such command", "没有这个命令"),
    ("No such option", "没有这个选项"),
    ("Missing argument", "缺少参数"),
    ("Missing option", "缺少选项"),
    ("Missing parameter", "缺少参数"),
    ("Invalid value for", "参数值无效"),
    ("Got unexpected extra arguments", "多余的参数"),
    ("Got unexpected extra argument", "多余的参数"),
    ("requires an argument", "需要一个值"),
    ("Did you mean", "你是不是想用"),
    ("is not a valid", "不是有效的"),
    ("does not exist", "不存在"),
)


def _translate_usage(message: str) -> str:
    for english, chinese in _USAGE_PHRASES:
        message = message.replace(english, chinese)
    return message


def _show_traceback(debug: bool) -> None:
    """Only with --debug; plain traceback, never local variables (applicant data)."""
    if debug:
        import traceback

        traceback.print_exc()


def _report_error(message: str, hint: str | None) -> None:
    console = _err()
    console.print(_styled("错误：", "bold red", message))
    if hint:
        console.print(_styled("怎么办：", "cyan", hint))


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
