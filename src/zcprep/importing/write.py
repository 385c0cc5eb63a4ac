"""Writing one row's applicant.toml: a new dossier made as ``zcprep new`` makes it, an
unchanged file left alone, a changed one kept unless ``--force`` (and then its old
content saved under out/备份/<姓名>/ first, never inside the dossier).

"Unchanged" compares the data, not the text: the first comment line names the row the
values came from, and a sorted sheet must not make every file look edited.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from zcprep.atomic import is_link, write_bytes, write_text
from zcprep.errors import ConfigError, InputError
from zcprep.importing.rows import RowData
from zcprep.model.applicant import applicant_template
from zcprep.model.notice import Notice
from zcprep.model.tomlfile import decode_text
from zcprep.model.workspace import APPLICANT_FILE, Workspace, new_dossier
from zcprep.oserrors import os_problem

Status = Literal["新建", "更新", "未改动", "保留原文件", "拒绝"]
STATUSES: tuple[Status, ...] = ("新建", "更新", "未改动", "保留原文件", "拒绝")
BACKUP_DIR = "备份"
DIFFERENCES_SHOWN = 6


@dataclass(frozen=True)
class Outcome:
    status: Status
    dossier: Path
    detail: str = ""
    hint: str = ""
    backup: Path | None = None


def save_row(
    workspace: Workspace, data: RowData, render: Callable[[dict[str, Any]], str], force: bool
) -> Outcome:
    """Write ``render(carried)`` as dossiers/<姓名>/applicant.toml, where ``carried`` is
    the existing file's data (the fields the sheet has no column for keep it)."""
    folder = workspace.dossiers_dir / data.name
    path = folder / APPLICANT_FILE
    shown = workspace.relative(path)
    if is_link(folder) or (folder.exists() and not folder.is_dir()):
        return Outcome(
            "拒绝",
            folder,
            f"{workspace.relative(folder)} 不是普通文件夹（是文件或链接），未改动",
            "换一个档案名，或先把它改成普通文件夹。",
        )
    if is_link(path) or (path.exists() and not path.is_file()):
        return Outcome(
            "拒绝", folder, f"{shown} 是链接或文件夹，未改动", "把它换成普通的 applicant.toml。"
        )
    if not path.exists():
        existed = folder.is_dir()
        new_dossier(workspace, data.name)
        write_text(path, render({}))
        return Outcome("新建", folder, "档案文件夹已有，写入了 applicant.toml" if existed else "")
    old_bytes = _read(path, shown)
    old = parse(old_bytes)
    text = render(old or {})
    new = tomllib.loads(text)
    if old == new:
        return Outcome("未改动", folder)
    if old is not None and old == _blank_template(workspace, data.name):
        write_text(path, text)
        return Outcome("更新", folder, "替换了 zcprep new 生成的空白模板")
    if not force:
        what = (
            "原文件不是有效的 TOML"
            if old is None
            else f"不同的栏目：{_differences(workspace.notice, old, new)}"
        )
        return Outcome(
            "保留原文件",
            folder,
            f"{shown} 与表格中的不同，未覆盖（{what}）",
            f"要用表格中的内容替换，加 --force 重新导入（原文件会另存到 out/{BACKUP_DIR}/{data.name}/）。",
        )
    backup = backup_path(workspace, data.name)
    write_bytes(backup, old_bytes)
    write_text(path, text)
    return Outcome("更新", folder, f"原文件另存为 {workspace.relative(backup)}", backup=backup)


def parse(raw: bytes) -> dict[str, Any] | None:
    """An applicant.toml's data as Notepad or WPS saved it, or None when it is not TOML."""
    try:
        text, _ = decode_text(raw, Path(APPLICANT_FILE))
        return tomllib.loads(text)
    except (ConfigError, tomllib.TOMLDecodeError, RecursionError):
        return None


def backup_path(workspace: Workspace, name: str) -> Path:
    """out/备份/<姓名>/applicant.toml.bak, .bak2, .bak3 … (an earlier backup is kept)."""
    folder = workspace.out_dir / BACKUP_DIR / name
    for number in range(1, 10_000):
        candidate = folder / (APPLICANT_FILE + (".bak" if number == 1 else f".bak{number}"))
        if not candidate.exists():
            return candidate
    return folder / (APPLICANT_FILE + ".bak")


def _read(path: Path, shown: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        problem = os_problem(exc, path)
        raise InputError(f"无法读取 {shown}：{problem.reason}。", problem.remedy) from None


def _blank_template(workspace: Workspace, name: str) -> dict[str, Any] | None:
    """The data of the file ``zcprep new`` writes: such a file holds nothing typed yet."""
    return tomllib.loads(applicant_template(name, workspace.notice))


def _differences(notice: Notice, old: dict[str, Any], new: dict[str, Any]) -> str:
    """The labels of the fields that differ (姓名、毕业时间 …)."""
    labels = {spec.key: spec.label for spec, _ in notice.applicant.declared()}
    keys = [k for k in dict.fromkeys([*new, *old]) if old.get(k) != new.get(k)]
    shown = [labels.get(k, k) for k in keys[:DIFFERENCES_SHOWN]]
    more = f" 等 {len(keys)} 项" if len(keys) > DIFFERENCES_SHOWN else ""
    return "、".join(shown) + more
