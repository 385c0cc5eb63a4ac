"""Extension faces for rare characters the main face lacks (𠮷, 䶮 in names).

Windows ships SimSun-ExtB (``simsunb.ttf``: CJK Extension B and beyond) and, since
Windows 10, ``SimsunExtG.ttf`` (Extension G); the common 仿宋 and 宋体 faces stop at the
BMP. Elsewhere a few TrueType fonts cover Extension A/B: 花園明朝 (HanaMin) and BabelStone
Han. Noto/Source Han CJK have CFF outlines, which reportlab cannot embed: they are not
listed. A character the main face lacks is drawn in the first of these that has it,
through one composite reportlab font (:func:`register_composite`), so every width and
every line break measures each character in the face that draws it. These faces lack
common Chinese, so they are judged by their outlines and licence only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Container, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from zcprep.errors import ConfigError
from zcprep.fonts import search
from zcprep.fonts.files import _face, _reportlab_check, _sniff, _Unusable
from zcprep.fonts.memo import coverage

# Best first: Windows' own, then the free fonts known to cover Extension A/B in glyf.
EXTENSION_FONT_FILES: tuple[str, ...] = (
    "simsunb.ttf",
    "SimsunExtG.ttf",
    "HanaMinA.ttf",
    "HanaMinB.ttf",
    "BabelStoneHan.ttf",
)
_NBSP = 0xA0
_FIRST_CJK = 0x3400  # CJK Extension A: a face without anything from here on is no help


@dataclass(frozen=True)
class ExtensionFace:
    """One extension face: a file and the index of the face in it."""

    path: Path
    subfont_index: int = 0


def find_extension_faces(dirs: Sequence[Path] | None = None) -> tuple[ExtensionFace, ...]:
    """The usable extension faces under ``dirs`` (the platform's font folders if None)."""
    folders = search.default_font_dirs() if dirs is None else tuple(dirs)
    found = []
    for path in search.named_font_files(folders, EXTENSION_FONT_FILES):
        index = _usable_index(path)
        if index is not None:
            found.append(ExtensionFace(path, index))
    return tuple(found)


def _usable_index(path: Path) -> int | None:
    """The first face of ``path`` reportlab can embed that maps rare CJK, or None."""
    try:
        _kind, count = _sniff(path)
        for index in range(count):
            face = _face(path, index)
            rare = any(point >= _FIRST_CJK for point in face.codepoints)
            if face.outlines == "truetype" and not face.restricted and rare:
                _reportlab_check(path, index)
                return index
    except _Unusable:
        return None
    return None


def extension_tag(faces: Sequence[ExtensionFace]) -> str:
    """A short tag naming the set of faces, for the composite's reportlab name."""
    text = "|".join(f"{face.path.absolute()}#{face.subfont_index}" for face in faces)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def face_coverage(face: ExtensionFace) -> Container[int]:
    """The code points ``face`` maps (empty if it can no longer be read)."""
    try:
        return coverage(face.path, face.subfont_index)
    except _Unusable:
        return frozenset()


# --------------------------------------------------------------------------- drawing


def register_composite(name: str, main: Any, faces: Sequence[ExtensionFace]) -> None:
    """Register ``name``: the reportlab TTFont ``main``, with each character it lacks
    drawn from the first of ``faces`` that has it."""
    from reportlab.pdfbase import pdfmetrics

    extras = [_Extra(face, f"{name}-x{n}") for n, face in enumerate(faces)]
    pdfmetrics.registerFont(_composite_class()(name, main, extras))


class _Extra:
    """An extension face, loaded by reportlab only when a character needs it."""

    def __init__(self, face: ExtensionFace, name: str) -> None:
        self.face, self.name = face, name
        self.points = face_coverage(face)
        self._font: Any = None

    def font(self) -> Any:
        if self._font is None:
            from reportlab.pdfbase.ttfonts import TTFError

            path, index = str(self.face.path), self.face.subfont_index
            try:
                self._font = _extension_class()(self.name, path, subfontIndex=index)
            except (TTFError, OSError, ValueError) as exc:
                raise ConfigError(
                    f"无法载入生僻字字体 {path}：{exc}", "请修复或删除该字体文件后重新运行"
                ) from None
        return self._font


class _RenamedFace:
    """The main face under a name of its own: reportlab maps fonts sharing a face name to
    the first one registered, which would drop the extension faces."""

    def __init__(self, face: Any, tag: str) -> None:
        self._face = face
        self.name = face.name + b"+" + tag.encode("ascii", "replace")

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._face, attribute)


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode CMap with each character as UTF-16: reportlab writes
    U+20BB7 as the odd <20BB7>, and a viewer then cannot copy or search 𠮷."""
    entries = [
        f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>" for i, v in enumerate(subset)
    ]
    head = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
    ]
    tail = ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(head + entries + tail)


@lru_cache(maxsize=1)
def _extension_class() -> type:
    from reportlab.pdfbase import ttfonts

    class ExtensionFont(ttfonts.TTFont):
        """A TTFont whose subsets map characters beyond the BMP to text correctly."""

        def addObjects(self, doc: Any) -> None:
            original = ttfonts.makeToUnicodeCMap
            ttfonts.makeToUnicodeCMap = _to_unicode_cmap
            try:
                super().addObjects(doc)
            finally:
                ttfonts.makeToUnicodeCMap = original

    return ExtensionFont


@lru_cache(maxsize=1)
def _composite_class() -> type:
    from reportlab.pdfbase.ttfonts import TTFont

    class CompositeFont(TTFont):
        """Widths and subsets per run of characters, each run in the face that has it;
        a subset is (face number, subset of that face), 0 being the main face."""

        def __init__(self, name: str, main: Any, extras: list[_Extra]) -> None:
            self.fontName = name
            self.main, self.extras = main, extras
            self.face = _RenamedFace(main.face, name)
            self.encoding = main.encoding
            self.state = main.state
            self._asciiReadable = main._asciiReadable
            self.shapable = False

        def _runs(self, text: str | bytes) -> list[tuple[int, str]]:
            if isinstance(text, bytes):
                text = text.decode("utf-8")
            runs: list[tuple[int, str]] = []
            for char in text:
                which = self._which(ord(char))
                if runs and runs[-1][0] == which:
                    runs[-1] = (which, runs[-1][1] + char)
                else:
                    runs.append((which, char))
            return runs

        def _which(self, point: int) -> int:
            if point == _NBSP or point in self.main.face.charToGlyph:
                return 0  # reportlab draws U+00A0 as the main face's space
            for n, extra in enumerate(self.extras, start=1):
                if point in extra.points:
                    return n
            return 0  # no face has it: the main face's empty box, as before

        def _font(self, which: int) -> Any:
            return self.main if which == 0 else self.extras[which - 1].font()

        def stringWidth(self, text: str | bytes, size: float, encoding: str = "utf8") -> float:
            return float(sum(self._font(n).stringWidth(t, size) for n, t in self._runs(text)))

        def splitString(self, text: str | bytes, doc: Any, encoding: str = "utf-8") -> Any:
            return [
                ((n, subset), chunk)
                for n, run in self._runs(text)
                for subset, chunk in self._font(n).splitString(run, doc)
            ]

        def getSubsetInternalName(self, subset: Any, doc: Any) -> str:
            which, number = subset
            return str(self._font(which).getSubsetInternalName(number, doc))

        def addObjects(self, doc: Any) -> None:
            """Nothing of its own: each face it drew with writes its own subsets."""

    return CompositeFont
