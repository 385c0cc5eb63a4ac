"""The built-in notice presets: complete, commented zcprep.toml files, one per notice."""

from __future__ import annotations

from pathlib import Path

from zcprep.errors import UsageError
from zcprep.model.config import LoadedNotice, load_notice
from zcprep.resources import presets_dir


def preset_ids() -> list[str]:
    return sorted(path.stem for path in presets_dir().glob("*.toml"))


def preset_path(preset_id: str) -> Path:
    path = presets_dir() / f"{preset_id}.toml"
    if preset_id not in preset_ids():
        raise UsageError(
            f"没有名为“{preset_id}”的内置通知。",
            f"可用的有：{'、'.join(preset_ids())}；运行 zcprep notices 查看详情。",
        )
    return path


def load_preset(preset_id: str) -> LoadedNotice:
    return load_notice(preset_path(preset_id))


def all_presets() -> list[LoadedNotice]:
    return [load_preset(preset_id) for preset_id in preset_ids()]
