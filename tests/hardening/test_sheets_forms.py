"""Workbooks and Word files hold only what XML 1.0 allows; a long value fails one form, not
the run; two levels never share one roster file.

Real workspaces from the presets, values written into applicant.toml and zcprep.toml as
TOML escapes (``\\uFFFE``), a real non-UTF-8 file name where the file system allows one;
each .xlsx is read back with openpyxl *and* opened as a zip whose every XML part is
parsed with xml.etree (openpyxl's reader forgives what Excel calls corrupt); each PDF is
read back with pypdf.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from check_helpers import right_applicant, toml_text
from fontgen import build_ttf
from roster_helpers import base_applicant, configure, write_applicant
from zcprep.cli import main
from zcprep.model.workspace import init_workspace, open_workspace
from zcprep.resources import examples_dir, templates_dir

# Noncharacters, a C0 control, a noncharacter of plane 1: none may reach an XML file.
BAD = "\ufffe\uffff\x07\ufdd0\U0001fffe"
SIX = "推荐申报专业技术职称“六公开”监督卡"
GBK_NAME = "证书"
LONG_LEVEL = "网络安全工程专业技术资格评审中级职称一级A类申报人员情况汇总表"  # 31 characters  # b"\xd6\xa4\xca\xe9" in GBK, as a Windows zip leaves it


def toml_string(value: str) -> str:
    """A TOML basic string with every character outside printable ASCII/CJK escaped."""
    out = []
    for char in value:
        if char in '"\\' or ord(char) < 0x20 or not char.isprintable():
            out.append(f"\\U{ord(char):08X}" if ord(char) > 0xFFFF else f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def set_value(path: Path, key: str, value: str, after: str = "") -> None:
    """Replace the first ``key = …`` line (after the line ``after``) with ``value``."""
    text = path.read_text("utf-8")
    start = text.index(after) if after else 0
    match = re.compile(rf"^{re.escape(key)} = .*$", re.M).search(text, start)
    assert match, f"{key} not in {path}"
    line = f"{key} = {toml_string(value)}"
    path.write_text(text[: match.start()] + line + text[match.end() :], "utf-8")


def assert_well_formed(path: Path) -> None:
    """Every XML part of an .xlsx/.docx parses, and none holds a character XML forbids."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                data = archive.read(name)
                ET.fromstring(data)  # raises on a character XML 1.0 does not allow
                text = data.decode("utf-8")
                assert not any(char in text for char in BAD), name


def sheet_texts(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path)
    return [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


def pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(args)
    return code, capsys.readouterr().err


@pytest.fixture(scope="module")
def font(tmp_path_factory: pytest.TempPathFactory) -> Path:
    extra = "".join(p.read_text("utf-8") for p in templates_dir().glob("*.j2"))
    return build_ttf(tmp_path_factory.mktemp("font") / "test-song.ttf", extra=extra + "＿")


@pytest.fixture
def roster_ws(tmp_path: Path) -> Path:
    root = tmp_path / "工作区"
    init_workspace("nantong-2023", root)
    configure(root)
    write_applicant(root, base_applicant("张三"))
    write_applicant(root, base_applicant("李四", level="初级"))
    return root


WINDOWS_ZIP_NAMES = pytest.mark.skipif(
    sys.platform == "win32",
    reason="a file name of raw GBK bytes cannot exist on NTFS (names are UTF-16)",
)


def gbk_named_file(folder: Path) -> None:
    """A file whose name is GBK bytes, as a Windows zip leaves it; skipped where the file
    system only takes UTF-8 names (macOS, Windows)."""
    name = os.fsencode(folder) + b"/" + GBK_NAME.encode("gbk") + b".exe"
    try:
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    except OSError as exc:
        pytest.skip(f"this file system refuses non-UTF-8 names: {exc}")
    os.write(fd, b"MZ" + bytes(100))
    os.close(fd)


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40))
def test_xml_safe_text_always_parses_back_as_xml(text: str) -> None:
    """Whatever a value holds (surrogates, noncharacters, controls), what is left of it is
    XML 1.0 and reads back as itself."""
    from zcprep.xmltext import xml_safe

    safe = xml_safe(text)
    element = ET.Element("c")
    element.text = safe
    data = ET.tostring(element, encoding="utf-8")
    parsed = ET.fromstring(data).text or ""
    assert parsed == safe.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- roster


