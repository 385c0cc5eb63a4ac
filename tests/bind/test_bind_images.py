"""Images as PDF pages: EXIF orientation geometry, PNG alpha, palettes, 16-bit, CMYK."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from pypdf import PdfReader

from bind_helpers import jpeg, pattern_image, png
from zcprep.bind.images import (
    A3,
    A4,
    add_image_page,
    displayed_size,
    image_matrix,
    place,
)
from zcprep.errors import InputError
from zcprep.probe.image_data import ORIENTATIONS, load_image


def one_page(path: Path) -> PdfReader:
    import pikepdf

    with pikepdf.new() as pdf:
        page, _placement, drawing = add_image_page(pdf, load_image(path))
        page.obj.Contents = pdf.make_stream(drawing)
        out = io.BytesIO()
        pdf.save(out)
    return PdfReader(io.BytesIO(out.getvalue()), strict=True)


def decoded(reader: PdfReader) -> Image.Image:
    return reader.pages[0].images[0].image


@pytest.mark.parametrize("orientation", sorted(ORIENTATIONS))
def test_every_exif_orientation_maps_pixels_where_the_viewer_shows_them(
    tmp_path: Path, orientation: int
) -> None:
    """Each stored pixel lands, through the drawing matrix, where exif_transpose puts it."""
    stored = Image.new("RGB", (4, 3))
    stored.putdata([(40 * i, 7 * i, 255 - 9 * i) for i in range(12)])  # every pixel unique
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / f"o{orientation}.png"
    stored.save(path, exif=exif.tobytes())
    shown = ImageOps.exif_transpose(Image.open(path))
    image = load_image(path)
    assert image.orientation == orientation
    assert displayed_size(image) == shown.size
    placement = place(image)
    a, b, c, d, e, f = image_matrix(placement, orientation)
    for row in range(3):
        for col in range(4):
            u, v = (col + 0.5) / 4, 1 - (row + 0.5) / 3  # pixel centre, PDF image space
            x, y = a * u + c * v + e, b * u + d * v + f
            fx = (x - placement.x) / placement.width
            fy = (y - placement.y) / placement.height
            shown_col = int(fx * shown.size[0])
            shown_row = int((1 - fy) * shown.size[1])
            assert shown.getpixel((shown_col, shown_row)) == stored.getpixel((col, row))


@pytest.mark.parametrize("bogus", [0, 9, 65535])
def test_a_bogus_exif_orientation_is_ignored(tmp_path: Path, bogus: int) -> None:
    path = jpeg(tmp_path / "phone.jpg", (300, 200), orientation=bogus)
    image = load_image(path)
    assert image.orientation == 1
    reader = one_page(path)
    assert float(reader.pages[0].mediabox.width) > float(reader.pages[0].mediabox.height)


def test_rgba_png_is_flattened_onto_white(tmp_path: Path) -> None:
    im = Image.new("RGBA", (60, 40), (200, 0, 0, 255))
    for x in range(30, 60):
        for y in range(40):
            im.putpixel((x, y), (0, 0, 255, 0))  # fully transparent blue: must show white
    reader = one_page(png(tmp_path / "alpha.png", im))
    xobject = next(iter(reader.pages[0]["/Resources"]["/XObject"].values())).get_object()  # type: ignore[index]
    assert "/SMask" not in xobject and xobject["/ColorSpace"] == "/DeviceRGB"
    out = decoded(reader).convert("RGB")
    assert out.getpixel((10, 10)) == (200, 0, 0)
    assert out.getpixel((50, 10)) == (255, 255, 255)


def test_gray_alpha_and_palette_transparency_pngs(tmp_path: Path) -> None:
    la = Image.new("LA", (20, 20), (0, 0))
    assert decoded(one_page(png(tmp_path / "la.png", la))).convert("L").getpixel((5, 5)) == 255
    palette = Image.new("P", (20, 20), 1)
    palette.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    path = png(tmp_path / "p.png", palette, transparency=1)
    assert decoded(one_page(path)).convert("RGB").getpixel((5, 5)) == (255, 255, 255)


def test_opaque_png_data_passes_through_with_the_png_predictor(tmp_path: Path) -> None:
    path = png(tmp_path / "scan.png", pattern_image((64, 48), "L"))
    image = load_image(path)
    assert image.filter == "/FlateDecode" and image.decode_parms["/Predictor"] == 15
    assert image.color_space == "/DeviceGray"
    original = Image.open(path)
    assert decoded(one_page(path)).convert("L").tobytes() == original.tobytes()


def test_palette_png_stays_indexed(tmp_path: Path) -> None:
    # 64 colours: Pillow writes 8-bit indices (pypdf's own decoder mishandles the PNG
    # predictor below 8 bits; pdfium shows a 4-bit palette PNG correctly).
    rgb = pattern_image((40, 30), "RGB")
    path = png(tmp_path / "indexed.png", rgb.quantize(64))
    image = load_image(path)
    assert isinstance(image.color_space, list) and image.color_space[0] == "/Indexed"
    out = decoded(one_page(path)).convert("RGB")
    assert out.tobytes() == Image.open(path).convert("RGB").tobytes()


def test_sixteen_bit_png_is_scaled_to_eight_bits(tmp_path: Path) -> None:
    im = Image.new("I;16", (4, 1))
    im.putdata([0, 32896, 65535, 65535])
    image = load_image(png(tmp_path / "deep.png", im))
    assert image.bits == 8
    values = list(decoded(one_page(tmp_path / "deep.png")).convert("L").tobytes())
    assert values[0] == 0 and values[2] == 255 and 126 <= values[1] <= 130


def test_cmyk_jpeg_keeps_its_data_and_adobe_inversion(tmp_path: Path) -> None:
    path = tmp_path / "cmyk.jpg"
    pattern_image((80, 60), "CMYK").save(path, "JPEG")
    image = load_image(path)
    assert image.color_space == "/DeviceCMYK" and image.data == path.read_bytes()
    assert image.decode == (1.0, 0.0) * 4  # Pillow writes Adobe (inverted) CMYK
    reader = one_page(path)
    xobject = next(iter(reader.pages[0]["/Resources"]["/XObject"].values())).get_object()  # type: ignore[index]
    assert xobject._data == path.read_bytes()


def test_gray_jpeg_is_device_gray(tmp_path: Path) -> None:
    path = jpeg(tmp_path / "gray.jpg", (100, 80), mode="L")
    assert load_image(path).color_space == "/DeviceGray"


def test_paper_follows_dpi_and_shape(tmp_path: Path) -> None:
    a3_scan = load_image(jpeg(tmp_path / "a3.jpg", (1754, 2480), dpi=(150, 150)))
    assert (place(a3_scan).page_width, place(a3_scan).page_height) == pytest.approx(A3)
    photo = load_image(jpeg(tmp_path / "wide.jpg", (800, 400)))
    placement = place(photo)
    assert placement.page_width == pytest.approx(A4[1])  # landscape A4 for a landscape photo
    assert placement.width / placement.height == pytest.approx(2.0)
    small = load_image(jpeg(tmp_path / "receipt.jpg", (300, 300), dpi=(300, 300)))
    assert place(small).width == pytest.approx(72.0)  # one inch stays one inch


def test_not_an_image_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "坏图.jpg"
    bad.write_bytes(b"\xff\xd8\xff" + b"\x00" * 20)
    with pytest.raises(InputError, match=r"坏图\.jpg"):
        load_image(bad, "坏图.jpg")
    text = tmp_path / "文字.png"
    text.write_text("hello", "utf-8")
    with pytest.raises(InputError, match="不是 JPEG 或 PNG"):
        load_image(text, "文字.png")
