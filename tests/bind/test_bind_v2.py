"""bind v2: numbers that survive broken pages and never cover content, one verdict with
check on odd and broken files, sensible paper for pages far from A4, marked previews.

Everything goes through the command line (``zcprep check`` / ``zcprep bind``) on a copy
of the example workspace, whose 张三 passes check. The file under test goes alone into
张三's folder 08 (破格 proof: not required for 张三, bound as its own last 目录 item when
it holds a file), so any error check reports is about that file. Volumes are read back
with PDFium (pypdfium2, the engine of Chrome's viewer: text per page, glyph boxes,
renderings) and pikepdf for structure.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from corpus import (
    A0,
    A3,
    BAND_GREY,
    CORPUS,
    MM,
    SCAN_GREY,
    SIGNATURE,
    Odd,
    a0_drawing_pdf,
    blank_band_pdf,
    corpus,
    corrupt_flate_pdf,
    cut_content_pdf,
    garbage_pdf,
    grey_band_pdf,
    junk_before_header_pdf,
    marked_pdf,
    password_pdf,
    png_16bit_rgb,
    png_bad_ihdr_compression,
    png_chunks,
    png_large_text_chunk,
    png_pixel_bomb,
    png_unknown_text_compression,
    scan_jpeg,
    scan_page_pdf,
    signature_pdf,
    tiny_page_pdf,
    truncated_jpeg,
)
from PIL import Image, PngImagePlugin

from bind_helpers import example_workspace
from zcprep.cli import main

A4 = (210 * MM, 297 * MM)
NAME = "张三"
SPARE = "08-符合破格申报的证明材料"
SPARE_ID = "exceptional-proof"
NUMBER = re.compile(r"第 ?(\d+) ?页")
LEAKS = ("<_io.", "object at 0x", "cannot identify", "Error", "Exception", "Traceback")
SCALE = 4  # rendering scale: 288 dpi, a 0.7 pt stroke is 3 pixels wide


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return example_workspace(tmp_path)


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def screen(self) -> str:
        return self.out + self.err


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], ws: Path) -> Any:
    def run(*args: str) -> Run:
        code = main([*args, "--workspace", str(ws)])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def spare(ws: Path) -> Path:
    return ws / "dossiers" / NAME / SPARE


def rel(ws: Path, path: Path) -> str:
    return path.relative_to(ws).as_posix()


def findings_for(cli: Any, shown: str) -> tuple[list[dict[str, Any]], Run]:
    """check --json: the findings about one file (its workspace-relative path)."""
    run = cli("check", NAME, "--json")
    report = json.loads(run.out)
    (dossier,) = report["dossiers"]
    return [f for f in dossier["findings"] if f["file"] == shown], run


def volumes(ws: Path) -> list[Path]:
    folder = ws / "out" / NAME
    return sorted(folder.glob("*.pdf")) if folder.is_dir() else []


def only_volume(ws: Path) -> tuple[Path, dict[str, Any], str]:
    """The one volume bound for 张三, its sidecar (parsed) and the sidecar's text."""
    (pdf,) = volumes(ws)
    text = pdf.with_suffix(".json").read_text("utf-8")
    return pdf, json.loads(text), text


def item(sidecar: dict[str, Any], item_id: str) -> dict[str, Any]:
    (found,) = [i for i in sidecar["items"] if i["id"] == item_id]
    return found


def bound_files(sidecar: dict[str, Any]) -> set[str]:
    return {f for i in sidecar["items"] for f in i["files"]}


def skipped_files(sidecar: dict[str, Any]) -> set[str]:
    return {line.split("：")[0] for line in sidecar["skipped"]}


def numbered_pages(sidecar: dict[str, Any]) -> Iterator[tuple[int, int]]:
    """(0-based PDF page index, the number printed on it) of every bound page."""
    for entry in sidecar["items"]:
        for offset in range(entry["pages"]):
            yield entry["pdf_first_page"] - 1 + offset, entry["first_page"] + offset


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- PDFium readers

Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF points


