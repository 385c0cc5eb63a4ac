"""A rare name character (𠮷, CJK Extension B) the main face lacks is drawn from an
extension face (SimSun-ExtB on Windows) found in the font folders, not printed as "＿".

Two generated fonts: the main face lacks 𠮷, ``simsunb.ttf`` has only 𠮷. The font
folders are a temporary one (the real search for extension faces runs over it); the PDF's
fonts and text are read back with pypdf.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from check_helpers import right_applicant, toml_text
from fontgen import build_cff, build_ttf, font_files
from zcprep.cli import main
from zcprep.fonts import find_font, missing_characters, search
from zcprep.fonts.fallback import find_extension_faces
from zcprep.model.workspace import open_workspace
from zcprep.render import render_forms
from zcprep.resources import templates_dir

RARE = "𠮷"  # U+20BB7
NAME = f"张{RARE}"


def _characters() -> str:
    """GB 2312 and the templates' words: every character of the form but the rare one."""
    return "".join(p.read_text(encoding="utf-8") for p in templates_dir().glob("*.j2")) + "＿"


@pytest.fixture(scope="module")
def main_font(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mainface")
    return build_ttf(folder / "body.ttf", extra=_characters(), ps_name="ZcprepMainSong")


def _extension_folder(root: Path) -> Path:
    folder = root / "fonts"
    folder.mkdir()
    build_ttf(folder / "simsunb.ttf", chars=RARE, family="Zcprep Ext B", ps_name="ZcprepExtB")
    return folder


def _font_folders(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setattr(search, "default_font_dirs", lambda *a, **k: (folder,))


def _workspace(root: Path, font: Path) -> Path:
    ws = root / "ws"
    assert main(["init", "nantong-2023", str(ws)]) == 0
    config = ws / "zcprep.toml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r'(\[unit\]\s*\nname = )""', lambda m: f'{m.group(1)}"南通示例公司"', text)
    text = text.replace("[fonts]\n", f"[fonts]\npath = '{font.as_posix()}'\n", 1)
    config.write_text(text, encoding="utf-8")
    assert main(["new", NAME, "-w", str(ws)]) == 0
    data = right_applicant() | {"name": NAME, "level": "中级"}
    applicant = ws / "dossiers" / NAME / "applicant.toml"
    applicant.write_text(toml_text(data, continuing=[]), encoding="utf-8")
    return ws


def _render(ws: Path) -> tuple[list[str], Path]:
    result = render_forms(open_workspace(ws), form_key="commitment")
    assert not result.failed
    return result.warnings, result.outputs[0].path


def _text(pdf: Path) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(pdf).pages))


def test_the_rare_character_is_drawn_in_the_extension_face(
    tmp_path: Path, main_font: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _font_folders(monkeypatch, _extension_folder(tmp_path))
    warnings, pdf = _render(_workspace(tmp_path, main_font))
    assert not any(f"“{RARE}”" in w for w in warnings), warnings
    fonts = dict(font_files(pdf))
    ext = [name for name in fonts if "ZcprepExtB" in name]
    assert ext and fonts[ext[0]], fonts  # used on the page, and embedded
    assert any("ZcprepMainSong" in name for name in fonts)
    text = _text(pdf)
    assert f"申报人：{NAME}" in text
    assert "＿" not in text


def test_without_an_extension_face_the_old_warning_and_blank_stay(
    tmp_path: Path, main_font: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "nofonts"
    empty.mkdir()
    _font_folders(monkeypatch, empty)
    warnings, pdf = _render(_workspace(tmp_path, main_font))
    said = [w for w in warnings if f"“{RARE}”（U+20BB7）" in w]
    assert len(said) == 1 and "＿" in said[0], warnings
    assert not any("ZcprepExtB" in name for name, _embedded in font_files(pdf))
    assert "申报人：张＿" in _text(pdf)


def test_a_character_no_face_has_is_still_missing(tmp_path: Path, main_font: Path) -> None:
    folder = _extension_folder(tmp_path)
    choice = find_font(main_font, search_dirs=[folder])
    assert [face.path.name for face in choice.extensions] == ["simsunb.ttf"]
    assert missing_characters(choice, f"{NAME}䶮") == ["䶮"]


def test_an_extension_face_that_cannot_be_embedded_is_passed_over(tmp_path: Path) -> None:
    folder = tmp_path / "fonts"
    folder.mkdir()
    build_cff(folder / "simsunb.ttf", chars=RARE)  # CFF outlines: reportlab cannot embed
    (folder / "SimsunExtG.ttf").write_bytes(b"not a font")
    build_ttf(folder / "HanaMinB.ttf", chars=RARE, ps_name="ZcprepHanaB")
    assert [face.path.name for face in find_extension_faces([folder])] == ["HanaMinB.ttf"]


def test_doctor_names_the_extension_face(
    tmp_path: Path, main_font: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zcprep.doctor import EXTENSION_ITEM, gather

    folder = _extension_folder(tmp_path)
    _font_folders(monkeypatch, folder)
    rows = {row.item: row for row in gather(workspace=_workspace(tmp_path, main_font))}
    assert str(folder / "simsunb.ttf") in rows[EXTENSION_ITEM].value
    monkeypatch.setattr(search, "default_font_dirs", lambda *a, **k: ())
    rows = {row.item: row for row in gather(workspace=tmp_path / "ws")}
    assert (
        rows[EXTENSION_ITEM].value.startswith("未找到")
        and "simsunb.ttf" in rows[EXTENSION_ITEM].hint
    )
