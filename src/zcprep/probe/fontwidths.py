"""How far a string shown in a PDF font reaches, from the font's dictionary alone.

The ink walk (:mod:`zcprep.probe.ink`) boxes every text run; it needs each run's advance,
cheaply and never too short. Widths come from /Widths (simple fonts) or the CIDFont's /W
(composite fonts with an Identity CMap); a font that gives none is measured generously:
FALLBACK_WIDTH per one-byte code, 1 em per two-byte code, 1 em per byte for a CMap that
is not read here. The font program itself is never parsed.
"""

from __future__ import annotations

import re
from typing import Any

# Advance of a one-byte code whose font gives no widths, in thousandths of an em: more
# than most Latin letters (Helvetica averages about 550), so a run errs long.
FALLBACK_WIDTH = 750.0
_LITERAL = re.compile(rb"\(((?:[^\\)]|\\.)*)\)", re.DOTALL)
_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_ESCAPE = re.compile(rb"\\(.)", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
# A /W range longer than this is not expanded; its width only raises the default.
LONG_RANGE = 512


class FontWidths:
    """Advances of one font: codes of one or two bytes, widths per code (em × 1000)."""

    __slots__ = ("default", "scale", "table", "two_byte", "vertical")

    def __init__(
        self,
        two_byte: bool,
        table: Any,
        default: float,
        scale: float = 0.001,
        vertical: bool = False,
    ) -> None:
        self.two_byte, self.table, self.default = two_byte, table, default
        self.scale, self.vertical = scale, vertical

    def measure(self, data: bytes) -> tuple[float, int, int]:
        """(sum of advances in em, number of codes, number of one-byte spaces).

        A vertical font advances one em down per code, whatever its widths.
        """
        table, default = self.table, self.default
        if not self.two_byte:
            if self.vertical:
                return float(len(data)), len(data), 0
            total = sum(map(table.__getitem__, data)) if table else len(data) * default
            return total * self.scale, len(data), data.count(32)
        count = (len(data) + 1) // 2
        if self.vertical:
            return float(count), count, 0
        if table:
            get = table.get
            total = sum(
                get(data[i] << 8 | data[i + 1], default) for i in range(0, count * 2 - 1, 2)
            )
            total += default * (len(data) % 2)
        else:
            total = count * default
        return total * self.scale, count, 0


UNKNOWN_FONT = FontWidths(False, None, 1000.0)


def font_widths(font: Any) -> FontWidths:
    """The advances of a pikepdf font dictionary, as far as it tells them cheaply.

    Raises whatever a malformed dictionary makes pikepdf raise; the caller falls back to
    :data:`UNKNOWN_FONT`.
    """
    if font is None or not hasattr(font, "get"):
        return UNKNOWN_FONT
    if font.get("/Subtype") == "/Type0":
        return _composite(font)
    scale = 0.001
    if font.get("/Subtype") == "/Type3":
        scale = abs(float(font.get("/FontMatrix")[0])) or 0.001
    descriptor = font.get("/FontDescriptor")
    missing = float(descriptor.get("/MissingWidth", 0)) if hasattr(descriptor, "get") else 0.0
    default = missing if missing > 0 else FALLBACK_WIDTH * 0.001 / scale
    widths = font.get("/Widths")
    if widths is None:
        return FontWidths(False, None, default, scale)
    first = int(font.get("/FirstChar", 0))
    table = [default] * 256
    for code, width in enumerate(_tokens(widths), first):
        if 0 <= code < 256 and isinstance(width, float):
            table[code] = width
    return FontWidths(False, table, default, scale)


def _tokens(array: Any) -> list[float | bytes]:
    """The numbers (and inner brackets) of a pikepdf array, read from its text: far faster
    than converting a few hundred pikepdf numbers one by one."""
    text = array.unparse(resolved=True).replace(b"[", b" [ ").replace(b"]", b" ] ").split()
    if text[:1] != [b"["] or text[-1:] != [b"]"]:
        raise ValueError("not an array")
    try:
        return [token if token in (b"[", b"]") else float(token) for token in text[1:-1]]
    except ValueError:  # an element by reference ("5 0 R"): one by one, flat arrays only
        return [float(value) for value in array]


def _composite(font: Any) -> FontWidths:
    import pikepdf

    encoding = font.get("/Encoding")
    embedded = isinstance(encoding, pikepdf.Stream)  # a CMap of its own, not a named one
    name = str(encoding.get("/CMapName") if embedded else encoding)
    vertical = name.endswith("-V") or (embedded and encoding.get("/WMode") == 1)
    identity = name.startswith("/Identity-")
    if not (identity or "UCS2" in name or "UTF16" in name):
        return FontWidths(False, None, 1000.0, vertical=vertical)  # unknown CMap: 1 em a byte
    cid_font = font.get("/DescendantFonts")[0]
    table, default = cid_widths(cid_font.get("/W"), float(cid_font.get("/DW", 1000)))
    if not identity:  # codes are Unicode, not CIDs: every code as wide as the widest
        table, default = None, max([default, *(table or {}).values()])
    return FontWidths(True, table, default, vertical=vertical)


def cid_widths(array: Any, default: float) -> tuple[dict[int, float] | None, float]:
    """A CIDFont's /W as {CID: width}, and the width of CIDs not listed (``default``,
    raised by the ranges too long to expand, so that it errs wide)."""
    if array is None:
        return None, default
    table: dict[int, float] = {}
    items = _tokens(array)
    i = 0
    while i + 1 < len(items):
        first, second = int(items[i]), items[i + 1]
        if isinstance(second, float):
            last, width = int(second), float(items[i + 2])
            if last - first > LONG_RANGE:
                default = max(default, width)
            else:
                table.update(dict.fromkeys(range(first, last + 1), width))
            i += 3
        else:
            end = items.index(b"]", i + 2)
            table.update((first + k, float(w)) for k, w in enumerate(items[i + 2 : end]))
            i = end + 1
    return table, default


def run_extent(
    font: FontWidths,
    data: bytes,
    adjustments: list[float],
    size: float,
    char_space: float,
    word_space: float,
    scale: float,
) -> tuple[float, float, float]:
    """(advance, lowest reach, highest reach) of a text run along its direction, in text
    space: x for a horizontal font (``scale`` is the horizontal scaling), y (downwards
    negative) for a vertical one; ``adjustments`` are a TJ array's numbers.

    Exact for one string. For a TJ array the reaches add up every move each way (the
    glyphs, the spacing, each adjustment) instead of following the array item by item:
    never short, and one measure for the whole array.
    """
    ems, codes, spaces = font.measure(data)
    parts = [(-ems if font.vertical else ems) * size * scale]
    parts += (codes * char_space * scale, spaces * word_space * scale)
    parts += [-n * 0.001 * size * scale for n in adjustments]
    return sum(parts), sum(p for p in parts if p < 0), sum(p for p in parts if p > 0)


def array_parts(text: bytes, two_byte: bool) -> tuple[bytes, list[float]]:
    """The bytes of all the strings of a TJ array and its numbers, from the array as
    pikepdf unparses it: a few regular-expression passes instead of a pikepdf object per
    item. pikepdf writes a string whose bytes do not all print in hex, and otherwise
    escapes only ``()\\`` and ``\\n\\r\\t\\b\\f``. The order of the strings does not
    change their sum; a string of a two-byte font is made whole codes."""
    literals = _LITERAL.findall(text)
    rest = _LITERAL.sub(b" ", text)
    hexes = [bytes.fromhex(h.decode("ascii")) for h in _HEX.findall(rest)] if b"<" in rest else []
    if hexes:
        rest = _HEX.sub(b" ", rest)
    if any(b"\\" in body for body in literals):
        literals = [_ESCAPE.sub(lambda m: _ESCAPES.get(m[1], m[1]), body) for body in literals]
    strings = literals + hexes
    if two_byte:
        strings = [body + b"\0" if len(body) % 2 else body for body in strings]
    numbers = rest.replace(b"[", b" ").replace(b"]", b" ").split()
    return b"".join(strings), [float(token) for token in numbers]
