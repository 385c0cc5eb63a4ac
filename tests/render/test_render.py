"""zcprep render end to end: real workspaces from the presets, a generated TrueType font,
PDFs read back with pypdf."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from check_helpers import right_applicant, toml_text
from fontgen import build_ttf, font_files
from zcprep.cli import main
from zcprep.errors import ConfigError
from zcprep.model.workspace import open_workspace
from zcprep.render import render_forms
from zcprep.resources import templates_dir

ID_NUMBER = "320602199003071236"
MARKUP_UNIT = "南通<b>&{{x}}|#示例公司"
RARE = "䶮"  # U+4DAE, CJK Extension A: the test font lacks it


def applicant_text(
    name: str, id_number: str, start: str = "2023-05-08", level: str = "中级"
) -> str:
    """The right applicant of the check tests, with a Nantong 2023 employer and dates."""
    data = right_applicant() | {
        "name": name,
        "id_number": id_number,
        "employer": "南通示例网络安全技术有限公司",
        "school": "南京示例大学",
        "current_title_date": "2016-12-30",
        "level": level,
        "publicity_start": start,
        "publicity_end": "2023-05-12",
    }
    return toml_text(data, continuing=[])


DATES = {
    "arabic": ("2023年5月8日", "2023年5月12日"),
    "chinese": ("二〇二三年五月八日", "二〇二三年五月十二日"),
}

# Every (preset, form) pair the presets list, and what each form prints.
FORMS = [
    ("nantong-2023", "publicity-result", "公示结果证明", True),
    ("nantong-2023", "commitment", "专业技术职务任职资格评审材料真实性承诺书", False),
    ("xinjiang-2021", "publicity-result", "公示结果证明", True),
    ("xinjiang-2021", "commitment", "专业技术职务任职资格评审材料真实性承诺书", False),
    ("shandong-2022", "six-openness", "推荐申报专业技术职称“六公开”监督卡", True),
    ("qingdao-2024", "six-openness", "推荐申报专业技术职称“六公开”监督卡", True),
]
# The level each notice's sample applicant applies for (Shandong 2022 is 高级 only).
LEVELS = {"shandong-2022": ("副高级", "高级工程师")}


def _template_characters() -> str:
    return "".join(p.read_text(encoding="utf-8") for p in templates_dir().glob("*.j2"))


@pytest.fixture(scope="module")
def font(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny TrueType CJK test font, with every character of the templates and data."""
    extra = _template_characters() + MARKUP_UNIT + "二〇三五八十＿"
    return build_ttf(tmp_path_factory.mktemp("font") / "test-song.ttf", extra=extra)


def make_workspace(
    root: Path,
    preset: str,
    font: Path,
    unit: str = "南通示例网络安全技术有限公司",
    name: str = "张三",
    start: str = "2023-05-08",
    id_number: str = ID_NUMBER,
) -> Path:
    """``zcprep init`` + ``zcprep new`` + a filled applicant.toml, the font configured."""
    ws = root / preset
    assert main(["init", preset, str(ws)]) == 0
    config = ws / "zcprep.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("[fonts]\n", f"[fonts]\npath = '{font}'\n", 1)
    text = re.sub(r'(\[unit\]\s*\nname = )""', lambda m: m.group(1) + _toml_string(unit), text)
    config.write_text(text, encoding="utf-8")
    assert main(["new", name, "-w", str(ws)]) == 0
    level = LEVELS.get(preset, ("中级", "工程师"))[0]
    applicant = applicant_text(name, id_number, start, level)
    (ws / "dossiers" / name / "applicant.toml").write_text(applicant, encoding="utf-8")
    return ws


def set_templates_dir(ws: Path, folder: str) -> None:
    """Name ``folder`` as ``templates_dir`` in the workspace's zcprep.toml."""
    config = ws / "zcprep.toml"
    text = config.read_text(encoding="utf-8")
    assert 'date_style = "arabic"' in text
    line = f"templates_dir = '{folder}'"  # a TOML literal string: backslashes stay as typed
    config.write_text(
        text.replace('date_style = "arabic"', f'date_style = "arabic"\n{line}'), encoding="utf-8"
    )


