"""A rare character (𠮷, CJK Extension B) in the 目录 and in the page stamp is drawn from
an extension face (SimSun-ExtB on Windows) when the 目录's font lacks it.

The example workspace with the generated test font (which lacks 𠮷), the unit's name
and the page number format made to hold 𠮷, and a temporary font folder holding a
generated ``simsunb.ttf``: the real search for extension faces runs over it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from bind_helpers import example_workspace
from fontgen import build_ttf
from zcprep.bind import bind_dossiers
from zcprep.fonts import search
from zcprep.model.workspace import open_workspace

RARE = "𠮷"  # U+20BB7
UNIT = f"南通{RARE}祥网络安全技术有限公司"


def _workspace(tmp_path: Path) -> Path:
    root = example_workspace(tmp_path)
    config = root / "zcprep.toml"
    text = config.read_text("utf-8")
    text = text.replace('name = "南通示例网络安全技术有限公司"', f'name = "{UNIT}"', 1)
    text = text.replace(
        'page_number_format = "第 {n} 页"', f'page_number_format = "{RARE} 第 {{n}} 页"'
    )
    config.write_text(text, "utf-8")
    return root


def _font_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_face: bool) -> None:
    folder = tmp_path / "fonts"
    folder.mkdir()
    if with_face:
        build_ttf(folder / "simsunb.ttf", chars=RARE, family="Zcprep Ext B", ps_name="ZcprepExtB")
    monkeypatch.setattr(search, "default_font_dirs", lambda *a, **k: (folder,))


def _bind(root: Path) -> tuple[list[str], PdfReader]:
    result = bind_dossiers(open_workspace(root), ["张三"])
    assert result.volumes and result.volumes[0].pdf is not None, result
    volume = result.volumes[0]
    return result.warnings + volume.warnings, PdfReader(volume.pdf)


def _page_fonts(page: object) -> set[str]:
    """BaseFont of every font a page's resources name."""
    fonts = page["/Resources"]["/Font"]  # type: ignore[index]
    return {str(ref.get_object().get("/BaseFont")) for ref in fonts.values()}


def test_the_toc_and_the_stamp_draw_the_rare_character_from_the_extension_face(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _font_folder(tmp_path, monkeypatch, with_face=True)
    warnings, reader = _bind(_workspace(tmp_path))
    assert not any(f"“{RARE}" in w for w in warnings), warnings
    toc = reader.pages[0]
    assert any("ZcprepExtB" in name for name in _page_fonts(toc))
    assert UNIT in toc.extract_text().replace(" ", "")
    stamped = reader.pages[1]
    assert any("ZcprepExtB" in name for name in _page_fonts(stamped))
    assert f"{RARE} 第 1 页" in stamped.extract_text()


def test_without_the_extension_face_the_toc_warns_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _font_folder(tmp_path, monkeypatch, with_face=False)
    warnings, reader = _bind(_workspace(tmp_path))
    said = [w for w in warnings if f"目录中的字“{RARE}”" in w]
    assert len(said) == 1, warnings
    assert not any("ZcprepExtB" in name for name in _page_fonts(reader.pages[0]))
