"""One collector for check and bind (zcprep.model.collect): what check assigns to a bound item
is exactly what bind puts in the volume, read back from the PDF and its sidecar."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from bind_helpers import markers, pdf
from check_helpers import NOTICE, png_bytes, right_dossier, scan_jpeg
from fontgen import build_ttf
from zcprep.bind import bind_dossiers
from zcprep.check import check_dossier
from zcprep.check.context import build_context
from zcprep.model.collect import collect_dossier, material_for_folder, natural_key
from zcprep.model.workspace import Workspace, open_workspace

TODAY = dt.date(2024, 5, 20)
BOUND = ("application-form", "labour-contract", "achievements", "exceptional-proof")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """check's test notice with items 1, 3, 4, 5 bound (2, the ID card, is not), a right
    dossier 张三 and a generated TrueType CJK font, so that bind runs anywhere."""
    workspace = tmp_path / "ws"
    (workspace / "dossiers").mkdir(parents=True)
    text = re.sub(r"(?m)^(order = [1345])$", r"\1\nbound = true", NOTICE)
    text += '\n[fonts]\npath = "testfont.ttf"\n'
    (workspace / "zcprep.toml").write_text(text, "utf-8")
    build_ttf(workspace / "testfont.ttf")
    right_dossier(workspace)
    return workspace


def dossier(root: Path) -> Path:
    return root / "dossiers" / "张三"


def bind_one(root: Path) -> tuple[dict[str, list[str]], PdfReader]:
    """Bind 张三 without --force (check must pass); the sidecar's files by item, and the PDF."""
    result = bind_dossiers(open_workspace(root), ["张三"])
    assert not result.refused, [(f.code, f.file) for r in result.refused for f in r.errors]
    assert not result.failed, [f.error.message for f in result.failed]
    (volume,) = result.volumes
    assert volume.pdf is not None and volume.sidecar is not None
    sidecar = json.loads(volume.sidecar.read_text("utf-8"))
    reader = PdfReader(volume.pdf, strict=True)
    assert len(reader.pages) == sidecar["total_pages"]
    return {item["id"]: item["files"] for item in sidecar["items"]}, reader


def assigned(root: Path) -> dict[str, list[str]]:
    """The files check assigns to each bound item (that has any), in check's order."""
    ws = open_workspace(root)
    context = build_context(ws, dossier(root), TODAY)
    found = {m.id: [f.rel for f in context.files_of(m)] for m in ws.notice.bound_materials}
    return {key: files for key, files in found.items() if files}


def image_streams(reader: PdfReader) -> list[bytes]:
    """The raw data of every image XObject, page by page."""
    found = []
    for page in reader.pages:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources else None
        for ref in (xobjects.get_object() if xobjects else {}).values():
            image = ref.get_object()
            if image.get("/Subtype") == "/Image":
                found.append(image._data)
    return found


# --------------------------------------------------------------------------- folders


@pytest.fixture
def ws(root: Path) -> Workspace:
    return open_workspace(root)


@pytest.mark.parametrize(
    "name",
    [
        "03-劳动合同",  # the folder zcprep new makes
        "劳动合同",  # the item's name
        "03劳动合同",
        "03证书",
        "03-证书",
        "03 证书",
        "03_证书",
        "03.证书",
        "03、证书",
        "3-证书",
        "3 证书",
        "3、证书",
        "03－证书",  # full-width hyphen
        "03\u3000证书",  # full-width space
        "03",
        " 03-证书 ",
        "０３证书",  # full-width digits
        "01-劳动合同",  # the name wins over the number
    ],
)
def test_folder_names_that_stand_for_an_item(ws: Workspace, name: str) -> None:
    material = material_for_folder(ws.notice, name)
    assert material is not None and material.id == "labour-contract"


@pytest.mark.parametrize(
    "name", ["3证书", "3月份材料", "2023年业绩", "003-证书", "9-其他", "证书", "照片", ""]
)
def test_folder_names_that_stand_for_no_item(ws: Workspace, name: str) -> None:
    assert material_for_folder(ws.notice, name) is None


