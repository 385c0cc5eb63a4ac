"""Font discovery, embedding and missing-character reports, with generated fonts only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from fontgen import ASCII_PRINTABLE, build_cff, build_ttc, build_ttf, small_characters
from zcprep.errors import ConfigError
from zcprep.fonts import (
    FALLBACK_CID_FONT,
    FontChoice,
    default_font_dirs,
    face_name,
    find_font,
    find_form_fonts,
    missing_characters,
    register_font,
)

RARE = "䶮"  # U+4DAE, CJK Extension A: outside GB 2312 and GBK
EXT_B = "𠮷"  # U+20BB7, outside the BMP
LINE = "第 3 页 共 12 页 申报人：张三（中级）"


def draw(choice: FontChoice, pdf: Path, text: str = LINE) -> PdfReader:
    name = register_font(choice)
    page = canvas.Canvas(str(pdf))
    page.setFont(name, 12)
    page.drawString(72, 720, text)
    page.save()
    return PdfReader(pdf)


def font_dicts(reader: PdfReader) -> list[Any]:
    fonts: Any = reader.pages[0]["/Resources"]["/Font"]  # type: ignore[index]
    return [fonts[key].get_object() for key in fonts]


def descriptor_keys(reader: PdfReader) -> set[str]:
    keys: set[str] = set()
    for font in font_dicts(reader):
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant.get("/FontDescriptor")
        if descriptor is not None:
            keys |= set(descriptor.get_object().keys())
    return keys


def test_generated_font_is_found_registered_and_embedded(tmp_path: Path) -> None:
    fonts_dir = tmp_path / "fonts" / "truetype" / "test"
    fonts_dir.mkdir(parents=True)
    font = build_ttf(fonts_dir / "ZcprepTestSong.ttf")
    choice = find_font(search_dirs=[tmp_path / "fonts"])
    assert choice.path == font
    assert choice.embedded and choice.warning is None
    assert str(font) in choice.source

    reader = draw(choice, tmp_path / "out.pdf")
    assert "/FontFile2" in descriptor_keys(reader)
    assert reader.pages[0].extract_text().strip() == LINE
    # reportlab subsets: the embedded program is far smaller than the 7,500-glyph font
    assert (tmp_path / "out.pdf").stat().st_size < font.stat().st_size / 4


def test_register_twice_is_harmless(tmp_path: Path) -> None:
    build_ttf(tmp_path / "a.ttf")
    choice = find_font(search_dirs=[tmp_path])
    assert register_font(choice) == register_font(choice) == choice.name


def test_known_system_font_preferred_and_ttc_subfont_picked(tmp_path: Path) -> None:
    build_ttf(tmp_path / "aaa-generic.ttf")
    # a collection whose first face is CFF: the TrueType face 1 must be chosen
    wqy = build_ttc(tmp_path / "wqy-zenhei.ttc", ("cff", "ttf"))
    choice = find_font(search_dirs=[tmp_path])
    assert (choice.path, choice.subfont_index) == (wqy, 1)
    reader = draw(choice, tmp_path / "ttc.pdf")
    assert "/FontFile2" in descriptor_keys(reader)
    assert reader.pages[0].extract_text().strip() == LINE


def test_file_names_match_case_insensitively(tmp_path: Path) -> None:
    build_ttf(tmp_path / "aaa.ttf")
    simsun = build_ttf(tmp_path / "SIMSUN.TTC")  # a plain TTF under a .ttc name still works
    assert find_font(search_dirs=[tmp_path]).path == simsun


def test_configured_cff_font_is_rejected(tmp_path: Path) -> None:
    otf = build_cff(tmp_path / "NotoSansCJKsc-Regular.otf")
    with pytest.raises(ConfigError) as info:
        find_font(otf)
    message = str(info.value)
    assert "该字体为 CFF/OpenType 轮廓，reportlab 无法嵌入" in message
    assert "simsun.ttc" in message
    assert str(otf) in message
    assert info.value.hint and "TrueType" in info.value.hint


def test_configured_ttc_face_with_cff_outlines_is_rejected(tmp_path: Path) -> None:
    ttc = build_ttc(tmp_path / "mixed.ttc", ("cff", "ttf"))
    with pytest.raises(ConfigError, match=r"第 0 个子字体.*CFF"):
        find_font(ttc, 0)
    assert find_font(ttc, 1).subfont_index == 1
    assert find_font(ttc).subfont_index == 1  # no index: the usable face is chosen
    with pytest.raises(ConfigError, match="超出范围") as info:
        find_font(ttc, 5)
    assert info.value.hint and "subfont_index" in info.value.hint


def test_cff_only_system_font_falls_back_and_says_why(tmp_path: Path) -> None:
    build_cff(tmp_path / "NotoSansCJK-Regular.otf")
    choice = find_font(search_dirs=[tmp_path])
    assert choice.name == FALLBACK_CID_FONT
    assert any("NotoSansCJK" in note and "CFF" in note for note in choice.skipped)
    assert choice.warning and "NotoSansCJK" in choice.warning


def test_nothing_found_falls_back_to_stsong_with_warning(tmp_path: Path) -> None:
    build_ttf(tmp_path / "latin.ttf", chars=ASCII_PRINTABLE)
    choice = find_font(search_dirs=[tmp_path, tmp_path / "does-not-exist"])
    assert choice.name == FALLBACK_CID_FONT == "STSong-Light"
    assert choice.path is None and not choice.embedded
    assert choice.warning is not None
    assert "方框" in choice.warning and "[fonts]" in choice.warning
    assert "zcprep.toml" in choice.warning
    assert choice.skipped == ()  # a Latin font is not worth a note

    reader = draw(choice, tmp_path / "cid.pdf")
    assert not {"/FontFile", "/FontFile2", "/FontFile3"} & descriptor_keys(reader)
    assert any("STSong-Light" in str(f["/BaseFont"]) for f in font_dicts(reader))


def test_missing_characters_of_tiny_font(tmp_path: Path) -> None:
    build_ttf(tmp_path / "tiny.ttf")
    choice = find_font(search_dirs=[tmp_path])
    text = f"申报人：张{RARE}，张三\n证明{EXT_B}{RARE}"
    assert missing_characters(choice, text) == [RARE, EXT_B]
    assert missing_characters(choice, LINE) == []


def test_font_built_with_extra_characters_has_them(tmp_path: Path) -> None:
    build_ttf(tmp_path / "tiny.ttf", chars=small_characters(RARE + EXT_B))
    choice = find_font(search_dirs=[tmp_path])
    assert missing_characters(choice, RARE + EXT_B) == []


def test_missing_characters_of_stsong_fallback(tmp_path: Path) -> None:
    choice = find_font(search_dirs=[tmp_path])
    assert not choice.embedded
    text = f"张三 Zhang 123（中级）〇—“”\t{RARE}堃{EXT_B}"
    assert missing_characters(choice, text) == [RARE, EXT_B]


def test_configured_path_problems(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="不存在"):
        find_font(tmp_path / "nope.ttf")
    (tmp_path / "notes.ttf").write_text("not a font", encoding="utf-8")
    with pytest.raises(ConfigError, match="不是 TrueType/OpenType 字体"):
        find_font(tmp_path / "notes.ttf")
    latin = build_ttf(tmp_path / "latin.ttf", chars="ABC中")
    with pytest.raises(ConfigError, match=r"不含常用汉字.*“国”"):
        find_font(latin)
    good = build_ttf(tmp_path / "good.ttf")
    with pytest.raises(ConfigError, match="subfont_index 只能为 0"):
        find_font(good, 1)
    damaged = tmp_path / "damaged.ttf"
    damaged.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(ConfigError, match=r"损坏|reportlab 无法载入"):
        find_font(damaged)


def test_configured_relative_path_and_base_dir(tmp_path: Path) -> None:
    (tmp_path / "fonts").mkdir()
    font = build_ttf(tmp_path / "fonts" / "song.ttf")
    choice = find_font("fonts/song.ttf", base_dir=tmp_path, search_dirs=[])
    assert choice.path == font
    assert "[fonts]" in choice.source
    # an empty path means "not configured"
    assert find_font("  ", search_dirs=[]).name == FALLBACK_CID_FONT


def test_restricted_licence_is_not_embedded(tmp_path: Path) -> None:
    # more than 255 glyphs: reportlab would refuse to subset it
    locked = build_ttf(
        tmp_path / "simhei.ttf", chars=small_characters(), fs_type=0x0002, ps_name="Locked"
    )
    with pytest.raises(ConfigError, match="不允许嵌入"):
        find_font(locked)
    choice = find_font(search_dirs=[tmp_path])
    assert choice.name == FALLBACK_CID_FONT
    assert any("不允许嵌入" in note for note in choice.skipped)


def test_default_font_dirs_per_platform() -> None:
    home = Path("/home/u")
    windows = default_font_dirs(
        "win32", {"WINDIR": r"D:\Win", "LOCALAPPDATA": r"C:\Users\u\AppData\Local"}, home
    )
    assert windows[0] == Path(r"D:\Win") / "Fonts"
    assert windows[1].name == "Fonts" and "Microsoft" in str(windows[1])
    mac = default_font_dirs("darwin", {}, home)
    assert Path("/System/Library/Fonts") in mac and home / "Library" / "Fonts" in mac
    linux = default_font_dirs("linux", {}, home)
    assert Path("/usr/share/fonts") in linux
    assert home / ".local" / "share" / "fonts" in linux
    assert home / ".fonts" in linux


def test_symlinked_font_folders_are_followed_once(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    font = build_ttf(real / "song.ttf")
    search = tmp_path / "fonts"
    search.mkdir()
    try:
        (search / "linked").symlink_to(real, target_is_directory=True)
        (real / "loop").symlink_to(real, target_is_directory=True)
    except OSError:
        pytest.skip("symlinks not available here")
    choice = find_font(search_dirs=[search])
    assert choice.path is not None and choice.path.resolve() == font.resolve()


# --------------------------------------------------------------------------- GB/T 9704 order


def _fonts(folder: Path, *names: str) -> dict[str, Path]:
    """Generated fonts under these file names (small: the search only reads a few)."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        name: build_ttf(folder / name, chars=small_characters(), ps_name=f"Zcprep{index}")
        for index, name in enumerate(names)
    }


