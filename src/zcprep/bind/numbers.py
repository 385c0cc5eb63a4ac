"""Page numbers: their text and position, drawing them, and stamping them on the pages.

One reportlab document holds the 目录 and, for every bound page, a page of its own
visible size carrying only the number, so the whole volume embeds one font; the
:class:`_NumberStamper` then appends each number page's content to its target page,
all sharing that one font object.
"""

from __future__ import annotations

import contextlib
import io
import re
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from zcprep.bind.assemble import _Box, _pdf_number, _stream, _wrap_contents
from zcprep.bind.plan import _Font
from zcprep.bind.toc import TocHeading, TocPlan, draw_toc
from zcprep.errors import InternalError
from zcprep.model.notice import Bind

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader, PdfWriter


MM = 72 / 25.4
NUMBER_BASELINE = 10 * MM  # from the bottom (or top) edge of the visible page
NUMBER_SIDE = 20 * MM  # from the side edge, for outer/right positions
BACKING_PAD = 2.0


def number_text(settings: Bind, n: int) -> str:
    return settings.page_number_format.replace("{n}", str(n))


def number_position(
    settings: Bind, n: int, width: float, height: float, text_width: float
) -> tuple[float, float]:
    """Baseline origin of the number on a visible page of ``width`` × ``height``."""
    side = min(NUMBER_SIDE, width * 0.1)
    baseline = min(NUMBER_BASELINE, height * 0.05)
    position: str = settings.position
    if position == "bottom-outer":
        position = "bottom-right" if n % 2 else "bottom-left"
    if position == "bottom-center":
        return (width - text_width) / 2, baseline
    if position == "bottom-left":
        return side, baseline
    if position == "bottom-right":
        return width - side - text_width, baseline
    return width - side - text_width, height - baseline - settings.font_size  # top-right


def draw_number(
    canvas: Any, settings: Bind, font: str, n: int, width: float, height: float
) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = number_text(settings, n)
    size = settings.font_size
    text_width = stringWidth(text, font, size)
    x, y = number_position(settings, n, width, height, text_width)
    if settings.white_backing:
        canvas.setFillGray(1)
        canvas.rect(
            x - BACKING_PAD,
            y - 0.25 * size - BACKING_PAD,
            text_width + 2 * BACKING_PAD,
            1.15 * size + 2 * BACKING_PAD,
            stroke=0,
            fill=1,
        )
    canvas.setFillGray(0)
    canvas.setFont(font, size)
    canvas.drawString(x, y, text)


def _overlay(
    heading: TocHeading,
    toc: TocPlan | None,
    boxes: list[_Box],
    font: _Font,
    settings: Bind,
) -> tuple[PdfReader, int]:
    """One document: the 目录 pages, then one number page per bound page (and the
    目录's page count)."""
    from pypdf import PdfReader
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    with _binary_streams():
        canvas = Canvas(buffer, invariant=1, pageCompression=1)
        canvas.setTitle(heading.title)
        toc_pages = _draw_overlay(canvas, heading, toc, boxes, font, settings)
        canvas.save()
    return PdfReader(io.BytesIO(buffer.getvalue())), toc_pages


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """reportlab wraps streams in ASCII85 by default: +25 % size, and the time to encode
    it here and decode it again in pypdf was a fifth of the whole bind."""
    from reportlab import rl_config

    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def _draw_overlay(
    canvas: Any,
    heading: TocHeading,
    toc: TocPlan | None,
    boxes: list[_Box],
    font: _Font,
    settings: Bind,
) -> int:
    """Draw the 目录 and the number pages; return the 目录's page count."""
    first, drawn = 1, 0
    if toc is not None:

        def number_toc(c: Any, index: int) -> None:
            if settings.toc_numbered:
                draw_number(c, settings, font.name, index + 1, c._pagesize[0], c._pagesize[1])

        drawn = draw_toc(canvas, heading, toc.rows, font.name, on_page=number_toc)
        if toc.pages and drawn != toc.pages:  # a numbered plan must match, or every range is off
            raise InternalError(f"目录排版前后不一致（{toc.pages} 页 / {drawn} 页）。")
        first = toc.first_number
    for offset, box in enumerate(boxes):
        canvas.setPageSize((box.width, box.height))
        draw_number(canvas, settings, font.name, first + offset, box.width, box.height)
        canvas.showPage()
    return drawn


class _NumberStamper:
    """Appends each number page's content to its target page, sharing one font object.

    The overlay's font resources are copied into the volume once; each target page gets
    them under a name of its own (never clashing with the page's fonts) and its content
    wrapped as ``q <original> Q q <move to CropBox origin> <number> Q``.
    """

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self.opening = _stream(writer, b"q\n")
        self.fonts: dict[int, Any] = {}

    def stamp(self, page: PageObject, number_page: PageObject, box: _Box) -> None:
        from pypdf.generic import NameObject

        content = _overlay_content(number_page)
        resources = _own_dict(page, "/Resources")
        fonts = _own_dict(resources, "/Font")
        overlay_resources: Any = number_page["/Resources"].get_object()
        overlay_fonts = overlay_resources["/Font"].get_object()
        for name in list(overlay_fonts.keys()):
            pattern = re.compile(re.escape(name.encode()) + rb"(?=[\s/\[\]<>()%]|$)")
            if not pattern.search(content):
                continue  # reportlab lists its default Helvetica on every page, unused
            ref = self._font(overlay_fonts.raw_get(name))
            unique = _free_name(fonts, "/ZcNum" + name.lstrip("/"), ref)
            fonts[NameObject(unique)] = ref
            content = pattern.sub(unique.encode(), content)
        move = f"\nQ\nq 1 0 0 1 {_pdf_number(box.left)} {_pdf_number(box.bottom)} cm\n"
        _wrap_contents(
            self.writer,
            page,
            self.opening,
            _stream(self.writer, move.encode("ascii") + content + b"\nQ\n"),
        )

    def _font(self, source: Any) -> Any:
        key = source.idnum
        if key not in self.fonts:
            self.fonts[key] = source.clone(self.writer)
        return self.fonts[key]


def _overlay_content(page: PageObject) -> bytes:
    """The decoded content of a number page (reportlab: one Flate stream).

    Decompressed here directly: pypdf's decoder sets up a guarded decompressor per
    stream, which cost a third of the stamping time on a 300-page volume.
    """
    stream: Any = page["/Contents"].get_object()
    if stream.get("/Filter") == "/FlateDecode" and "/DecodeParms" not in stream:
        return zlib.decompress(stream._data)
    data: bytes = stream.get_data()
    return data


def _own_dict(parent: Any, key: str) -> Any:
    """``parent[key]`` as a dictionary to add to, created when missing or malformed."""
    from pypdf.generic import DictionaryObject, NameObject

    raw = parent.get(key)
    value = raw.get_object() if raw is not None else None
    if not isinstance(value, DictionaryObject):
        value = DictionaryObject()
        parent[NameObject(key)] = value
    return value


def _free_name(fonts: Any, wanted: str, ref: Any) -> str:
    """``wanted``, or wanted-1, -2 … if the page already uses that name for another font."""
    name, index = wanted, 0
    while name in fonts and fonts.raw_get(name) != ref:
        index += 1
        name = f"{wanted}-{index}"
    return name
