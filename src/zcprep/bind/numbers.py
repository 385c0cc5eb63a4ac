"""Page numbers and the preview mark: their text and position, and the content streams
that draw them.

reportlab draws the 目录 and, on one extra page, every character a number or the
preview mark needs (the "sampler"); reading that page back tells which embedded font
subset and which code draws each character. Numbers are then written straight into
each page's own content stream with those codes: one embedded font for the whole
volume, no page of reportlab per bound page, a few dozen bytes per page.
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from zcprep.bind.layout import Box
from zcprep.bind.toc import TocHeading, TocPlan, draw_toc
from zcprep.errors import InternalError
from zcprep.model.notice import Bind

MM = 72 / 25.4
NUMBER_BASELINE = 10 * MM  # from the bottom (or top) edge of the visible page
NUMBER_SIDE = 20 * MM  # from the side edge, for outer/right positions
BACKING_PAD = 2.0
BAND_PAD = 2 * MM  # the number's band reaches this far around its glyphs
PREVIEW_MARK = "预览稿 不得报送"
PREVIEW_GRAY = 0.55
PREVIEW_OPACITY = 0.3
DIGITS = "0123456789"


def number_text(settings: Bind, n: int) -> str:
    return settings.page_number_format.replace("{n}", str(n))


def number_position(
    settings: Bind, n: int, width: float, height: float, text_width: float
) -> tuple[float, float]:
    """Baseline origin of the number on a sheet of ``width`` × ``height``."""
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


def number_box(settings: Bind, x: float, y: float, text_width: float) -> Box:
    """The glyphs' box around the baseline origin (x, y)."""
    size = settings.font_size
    return (x, y - 0.25 * size, x + text_width, y + 0.9 * size)


def band_of(box: Box, width: float) -> Box:
    """The band the number needs kept free: its box, padded, across its half of the page."""
    return (
        max(0.0, box[0] - 4 * BAND_PAD),
        max(0.0, box[1] - BAND_PAD),
        min(width, box[2] + 4 * BAND_PAD),
        box[3] + BAND_PAD,
    )


