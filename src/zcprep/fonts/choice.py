"""The font render and bind will use, and the warning when none can be embedded.

A font named in zcprep.toml ``[fonts]`` is used or refused with the reason, never
silently replaced; otherwise the system fonts are tried in order, and last comes
reportlab's built-in STSong-Light, which is not embedded, with a warning that says so
and which fonts were passed over.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from zcprep.errors import ConfigError, InputError
from zcprep.fonts.fallback import ExtensionFace, extension_tag, find_extension_faces
from zcprep.fonts.files import _Unusable
from zcprep.fonts.memo import choose
from zcprep.fonts.search import SYSTEM_FONT_FILES, _candidates, default_font_dirs

FALLBACK_CID_FONT = "STSong-Light"
_MAX_SKIPPED_NOTES = 8
_CONFIG_HINT = (
    '请在 zcprep.toml 的 [fonts] 中设置 path = "C:/Windows/Fonts/simsun.ttc"'
    "（或其他 TrueType 中文字体；.ttc 字体集可再设 subfont_index = 0）"
)
_TRUETYPE_HINT = "请改用 TrueType 轮廓的中文字体，如 simsun.ttc、simhei.ttf、wqy-zenhei.ttc"


@dataclass(frozen=True)
class FontChoice:
    """The font render and bind will use.

    ``name`` is the name to register with reportlab; ``path`` is None for the built-in
    CID fallback, which is not embedded (``embedded=False``) and carries ``warning``.
    ``source`` says in Chinese where the font came from; ``skipped`` lists fonts that
    were found but could not be used, and why (for ``zcprep doctor``). ``extensions``
    are the faces (SimSun-ExtB …) that draw what this face lacks
    (:mod:`zcprep.fonts.fallback`).
    """

    name: str
    path: Path | None
    subfont_index: int = 0
    embedded: bool = True
    warning: str | None = None
    source: str = ""
    skipped: tuple[str, ...] = ()
    extensions: tuple[ExtensionFace, ...] = ()

    @property
    def base_name(self) -> str:
        """The reportlab name of the main face alone."""
        return self.name.split("+", 1)[0]


def with_extensions(choice: FontChoice, faces: Sequence[ExtensionFace]) -> FontChoice:
    """``choice`` with ``faces`` drawing what it lacks (an embedded face only); the
    reportlab name then names the set, so each set registers once."""
    if choice.path is None or not faces:
        return choice
    name = f"{choice.base_name}+{extension_tag(faces)}"
    return replace(choice, name=name, extensions=tuple(faces))


# --------------------------------------------------------------------------- naming


def _register_name(path: Path, index: int) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "", path.stem)[:24] or "font"
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:8]
    return f"zcprep-{stem}-{index}-{digest}"


def _choice(path: Path, index: int, source: str, skipped: tuple[str, ...] = ()) -> FontChoice:
    return FontChoice(
        name=_register_name(path, index),
        path=path,
        subfont_index=index,
        embedded=True,
        warning=None,
        source=source,
        skipped=skipped,
    )


# --------------------------------------------------------------------------- explicit path


def _config_hint(kind: str) -> str:
    if kind == "index":
        return "请改正 subfont_index，或删去这一行，由 zcprep 自动选择可用的子字体"
    if kind.startswith("cff"):
        return _TRUETYPE_HINT
    return _CONFIG_HINT


def _configured_font(path: Path, subfont_index: int | None) -> FontChoice:
    where = f"zcprep.toml [fonts] path = {path}"
    if not path.is_file():
        raise ConfigError(
            f"{where}：字体文件不存在",
            "请填写字体文件的完整路径，如 C:/Windows/Fonts/simsun.ttc；"
            "不设置 path 时会自动查找系统字体",
        )
    try:
        index = choose(path, subfont_index)
    except _Unusable as problem:
        if problem.kind == "unreadable":
            raise InputError(
                f"{where}：{problem.reason}", "请检查文件权限，或换用其他字体文件"
            ) from None
        raise ConfigError(f"{where}：{problem.reason}", _config_hint(problem.kind)) from None
    return _choice(path, index, f"zcprep.toml 中 [fonts] path 指定的字体 {path}")


# --------------------------------------------------------------------------- system search


def _worth_noting(problem: _Unusable, known: bool) -> bool:
    if known:
        return True
    return problem.kind in ("cff-cjk", "restricted", "reportlab")


def _search(dirs: Sequence[Path]) -> tuple[FontChoice | None, tuple[str, ...]]:
    """The first usable font under ``dirs`` (or None) and notes on fonts passed over."""
    skipped: list[str] = []
    known_names = {n.lower() for n in SYSTEM_FONT_FILES}
    for path in _candidates(dirs):
        try:
            index = choose(path, None)
        except _Unusable as problem:
            if _worth_noting(problem, path.name.lower() in known_names):
                skipped.append(f"{path}：{problem.reason}")
            continue
        notes = tuple(skipped[:_MAX_SKIPPED_NOTES])
        source = f"系统字体 {path}" + (f"（第 {index} 个子字体）" if index else "")
        return _choice(path, index, source, notes), notes
    return None, tuple(skipped[:_MAX_SKIPPED_NOTES])


def _fallback(skipped: tuple[str, ...]) -> FontChoice:
    warning = (
        "未找到可嵌入 PDF 的 TrueType 中文字体，已改用 reportlab 内置的 STSong-Light 字体；"
        "该字体不会嵌入 PDF，在没有安装中文字体的电脑上汉字可能显示为方框。" + _CONFIG_HINT + "。"
    )
    if skipped:
        warning += "已跳过的字体：" + "；".join(skipped)
    return FontChoice(
        name=FALLBACK_CID_FONT,
        path=None,
        subfont_index=0,
        embedded=False,
        warning=warning,
        source="reportlab 内置 STSong-Light（不嵌入 PDF）",
        skipped=skipped,
    )


def find_font(
    path: str | Path | None = None,
    subfont_index: int | None = None,
    *,
    search_dirs: Sequence[Path] | None = None,
    base_dir: Path | None = None,
) -> FontChoice:
    """Choose the font to embed.

    ``path``/``subfont_index`` come from zcprep.toml ``[fonts]``; a relative path is
    taken from ``base_dir`` (the workspace). A configured font that cannot be used
    raises ConfigError (InputError if unreadable) — it never silently falls back.
    ``search_dirs`` replaces the platform's font folders (tests pass a temporary one).
    Either way the extension faces found under the same folders
    (:func:`zcprep.fonts.fallback.find_extension_faces`) draw the rare characters the
    chosen face lacks.
    """
    if path is not None and str(path).strip():
        chosen = Path(str(path).strip()).expanduser()
        if not chosen.is_absolute() and base_dir is not None:
            chosen = base_dir / chosen
        configured = _configured_font(chosen, subfont_index)
        return with_extensions(configured, find_extension_faces(search_dirs))
    dirs = default_font_dirs() if search_dirs is None else tuple(search_dirs)
    found, skipped = _search(dirs)
    if found is None:
        return _fallback(skipped)
    return with_extensions(found, find_extension_faces(dirs))
