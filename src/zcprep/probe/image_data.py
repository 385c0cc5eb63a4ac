"""JPEG and PNG files read into a PDF image's data, decoded only where need be.

check's probe reads every picture through these same functions (``encode=False``), so
what check calls fine, bind can embed, and what bind would refuse, check reports first.

A JPEG goes into the PDF as it is (a /DCTDecode image holding the file's bytes): the
scan keeps its quality and the volume stays the size of its inputs. A phone photo's
EXIF orientation is honoured through the drawing matrix, not by decoding and turning
the pixels. An opaque 8-bit PNG keeps its compressed data too (/FlateDecode with the
PNG predictor); only PNGs with transparency, 16-bit samples or interlacing are decoded
by Pillow, flattened onto white and compressed again.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zcprep.errors import InputError
from zcprep.oserrors import os_problem
from zcprep.probe.image import MAX_IMAGE_PIXELS, TOO_MANY_PIXELS, png_chunks
from zcprep.probe.sniff import PNG_SIGNATURE

PLAUSIBLE_DPI = (50.0, 2400.0)
# Pillow refuses pictures over twice its MAX_IMAGE_PIXELS (about 179 million) as
# decompression bombs: a header that claims that many is a broken or hostile file
# (zcprep.probe.TOO_MANY_PIXELS says so, in the words check uses).

_JPEG_SIGNATURE = b"\xff\xd8\xff"
_EXIF_ORIENTATION = 0x0112

# EXIF orientation → how a point (u, v) of the stored picture (unit square, y up) lands
# in the displayed picture: u' = a*u + b*v + c, v' = d*u + e*v + f.
ORIENTATIONS: dict[int, tuple[int, int, int, int, int, int]] = {
    1: (1, 0, 0, 0, 1, 0),
    2: (-1, 0, 1, 0, 1, 0),  # mirrored left-right
    3: (-1, 0, 1, 0, -1, 1),  # turned 180°
    4: (1, 0, 0, 0, -1, 1),  # mirrored top-bottom
    5: (0, -1, 1, -1, 0, 1),  # transposed
    6: (0, 1, 0, -1, 0, 1),  # shown turned 90° clockwise
    7: (0, 1, 0, 1, 0, 0),  # transversed
    8: (0, -1, 1, 1, 0, 0),  # shown turned 90° counter-clockwise
}


@dataclass(frozen=True)
class EmbeddedImage:
    """An image XObject's data and dictionary entries, ready for a PDF."""

    data: bytes
    width: int
    height: int
    color_space: Any  # "/DeviceRGB" … or ["/Indexed", "/DeviceRGB", hival, palette]
    bits: int
    filter: str
    decode: tuple[float, ...] | None = None
    decode_parms: dict[str, int] = field(default_factory=dict)
    orientation: int = 1
    dpi: tuple[float, float] | None = None


class UnreadableImage(InputError):
    """A picture bind cannot embed; ``why`` says why in Chinese (check's finding)."""

    def __init__(self, shown: str, why: str) -> None:
        super().__init__(
            f"{shown}：无法读取图片（{why}）。",
            "用看图软件打开确认，必要时重新扫描或另存为 JPG/PNG，再运行 zcprep bind。",
        )
        self.why = why


def _unreadable(shown: str, why: str) -> UnreadableImage:
    return UnreadableImage(shown, why)


def load_image(path: Path, shown: str | None = None) -> EmbeddedImage:
    """Read a JPEG or PNG file into an :class:`EmbeddedImage` (``shown`` names it in errors)."""
    shown = shown or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        problem = os_problem(exc, path)
        error = _unreadable(shown, problem.reason)
        error.hint = problem.remedy  # the file's place, not its content, is at fault
        raise error from None
    return image_from_bytes(data, shown)


