"""Scans and photos (JPEG, PNG) as PDF pages, without re-encoding what need not be.

Reading the files is zcprep.probe.image_data's (a JPEG's bytes kept as they are, a phone photo's
EXIF orientation honoured, a PNG decoded only for transparency, 16 bits or
interlacing); here each picture is laid out on a page of its own.

The page is A4 (portrait, or landscape for a landscape picture) unless the image's
DPI says it is an A3 or A4 scan; the picture is fitted with a margin, or fills the page
when it is a full-page scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zcprep.probe.image_data import ORIENTATIONS, EmbeddedImage

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
A3 = (297 * MM, 420 * MM)
MARGIN = 10 * MM
# A picture whose physical size (from its DPI) is this close to A4/A3 is that paper.
PAPER_TOLERANCE = 0.05
# A picture without DPI whose aspect ratio is this close to the page's is a full-page scan.
ASPECT_TOLERANCE = 0.03


@dataclass(frozen=True)
class Placement:
    """Page size and the rectangle the displayed picture fills, in points."""

    page_width: float
    page_height: float
    x: float
    y: float
    width: float
    height: float


# --------------------------------------------------------------------------- placement


def displayed_size(image: EmbeddedImage) -> tuple[int, int]:
    """Pixel size as the viewer should see it (orientations 5–8 swap the sides)."""
    if image.orientation >= 5:
        return image.height, image.width
    return image.width, image.height


def _close(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance * max(a, b)


def _paper_for(natural: tuple[float, float]) -> tuple[float, float] | None:
    width, height = natural
    for short, long in (A4, A3):
        for paper in ((short, long), (long, short)):
            if _close(width, paper[0], PAPER_TOLERANCE) and _close(
                height, paper[1], PAPER_TOLERANCE
            ):
                return paper
    return None


def _fit(width: float, height: float, box_w: float, box_h: float) -> tuple[float, float]:
    scale = min(box_w / width, box_h / height)
    return width * scale, height * scale


def place(image: EmbeddedImage) -> Placement:
    """Where the displayed picture goes, and on what paper (see the module docstring)."""
    shown_w, shown_h = displayed_size(image)
    natural = None
    if image.dpi is not None:
        natural = (shown_w * 72 / image.dpi[0], shown_h * 72 / image.dpi[1])
    paper = _paper_for(natural) if natural else None
    if paper is not None:
        page_w, page_h = paper
        width, height = _fit(shown_w, shown_h, page_w, page_h)
    else:
        page_w, page_h = (A4[1], A4[0]) if shown_w > shown_h else A4
        full_page = natural is None and _close(shown_w / shown_h, page_w / page_h, ASPECT_TOLERANCE)
        box_w, box_h = (page_w, page_h) if full_page else (page_w - 2 * MARGIN, page_h - 2 * MARGIN)
        if natural is not None and natural[0] <= box_w and natural[1] <= box_h:
            width, height = natural
        else:
            width, height = _fit(shown_w, shown_h, box_w, box_h)
    return Placement(page_w, page_h, (page_w - width) / 2, (page_h - height) / 2, width, height)


def image_matrix(placement: Placement, orientation: int) -> tuple[float, ...]:
    """The ``cm`` operands that draw the stored picture upright into the placement."""
    a, b, c, d, e, f = ORIENTATIONS[orientation]
    w, h, x, y = placement.width, placement.height, placement.x, placement.y
    # page X = x + w*u' = x + w*(a u + b v + c); page Y = y + h*(d u + e v + f)
    return (w * a, h * d, w * b, h * e, x + w * c, y + h * f)


def page_content(placement: Placement, orientation: int, name: str = "/Im0") -> bytes:
    numbers = " ".join(_num(v) for v in image_matrix(placement, orientation))
    return f"q {numbers} cm {name} Do Q".encode("ascii")


def _num(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


# --------------------------------------------------------------------------- pikepdf


def image_xobject(pdf: Any, image: EmbeddedImage) -> Any:
    """The picture as an image XObject of ``pdf``, its data kept as it is (a JPEG's
    bytes, a PNG's compressed rows)."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    xobject = pikepdf.Stream(pdf, image.data)
    xobject.Type = Name.XObject
    xobject.Subtype = Name.Image
    xobject.Width = image.width
    xobject.Height = image.height
    xobject.BitsPerComponent = image.bits
    xobject.Filter = Name(image.filter)
    if isinstance(image.color_space, str):
        xobject.ColorSpace = Name(image.color_space)
    else:
        base, alt, hival, palette = image.color_space
        xobject.ColorSpace = Array([Name(base), Name(alt), hival, pikepdf.String(palette)])
    if image.decode is not None:
        xobject.Decode = Array(list(image.decode))
    if image.decode_parms:
        xobject.DecodeParms = Dictionary({k: v for k, v in image.decode_parms.items()})
    return pdf.make_indirect(xobject)


def add_image_page(pdf: Any, image: EmbeddedImage) -> tuple[Any, Placement, bytes]:
    """A new last page of ``pdf`` with the picture in its resources (as /ZcIm): the
    page, where the picture goes on it, and the content that draws it there, upright
    (the caller writes the page's content, with its number)."""
    from pikepdf import Dictionary

    placement = place(image)
    page = pdf.add_blank_page(page_size=(placement.page_width, placement.page_height))
    page.obj.Resources = Dictionary(XObject=Dictionary(ZcIm=image_xobject(pdf, image)))
    return page, placement, page_content(placement, image.orientation, "/ZcIm")
