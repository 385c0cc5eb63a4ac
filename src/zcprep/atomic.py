"""Write outputs atomically: a temporary file in the same folder, then one rename.

An interrupted run (Ctrl-C, a failure midway) leaves the previous output or none,
never half a file.
"""

from __future__ import annotations

import contextlib
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
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise OutputError(
            f"无法在 {target.parent} 中写文件：{exc.strerror}。", "检查磁盘空间和文件夹权限后重试。"
        ) from None
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
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
