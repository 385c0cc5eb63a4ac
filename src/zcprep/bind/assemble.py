"""Copying the bound pages into the volume's writer, in order and upright.

Each PDF page is added as it is, read on demand from its open file; a /Rotate is turned
into the content by wrapping the original content stream (never decoding it), so that
the number stamped later is upright. A JPEG or PNG becomes a page of its own
(images.py). The content-stream helpers here are shared with the number stamping.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zcprep.bind.image_data import load_image
from zcprep.bind.images import add_image_page
from zcprep.bind.plan import _nothing_to_bind
from zcprep.bind.sources import (
    _broken,
    _pdf_errors,
    _skip_or_raise,
    _time_bound,
    _unbindable,
    open_pdf,
)
from zcprep.bind.volume import SourceFile, _Item
from zcprep.errors import InputError
from zcprep.probe import pdf_error_text

if TYPE_CHECKING:
    from pypdf import PageObject, PdfWriter

    from zcprep.model.workspace import Workspace


@dataclass(frozen=True)
class _Box:
    """The visible part of a bound page (CropBox within MediaBox), after any rotation."""

    left: float
    bottom: float
    width: float
    height: float


def _visible_box(page: PageObject) -> _Box:
    media, crop = page.mediabox, page.cropbox
    left = max(float(media.left), float(crop.left))
    bottom = max(float(media.bottom), float(crop.bottom))
    right = min(float(media.right), float(crop.right))
    top = min(float(media.top), float(crop.top))
    if right - left < 1 or top - bottom < 1:  # a nonsense CropBox: fall back to the media
        left, bottom = float(media.left), float(media.bottom)
        right, top = float(media.right), float(media.top)
    return _Box(left, bottom, right - left, top - bottom)


def _assemble(
    workspace: Workspace,
    dossier: Path,
    items: list[_Item],
    handles: contextlib.ExitStack,
    warnings: list[str],
    skipped: list[str] | None = None,
) -> tuple[PdfWriter, list[_Item], list[int], list[_Box], int]:
    """All bound pages in order, upright; the items bound, their page counts, boxes and
    input bytes. With ``skipped`` an unreadable file is left out (pages it had added
    are removed again) and noted there; otherwise its InputError propagates.

    PDFs are read from open files (closed by ``handles`` after writing), not loaded
    whole: only the objects copied into the volume are held, so the peak memory stays
    near one copy of the inputs.
    """
    from pypdf import PdfWriter

    writer = PdfWriter()
    kept: list[_Item] = []
    counts: list[int] = []
    boxes: list[_Box] = []
    input_bytes = 0
    for material, files in items:
        before = len(boxes)
        bound: list[SourceFile] = []
        for file in files:
            try:
                with _time_bound(file):
                    added = _add_file(writer, file, handles, warnings)
            except InputError as exc:
                _skip_or_raise(exc, skipped)
                while len(writer.pages) > len(boxes):  # a file that broke half way
                    writer.remove_page(len(writer.pages) - 1)
                continue
            boxes += added
            input_bytes += file.path.stat().st_size
            bound.append(file)
        if bound:
            kept.append((material, bound))
            counts.append(len(boxes) - before)
    if not kept:
        raise _nothing_to_bind(workspace, dossier)
    return writer, kept, counts, boxes, input_bytes


def _add_file(
    writer: PdfWriter, file: SourceFile, handles: contextlib.ExitStack, warnings: list[str]
) -> list[_Box]:
    if file.problem is not None:
        raise _unbindable(file)
    if file.kind == "image":
        page = add_image_page(writer, load_image(file.path, file.shown))
        return [_visible_box(page)]
    with _repairs_noted(file, warnings):
        return _add_pdf(writer, file, handles)


@contextlib.contextmanager
def _repairs_noted(file: SourceFile, warnings: list[str]) -> Iterator[None]:
    """pypdf logs (in English) what it repairs in a damaged file; say it once, in Chinese."""
    from zcprep.probe import quiet_pypdf

    with quiet_pypdf() as collector:
        yield
    if collector.messages:
        warnings.append(
            f"{file.shown}：PDF 结构有小问题，已自动修复后装订；请打开申报册核对这份材料的页面。"
        )


def _add_pdf(writer: PdfWriter, file: SourceFile, handles: contextlib.ExitStack) -> list[_Box]:
    reader = open_pdf(file, handles)
    boxes = []
    try:
        for page in reader.pages:
            added = writer.add_page(page)
            _upright(writer, added)
            boxes.append(_visible_box(added))
    except _pdf_errors() as exc:
        raise _broken(file, pdf_error_text(exc), page=len(boxes) + 1) from None
    return boxes


def _stream(writer: PdfWriter, data: bytes) -> Any:
    """A new content stream object in ``writer`` (Flate-compressed), by reference."""
    from pypdf.generic import NameObject, StreamObject

    stream = StreamObject()
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream.set_data(zlib.compress(data))
    return writer._add_object(stream)


def _wrap_contents(writer: PdfWriter, page: PageObject, before: Any, after: Any) -> None:
    """Put stream references around the page's own content, without decoding it.

    pypdf's merge_page and transfer_rotation_to_content parse and rewrite the whole
    content stream; a born-digital page may have megabytes of it. Wrapping (a PDF
    content array is read as one stream) keeps the original bytes and costs nothing.
    """
    from pypdf.generic import ArrayObject, IndirectObject, NameObject

    raw = page.get("/Contents")
    content = raw.get_object() if raw is not None else None
    parts: list[Any] = []
    if isinstance(content, ArrayObject):
        parts = [
            part if isinstance(part, IndirectObject) else writer._add_object(part)
            for part in content
        ]
    elif content is not None:
        parts = [raw if isinstance(raw, IndirectObject) else writer._add_object(content)]
    page[NameObject("/Contents")] = ArrayObject([before, *parts, after])


def _rotation_matrix(page: PageObject, rotation: int) -> Any:
    """The transformation pypdf's ``transfer_rotation_to_content`` applies."""
    from pypdf import Transformation
    from pypdf.generic import RectangleObject

    media = RectangleObject(page.mediabox)
    centre = Transformation().translate(
        -float(media.left + media.width / 2), -float(media.bottom + media.height / 2)
    )
    turned = centre.rotate(-rotation)
    low = turned.apply_on(media.lower_left)
    high = turned.apply_on(media.upper_right)
    return turned.translate(-min(low[0], high[0]), -min(low[1], high[1]))