def test_body_prefers_fangsong_then_song_and_title_hei(tmp_path: Path) -> None:
    made = _fonts(tmp_path, "simsun.ttc", "simhei.ttf", "simfang.ttf", "msyh.ttc")
    fonts = find_form_fonts(search_dirs=[tmp_path])
    assert fonts.body.path == made["simfang.ttf"]
    assert fonts.title.path == made["simhei.ttf"] and fonts.own_title
    (tmp_path / "simfang.ttf").unlink()
    assert find_form_fonts(search_dirs=[tmp_path]).body.path == made["simsun.ttc"]


def test_title_prefers_xiaobiaosong_where_installed(tmp_path: Path) -> None:
    made = _fonts(tmp_path, "simsun.ttc", "simhei.ttf", "FZXBSJW.TTF")
    fonts = find_form_fonts(search_dirs=[tmp_path])
    assert (fonts.body.path, fonts.title.path) == (made["simsun.ttc"], made["FZXBSJW.TTF"])


def test_one_chinese_font_serves_body_and_title(tmp_path: Path) -> None:
    made = _fonts(tmp_path, "wqy-zenhei.ttc")
    fonts = find_form_fonts(search_dirs=[tmp_path])
    assert fonts.body.path == fonts.title.path == made["wqy-zenhei.ttc"]
    assert not fonts.own_title


