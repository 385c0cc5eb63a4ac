"""Test data for zcprep bind: workspaces, PDFs, JPEG/PNG scans, and readers of results.

Everything is generated: reportlab (invariant) PDFs with a marker text per page, Pillow
images, and the tiny TrueType CJK font from fontgen, so no system font is needed.
"""

from __future__ import annotations

import hashlib
import io
import random
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.pdfgen.canvas import Canvas

from fontgen import build_ttf
from zcprep.resources import examples_dir

__all__ = ["A3", "A4", "landscape"]

NUMBER = re.compile(r"第 (\d+) 页")


def use_test_font(root: Path) -> Path:
    """Point the workspace's [fonts] path at a generated TrueType CJK font."""
    font = build_ttf(root / "testfont.ttf")
    config = root / "zcprep.toml"
    text = config.read_text("utf-8")
    text = re.sub(r"(?m)^\[fonts\]\n(#.*\n)*", '[fonts]\npath = "testfont.ttf"\n', text, count=1)
    config.write_text(text, "utf-8")
    return font


def example_workspace(tmp_path: Path) -> Path:
    """A copy of the Nantong example (张三 correct, 李四 with errors) with the test font."""
    root = tmp_path / "ws"
    shutil.copytree(
        examples_dir() / "nantong-2023", root, ignore=shutil.ignore_patterns("out", "*.py")
    )
    use_test_font(root)
    return root


def empty_dossier(root: Path, name: str = "张三") -> Path:
    """The example's 张三 with every bound folder emptied, to fill with test files."""
    dossier = root / "dossiers" / name
    for folder in dossier.iterdir():
        if folder.is_dir() and folder.name[:2] >= "03":
            shutil.rmtree(folder)
            folder.mkdir()
    return dossier


def pdf(
    path: Path,
    pages: int = 1,
    *,
    marker: str = "P",
    size: tuple[float, float] = A4,
    rotate: int = 0,
    crop: tuple[float, float, float, float] | None = None,
    media: tuple[float, float, float, float] | None = None,
    filler: int = 0,
) -> Path:
    """A PDF whose page i carries the text ``{marker}-{i}`` (1-based) near its top left.

    ``rotate`` sets /Rotate, ``crop``/``media`` set the boxes (with non-zero origins),
    ``filler`` adds that many lines of text and vector strokes (a born-digital page).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, invariant=1)
    for index in range(1, pages + 1):
        x0 = media[0] if media else 0
        top = (media[3] if media else size[1]) - 60
        if crop:
            x0, top = crop[0], crop[3] - 60
        canvas.setFont("Helvetica", 14)
        canvas.drawString(x0 + 60, top, f"{marker}-{index}")
        words = random.Random(f"{marker}{index}")
        for line in range(filler):
            canvas.setFont("Helvetica", 9)
            y = top - 30 - (line % 60) * 11
            text = " ".join(f"{words.getrandbits(40):x}" for _ in range(8))
            canvas.drawString(x0 + 60, y, text)
            canvas.line(x0 + 40, y - 2, x0 + 40 + words.randint(50, 400), y - 2)
        canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    if rotate or crop or media:
        from pypdf import PdfWriter
        from pypdf.generic import RectangleObject

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        for page in writer.pages:
            if media:
                page.mediabox = RectangleObject(media)
            if crop:
                page.cropbox = RectangleObject(crop)
            if rotate:
                page.rotation = rotate
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    path.write_bytes(data)
    return path


def jpeg(
    path: Path,
    size: tuple[int, int] = (620, 877),
    *,
    mode: str = "RGB",
    orientation: int | None = None,
    dpi: tuple[int, int] | None = None,
    seed: int = 1,
    quality: int = 80,
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    im = pattern_image(size, mode, seed)
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    extra: dict[str, Any] = {"exif": exif.tobytes()} if orientation is not None else {}
    if dpi:
        extra["dpi"] = dpi
    im.save(path, "JPEG", quality=quality, **extra)
    return path


def pattern_image(size: tuple[int, int], mode: str = "RGB", seed: int = 1) -> Image.Image:
    """An image with structure (not flat), different for each seed."""
    base = Image.effect_noise(size, 40 + seed % 30).convert("L")
    gradient = Image.linear_gradient("L").resize(size)
    im = Image.blend(base, gradient, 0.6)
    if mode == "L":
        return im
    rgb = Image.merge("RGB", (im, gradient, Image.eval(im, lambda v: 255 - v)))
    return rgb.convert(mode)


def png(path: Path, im: Image.Image, **options: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, "PNG", **options)
    return path


def tree_hash(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (and its mtime), to prove nothing changed."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        + f":{p.stat().st_mtime_ns}"
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def stamped_numbers(reader: PdfReader) -> list[int | None]:
    """The number printed (第 N 页) on each page, None where there is none."""
    found: list[int | None] = []
    for page in reader.pages:
        hits = NUMBER.findall(page.extract_text())
        found.append(int(hits[-1]) if hits else None)
    return found


def markers(reader: PdfReader, names: Iterable[str]) -> dict[str, int]:
    """PDF page index (0-based) of each marker text."""
    wanted = set(names)
    where: dict[str, int] = {}
    for index, page in enumerate(reader.pages):
        text = page.extract_text()
        for token in re.findall(r"[A-Za-z0-9]+-\d+", text):
            if token in wanted and token not in where:
                where[token] = index
    return where


def text_runs(page: Any) -> list[tuple[str, list[float], list[float]]]:
    """(text, cm, tm) of every text run on a page, as pypdf's visitor sees them."""
    runs: list[tuple[str, list[float], list[float]]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, _size: Any) -> None:
        if text.strip():
            runs.append((text, list(cm), list(tm)))

    page.extract_text(visitor_text=visit)
    return runs


def multiply(m: list[float], n: list[float]) -> list[float]:
    """m × n for PDF matrices [a b c d e f] (apply m, then n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return [
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    ]


def font_files(reader: PdfReader) -> set[int]:
    """Object numbers of every embedded TrueType font program (FontFile2) in the file."""
    found: set[int] = set()
    for page in reader.pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        fonts = resources.get_object().get("/Font")
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                found.add(descriptor.get_object().raw_get("/FontFile2").idnum)
    return found


# --------------------------------------------------------------------------- as a viewer shows it


def viewer_chars(
    path: Path, index: int
) -> list[tuple[str, tuple[float, float, float, float], float]]:
    """(character, glyph box, angle in radians) of every character PDFium (Chrome's PDF
    engine) extracts from page ``index``: what a viewer shows, form XObjects included."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument(path)
    try:
        textpage = document[index].get_textpage()
        return [
            (
                chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)),
                textpage.get_charbox(i),
                pdfium_c.FPDFText_GetCharAngle(textpage.raw, i),
            )
            for i in range(textpage.count_chars())
        ]
    finally:
        document.close()


def viewer_image(path: Path, index: int, scale: float = 0.5) -> Image.Image:
    """Page ``index`` rendered by PDFium, /Rotate applied as a viewer applies it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        return document[index].render(scale=scale).to_pil().convert("L")
    finally:
        document.close()
