"""zcprep.probe.ink: where a page paints, so that a page number lands where it is blank.

Every page is a real PDF made here (reportlab, or pikepdf for the content streams
reportlab will not write). What a user would check: the number band at the foot is blank
exactly when nothing is drawn there; a white page background is not "something"; a scan
is told apart from a born-digital page; a broken page is treated as full, never as empty.
The last tests render pages with PDFium and check that every dark pixel is inside the box.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from fontgen import build_ttf
from zcprep.probe.ink import Ink, page_ink

WIDTH, HEIGHT = A4  # reportlab's pages
MEDIA = (0.0, 0.0, 595.0, 842.0)  # the pages written here with pikepdf
FONT = "InkTestSong"


@pytest.fixture(scope="module", autouse=True)
def cjk_font(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = build_ttf(tmp_path_factory.mktemp("font") / "song.ttf")
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(path)))
    return FONT


def drawn(draw: Any, pagesize: tuple[float, float] = A4) -> bytes:
    """A one-page PDF drawn by ``draw(canvas)`` with reportlab."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=pagesize, invariant=1)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def ink_of(data: bytes) -> Ink:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return page_ink(pdf.pages[0])


def raw_page(
    content: bytes,
    resources: dict[str, Any] | Callable[[pikepdf.Pdf], dict[str, Any]] | None = None,
    mediabox: tuple[float, ...] = MEDIA,
    **extra: Any,
) -> bytes:
    """A one-page PDF whose content stream is exactly ``content`` (pikepdf writes it);
    ``resources`` may be built in that PDF by a function of it."""
    pdf = pikepdf.new()
    if callable(resources):
        resources = resources(pdf)
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=pikepdf.Array(mediabox),
        Contents=pdf.make_stream(content),
        Resources=pikepdf.Dictionary(resources or {}),
        **extra,
    )
    pdf.pages.append(pikepdf.Page(page))
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def helvetica() -> pikepdf.Dictionary:
    return pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )


def gray_image(pdf: pikepdf.Pdf, value: int = 0, mask: bool = False) -> pikepdf.Stream:
    if mask:
        return pdf.make_stream(
            b"\x00" * 4,
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Image,
            Width=4,
            Height=4,
            ImageMask=True,
        )
    return pdf.make_stream(
        bytes([value]) * 16,
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=4,
        Height=4,
        ColorSpace=pikepdf.Name.DeviceGray,
        BitsPerComponent=8,
    )


def with_xobjects(content: bytes, build: Callable[[pikepdf.Pdf], dict[str, Any]]) -> bytes:
    """A page drawing ``content`` with the XObjects ``build(pdf)`` returns by name."""

    def resources(pdf: pikepdf.Pdf) -> dict[str, Any]:
        xobjects = pikepdf.Dictionary(build(pdf))
        return {"/XObject": xobjects, "/Font": pikepdf.Dictionary(F1=helvetica())}

    return raw_page(content, resources)


def form(pdf: pikepdf.Pdf, content: bytes, bbox: tuple[float, ...], **extra: Any) -> pikepdf.Stream:
    return pdf.make_stream(
        content,
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Form,
        BBox=pikepdf.Array(bbox),
        **extra,
    )


# ----------------------------------------------------------------------------- text


def test_a_signature_line_at_the_foot_reaches_into_the_band() -> None:
    def draw(c: canvas.Canvas) -> None:
        c.setFont(FONT, 12)
        c.drawString(72, 700, "关于申报材料真实性的承诺书")
        c.drawString(300, 30, "申报人签字：")
        c.line(380, 28, 520, 28)

    ink = ink_of(drawn(draw))
    assert ink.exact
    assert ink.bbox is not None
    assert 20 <= ink.bbox[1] <= 28  # the baseline's descent and the line under it
    assert ink.bbox[3] >= 712  # the title's top
    assert ink.scan_cover == 0


def test_text_in_the_upper_half_leaves_the_foot_blank() -> None:
    def draw(c: canvas.Canvas) -> None:
        c.setFont(FONT, 10.5)
        for row in range(30):
            c.drawString(72, 780 - row * 14, f"第{row + 1}行 网络安全工程 Network security 2024")

    ink = ink_of(drawn(draw))
    assert ink.exact and ink.bbox is not None
    assert ink.bbox[1] > 340
    assert ink.bbox[0] >= 72 - 1 and ink.bbox[2] < WIDTH


