"""zcprep's own Chinese words for an operating-system error, by its kind.

``exc.strerror`` is never shown: it is English on Linux and macOS ("Permission denied")
and Windows' own sentence on a Chinese Windows ("另一个程序正在使用此文件，进程无法访问。"),
which ends in "。" and reads "。。" once zcprep adds its own. Each kind says what is
wrong and what to do; the caller says where (the path as the user typed it).

Windows sets ``winerror`` (the native code) beside an approximate ``errno``: a sharing
violation is errno 13 like a missing permission, so ``winerror`` is asked first.
"""

from __future__ import annotations

import errno
import os
import sys
from dataclasses import dataclass
from pathlib import Path

# The longest path Windows opens without long-path support: MAX_PATH (260) less the NUL.
WINDOWS_MAX_PATH = 260
SHORT_WORKSPACE_HINT = r"把工作区移到路径较短的位置（如 D:\职称），或把文件夹名、文件名改短后重试。"

# Windows' native error codes (winerror.h) zcprep words itself.
_WIN_FILE_NOT_FOUND = 2
_WIN_PATH_NOT_FOUND = 3
_WIN_ACCESS_DENIED = 5
_WIN_WRITE_PROTECT = 19
_WIN_NOT_READY = 21
_WIN_SHARING_VIOLATION = 32
_WIN_LOCK_VIOLATION = 33
_WIN_HANDLE_DISK_FULL = 39
_WIN_BAD_NETPATH = 53
_WIN_NETNAME_DELETED = 64
_WIN_BAD_NET_NAME = 67
_WIN_DISK_FULL = 112
_WIN_FILENAME_EXCED_RANGE = 206
_WIN_DIRECTORY = 267  # "the directory name is invalid": a file where a folder should be


@dataclass(frozen=True)
class OsProblem:
    """What went wrong (``reason``, no full stop) and what to do (``remedy``, a sentence)."""

    kind: str
    reason: str
    remedy: str


_NOT_FOUND = OsProblem(
    "not-found", "找不到该文件或文件夹", "检查路径是否写对、文件是否已被移动或删除。"
)
_DENIED = OsProblem(
    "denied",
    "没有访问权限",
    "检查该文件或文件夹的权限（右键—属性—安全），或换一个有权限的位置后重试。",
)
_LOCKED = OsProblem(
    "locked",
    "文件被其他程序占用",
    "关闭正在打开该文件的 WPS、Excel 或 PDF 阅读器后重试；若是杀毒软件或同步盘正在扫描，稍候再试。",
)
_DISK_FULL = OsProblem("disk-full", "磁盘已满", "清理磁盘空间，或换一个空间充足的位置后重试。")
_TOO_LONG = OsProblem("too-long", "路径超过 Windows 的 260 字符限制", SHORT_WORKSPACE_HINT)
_NAME_TOO_LONG = OsProblem(
    "too-long",
    "文件名太长（超过 255 字节），或路径超过 Windows 的 260 字符限制",
    SHORT_WORKSPACE_HINT,
)
_READ_ONLY = OsProblem(
    "read-only",
    "磁盘或文件夹是只读的",
    "换一个可写的位置（不要用光盘、写保护的 U 盘或只读共享文件夹）后重试。",
)
_NOT_A_FOLDER = OsProblem(
    "not-a-folder",
    "路径中有一段是文件而不是文件夹",
    "检查路径，把与文件夹同名的文件改名或移走后重试。",
)
_IS_A_FOLDER = OsProblem(
    "is-a-folder", "这是一个文件夹而不是文件", "换一个名称，或把同名的文件夹改名或移走后重试。"
)
_NOT_READY = OsProblem(
    "not-ready",
    "磁盘未就绪（U 盘或移动硬盘可能已拔出）",
    "插好该磁盘，确认能在资源管理器中打开后重试。",
)
_NETWORK = OsProblem(
    "network",
    "无法访问网络位置（共享文件夹或映射的网络盘）",
    "检查网络连接和共享文件夹是否可用；也可以把工作区复制到本机磁盘后再运行。",
)

