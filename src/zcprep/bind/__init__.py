"""zcprep bind: one volume per applicant — 目录 first, every bound page numbered.

The bound items are the notice's ``bound`` materials in checklist order; each item's
files are the ones ``check`` assigns to it (zcprep.model.collect: its folders, then the files
in the dossier its ``patterns`` match), in natural order (1, 2, 10), each bound by what
its content is, whatever its extension (.jfif, .JPG, a PNG named .pdf). PDF pages are
kept as they are (A3 and landscape too); JPEG/PNG files become pages without
re-encoding (see image_data.py).

One reportlab document holds the 目录 and, for every bound page, a page of its own
visible size carrying only the number; sharing one document means one embedded font
for the whole volume. Each number page's content is then appended to its target as
``q <original content> Q q <move to the CropBox origin> <number> Q``, after any /Rotate
has been turned into the content (so the number is upright). This is what pypdf's
``transfer_rotation_to_content`` + ``merge_page`` + ``compress_content_streams`` do,
without decoding, parsing and re-compressing every original content stream: the
original bytes are kept as they are, which is both faster (about 1.5× qpdf on a
311-page scan, see bench/bind_bench.py) and smaller (+0.4 % over the inputs). Identical
objects are merged before writing.

A dossier with ``check`` errors is refused, with the list, unless ``force``. Nothing is
written inside dossiers/; the volume and its JSON sidecar go to out/NAME/ atomically.
"""

from __future__ import annotations

from zcprep.bind.numbers import draw_number, number_position, number_text
from zcprep.bind.plan import check_errors, collect_items, toc_title
from zcprep.bind.run import bind_dossier, bind_dossiers
from zcprep.bind.sources import open_pdf
from zcprep.bind.volume import (
    VOLUME_SUFFIX,
    BindResult,
    BoundItem,
    Failure,
    Refusal,
    SourceFile,
    Volume,
)

__all__ = [
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
    "open_pdf",
    "toc_title",
]
