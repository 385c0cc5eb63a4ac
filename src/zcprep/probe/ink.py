"""Where a PDF page paints (its "ink"), so that a page number goes where the page is blank.

bind draws the number in a band the page leaves empty, shrinks the content a little
where the band is not empty, and keeps a white box behind the number for full-page scans
only. That needs one box per page: everything painted, measured from the content stream
(not a rendering: the probe computes it once per file, and it is cached). The box errs on
the large side: a number over a signature line is the bug; shrinking a page that did not
need it is not.

What paints: shown text in any render mode but 3 (invisible, the OCR layer of a scan) and
7 (clip only), each run boxed from the text position (widths from the font where it has
them, else a generous em per code) from -0.3 to +1 em around the baseline; filled or
stroked paths (stroked ones grown by the line width, also one set by ``gs``); images and
inline images (the unit square through the CTM); form XObjects, walked with their
/Matrix and clipped to their /BBox; shadings (the whole current clip); annotations that
show (their /Rect). Fills, strokes and text in pure white (gray 1, RGB 1 1 1, CMYK
0 0 0 0, also through ICC spaces) do not count: Word and WPS paint a white page first.
Clips count through the box of the clipping path, and everything is clipped to the
MediaBox. Once the page is painted edge to edge the walk stops (a scan's OCR layer is
never walked).

Coordinates are the page's default user space (that of /MediaBox) *before* /Rotate: on a
page shown turned by 90°, the displayed bottom band is a side band here; the caller maps
bands through the rotation (and through the CropBox, if it shows less).

A page that cannot be read through gives ``exact=False`` and the whole MediaBox: a parse
warning, a stream that ends inside an operator, a number where a string must be, a form
that draws itself or is nested deeper than MAX_DEPTH, more than MAX_OPERATIONS operators
or MAX_CONTENT_BYTES of content (inline image data aside).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from zcprep.probe.boxes import Box, box_of, intersect, union
from zcprep.probe.fontwidths import FontWidths
from zcprep.probe.inkwalk import OPERATORS, ContentWalker, Inexact, PageFull

LETTER: Box = (0.0, 0.0, 612.0, 792.0)
# A page whose content (inline image data aside) is larger than this is taken as full:
# a vector map, whose walk would cost seconds and hundreds of MB.
MAX_CONTENT_BYTES = 1 << 20
# Annotation flags that keep an annotation from showing: Hidden, NoView.
_HIDDEN_FLAGS = 2 | 32
_INLINE_IMAGE = re.compile(rb"(?<![^\s])BI\s.*?\sID\s.*?\sEI(?![^\s])", re.DOTALL)
# A complete stream ends with an operator (1–3 letters after a delimiter), not an operand.
_OPERATOR_END = re.compile(rb"(?:\A|[\s)>\]}])[A-Za-z'\"][A-Za-z0-9*'\"]{0,2}\Z")


@dataclass(frozen=True)
class Ink:
    """Where a page paints.

    ``bbox`` is (x0, y0, x1, y1) of everything painted, in default user space before
    /Rotate, within the MediaBox; None when the page paints nothing visible.
    ``scan_cover`` is the share (0..1) of the MediaBox the largest image covers.
    ``exact`` is False when the content could not be read through: ``bbox`` is then the
    whole MediaBox.
    """

    bbox: Box | None
    scan_cover: float
    exact: bool


def page_ink(
    page: Any, content: bytes | None = None, fonts: dict[Any, FontWidths] | None = None
) -> Ink:
    """Where a pikepdf page paints.

    ``content`` is the page's decoded content if the caller has read it already (all its
    streams joined, as :func:`zcprep.probe.page.page_content` gives it). ``fonts`` is a
    dict the caller keeps for the pages of one PDF (never across PDFs), so that each font's
    widths are read once per file.
    """
    import pikepdf

    media = _mediabox_of(page)
    with pikepdf.new() as scratch:
        walker = ContentWalker(media, _parser(scratch), {} if fonts is None else fonts)
        try:
            resources = page.obj.get("/Resources")
            data = _page_bytes(page) if content is None else content
            walker.run(walker.parse(data), resources)
            boxes = list(_annotation_boxes(page.obj.get("/Annots"), media))
        except PageFull:
            return Ink(media, walker.cover, True)
        except Exception:  # noqa: BLE001 - unreadable content is the whole page, never a crash
            return Ink(media, walker.cover, False)
    ink = walker.ink
    for box in boxes:
        ink = union(ink, box)
    return Ink(ink, walker.cover, True)


def _parser(scratch: Any) -> Callable[[bytes], list[Any]]:
    """Content streams to instructions, parsed in ``scratch``: a PDF of our own, so the
    parse's warnings are ours alone (and never the file's repair notes)."""
    import pikepdf

    def parse(data: bytes) -> list[Any]:
        """Inexact where the stream is cut, damaged or too large to walk."""
        size = len(data)
        if size > MAX_CONTENT_BYTES and len(_INLINE_IMAGE.sub(b"", data)) > MAX_CONTENT_BYTES:
            raise Inexact
        if not _complete(data):
            raise Inexact
        stream = pikepdf.Stream(scratch, data)
        with warnings.catch_warnings(record=True) as caught:  # pikepdf's own, in Python
            warnings.simplefilter("always")
            instructions: list[Any] = pikepdf.parse_content_stream(stream, OPERATORS)
        if caught or scratch.get_warnings():
            raise Inexact
        return instructions

    return parse


def _complete(data: bytes) -> bool:
    """Whether a content stream ends with an operator (a cut stream ends in an operand).

    A comment at the end is set aside first (unless a string may be open on its line).
    """
    tail = data[-512:].rstrip(b" \t\r\n\f\x00")
    while b"%" in tail:
        start = max(tail.rfind(b"\n"), tail.rfind(b"\r")) + 1
        comment = tail.find(b"%", start)
        if comment < 0 or b"(" in tail[start:comment]:
            break
        tail = tail[:comment].rstrip(b" \t\r\n\f\x00")
    return not tail or _OPERATOR_END.search(tail) is not None


def _mediabox_of(page: Any) -> Box:
    try:
        box = box_of(page.mediabox)
    except Exception:  # noqa: BLE001 - a page without a usable MediaBox shows as Letter
        box = None
    return box or LETTER


def _page_bytes(page: Any) -> bytes:
    import pikepdf

    raw = page.obj.get("/Contents")
    streams = list(raw) if isinstance(raw, pikepdf.Array) else [raw]
    return b"\n".join(s.read_bytes() for s in streams if isinstance(s, pikepdf.Stream))


def _annotation_boxes(annots: Any, media: Box) -> Iterator[Box]:
    """The /Rect of each annotation that shows (a link only with an appearance of its
    own), within the MediaBox. Viewers draw annotations over the page's content."""
    import pikepdf

    if not isinstance(annots, pikepdf.Array):
        return
    for annot in annots:
        try:
            subtype, flags = annot.get("/Subtype"), int(annot.get("/F", 0))
            if subtype == "/Popup" or flags & _HIDDEN_FLAGS:
                continue
            if subtype == "/Link" and "/AP" not in annot:
                continue
            rect = box_of(annot.get("/Rect"))
        except (AttributeError, TypeError, ValueError):
            continue
        drawn = intersect(media, rect) if rect is not None else None
        if drawn is not None:
            yield drawn
