"""The demo workspace: a copy of the packaged example (南通 2023, two applicants).

The copy replaces files of the same name, so it never goes into a folder that already is
someone's workspace: one with a zcprep.toml (the officer's edited notice), one with
anything under dossiers/ (their applicants' files), or a folder inside a workspace's
dossiers/ (it would become a dossier), whatever ``force`` says.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from zcprep.atomic import is_link
from zcprep.errors import InputError, OutputError, UsageError
from zcprep.resources import examples_dir

EXAMPLE = "nantong-2023"


def copy_example(target: Path, force: bool = False) -> Path:
    """Copy the example workspace to ``target``; a non-empty target needs ``force``, and a
    workspace is refused even then."""
    source = examples_dir() / EXAMPLE
    if not (source / "zcprep.toml").is_file():
        raise InputError(
            f"找不到示例工作区 {source}，安装可能不完整。",
            "重新安装 zcprep：pip install --force-reinstall zcprep。",
        )
    if target.exists() and not target.is_dir():
        raise UsageError(
            f"{target} 已存在且不是文件夹。", "换一个文件夹名，如 zcprep demo ./演示。"
        )
    _refuse_a_workspace(target)
    if target.is_dir() and any(target.iterdir()) and not force:
        raise UsageError(
            f"文件夹 {target} 不是空的，未做任何改动。",
            "换一个新文件夹，或加 --force 用示例文件覆盖其中的同名文件。",
        )
    try:
        shutil.copytree(
            source,
            target,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "make_*.py", "out"),
        )
        (target / "out").mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"无法复制示例到 {target}：{exc}。", "检查路径、权限和磁盘空间。"
        ) from None
    return target.resolve()


def _refuse_a_workspace(target: Path) -> None:
    """A zcprep.toml, a dossiers/ holding anything but hidden files (a link included), or a
    place inside some workspace's dossiers/ is real work: never written by the demo."""
    found = _workspace_found(target)
    if found is None:
        return
    raise UsageError(
        f"文件夹 {target} {found}，演示不会写入这里，未做任何改动（加 --force 也一样）。",
        "换一个新文件夹，如 zcprep demo ./演示；要重新演示，先删除旧的演示文件夹。",
    )


def _workspace_found(target: Path) -> str | None:
    config, dossiers = target / "zcprep.toml", target / "dossiers"
    if is_link(dossiers) or (
        dossiers.is_dir() and any(not p.name.startswith(".") for p in dossiers.iterdir())
    ):
        return "已是 zcprep 工作区（dossiers/ 中已有档案）"
    if config.exists() or is_link(config):
        return "已是 zcprep 工作区（其中已有 zcprep.toml）"
    for folder in target.absolute().parents:
        if folder.name == "dossiers" and (folder.parent / "zcprep.toml").is_file():
            return f"在工作区 {folder.parent} 的 dossiers/ 之中"
    return None
