"""One error hierarchy: every failure zcprep reports carries its exit code and a remedy.

Exit codes (DESIGN.md): 0 done, nothing wrong; 1 the work ran and found errors;
2 bad usage or a bad config; 3 an input or output could not be read or written, or a
zcprep bug (``InternalError``).
Core modules raise these; only ``cli.main`` turns them into a message and an exit code.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FOUND_ERRORS = 1
EXIT_USAGE = 2
EXIT_IO = 3


class ZcprepError(Exception):
    """Base class. ``message`` says what is wrong and where; ``hint`` what to do."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(ZcprepError):
    """The command was asked for something it cannot do (unknown preset, bad name…)."""

    exit_code = EXIT_USAGE


class ConfigError(ZcprepError):
    """zcprep.toml or applicant.toml is malformed or holds a bad value."""

    exit_code = EXIT_USAGE


class WorkspaceNotFound(UsageError):
    """No zcprep.toml above the current folder and no --workspace."""


class InputError(ZcprepError):
    """An input file could not be read."""

    exit_code = EXIT_IO


class OutputError(ZcprepError):
    """An output could not be written."""

    exit_code = EXIT_IO


class FoundErrors(ZcprepError):
    """The work ran and found errors that the user must fix (exit 1)."""

    exit_code = EXIT_FOUND_ERRORS


class InternalError(ZcprepError):
    """A zcprep bug: a state the code should never reach (not the user's doing)."""

    exit_code = EXIT_IO

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(
            f"zcprep 内部错误：{message}",
            hint
            or "这是 zcprep 的问题，不是您的操作有误：请加 --debug 重新运行，"
            "并把输出（注意遮盖个人信息）反馈给开发者。",
        )