def test_roster_leaves_out_what_a_workbook_cannot_hold_and_says_so(
    roster_ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    applicant = roster_ws / "dossiers" / "张三" / "applicant.toml"
    set_value(applicant, "employer", f"南通{BAD}示例公司")
    code, err = run(["roster", "-w", str(roster_ws)], capsys)
    assert code == 0, err
    book = roster_ws / "out" / "情况一览表-中级.xlsx"
    assert_well_formed(book)
    assert "南通示例公司" in sheet_texts(book)
    said = re.sub(r"\s+", "", err)
    assert "张三" in said and "工作单位" in said and "U+FFFE" in said and "U+1FFFE" in said


def test_without_lxml_the_roster_was_corrupt_with_exit_0_and_is_now_whole(
    roster_ws: Path,
) -> None:
    """openpyxl without lxml writes U+FFFF as it is: Excel then refuses the file, yet the
    command said 已生成 and exit 0. A real subprocess, openpyxl told not to use lxml."""
    set_value(roster_ws / "dossiers" / "李四" / "applicant.toml", "employer", f"南{BAD}通")
    env = {**os.environ, "OPENPYXL_LXML": "False", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "zcprep", "roster", "-w", str(roster_ws)],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    book = roster_ws / "out" / "情况一览表-初级.xlsx"
    assert_well_formed(book)
    assert "南通" in sheet_texts(book)


def test_roster_cleans_zcprep_toml_text_too(
    roster_ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Control characters in [unit] name, the title or a header stopped the roster with
    an internal IllegalCharacterError."""
    config = roster_ws / "zcprep.toml"
    set_value(config, "name", "南通\x01测试\ufffe公司", after="[unit]")
    set_value(config, "title", "申报\x02{level}一览表", after="[roster]")
    text = config.read_text("utf-8").replace('header = "姓名"', 'header = "姓\\u0003名"')
    config.write_text(text, "utf-8")
    code, err = run(["roster", "-w", str(roster_ws)], capsys)
    assert code == 0, err
    book = roster_ws / "out" / "情况一览表-中级.xlsx"
    assert_well_formed(book)
    texts = sheet_texts(book)
    assert "申报中级一览表" in texts and "姓名" in texts
    assert "单位（盖章）：南通测试公司" in texts
    said = re.sub(r"\s+", "", err)
    for place in ("[unit]name", "[roster]title", "[roster]columns第2项的header"):
        assert place in said, said


def test_two_levels_giving_one_file_name_stop_before_anything_is_written(
    roster_ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """中级 and 中级? both become 情况一览表-中级.xlsx: the second replaced the first and
    已生成 was said twice."""
    set_value(roster_ws / "zcprep.toml", "name", "中级?", after='id = "assistant"')
    write_applicant(roster_ws, base_applicant("李四", level="中级?"))
    code, err = run(["roster", "-w", str(roster_ws)], capsys)
    assert code == 2, err
    assert "“中级”" in err and "“中级?”" in err and "情况一览表-中级.xlsx" in err
    assert not list((roster_ws / "out").glob("*.xlsx")) if (roster_ws / "out").exists() else True


@pytest.mark.parametrize(
    ("split", "first", "second"),
    [
        ("file", "Level-A", "level-a"),  # one file on Windows and macOS
        ("sheet", f"{LONG_LEVEL}甲", f"{LONG_LEVEL}乙"),  # Excel keeps 31 characters
        ("file", "费用汇总", "初级"),  # the fee summary's own sheet name
    ],
)
def test_levels_whose_sheets_or_files_collide_are_a_config_error(
    roster_ws: Path, capsys: pytest.CaptureFixture[str], split: str, first: str, second: str
) -> None:
    config = roster_ws / "zcprep.toml"
    config.write_text(
        config.read_text("utf-8").replace('split = "file"', f'split = "{split}"'), "utf-8"
    )
    set_value(config, "name", first, after='id = "intermediate"')
    set_value(config, "name", second, after='id = "assistant"')
    write_applicant(roster_ws, base_applicant("张三", level=first))
    write_applicant(roster_ws, base_applicant("李四", level=second))
    code, err = run(["roster", "-w", str(roster_ws)], capsys)
    assert code == 2, err
    assert f"“{first}”" in err
    assert not (roster_ws / "out").exists() or not list((roster_ws / "out").glob("*.xlsx"))


# --------------------------------------------------------------------------- other workbooks


@WINDOWS_ZIP_NAMES
def test_check_xlsx_decodes_gbk_file_names_and_drops_what_xml_forbids(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from zcprep.check import run_check
    from zcprep.letter import write_findings_workbook

    ws = tmp_path / "nantong-2023"
    shutil.copytree(examples_dir() / "nantong-2023", ws)
    gbk_named_file(ws / "dossiers" / "李四")
    set_value(ws / "zcprep.toml", "title", f"关于{BAD}报送的通知", after="[notice]")
    code, err = run(["check", "--xlsx", "-w", str(ws)], capsys)
    assert code == 1, err  # the check's own verdict: 李四 has errors
    book = ws / "out" / "检查结果.xlsx"
    assert_well_formed(book)
    assert any(f"{GBK_NAME}.exe" in text for text in sheet_texts(book))
    notes: list[str] = []
    workspace = open_workspace(ws)
    write_findings_workbook(workspace, run_check(workspace), notes=notes)
    assert any("[notice] title" in note and "U+FFFE" in note for note in notes), notes


def test_the_blank_import_sheet_cleans_zcprep_toml_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from zcprep.importing import write_template

    root = tmp_path / "工作区"
    init_workspace("nantong-2023", root)
    set_value(root / "zcprep.toml", "title", f"关于{BAD}报送的通知", after="[notice]")
    set_value(root / "zcprep.toml", "name", "中级\x01", after='id = "intermediate"')
    target = tmp_path / "申报人信息.xlsx"
    code, err = run(["import", "--template", str(target), "-w", str(root)], capsys)
    assert code == 0, err
    assert_well_formed(target)
    result = write_template(open_workspace(root), tmp_path / "again.xlsx")
    said = "".join(result.warnings)
    assert "[notice] title" in said and "[[levels]] 第 1 项的 name" in said


# --------------------------------------------------------------------------- forms and letters


def forms_workspace(root: Path, preset: str, font: Path, level: str) -> Path:
    ws = root / preset
    assert main(["init", preset, str(ws)]) == 0
    config = ws / "zcprep.toml"
    text = config.read_text("utf-8").replace("[fonts]\n", f"[fonts]\npath = '{font}'\n", 1)
    config.write_text(text, "utf-8")
    set_value(config, "name", "南通示例网络安全技术有限公司", after="[unit]")
    for name in ("张三", "李四"):
        assert main(["new", name, "-w", str(ws)]) == 0
        data = right_applicant() | {"name": name, "level": level, "publicity_end": "2024-05-10"}
        (ws / "dossiers" / name / "applicant.toml").write_text(toml_text(data, []), "utf-8")
    return ws


def test_render_docx_drops_what_word_cannot_hold_and_says_where(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("docx")
    ws = forms_workspace(tmp_path, "nantong-2023", font, "中级")
    set_value(ws / "zcprep.toml", "name", f"南通{BAD}示例公司", after="[unit]")
    code, err = run(["render", "--docx", "--form", "publicity-result", "-w", str(ws)], capsys)
    assert code == 0, err
    for name in ("张三", "李四"):
        forms = ws / "out" / name / "forms"
        assert_well_formed(forms / "公示结果证明.docx")
        assert "南通示例公司" in pdf_text(forms / "公示结果证明.pdf")
    said = re.sub(r"\s+", "", err)
    assert "单位名称" in said and "U+FFFE" in said


@WINDOWS_ZIP_NAMES
def test_letter_docx_with_a_gbk_file_name_is_written(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The 补正告知单 quotes file names: one from a Windows zip crashed the .docx."""
    pytest.importorskip("docx")
    ws = tmp_path / "nantong-2023"
    shutil.copytree(examples_dir() / "nantong-2023", ws)
    config = ws / "zcprep.toml"
    config.write_text(
        config.read_text("utf-8").replace("[fonts]\n", f"[fonts]\npath = '{font}'\n", 1), "utf-8"
    )
    gbk_named_file(ws / "dossiers" / "李四")
    set_value(ws / "dossiers" / "李四" / "applicant.toml", "major", f"计算机{BAD}")
    code, err = run(["letter", "--docx", "-w", str(ws)], capsys)
    assert code == 0, err
    assert_well_formed(ws / "out" / "李四" / "补正告知单.docx")
    assert f"{GBK_NAME}.exe" in pdf_text(ws / "out" / "李四" / "补正告知单.pdf")


def test_a_long_name_in_a_table_cell_is_set_smaller_and_printed_whole(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """600 characters in a cell of the 六公开 card raised reportlab's LayoutError: an
    internal error, and no applicant got a form."""
    ws = forms_workspace(tmp_path, "shandong-2022", font, "副高级")
    long_name = "张三丰" * 200
    set_value(ws / "dossiers" / "张三" / "applicant.toml", "name", long_name)
    code, err = run(["render", "-w", str(ws)], capsys)
    assert code == 0, err
    assert long_name in pdf_text(ws / "out" / "张三" / "forms" / f"{SIX}.pdf")
    assert (ws / "out" / "李四" / "forms" / f"{SIX}.pdf").is_file()


def test_a_value_no_page_can_hold_fails_that_form_only(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = forms_workspace(tmp_path, "shandong-2022", font, "副高级")
    set_value(ws / "dossiers" / "张三" / "applicant.toml", "name", "张三丰" * 2000)
    code, err = run(["render", "-w", str(ws)], capsys)
    assert code == 1, err  # the work ran; one applicant's data must be fixed
    said = re.sub(r"\s+", "", err)
    assert "dossiers/张三" in said and "姓名（applicant.toml的name）" in said and "太长" in said
    assert "内部错误" not in said
    assert (ws / "out" / "李四" / "forms" / f"{SIX}.pdf").is_file()
    assert not (ws / "out" / "张三" / "forms" / f"{SIX}.pdf").exists()
    assert not list((ws / "out").rglob("*.part"))


def test_a_letter_quoting_a_value_no_page_can_hold_fails_alone(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A finding quotes the value it rejects; 6,000 characters of it in the letter's table
    raised LayoutError for everyone."""
    ws = tmp_path / "nantong-2023"
    shutil.copytree(examples_dir() / "nantong-2023", ws)
    config = ws / "zcprep.toml"
    config.write_text(
        config.read_text("utf-8").replace("[fonts]\n", f"[fonts]\npath = '{font}'\n", 1), "utf-8"
    )
    shutil.copytree(ws / "dossiers" / "李四", ws / "dossiers" / "王五")
    set_value(ws / "dossiers" / "王五" / "applicant.toml", "name", "王五")
    set_value(ws / "dossiers" / "李四" / "applicant.toml", "gender", "女男" * 3000)
    code, err = run(["letter", "-w", str(ws)], capsys)
    assert code == 1, err
    assert "未生成李四的补正告知单" in err and "太长" in err and "内部错误" not in err
    assert "王五" in pdf_text(ws / "out" / "王五" / "补正告知单.pdf")
    assert not (ws / "out" / "李四" / "补正告知单.pdf").exists()
