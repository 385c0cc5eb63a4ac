"""The one place that turns what a command raises into a message and an exit code.

Core packages raise :class:`zcprep.errors.ZcprepError` (each carries its exit code and a
remedy); typer/click raise their own usage errors; anything else is a bug. Whatever it
is, the officer reads one or two Chinese lines and never a traceback (``--debug`` shows
one, without local variables: applicant data must not reach the screen).
"""

from __future__ import annotations

from typing import Any

import typer

from zcprep.cli.console import err, report_error
from zcprep.cli.signals import report_interruption
from zcprep.cli.zh import translate_usage
from zcprep.errors import EXIT_IO, EXIT_OK, InternalError, ZcprepError

EXIT_INTERRUPTED = 130


def invoke(command: Any, args: list[str], debug: bool) -> int:
    """Run the click ``command`` on ``args`` and return the exit code."""
    try:
        result = command.main(args=args, prog_name="zcprep", standalone_mode=False)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else 1)
    except ZcprepError as exc:
        _show_traceback(debug)
        report_error(exc.message, exc.hint)
        return exc.exit_code
    except KeyboardInterrupt:
        return _interrupted()
    except OSError as exc:
        _show_traceback(debug)
        from zcprep.oserrors import os_problem

        where = f"{exc.filename}：" if exc.filename else ""
        problem = os_problem(exc, exc.filename)
        report_error(f"{where}{problem.reason}。", problem.remedy)  # the generic one says 读写失败
        return EXIT_IO
    except Exception as exc:  # noqa: BLE001 - the last resort: never a bare traceback
        return _other_failure(exc, debug)
    if result == EXIT_INTERRUPTED:  # typer turns Ctrl-C into a silent exit 130
        return _interrupted()
    return result if isinstance(result, int) else EXIT_OK


def _other_failure(exc: Exception, debug: bool) -> int:
    """click's own exceptions (help without arguments, usage errors, abort), else a bug."""
    if _is_click_exception(exc, "NoArgsIsHelpError"):
        typer.echo(str(getattr(exc, "format_message", exc.__str__)()))
        return EXIT_OK
    if _is_click_exception(exc, "ClickException"):
        message = str(getattr(exc, "format_message", exc.__str__)())
        report_error(translate_usage(message), "运行 zcprep -h 或 zcprep 命令 -h 查看用法。")
        return int(getattr(exc, "exit_code", 2))
    if _is_click_exception(exc, "Abort"):
        err().print("已取消。")
        return EXIT_INTERRUPTED
    _show_traceback(debug)
    bug = InternalError(f"{type(exc).__name__}。")
    report_error(bug.message, bug.hint)
    return bug.exit_code


def _interrupted() -> int:
    """Ctrl-C, or a signal that ends the run like it (zcprep.cli.signals): 130, or 128 + the
    signal's number."""
    return report_interruption()


def _is_click_exception(exc: BaseException, name: str) -> bool:
    """typer vendors click in recent versions; match its exceptions by class name."""
    return any(cls.__name__ == name for cls in type(exc).__mro__)


def _show_traceback(debug: bool) -> None:
    """Only with --debug; plain traceback, never local variables (applicant data)."""
    if debug:
        import traceback

        err().print(traceback.format_exc().rstrip())


def quiet_unraisable(unraisable: Any) -> None:
    """An output library that failed half way (openpyxl's zip writer) complains from
    ``__del__`` that its file is closed; the failure itself has already been reported."""