@dataclass(frozen=True)
class Char:
    text: str
    box: Box


def page_chars(page: pdfium.PdfPage) -> list[Char]:
    """Every character PDFium extracts from the page, with its glyph box."""
    textpage = page.get_textpage()
    return [
        Char(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index)), textpage.get_charbox(index))
        for index in range(textpage.count_chars())
    ]


def page_text(chars: list[Char]) -> str:
    return "".join(c.text for c in chars)


def glyphs(chars: list[Char]) -> list[Char]:
    return [c for c in chars if not c.text.isspace() and c.box[2] > c.box[0]]


def number_chars(chars: list[Char], number: int) -> list[Char]:
    """The glyphs of the printed page number 第 N 页 (empty when it is not there)."""
    text = page_text(chars)
    for match in NUMBER.finditer(text):
        if int(match[1]) == number:
            return glyphs(chars[match.start() : match.end()])
    return []


def span_chars(chars: list[Char], wanted: str) -> list[Char]:
    """The glyphs of the first run whose non-space characters spell ``wanted``."""
    squeezed = "".join(wanted.split())
    text = page_text(chars)
    pattern = r"\s*".join(re.escape(c) for c in squeezed)
    match = re.search(pattern, text)
    return glyphs(chars[match.start() : match.end()]) if match else []


def union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def overlap(a: Box, b: Box, slack: float = 0.05) -> bool:
    return (
        a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack
    )


def grow(box: Box, by: float) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


@dataclass
class Rendering:
    """A grey rendering of one page and the map between PDF points and its pixels."""

    image: Image.Image
    crop: Box

    def pixel_box(self, box: Box) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) pixels of a box in PDF points."""
        left, bottom, right, top = box
        return (
            max(round((left - self.crop[0]) * SCALE), 0),
            max(round((self.crop[3] - top) * SCALE), 0),
            min(round((right - self.crop[0]) * SCALE), self.image.width),
            min(round((self.crop[3] - bottom) * SCALE), self.image.height),
        )

    def pixels(self, box: Box) -> Iterator[tuple[float, float, int]]:
        """(x, y, grey) of every pixel inside ``box`` (small boxes only)."""
        left, top, right, bottom = self.pixel_box(box)
        data = self.image.load()
        assert data is not None
        for py in range(top, bottom):
            for px in range(left, right):
                x = self.crop[0] + (px + 0.5) / SCALE
                y = self.crop[3] - (py + 0.5) / SCALE
                yield x, y, int(data[px, py])  # type: ignore[arg-type]

    def darkest(self, box: Box, without: tuple[Box, ...] = ()) -> int:
        """The darkest grey inside ``box`` outside all of ``without``."""
        return min(
            (
                v
                for x, y, v in self.pixels(box)
                if not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in without)
            ),
            default=255,
        )

    def extent(self, low: int, high: int, within: Box, without: list[Box]) -> Box | None:
        """The box (PDF points) around every pixel of grey ``low``–``high`` that lies
        ``within`` a box and outside all of ``without``; None when there is none."""
        mask = Image.new("L", self.image.size, 0)
        area = self.pixel_box(within)
        mask.paste(self.image.crop(area).point(lambda v: 255 if low <= v <= high else 0), area)
        for box in without:
            mask.paste(0, self.pixel_box(box))
        found = mask.getbbox()
        if found is None:
            return None
        left, top, right, bottom = found
        return (
            self.crop[0] + left / SCALE,
            self.crop[3] - bottom / SCALE,
            self.crop[0] + right / SCALE,
            self.crop[3] - top / SCALE,
        )


def render(page: pdfium.PdfPage) -> Rendering:
    image = page.render(scale=SCALE).to_pil().convert("L")
    return Rendering(image, tuple(page.get_cropbox()))  # type: ignore[arg-type]


def ring(rendering: Rendering, chars: list[Char], by: float = 1.0) -> list[tuple[int, int]]:
    """Greys around and between the glyphs: inside their box grown by ``by`` points,
    outside every glyph box grown by half a point (anti-aliased edges)."""
    keep_out = [grow(c.box, 0.5) for c in chars]
    return [
        (round(x), v)
        for x, y, v in rendering.pixels(grow(union([c.box for c in chars]), by))
        if not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in keep_out)
    ]


def assert_no_leak(*texts: str) -> None:
    for text in texts:
        for leak in LEAKS:
            assert leak not in text, f"{leak!r} shown to the officer:\n{text}"


# --------------------------------------------------------------------------- the corpus itself


@pytest.mark.parametrize("odd", corpus("repairable"), ids=lambda o: o.id)
def test_corpus_repairable_pdfs_open_only_through_a_repair(tmp_path: Path, odd: Odd) -> None:
    path = odd.build(tmp_path)
    data = path.read_bytes()
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == odd.pages
        repaired = bool(pdf.get_warnings())
        text = pdf.pages[0].obj.Contents.read_bytes()
    # Every one has a defect a repair pass gets past: qpdf's warnings, or (600 bytes of
    # junk) a header qpdf silently looks for past the start of the file.
    assert repaired or not data.startswith(b"%PDF-")
    assert odd.marker is not None and odd.marker.encode() in text


def test_corpus_junk_within_1024_bytes_is_read_without_a_warning(tmp_path: Path) -> None:
    """The case check cannot learn from qpdf's warnings: it must look at the header."""
    path = junk_before_header_pdf(tmp_path)
    assert path.read_bytes().index(b"%PDF-") == 600
    with pikepdf.open(path) as pdf:
        assert pdf.get_warnings() == [] and len(pdf.pages) == 2