def _upright(writer: PdfWriter, page: PageObject) -> None:
    """Turn a page's /Rotate into its content, so that the number is drawn upright.

    Same result as pypdf's ``transfer_rotation_to_content()`` (boxes included), done
    by wrapping the content in ``q <matrix> cm … Q`` instead of rewriting it.
    """
    from pypdf.generic import NameObject, NumberObject, RectangleObject

    rotation = page.rotation % 360
    if rotation % 90:  # not a valid /Rotate: viewers ignore it, and so do we
        page[NameObject("/Rotate")] = NumberObject(0)
        return
    if not rotation:
        return
    matrix = _rotation_matrix(page, rotation)
    numbers = " ".join(_pdf_number(v) for v in matrix.ctm)
    _wrap_contents(
        writer,
        page,
        _stream(writer, f"q {numbers} cm\n".encode("ascii")),
        _stream(writer, b"\nQ\n"),
    )
    for name in ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
        if name in page:
            box = RectangleObject(page[name])  # type: ignore[arg-type]
            low, high = matrix.apply_on(box.lower_left), matrix.apply_on(box.upper_right)
            page[NameObject(name)] = RectangleObject(
                (
                    min(low[0], high[0]),
                    min(low[1], high[1]),
                    max(low[0], high[0]),
                    max(low[1], high[1]),
                )
            )
    page[NameObject("/Rotate")] = NumberObject(0)


def _pdf_number(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
