"""Odd and hostile files for bind v2: each builder writes real bytes into a folder.

Every builder takes the folder, writes one file named after what is odd about it and
returns its path. The docstring of each says what is odd, and what a PDF or image
library makes of it (the corpus tests in test_bind_v2.py hold every claim):

* repairable PDFs: a repair pass (qpdf inside pikepdf) turns them into readable pages;
  check warns "已自动修复", bind binds the repaired pages and leaves the file untouched;
* broken files: check reports an error and bind never binds them silently;
* odd but fine files: check finds nothing wrong with their content and bind binds them;
* "either": files a reader may accept or refuse, as long as check and bind agree.

Besides the corpus, the pages the bind v2 behaviour tests need: a signature line in the
number's band, a page with a blank band, full-page scans and a grey band. Born-digital
text is drawn with a tiny generated CJK font (fontgen), so nothing depends on the system.

Import as ``from corpus import ...`` (pytest puts this folder on the path).
"""

from __future__ import annotations

import io
import random
import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from fontgen import small_characters, ttf_bytes
from hostile_corpus import raw_pdf

MM = 72 / 25.4
A0 = (841 * MM, 1189 * MM)
A3 = (297 * MM, 420 * MM)

# The signature line of test (b): drawn at this baseline, centred, inside the band at the
# bottom centre where the page number goes by default.
SIGNATURE = "签字：张三 2023年5月12日"
SIGNATURE_BASELINE = 22.0
SIGNATURE_SIZE = 12.0

# The grey of the scans and of the band (0 black … 255 white).
SCAN_GREY = 150
BAND_GREY = 0.6  # reportlab's setFillGray: 0.6 renders as 153

_FONT = "ZcCorpusSong"


# --------------------------------------------------------------------------- helpers


@cache
def _font_name() -> str:
    """Register, once, a generated TrueType font with the CJK characters the pages use.

    Its PostScript name differs from the test font the workspace binds with, so a
    volume holds two distinct embedded fonts, as real ones do.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    data = ttf_bytes(small_characters("签名字张三"), "Zc Corpus Song", "ZcCorpusSong")
    pdfmetrics.registerFont(TTFont(_FONT, io.BytesIO(data)))
    return _FONT


def _write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def marked_pdf(marker: str, pages: int = 2, compress: bool = True) -> bytes:
    """A plain born-digital A4 PDF whose page i carries ``{marker}-{i}`` near the top."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=int(compress))
    for index in range(1, pages + 1):
        canvas.setFont("Helvetica", 14)
        canvas.drawString(72, 760, f"{marker}-{index}")
        canvas.setFont(_font_name(), 12)
        canvas.drawString(72, 730, "申报材料")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _junk(count: int, seed: int) -> bytes:
    """Random bytes without a '%' (so no stray %PDF- or %%EOF appears in them)."""
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(count)).replace(b"%", b"#")


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _png(
    width: int,
    height: int,
    rows: bytes,
    *,
    depth: int = 8,
    colour: int = 0,
    method: int = 0,
    before_idat: bytes = b"",
) -> bytes:
    """A PNG from raw scanlines (each led by its filter byte), chunks with valid CRCs."""
    header = struct.pack(">IIBBBBB", width, height, depth, colour, method, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + before_idat
        + _png_chunk(b"IDAT", zlib.compress(rows, 9))
        + _png_chunk(b"IEND", b"")
    )


