"""Drawing with the chosen font: registering it with reportlab, and the characters it lacks.

reportlab draws a character missing from the font as an empty box without raising, so
callers ask missing_characters first and report what it finds. A character the chosen
face lacks but one of its extension faces has (:mod:`zcprep.fonts.fallback`) is not
missing: the font registered under the choice's name draws it from that face.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from zcprep.errors import ConfigError, InputError
from zcprep.fonts.choice import _CONFIG_HINT, FontChoice
from zcprep.fonts.fallback import face_coverage, register_composite
from zcprep.fonts.files import _Unusable
from zcprep.fonts.memo import coverage


def register_font(choice: FontChoice) -> str:
    """Register ``choice`` with reportlab (once) and return the name to draw with."""
    from reportlab.pdfbase import pdfmetrics

    if choice.name in pdfmetrics.getRegisteredFontNames():
        return choice.name
    if choice.extensions:
        main = register_font(replace(choice, name=choice.base_name, extensions=()))
        register_composite(choice.name, pdfmetrics.getFont(main), choice.extensions)
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
        codepoints = coverage(choice.path, choice.subfont_index)
    except _Unusable as problem:
        raise InputError(f"无法读取字体 {choice.path}：{problem.reason}", _CONFIG_HINT) from None
    lacking = [c for c in chars if ord(c) not in codepoints]
    for face in choice.extensions if lacking else ():
        points = face_coverage(face)
        lacking = [c for c in lacking if ord(c) not in points]
    return lacking
