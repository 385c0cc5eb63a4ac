"""The ``zcprep`` command: the typer app, its root options, and ``main``.

Each command lives in the module of its family (workspace, check, bind, render, roster,
add) as a plain function; this module registers them, so that the list of commands and
their order in ``zcprep --help`` is read in one place.
"""

from __future__ import annotations

import contextlib
import gc
import io
import sys
from typing import Annotated, Any

import typer

from zcprep import __version__
from zcprep.cli import add, bind, check, importing, letter, render, roster, workspace
from zcprep.cli.console import View, prepare_streams
from zcprep.cli.invoke import invoke, quiet_unraisable
from zcprep.cli.noise import library_noise_hidden
from zcprep.cli.signals import (
    ending_like_ctrl_c,
    interrupted_exit_code,
    report_interruption,
    signal_received,
)
from zcprep.cli.zh import translate_help
from zcprep.errors import EXIT_FOUND_ERRORS, EXIT_IO, EXIT_OK

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

PRIVATE_OPTION = "--show-private"
HELP_OPTIONS = ("-h", "--help")


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
            PRIVATE_OPTION,
            help="在屏幕上显示完整的身份证号和手机号（默认遮盖为 1101**********002X、"
            "138****0000）；可写在任何命令之后。--json 的输出总是完整的。",
        ),
    ] = False,
) -> None:
    """职称评审申报材料整理工具。"""


# The commands in the order ``zcprep --help`` lists them.
COMMANDS = (
    ("notices", workspace.notices_command),
    ("init", workspace.init_command),
    ("new", workspace.new_command),
    ("doctor", workspace.doctor_command),
    ("check", check.check_command),
    ("bind", bind.bind_command),
    ("render", render.render_command),
    ("roster", roster.roster_command),
    ("add", add.add_command),
    ("import", importing.import_command),
    ("letter", letter.letter_command),
    ("demo", workspace.demo_command),
)
for _name, _command in COMMANDS:
    app.command(_name)(_command)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (see zcprep.cli.invoke for how errors end).

    Usage errors (unknown option, missing argument) are shown by typer itself and exit 2;
    commands signal "found errors" with ``typer.Exit(1)``.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    prepare_streams()
    debug = "--debug" in args
    saved = View.show_private
    # --show-private is read here so that it works after any command too.
    View.show_private = saved or PRIVATE_OPTION in args
    args = [arg for arg in args if arg != PRIVATE_OPTION]
    saved_hook = sys.unraisablehook
    if not debug:
        sys.unraisablehook = quiet_unraisable
    code = EXIT_IO
    try:
        with library_noise_hidden(debug):
            code = _run(args, debug)
        return code
    finally:
        View.show_private = saved
        View.private = None
        if code not in (EXIT_OK, EXIT_FOUND_ERRORS):
            gc.collect()  # a writer that failed half way may leave objects to clean up
        sys.unraisablehook = saved_hook


def _run(args: list[str], debug: bool) -> int:
    """The command, with closing the terminal or ``kill`` ending it as Ctrl-C does (the
    temporary files are removed; see zcprep.cli.signals)."""
    try:
        with ending_like_ctrl_c():
            command = typer.main.get_command(app)
            code = (
                _help(command, args, debug) if _wants_help(args) else invoke(command, args, debug)
            )
    except KeyboardInterrupt:  # a signal outside the command itself
        return report_interruption()
    if signal_received():  # a library swallowed it, and the command ran on
        return interrupted_exit_code()
    return code


def _wants_help(args: list[str]) -> bool:
    """Help is shown for -h/--help anywhere before "--", and for a bare ``zcprep``."""
    before = args[: args.index("--")] if "--" in args else args
    return not before or any(arg in HELP_OPTIONS for arg in before)


def _help(command: Any, args: list[str], debug: bool) -> int:
    """typer writes its help in English labels; catch it and say them in Chinese."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = invoke(command, args, debug)
    sys.stdout.write(translate_help(buffer.getvalue()))
    sys.stdout.flush()
    return code


def run() -> None:
    """Console-script entry point."""
    _fewer_collections()
    sys.exit(main())


def _fewer_collections() -> None:
    """One run of a command makes hundreds of thousands of objects that live to its end
    (the imported libraries, the pages of a volume) and few cycles: Python's default
    collector walks them all again and again (a tenth of a bind's time). Keep what is
    imported out of the walk and collect the young generation less often; cycles are
    still collected. Only for the console script: a program that calls main() keeps its
    own settings."""
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)