def test_a_white_page_background_is_not_ink() -> None:
    def draw(c: canvas.Canvas) -> None:
        c.setFillColorRGB(1, 1, 1)
        c.rect(0, 0, WIDTH, HEIGHT, fill=1, stroke=0)
        c.setFillColorRGB(0, 0, 0)
        c.setFont(FONT, 12)
        c.drawString(200, 420, "正文在页面中部")

    ink = ink_of(drawn(draw))
    assert ink.bbox is not None
    assert 410 < ink.bbox[1] < 420 < ink.bbox[3] < 440
    assert ink.bbox[0] > 199 and ink.bbox[2] < 400


@pytest.mark.parametrize(
    "white",
    [
        b"1 g",
        b"1 1 1 rg",
        b"0 0 0 0 k",
        b"/DeviceRGB cs 1 1 1 sc",
        b"/DeviceGray cs 1 scn",
        b"/CS0 cs 1 1 1 scn",  # an ICC-based RGB space, as Word writes it
        b"/CS1 cs 0 0 0 0 scn",  # an ICC-based CMYK space
    ],
)
def test_white_fills_in_every_colour_space_are_not_ink(white: bytes) -> None:
    def resources(pdf: pikepdf.Pdf) -> dict[str, Any]:
        spaces = {
            "/CS0": pikepdf.Array([pikepdf.Name.ICCBased, pdf.make_stream(b"icc", N=3)]),
            "/CS1": pikepdf.Array([pikepdf.Name.ICCBased, pdf.make_stream(b"icc", N=4)]),
        }
        return {"/ColorSpace": pikepdf.Dictionary(spaces)}

    content = white + b" 0 0 595 842 re f 0 g 100 400 50 20 re f"
    ink = ink_of(raw_page(content, resources))
    assert ink.bbox == (100, 400, 150, 420)


@pytest.mark.parametrize(
    "colour", [b"0.9 g", b"1 1 0.99 rg", b"0 0 0 0.1 k", b"/Pattern cs /P0 scn", b"/Sep cs 1 scn"]
)
def test_fills_that_are_not_pure_white_are_ink(colour: bytes) -> None:
    separation = pikepdf.Array(
        [pikepdf.Name.Separation, pikepdf.Name("/Spot"), pikepdf.Name.DeviceCMYK, 0]
    )
    resources = {"/ColorSpace": pikepdf.Dictionary({"/Sep": separation})}
    ink = ink_of(raw_page(colour + b" 0 0 600 900 re f", resources))
    assert ink.bbox == MEDIA


def test_invisible_and_white_text_is_not_ink_but_stroked_text_is() -> None:
    font = {"/Font": pikepdf.Dictionary(F1=helvetica())}
    invisible = b"BT /F1 12 Tf 3 Tr 100 100 Td (OCR) Tj 7 Tr (clip) Tj ET"
    assert ink_of(raw_page(invisible, font)).bbox is None
    white = b"1 g BT /F1 12 Tf 100 100 Td (white) Tj ET"
    assert ink_of(raw_page(white, font)).bbox is None
    outlined = b"1 g 0 G BT /F1 12 Tf 1 Tr 100 100 Td (outline) Tj ET"
    ink = ink_of(raw_page(outlined, font))
    assert ink.bbox is not None and ink.bbox[1] < 100 < ink.bbox[3]


def test_text_positioning_is_followed_through_td_tstar_and_quotes() -> None:
    font = {"/Font": pikepdf.Dictionary(F1=helvetica())}
    content = (
        b"BT /F1 10 Tf 14 TL 1 0 0 1 72 760 Tm (one) Tj T* (two) Tj 0 -200 TD (three) Tj "
        b"(four) ' 2 1 (five) \" ET"
    )
    ink = ink_of(raw_page(content, font))
    assert ink.bbox is not None
    # TD sets the leading to 200; ' and " each go one leading further down.
    assert ink.bbox[1] == pytest.approx(760 - 14 - 200 - 200 - 200 - 3, abs=0.01)
    assert ink.bbox[3] == pytest.approx(770)