def image_from_bytes(data: bytes, shown: str, *, encode: bool = True) -> EmbeddedImage:
    """:func:`load_image` on a file's bytes. ``encode=False`` (check's probe) decodes
    what bind would decode but skips re-compressing it: the same verdict, cheaper."""
    if data.startswith(_JPEG_SIGNATURE):
        return _jpeg(data, shown)
    if data.startswith(PNG_SIGNATURE):
        return _png(data, shown, encode=encode)
    raise _unreadable(shown, "不是 JPEG 或 PNG 格式")


def image_error_text(exc: BaseException) -> str:
    """What Pillow's failure means, in Chinese (never its English or an object name)."""
    if type(exc).__name__ == "DecompressionBombError":
        return TOO_MANY_PIXELS
    text = str(exc).lower()
    if "truncated" in text or "broken data stream" in text:
        return "图片不完整，可能下载或复制时中断"
    if "compression" in text or "filter" in text:
        return "图片的压缩方式无效"
    return "文件已损坏或不是有效的图片"


# --------------------------------------------------------------------------- JPEG


def _jpeg(data: bytes, shown: str) -> EmbeddedImage:
    """The JPEG's bytes as they are; Pillow only reads the header."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            mode, (width, height) = im.mode, im.size
            info = dict(im.info)
            orientation = _orientation(im)
    except Image.DecompressionBombError:
        raise _unreadable(shown, TOO_MANY_PIXELS) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _unreadable(shown, image_error_text(exc)) from None
    spaces = {"L": "/DeviceGray", "RGB": "/DeviceRGB", "CMYK": "/DeviceCMYK"}
    if mode not in spaces:
        raise _unreadable(shown, f"不支持的 JPEG 颜色模式 {mode}")
    decode = None
    if mode == "CMYK" and "adobe" in info:
        # Photoshop-style (Adobe APP14) CMYK JPEGs store inverted samples.
        decode = (1.0, 0.0) * 4
    return EmbeddedImage(
        data=data,
        width=width,
        height=height,
        color_space=spaces[mode],
        bits=8,
        filter="/DCTDecode",
        decode=decode,
        orientation=orientation,
        dpi=_dpi(info),
    )


def _orientation(im: Any) -> int:
    """The EXIF orientation (1–8); a missing or bogus value (0, 9, text) means 1."""
    try:
        value = im.getexif().get(_EXIF_ORIENTATION, 1)
    except Exception:  # noqa: BLE001 - broken EXIF blocks are common; the picture is fine
        return 1
    return value if isinstance(value, int) and value in ORIENTATIONS else 1


def _dpi(info: dict[Any, Any]) -> tuple[float, float] | None:
    dpi = info.get("dpi")
    try:
        x, y = float(dpi[0]), float(dpi[1])  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return None
    low, high = PLAUSIBLE_DPI
    return (x, y) if low <= x <= high and low <= y <= high else None


# --------------------------------------------------------------------------- PNG


@dataclass(frozen=True)
class _PngChunks:
    width: int
    height: int
    bit_depth: int
    color_type: int
    interlace: int
    palette: bytes
    has_transparency: bool
    idat: bytes


def _png_chunks(data: bytes) -> _PngChunks:
    header: tuple[int, ...] | None = None
    palette = b""
    transparency = False
    idat: list[bytes] = []
    for kind, body in png_chunks(data):
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body[:13])
        elif kind == b"PLTE":
            palette = body
        elif kind == b"tRNS":
            transparency = True
        elif kind == b"IDAT":
            idat.append(body)
    if header is None or not idat:
        raise ValueError("PNG 缺少图像数据")
    width, height, bit_depth, color_type, compression, filtering, interlace = header
    if compression != 0 or filtering != 0:
        raise ValueError("图片的压缩方式无效")
    return _PngChunks(
        width, height, bit_depth, color_type, interlace, palette, transparency, b"".join(idat)
    )


def _png(data: bytes, shown: str, *, encode: bool = True) -> EmbeddedImage:
    from PIL import Image, UnidentifiedImageError

    try:
        chunks = _png_chunks(data)
        if chunks.width * chunks.height > MAX_IMAGE_PIXELS:
            raise Image.DecompressionBombError(TOO_MANY_PIXELS)
        with Image.open(io.BytesIO(_without_text(data))) as im:
            dpi = _dpi(im.info)
            orientation = _orientation(im)
            if _png_passes_through(chunks):
                if not encode:
                    im.load()  # the data must decode: viewers would show a broken picture
                return _png_embedded(chunks, dpi, orientation)
            im.load()
            flat = flatten(im)
    except Image.DecompressionBombError:
        raise _unreadable(shown, TOO_MANY_PIXELS) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as exc:
        raise _unreadable(shown, image_error_text(exc)) from None
    if not encode:  # decoded and flattened as bind would: the verdict, without the data
        return EmbeddedImage(
            b"", chunks.width, chunks.height, "/DeviceRGB", 8, "/FlateDecode", dpi=dpi
        )
    buffer = io.BytesIO()
    flat.save(buffer, format="PNG", compress_level=6)
    return _png_embedded(_png_chunks(buffer.getvalue()), dpi, orientation)


_TEXT_CHUNKS = (b"tEXt", b"zTXt", b"iTXt")


def _without_text(data: bytes) -> bytes:
    """The PNG without its text chunks: a scanner's or editor's megabytes of metadata
    make Pillow refuse a picture that is otherwise fine, and a PDF keeps none of it."""
    if not any(kind in _TEXT_CHUNKS for kind, _body in png_chunks(data)):
        return data
    parts = [PNG_SIGNATURE]
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 12 + length
        if kind not in _TEXT_CHUNKS:
            parts.append(data[position:end])
        if kind == b"IEND":
            break
        position = end
    return b"".join(parts)


def _png_passes_through(png: _PngChunks) -> bool:
    """Opaque, non-interlaced gray/RGB/palette PNGs whose data PDF can take as it is."""
    if png.interlace or png.has_transparency:
        return False
    if png.color_type == 0:
        return png.bit_depth in (1, 2, 4, 8)
    if png.color_type == 2:
        return png.bit_depth == 8
    if png.color_type == 3:
        return png.bit_depth in (1, 2, 4, 8) and bool(png.palette)
    return False


def _png_embedded(
    png: _PngChunks, dpi: tuple[float, float] | None, orientation: int
) -> EmbeddedImage:
    colors = {0: 1, 2: 3, 3: 1}[png.color_type]
    color_space: Any
    if png.color_type == 0:
        color_space = "/DeviceGray"
    elif png.color_type == 2:
        color_space = "/DeviceRGB"
    else:
        color_space = ["/Indexed", "/DeviceRGB", len(png.palette) // 3 - 1, png.palette]
    return EmbeddedImage(
        data=png.idat,
        width=png.width,
        height=png.height,
        color_space=color_space,
        bits=png.bit_depth,
        filter="/FlateDecode",
        decode_parms={
            "/Predictor": 15,
            "/Colors": colors,
            "/BitsPerComponent": png.bit_depth,
            "/Columns": png.width,
        },
        orientation=orientation,
        dpi=dpi,
    )


def flatten(im: Any) -> Any:
    """An 8-bit opaque gray or RGB copy: alpha flattened onto white, 16-bit scaled down."""
    from PIL import Image

    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        high = 255 if im.mode == "I" and im.getextrema()[1] <= 255 else 65535
        im = im.convert("I").point(lambda v: v * (255 / high)).convert("L")
    gray = im.mode in ("1", "L", "LA", "La") or (im.mode == "P" and _palette_is_gray(im))
    if im.mode in ("RGBA", "LA", "La", "RGBa", "PA") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        im = white
    elif im.mode == "CMYK":
        return im
    return im.convert("L") if gray else im.convert("RGB")


def _palette_is_gray(im: Any) -> bool:
    colors = im.convert("RGB").getcolors(maxcolors=256)
    return bool(colors) and all(r == g == b for _count, (r, g, b) in colors)
