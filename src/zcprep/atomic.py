"""Write outputs atomically: a temporary file in the same folder, then one rename.

An interrupted run (Ctrl-C, closing the terminal, a failure midway) leaves the previous
output or none, never half a file. The temporary file is ``.NAME.zcprep-PID-xxxxxxxx.part``
(NAME: the target's first few characters, so that the temporary path is hardly longer
than the target's under Windows' 260-character limit): one left by a process that was
killed outright (kill -9, a power cut) is recognised by that name and removed the next
time zcprep writes into the same folder.

A file held for a moment (Defender, the search indexer, OneDrive scan a new file) makes
Windows refuse the open or the final rename: both are tried again for about a second,
with growing waits, before the "close the program" message. Removing the temporary file
after a failure never raises: the error that led to it is the one reported.

Every output goes through :func:`atomic_output`, so this is also where links are
refused: under a workspace's out/ no folder written into may be a link (or a Windows
junction), or a "generated" file would land wherever the link points, e.g. in a dossier.
The target file itself may be a link: the rename replaces the link, never what it points to.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import BinaryIO, TypeVar

from zcprep.errors import OutputError
from zcprep.oserrors import os_problem

# What makes a folder a workspace, and its output folder (as in zcprep.model.workspace,
# which this ground module cannot import).
_CONFIG_NAME = "zcprep.toml"
_OUT_NAME = "out"


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces ``target`` only if the block completes."""
    _prepare_folder(target)
    named: list[Path] = []  # the temporary file, from the moment it may exist
    try:
        with _open_temporary(target, named) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        tmp = named[0]
        _with_lock_retries(partial(tmp.chmod, _default_mode()))
        refuse_linked_output_folders(target)  # a link made meanwhile gets no file either
        _with_lock_retries(lambda: tmp.replace(target))
    except PermissionError as exc:
        _discard(named)
        raise _locked(target, exc) from None
    except OSError as exc:
        _discard(named)
        if _is_lock(exc):
            raise _locked(target, exc) from None
        if exc.errno in _OUTPUT_FAULTS:  # the output's fault, not an input's
            raise _cannot_write(target, exc) from None
        raise
    except BaseException:
        _discard(named)
        raise


# Errors that are the output's fault (not an input's) whatever the writer was doing.
_OUTPUT_FAULTS = (errno.ENAMETOOLONG, errno.ENOSPC, errno.EROFS)

# Waits between attempts when a file is briefly held (Defender, the search indexer,
# OneDrive or a backup tool open a new file for a moment): about a second in all.
LOCK_RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.25)
# Windows' "used by another process" and "locked region" (winerror.h).
_SHARING_VIOLATIONS = (32, 33)

_T = TypeVar("_T")


def _with_lock_retries(attempt: Callable[[], _T]) -> _T:
    """``attempt()``, tried again after each of LOCK_RETRY_DELAYS while the file is held."""
    for delay in LOCK_RETRY_DELAYS:
        try:
            return attempt()
        except OSError as exc:
            if not _is_lock(exc):
                raise
        time.sleep(delay)
    return attempt()


def _is_lock(exc: OSError) -> bool:
    """Access refused, as Windows says of a file another program holds open."""
    return isinstance(exc, PermissionError) or getattr(exc, "winerror", None) in _SHARING_VIOLATIONS


def _locked(target: Path, exc: OSError) -> OutputError:
    """The target is held open (or may not be written), after the retries."""
    problem = os_problem(exc, target)
    if problem.kind in ("denied", "locked"):
        return OutputError(
            f"无法写入 {target}：文件被占用或没有权限。",
            "关闭正在打开该文件的 WPS、Excel 或 PDF 阅读器后重试；仍不行时检查文件夹权限。",
        )
    return _cannot_write(target, exc)