def test_tj_adjustments_moving_left_keep_the_text_in_the_box() -> None:
    font = {"/Font": pikepdf.Dictionary(F1=helvetica())}
    content = b"BT /F1 10 Tf 300 400 Td [(A) 20000 (B)] TJ ET"
    ink = ink_of(raw_page(content, font))
    assert ink.bbox is not None
    assert ink.bbox[0] <= 300 + 7.5 - 200  # B is drawn 200 pt left of where A ends
    assert ink.bbox[2] >= 300 + 7.5


def test_the_font_widths_size_a_run() -> None:
    def fonts(pdf: pikepdf.Pdf) -> dict[str, Any]:
        narrow = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.TrueType,
            BaseFont=pikepdf.Name("/Narrow"),
            FirstChar=65,
            LastChar=66,
            Widths=pikepdf.Array([250, 2000]),
        )
        cid = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.CIDFontType2,
            BaseFont=pikepdf.Name("/Song"),
            DW=1000,
            W=pikepdf.Array([1, pikepdf.Array([500, 500]), 3, 3, 2000]),
        )
        composite = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=pikepdf.Name("/Song"),
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=pikepdf.Array([pdf.make_indirect(cid)]),
        )
        return {"/Font": pikepdf.Dictionary(N=narrow, C=composite)}

    simple = ink_of(raw_page(b"BT /N 10 Tf 100 100 Td (AAAB) Tj ET", fonts))
    assert simple.bbox is not None and simple.bbox[2] == pytest.approx(100 + 7.5 + 20)
    # In a TJ array too, escapes and hex strings included: A ( B A A, "(" not in /Widths.
    array = ink_of(raw_page(b"BT /N 10 Tf 100 100 Td [(A\\(B) <4141>] TJ ET", fonts))
    assert array.bbox is not None and array.bbox[2] == pytest.approx(100 + 35)
    # CIDs 1, 2 (500 each), 3 (2000), 4 (DW 1000): 4 em at 10 pt, Tz 50 halves it.
    wide = ink_of(raw_page(b"BT /C 10 Tf 50 Tz 100 100 Td <0001000200030004> Tj ET", fonts))
    assert wide.bbox is not None and wide.bbox[2] == pytest.approx(100 + 20)


def test_a_cid_font_as_reportlab_writes_it_is_measured_generously() -> None:
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))

    def draw(c: canvas.Canvas) -> None:
        c.setFont("STSong-Light", 12)
        c.drawString(72, 100, "申报人签字abc")

    ink = ink_of(drawn(draw))
    assert ink.bbox is not None
    assert ink.bbox[2] >= 72 + 8 * 12  # eight characters of at most one em


def test_vertical_text_runs_downwards() -> None:
    composite = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.Type0,
        BaseFont=pikepdf.Name("/Song"),
        Encoding=pikepdf.Name("/Identity-V"),
        DescendantFonts=pikepdf.Array(
            [pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2)]
        ),
    )
    fonts = {"/Font": pikepdf.Dictionary(V=composite)}
    ink = ink_of(raw_page(b"BT /V 20 Tf 300 400 Td <0001000200030004> Tj ET", fonts))
    assert ink.bbox is not None
    assert ink.bbox[1] <= 400 - 4 * 20 and ink.bbox[3] >= 400
    assert ink.bbox[0] < 300 < ink.bbox[2]


def test_a_font_that_is_missing_or_malformed_still_boxes_its_text() -> None:
    broken = pikepdf.Dictionary(Subtype=pikepdf.Name.Type0, Encoding=pikepdf.Name("/Identity-H"))
    fonts = {"/Font": pikepdf.Dictionary(B=broken)}
    for content in (
        b"BT /B 10 Tf 100 100 Td (abcd) Tj ET",
        b"BT /Missing 10 Tf 100 100 Td (abcd) Tj ET",
    ):
        ink = ink_of(raw_page(content, fonts))
        assert ink.exact and ink.bbox is not None
        assert ink.bbox[2] >= 100 + 4 * 10 * 0.75


# ----------------------------------------------------------------------- paths, clips


