"""Copying the bound pages into the volume, in order and upright, each on its sheet.

Each source PDF page is copied with pikepdf (its streams are copied as they are, never
decoded and compressed again) and its original content becomes a form XObject drawn by
the page's new content stream. The number is drawn after it, in the page's own stream:
a damaged original stream (cut mid-operator, an unclosed string) ends inside its form
and cannot swallow the number, as it does when the number is simply appended. A /Rotate
becomes the drawing matrix, so the number is upright; pages far from office paper are
put on paper (layout.py). A JPEG or PNG becomes a page of its own (images.py).

What each page paints (its ink) comes from check's probe of the file, so that the
number can be put where the page is blank (numbers are stamped last, in run.py).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from zcprep.bind.layout import (
    FULL_SCAN,
    Box,
    Matrix,
    clip,
    map_box,
    multiply,
    sheet_for,
    upright,
)
from zcprep.bind.numbers import BAND_PAD, NUMBER_BASELINE, matrix_text
from zcprep.bind.plan import _nothing_to_bind
from zcprep.bind.sources import (
    _broken,
    _skip_or_raise,
    _time_bound,
    open_pdf,
    verdict,
)
from zcprep.bind.volume import SourceFile, _Item
from zcprep.errors import InputError
from zcprep.probe import pdf_error_text

if TYPE_CHECKING:
    from zcprep.model.notice import Bind
    from zcprep.model.workspace import Workspace
    from zcprep.probe import FileProbe, PageProbe

_BOXES = ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")
_SLICE = 256


@dataclass(frozen=True)
class _Page:
    """A bound page before its number: its sheet, how its content is drawn on it (in
    sheet coordinates), where it paints there, and whether it is a full-page scan."""

    page: Any  # the pikepdf page in the volume
    width: float
    height: float
    drawing: bytes
    matrix: Matrix  # source page space → sheet (annotations follow it)
    ink: Box | None
    full_scan: bool
    resized: bool = False


@dataclass
class _Copy:
    """What copying needs: the volume and the content streams already made forms."""

    pdf: Any
    band: float
    forms: set[tuple[int, int]]


def _assemble(
    workspace: Workspace,
    dossier: Path,
    items: list[_Item],
    handles: contextlib.ExitStack,
    warnings: list[str],
    settings: Bind,
    skipped: list[str] | None = None,
) -> tuple[Any, list[_Item], list[int], list[_Page], int]:
    """All bound pages in order, upright; the items bound, their page counts, the pages
    and the input bytes. With ``skipped`` a file that cannot be bound is left out (pages
    it had added are removed again) and noted there; otherwise its InputError propagates.

    The source PDFs stay open (closed by ``handles`` after writing): their pages are
    copied as objects, and their images are read when the volume is written.
    """
    import pikepdf

    copy = _Copy(
        handles.enter_context(pikepdf.new()),
        NUMBER_BASELINE + settings.font_size + 2 * BAND_PAD,
        set(),
    )
    kept: list[_Item] = []
    counts: list[int] = []
    pending: list[_Pending] = []
    input_bytes = 0
    for material, files in items:
        before = len(pending)
        bound: list[SourceFile] = []
        for file in files:
            try:
                probe = verdict(file)
                with _time_bound(file):
                    added = _add_file(copy, file, probe, handles, warnings)
            except InputError as exc:
                _skip_or_raise(exc, skipped)
                if len(copy.pdf.pages) > len(pending):  # a file that broke half way
                    del copy.pdf.pages[len(pending) :]
                continue
            pending += added
            input_bytes += file.path.stat().st_size
            bound.append(file)
        if bound:
            kept.append((material, bound))
            counts.append(len(pending) - before)
    if not kept:
        raise _nothing_to_bind(workspace, dossier)
    # One pass over the volume's pages: pikepdf looks a page up by index in O(pages).
    pages = [
        entry if isinstance(entry, _Page) else _rebuild(copy, page, *entry)
        for page, entry in zip(copy.pdf.pages, pending, strict=True)
    ]
    return copy.pdf, kept, counts, pages, input_bytes


# A copied PDF page waiting to become a sheet: its file and check's probe of it.
_Pending: TypeAlias = "_Page | tuple[SourceFile, PageProbe | None]"


def _add_file(
    copy: _Copy,
    file: SourceFile,
    probe: FileProbe | None,
    handles: contextlib.ExitStack,
    warnings: list[str],
) -> list[_Pending]:
    if file.kind == "image":
        return [_add_image(copy, file)]
    source = open_pdf(file, handles)
    if probe is not None and probe.repaired:
        warnings.append(
            f"{file.shown}：PDF 结构有小错误，已自动修复后装订（原文件未改动）；"
            "请打开申报册核对这份材料的页面。"
        )
    probed = {page.number: page for page in probe.pages} if probe is not None else {}
    try:
        pages = list(source.pages)
        count = len(pages)
        # In slices: a page tree that takes qpdf minutes to copy is stopped by the time
        # limit between two slices (no alarm interrupts qpdf itself).
        for start in range(0, count, _SLICE):
            copy.pdf.pages.extend(pages[start : start + _SLICE])
    except Exception as exc:  # noqa: BLE001 - qpdf's failures become one Chinese message
        raise _broken(file, pdf_error_text(exc)) from None
    return [(file, probed.get(number)) for number in range(1, count + 1)]


def _add_image(copy: _Copy, file: SourceFile) -> _Page:
    from zcprep.bind.images import add_image_page
    from zcprep.probe.image_data import load_image

    page, placement, drawing = add_image_page(copy.pdf, load_image(file.path, file.shown))
    width, height = placement.page_width, placement.page_height
    ink = (
        placement.x,
        placement.y,
        placement.x + placement.width,
        placement.y + placement.height,
    )
    cover = placement.width * placement.height / (width * height)
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return _Page(page, width, height, drawing, identity, ink, cover >= FULL_SCAN)


def _rebuild(copy: _Copy, page: Any, file: SourceFile, probed: PageProbe | None) -> _Page:
    """Turn a copied page into a sheet whose content draws the original as a form."""
    try:
        return _sheet(copy, page, probed)
    except Exception as exc:  # noqa: BLE001 - a malformed page object becomes one message
        raise _broken(file, pdf_error_text(exc)) from None


def _sheet(copy: _Copy, page: Any, probed: PageProbe | None) -> _Page:
    from pikepdf import Array, Dictionary

    from zcprep.probe.page import page_boxes

    media, visible, rotation = page_boxes(page)
    up = upright(visible, rotation)
    width, height = map_box(up, visible)[2:]
    sheet = sheet_for(width, height, copy.band)
    matrix = multiply(up, sheet.matrix)
    form = _as_form(copy, page, visible)
    obj = page.obj
    for name in (*_BOXES, "/Rotate"):
        if name in obj:
            del obj[name]
    obj.MediaBox = Array([0, 0, sheet.width, sheet.height])
    obj.Resources = Dictionary(XObject=Dictionary(ZcPage=form))
    if "/Group" in obj:
        form.Group = obj.Group
    ink: Box | None = visible
    full_scan = False
    if probed is not None:
        if probed.ink_exact:
            ink = probed.ink
        full_scan = probed.scan_cover >= FULL_SCAN
    if ink is not None:
        ink = clip(map_box(matrix, ink), sheet.width, sheet.height)
    drawing = f"q {matrix_text(matrix)} cm /ZcPage Do Q".encode("ascii")
    del media
    return _Page(
        page, sheet.width, sheet.height, drawing, matrix, ink, full_scan, resized=sheet.resized
    )


def _as_form(copy: _Copy, page: Any, visible: Box) -> Any:
    """The page's content as a form XObject clipped to its visible box.

    A single content stream becomes the form itself (its bytes untouched); several
    streams (which viewers join) are joined into one; a stream shared by several
    pages is copied, so each page's form has its own box.
    """
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    from zcprep.probe.page import page_content

    contents = page.obj.get("/Contents")
    if (
        isinstance(contents, pikepdf.Stream)
        and contents.is_indirect
        and contents.objgen not in copy.forms
    ):
        form = contents
    else:
        form = copy.pdf.make_stream(page_content(page))
    copy.forms.add(form.objgen)
    form.Type = Name.XObject
    form.Subtype = Name.Form
    form.BBox = Array(list(visible))
    resources = page.obj.get("/Resources")
    form.Resources = resources if isinstance(resources, Dictionary) else Dictionary()
    return form


def move_annotations(page: Any, matrix: Matrix) -> None:
    """Links, notes and signature fields follow the content to its place on the sheet."""
    import pikepdf

    annots = page.obj.get("/Annots")
    if not isinstance(annots, pikepdf.Array) or matrix == (1.0, 0.0, 0.0, 1.0, 0.0, 0.0):
        return
    for annot in annots:
        if not isinstance(annot, pikepdf.Dictionary):
            continue
        rect: Any = annot.get("/Rect")
        try:
            x0, y0, x1, y1 = (float(v) for v in rect)
        except (TypeError, ValueError):
            continue
        annot.Rect = pikepdf.Array(list(map_box(matrix, (x0, y0, x1, y1))))
        if "/QuadPoints" in annot:
            del annot["/QuadPoints"]
