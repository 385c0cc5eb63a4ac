"""The demo workspace: a copy of the packaged example (南通 2023, two applicants)."""

from __future__ import annotations

import shutil
from pathlib import Path

from zcprep.errors import InputError, OutputError, UsageError
from zcprep.resources import examples_dir

EXAMPLE = "nantong-2023"


def copy_example(target: Path, force: bool = False) -> Path:
    """Copy the example workspace to ``target``; a non-empty target needs ``force``."""
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
