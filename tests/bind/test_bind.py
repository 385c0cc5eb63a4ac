"""zcprep bind: the volume, its numbers, fonts, bookmarks, refusals and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from bind_helpers import (
    A3,
    A4,
    empty_dossier,
    example_workspace,
    font_files,
    jpeg,
    landscape,
    markers,
    multiply,
    pdf,
    stamped_numbers,
    text_runs,
    tree_hash,
    viewer_chars,
    viewer_image,
)
from zcprep.cli import main
from zcprep.model.collect import natural_key
from zcprep.model.workspace import open_workspace

VOLUME = Path("out/张三/张三-申报材料.pdf")


def volume_file(ws: Path) -> Path:
    """张三's one volume, final or preview (an emptied dossier has check errors)."""
    (found,) = sorted((ws / "out" / "张三").glob("张三-申报材料*.pdf"))
    return found


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return example_workspace(tmp_path)


def bind(root: Path, *names: str, dry_run: bool = False):  # type: ignore[no-untyped-def]
    """The binding engine on its own: what check says of the dossier (these tests add
    files it may not expect) does not make the volume a preview here; files that
    cannot be read are left out and listed, as with --force."""
    from zcprep.bind import BindResult, bind_dossier
    from zcprep.bind.plan import _volume_font

    workspace = open_workspace(root)
    result = BindResult()
    font = _volume_font(workspace, result.warnings)
    for folder in workspace.dossier_paths(list(names) or None):
        result.volumes.append(
            bind_dossier(workspace, folder, font, dry_run=dry_run, skip_unreadable=True)
        )
    return result


# --------------------------------------------------------------------------- the example