def test_corpus_truncated_jpeg_has_a_header_but_no_full_image(tmp_path: Path) -> None:
    with Image.open(truncated_jpeg(tmp_path)) as image:
        assert image.size == (620, 877)
        with pytest.raises(OSError, match="truncated"):
            image.load()


def test_corpus_png_bomb_claims_ten_gigapixels(tmp_path: Path) -> None:
    path = png_pixel_bomb(tmp_path)
    assert path.stat().st_size < 100
    with pytest.raises(Image.DecompressionBombError):
        Image.open(path)


def test_corpus_png_with_an_unknown_ihdr_compression_is_decoded_by_pillow(tmp_path: Path) -> None:
    """Pillow ignores the byte (libpng refuses the file): the probe must read the IHDR."""
    data = png_bad_ihdr_compression(tmp_path).read_bytes()
    kind, body = png_chunks(data)[0]
    assert kind == b"IHDR" and body[10] == 7
    (crc,) = struct.unpack(">I", data[8 + 8 + 13 : 8 + 8 + 13 + 4])
    assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF  # damaged by design, not by accident
    with Image.open(io.BytesIO(data)) as image:
        image.load()


def test_corpus_garbage_after_the_header_cannot_be_repaired(tmp_path: Path) -> None:
    with pytest.raises(pikepdf.PdfError):
        pikepdf.open(garbage_pdf(tmp_path))


def test_corpus_corrupt_flate_page_is_detectable(tmp_path: Path) -> None:
    with pikepdf.open(corrupt_flate_pdf(tmp_path)) as pdf:
        assert pdf.get_warnings() == []  # opening does not tell …
        with pytest.raises(pikepdf.DataDecodingError):
            pdf.pages[0].obj.Contents.read_bytes()  # … reading the page does
        assert any(line.startswith("ERROR:") for line in pdf.check_pdf_syntax())


def test_corpus_password_pdf_is_locked_not_damaged(tmp_path: Path) -> None:
    path = password_pdf(tmp_path)
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(path)
    with pikepdf.open(path, password="secret") as pdf:
        assert len(pdf.pages) == 1 and pdf.get_warnings() == []