def _prepare_folder(target: Path) -> None:
    """The target's folder made (no link under out/), and stale temporaries swept from it."""
    try:
        refuse_linked_output_folders(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        if _sweep_due(target.parent):
            sweep_stale_parts(target.parent)
    except OSError as exc:
        raise _cannot_write(target, exc) from None


# As tempfile.mkstemp opens its files (new, exclusive, never through a link, private).
_TEMP_FLAGS = (
    os.O_RDWR
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOINHERIT", 0)
)
_NAME_ATTEMPTS = 100


def _open_temporary(target: Path, named: list[Path]) -> BinaryIO:
    """A new temporary file beside ``target``. Its name goes into ``named`` before the
    file is made (unlike mkstemp), so that an interruption (Ctrl-C, a signal) landing
    just after it was made still finds it to remove."""
    for _attempt in range(_NAME_ATTEMPTS):
        tmp = target.parent / f"{_temp_prefix(target.name)}{secrets.token_hex(4)}{_PART}"
        named[:] = [tmp]
        try:
            fd = _with_lock_retries(partial(os.open, tmp, _TEMP_FLAGS, 0o600))
        except FileExistsError:
            continue
        except OSError as exc:
            named.clear()
            raise _locked(target, exc) if _is_lock(exc) else _cannot_write(target, exc) from None
        return os.fdopen(fd, "wb")
    named.clear()
    raise _cannot_write(target, FileExistsError(errno.EEXIST, "temporary names taken"))


def _discard(named: list[Path]) -> None:
    """Remove the temporary file; one that cannot be removed now is swept by a later run.
    Never raises: a failed cleanup must not hide the error that led to it."""
    for tmp in named:
        try:
            _with_lock_retries(partial(tmp.unlink, missing_ok=True))
        except (OSError, ValueError):
            continue


# Characters of the target's name kept in the temporary file's name: few, so that the
# temporary path is hardly longer than the target's (Windows' 260-character limit counts
# the whole path, and a .part name that passed it would fail a write the target fits in).
_PREFIX_CHARS = 8


def _short_prefix(name: str) -> str:
    return name[:_PREFIX_CHARS]


# ".NAME.zcprep-PID-" + 8 random characters + ".part": the process id says whose it is.
_PART = ".part"
# A process id has at most 10 digits (2**32 - 1 on Windows and Linux alike).
_TEMP_NAME = re.compile(r"\..+\.zcprep-(?P<pid>[1-9][0-9]{0,9})-[a-z0-9_]{8}\.part", re.DOTALL)
# A temporary file is stale when its process is gone and nothing has written to it for
# this long (a live writer writes without pause; the pause guards against a process of
# another computer writing into a shared folder), or when it is a day old whatever its
# process id says (ids are reused after a restart).
STALE_AFTER_SECONDS = 120.0
ABANDONED_AFTER_SECONDS = 24 * 3600.0


def is_temporary_name(name: str) -> bool:
    """Whether ``name`` is one zcprep gives its temporary files (which the sweep removes):
    ``add`` never unpacks an entry so named, so a sweep can only ever meet its own."""
    return _TEMP_NAME.fullmatch(name) is not None


def _temp_prefix(name: str) -> str:
    return f".{_short_prefix(name)}.zcprep-{os.getpid()}-"


# When each folder was last swept: ``add`` writes thousands of files into one folder, and
# a listing per file would cost more than the unpacking; once a minute is enough.
_SWEPT: dict[Path, float] = {}
SWEEP_EVERY_SECONDS = 60.0


def _sweep_due(folder: Path) -> bool:
    now = time.monotonic()
    key = folder.absolute()
    if now - _SWEPT.get(key, -SWEEP_EVERY_SECONDS) < SWEEP_EVERY_SECONDS:
        return False
    _SWEPT[key] = now
    return True


def sweep_stale_parts(folder: Path) -> list[Path]:
    """Remove the temporary files that killed zcprep runs left in ``folder``; return them.

    Only regular files named exactly as :func:`atomic_output` names them are considered,
    and only those whose process is gone (or that are a day old): nothing else is touched.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMP_NAME.fullmatch(entry.name)
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and _is_stale(int(match["pid"]), now - info.st_mtime):
                Path(entry.path).unlink()
                removed.append(Path(entry.path))
        except OSError:
            continue  # gone meanwhile, or not ours to remove: left as it is
    return removed


def sweep_stale_parts_below(root: Path) -> list[Path]:
    """:func:`sweep_stale_parts` in ``root`` and every folder under it, to the depth
    ``add`` can write (links and junctions not entered; a folder tree deeper than that is
    no dossier add made, and is not walked)."""
    removed: list[Path] = []
    pending = [(root, 0)]
    while pending:
        here, depth = pending.pop()
        _SWEPT[here.absolute()] = time.monotonic()
        removed += sweep_stale_parts(here)
        if depth >= SWEEP_DEPTH:
            continue
        try:
            folders = [Path(e.path) for e in os.scandir(here) if e.is_dir(follow_symlinks=False)]
        except OSError:
            continue
        pending.extend((folder, depth + 1) for folder in folders if not is_link(folder))
    return removed


# add refuses entries more than 32 folders deep (zcprep.intake.entries.MAX_ENTRY_DEPTH).
SWEEP_DEPTH = 34


def _is_stale(pid: int, idle_seconds: float) -> bool:
    if idle_seconds >= ABANDONED_AFTER_SECONDS:
        return True
    return idle_seconds >= STALE_AFTER_SECONDS and not _process_running(pid)


def _process_running(pid: int) -> bool:
    """Whether a process with this id runs on this computer (unsure counts as running)."""
    if pid == os.getpid() or pid > 0xFFFFFFFF:  # no such id on any system: not ours to judge
        return True
    if sys.platform == "win32":
        return _windows_process_running(pid)
    try:
        os.kill(pid, 0)  # signal 0 only asks; on Windows os.kill would end the process
    except ProcessLookupError:
        return False
    except (OSError, OverflowError, ValueError):
        return True  # exists, owned by someone else; or an id this system cannot have
    return True


if sys.platform == "win32":
    _PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
    _ERROR_INVALID_PARAMETER = 87  # what OpenProcess says of an id no process has
    _STILL_ACTIVE = 259

    def _windows_process_running(pid: int) -> bool:
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(_PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
        if not handle:
            return ctypes.get_last_error() != _ERROR_INVALID_PARAMETER
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == _STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)


# Windows reparse tags of the two kinds of folder link (os.lstat's st_reparse_tag).
_IO_REPARSE_TAG_MOUNT_POINT = 0xA0000003  # a junction (mklink /J), or a mounted volume
_IO_REPARSE_TAG_SYMLINK = 0xA000000C
_LINK_TAGS = (_IO_REPARSE_TAG_MOUNT_POINT, _IO_REPARSE_TAG_SYMLINK)


def is_link(path: Path) -> bool:
    """A symbolic link, or on Windows a junction: both lead somewhere else.

    ``Path.is_symlink`` misses junctions (and ``Path.is_junction`` is Python 3.12+); a
    OneDrive placeholder is a reparse point too, of another tag, and is no link.
    """
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if stat.S_ISLNK(info.st_mode):
        return True
    attributes = getattr(info, "st_file_attributes", 0)
    if not attributes & stat.FILE_ATTRIBUTE_REPARSE_POINT:
        return False
    return getattr(info, "st_reparse_tag", 0) in _LINK_TAGS


def output_root(target: Path) -> Path | None:
    """The workspace's out/ folder that ``target`` lies under, or None."""
    for folder in target.parents:
        if folder.name == _OUT_NAME and (folder.parent / _CONFIG_NAME).is_file():
            return folder
    return None


def refuse_linked_output_folders(target: Path) -> None:
    """Raise OutputError when out/ or a folder under it on the way to ``target`` is a link.

    Links above the workspace (a home folder on another drive) are the user's business
    and followed; inside out/ a link is a trap: ``out/张三 -> ../dossiers/张三`` would have
    bind and render write into the dossier.
    """
    out = output_root(target)
    if out is None:
        return
    folders = [out]
    for part in target.parent.relative_to(out).parts:
        folders.append(folders[-1] / part)
    for folder in folders:
        if is_link(folder):
            raise linked_output_folder(folder, out.parent)


def linked_output_folder(folder: Path, root: Path) -> OutputError:
    """The refusal of an output folder that is a link, naming it and what to do."""
    shown = folder.relative_to(root).as_posix() if folder.is_relative_to(root) else str(folder)
    pointing = ""
    with contextlib.suppress(OSError, ValueError):
        pointing = f"指向 {folder.readlink()} 的"
    return OutputError(
        f"{shown} 是{pointing}链接（或目录联接），zcprep 不会把输出写到链接指向的地方，"
        "未写入任何文件。",
        f"删除链接 {shown}（它指向的文件夹不受影响）后重新运行，zcprep 会建立普通文件夹；"
        "需要别处的副本时，请在生成后复制。",
    )


def _cannot_write(target: Path, exc: OSError) -> OutputError:
    problem = os_problem(exc, target)
    if problem.kind == "too-long":
        return OutputError(f"无法写入 {target}：{problem.reason}。", problem.remedy)
    if problem.kind == "disk-full":
        return OutputError(f"无法写入 {target}：磁盘已满。", problem.remedy)
    return OutputError(f"无法在 {target.parent} 中写文件：{problem.reason}。", problem.remedy)


def _default_mode() -> int:
    """mkstemp makes 0600 files; outputs get what a plain open() would give (0666 & ~umask)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_bytes(target: Path, data: bytes) -> None:
    with atomic_output(target) as handle:
        handle.write(data)


def write_text(target: Path, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))


def write_with(target: Path, writer: Callable[[BinaryIO], None]) -> None:
    """Let ``writer`` (e.g. a PDF or workbook ``save``) fill the file atomically."""
    with atomic_output(target) as handle:
        writer(handle)
