"""One PDF page: its displayed size, the resolution of a scan drawn over it, a 密级 marking.

A scan's resolution comes from the images the content stream paints and the matrices it
paints them through (a cheap walk over q/Q/cm/Do, not a full parse); the marking from the
text layer, read only where the page has fonts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from zcprep.probe.result import MM_PER_POINT, PageProbe

# An image drawn over at least this share of a page is taken as a scan of the page.
SCAN_COVERAGE = 0.5

MARKING_RE = re.compile(r"(绝密|机密|秘密)\s*★")


def _probe_page(page: Any, number: int) -> PageProbe:
    box = page.cropbox
    width = abs(float(box.width)) * MM_PER_POINT
    height = abs(float(box.height)) * MM_PER_POINT
    rotation = int(page.get("/Rotate", 0) or 0) % 360
    if rotation in (90, 270):
        width, height = height, width
    resources = _resolve(page.get("/Resources"))
    page_area = abs(float(box.width) * float(box.height)) or 1.0
    images, fonts = _paints(resources)
    dpi = _scan_dpi(page, resources, page_area) if images else None
    marking = _marking(page) if fonts else None  # a pure scan has no text layer to read
    return PageProbe(number, round(width, 1), round(height, 1), rotation, dpi, marking)


def _resolve(obj: Any) -> Any:
    return obj.get_object() if hasattr(obj, "get_object") else obj


def _xobjects(resources: Any) -> dict[str, Any]:
    if not resources or "/XObject" not in resources:
        return {}
    table = _resolve(resources["/XObject"]) or {}
    return {str(name): _resolve(table[name]) for name in table}


def _paints(resources: Any, depth: int = 0) -> tuple[bool, bool]:
    """(draws an image?, has a font?) for a resource dictionary and its form XObjects."""
    has_fonts = bool(resources) and "/Font" in resources
    has_images = False
    for xobject in _xobjects(resources).values():
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            has_images = True
        elif subtype == "/Form" and depth < 3:
            images, fonts = _paints(_resolve(xobject.get("/Resources")), depth + 1)
            has_images, has_fonts = has_images or images, has_fonts or fonts
        if has_images and has_fonts:
            break
    return has_images, has_fonts


# Content-stream tokens that move images around: q, Q, cm and Do.
_TOKEN_RE = re.compile(
    rb"(?<![^\s\]\)>])"
    rb"(?:([-+]?[\d.]+)\s+([-+]?[\d.]+)\s+([-+]?[\d.]+)\s+([-+]?[\d.]+)\s+([-+]?[\d.]+)\s+([-+]?[\d.]+)\s+cm"
    rb"|(q)|(Q)|/([^\s/\[\]()<>{}%]+)\s*Do)(?![^\s\[\(/<%])"
)
# Inline images (BI … ID <binary> EI) carry raw bytes that could look like operators.
_INLINE_IMAGE_RE = re.compile(rb"(?<![^\s])BI\s.*?\sID\s.*?\sEI(?![^\s])", re.DOTALL)
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m × n in PDF's row-vector convention (m applied first)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


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
            current = _multiply(step, current)  # type: ignore[arg-type]
        elif match.group(7):
            stack.append(current)
        elif match.group(8):
            current = stack.pop() if stack else ctm
        else:
            xobject = xobjects.get("/" + match.group(9).decode("latin-1"))
            if xobject is None:
                continue
            subtype = xobject.get("/Subtype")
            if subtype == "/Image":
                yield xobject, current
            elif subtype == "/Form" and depth < 3:
                form_matrix = tuple(float(v) for v in xobject.get("/Matrix", _IDENTITY))
                inner = _multiply(form_matrix, current)  # type: ignore[arg-type]
                yield from _drawn_images(
                    xobject.get_data(), _resolve(xobject.get("/Resources")), inner, depth + 1
                )


def _scan_dpi(page: Any, resources: Any, page_area: float) -> float | None:
    """The resolution of the largest image covering most of the page, if any."""
    contents = page.get_contents()
    if contents is None:
        return None
    content = _INLINE_IMAGE_RE.sub(b" ", contents.get_data())
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


def _marking(page: Any) -> str | None:
    """A 密级 marking (绝密★, 机密★, 秘密★) in the page's text layer, if any."""
    text = page.extract_text() or ""
    match = MARKING_RE.search(text)
    return match.group(0).replace(" ", "") if match else None
