"""Write outputs atomically: a temporary file in the same folder, then one rename.

An interrupted run (Ctrl-C, a failure midway) leaves the previous output or none,
never half a file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from zcprep.errors import OutputError


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces ``target`` only if the block completes."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{_short_prefix(target.name)}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(_default_mode())
        tmp.replace(target)
    except PermissionError:
        tmp.unlink(missing_ok=True)
        raise OutputError(
            f"无法写入 {target}：文件被占用或没有权限。",
            "关闭正在打开该文件的 WPS、Excel 或 PDF 阅读器后重试。",
        ) from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno in (errno.ENAMETOOLONG, errno.ENOSPC):  # the output's fault, not an input's
            raise _cannot_write(target, exc) from None
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# Bytes of the target's name kept in the temporary file's name, so that the temporary
# name (".NAME.xxxxxxxx.part") stays within the 255 bytes a file name may have.
_PREFIX_BYTES = 200


def _short_prefix(name: str) -> str:
    raw = name.encode("utf-8", errors="surrogateescape")[:_PREFIX_BYTES]
    return raw.decode("utf-8", errors="ignore")


def _cannot_write(target: Path, exc: OSError) -> OutputError:
    if exc.errno == errno.ENAMETOOLONG:
        return OutputError(
            f"无法写入 {target}：文件名太长（超过 255 字节）。",
            "把档案文件夹或表单名称改短（如只写姓名）后重试。",
        )
    if exc.errno == errno.ENOSPC:
        return OutputError(f"无法写入 {target}：磁盘已满。", "清理磁盘空间后重试。")
    return OutputError(
        f"无法在 {target.parent} 中写文件：{exc.strerror}。", "检查磁盘空间和文件夹权限后重试。"
    )


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
