"""The one way a form or letter template is read: from the template folders, never through
a link.

jinja2's own FileSystemLoader refuses ``..`` in a name but follows links, and every
``{% include %}``, ``{% extends %}``, ``{% import %}`` and ``{% from %}`` loads through
the environment's loader: a workspace template including ``secret.j2 -> /etc/passwd``
would print that file into a PDF. This loader refuses, for the top-level template and
every one it pulls in alike: a name with ``..``, a backslash, a drive or a leading ``/``;
any link (a symbolic link, or on Windows a junction) on the way from the template folder
to the file; a file that is not a regular file (a pipe would hang the run); and whatever
still resolves outside the folder. The refusal is a :class:`TemplateRefused`, which
``fill_template`` turns into a Chinese error naming the form's template and the name it
asked for.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from jinja2 import BaseLoader, TemplateError, TemplateNotFound

from zcprep.atomic import is_link

if TYPE_CHECKING:
    from jinja2 import Environment

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a pipe swapped in after the look must not hang


class TemplateRefused(TemplateError):
    """A template name or file the loader will not read; ``reason`` is Chinese.

    Deliberately not a TemplateNotFound: ``{% include ... ignore missing %}`` must not
    swallow it."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class TemplateFolderLoader(BaseLoader):
    """Templates from ``searchpath`` (first match wins), read only as plain files inside."""

    def __init__(self, searchpath: list[Path], encoding: str = "utf-8") -> None:
        self.searchpath = [str(folder) for folder in searchpath]
        self.encoding = encoding

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        parts = template_parts(template)
        for folder in self.searchpath:
            path = _find(Path(folder), parts, template)
            if path is not None:
                return _read(path, template, self.encoding)
        raise TemplateNotFound(template)


def template_parts(name: str) -> tuple[str, ...]:
    """The folders and file of a template name, or TemplateRefused for a name that could
    lead out of the template folder."""
    windows = PureWindowsPath(name)
    if (
        not name.strip()
        or "\\" in name
        or "\x00" in name
        or PurePosixPath(name).is_absolute()
        or windows.is_absolute()
        or windows.drive
    ):
        raise TemplateRefused(
            name, "模板名只能是模板文件夹中的相对路径（不能有 \\、盘符或以 / 开头）"
        )
    parts = tuple(part for part in name.split("/") if part not in ("", "."))
    if ".." in parts or not parts:
        raise TemplateRefused(name, "模板名不能含有 ..（不能指向模板文件夹以外）")
    return parts


def _find(folder: Path, parts: tuple[str, ...], name: str) -> Path | None:
    """The file ``parts`` names in ``folder``, None when it is not there; TemplateRefused
    when a link stands anywhere on the way (each step is looked at, not followed)."""
    path = folder
    for part in parts:
        path = path / part
        if is_link(path):
            raise TemplateRefused(name, f"{path} 是链接（符号链接或目录联接），模板不能经链接读取")
        try:
            info = os.lstat(path)
        except OSError:
            return None
    if not stat.S_ISREG(info.st_mode):
        raise TemplateRefused(name, f"{path} 不是普通文件")
    try:
        inside = path.resolve(strict=True).is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        raise TemplateRefused(name, f"{path} 指向模板文件夹以外")
    return path


def _read(path: Path, name: str, encoding: str) -> tuple[str, str, Callable[[], bool]]:
    """The file's text, opened without following a link that appeared since it was looked
    at, and refused if what was opened is not a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _BINARY | _NONBLOCK)
    except OSError as exc:
        from zcprep.oserrors import os_problem

        raise TemplateRefused(name, f"{path} 无法打开（{os_problem(exc, path).reason}）") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise TemplateRefused(name, f"{path} 不是普通文件")
        data = handle.read()
    mtime = info.st_mtime

    def uptodate() -> bool:
        try:
            return path.stat().st_mtime == mtime
        except OSError:
            return False

    return data.decode(encoding), str(path), uptodate