def test_short_name_and_case_are_matched(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    (workspace / "dossiers").mkdir(parents=True)
    text = NOTICE.replace('name = "业绩成果"', 'name = "业绩成果证明材料"\nshort = "Awards"')
    (workspace / "zcprep.toml").write_text(text, "utf-8")
    notice = open_workspace(workspace).notice
    for name in ("awards", "AWARDS", "04-Awards", "业绩成果证明材料", "04awards"):
        material = material_for_folder(notice, name)
        assert material is not None and material.id == "achievements", name


def test_natural_order_inside_and_across_folders(root: Path) -> None:
    folder = dossier(root) / "04-业绩成果"
    for name in ("附件10.pdf", "附件2.pdf", "b/附件1.pdf", "A/附件3.pdf", "附件1.PDF"):
        pdf(folder / name, marker="X")
    pdf(dossier(root) / "04 其他" / "0.pdf", marker="X")  # a second folder for item 4
    ws = open_workspace(root)
    found = collect_dossier(ws.notice, dossier(root))
    names = [f.path.relative_to(dossier(root)).as_posix() for f in found.items["achievements"]]
    assert names == [
        "04-业绩成果/1-项目验收报告.pdf",
        "04-业绩成果/2-获奖证书.png",
        "04-业绩成果/A/附件3.pdf",
        "04-业绩成果/b/附件1.pdf",
        "04-业绩成果/附件1.PDF",
        "04-业绩成果/附件2.pdf",
        "04-业绩成果/附件10.pdf",
        "04 其他/0.pdf",  # the item's own folder first
    ]
    assert [f.kind for f in found.items["achievements"]][:2] == ["pdf", "png"]
    assert sorted(["附件10", "附件2", "附件1"], key=natural_key) == ["附件1", "附件2", "附件10"]


# --------------------------------------------------------------------------- reproduced bugs


def test_a_jfif_certificate_is_bound(root: Path) -> None:
    """Windows saves JPEGs as .jfif: check accepted it, bind dropped it with a hint."""
    data = scan_jpeg((1240, 1754), seed=41)
    (dossier(root) / "04-业绩成果" / "3-证书.jfif").write_bytes(data)
    assert check_dossier(open_workspace(root), dossier(root), today=TODAY).findings == []
    files, reader = bind_one(root)
    assert files["achievements"][-1] == "dossiers/张三/04-业绩成果/3-证书.jfif"
    assert data in image_streams(reader)  # the JPEG itself, not re-encoded


def test_a_link_at_the_root_to_a_file_inside_the_dossier_is_bound(root: Path) -> None:
    """A root file that matches an item's patterns may be a link to a file kept elsewhere
    in the dossier (here a hidden folder, which is ignored): check counted it, bind
    skipped it."""
    shutil.rmtree(dossier(root) / "01-评审申报表")
    target = pdf(dossier(root) / ".原件" / "form.pdf", marker="ROOTLINK")
    link = dossier(root) / "评审申报表.pdf"
    try:
        link.symlink_to(target)
    except (OSError, NotImplementedError):
        pytest.skip("symbolic links are not available here")
    assert check_dossier(open_workspace(root), dossier(root), today=TODAY).findings == []
    files, reader = bind_one(root)
    assert files["application-form"] == ["dossiers/张三/评审申报表.pdf"]
    assert markers(reader, ["ROOTLINK-1"]) == {"ROOTLINK-1": 1}  # right after the 目录


def test_a_link_out_of_the_dossier_is_reported_and_never_bound(root: Path, tmp_path: Path) -> None:
    secret = pdf(tmp_path / "secret.pdf", marker="SECRET")
    link = dossier(root) / "04-业绩成果" / "3-外部.pdf"
    try:
        link.symlink_to(secret)
    except (OSError, NotImplementedError):
        pytest.skip("symbolic links are not available here")
    findings = check_dossier(open_workspace(root), dossier(root), today=TODAY).findings
    assert [(f.code, f.material) for f in findings] == [("file-link-outside", "achievements")]
    result = bind_dossiers(open_workspace(root), ["张三"], force=True)
    (volume,) = result.volumes
    (achievements,) = [item for item in volume.items if item.id == "achievements"]
    assert achievements.files == (
        "dossiers/张三/04-业绩成果/1-项目验收报告.pdf",
        "dossiers/张三/04-业绩成果/2-获奖证书.png",
    )
    assert any("3-外部.pdf" in w and "未装订" in w for w in volume.warnings)


def test_a_scan_whose_content_is_not_a_scan_is_an_error_in_both(root: Path) -> None:
    """Named .jfif but a Word file inside: check says so, bind --force lists it as left out."""
    (dossier(root) / "04-业绩成果" / "3-证书.jfif").write_bytes(b"PK\x03\x04" + bytes(40))
    findings = check_dossier(open_workspace(root), dossier(root), today=TODAY).findings
    assert [(f.code, f.material) for f in findings] == [("file-type-mismatch", "achievements")]
    result = bind_dossiers(open_workspace(root), ["张三"], force=True)
    (volume,) = result.volumes
    assert [line.split("：")[0] for line in volume.skipped] == [
        "dossiers/张三/04-业绩成果/3-证书.jfif"
    ]
    assert "压缩包" in volume.skipped[0] and result.exit_code == 1


# --------------------------------------------------------------------------- property


EXTENSIONS = {
    "pdf": [".pdf", ".PDF"],
    "jpeg": [".jpg", ".jpeg", ".JPG", ".jfif", ".jpe"],
    "png": [".png", ".PNG"],
}


def _folder_name(rng: random.Random, order: int, name: str, own: str) -> str:
    return rng.choice(
        [
            own,
            name,
            f"{order:02d}{name}",
            f"{order:02d}-扫描件",
            f"{order} 扫描件",
            f"{order:02d}_{name}",
            f"{order}.{name}",
            f"{order}、扫描件",
        ]
    )


def _content(kind: str, path: Path, seed: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "pdf":
        pdf(path, marker=f"S{seed}")
    elif kind == "jpeg":
        path.write_bytes(scan_jpeg((1240, 1754), seed=seed))
    else:
        path.write_bytes(png_bytes((1240 + seed, 1754)))


def generate(root: Path, seed: int) -> None:
    """张三's files replaced by a random but check-clean layout: folder name variants,
    extra folders for one item, sub-folders, .jfif and upper-case extensions, numbers
    that sort naturally, hidden and system files, root files matched by patterns (one of
    them a link to a hidden copy), an unexpected file and an unexpected folder."""
    rng = random.Random(seed)
    folder = dossier(root)
    for child in folder.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
    notice = open_workspace(root).notice
    counter = iter(range(seed * 100 + 1, seed * 100 + 100))
    for material in notice.checklist:
        kinds = ["pdf"] if material.formats == ["pdf"] else list(EXTENSIONS)
        if material.id == "id-card":
            kinds = ["jpeg"]  # 150 dpi at A4
        folders = [_folder_name(rng, material.order, material.name, material.folder)]
        if rng.random() < 0.3:
            folders.append(f"{material.order}-补充")
        for name in folders:
            numbers = rng.sample([1, 2, 3, 10, 11, 20], rng.randint(1, 3))
            for number in numbers:
                kind = rng.choice(kinds)
                sub = "子目录/" if rng.random() < 0.2 else ""
                file = folder / name / f"{sub}附件{number}{rng.choice(EXTENSIONS[kind])}"
                _content(kind, file, next(counter))
            (folder / name / rng.choice([".DS_Store", "Thumbs.db", "~$草稿.docx"])).write_bytes(
                b"x"
            )
    if rng.random() < 0.5:
        pdf(folder / f"扫描申报表{seed}.pdf", marker=f"R{seed}")
    if rng.random() < 0.5 and hasattr(os, "symlink"):
        hidden = pdf(folder / ".原件" / "申报表原件.pdf", marker=f"L{seed}")
        with contextlib.suppress(OSError):
            (folder / "链接申报表.pdf").symlink_to(hidden)
    (folder / f"身份证反面{seed}.jpg").write_bytes(scan_jpeg((1240, 1754), seed=seed + 5000))
    pdf(folder / "说明.pdf", marker="NOTE")  # matches no pattern: unexpected
    pdf(folder / "其他材料" / "x.pdf", marker="OTHER")  # a folder of no item: unexpected


@pytest.mark.parametrize("seed", range(8))
def test_what_check_assigns_to_bound_items_is_what_bind_binds(root: Path, seed: int) -> None:
    generate(root, seed)
    findings = check_dossier(open_workspace(root), dossier(root), today=TODAY).findings
    assert [f.severity for f in findings if f.severity == "error"] == [], [
        (f.code, f.file) for f in findings
    ]
    assert {f.code for f in findings} == {"material-unexpected"}
    expected = assigned(root)
    files, reader = bind_one(root)
    assert files == expected  # same items, same files, same order
    assert set(BOUND) >= set(files) >= {"application-form", "labour-contract", "achievements"}
    bound = {f for item in files.values() for f in item}
    assert not {f for f in bound if "说明" in f or "其他材料" in f or "身份证" in f}
    # every file became exactly one page (each generated file has one)
    assert len(reader.pages) == 1 + len(bound)
