"""One PDF page: its boxes and displayed size, where it paints, the resolution of a scan
drawn over it, a 密级 marking.

The page is a pikepdf page (the engine bind copies pages with, so both read it the same
way). A scan's resolution comes from the images the content stream paints and the
matrices it paints them through (a cheap walk over q/Q/cm/Do, not a full parse); where
the page paints (its "ink") from :mod:`zcprep.probe.ink`; the marking from pypdf's text
extraction, done by the caller only where the page has fonts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from zcprep.probe.boxes import IDENTITY, Box, Matrix, box_of, multiply
from zcprep.probe.result import MM_PER_POINT, PageProbe

# An image drawn over at least this share of a page is taken as a scan of the page.
SCAN_COVERAGE = 0.5

MARKING_RE = re.compile(r"(绝密|机密|秘密)\s*★")


class BrokenContent(Exception):
    """A page's content stream cannot be decoded at all (it would show blank)."""


def page_boxes(page: Any) -> tuple[Box, Box, int]:
    """(MediaBox, visible box, rotation) of a pikepdf page, in points.

    The visible box is the CropBox within the MediaBox (a nonsense CropBox falls back to
    the MediaBox); the rotation is /Rotate normalised to 0/90/180/270 (anything else,
    which viewers ignore, is 0).
    """
    media = box_of(page.mediabox) or (0.0, 0.0, 612.0, 792.0)
    crop = box_of(page.cropbox) or media
    visible = (
        max(media[0], crop[0]),
        max(media[1], crop[1]),
        min(media[2], crop[2]),
        min(media[3], crop[3]),
    )
    if visible[2] - visible[0] < 1 or visible[3] - visible[1] < 1:
        visible = media
    try:
        rotation = int(page.rotation) % 360
    except (TypeError, ValueError):
        rotation = 0
    return media, visible, rotation if rotation % 90 == 0 else 0


def page_content(page: Any) -> bytes:
    """The page's decoded content (all its streams, joined as viewers join them).

    Raises :class:`BrokenContent` when a stream has data but decodes to nothing.
    """
    import pikepdf

    raw = page.obj.get("/Contents")
    if raw is None:
        return b""
    streams = list(raw) if isinstance(raw, pikepdf.Array) else [raw]
    parts = []
    for stream in streams:
        if not isinstance(stream, pikepdf.Stream):
            continue
        try:
            data = stream.read_bytes()
        except pikepdf.PdfError:
            data = b""
        length: Any = stream.get("/Length")
        if not data and length is not None and int(length) > 0:
            raise BrokenContent
        parts.append(data)
    return b"\n".join(parts)


def probe_page(
    page: Any, number: int, content: bytes, fonts: dict[Any, Any] | None = None
) -> PageProbe:
    """What a reviewer meets on one page (the marking is filled in by the caller).

    ``fonts`` is kept for all pages of one file: each font's widths are read once."""
    from zcprep.probe.ink import page_ink

    media, visible, rotation = page_boxes(page)
    width = (visible[2] - visible[0]) * MM_PER_POINT
    height = (visible[3] - visible[1]) * MM_PER_POINT
    if rotation in (90, 270):
        width, height = height, width
    resources = page.obj.get("/Resources")
    page_area = (visible[2] - visible[0]) * (visible[3] - visible[1]) or 1.0
    images, has_fonts = _paints(resources)
    dpi = _scan_dpi(content, resources, page_area) if images else None
    ink = page_ink(page, content, fonts)
    return PageProbe(
        number,
        round(width, 1),
        round(height, 1),
        rotation,
        dpi,
        None,
        media=media,
        visible=visible,
        ink=ink.bbox,
        ink_exact=ink.exact,
        scan_cover=round(ink.scan_cover, 3),
        has_fonts=has_fonts,
    )


def _xobjects(resources: Any) -> dict[str, Any]:
    try:
        table = resources.get("/XObject") if resources is not None else None
        return {str(name): value for name, value in table.items()} if table is not None else {}
    except (AttributeError, TypeError, ValueError, KeyError):
        return {}