def own_templates(ws: Path, templates: dict[str, str | bytes]) -> None:
    """The workspace's own templates in ws/模板 (text as UTF-8, bytes as given), named as
    ``templates_dir`` in zcprep.toml."""
    own = ws / "模板"
    own.mkdir()
    for name, content in templates.items():
        (own / name).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    set_templates_dir(ws, "模板")


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def pdf_text(path: Path) -> str:
    """All text of a PDF with whitespace removed (line breaks fall anywhere)."""
    reader = PdfReader(path)
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def form_pdf(ws: Path, title: str, name: str = "张三") -> Path:
    return ws / "out" / name / "forms" / f"{title}.pdf"


@pytest.mark.parametrize("style", ["arabic", "chinese"])
@pytest.mark.parametrize(("preset", "form_id", "title", "has_dates"), FORMS)
def test_each_form_prints_the_applicant(
    tmp_path: Path,
    font: Path,
    capsys: pytest.CaptureFixture[str],
    preset: str,
    form_id: str,
    title: str,
    has_dates: bool,
    style: str,
) -> None:
    ws = make_workspace(tmp_path, preset, font)
    code = main(["render", "--form", form_id, "--date-style", style, "-w", str(ws)])
    out = capsys.readouterr()
    assert code == 0, out.err
    pdf = form_pdf(ws, title)
    assert f"out/张三/forms/{title}.pdf" in out.out
    text = pdf_text(pdf)
    assert "张三" in text
    assert ID_NUMBER in text
    level, qualification = LEVELS.get(preset, ("中级", "工程师"))
    assert level in text
    if form_id == "six-openness":
        assert f"{level}（{qualification}）" in text
    assert title in text
    start, end = DATES[style]
    other_start, _ = DATES["chinese" if style == "arabic" else "arabic"]
    if has_dates:
        assert start in text
        assert end in text
    assert other_start not in text
    assert "None" not in text
    assert "{{" not in text
    assert len(PdfReader(pdf).pages) == 1


@pytest.mark.parametrize(("preset", "ranked"), [("shandong-2022", True), ("qingdao-2024", False)])
def test_six_openness_card_asks_the_rank_only_where_the_notice_does(
    tmp_path: Path, font: Path, preset: str, ranked: bool
) -> None:
    """Shandong asks units to rank two or more applicants; Qingdao's notice never does."""
    ws = make_workspace(tmp_path, preset, font)
    assert main(["render", "--form", "six-openness", "-w", str(ws)]) == 0
    text = pdf_text(form_pdf(ws, "推荐申报专业技术职称“六公开”监督卡"))
    assert ("推荐排序" in text) is ranked


def test_date_style_from_zcprep_toml(tmp_path: Path, font: Path) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    config = ws / "zcprep.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'date_style = "arabic"', 'date_style = "chinese"'
        ),
        encoding="utf-8",
    )
    assert main(["render", "--form", "公示结果证明", "-w", str(ws)]) == 0
    assert "二〇二三年五月八日" in pdf_text(form_pdf(ws, "公示结果证明"))


def test_fonts_are_embedded_truetype(tmp_path: Path, font: Path) -> None:
    ws = make_workspace(tmp_path, "qingdao-2024", font)
    assert main(["render", "-w", str(ws)]) == 0
    fonts = font_files(form_pdf(ws, "推荐申报专业技术职称“六公开”监督卡"))
    assert fonts, "no font in the PDF"
    assert all(embedded for _name, embedded in fonts), fonts
    assert all("ZcprepTestSong" in name for name, _ in fonts), fonts


def test_markup_in_data_prints_literally(tmp_path: Path, font: Path) -> None:
    ws = make_workspace(tmp_path, "shandong-2022", font, unit=MARKUP_UNIT)
    assert main(["render", "-w", str(ws)]) == 0
    reader = PdfReader(form_pdf(ws, "推荐申报专业技术职称“六公开”监督卡"))
    raw = reader.pages[0].extract_text()
    assert MARKUP_UNIT in re.sub(r"\s+", "", raw)
    # "|" and "#" stayed text: the first table still has its 4 rows of label cells.
    assert "推荐排序" in raw and "推荐单位（盖章）" in raw