def test_corpus_large_text_chunk_is_a_valid_png_pillow_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = png_large_text_chunk(tmp_path)
    (text,) = [body for kind, body in png_chunks(path.read_bytes()) if kind == b"zTXt"]
    assert len(zlib.decompress(text.split(b"\x00", 1)[1][1:])) == 2_000_000
    with pytest.raises(ValueError, match="too large"):
        Image.open(path)
    monkeypatch.setattr(PngImagePlugin, "MAX_TEXT_CHUNK", 4_000_000)
    with Image.open(path) as image:
        image.load()
        assert image.size == (620, 877)


def test_corpus_16bit_png_is_48_bits_a_pixel(tmp_path: Path) -> None:
    path = png_16bit_rgb(tmp_path)
    kind, body = png_chunks(path.read_bytes())[0]
    assert kind == b"IHDR" and body[8:10] == bytes([16, 2])
    with Image.open(path) as image:
        image.load()


def test_corpus_unknown_text_compression_is_otherwise_a_valid_png(tmp_path: Path) -> None:
    data = png_unknown_text_compression(tmp_path).read_bytes()
    with pytest.raises(Image.UnidentifiedImageError):
        Image.open(io.BytesIO(data))
    start = data.index(b"zTXt") - 4
    (length,) = struct.unpack(">I", data[start : start + 4])
    without = data[:start] + data[start + 12 + length :]
    with Image.open(io.BytesIO(without)) as image:
        image.load()


def test_corpus_cut_content_stream_still_shows_its_first_text(tmp_path: Path) -> None:
    path = cut_content_pdf(tmp_path)
    with pikepdf.open(path) as pdf:
        assert pdf.get_warnings() == []
        assert pdf.pages[0].obj.Contents.read_bytes().endswith(b"(unterminated")
        problems = pdf.check_pdf_syntax()
        assert problems and not any(line.startswith("ERROR:") for line in problems)
    document = pdfium.PdfDocument(path)
    assert all("签名 张三" in page.get_textpage().get_text_range() for page in document)


def test_corpus_page_sizes(tmp_path: Path) -> None:
    with pikepdf.open(tiny_page_pdf(tmp_path)) as pdf:
        assert [float(v) for v in pdf.pages[0].mediabox] == [0, 0, 4, 4]
    with pikepdf.open(a0_drawing_pdf(tmp_path)) as pdf:
        box = [float(v) for v in pdf.pages[0].mediabox]
        assert box[2:] == pytest.approx(list(A0), abs=0.01)


def test_corpus_marked_pdf_carries_its_markers() -> None:
    document = pdfium.PdfDocument(marked_pdf("MK", pages=2))
    assert [page.get_textpage().get_text_range() for page in document] == [
        "MK-1\r\n申报材料",
        "MK-2\r\n申报材料",
    ]


# --------------------------------------------------------------------------- (a) cut content


def test_a_cut_content_stream_keeps_every_number_and_its_own_text(ws: Path, cli: Any) -> None:
    cut_content_pdf(spare(ws))
    assert cli("bind", NAME, "--force").code in (0, 1)
    pdf, sidecar, _ = only_volume(ws)
    document = pdfium.PdfDocument(pdf)
    for index, number in numbered_pages(sidecar):
        chars = page_chars(document[index])
        shown = number_chars(chars, number)
        assert shown, f"page {index + 1}: no 第 {number} 页 in {page_text(chars)!r}"
        # drawn, not only extractable: the hollow glyphs are inked
        rendering = render(document[index])
        assert all(rendering.darkest(c.box) < 128 for c in shown)
    own = item(sidecar, SPARE_ID)
    assert own["pages"] == 2
    for index in range(own["pdf_first_page"] - 1, own["pdf_last_page"]):
        assert "签名" in page_text(page_chars(document[index]))


# --------------------------------------------------------------------------- (b) the bottom band