def _paints(resources: Any, depth: int = 0) -> tuple[bool, bool]:
    """(draws an image?, has a font?) for a resource dictionary and its form XObjects."""
    try:
        has_fonts = resources is not None and "/Font" in resources
    except TypeError:
        has_fonts = False
    has_images = False
    for xobject in _xobjects(resources).values():
        subtype = _get(xobject, "/Subtype")
        if subtype == "/Image":
            has_images = True
        elif subtype == "/Form" and depth < 3:
            images, fonts = _paints(_get(xobject, "/Resources"), depth + 1)
            has_images, has_fonts = has_images or images, has_fonts or fonts
        if has_images and has_fonts:
            break
    return has_images, has_fonts


def _get(obj: Any, key: str) -> Any:
    try:
        return obj.get(key)
    except (AttributeError, TypeError, ValueError):
        return None


# Content-stream tokens that move images around: q, Q, cm and Do.
_TOKEN_RE = re.compile(
    rb"(?<![^\s\]\)>])"
    rb"(?:([-+]?[\d.]+)\s+([-+]?[\d.]+)\s+([-+]?[\d.]+)\s+([-+]?[\d.]+)\s+([-+]?[\d.]+)\s+([-+]?[\d.]+)\s+cm"
    rb"|(q)|(Q)|/([^\s/\[\]()<>{}%]+)\s*Do)(?![^\s\[\(/<%])"
)
# Inline images (BI … ID <binary> EI) carry raw bytes that could look like operators.
_INLINE_IMAGE_RE = re.compile(rb"(?<![^\s])BI\s.*?\sID\s.*?\sEI(?![^\s])", re.DOTALL)
_IDENTITY: Matrix = IDENTITY


def _drawn_images(
    content: bytes, resources: Any, ctm: Matrix, depth: int = 0
) -> Iterator[tuple[Any, Matrix]]:
    """Each image XObject painted by ``content`` with the matrix it is painted through.

    A regular-expression walk over q/Q/cm/Do is enough for scans (a handful of operators)
    and far cheaper than a full content-stream parse of text-heavy pages.
    """
    xobjects = _xobjects(resources)
    stack: list[Matrix] = []
    current = ctm
    for match in _TOKEN_RE.finditer(content):
        if match.group(1) is not None:
            try:
                step = tuple(float(match.group(i)) for i in range(1, 7))
            except ValueError:
                continue
            current = multiply(step, current)  # type: ignore[arg-type]
        elif match.group(7):
            stack.append(current)
        elif match.group(8):
            current = stack.pop() if stack else ctm
        else:
            xobject = xobjects.get("/" + match.group(9).decode("latin-1"))
            if xobject is None:
                continue
            subtype = _get(xobject, "/Subtype")
            if subtype == "/Image":
                yield xobject, current
            elif subtype == "/Form" and depth < 3:
                try:
                    form_matrix = tuple(float(v) for v in xobject.get("/Matrix", _IDENTITY))
                    data = xobject.read_bytes()
                except Exception:  # noqa: BLE001 - a broken form paints nothing here
                    continue
                inner = multiply(form_matrix, current)  # type: ignore[arg-type]
                yield from _drawn_images(data, _get(xobject, "/Resources"), inner, depth + 1)


def _scan_dpi(content: bytes, resources: Any, page_area: float) -> float | None:
    """The resolution of the largest image covering most of the page, if any."""
    content = _INLINE_IMAGE_RE.sub(b" ", content)
    best: tuple[float, float] | None = None
    for image, matrix in _drawn_images(content, resources, _IDENTITY):
        a, b, c, d, _, _ = matrix
        drawn_w, drawn_h = math.hypot(a, b), math.hypot(c, d)
        area = drawn_w * drawn_h
        if area < SCAN_COVERAGE * page_area or drawn_w <= 0 or drawn_h <= 0:
            continue
        try:
            px_w, px_h = int(image["/Width"]), int(image["/Height"])
        except (KeyError, TypeError, ValueError):
            continue
        dpi = min(px_w / (drawn_w / 72), px_h / (drawn_h / 72))
        if best is None or area > best[0]:
            best = (area, dpi)
    return round(best[1], 1) if best else None


def marking_in(text: str) -> str | None:
    """A 密级 marking (绝密★, 机密★, 秘密★) in a page's text, if any."""
    match = MARKING_RE.search(text)
    return match.group(0).replace(" ", "") if match else None
