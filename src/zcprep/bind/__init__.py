"""zcprep bind: one volume per applicant — 目录 first, every bound page numbered.

The bound items are the notice's ``bound`` materials in checklist order; each item's
files are the ones ``check`` assigns to it (zcprep.model.collect: its folders, then the files
in the dossier its ``patterns`` match), in natural order (1, 2, 10), each bound by what
its content is, whatever its extension (.jfif, .JPG, a PNG named .pdf). PDF pages are
kept as they are (A3 and landscape too); JPEG/PNG files become pages without
re-encoding (see image_data.py).

The engine is pikepdf (qpdf): pages are copied as objects, their streams never
decoded and compressed again; qpdf repairs damaged files on reading, as check's probe
reads them, so check and bind share one verdict per file (zcprep.probe, cached by file
content). Each copied page's original content becomes a form XObject, and the page's
new content draws it, then the number: a broken original stream cannot swallow the
number. The number goes where the page paints nothing (the probe's ink), the content
shrunk a little to make room where needed; a white box backs it only on full-page
scans (layout.py). reportlab draws the 目录 and one sampler page whose glyph codes the
numbers are written with, so the volume embeds one font.

A dossier with ``check`` errors is refused, with the list, unless ``force``: then the
volume is a preview (预览稿 in its name and on every page, missing items 缺 in the
目录). Nothing is written inside dossiers/; the volume and its JSON sidecar go to
out/NAME/ atomically.
"""

from __future__ import annotations

from zcprep.bind.numbers import PREVIEW_MARK, draw_number, number_position, number_text
from zcprep.bind.plan import check_errors, collect_items, toc_title
from zcprep.bind.run import bind_dossier, bind_dossiers
from zcprep.bind.volume import (
    PREVIEW_SUFFIX,
    VOLUME_SUFFIX,
    BindResult,
    BoundItem,
    Failure,
    Refusal,
    SourceFile,
    Volume,
)

__all__ = [
    "PREVIEW_MARK",
    "PREVIEW_SUFFIX",
    "VOLUME_SUFFIX",
    "BindResult",
    "BoundItem",
    "Failure",
    "Refusal",
    "SourceFile",
    "Volume",
    "bind_dossier",
    "bind_dossiers",
    "check_errors",
    "collect_items",
    "draw_number",
    "number_position",
    "number_text",
    "toc_title",
]