def test_b_signature_in_the_band_is_neither_covered_nor_overlapped(ws: Path, cli: Any) -> None:
    signature_pdf(spare(ws))
    run = cli("bind", NAME)
    assert run.code == 0, run.err
    pdf, sidecar, _ = only_volume(ws)
    own = item(sidecar, SPARE_ID)
    page = pdfium.PdfDocument(pdf)[own["pdf_first_page"] - 1]
    chars = page_chars(page)
    signed = span_chars(chars, SIGNATURE)
    assert "".join(c.text for c in signed) == "".join(SIGNATURE.split())
    number = number_chars(chars, own["first_page"])
    assert number, page_text(chars)
    for digit in number:
        for char in signed:
            assert not overlap(digit.box, char.box), (digit, char)
    rendering = render(page)
    digits = tuple(grow(c.box, 0.5) for c in number)  # its own ink is not the signature's
    for char in signed:  # the test font's glyphs are hollow boxes: ink in both halves
        left, bottom, right, top = char.box
        middle = (bottom + top) / 2
        for half in ((left, bottom, right, middle), (left, middle, right, top)):
            assert rendering.darkest(half, digits) < 128, f"{char.text} painted over"


def test_b_a_blank_band_gets_the_number_without_moving_the_page(ws: Path, cli: Any) -> None:
    source = blank_band_pdf(spare(ws))
    before = glyphs(page_chars(pdfium.PdfDocument(source)[0]))
    run = cli("bind", NAME)
    assert run.code == 0, run.err
    pdf, sidecar, _ = only_volume(ws)
    own = item(sidecar, SPARE_ID)
    page = pdfium.PdfDocument(pdf)[own["pdf_first_page"] - 1]
    assert page.get_size() == pytest.approx(A4, abs=0.5)
    chars = page_chars(page)
    assert number_chars(chars, own["first_page"])
    after = span_chars(chars, "BAND-1申报材料")
    assert [c.text for c in after] == [c.text for c in before]
    for old, new in zip(before, after, strict=True):
        assert new.box == pytest.approx(old.box, abs=0.5), old.text


# --------------------------------------------------------------------------- (c) white box


def bound_spare_page(ws: Path, cli: Any) -> tuple[Any, list[Char]]:
    """Bind, then the spare item's first page in the volume and its number's characters."""
    run = cli("bind", NAME)
    assert run.code == 0, run.err
    pdf, sidecar, _ = only_volume(ws)
    own = item(sidecar, SPARE_ID)
    page = pdfium.PdfDocument(pdf)[own["pdf_first_page"] - 1]
    number = number_chars(page_chars(page), own["first_page"])
    assert number
    return page, number


@pytest.mark.parametrize("build", [scan_page_pdf, scan_jpeg], ids=["pdf-scan", "jpeg-scan"])
def test_c_a_full_page_scan_gets_its_number_on_a_white_box(ws: Path, cli: Any, build: Any) -> None:
    build(spare(ws))
    page, number = bound_spare_page(ws, cli)
    rendering = render(page)
    around = ring(rendering, number)
    assert around and min(v for _x, v in around) >= 250, "grey scan shows around the number"
    # … while the scan is grey in the band beside it
    left, bottom, _right, top = union([c.box for c in number])
    beside = (left - 60, bottom, left - 20, top)
    assert SCAN_GREY - 30 < rendering.darkest(beside) < 200


def test_c_a_grey_band_on_a_born_digital_page_gets_no_white_box(ws: Path, cli: Any) -> None:
    grey_band_pdf(spare(ws))
    page, number = bound_spare_page(ws, cli)
    rendering = render(page)
    grey = round(BAND_GREY * 255)
    around = ring(rendering, number)
    assert around
    if any(v >= 250 for _x, v in around):  # white only where the band no longer is
        box = union([c.box for c in number])
        band = rendering.extent(grey - 8, grey + 8, (0, 0, A4[0], 300), [grow(box, 1)])
        assert band is not None, "the grey band vanished"
        assert band[1] > box[3], "white painted over the grey band around the number"
    else:
        assert all(abs(v - grey) <= 12 for _x, v in around)


# --------------------------------------------------------------------------- (d) repairable