def test_a_stroke_is_grown_by_its_line_width() -> None:
    ink = ink_of(raw_page(b"6 w 100 50 m 400 50 l S"))
    assert ink.bbox is not None
    assert ink.bbox[1] <= 47 and ink.bbox[3] >= 53


def test_a_line_width_set_through_a_graphics_state_dictionary_counts() -> None:
    states = {"/ExtGState": pikepdf.Dictionary(GS0=pikepdf.Dictionary(LW=20))}
    ink = ink_of(raw_page(b"/GS0 gs 100 100 m 400 100 l S", states))
    assert ink.bbox is not None
    assert ink.bbox[1] <= 90 and ink.bbox[3] >= 110


def test_a_path_that_is_only_a_clip_paints_nothing() -> None:
    assert ink_of(raw_page(b"0 0 100 100 re W n 10 10 m 50 50 l n")).bbox is None


def test_a_rectangular_clip_cuts_what_is_drawn_after_it() -> None:
    ink = ink_of(raw_page(b"q 100 500 200 100 re W n 0 g 0 0 600 900 re f Q 10 10 5 5 re f"))
    assert ink.bbox == (10, 10, 300, 600)


def test_a_shading_paints_the_current_clip() -> None:
    ink = ink_of(raw_page(b"q 100 500 200 100 re W n /Sh0 sh Q"))
    assert ink.bbox == (100, 500, 300, 600)


def test_ink_is_clipped_to_the_mediabox_wherever_it_lies() -> None:
    ink = ink_of(raw_page(b"-50 -50 1000 80 re f", mediabox=(100, 0, 400, 500)))
    assert ink.bbox == (100, 0, 400, 30)


# ------------------------------------------------------------------------- images


def test_an_image_placed_in_the_middle_through_cm() -> None:
    def draw(c: canvas.Canvas) -> None:
        picture = Image.new("RGB", (40, 30), (200, 30, 30))
        out = io.BytesIO()
        picture.save(out, "PNG")
        c.drawImage(ImageReader(io.BytesIO(out.getvalue())), 150, 300, width=200, height=150)

    ink = ink_of(drawn(draw))
    assert ink.bbox == pytest.approx((150, 300, 350, 450))
    assert ink.scan_cover == pytest.approx(200 * 150 / (WIDTH * HEIGHT), rel=1e-3)


def test_a_scan_with_an_ocr_layer_is_the_whole_page() -> None:
    def draw(c: canvas.Canvas) -> None:
        scan = Image.new("L", (210, 297), 250)
        out = io.BytesIO()
        scan.save(out, "JPEG")
        c.drawImage(ImageReader(io.BytesIO(out.getvalue())), 0, 0, width=WIDTH, height=HEIGHT)
        text = c.beginText(72, 700)
        text.setTextRenderMode(3)
        text.setFont(FONT, 12)
        text.textLine("扫描件中识别出的文字")
        c.drawText(text)

    ink = ink_of(drawn(draw))
    assert ink.scan_cover == pytest.approx(1.0)
    assert ink.bbox == pytest.approx((0, 0, WIDTH, HEIGHT))


def test_an_ocr_layer_alone_paints_nothing() -> None:
    def draw(c: canvas.Canvas) -> None:
        text = c.beginText(72, 30)
        text.setTextRenderMode(3)
        text.setFont(FONT, 12)
        text.textLine("不可见的文字层")
        c.drawText(text)

    assert ink_of(drawn(draw)).bbox is None


def test_inline_images_and_stencil_masks() -> None:
    inline = b"q 100 0 0 50 200 20 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q"
    ink = ink_of(raw_page(inline))
    assert ink.bbox == pytest.approx((200, 20, 300, 70))
    white_mask = b"1 g q 100 0 0 50 200 20 cm BI /W 8 /H 1 /IM true ID \x00 EI Q"
    assert ink_of(raw_page(white_mask)).bbox is None
    data = with_xobjects(
        b"1 g q 595 0 0 842 0 0 cm /M Do Q 0 g q 50 0 0 50 10 10 cm /M Do Q",
        lambda pdf: {"/M": gray_image(pdf, mask=True)},
    )
    ink = ink_of(data)
    assert ink.bbox == (10, 10, 60, 60)
    assert ink.scan_cover == pytest.approx(2500 / (595 * 842))


