"""Reading a JPEG or PNG picture: its size, and whether it is whole and bindable.

A draft decode of a JPEG (a truncated file is found), a walk over a PNG's chunks, then
the very reading bind embeds the picture with (zcprep.probe.image_data, without its
re-compression): what check calls fine, bind embeds; what bind would refuse, check
reports in the same words.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator

from zcprep.probe.result import FileProbe, _replace
from zcprep.probe.sniff import PNG_SIGNATURE

# Pillow refuses a picture over twice its MAX_IMAGE_PIXELS as a decompression bomb; bind
# reads pictures with Pillow, so check says the same about such a file.
MAX_IMAGE_PIXELS = 2 * 89_478_485
TOO_MANY_PIXELS = "图片头信息声称的像素数大得不合常理，文件已损坏或不是真正的扫描件"


def _probe_jpeg(base: FileProbe, data: bytes) -> FileProbe:
    """Size from the header; a draft (1/8 scale) decode catches a truncated file cheaply."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            size = image.size
            image.draft("L", (max(1, size[0] // 8), max(1, size[1] // 8)))
            image.load()
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for bad data
        return _replace(base, status="unreadable", detail=_image_error_text(exc), page_count=1)
    problem = _bindable(data)
    if problem:
        return _replace(base, status="unreadable", detail=problem, page_count=1)
    return _replace(base, image_size=size, page_count=1)


def _bindable(data: bytes) -> str | None:
    """Why bind could not embed the picture (in Chinese), or None."""
    from zcprep.probe.image_data import UnreadableImage, image_from_bytes

    try:
        image_from_bytes(data, "", encode=False)
    except UnreadableImage as exc:
        return exc.why
    return None


def png_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(type, body) of each chunk of a PNG file's bytes, up to and including IEND.

    A chunk cut short by the end of the data is yielded with what there is; a PNG
    that ends before IEND is truncated.
    """
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(data):
        length, chunk = struct.unpack(">I4s", data[position : position + 8])
        yield chunk, data[position + 8 : position + 8 + length]
        if chunk == b"IEND":
            return
        position += 12 + length


def _probe_png(base: FileProbe, data: bytes) -> FileProbe:
    """Walk the chunks to IEND: a truncated PNG is found without decoding the pixels."""
    size: tuple[int, int] | None = None
    ended = False
    for chunk, body in png_chunks(data):
        if chunk == b"IHDR" and len(body) >= 8:
            size = struct.unpack(">II", body[:8])
        ended = chunk == b"IEND"
    if not ended:
        return _replace(
            base, status="unreadable", detail="图片不完整，可能下载或复制时中断", page_count=1
        )
    if size is None or 0 in size:
        return _replace(base, status="unreadable", detail="图片头信息损坏", page_count=1)
    if size[0] * size[1] > MAX_IMAGE_PIXELS:
        return _replace(base, status="unreadable", detail=TOO_MANY_PIXELS, page_count=1)
    problem = _bindable(data)
    if problem:
        return _replace(base, status="unreadable", detail=problem, page_count=1)
    return _replace(base, image_size=size, page_count=1)


def _image_error_text(exc: BaseException) -> str:
    from zcprep.probe.image_data import image_error_text

    return image_error_text(exc)