@pytest.mark.parametrize("odd", corpus("repairable"), ids=lambda o: o.id)
def test_d_a_repairable_file_is_a_warning_and_bound_repaired(ws: Path, cli: Any, odd: Odd) -> None:
    path = odd.build(spare(ws))
    before = sha256(path)
    shown = rel(ws, path)
    found, _ = findings_for(cli, shown)
    assert [f["severity"] for f in found if f["severity"] == "error"] == [], found
    repaired = [f for f in found if f["code"] == "file-repaired"]
    assert repaired and repaired[0]["severity"] == "warning", found
    assert "已自动修复" in repaired[0]["message"]

    run = cli("bind", NAME)
    assert run.code == 0, run.err
    pdf, sidecar, _ = only_volume(ws)
    own = item(sidecar, SPARE_ID)
    assert own["files"] == [shown] and own["pages"] == odd.pages
    with pikepdf.open(pdf) as volume:
        assert len(volume.pages) == sidecar["total_pages"]
    document = pdfium.PdfDocument(pdf)
    first = page_chars(document[own["pdf_first_page"] - 1])
    assert odd.marker is not None and odd.marker in page_text(first)
    assert number_chars(first, own["first_page"])
    assert sha256(path) == before


# --------------------------------------------------------------------------- (e) broken


@pytest.mark.parametrize("odd", corpus("broken"), ids=lambda o: o.id)
def test_e_a_broken_file_is_never_bound_silently(ws: Path, cli: Any, odd: Odd) -> None:
    path = odd.build(spare(ws))
    shown = rel(ws, path)
    found, _ = findings_for(cli, shown)
    assert any(f["severity"] == "error" for f in found), found

    refused = cli("bind", NAME)
    assert refused.code != 0 and path.name in refused.err
    assert volumes(ws) == []

    forced = cli("bind", NAME, "--force")
    assert forced.code == 1
    assert path.name in forced.err
    pdf, sidecar, _ = only_volume(ws)
    assert shown in skipped_files(sidecar)
    assert shown not in bound_files(sidecar)
    with pikepdf.open(pdf) as volume:
        assert len(volume.pages) == sidecar["total_pages"]


def test_e_a_password_is_told_apart_from_damage(ws: Path, cli: Any) -> None:
    locked = password_pdf(spare(ws))
    damaged = garbage_pdf(spare(ws))
    report = json.loads(cli("check", NAME, "--json").out)
    findings = report["dossiers"][0]["findings"]
    on_locked = [f for f in findings if f["file"] == rel(ws, locked)]
    on_damaged = [f for f in findings if f["file"] == rel(ws, damaged)]
    assert [f["code"] for f in on_locked if f["severity"] == "error"] == ["file-encrypted"]
    assert "密码" in on_locked[0]["message"]
    assert [f["code"] for f in on_damaged if f["severity"] == "error"] == ["file-unreadable"]
    assert "密码" not in on_damaged[0]["message"]


# --------------------------------------------------------------------------- (f) one verdict


@pytest.mark.parametrize("odd", CORPUS, ids=lambda o: o.id)
def test_f_check_and_bind_share_one_verdict(ws: Path, cli: Any, odd: Odd) -> None:
    path = odd.build(spare(ws))
    shown = rel(ws, path)
    found, checked = findings_for(cli, shown)
    broken = any(f["severity"] == "error" for f in found)
    if odd.verdict in ("repairable", "fine"):
        assert not broken, found
    elif odd.verdict == "broken":
        assert broken, found

    bound = cli("bind", NAME, "--force")
    _pdf, sidecar, sidecar_text = only_volume(ws)
    left_out = shown in skipped_files(sidecar)
    assert left_out != (shown in bound_files(sidecar))
    assert left_out == broken, (found, sidecar["skipped"])
    assert bound.code == (1 if broken else 0)
    assert_no_leak(checked.out, checked.err, bound.out, bound.err, sidecar_text)


# --------------------------------------------------------------------------- odd but fine


