"""Reading one font file: what it holds, and whether reportlab can embed it for Chinese.

A file is sniffed (TrueType, CFF 'OTTO', a collection, or not a font at all), each face
read once through fontTools (cached by modification time and size) for its outlines,
weight, licence and character map, and the face to use picked from a collection. A face
that cannot serve raises _Unusable with a Chinese reason, so the search can pass over it
and a configured font can be refused with that reason.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from zcprep.oserrors import os_problem

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

# 页, 证 and 书 exist only in simplified Chinese: Japanese and traditional-only fonts fail.
PROBE_CHARACTERS = "中国第页证书"
_MAX_SUBFONTS = 256
_REGULAR_WEIGHT = 400
# reportlab refuses to subset a font whose OS/2 fsType forbids it (restricted licence
# or bitmap-only embedding) once it has more than 255 glyphs.
_FSTYPE_RESTRICTED = 0x0002
_FSTYPE_NO_SUBSET_MASK = 0x0300
_RL_FULL_EMBED_GLYPHS = 0xFF

Outlines = Literal["truetype", "cff", "none"]


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


def _unreadable(exc: OSError, path: Path | str) -> _Unusable:
    return _Unusable(f"无法读取字体文件：{os_problem(exc, path).reason}", "unreadable")


def _sniff(path: Path) -> tuple[str, int]:
    """('truetype' | 'cff' | 'collection', number of faces); raise _Unusable otherwise."""
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
    except OSError as exc:
        raise _unreadable(exc, path) from None
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
        if isinstance(exc, OSError) and exc.errno is not None:  # the file, not its content
            raise _unreadable(exc, path) from None
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
        raise _unreadable(exc, path) from None
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
