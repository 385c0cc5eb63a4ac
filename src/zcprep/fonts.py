"""Find a TrueType CJK font that reportlab can embed, or fall back with a warning.

reportlab embeds (and subsets) only fonts with TrueType outlines (a 'glyf' table). Fonts
with CFF outlines — 'OTTO' files such as Noto Sans CJK or Source Han — are refused
("postscript outlines are not supported"). The built-in CID font STSong-Light works
everywhere but is never embedded: a viewer without Chinese fonts draws boxes.

Search order: the font named in zcprep.toml ``[fonts] path`` (+ ``subfont_index``), then
the usual system fonts (Windows simsun/simhei/simfang/simkai/msyh, macOS Songti/STHeiti/
PingFang/Hiragino/Arial Unicode, Linux WenQuanYi/Droid/AR PL), then any other font file
in the font folders that covers common Chinese, and last STSong-Light with a warning.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import sys
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from zcprep.errors import ConfigError, InputError

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

FALLBACK_CID_FONT = "STSong-Light"
# 页, 证 and 书 exist only in simplified Chinese: Japanese and traditional-only fonts fail.
PROBE_CHARACTERS = "中国第页证书"
# Preferred system fonts, best first; matched case-insensitively anywhere under the
# font folders. Those with CFF outlines (some PingFang / Hiragino builds) are skipped
# by the outline check, not by this list.
SYSTEM_FONT_FILES: tuple[str, ...] = (
    # Windows
    "simsun.ttc",
    "simsun.ttf",
    "simfang.ttf",
    "simhei.ttf",
    "simkai.ttf",
    "msyh.ttc",
    "msyh.ttf",
    "msyhbd.ttc",
    "deng.ttf",
    # macOS
    "Songti.ttc",
    "STSong.ttf",
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
_FONT_SUFFIXES = frozenset({".ttf", ".ttc", ".otf", ".otc"})
_MAX_FILES_SCANNED = 5000
_MAX_GENERIC_CANDIDATES = 400
_MAX_SKIPPED_NOTES = 8
_MAX_SUBFONTS = 256
_REGULAR_WEIGHT = 400
# reportlab refuses to subset a font whose OS/2 fsType forbids it (restricted licence
# or bitmap-only embedding) once it has more than 255 glyphs.
_FSTYPE_RESTRICTED = 0x0002
_FSTYPE_NO_SUBSET_MASK = 0x0300
_RL_FULL_EMBED_GLYPHS = 0xFF
_CONFIG_HINT = (
    '请在 zcprep.toml 的 [fonts] 中设置 path = "C:/Windows/Fonts/simsun.ttc"'
    "（或其他 TrueType 中文字体；.ttc 字体集可再设 subfont_index = 0）"
)
_TRUETYPE_HINT = "请改用 TrueType 轮廓的中文字体，如 simsun.ttc、simhei.ttf、wqy-zenhei.ttc"

Outlines = Literal["truetype", "cff", "none"]


@dataclass(frozen=True)
class FontChoice:
    """The font render and bind will use.

    ``name`` is the name to register with reportlab; ``path`` is None for the built-in
    CID fallback, which is not embedded (``embedded=False``) and carries ``warning``.
    ``source`` says in Chinese where the font came from; ``skipped`` lists fonts that
    were found but could not be used, and why (for ``zcprep doctor``).
    """

    name: str
    path: Path | None
    subfont_index: int = 0
    embedded: bool = True
    warning: str | None = None
    source: str = ""
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Face:
    outlines: Outlines
    weight: int
    restricted: bool
    codepoints: frozenset[int]


class _Unusable(Exception):
    """A font file that cannot serve; ``reason`` is Chinese, ``kind`` is for sorting."""

    def __init__(self, reason: str, kind: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind


# --------------------------------------------------------------------------- sniffing


def _sniff(path: Path) -> tuple[str, int]:
    """('truetype' | 'cff' | 'collection', number of faces); raise _Unusable otherwise."""
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
    except OSError as exc:
        raise _Unusable(f"无法读取字体文件：{exc.strerror or exc}", "unreadable") from None
    tag = head[:4]
    if tag in (b"\x00\x01\x00\x00", b"true"):
        return "truetype", 1
    if tag == b"OTTO":
        return "cff", 1
    if tag == b"ttcf" and len(head) == 12:
        count = struct.unpack(">I", head[8:12])[0]
        if 0 < count <= _MAX_SUBFONTS:
            return "collection", count
    if tag in (b"wOFF", b"wOF2"):
        raise _Unusable("这是网页字体（WOFF），reportlab 无法使用", "not-font")
    raise _Unusable("不是 TrueType/OpenType 字体文件", "not-font")


def _cff_reason() -> str:
    return "该字体为 CFF/OpenType 轮廓，reportlab 无法嵌入，请改用 TrueType 字体如 simsun.ttc"


@lru_cache(maxsize=64)
def _read_face(path: str, index: int, stamp: tuple[int, int]) -> _Face:
    """Outline kind, weight, licence and cmap of one face (``stamp`` keys the cache)."""
    from fontTools.ttLib import TTFont, TTLibError

    # fontTools reports damaged files through many exception types, some only when a
    # table is first read (lazy loading).
    damaged = (
        TTLibError,
        struct.error,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
        AssertionError,
        EOFError,
        OSError,
    )
    try:
        with TTFont(path, fontNumber=index, lazy=True) as font:
            return _face_of(font)
    except damaged as exc:
        raise _Unusable(f"字体文件已损坏或无法解析（{exc}）", "broken") from None


def _face_of(font: TTFont) -> _Face:
    if "glyf" in font:
        outlines: Outlines = "truetype"
    elif "CFF " in font or "CFF2" in font:
        outlines = "cff"
    else:
        outlines = "none"
    weight, restricted = _REGULAR_WEIGHT, False
    if "OS/2" in font:
        os2 = font["OS/2"]
        weight = int(os2.usWeightClass)
        fs_type = int(os2.fsType)
        many = int(font["maxp"].numGlyphs) > _RL_FULL_EMBED_GLYPHS
        limited = fs_type == _FSTYPE_RESTRICTED or bool(fs_type & _FSTYPE_NO_SUBSET_MASK)
        restricted = limited and many
    cmap = font.getBestCmap() or {}
    return _Face(outlines, weight, restricted, frozenset(cmap))


def _face(path: Path, index: int) -> _Face:
    try:
        info = path.stat()
    except OSError as exc:
        raise _Unusable(f"无法读取字体文件：{exc.strerror or exc}", "unreadable") from None
    return _read_face(str(path), index, (info.st_mtime_ns, info.st_size))


def _usable_face(path: Path, index: int) -> _Face:
    """The face, or _Unusable saying why reportlab cannot embed it for Chinese."""
    face = _face(path, index)
    if face.outlines == "cff":
        kind = "cff-cjk" if _covers(face) else "cff"
        raise _Unusable(_cff_reason(), kind)
    if face.outlines != "truetype":
        raise _Unusable("字体没有可用的字形轮廓（可能是位图字体）", "not-font")
    if face.restricted:
        raise _Unusable("字体授权（OS/2 fsType）不允许嵌入 PDF", "restricted")
    missing = [c for c in PROBE_CHARACTERS if ord(c) not in face.codepoints]
    if missing:
        shown = "".join(f"“{c}”" for c in missing)
        raise _Unusable(f"字体不含常用汉字（缺少{shown}），不是中文字体", "no-cjk")
    return face


def _covers(face: _Face) -> bool:
    return all(ord(c) in face.codepoints for c in PROBE_CHARACTERS)


def _pick_subfont(path: Path, count: int, requested: int | None) -> int:
    """The face to use in a file of ``count`` faces; raise _Unusable if none fits."""
    if requested is not None:
        if not 0 <= requested < count:
            span = (
                "只有 1 个字体（subfont_index 只能为 0）"
                if count == 1
                else (f"只有 {count} 个子字体（subfont_index 可为 0–{count - 1}）")
            )
            raise _Unusable(f"subfont_index = {requested} 超出范围：该文件{span}", "index")
        try:
            _usable_face(path, requested)
        except _Unusable as problem:
            if count == 1:
                raise
            reason = f"第 {requested} 个子字体不可用：{problem.reason}"
            raise _Unusable(reason, problem.kind) from None
        return requested
    return _best_subfont(path, count)


def _best_subfont(path: Path, count: int) -> int:
    """The regular-weight usable face if any, else the first usable one."""
    usable: list[tuple[bool, int]] = []
    problems: list[_Unusable] = []
    for index in range(count):
        try:
            face = _usable_face(path, index)
        except _Unusable as problem:
            problems.append(problem)
            continue
        usable.append((face.weight != _REGULAR_WEIGHT, index))
    if usable:
        return min(usable)[1]
    first = problems[0]
    if count == 1:
        raise first
    raise _Unusable(f"字体集中没有可用的子字体：{first.reason}", first.kind)


def _reportlab_check(path: Path, index: int) -> None:
    """Let reportlab parse the headers it needs (cheap, no cmap) so register cannot fail."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFontFile

    try:
        TTFontFile(str(path), charInfo=0, validate=0, subfontIndex=index)
    except (TTFError, ValueError, struct.error, IndexError) as exc:
        raise _Unusable(f"reportlab 无法载入该字体（{exc}）", "reportlab") from None