def test_a_rotated_image_covers_its_own_area_only() -> None:
    data = with_xobjects(
        b"q 70.7107 70.7107 -70.7107 70.7107 300 300 cm /I Do Q",
        lambda pdf: {"/I": gray_image(pdf)},
    )
    ink = ink_of(data)
    assert ink.bbox == pytest.approx((300 - 70.7107, 300, 300 + 70.7107, 300 + 141.4214))
    assert ink.scan_cover == pytest.approx(10000 / (595 * 842), rel=1e-3)


# -------------------------------------------------------------------------- forms


def test_a_form_moved_to_the_foot_by_its_matrix_is_seen_there() -> None:
    def build(pdf: pikepdf.Pdf) -> dict[str, Any]:
        body = b"BT /F1 12 Tf 0 0 Td (Page footer) Tj ET"
        resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=helvetica()))
        return {
            "/Fm": form(
                pdf, body, (0, -5, 200, 20), Matrix=[1, 0, 0, 1, 250, 25], Resources=resources
            )
        }

    ink = ink_of(with_xobjects(b"/Fm Do", build))
    assert ink.exact and ink.bbox is not None
    assert ink.bbox[1] == pytest.approx(25 - 3.6)
    assert ink.bbox[0] >= 250 and ink.bbox[2] <= 450


def test_a_nested_form_is_walked_through_both_matrices_and_clips() -> None:
    def build(pdf: pikepdf.Pdf) -> dict[str, Any]:
        inner = form(pdf, b"0 0 500 500 re f", (0, 0, 50, 50), Matrix=[2, 0, 0, 2, 10, 10])
        outer = form(
            pdf,
            b"/In Do",
            (0, 0, 300, 300),
            Matrix=[1, 0, 0, 1, 100, 20],
            Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(In=inner)),
        )
        return {"/Out": outer}

    ink = ink_of(with_xobjects(b"/Out Do", build))
    assert ink.bbox == pytest.approx((110, 30, 210, 130))  # the inner BBox, doubled, moved


def test_a_form_that_draws_itself_does_not_hang_and_is_the_whole_page() -> None:
    def build(pdf: pikepdf.Pdf) -> dict[str, Any]:
        loop = pdf.make_indirect(form(pdf, b"0 0 10 10 re f /Loop Do", (0, 0, 100, 100)))
        loop.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Loop=loop))
        return {"/Loop": loop}

    ink = ink_of(with_xobjects(b"/Loop Do", build))
    assert not ink.exact
    assert ink.bbox == MEDIA


def test_a_form_drawn_twice_side_by_side_is_not_a_cycle() -> None:
    def build(pdf: pikepdf.Pdf) -> dict[str, Any]:
        return {"/Box": form(pdf, b"0 0 10 10 re f", (0, 0, 10, 10))}

    content = b"q 1 0 0 1 100 100 cm /Box Do Q q 1 0 0 1 300 200 cm /Box Do Q"
    ink = ink_of(with_xobjects(content, build))
    assert ink.exact and ink.bbox == (100, 100, 310, 210)


# ----------------------------------------------------------------- page as a whole


def test_a_rotated_page_answers_in_unrotated_mediabox_coordinates() -> None:
    # A landscape form stored as portrait turned by /Rotate 90: text at the MediaBox's
    # foot, which the viewer shows along the left edge.
    font = {"/Font": pikepdf.Dictionary(F1=helvetica())}
    data = raw_page(b"BT /F1 12 Tf 100 30 Td (left edge when shown) Tj ET", font, Rotate=90)
    ink = ink_of(data)
    assert ink.bbox is not None
    assert ink.bbox[1] == pytest.approx(30 - 3.6)
    assert ink.bbox[0] == pytest.approx(100)


def test_an_empty_page_paints_nothing() -> None:
    assert ink_of(drawn(lambda c: None)) == Ink(None, 0.0, True)
    assert ink_of(raw_page(b"")) == Ink(None, 0.0, True)
    assert ink_of(raw_page(b"q 1 0 0 1 50 50 cm Q % nothing here\n")) == Ink(None, 0.0, True)


