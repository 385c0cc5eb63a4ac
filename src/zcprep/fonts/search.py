"""Where fonts are looked for: the platform's font folders and the files in them.

Windows keeps fonts under %WINDIR%\\Fonts (and the user's LOCALAPPDATA), macOS under the
three Library/Fonts folders, Linux under /usr/share/fonts, ~/.fonts and XDG_DATA_HOME.
The well-known Chinese system fonts come first, best first, then every other font file
found; the walk is bounded so a huge font folder cannot stall a run.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

# Preferred system fonts for the body, best first (GB/T 9704 habits: 仿宋, then 宋体, then
# what else a machine has); matched case-insensitively anywhere under the font folders,
# so C:\Windows\Fonts\SIMFANG.TTF is found as simfang.ttf. Those with CFF outlines (some
# PingFang / Hiragino builds) are skipped by the outline check, not by this list.
SYSTEM_FONT_FILES: tuple[str, ...] = (
    # 仿宋: Windows, Office (华文仿宋, also on macOS), macOS
    "simfang.ttf",
    "STFANGSO.TTF",
    "STFangsong.ttf",
    # 宋体
    "simsun.ttc",
    "simsun.ttf",
    "Songti.ttc",
    "STSong.ttf",
    "STSONG.TTF",
    # others: Windows
    "simhei.ttf",
    "simkai.ttf",
    "msyh.ttc",
    "msyh.ttf",
    "msyhbd.ttc",
    "deng.ttf",
    # macOS
    "STHeiti Light.ttc",
    "STHeiti Medium.ttc",
    "PingFang.ttc",
    "Hiragino Sans GB.ttc",
    "Hiragino Sans GB W3.ttc",
    "Arial Unicode.ttf",
    # Linux
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "DroidSansFallbackFull.ttf",
    "DroidSansFallback.ttf",
    "uming.ttc",
    "ukai.ttc",
)
# Fonts for a form's title, best first: 方正小标宋 (GB/T 9704's 小标宋体, where the unit
# installed it), then 黑体. None installed: the title is set in the body font.
TITLE_FONT_FILES: tuple[str, ...] = (
    "FZXBSJW.TTF",
    "FZXBSK.TTF",
    "方正小标宋简体.ttf",
    "方正小标宋_GBK.ttf",
    "FZXiaoBiaoSong-B05S.ttf",
    "FZXiaoBiaoSong-B05.ttf",
    "simhei.ttf",
    "STHeiti Medium.ttc",
    "STHEITI.TTF",
    "STXIHEI.TTF",
)
_FONT_SUFFIXES = frozenset({".ttf", ".ttc", ".otf", ".otc"})
_MAX_FILES_SCANNED = 5000
_MAX_GENERIC_CANDIDATES = 400


def default_font_dirs(
    platform: str | None = None,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> tuple[Path, ...]:
    """The folders where this platform keeps fonts (arguments only for tests)."""
    platform = platform or sys.platform
    env = os.environ if environ is None else environ
    home = home or Path.home()
    if platform.startswith("win"):
        windir = env.get("WINDIR") or env.get("SystemRoot") or r"C:\Windows"
        dirs = [Path(windir) / "Fonts"]
        if env.get("LOCALAPPDATA"):
            dirs.append(Path(env["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
        return tuple(dirs)
    if platform == "darwin":
        return (Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts")
    data_home = (
        Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME") else home / ".local" / "share"
    )
    dirs = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts"]
    dirs.append(data_home / "fonts")
    return tuple(dict.fromkeys(dirs))


def _font_files(dirs: Sequence[Path]) -> Iterator[Path]:
    """Font files under ``dirs``, folder by folder, each in sorted order.

    Symlinked folders are followed (distributions link font packages into
    /usr/share/fonts), each real folder visited once.
    """
    seen_files = 0
    visited: set[str] = set()
    for top in dirs:
        for root, subdirs, files in os.walk(top, followlinks=True):
            real = os.path.realpath(root)
            if real in visited:
                subdirs.clear()
                continue
            visited.add(real)
            subdirs.sort()
            for name in sorted(files):
                if Path(name).suffix.lower() in _FONT_SUFFIXES:
                    seen_files += 1
                    if seen_files > _MAX_FILES_SCANNED:
                        return
                    yield Path(root) / name


def _candidates(dirs: Sequence[Path]) -> list[Path]:
    """Known system fonts in preference order, then every other font file found."""
    found: dict[str, Path] = {}
    others: list[Path] = []
    for path in _font_files(dirs):
        key = path.name.lower()
        if key in found:
            continue
        found[key] = path
        others.append(path)
    known = [found[name.lower()] for name in SYSTEM_FONT_FILES if name.lower() in found]
    rest = [p for p in others if p not in known][:_MAX_GENERIC_CANDIDATES]
    return known + rest


def named_font_files(dirs: Sequence[Path], names: Sequence[str]) -> list[Path]:
    """The files under ``dirs`` called one of ``names`` (any case), in the order of ``names``."""
    wanted = {name.lower(): rank for rank, name in enumerate(names)}
    found: dict[str, Path] = {}
    for path in _font_files(dirs):
        key = path.name.lower()
        if key in wanted and key not in found:
            found[key] = path
    return [found[key] for key in sorted(found, key=wanted.__getitem__)]
