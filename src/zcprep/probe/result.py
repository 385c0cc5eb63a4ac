"""What probing a file yields: the kinds a file can be and the FileProbe/PageProbe records.

The vocabulary every reader of a probe shares (check's findings, bind's choice of what it
can use, the worker process that sends a FileProbe back through a pipe), kept apart from
the code that reads files so it can be imported without any of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

MM_PER_POINT = 25.4 / 72
A4_MM = (210.0, 297.0)
A3_MM = (297.0, 420.0)
# Scanners and PDF printers round A4 differently (209.9 × 297.2, 8.27 × 11.69 in).
PAGE_TOLERANCE_MM = 3.0
# A PDF of at most this many pages has its text layer summed up (forms are 1–2 pages).
TEXT_DIGEST_PAGES = 4
# The /Creator zcprep writes: "zcprep" on a form (render), "zcprep <version>" on a volume.
ZCPREP_CREATOR = "zcprep"


Kind = Literal[
    "pdf",
    "jpeg",
    "png",
    "gif",
    "bmp",
    "tiff",
    "webp",
    "heic",
    "html",
    "ole",
    "docx",
    "xlsx",
    "pptx",
    "ofd",
    "archive",
    "shortcut",
    "empty",
    "unknown",
]
Status = Literal["ok", "unreadable", "encrypted", "timeout", "skipped"]

# The kinds a notice's ``formats`` may name (pdf, jpg, png) and what bind can use.
FORMAT_KIND: dict[str, Kind] = {"pdf": "pdf", "jpg": "jpeg", "png": "png"}
ACCEPTED_KINDS: frozenset[str] = frozenset(FORMAT_KIND.values())

KIND_LABELS: dict[str, str] = {
    "pdf": "PDF 文件",
    "jpeg": "JPG 图片",
    "png": "PNG 图片",
    "gif": "GIF 图片",
    "bmp": "BMP 图片",
    "tiff": "TIFF 图片",
    "webp": "WebP 图片",
    "heic": "HEIC 照片（苹果手机默认格式）",
    "html": "网页文件（HTML/MHT）",
    "ole": "Word/WPS/Excel 旧格式文档（.doc/.wps/.xls）",
    "docx": "Word 文档（.docx）",
    "xlsx": "Excel 表格（.xlsx）",
    "pptx": "PowerPoint 演示文稿（.pptx）",
    "ofd": "OFD 版式文件",
    "archive": "压缩包",
    "shortcut": "Windows 快捷方式（.lnk）",
    "empty": "空文件",
    "unknown": "无法识别的文件",
}


@dataclass(frozen=True)
class PageProbe:
    """One PDF page as displayed (rotation applied), and where it paints.

    ``media`` and ``visible`` (the CropBox within the MediaBox) are in points, before
    /Rotate; so is ``ink``, the box of everything the page paints (None: nothing), which
    bind uses to put the number where the page is blank. ``ink_exact`` is False when the
    content could not be read through (then ``ink`` is the whole page). ``scan_cover`` is
    the share of the page the largest image covers (a full-page scan is near 1).
    """

    number: int
    width_mm: float
    height_mm: float
    rotation: int
    scan_dpi: float | None = None
    marking: str | None = None
    media: tuple[float, float, float, float] | None = None
    visible: tuple[float, float, float, float] | None = None
    ink: tuple[float, float, float, float] | None = None
    ink_exact: bool = True
    scan_cover: float = 0.0
    has_fonts: bool = False

    @property
    def size_class(self) -> str:
        """A4, A3 or "other", whatever the orientation."""
        return page_size_class(self.width_mm, self.height_mm)


@dataclass(frozen=True)
class FileProbe:
    """What probing learnt about one file.

    ``detail`` explains a non-ok status in Chinese. ``restricted`` is None for a PDF
    without encryption, else the permissions its owner password denies (maybe none).
    ``repaired`` holds the PDF engine's notes on structural errors it worked around (the
    file is read, and bound, as repaired; the original is never changed).

    ``creator`` is the program a PDF says made it (its /Creator); ``made_title`` its
    /Title, kept only for a form or letter zcprep rendered (other titles may name people).
    ``text_digest`` stands for the text layer of a PDF of at most :data:`TEXT_DIGEST_PAGES`
    pages (the words of its pages with fonts, whitespace and width variants removed): two
    files with the same words share it, whatever program saved them.
    """

    path: Path
    size: int
    fingerprint: str | None
    kind: Kind
    extension_kind: Kind | None
    status: Status = "ok"
    detail: str = ""
    restricted: tuple[str, ...] | None = None
    page_count: int | None = None
    pages: tuple[PageProbe, ...] = ()
    image_size: tuple[int, int] | None = None
    repaired: tuple[str, ...] = field(default_factory=tuple)
    failed_page: int | None = None
    creator: str | None = None
    made_title: str | None = None
    text_digest: str | None = None

    @property
    def image_dpi(self) -> float | None:
        """Resolution of a picture file if printed to fill an A4 page."""
        if self.image_size is None:
            return None
        return fitted_dpi(self.image_size, A4_MM)


def page_size_class(width_mm: float, height_mm: float) -> str:
    short, long = sorted((width_mm, height_mm))
    for name, (a, b) in (("A4", A4_MM), ("A3", A3_MM)):
        if abs(short - a) <= PAGE_TOLERANCE_MM and abs(long - b) <= PAGE_TOLERANCE_MM:
            return name
    return "other"


def fitted_dpi(pixels: tuple[int, int], page_mm: tuple[float, float]) -> float:
    """Dots per inch of an image stretched over a page, orientation matched."""
    short_px, long_px = sorted(pixels)
    short_mm, long_mm = sorted(page_mm)
    return min(short_px / (short_mm / 25.4), long_px / (long_mm / 25.4))


def _replace(base: FileProbe, **changes: Any) -> FileProbe:
    from dataclasses import replace

    return replace(base, **changes)