def test_a_page_without_contents_paints_nothing() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(300, 400))
    assert page_ink(pdf.pages[0]) == Ink(None, 0.0, True)


def test_annotations_that_show_count_hidden_ones_and_links_do_not() -> None:
    def annot(subtype: str, rect: list[float], **extra: Any) -> pikepdf.Dictionary:
        return pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name(subtype), Rect=rect, **extra
        )

    annots = pikepdf.Array(
        [
            annot("/Square", [400, 20, 550, 60]),
            annot("/Stamp", [0, 0, 50, 50], F=2),
            annot("/Link", [0, 0, 100, 10]),
        ]
    )
    ink = ink_of(raw_page(b"100 400 10 10 re f", Annots=annots))
    assert ink.bbox == (100, 20, 550, 410)


@pytest.mark.parametrize(
    "content",
    [
        b"0 g 100 700 200 20 re f BT /F1 12 Tf 100 30 Td (abc",  # ends inside a string
        b"0 g 100 700 200 20 re f 0 0 m 100",  # ends after an operand
        b"0 g 100 700 200 20 re f <zz> Tj",  # a token that is not one
        b"0 g 100 700 200 20 re f 10 10 m 20 \xff\xfe l S",  # bytes no parser can read
        b"0 g 100 700 200 20 re f 1 0 0 cm (x) Tj",  # too few operands
    ],
)
def test_a_damaged_content_stream_is_the_whole_page(content: bytes) -> None:
    font = {"/Font": pikepdf.Dictionary(F1=helvetica())}
    ink = ink_of(raw_page(content, font))
    assert not ink.exact
    assert ink.bbox == MEDIA


def test_a_page_on_a_coloured_background_is_full() -> None:
    ink = ink_of(raw_page(b"0.9 g 0 0 595 842 re f 0 g 100 100 10 10 re f"))
    assert ink == Ink(MEDIA, 0.0, True)


def test_fonts_are_read_once_per_file_when_the_caller_keeps_them() -> None:
    def draw(c: canvas.Canvas) -> None:
        c.setFont(FONT, 12)
        c.drawString(72, 100, "第一页")

    data = drawn(draw)
    fonts: dict[Any, Any] = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        first = page_ink(pdf.pages[0], fonts=fonts)
        read = dict(fonts)
        assert read  # reportlab's Helvetica and the CJK font, by object number
        assert page_ink(pdf.pages[0], fonts=fonts) == first == page_ink(pdf.pages[0])
        assert fonts == read


def test_the_decoded_content_can_be_handed_in() -> None:
    data = raw_page(b"0 0 10 10 re f")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        assert page_ink(page, b"100 100 10 10 re f").bbox == (100, 100, 110, 110)
        assert page_ink(page).bbox == (0, 0, 10, 10)


def test_probing_a_page_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "page.pdf"
    path.write_bytes(raw_page(b"BT /F1 12 Tf 10 10 Td (abc", {"/Font": pikepdf.Dictionary()}))
    before = path.read_bytes()
    with pikepdf.open(path) as pdf:
        page_ink(pdf.pages[0])
        assert pdf.get_warnings() == []  # the probe's own parse warnings stay its own
    assert path.read_bytes() == before


# ------------------------------------------------------------ against a rendering


def busy_page(c: canvas.Canvas) -> None:
    """Text in many states, lines, shapes, an image: what born-digital pages hold."""
    c.setFont(FONT, 10.5)
    for row in range(40):
        c.drawString(
            60,
            770 - row * 13,
            f"第{row}行 申报材料 Material {row} 签字确认 2024-05-{row % 28 + 1:02d}",
        )
    c.setLineWidth(2)
    c.line(60, 200, 535, 200)
    c.rect(60, 120, 200, 60, stroke=1, fill=0)
    c.circle(400, 150, 30, stroke=1, fill=1)
    text = c.beginText(300, 100)
    text.setFont(FONT, 14)
    text.setHorizScale(150)
    text.setCharSpace(2)
    text.setRise(4)
    text.textLine("横向拉伸的文字")
    c.drawText(text)
    c.saveState()
    c.translate(100, 60)
    c.rotate(25)
    c.setFont("Helvetica", 12)
    c.drawString(0, 0, "rotated Helvetica words")
    c.restoreState()
    picture = Image.new("RGB", (20, 20), (20, 40, 200))
    out = io.BytesIO()
    picture.save(out, "PNG")
    c.drawImage(ImageReader(io.BytesIO(out.getvalue())), 480, 20, width=40, height=30)


