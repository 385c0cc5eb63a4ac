"""zcprep.probe: the real type of a file, and what a reviewer meets inside a PDF."""

from __future__ import annotations

import io
import threading
import zipfile
from pathlib import Path

import pytest
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from check_helpers import (
    HEIC_BYTES,
    HTML_BYTES,
    OLE_BYTES,
    PAGE_SIZES,
    docx_bytes,
    encrypted_pdf,
    many_pages_pdf,
    png_bytes,
    rotated_pdf,
    scan_jpeg,
    scan_pdf,
    slow_text_page_pdf,
    text_pdf,
)
from zcprep.probe import FileProbe, fitted_dpi, page_size_class, probe_file, sniff


def probe(tmp_path: Path, name: str, data: bytes, **kwargs: object) -> FileProbe:
    path = tmp_path / name
    path.write_bytes(data)
    return probe_file(path, **kwargs)  # type: ignore[arg-type]


def zipped(*names: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", "empty"),
        (text_pdf([["x"]]), "pdf"),
        (b"\r\n   %PDF-1.7 junk before the header", "pdf"),
        (scan_jpeg((40, 40)), "jpeg"),
        (png_bytes((20, 20)), "png"),
        (HEIC_BYTES, "heic"),
        (HTML_BYTES, "html"),
        ("<html><body>x</body></html>".encode("utf-16"), "html"),
        (b"MIME-Version: 1.0\r\nContent-Type: multipart/related", "html"),
        (OLE_BYTES, "ole"),
        (docx_bytes(), "docx"),
        (zipped("xl/workbook.xml"), "xlsx"),
        (zipped("OFD.xml", "Doc_0/Document.xml"), "ofd"),
        (zipped("a.jpg"), "archive"),
        (b"Rar!\x1a\x07\x00", "archive"),
        (b"GIF89a", "gif"),
        (b"plain text", "unknown"),
    ],
)
def test_sniff(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


def test_extension_is_never_trusted(tmp_path: Path) -> None:
    result = probe(tmp_path, "获奖证书.PDF", png_bytes((300, 400)))
    assert (result.kind, result.extension_kind, result.image_size) == ("png", "pdf", (300, 400))


def test_page_size_classes_with_tolerance() -> None:
    assert page_size_class(210, 297) == "A4"
    assert page_size_class(297, 210) == "A4"  # landscape is still A4
    assert page_size_class(209.9, 297.2) == "A4"
    assert page_size_class(212.5, 299.5) == "A4"
    assert page_size_class(215.9, 279.4) == "other"  # US Letter
    assert page_size_class(420, 297) == "A3"
    assert page_size_class(148, 210) == "other"  # A5


def test_fitted_dpi_matches_orientation() -> None:
    assert fitted_dpi((1654, 2339), (210, 297)) == pytest.approx(200, abs=0.1)
    assert fitted_dpi((2339, 1654), (210, 297)) == pytest.approx(200, abs=0.1)


def test_scan_pages_report_dpi_and_size(tmp_path: Path) -> None:
    result = probe(tmp_path, "scan.pdf", scan_pdf(2, dpi=150))
    assert result.status == "ok" and result.page_count == 2
    assert [round(p.scan_dpi or 0) for p in result.pages] == [150, 150]
    assert {p.size_class for p in result.pages} == {"A4"}
    assert all(p.marking is None for p in result.pages)


def test_image_inside_a_form_xobject_and_small_logos(tmp_path: Path) -> None:
    buf = io.BytesIO()
    width, height = PAGE_SIZES["A4"]
    c = canvas.Canvas(buf, pagesize=PAGE_SIZES["A4"], invariant=1)
    c.beginForm("scan")
    c.drawImage(ImageReader(io.BytesIO(scan_jpeg((827, 1170)))), 0, 0, width=width, height=height)
    c.endForm()
    c.doForm("scan")
    c.showPage()
    c.drawImage(ImageReader(io.BytesIO(scan_jpeg((50, 50)))), 72, 72, width=72, height=72)  # a logo
    c.showPage()
    c.save()
    result = probe(tmp_path, "form.pdf", buf.getvalue())
    assert round(result.pages[0].scan_dpi or 0) == 100
    assert result.pages[1].scan_dpi is None


def test_rotation_swaps_the_displayed_size(tmp_path: Path) -> None:
    (page,) = probe(tmp_path, "r.pdf", rotated_pdf(90)).pages
    assert (page.rotation, page.width_mm > page.height_mm, page.size_class) == (90, True, "A4")


def test_mixed_sizes(tmp_path: Path) -> None:
    sizes = [PAGE_SIZES["A4"], PAGE_SIZES["A3"], PAGE_SIZES["letter"]]
    result = probe(tmp_path, "m.pdf", text_pdf([["1"], ["2"], ["3"]], sizes))
    assert [p.size_class for p in result.pages] == ["A4", "A3", "other"]


def test_classified_marking_from_the_text_layer(tmp_path: Path) -> None:
    result = probe(tmp_path, "c.pdf", text_pdf([["普通文件"], ["绝密★启用前"], ["秘密 ★ 10年"]]))
    assert [p.marking for p in result.pages] == [None, "绝密★", "秘密★"]


def test_a_pdf_cut_in_its_trailer_is_repaired_with_every_page(tmp_path: Path) -> None:
    # only the cross-reference table and trailer are lost: qpdf rebuilds them
    result = probe(tmp_path, "t.pdf", scan_pdf(3)[:-40])
    assert (result.status, result.page_count, len(result.pages)) == ("ok", 3, 3)
    assert result.repaired


@pytest.mark.parametrize("cut", [100, 3000])
def test_truncated_pdf_is_unreadable_and_quiet(
    tmp_path: Path, cut: int, capsys: pytest.CaptureFixture[str]
) -> None:
    data = scan_pdf(3)
    result = probe(tmp_path, "t.pdf", data[:cut])
    assert result.status == "unreadable"
    assert "不完整" in result.detail or "损坏" in result.detail
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""  # pypdf's log lines are kept off the terminal


def test_wrong_startxref_is_repaired(tmp_path: Path) -> None:
    data = text_pdf([["a"], ["b"]])
    index = data.rindex(b"startxref")
    result = probe(tmp_path, "x.pdf", data[:index] + b"startxref\n123\n%%EOF\n")
    assert result.status == "ok" and result.page_count == 2 and result.repaired


def test_encryption(tmp_path: Path) -> None:
    locked = probe(tmp_path, "a.pdf", encrypted_pdf("secret"))
    assert (locked.status, locked.detail) == ("encrypted", "打开需要密码")
    restricted = probe(tmp_path, "b.pdf", encrypted_pdf("", permissions=0))
    assert restricted.status == "ok" and restricted.page_count == 1
    assert restricted.restricted is not None and "打印" in restricted.restricted
    free = probe(tmp_path, "c.pdf", encrypted_pdf(""))
    assert free.status == "ok" and free.restricted == ()
    assert probe(tmp_path, "d.pdf", text_pdf([["x"]])).restricted is None


def test_truncated_images(tmp_path: Path) -> None:
    jpeg, png = scan_jpeg((800, 1000)), png_bytes((300, 300))
    assert probe(tmp_path, "a.jpg", jpeg).status == "ok"
    assert probe(tmp_path, "b.jpg", jpeg[: len(jpeg) // 2]).status == "unreadable"
    assert probe(tmp_path, "c.png", png).status == "ok"
    assert probe(tmp_path, "d.png", png[: len(png) // 2]).status == "unreadable"


def test_time_limit_in_the_main_thread_and_elsewhere(tmp_path: Path) -> None:
    data = many_pages_pdf(3000)
    assert probe(tmp_path, "slow.pdf", data, time_limit=0.05).status == "timeout"
    results: list[FileProbe] = []
    worker = threading.Thread(
        target=lambda: results.append(probe(tmp_path, "slow2.pdf", data, time_limit=0.05))
    )
    worker.start()
    worker.join()
    assert results[0].status == "timeout"  # no signals in threads: the page-by-page deadline
    assert probe(tmp_path, "ok.pdf", many_pages_pdf(300), time_limit=None).page_count == 300


def test_fingerprint_is_size_and_ends(tmp_path: Path) -> None:
    a = probe(tmp_path, "a.pdf", scan_pdf(2))
    b = probe(tmp_path, "b.pdf", scan_pdf(2))
    c = probe(tmp_path, "c.pdf", scan_pdf(2, seed=1))
    assert a.fingerprint == b.fingerprint != c.fingerprint
    assert probe(tmp_path, "e.pdf", b"").fingerprint is None


@pytest.mark.parametrize("padding", [0, 300_000])
def test_a_file_cut_off_in_the_worker_keeps_its_identity(tmp_path: Path, padding: int) -> None:
    """The worker is cut off on a single endless page: none of its pages come back (how
    far it got before the limit, the page count or not, depends on the machine), but
    size, type and fingerprint (duplicate detection) are those of a full read."""
    from zcprep.probe import fingerprint, worker

    data = slow_text_page_pdf(400_000, padding)
    try:
        cut = probe(tmp_path, "慢.pdf", data, time_limit=0.2, isolation="process")
    finally:
        worker.close()
    assert (cut.status, cut.detail, cut.pages) == ("timeout", "超过 0.2 秒仍未读完", ())
    assert cut.page_count in (None, 1)
    assert (cut.size, cut.kind, cut.extension_kind) == (len(data), "pdf", "pdf")
    assert cut.fingerprint == fingerprint(data)


def test_an_alarm_inside_a_gc_callback_or_finalizer_is_retried_not_lost() -> None:
    """A timeout raised inside a gc callback (hypothesis installs one) or a ``__del__``
    would be swallowed as unraisable; such places are recognised, ordinary code is not."""
    import gc
    import sys

    from zcprep.probe.alarm import lands_where_lost

    seen: list[bool] = []

    def callback(phase: str, info: dict[str, int]) -> None:
        seen.append(lands_where_lost(sys._getframe()))

    class Finalized:
        def __del__(self) -> None:
            seen.append(lands_where_lost(sys._getframe()))

    gc.callbacks.append(callback)
    try:
        gc.collect()
    finally:
        gc.callbacks.remove(callback)
    assert seen and all(seen)
    seen.clear()
    Finalized()
    assert seen == [True]
    assert lands_where_lost(sys._getframe()) is False