def _choose(path: Path, requested: int | None) -> int:
    _kind, count = _sniff(path)
    index = _pick_subfont(path, count, requested)
    _reportlab_check(path, index)
    return index


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
        index = _choose(path, subfont_index)
    except _Unusable as problem:
        if problem.kind == "unreadable":
            raise InputError(
                f"{where}：{problem.reason}", "请检查文件权限，或换用其他字体文件"
            ) from None
        raise ConfigError(f"{where}：{problem.reason}", _config_hint(problem.kind)) from None
    return _choice(path, index, f"zcprep.toml 中 [fonts] path 指定的字体 {path}")


# --------------------------------------------------------------------------- system search


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
            index = _choose(path, None)
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
    """
    if path is not None and str(path).strip():
        chosen = Path(str(path).strip()).expanduser()
        if not chosen.is_absolute() and base_dir is not None:
            chosen = base_dir / chosen
        return _configured_font(chosen, subfont_index)
    dirs = default_font_dirs() if search_dirs is None else tuple(search_dirs)
    found, skipped = _search(dirs)
    return found if found is not None else _fallback(skipped)


# --------------------------------------------------------------------------- use


def register_font(choice: FontChoice) -> str:
    """Register ``choice`` with reportlab (once) and return the name to draw with."""
    from reportlab.pdfbase import pdfmetrics

    if choice.name in pdfmetrics.getRegisteredFontNames():
        return choice.name
    if choice.path is None:
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(choice.name))
        return choice.name
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    try:
        font = TTFont(choice.name, str(choice.path), subfontIndex=choice.subfont_index)
    except (TTFError, OSError, ValueError) as exc:
        raise ConfigError(f"无法载入字体 {choice.path}：{exc}", _CONFIG_HINT) from None
    pdfmetrics.registerFont(font)
    return choice.name


def _stsong_has(char: str) -> bool:
    """Whether STSong-Light can be trusted to show ``char``.

    The CMap reportlab uses (UniGB-UCS2-H) addresses the BMP only, and a viewer draws
    the non-embedded font with whatever Chinese font it has. Every Chinese font covers
    GBK (the Adobe-GB1 collection has done so since Supplement 2), so a character is
    trusted only if GBK can encode it; CJK Extension A/B name characters such as 䶮 or
    𠮷 are reported as missing.
    """
    if ord(char) > 0xFFFF:
        return False
    try:
        char.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def missing_characters(choice: FontChoice, text: str) -> list[str]:
    """Characters of ``text`` the font cannot draw, each once, in order of appearance.

    Control characters (line breaks, tabs) are ignored. Callers must report these:
    reportlab draws a missing glyph as an empty box without raising.
    """
    chars = [c for c in dict.fromkeys(text) if unicodedata.category(c) != "Cc"]
    if choice.path is None:
        return [c for c in chars if not _stsong_has(c)]
    try:
        codepoints = _face(choice.path, choice.subfont_index).codepoints
    except _Unusable as problem:
        raise InputError(f"无法读取字体 {choice.path}：{problem.reason}", _CONFIG_HINT) from None
    return [c for c in chars if ord(c) not in codepoints]