def test_configured_font_serves_the_title_too(tmp_path: Path) -> None:
    _fonts(tmp_path / "system", "simfang.ttf", "simhei.ttf")
    mine = _fonts(tmp_path, "mine.ttf")["mine.ttf"]
    fonts = find_form_fonts(mine, search_dirs=[tmp_path / "system"])
    assert fonts.body.path == fonts.title.path == mine and not fonts.own_title


def test_windows_font_folder_found_in_any_case(tmp_path: Path) -> None:
    windir = tmp_path / "Windows"
    made = _fonts(windir / "Fonts", "SIMSUN.TTC", "SIMHEI.TTF", "SIMFANG.TTF")
    dirs = default_font_dirs("win32", {"WINDIR": str(windir)}, tmp_path)
    fonts = find_form_fonts(search_dirs=dirs)
    assert fonts.body.path == made["SIMFANG.TTF"] and fonts.title.path == made["SIMHEI.TTF"]
    assert default_font_dirs("win32", {}, tmp_path)[0] == Path("C:\\Windows") / "Fonts"


def test_face_name_is_the_family_the_system_shows(tmp_path: Path) -> None:
    made = _fonts(tmp_path, "simfang.ttf")
    assert face_name(find_font(made["simfang.ttf"])) == "Zcprep Test Song"
    assert face_name(find_font(search_dirs=[])) == FALLBACK_CID_FONT