_BY_WINERROR = {
    _WIN_ACCESS_DENIED: _DENIED,
    _WIN_WRITE_PROTECT: _READ_ONLY,
    _WIN_NOT_READY: _NOT_READY,
    _WIN_SHARING_VIOLATION: _LOCKED,
    _WIN_LOCK_VIOLATION: _LOCKED,
    _WIN_HANDLE_DISK_FULL: _DISK_FULL,
    _WIN_BAD_NETPATH: _NETWORK,
    _WIN_NETNAME_DELETED: _NETWORK,
    _WIN_BAD_NET_NAME: _NETWORK,
    _WIN_DISK_FULL: _DISK_FULL,
    _WIN_FILENAME_EXCED_RANGE: _TOO_LONG,
    _WIN_DIRECTORY: _NOT_A_FOLDER,
}

# By errno name: a name this system's errno lacks is left out.
_ERRNO_NAMES = {
    "ENOENT": _NOT_FOUND,
    "EACCES": _DENIED,
    "EPERM": _DENIED,
    "ENOSPC": _DISK_FULL,
    "EDQUOT": _DISK_FULL,
    "ENAMETOOLONG": _NAME_TOO_LONG,
    "EROFS": _READ_ONLY,
    "ENOTDIR": _NOT_A_FOLDER,
    "EISDIR": _IS_A_FOLDER,
    "ENODEV": _NOT_READY,
    "ENXIO": _NOT_READY,
    "ENETUNREACH": _NETWORK,
    "ENETDOWN": _NETWORK,
    "EHOSTDOWN": _NETWORK,
    "EHOSTUNREACH": _NETWORK,
    "ESTALE": _NETWORK,
}
_BY_ERRNO = {
    getattr(errno, name): problem for name, problem in _ERRNO_NAMES.items() if hasattr(errno, name)
}


def os_problem(exc: OSError, path: Path | str | None = None) -> OsProblem:
    """The kind of ``exc`` in zcprep's words; ``path`` (else the error's own file names)
    tells a missing path from one past Windows' 260-character limit."""
    code = getattr(exc, "winerror", None)
    if _missing(exc, code) and _past_windows_limit(exc, path):
        return _TOO_LONG
    if code in _BY_WINERROR:
        return _BY_WINERROR[code]
    if code in (_WIN_FILE_NOT_FOUND, _WIN_PATH_NOT_FOUND):
        return _NOT_FOUND
    known = _BY_ERRNO.get(exc.errno) if exc.errno is not None else None
    if known is not None:
        return known
    return _generic(exc, code)


def os_error_text(exc: OSError, shown: Path | str | None = None) -> str:
    """One line: where (``shown``, the path as the user typed it), what, what to do."""
    problem = os_problem(exc, shown)
    where = f"{shown}：" if shown is not None else ""
    return f"{where}{problem.reason}。{problem.remedy}"


def _missing(exc: OSError, code: int | None) -> bool:
    """Not found: how Windows without long-path support reports a path past its limit."""
    if code is not None:
        return code in (_WIN_FILE_NOT_FOUND, _WIN_PATH_NOT_FOUND)
    return sys.platform == "win32" and exc.errno == errno.ENOENT


def _past_windows_limit(exc: OSError, path: Path | str | None) -> bool:
    candidates = [path, exc.filename, exc.filename2]
    return any(_length(p) >= WINDOWS_MAX_PATH for p in candidates if p is not None)


def _length(path: object) -> int:
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, str | os.PathLike):
        return 0
    try:
        return len(str(Path(path).absolute()))
    except (OSError, ValueError):
        return len(str(path))


def _generic(exc: OSError, code: int | None) -> OsProblem:
    number = code if code is not None else exc.errno
    said = f"（系统错误代码 {number}）" if number is not None else ""
    return OsProblem(
        "other",
        f"读写失败{said}",
        "检查文件是否存在、是否被其他程序占用、是否有权限，以及磁盘空间是否足够后重试。",
    )
