"""标点挤压: how far a full-width mark may close up, measured on the font's own glyph.

A full-width opening bracket draws its ink in the right half of its em box, a closing
bracket or a pause mark (，。、) in the left half; the blank half may be taken away when a
line is a few points too long (a whole ID number that would otherwise start line 2).
How much blank there is depends on the font (WenQuanYi and traditional-Chinese fonts
centre their commas), so it is read from the glyph's outline box: what the blank side
has more than the inked side, at most half an em. A centred mark is never closed up:
it would sit against the next character.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from typing import Any

OPENING = "（《「『【〈〔〖"
CLOSING = "）》」』】〉〕〗，。、；："
MAX_CLOSE_UP_EM = 0.5


@lru_cache(maxsize=16)
def punctuation_room(font: str) -> dict[str, float]:
    """Mark → how much of its blank side (in ems) may be closed up: the left side of an
    opening mark, the right side of a closing one, by what it has beyond the other. Empty for a font whose outlines
    cannot be read (reportlab's built-in CID font): nothing is then closed up."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.pdfmetrics import stringWidth

    face = pdfmetrics.getFont(font).face
    if not hasattr(face, "get_table_pos"):
        return {}
    try:
        boxes = _glyph_extents(face, OPENING + CLOSING)
    except (KeyError, IndexError, TypeError, ValueError, struct.error):
        return {}
    room: dict[str, float] = {}
    for char, (x_min, x_max) in boxes.items():
        left, right = x_min, stringWidth(char, font, 1) - x_max
        blank = left - right if char in OPENING else right - left
        if blank > 0:
            room[char] = min(blank, MAX_CLOSE_UP_EM)
    return room


def _glyph_extents(face: Any, chars: str) -> dict[str, tuple[float, float]]:
    """(x min, x max) in ems of each character's outline, from reportlab's parsed face."""
    head = face.get_table("head")
    long_offsets = struct.unpack(">h", head[50:52])[0] == 1
    loca, _length = face.get_table_pos("loca")
    glyf, _length = face.get_table_pos("glyf")
    units = float(face.unitsPerEm)
    extents: dict[str, tuple[float, float]] = {}
    for char in chars:
        glyph = face.charToGlyph.get(ord(char))
        if not glyph:
            continue
        if long_offsets:
            start, end = struct.unpack(">II", face.get_chunk(loca + 4 * glyph, 8))
        else:
            start, end = (2 * v for v in struct.unpack(">HH", face.get_chunk(loca + 2 * glyph, 4)))
        if end <= start:
            continue  # an empty glyph: nothing drawn, nothing to measure
        x_min, _y_min, x_max = struct.unpack(">hhh", face.get_chunk(glyf + start + 2, 6))
        extents[char] = (x_min / units, x_max / units)
    return extents