@pytest.mark.parametrize("odd", corpus("fine"), ids=lambda o: o.id)
def test_an_odd_but_fine_file_is_bound_without_force(ws: Path, cli: Any, odd: Odd) -> None:
    path = odd.build(spare(ws))
    shown = rel(ws, path)
    found, _ = findings_for(cli, shown)
    assert not [f for f in found if f["severity"] == "error"], found
    run = cli("bind", NAME)
    assert run.code == 0, run.err
    pdf, sidecar, _ = only_volume(ws)
    own = item(sidecar, SPARE_ID)
    assert own["files"] == [shown] and own["pages"] == odd.pages
    document = pdfium.PdfDocument(pdf)
    for offset in range(odd.pages):
        chars = page_chars(document[own["pdf_first_page"] - 1 + offset])
        assert number_chars(chars, own["first_page"] + offset), page_text(chars)
        if odd.marker and offset == 0:
            assert odd.marker in page_text(chars)


# --------------------------------------------------------------------------- (g) page sizes


@pytest.mark.parametrize("build", [tiny_page_pdf, a0_drawing_pdf], ids=["4pt", "A0"])
def test_g_pages_far_from_a4_get_sensible_paper_and_a_readable_number(
    ws: Path, cli: Any, build: Any
) -> None:
    build(spare(ws))
    assert cli("bind", NAME, "--force").code in (0, 1)
    pdf, sidecar, _ = only_volume(ws)
    own = item(sidecar, SPARE_ID)
    page = pdfium.PdfDocument(pdf)[own["pdf_first_page"] - 1]
    width, height = page.get_size()
    assert min(width, height) >= 100 * MM and max(width, height) <= 420 * MM + 0.5
    if build is tiny_page_pdf:  # placed on A4
        assert (width, height) == pytest.approx(A4, abs=0.5)
    else:  # scaled to fit A3
        assert width <= A3[0] + 0.5 and height <= A3[1] + 0.5
        assert max(width / A3[0], height / A3[1]) == pytest.approx(1, abs=0.01)
        assert "A0-DRAWING" in page_text(page_chars(page))
    chars = page_chars(page)
    number = number_chars(chars, own["first_page"])
    assert number, page_text(chars)
    assert min(c.box[3] - c.box[1] for c in number) >= 5
    rendering = render(page)
    content = rendering.extent(0, 127, (0, 0, width, height), [grow(c.box, 1) for c in number])
    assert content is not None, "the page's own content is gone"


# --------------------------------------------------------------------------- (h) preview


def test_h_a_forced_volume_with_errors_is_a_marked_preview(ws: Path, cli: Any) -> None:
    summary = ws / "dossiers" / NAME / "05-任期内专业技术工作总结"
    for file in summary.iterdir():
        file.unlink()  # a required material missing: check has an error
    run = cli("bind", NAME, "--force")
    assert run.code == 1
    folder = ws / "out" / NAME
    assert [p.name for p in volumes(ws)] == [f"{NAME}-申报材料-预览稿.pdf"]
    assert not (folder / f"{NAME}-申报材料.pdf").exists()
    document = pdfium.PdfDocument(folder / f"{NAME}-申报材料-预览稿.pdf")
    for index, page in enumerate(document):
        text = page_text(page_chars(page))
        assert "预览稿" in text and "不得报送" in text, index
    toc = page_chars(document[0])
    name = span_chars(toc, "任期内专业技术工作总结")
    assert name, page_text(toc)
    row = union([c.box for c in name])
    missing = [
        c
        for c in glyphs(toc)
        if c.text == "缺" and row[1] <= (c.box[1] + c.box[3]) / 2 <= row[3] and c.box[0] > row[2]
    ]
    assert missing, "the 目录 row of the missing item has no 缺"


def test_h_a_volume_without_errors_is_no_preview(ws: Path, cli: Any) -> None:
    run = cli("bind", NAME)
    assert run.code == 0, run.err
    folder = ws / "out" / NAME
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{NAME}-申报材料.json",
        f"{NAME}-申报材料.pdf",
    ]
    pdf, _sidecar, sidecar_text = only_volume(ws)
    assert "预览稿" not in sidecar_text and "预览稿" not in run.screen
    for page in pdfium.PdfDocument(pdf):
        assert "预览稿" not in page_text(page_chars(page))