def test_markup_in_name_cannot_start_a_block(tmp_path: Path, font: Path) -> None:
    """A unit name that is a whole markup line (# title, table row, [tag]) stays text."""
    for number, value in enumerate(("# 标题", "| a | b |", "[分页] x", "\\# y", "a\nb")):
        ws = make_workspace(tmp_path / str(number), "xinjiang-2021", font, unit=value)
        assert main(["render", "--form", "publicity-result", "-w", str(ws)]) == 0
        pdf = form_pdf(ws, "公示结果证明")
        assert len(PdfReader(pdf).pages) == 1
        assert re.sub(r"\s", "", value) in pdf_text(pdf)


def test_missing_field_is_a_blank_line_and_a_warning(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font, unit="", start="")
    code = main(["render", "--form", "publicity-result", "-w", str(ws)])
    err = capsys.readouterr().err
    assert code == 0
    text = pdf_text(form_pdf(ws, "公示结果证明"))
    assert "______年____月____日——2023年5月12日" in text
    assert "单位（盖章）：________" in text
    assert "None" not in text
    assert "张三《公示结果证明》：公示开始日期（applicant.toml 的 publicity_start）" in err
    assert "单位名称（zcprep.toml [unit] 的 name）为空" in err


def test_render_returns_the_blank_fields(tmp_path: Path, font: Path) -> None:
    ws_path = make_workspace(tmp_path, "xinjiang-2021", font, id_number="")
    result = render_forms(open_workspace(ws_path))
    blanks = {item.form.id: item.blanks for item in result.outputs}
    assert blanks["publicity-result"] == ("身份证号（applicant.toml 的 id_number）",)
    assert blanks["commitment"] == ("身份证号（applicant.toml 的 id_number）",)
    assert any("身份证号（applicant.toml 的 id_number）" in w for w in result.warnings)


def test_character_missing_from_font_is_named(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font, name=f"王{RARE}")
    assert main(["render", "--form", "commitment", "-w", str(ws)]) == 0
    err = capsys.readouterr().err
    assert f"“{RARE}”（U+4DAE）" in err
    assert "姓名（applicant.toml 的 name）" in err
    text = pdf_text(form_pdf(ws, "专业技术职务任职资格评审材料真实性承诺书", name=f"王{RARE}"))
    assert "申报人：王＿" in text
    assert RARE not in text


def test_workspace_template_overrides_packaged(tmp_path: Path, font: Path) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    own_templates(
        ws,
        {
            "commitment.md.j2": "# 新版承诺书\n\n本人{{ applicant.name }}承诺（{{ applicant.qualification }}）。\n"
        },
    )
    assert main(["render", "-w", str(ws)]) == 0
    assert "本人张三承诺（工程师）" in pdf_text(
        form_pdf(ws, "专业技术职务任职资格评审材料真实性承诺书")
    )
    # The form not overridden still comes from the packaged templates.
    assert "特此证明" in pdf_text(form_pdf(ws, "公示结果证明"))


@pytest.mark.parametrize("folder", ["../模板", "/tmp", "a/../../b", "C:/模板", "..\\模板"])
def test_templates_dir_must_stay_inside_workspace(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str], folder: str
) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    set_templates_dir(ws, folder)
    with pytest.raises(ConfigError, match="模板文件夹必须在工作区之内"):
        render_forms(open_workspace(ws))
    assert main(["render", "-w", str(ws)]) == 2
    assert "templates_dir" in capsys.readouterr().err
    assert not (ws / "out" / "张三").exists()


def test_templates_dir_symlink_out_of_workspace_is_rejected(tmp_path: Path, font: Path) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (ws / "link").symlink_to(outside, target_is_directory=True)
    set_templates_dir(ws, "link")
    with pytest.raises(ConfigError, match="工作区之外"):
        render_forms(open_workspace(ws))