def draw_number(
    canvas: Any, settings: Bind, font: str, n: int, width: float, height: float
) -> None:
    """A number drawn by reportlab (the numbered 目录's own pages)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = number_text(settings, n)
    x, y = number_position(settings, n, width, height, stringWidth(text, font, settings.font_size))
    canvas.setFillGray(0)
    canvas.setFont(font, settings.font_size)
    canvas.drawString(x, y, text)


# --------------------------------------------------------------------------- glyphs


@dataclass
class Glyphs:
    """Which font resource and code draw each character, and the fonts themselves."""

    font: str  # the reportlab name, for widths
    codes: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    fonts: dict[str, Any] = field(default_factory=dict)  # resource name → font object

    def width(self, text: str, size: float) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return float(stringWidth(text, self.font, size))

    def runs(self, text: str) -> list[tuple[str, bytes]]:
        """(font resource, codes) runs that draw ``text`` (characters without a glyph
        in the sampler are left out: the 目录's glyph check has warned already)."""
        runs: list[tuple[str, bytes]] = []
        for char in text:
            found = self.codes.get(char)
            if found is None:
                continue
            name, code = found
            if runs and runs[-1][0] == name:
                runs[-1] = (name, runs[-1][1] + code)
            else:
                runs.append((name, code))
        return runs

    def text_ops(self, text: str, size: float, matrix: str) -> bytes:
        """``BT <matrix> Tm … ET`` drawing ``text`` at ``size``."""
        parts = [f"BT {matrix} Tm"]
        for name, code in self.runs(text):
            parts.append(f"{name} {_num(size)} Tf <{code.hex()}> Tj")
        parts.append("ET")
        return " ".join(parts).encode("ascii")


def sampler_text(settings: Bind, preview: bool) -> str:
    """Every character the numbers (and the preview mark) are written with."""
    chars = set(settings.page_number_format.replace("{n}", "")) | set(DIGITS)
    if preview:
        chars |= set(PREVIEW_MARK)
    return "".join(sorted(chars))


def read_sampler(page: Any, alphabet: str, font: str, fonts_to: Any) -> Glyphs:
    """The glyph codes of ``alphabet``, drawn one character per text object on
    ``page`` (a pikepdf page of the overlay), with its fonts copied by ``fonts_to``."""
    import pikepdf

    shown: list[tuple[str, bytes]] = []
    current = ""
    instructions: list[Any] = list(pikepdf.parse_content_stream(page, "Tf Tj TJ"))
    for operands, operator in instructions:
        name = str(operator)
        if name == "Tf":
            current = str(operands[0])
        elif name == "Tj":
            shown.append((current, bytes(operands[0])))
        else:  # TJ: strings and kerning numbers
            data = b"".join(bytes(v) for v in operands[0] if isinstance(v, pikepdf.String))
            shown.append((current, data))
    if len(shown) != len(alphabet):
        raise InternalError(f"页码字形读取失败（{len(shown)} / {len(alphabet)}）。")
    glyphs = Glyphs(font)
    resources = page.obj.Resources.Font
    local: dict[str, str] = {}
    for char, (resource, code) in zip(alphabet, shown, strict=True):
        if resource not in local:
            local[resource] = f"/ZcNum{len(local)}"
            glyphs.fonts[local[resource]] = fonts_to(resources[resource])
        glyphs.codes[char] = (local[resource], code)
    return glyphs


# --------------------------------------------------------------------------- overlay


def overlay_pdf(
    heading: TocHeading,
    toc: TocPlan | None,
    font: str,
    settings: Bind,
    alphabet: str,
) -> tuple[bytes, int]:
    """The 目录 pages and, last, the sampler page, as one PDF (and the 目录's pages)."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    with _binary_streams():
        canvas = Canvas(buffer, invariant=1, pageCompression=1)
        canvas.setTitle(heading.title)
        drawn = 0
        if toc is not None:

            def number_toc(c: Any, index: int) -> None:
                if settings.toc_numbered:
                    draw_number(c, settings, font, index + 1, c._pagesize[0], c._pagesize[1])

            drawn = draw_toc(canvas, heading, toc.rows, font, on_page=number_toc)
            if toc.pages and drawn != toc.pages:  # a numbered plan must match
                raise InternalError(f"目录排版前后不一致（{toc.pages} 页 / {drawn} 页）。")
        canvas.setFont(font, 10)
        for char in alphabet:
            canvas.drawString(10, 10, char)
        canvas.showPage()
        canvas.save()
    return buffer.getvalue(), drawn


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """reportlab wraps streams in ASCII85 by default: +25 % size for nothing."""
    from reportlab import rl_config

    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


# --------------------------------------------------------------------------- stamps


def number_ops(
    glyphs: Glyphs, settings: Bind, n: int, width: float, height: float, backing: bool
) -> tuple[bytes, Box]:
    """The content that draws number ``n`` on a sheet (on a white box with
    ``backing``), and the band it needs kept free."""
    text = number_text(settings, n)
    size = settings.font_size
    text_width = glyphs.width(text, size)
    x, y = number_position(settings, n, width, height, text_width)
    box = number_box(settings, x, y, text_width)
    parts = [b"q"]
    if backing:
        parts.append(
            (
                f"1 g {_num(box[0] - BACKING_PAD)} {_num(box[1] - BACKING_PAD)} "
                f"{_num(box[2] - box[0] + 2 * BACKING_PAD)} "
                f"{_num(box[3] - box[1] + 2 * BACKING_PAD)} re f"
            ).encode("ascii")
        )
    parts.append(b"0 g")
    parts.append(glyphs.text_ops(text, size, f"1 0 0 1 {_num(x)} {_num(y)}"))
    parts.append(b"Q")
    return b"\n".join(parts), band_of(box, width)


def preview_ops(glyphs: Glyphs, width: float, height: float) -> bytes:
    """A light diagonal "预览稿 不得报送" across the sheet (drawn over its content)."""
    angle = math.atan2(height, width)
    cos, sin = math.cos(angle), math.sin(angle)
    unit = glyphs.width(PREVIEW_MARK, 1.0) or 1.0
    size = min(0.7 * math.hypot(width, height) / unit, 96.0)
    half = glyphs.width(PREVIEW_MARK, size) / 2
    x = width / 2 - half * cos + 0.35 * size * sin
    y = height / 2 - half * sin - 0.35 * size * cos
    matrix = " ".join(_num(v) for v in (cos, sin, -sin, cos, x, y))
    return b"\n".join(
        [
            b"q /ZcPreview gs",
            f"{PREVIEW_GRAY} g".encode("ascii"),
            glyphs.text_ops(PREVIEW_MARK, size, matrix),
            b"Q",
        ]
    )


def preview_state(pdf: Any) -> Any:
    from pikepdf import Dictionary, Name

    return pdf.make_indirect(
        Dictionary(Type=Name.ExtGState, ca=PREVIEW_OPACITY, CA=PREVIEW_OPACITY)
    )


def matrix_text(matrix: Sequence[float]) -> str:
    return " ".join(_num(v) for v in matrix)


def _num(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
