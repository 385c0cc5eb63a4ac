"""A form's title in its own face (黑体 or 小标宋 where installed), and a title character
that face lacks never vanishing: the title goes back to the body's font, with a warning.
Generated fonts, a real workspace, the PDF's fonts and text read back with pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from check_helpers import right_applicant, toml_text
from fontgen import build_ttf, font_files, small_characters
from zcprep.cli import main
from zcprep.fonts import find_font
from zcprep.model.workspace import open_workspace
from zcprep.render import render_forms
from zcprep.resources import templates_dir

TITLE = "专业技术职务任职资格评审材料真实性承诺书"


def _characters() -> str:
    templates = "".join(p.read_text(encoding="utf-8") for p in templates_dir().glob("*.j2"))
    return small_characters(templates + "二〇")


@pytest.fixture(scope="module")
def fonts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("titlefonts")
    chars = _characters()
    return {
        "body": build_ttf(folder / "body.ttf", chars=chars, ps_name="ZcprepBodyFang"),
        "title": build_ttf(folder / "hei.ttf", chars=chars, ps_name="ZcprepTitleHei"),
        "gap": build_ttf(
            folder / "gap.ttf", chars=chars.replace("诺", ""), ps_name="ZcprepTitleGap"
        ),
    }


def _workspace(root: Path) -> Path:
    ws = root / "ws"
    assert main(["init", "nantong-2023", str(ws)]) == 0
    config = ws / "zcprep.toml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r'(\[unit\]\s*\nname = )""', lambda m: f'{m.group(1)}"南通示例公司"', text)
    config.write_text(text, encoding="utf-8")
    assert main(["new", "张三", "-w", str(ws)]) == 0
    data = right_applicant() | {"name": "张三", "level": "中级"}
    applicant = ws / "dossiers" / "张三" / "applicant.toml"
    applicant.write_text(toml_text(data, continuing=[]), encoding="utf-8")
    return ws


def _render(ws: Path, body: Path, title: Path) -> tuple[list[str], Path]:
    result = render_forms(
        open_workspace(ws),
        form_key="commitment",
        font=find_font(body),
        title_font=find_font(title),
    )
    assert not result.failed
    return result.warnings, result.outputs[0].path


def _first_line(pdf: Path) -> str:
    return PdfReader(pdf).pages[0].extract_text().splitlines()[0].strip()


def test_title_is_set_in_its_own_face(tmp_path: Path, fonts: dict[str, Path]) -> None:
    warnings, pdf = _render(_workspace(tmp_path), fonts["body"], fonts["title"])
    names = [name for name, _embedded in font_files(pdf)]
    assert any("ZcprepTitleHei" in n for n in names) and any("ZcprepBodyFang" in n for n in names)
    assert not any("标题字体" in w for w in warnings)
    assert "专业技术职务任职资格评审材料" in _first_line(pdf)


def test_a_title_character_the_title_face_lacks_is_warned_and_printed(
    tmp_path: Path, fonts: dict[str, Path]
) -> None:
    warnings, pdf = _render(_workspace(tmp_path), fonts["body"], fonts["gap"])
    said = [w for w in warnings if "标题字体" in w]
    assert len(said) == 1, warnings
    assert "“诺”" in said[0] and "gap.ttf" in said[0] and "正文字体 body.ttf" in said[0]
    names = [name for name, _embedded in font_files(pdf)]
    assert not any("ZcprepTitleGap" in n for n in names), names  # back to the body's font
    text = re.sub(r"\s+", "", PdfReader(pdf).pages[0].extract_text())
    assert "真实性承诺书" in text and "＿" not in text  # nothing vanished


def test_the_cli_names_both_fonts_when_the_title_has_its_own(
    tmp_path: Path, fonts: dict[str, Path]
) -> None:
    result = render_forms(
        open_workspace(_workspace(tmp_path)),
        form_key="commitment",
        font=find_font(fonts["body"]),
        title_font=find_font(fonts["title"]),
    )
    assert "正文" in result.font_source and "标题" in result.font_source
    assert "body.ttf" in result.font_source and "hei.ttf" in result.font_source
    assert TITLE in {o.form.title for o in result.outputs}