def _grey_rows(width: int, height: int) -> bytes:
    """8-bit grey scanlines of a light page with dark horizontal rules (a scanned form)."""
    line = bytes([235]) * width
    rule = bytes([40]) * width
    return b"".join(b"\x00" + (rule if y % 20 == 10 else line) for y in range(height))


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, body) of every chunk of a PNG, for the corpus tests to look inside."""
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        chunks.append((kind, data[offset + 8 : offset + 8 + length]))
        offset += 12 + length
    return chunks


def scan_image(size: tuple[int, int] = (1240, 1754), seed: int = 0) -> Image.Image:
    """A grey page as a copier scans it: SCAN_GREY with noise and a few dark rules."""
    noise = Image.effect_noise(size, 12).point(lambda v: SCAN_GREY - 12 + v * 24 // 255)
    draw = ImageDraw.Draw(noise)
    rng = random.Random(seed)
    for _ in range(25):
        y = rng.randrange(size[1] // 10, size[1] * 8 // 10)
        draw.line([size[0] // 10, y, size[0] * 9 // 10, y], fill=30, width=3)
    return noise


def _jpeg(image: Image.Image, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


# --------------------------------------------------------------------------- repairable PDFs


def junk_before_header_pdf(folder: Path, junk: int = 600) -> Path:
    """2 pages (JUNK-1, JUNK-2) after ``junk`` bytes of garbage before ``%PDF-``.

    With 600 bytes the header still lies in the first 1024 bytes, where qpdf (and
    viewers) look for it: pikepdf opens it without a warning and every xref offset is
    off by 600, which qpdf silently allows for; pypdf in strict mode refuses it. So the
    probe itself has to notice that the file does not start with ``%PDF-``.
    """
    return _write(folder, f"前有乱码{junk}.pdf", _junk(junk, junk) + marked_pdf("JUNK"))


def shifted_xref_pdf(folder: Path) -> Path:
    """2 pages (XREF-1, XREF-2) whose xref table gives every object an offset 37 bytes
    too far: pikepdf warns "file is damaged" and reconstructs the table."""
    data = marked_pdf("XREF")
    start = data.rindex(b"\nxref\n")

    def shift(match: re.Match[bytes]) -> bytes:
        return b"%010d" % (int(match[1]) + 37) + match[2]

    table = re.sub(rb"(\d{10})( 00000 n)", shift, data[start:])
    return _write(folder, "交叉引用错位.pdf", data[:start] + table)


def missing_xref_pdf(folder: Path) -> Path:
    """2 pages (NOXREF-1, NOXREF-2) whose xref table is cut out (the trailer stays,
    startxref points at it): pikepdf warns "xref not found" and reconstructs the table;
    pypdf in strict mode refuses it."""
    data = marked_pdf("NOXREF")
    start, trailer = data.rindex(b"\nxref\n"), data.rindex(b"trailer")
    return _write(folder, "缺交叉引用表.pdf", data[:start] + b"\n" + data[trailer:])


def no_mediabox_pdf(folder: Path) -> Path:
    """1 page (NOBOX-1) without /MediaBox, none inherited from the page tree either.

    pikepdf (qpdf 12) warns "MediaBox is undefined; setting to letter / ANSI A" and
    reads the page as US Letter; pypdf raises on the page's mediabox.
    """
    content = b"BT /F1 14 Tf 72 700 Td (NOBOX-1) Tj ET"
    data = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )
    return _write(folder, "无页面尺寸.pdf", data)


# --------------------------------------------------------------------------- broken files


def truncated_jpeg(folder: Path) -> Path:
    """A JPEG cut at 60 % of its bytes: Pillow reads the header (size, mode) but raises
    "image file is truncated" when decoding; a viewer shows a grey lower half."""
    data = _jpeg(scan_image((620, 877), seed=3), quality=85)
    return _write(folder, "截断照片.jpg", data[: len(data) * 6 // 10])


def png_pixel_bomb(folder: Path) -> Path:
    """A 74-byte PNG whose IHDR claims 100000 × 100000 grey pixels (10 Gpx, 10 GB
    decoded): Pillow raises DecompressionBombError on open; a viewer would try to
    allocate it."""
    data = _png(100_000, 100_000, b"\x00" * 1024)
    return _write(folder, "超大图片.png", data)


def png_bad_ihdr_compression(folder: Path) -> Path:
    """A PNG whose IHDR compression-method byte is 7 (only 0 exists), its CRC valid.

    libpng and other conforming decoders refuse it ("unknown compression method");
    Pillow ignores that byte and decodes the image, so only a probe that reads the IHDR
    itself can tell.
    """
    return _write(folder, "压缩方式错误.png", _png(300, 424, _grey_rows(300, 424), method=7))


def garbage_pdf(folder: Path) -> Path:
    """A ``%PDF-1.7`` header followed by 4 KB of garbage: no objects, no trailer.
    pikepdf raises "unable to find trailer dictionary"; pypdf fails too."""
    return _write(folder, "只有文件头.pdf", b"%PDF-1.7\n" + _junk(4096, 17))


def corrupt_flate_pdf(folder: Path) -> Path:
    """The "blank page": one A4 page whose only content stream is /FlateDecode data
    that does not inflate. pikepdf opens the file without a warning, but reading the
    page's content raises DataDecodingError and ``check_pdf_syntax`` reports
    "ERROR: page 1: content stream … errors while decoding content stream"; viewers show
    an empty page. Detectable, so check must call it broken.
    """
    good = zlib.compress(b"BT /F1 14 Tf 72 700 Td (BLANK-1) Tj ET")
    bad = good[:2] + random.Random(9).randbytes(len(good) - 2)
    data = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bad) + bad + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )
    return _write(folder, "空白页.pdf", data)


def password_pdf(folder: Path) -> Path:
    """1 page (LOCKED-1) that needs the password "secret" to open (AES-256): not
    damaged, only locked; pikepdf raises PasswordError without the password."""
    import pikepdf

    with pikepdf.open(io.BytesIO(marked_pdf("LOCKED", pages=1))) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner-secret"))
    return _write(folder, "有打开密码.pdf", out.getvalue())


# --------------------------------------------------------------------------- odd but fine


def png_large_text_chunk(folder: Path) -> Path:
    """A valid PNG with a zTXt chunk of 2 MB of text (a scanner's log) before IDAT.

    Pillow stops decompressing text at MAX_TEXT_CHUNK (1 MB) and raises "Decompressed
    data too large" on open; the image itself is fine (text chunks are ancillary) and
    conforming decoders show it.
    """
    text = ("扫描仪日志 scanner log line;\n" * 60_000).encode()[:2_000_000]
    chunk = _png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(text, 9))
    data = _png(620, 877, _grey_rows(620, 877), before_idat=chunk)
    return _write(folder, "大段文字.png", data)


def png_16bit_rgb(folder: Path) -> Path:
    """A 16-bit-per-channel RGB PNG (48 bits a pixel), as some scanners save; Pillow
    decodes it to 8-bit RGB, a PDF can hold it with /BitsPerComponent 16."""
    width, height = 310, 438
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows += struct.pack(">HHH", 40000 + x * 80, 30000 + y * 70, 65535 - (x + y) * 40)
    return _write(folder, "16位彩色.png", _png(width, height, bytes(rows), depth=16, colour=2))


def cmyk_jpeg(folder: Path) -> Path:
    """A CMYK JPEG (print shops and some scanners): four colour channels, which a PDF
    embeds as /DeviceCMYK."""
    image = Image.merge("RGB", (scan_image((620, 877), 5),) * 3).convert("CMYK")
    return _write(folder, "CMYK.jpg", _jpeg(image, quality=85))


def cut_content_pdf(folder: Path, pages: int = 2) -> Path:
    """Born-digital pages that draw "签名 张三" (and CUT-i), after which each content
    stream ends inside a string literal: ``BT /F1 12 Tf 72 650 Td (unterminated``.

    pikepdf opens it without a warning; ``check_pdf_syntax`` warns "EOF while reading
    token" (a WARNING, not an ERROR); PDFium (Chrome's viewer) still shows and extracts
    the text drawn before the cut. Whatever is appended to such a stream ends up inside
    the string.
    """
    import pikepdf

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    for index in range(1, pages + 1):
        canvas.setFont("Helvetica", 14)
        canvas.drawString(72, 760, f"CUT-{index}")
        canvas.setFont(_font_name(), 16)
        canvas.drawString(72, 700, "签名 张三")
        canvas.showPage()
    canvas.save()
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        for page in pdf.pages:
            data = page.obj.Contents.read_bytes()
            page.obj.Contents.write(data + b"\nBT /F1 12 Tf 72 650 Td (unterminated")
        out = io.BytesIO()
        pdf.save(out)
    return _write(folder, "内容流截断.pdf", out.getvalue())


def tiny_page_pdf(folder: Path) -> Path:
    """One page of 4 pt × 4 pt (1.4 mm) with a black 3 pt square: a stray crop from a
    phone app. Left as it is, its page number cannot fit."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(4, 4), invariant=1)
    canvas.rect(0.5, 0.5, 3, 3, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    return _write(folder, "极小页面.pdf", buffer.getvalue())


def a0_drawing_pdf(folder: Path) -> Path:
    """One A0 page (841 × 1189 mm) with an engineering drawing: a frame, a grid and the
    label A0-DRAWING. Left as it is, a 10.5 pt number on it is unreadable once printed
    on paper a reviewer can handle."""
    width, height = A0
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A0, invariant=1)
    canvas.setLineWidth(8)
    canvas.rect(60, 60, width - 120, height - 120)
    canvas.setLineWidth(3)
    for x in range(200, int(width) - 100, 200):
        canvas.line(x, 200, x, height - 200)
    for y in range(200, int(height) - 100, 200):
        canvas.line(200, y, width - 200, y)
    canvas.setFont("Helvetica-Bold", 96)
    canvas.drawString(300, height - 400, "A0-DRAWING")
    canvas.showPage()
    canvas.save()
    return _write(folder, "A0图纸.pdf", buffer.getvalue())


# --------------------------------------------------------------------------- either way


def png_unknown_text_compression(folder: Path) -> Path:
    """A valid image with an ancillary zTXt chunk whose compression method is 1.

    libpng drops the chunk with a warning and shows the image; Pillow raises
    "Unknown compression method" on open ("cannot identify image file"). Broken or
    fine is a choice; check and bind must make the same one.
    """
    chunk = _png_chunk(b"zTXt", b"Comment\x00\x01" + zlib.compress(b"scanner"))
    data = _png(620, 877, _grey_rows(620, 877), before_idat=chunk)
    return _write(folder, "文字块压缩未知.png", data)


# --------------------------------------------------------------------------- the corpus

Verdict = Literal["repairable", "broken", "fine", "either"]


@dataclass(frozen=True)
class Odd:
    """One corpus file: how to build it, what check and bind must make of it, how many
    pages it adds when bound, and a text PDFium extracts from its first bound page."""

    build: Callable[[Path], Path]
    verdict: Verdict
    pages: int = 1
    marker: str | None = None

    @property
    def id(self) -> str:
        return self.build.__name__


CORPUS: tuple[Odd, ...] = (
    Odd(junk_before_header_pdf, "repairable", 2, "JUNK-1"),
    Odd(shifted_xref_pdf, "repairable", 2, "XREF-1"),
    Odd(missing_xref_pdf, "repairable", 2, "NOXREF-1"),
    Odd(no_mediabox_pdf, "repairable", 1, "NOBOX-1"),
    Odd(truncated_jpeg, "broken"),
    Odd(png_pixel_bomb, "broken"),
    Odd(png_bad_ihdr_compression, "broken"),
    Odd(garbage_pdf, "broken"),
    Odd(corrupt_flate_pdf, "broken"),
    Odd(password_pdf, "broken"),
    Odd(png_large_text_chunk, "fine"),
    Odd(png_16bit_rgb, "fine"),
    Odd(cmyk_jpeg, "fine"),
    Odd(cut_content_pdf, "fine", 2, "签名"),
    Odd(tiny_page_pdf, "fine"),
    Odd(a0_drawing_pdf, "fine", 1, "A0-DRAWING"),
    Odd(png_unknown_text_compression, "either"),
)


def corpus(verdict: Verdict) -> list[Odd]:
    return [odd for odd in CORPUS if odd.verdict == verdict]


# --------------------------------------------------------------------------- pages for (b), (c)


def signature_pdf(folder: Path) -> Path:
    """A born-digital 承诺书 page whose signature line SIGNATURE is drawn, centred, at
    y = 22 pt: inside the band at the bottom centre where the number goes."""
    font = _font_name()
    from reportlab.pdfbase.pdfmetrics import stringWidth

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setFont(font, 16)
    canvas.drawCentredString(A4[0] / 2, 760, "真实性承诺书")
    canvas.setFont(font, 12)
    canvas.drawString(72, 700, "本人承诺申报材料真实准确。")
    width = stringWidth(SIGNATURE, font, SIGNATURE_SIZE)
    canvas.setFont(font, SIGNATURE_SIZE)
    canvas.drawString((A4[0] - width) / 2, SIGNATURE_BASELINE, SIGNATURE)
    canvas.showPage()
    canvas.save()
    return _write(folder, "承诺书签字页.pdf", buffer.getvalue())


def blank_band_pdf(folder: Path) -> Path:
    """A born-digital page whose text (BAND-1 and a Chinese line) sits near the top and
    whose lower half is empty: the number fits without moving anything."""
    return _write(folder, "下部空白.pdf", marked_pdf("BAND", pages=1))


def scan_page_pdf(folder: Path) -> Path:
    """A scanned page: one grey JPEG (200 dpi) stretched over the whole A4 page, grey
    (SCAN_GREY) right to its edges, the bottom band included."""
    size = (round(A4[0] / 72 * 200), round(A4[1] / 72 * 200))
    jpeg = _jpeg(scan_image(size, seed=11), quality=70)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.drawImage(ImageReader(io.BytesIO(jpeg)), 0, 0, width=A4[0], height=A4[1])
    canvas.showPage()
    canvas.save()
    return _write(folder, "扫描件.pdf", buffer.getvalue())


def scan_jpeg(folder: Path) -> Path:
    """A grey JPEG scan of an A4 page at 150 dpi: bound as a page it fills."""
    data = _jpeg(scan_image((1240, 1754), seed=12), quality=70, dpi=(150, 150))
    return _write(folder, "扫描照片.jpg", data)


def grey_band_pdf(folder: Path) -> Path:
    """A born-digital page (text at the top) with a grey rectangle (BAND_GREY) over the
    whole width of its bottom 80 pt: vector content in the number's band, no scan."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setFont("Helvetica", 14)
    canvas.drawString(72, 760, "GREY-1")
    canvas.setFillGray(BAND_GREY)
    canvas.rect(0, 0, A4[0], 80, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    return _write(folder, "底部灰条.pdf", buffer.getvalue())