def test_example_binds_zhangsan_and_refuses_lisi_with_the_list(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_hash(ws / "dossiers")
    assert main(["bind", "--workspace", str(ws)]) == 1
    captured = capsys.readouterr()
    assert (
        "未装订 李四" in captured.err and "身份证号" in captured.err and "--force" in captured.err
    )
    assert "已装订 张三" in captured.err
    assert "序号" in captured.out and "任期内专业技术工作总结" in captured.out
    assert not (ws / "out" / "李四").exists()
    assert tree_hash(ws / "dossiers") == before

    reader = PdfReader(ws / VOLUME, strict=True)
    sidecar = json.loads((ws / VOLUME).with_suffix(".json").read_text("utf-8"))
    assert sidecar["toc_pages"] == 1 and sidecar["total_pages"] == len(reader.pages)
    assert [i["id"] for i in sidecar["items"]] == [
        "current-qualification",
        "continuing-education",
        "work-summary",
        "achievements",
        "papers",
    ]
    # The 目录 is not numbered; bound page N shows 第 N 页.
    numbers = stamped_numbers(reader)
    assert numbers[0] is None
    assert numbers[1:] == list(range(1, len(reader.pages)))
    toc_text = reader.pages[0].extract_text()
    assert "网络安全工程专业技术资格评审申报材料目录" in toc_text
    assert "张三" in toc_text and "中级" in toc_text
    for item in sidecar["items"]:
        first, last = item["first_page"], item["last_page"]
        assert (str(first) if first == last else f"{first}-{last}") in toc_text
        assert numbers[item["pdf_first_page"] - 1] == first
    # bookmarks and page labels
    titles = [entry["/Title"] for entry in reader.outline]  # type: ignore[index]
    assert titles[0] == "目录" and titles[1].startswith("1. 现任专业技术资格证书复印件")
    assert reader.page_labels[:3] == ["目录", "1", "2"]
    # one embedded TrueType font for the whole volume
    assert len(font_files(reader)) == 1


def test_force_binds_a_dossier_with_errors_as_a_preview(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a preview is not a volume to submit: exit 1, and the name says so
    assert main(["bind", "李四", "--force", "--workspace", str(ws)]) == 1
    err = capsys.readouterr().err
    assert "扩展名与内容不符" in err  # 获奖证书.pdf is a PNG: bound by its content
    assert "预览稿" in err and "缺" in err
    assert (ws / "out" / "李四" / "李四-申报材料-预览稿.pdf").is_file()
    assert not (ws / "out" / "李四" / "李四-申报材料.pdf").exists()


def test_dry_run_prints_the_toc_and_writes_nothing(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["bind", "张三", "--dry-run", "--workspace", str(ws)]) == 0
    out = capsys.readouterr().out
    assert "预览" in out and "3-5" in out and "9-10" in out
    assert not (ws / "out" / "张三").exists()


def test_unknown_name_is_a_usage_error(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bind", "王二", "--workspace", str(ws)]) == 2
    assert "王二" in capsys.readouterr().err


# --------------------------------------------------------------------------- order and files


def test_natural_order_hidden_files_and_root_patterns(ws: Path) -> None:
    dossier = empty_dossier(ws)
    folder = dossier / "05-任期内专业技术工作总结"
    for n in (10, 2, 1):
        pdf(folder / f"附件{n}.pdf", marker=f"F{n}")
    pdf(folder / "附件3" / "a.pdf", marker="SUB")  # a sub-folder sorts by its name
    (folder / ".DS_Store").write_bytes(b"junk")
    (folder / "Thumbs.db").write_bytes(b"junk")
    (folder / "~$草稿.pdf").write_bytes(b"junk")
    (folder / "说明.txt").write_text("不装订", "utf-8")
    result = bind(ws, "张三")
    volume = result.volumes[0]
    assert [Path(f).name for f in volume.items[0].files] == [
        "附件1.pdf",
        "附件2.pdf",
        "a.pdf",
        "附件10.pdf",
    ]
    assert any("说明.txt" in w for w in volume.warnings)
    reader = PdfReader(ws / VOLUME)
    where = markers(reader, ["F1-1", "F2-1", "F10-1", "SUB-1"])
    assert [where[m] for m in ("F1-1", "F2-1", "SUB-1", "F10-1")] == [1, 2, 3, 4]


def test_natural_key() -> None:
    names = ["附件10.pdf", "附件2.pdf", "附件1.pdf", "b.pdf", "A.pdf"]
    assert sorted(names, key=natural_key) == [
        "A.pdf",
        "b.pdf",
        "附件1.pdf",
        "附件2.pdf",
        "附件10.pdf",
    ]


# --------------------------------------------------------------------------- page geometry


def number_glyphs(path: Path, index: int) -> list[tuple[str, tuple[float, ...], float]]:
    """The glyphs of the printed 第 N 页 on a page, as PDFium extracts them."""
    chars = viewer_chars(path, index)
    text = "".join(c[0] for c in chars)
    start = text.rindex("第")
    return [c for c in chars[start : text.index("页", start) + 1] if not c[0].isspace()]


@pytest.mark.parametrize("rotate", [90, 180, 270, -90])
def test_rotated_page_gets_an_upright_number_and_keeps_its_look(ws: Path, rotate: int) -> None:
    from PIL import ImageChops

    dossier = empty_dossier(ws)
    source = pdf(dossier / "05-任期内专业技术工作总结" / "转向.pdf", 2, marker="ROT", rotate=rotate)
    bind(ws, "张三")
    out = PdfReader(ws / VOLUME, strict=True)
    page = out.pages[1]
    assert page.rotation == 0
    # the displayed size: A4 turned for a quarter turn
    shown = (A4[1], A4[0]) if rotate % 180 else A4
    assert (float(page.cropbox.width), float(page.cropbox.height)) == pytest.approx(shown)
    number = number_glyphs(ws / VOLUME, 1)
    assert number
    for _char, (left, bottom, right, _top), angle in number:
        assert abs(angle) < 1e-3  # upright, not turned
        assert bottom < 40 and abs((left + right) / 2 - shown[0] / 2) < 60  # bottom centre
    # the page looks as a viewer showed the original (its /Rotate applied), above the number
    before = viewer_image(source, 0)
    after = viewer_image(ws / VOLUME, 1)
    assert before.size == after.size
    top = (0, 0, before.width, int(before.height * 0.85))
    difference = ImageChops.difference(before.crop(top), after.crop(top))
    assert difference.getextrema()[1] < 40


def test_number_is_placed_in_the_visible_cropbox_with_a_nonzero_origin(ws: Path) -> None:
    dossier = empty_dossier(ws)
    media = (100.0, 200.0, 100.0 + A4[0] + 80, 200.0 + A4[1] + 80)
    crop = (140.0, 240.0, 140.0 + A4[0], 240.0 + A4[1])
    pdf(dossier / "05-任期内专业技术工作总结" / "裁切.pdf", marker="CROP", media=media, crop=crop)
    bind(ws, "张三")
    # the volume's page is the visible part (the CropBox), its origin at the corner
    page = PdfReader(ws / VOLUME).pages[1]
    assert (float(page.cropbox.width), float(page.cropbox.height)) == pytest.approx(A4)
    glyphs = number_glyphs(ws / VOLUME, 1)
    left = min(g[1][0] for g in glyphs)
    right = max(g[1][2] for g in glyphs)
    bottom = min(g[1][1] for g in glyphs)
    assert 0 < left < right < A4[0] and 0 < bottom < 40
    assert abs((left + right) / 2 - A4[0] / 2) < 40
    # and the marker the source shows inside its crop is still shown there
    marker = [c for c in viewer_chars(ws / VOLUME, 1) if c[0] == "C"]
    assert marker and all(0 < c[1][0] < A4[0] and 0 < c[1][1] < A4[1] for c in marker)


def test_landscape_and_a3_pages_are_kept_as_they_are(ws: Path) -> None:
    dossier = empty_dossier(ws)
    folder = dossier / "06-业绩成果证明材料及获奖证书"
    pdf(folder / "1.pdf", marker="LAND", size=landscape(A4))
    pdf(folder / "2.pdf", marker="ATHREE", size=A3)
    bind(ws, "张三")
    pages = PdfReader(ws / VOLUME).pages
    assert (float(pages[1].mediabox.width), float(pages[1].mediabox.height)) == pytest.approx(
        landscape(A4)
    )
    assert (float(pages[2].mediabox.width), float(pages[2].mediabox.height)) == pytest.approx(A3)


@pytest.mark.parametrize(
    ("position", "odd_side", "even_side", "top"),
    [
        ("bottom-center", "centre", "centre", False),
        ("bottom-outer", "right", "left", False),
        ("bottom-right", "right", "right", False),
        ("top-right", "right", "right", True),
    ],
)
def test_number_positions_and_format(
    ws: Path, position: str, odd_side: str, even_side: str, top: bool
) -> None:
    config = ws / "zcprep.toml"
    text = config.read_text("utf-8").replace(
        'position = "bottom-center"', f'position = "{position}"'
    )
    text = text.replace('page_number_format = "第 {n} 页"', 'page_number_format = "- {n} -"')
    config.write_text(text, "utf-8")
    dossier = empty_dossier(ws)
    pdf(dossier / "05-任期内专业技术工作总结" / "a.pdf", 2, marker="POS")
    bind(ws, "张三")
    reader = PdfReader(ws / VOLUME)
    for index, side in ((1, odd_side), (2, even_side)):
        page = reader.pages[index]
        assert f"- {index} -" in page.extract_text()
        run = next(multiply(tm, cm) for t, cm, tm in text_runs(page) if t.strip().startswith("-"))
        x, y = run[4], run[5]
        width = A4[0]
        expected = {
            "left": x < width * 0.3,
            "right": x > width * 0.6,
            "centre": abs(x - width / 2) < 40,
        }
        assert expected[side], (position, index, x)
        assert (y > A4[1] - 60) if top else (y < 40)


# --------------------------------------------------------------------------- images


def test_jpeg_is_embedded_without_re_encoding_and_fills_an_a4_page(ws: Path) -> None:
    dossier = empty_dossier(ws)
    scan = jpeg(
        dossier / "03-现任专业技术资格证书复印件" / "证书.jpg", (1240, 1754), dpi=(150, 150)
    )
    bind(ws, "张三")
    page = PdfReader(ws / VOLUME, strict=True).pages[1]
    xobjects = page["/Resources"]["/XObject"]  # type: ignore[index]
    image = next(iter(xobjects.values())).get_object()
    assert image["/Filter"] == "/DCTDecode"
    assert image._data == scan.read_bytes()  # byte-identical: not decoded, not re-encoded
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=0.01)
    assert "第 1 页" in page.extract_text()


def test_exif_rotated_photo_is_upright_and_numbered_upright(ws: Path) -> None:
    dossier = empty_dossier(ws)
    # stored 877×620 (landscape) with orientation 6: shown portrait
    jpeg(dossier / "03-现任专业技术资格证书复印件" / "手机照片.jpg", (877, 620), orientation=6)
    bind(ws, "张三")
    page = PdfReader(ws / VOLUME).pages[1]
    assert page.rotation == 0
    assert float(page.mediabox.height) > float(page.mediabox.width)  # portrait page
    runs = [multiply(tm, cm) for t, cm, tm in text_runs(page) if "页" in t]
    assert runs and runs[0][0] > 0 and abs(runs[0][1]) < 1e-6


def test_broken_pdf_is_a_clear_error_naming_the_file(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dossier = empty_dossier(ws)
    good = pdf(dossier / "05-任期内专业技术工作总结" / "好.pdf", 3)
    broken = dossier / "05-任期内专业技术工作总结" / "坏.pdf"
    broken.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    # --force binds what it can and lists what it left out (exit 1: the volume is incomplete)
    assert main(["bind", "张三", "--force", "--workspace", str(ws)]) == 1
    err = capsys.readouterr().err
    assert "坏.pdf" in err and "无法读取 PDF" in err and "未装订" in err
    volume = volume_file(ws)
    assert len(PdfReader(volume).pages) == 1 + 3  # 目录 + the good file
    sidecar = json.loads(volume.with_suffix(".json").read_text("utf-8"))
    assert [line.split("：")[0] for line in sidecar["skipped"]] == [
        "dossiers/张三/05-任期内专业技术工作总结/坏.pdf"
    ]


def test_a_pdf_pypdf_cannot_parse_is_explained_in_chinese(ws: Path) -> None:
    dossier = empty_dossier(ws)
    pdf(dossier / "05-任期内专业技术工作总结" / "好.pdf")
    (dossier / "05-任期内专业技术工作总结" / "乱.pdf").write_bytes(b"%PDF-1.4\nxx\n%%EOF\n")
    (volume,) = bind(ws, "张三").volumes
    (line,) = volume.skipped
    assert line == (
        "dossiers/张三/05-任期内专业技术工作总结/乱.pdf：无法读取 PDF，文件结构损坏，无法修复。"
    )  # not the engine's "unable to find trailer dictionary"


def test_a_toc_that_disagrees_with_the_pages_is_an_internal_error(ws: Path) -> None:
    from zcprep.bind import SourceFile
    from zcprep.bind.plan import _volume
    from zcprep.bind.toc import TocHeading, TocPlan, rows_for
    from zcprep.errors import InternalError

    notice = open_workspace(ws).notice
    material = notice.bound_materials[0]
    items = [(material, [SourceFile(ws / "a.pdf", "a.pdf", "pdf")])]
    toc = TocPlan(pages=1, rows=rows_for([material.name], [3], 2), first_number=2)
    heading = TocHeading(title="目录", applicant="张三", level="中级", unit="单位")
    with pytest.raises(InternalError) as raised:
        _volume(ws, heading, notice.bind, toc, items, [2], [])
    assert raised.value.exit_code == 3 and "目录页码" in raised.value.message


def test_password_protected_pdf_is_refused_with_a_hint(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pypdf import PdfWriter

    dossier = empty_dossier(ws)
    plain = pdf(dossier / "05-任期内专业技术工作总结" / "明文.pdf")
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt("secret", algorithm="AES-128")
    with (dossier / "05-任期内专业技术工作总结" / "加密.pdf").open("wb") as handle:
        writer.write(handle)
    assert main(["bind", "张三", "--force", "--workspace", str(ws)]) == 1
    err = capsys.readouterr().err
    assert "加密.pdf" in err and "打开密码" in err


def test_owner_password_only_pdf_is_bound(ws: Path) -> None:
    from pypdf import PdfWriter

    dossier = empty_dossier(ws)
    plain = pdf(dossier.parent / "明文.pdf", marker="OWNER")
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt("", owner_password="owner", algorithm="AES-128")
    with (dossier / "05-任期内专业技术工作总结" / "限制.pdf").open("wb") as handle:
        writer.write(handle)
    plain.unlink()
    bind(ws, "张三")
    assert "OWNER-1" in PdfReader(ws / VOLUME, strict=True).pages[1].extract_text()


# --------------------------------------------------------------------------- size


@pytest.mark.parametrize("kind", ["scanned", "born-digital"])
def test_volume_is_at_most_two_percent_larger_than_its_inputs(ws: Path, kind: str) -> None:
    dossier = empty_dossier(ws)
    folders = [p for p in sorted(dossier.iterdir()) if p.is_dir() and p.name[:2] >= "03"][:5]
    for index in range(60):
        folder = folders[index % len(folders)]
        if kind == "scanned":
            jpeg(folder / f"{index}.jpg", (1240, 1754), dpi=(150, 150), seed=index, quality=60)
        else:
            pdf(folder / f"{index}.pdf", 3, marker=f"D{index}", filler=240)
    volume = bind(ws, "张三").volumes[0]
    assert volume.bound_pages == (60 if kind == "scanned" else 180)
    growth = volume.output_bytes / volume.input_bytes - 1
    assert growth <= 0.02, f"{kind}: {volume.input_bytes} → {volume.output_bytes} ({growth:+.2%})"
    PdfReader(ws / VOLUME, strict=True)


# --------------------------------------------------------------------------- config


def test_numbered_toc_counts_and_no_toc(ws: Path) -> None:
    config = ws / "zcprep.toml"
    config.write_text(
        config.read_text("utf-8").replace("toc_numbered = false", "toc_numbered = true"), "utf-8"
    )
    bind(ws, "张三")
    reader = PdfReader(ws / VOLUME, strict=True)
    assert stamped_numbers(reader) == list(range(1, len(reader.pages) + 1))
    assert reader.page_labels[0] == "1"

    config.write_text(config.read_text("utf-8").replace("toc = true", "toc = false"), "utf-8")
    result = bind(ws, "张三")
    reader = PdfReader(ws / VOLUME, strict=True)
    assert result.volumes[0].toc_pages == 0
    assert stamped_numbers(reader) == list(range(1, len(reader.pages) + 1))
    assert "目录" not in reader.pages[0].extract_text()


def test_demo_binds_the_example_applicant(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    assert main(["demo", str(target)]) == 0
    reader = PdfReader(target / VOLUME, strict=True)
    assert stamped_numbers(reader)[1] == 1
    assert not (target / "out" / "李四" / "李四-申报材料.pdf").exists()


def test_a_repairable_pdf_is_bound_with_a_chinese_note(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import re

    dossier = empty_dossier(ws)
    path = pdf(dossier / "05-任期内专业技术工作总结" / "偏移.pdf", 2, marker="FIX")
    data = path.read_bytes()
    path.write_bytes(re.sub(rb"startxref\s+(\d+)", b"startxref\n12", data))  # wrong xref offset
    # the emptied dossier misses materials: a preview (exit 1), with the repaired file in it
    assert main(["bind", "张三", "--force", "--workspace", str(ws)]) == 1
    err = capsys.readouterr().err
    assert "偏移.pdf" in err and "已自动修复" in err
    assert "startxref" not in err and "damaged" not in err  # the engine's English stays out
    assert "FIX-2" in PdfReader(volume_file(ws), strict=True).pages[2].extract_text()