@pytest.mark.parametrize(
    "key", ["保证书", "真实性承诺书", "commitment", "《专业技术职务任职资格评审材料真实性承诺书》"]
)
def test_form_found_by_alias_or_title(tmp_path: Path, font: Path, key: str) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    assert main(["render", "--form", key, "-w", str(ws)]) == 0
    forms = sorted(p.name for p in (ws / "out" / "张三" / "forms").iterdir())
    assert forms == ["专业技术职务任职资格评审材料真实性承诺书.pdf"]


def test_unknown_form_is_exit_2(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    assert main(["render", "--form", "六公开", "-w", str(ws)]) == 2
    err = capsys.readouterr().err
    assert "没有表单“六公开”" in err and "publicity-result" in err


def test_bad_date_style_is_exit_2(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    assert main(["render", "--date-style", "roman", "-w", str(ws)]) == 2
    assert "arabic" in capsys.readouterr().err


def test_unwritable_output_is_exit_3(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    # out/张三 is a file, so out/张三/forms cannot be created.
    (ws / "out" / "张三").write_text("不是文件夹", encoding="utf-8")
    assert main(["render", "-w", str(ws)]) == 3
    assert "无法" in capsys.readouterr().err


def test_names_select_applicants_and_unknown_name_is_exit_2(tmp_path: Path, font: Path) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    assert main(["new", "李四", "-w", str(ws)]) == 0
    assert main(["render", "张三", "-w", str(ws)]) == 0
    assert (ws / "out" / "张三" / "forms").is_dir()
    assert not (ws / "out" / "李四").exists()
    assert main(["render", "王五", "-w", str(ws)]) == 2


def test_fresh_applicant_prints_blanks_not_placeholders(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An applicant.toml exactly as ``zcprep new`` writes it renders, all blanks listed."""
    ws = make_workspace(tmp_path, "qingdao-2024", font)
    assert main(["new", "李四", "-w", str(ws)]) == 0
    assert main(["render", "李四", "-w", str(ws)]) == 0
    err = capsys.readouterr().err
    text = pdf_text(form_pdf(ws, "推荐申报专业技术职称“六公开”监督卡", name="李四"))
    assert "李四" in text and "________" in text and "None" not in text
    for label in ("身份证号", "申报级别", "公示开始日期", "公示结束日期"):
        assert label in err


def test_broken_applicant_is_skipped_and_exit_1(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    assert main(["new", "李四", "-w", str(ws)]) == 0
    (ws / "dossiers" / "李四" / "applicant.toml").write_text("name = \n", encoding="utf-8")
    assert main(["render", "-w", str(ws)]) == 1
    assert "跳过 dossiers/李四" in capsys.readouterr().err
    assert form_pdf(ws, "公示结果证明").is_file()


def test_notice_without_forms_says_so(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = make_workspace(tmp_path, "sichuan-2022", font)
    assert main(["render", "-w", str(ws)]) == 0
    assert "没有要填写的表单" in capsys.readouterr().err
    assert not (ws / "out" / "张三").exists()


def test_output_is_byte_stable(tmp_path: Path, font: Path) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    assert main(["render", "-w", str(ws)]) == 0
    first = form_pdf(ws, "公示结果证明").read_bytes()
    assert main(["render", "-w", str(ws)]) == 0
    assert form_pdf(ws, "公示结果证明").read_bytes() == first
    leftovers = [p.name for p in (ws / "out" / "张三" / "forms").iterdir() if p.suffix != ".pdf"]
    assert leftovers == []


def test_template_error_names_the_file(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    own_templates(
        ws,
        {
            "commitment.md.j2": "# 承诺书\n{% if %}\n",
            "publicity-result.md.j2": "[印章] x\n",
        },
    )
    assert main(["render", "--form", "commitment", "-w", str(ws)]) == 2
    assert "commitment.md.j2 第 2 行语法错误" in capsys.readouterr().err
    assert main(["render", "--form", "publicity-result", "-w", str(ws)]) == 2
    assert "不认识的标记" in capsys.readouterr().err


def test_sandbox_blocks_python_internals(tmp_path: Path, font: Path) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    own_templates(
        ws, {"commitment.md.j2": "{{ applicant.__class__.__mro__[1].__subclasses__() }}\n"}
    )
    with pytest.raises(ConfigError):
        render_forms(open_workspace(ws), form_key="commitment")


def test_demo_renders_the_example_forms(tmp_path: Path) -> None:
    """The demo's render step on the packaged example, with whatever font this machine
    has (STSong-Light when it has none: text still extracts)."""
    assert main(["demo", str(tmp_path / "demo")]) in (0, 1)
    forms = tmp_path / "demo" / "out" / "张三" / "forms"
    assert sorted(p.name for p in forms.iterdir()) == [
        "专业技术职务任职资格评审材料真实性承诺书.pdf",
        "公示结果证明.pdf",
    ]
    assert ID_NUMBER in pdf_text(forms / "公示结果证明.pdf")


def test_unusable_values_are_explained(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font, start="5月8日")
    toml = ws / "dossiers" / "张三" / "applicant.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('level = "中级"', 'level = "特级"'),
        encoding="utf-8",
    )
    assert main(["render", "--form", "publicity-result", "-w", str(ws)]) == 0
    err = capsys.readouterr().err
    assert "publicity_start = “5月8日”无法识别" in err
    assert "level = “特级”不是本通知的级别" in err
    assert "______年____月____日" in pdf_text(form_pdf(ws, "公示结果证明"))


def test_misspelt_template_field_is_named_once(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    assert main(["new", "李四", "-w", str(ws)]) == 0
    own_templates(
        ws,
        {
            "commitment.md.j2": "# 承诺书\n\n本人{{ applicant.nmae }}，{% if applicant.rank is defined %}有排序{% endif %}\n"
        },
    )
    assert main(["render", "--form", "commitment", "-w", str(ws)]) == 0
    err = capsys.readouterr().err
    assert err.count("引用了未知字段 applicant.nmae") == 1
    assert "本人________，有排序" in pdf_text(
        form_pdf(ws, "专业技术职务任职资格评审材料真实性承诺书")
    )


def test_docx_beside_the_pdf(tmp_path: Path, font: Path) -> None:
    docx = pytest.importorskip("docx")
    from docx.oxml.ns import qn

    ws = make_workspace(tmp_path, "qingdao-2024", font, unit=MARKUP_UNIT)
    assert main(["render", "--docx", "--date-style", "chinese", "-w", str(ws)]) == 0
    path = form_pdf(ws, "推荐申报专业技术职称“六公开”监督卡").with_suffix(".docx")
    word = docx.Document(str(path))
    assert word.paragraphs[0].text == "推荐申报专业技术职称“六公开”监督卡"
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    assert MARKUP_UNIT in cells
    assert "张三" in cells and ID_NUMBER in cells and "中级（工程师）" in cells
    assert "二〇二三年五月八日至二〇二三年五月十二日" in cells
    # The first table's unit row is one merged cell across three columns.
    first = word.tables[0].rows[0]._tr
    assert [tc.grid_span for tc in first.tc_lst] == [1, 3]
    # Every run names its East Asian font, or Word shows the wrong typeface.
    runs = [run for p in word.paragraphs for run in p.runs]
    assert runs and all(run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in runs)
    section = word.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_docx_without_python_docx_is_exit_2(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    monkeypatch.setitem(sys.modules, "docx", None)  # as if python-docx were not installed
    assert main(["render", "--docx", "-w", str(ws)]) == 2
    assert "pip install python-docx" in capsys.readouterr().err
    assert not (ws / "out" / "张三").exists()


def test_notepad_and_gbk_templates(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A UTF-8 template with a BOM works; a GBK one is a clear error, not a crash."""
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    own_templates(
        ws,
        {
            "commitment.md.j2": "# 新承诺书\n\n{{ applicant.name }}\n".encode("utf-8-sig"),
            "publicity-result.md.j2": "# 证明\n\n{{ applicant.name }}\n".encode("gbk"),
        },
    )
    assert main(["render", "--form", "commitment", "-w", str(ws)]) == 0
    reader = PdfReader(form_pdf(ws, "专业技术职务任职资格评审材料真实性承诺书"))
    assert reader.pages[0].extract_text().split("\n")[0].strip() == "新承诺书"
    capsys.readouterr()
    assert main(["render", "--form", "publicity-result", "-w", str(ws)]) == 2
    assert "不是 UTF-8 编码" in capsys.readouterr().err


# --- one failed form does not stop the others; identity warnings; derived 出生年月 --------


def _second_applicant(ws: Path, name: str = "李四") -> None:
    assert main(["new", name, "-w", str(ws)]) == 0
    applicant = applicant_text(name, ID_NUMBER)
    (ws / "dossiers" / name / "applicant.toml").write_text(applicant, encoding="utf-8")


def test_a_failed_write_is_reported_and_the_others_are_still_made(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    _second_applicant(ws)
    # 张三 comes first; out/张三 is a file, so none of his forms can be written.
    (ws / "out" / "张三").write_text("不是文件夹", encoding="utf-8")
    assert main(["render", "-w", str(ws)]) == 3
    err = capsys.readouterr().err
    assert "未生成 dossiers/张三《公示结果证明》、dossiers/张三《" in err
    assert "李四" not in err.split("未生成", 1)[1].split("\n", 1)[0]
    for title in ("公示结果证明", "专业技术职务任职资格评审材料真实性承诺书"):
        assert "李四" in pdf_text(form_pdf(ws, title, "李四"))


def test_one_form_that_cannot_be_written_leaves_the_other_form(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    blocked = form_pdf(ws, "公示结果证明")
    blocked.mkdir(parents=True)  # a folder where the PDF should go: the rename fails
    (blocked / "占位.txt").write_text("x", encoding="utf-8")
    assert main(["render", "-w", str(ws)]) == 3
    err = capsys.readouterr().err
    assert "未生成 dossiers/张三《公示结果证明》" in err and "Traceback" not in err
    assert "张三" in pdf_text(form_pdf(ws, "专业技术职务任职资格评审材料真实性承诺书"))
    assert not list(blocked.parent.glob(".*.part"))  # no half-written file left behind


def test_a_wrong_id_number_is_warned_before_sealing(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = ID_NUMBER[:-1] + ("7" if ID_NUMBER[-1] != "7" else "8")
    ws = make_workspace(tmp_path, "xinjiang-2021", font, id_number=wrong)
    assert main(["render", "-w", str(ws)]) == 0  # a warning: the forms are still made
    err = capsys.readouterr().err
    assert "张三：applicant.toml 中身份证号（id_number）有误" in err
    assert "盖章报送前请先改正" in err
    assert form_pdf(ws, "公示结果证明").is_file()


def test_unknown_level_and_missing_name_are_warned(tmp_path: Path, font: Path) -> None:
    from zcprep.model.applicant import load_applicant
    from zcprep.render import identity_problems

    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    path = ws / "dossiers" / "张三" / "applicant.toml"
    assert identity_problems(open_workspace(ws).notice, load_applicant(path.parent)) == []
    text = path.read_text(encoding="utf-8").replace('name = "张三"', 'name = "无"')
    path.write_text(text.replace('level = "中级"', 'level = "特级"'), encoding="utf-8")
    problems = identity_problems(open_workspace(ws).notice, load_applicant(path.parent))
    assert problems == ["姓名（name）未填", "申报级别“特级”不是本通知的级别"]


def test_birth_date_left_out_prints_the_one_in_the_id_number(tmp_path: Path, font: Path) -> None:
    ws = make_workspace(tmp_path, "xinjiang-2021", font)
    path = ws / "dossiers" / "张三" / "applicant.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('birth_date = "1990-03-07"\n', ""),
        encoding="utf-8",
    )
    own_templates(ws, {"commitment.md.j2": "# 承诺书\n\n{{ applicant.birth_date }}\n"})
    assert main(["render", "--form", "commitment", "-w", str(ws)]) == 0
    assert "1990年3月" in pdf_text(form_pdf(ws, "专业技术职务任职资格评审材料真实性承诺书"))


def test_no_dossiers_is_said_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    assert main(["init", "xinjiang-2021", str(ws)]) == 0
    capsys.readouterr()
    assert main(["render", "-w", str(ws)]) == 0
    assert "工作区中还没有档案，用 zcprep new 姓名 新建" in capsys.readouterr().err