def foot_page(c: canvas.Canvas) -> None:
    """A signature block in the bottom band, over a white background."""
    c.setFillColorRGB(1, 1, 1)
    c.rect(0, 0, WIDTH, HEIGHT, fill=1, stroke=0)
    c.setFillColorRGB(0, 0, 0)
    c.setFont(FONT, 12)
    c.drawString(330, 40, "申报人（签字）：")
    c.drawString(330, 18, "2024 年 5 月 6 日")
    c.setLineWidth(0.5)
    c.line(430, 38, 540, 38)


def rendered_box(data: bytes, scale: float = 2.0) -> tuple[float, float, float, float] | None:
    """The box of every pixel PDFium paints darker than paper, in PDF points."""
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(data)
    try:
        page = document[0]
        height = page.get_height()
        image = page.render(scale=scale).to_pil().convert("L")
    finally:
        document.close()
    box = image.point(lambda v: 255 if v < 250 else 0).getbbox()
    if box is None:
        return None
    left, upper, right, lower = box
    return (left / scale, height - lower / scale, right / scale, height - upper / scale)


@pytest.mark.parametrize("draw", [busy_page, foot_page], ids=["busy", "foot"])
def test_everything_a_viewer_paints_is_inside_the_box(draw: Any) -> None:
    data = drawn(draw)
    ink = ink_of(data)
    seen = rendered_box(data)
    assert ink.exact and ink.bbox is not None and seen is not None
    tolerance = 1.0  # a pixel at 144 dpi, and anti-aliasing
    assert ink.bbox[0] - tolerance <= seen[0]
    assert ink.bbox[1] - tolerance <= seen[1]
    assert seen[2] <= ink.bbox[2] + tolerance
    assert seen[3] <= ink.bbox[3] + tolerance
    # …and the box is not the whole page where the page is not full.
    assert ink.bbox[1] > seen[1] - 6


# ------------------------------------------------------------------------ hostile


def test_limits_make_a_page_full_rather_than_slow() -> None:
    nested = b"q " * 300 + b"0 0 1 1 re f" + b" Q" * 300
    assert ink_of(raw_page(nested)) == Ink(MEDIA, 0.0, False)
    many = b"0 0 1 1 re f\n" * 110_000
    assert ink_of(raw_page(many)) == Ink(MEDIA, 0.0, False)


_TOKENS = [
    *b"q Q cm w g rg k G RG K cs CS sc scn m l c v y re S f B n W sh BT ET Tf Tm Td TD".split(),
    *b"T* TL Tz Ts Tc Tw Tr Tj TJ ' \" Do BI ID EI".split(),
    b"0",
    b"1",
    b"-3.5",
    b"1e3",
    b"100000",
    b"(str)",
    b"(",
    b")",
    b"<00ff>",
    b"[",
    b"]",
    b"/F1",
    b"/Im",
    b"/Fm",
    b"<<",
    b">>",
    b"%",
    b"\n",
    b"\xff",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=60))
def test_any_content_gives_an_answer_within_the_page(tokens: list[bytes]) -> None:
    def resources(pdf: pikepdf.Pdf) -> dict[str, Any]:
        fm = form(pdf, b"0 0 5 5 re f /Fm Do", (0, 0, 10, 10))
        fm.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm=fm))
        xobjects = pikepdf.Dictionary(Im=gray_image(pdf), Fm=fm)
        return {"/Font": pikepdf.Dictionary(F1=helvetica()), "/XObject": xobjects}

    ink = ink_of(raw_page(b" ".join(tokens), resources))
    assert 0 <= ink.scan_cover <= 1
    if ink.bbox is not None:
        x0, y0, x1, y1 = ink.bbox
        assert 0 <= x0 <= x1 <= 595 and 0 <= y0 <= y1 <= 842
    if not ink.exact:
        assert ink.bbox == MEDIA
