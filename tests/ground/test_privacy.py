"""Nothing leaked, nothing injected.

* ID and mobile numbers are masked in everything the CLI prints (tables, summaries,
  refusal lists, warnings, errors), also where a table would wrap them, unless
  ``--show-private``; ``--json`` keeps them;
* no applicant or config value becomes a spreadsheet formula, form markup or template
  code;
* checklist patterns and template paths cannot reach outside the workspace.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from bind_helpers import example_workspace
from zcprep.cli import main
from zcprep.privacy import PrivateValues, mask_private, visible

LI_ID = "320611199910012021"  # 李四's ID in the example (its check character is wrong)
LI_ID_MASKED = "3206**********2021"
LI_PHONE = "13800000002"
LI_PHONE_MASKED = "138****0002"
ZHANG_ID = "320602199003071234"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return example_workspace(tmp_path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _phone_as_number(ws: Path) -> None:
    """李四's phone written without quotes: check quotes it back in its message."""
    path = ws / "dossiers" / "李四" / "applicant.toml"
    text = path.read_text("utf-8")
    path.write_text(text.replace(f'phone = "{LI_PHONE}"', f"phone = {LI_PHONE}"), "utf-8")


# --------------------------------------------------------------------------- masking


def test_mask_private_examples() -> None:
    assert mask_private(f"身份证号“{LI_ID}”的校验码错误") == f"身份证号“{LI_ID_MASKED}”的校验码错误"
    assert mask_private("11010119900307002X号") == "1101**********002X号"
    assert mask_private("旧号 110101900307002") == "旧号 1101*******7002"
    assert mask_private(f"电话 {LI_PHONE}，+86 138-0000-0002") == (
        f"电话 {LI_PHONE_MASKED}，+86 138-****-0002"
    )
    # page counts, sizes, dates, years and landlines stay as they are
    for text in ("第 12 页", "20230508", "2023年5月8日", "0513-85550000", "共 311 页，9.5 MB"):
        assert mask_private(text) == text


def test_mask_private_masks_attempts_of_any_length() -> None:
    """An ID is quoted exactly when it is wrong: too short, too long, in groups."""
    assert mask_private("“11010119900307002112345”有 23 位") == "“1101***************2345”有 23 位"
    assert mask_private("１１０１０１１９９００３０７００２Ｘ") == "１１０１**********００２Ｘ"
    assert mask_private("身份证号“110101199”有 9 位") == "身份证号“11*****99”有 9 位"
    assert mask_private("联系电话“139abc45678”不像手机号") == "联系电话“13*******78”不像手机号"
    # a time stamp in a file name is no ID (no region code begins with 19 or 20)
    assert mask_private("微信图片_20230508123456.jpg") == "微信图片_20230508123456.jpg"


def test_private_values_mask_a_field_value_in_every_form_it_is_quoted() -> None:
    known = PrivateValues.of_applicants(
        [{"id_number": 110101199, "phone": " １３９-1234 "}, {"id_number": ["3206021"]}]
    )
    assert mask_private("现为 110101199。", known) == "现为 11*****99。"
    assert mask_private("“１３９-1234”、“139-1234”、1391234", known) == (
        "“１３****34”、“13****34”、1*****4"
    )
    assert mask_private("现为 [3206021]", known) == "现为 [3*****1]"
    assert mask_private("第 12 页，无", known) == "第 12 页，无"  # short values are not sought


def test_visible_shows_what_a_terminal_would_obey() -> None:
    planted = "a\x1b[2Kb\x1b]52;c;ZXZpbA==\x07c\x1b[8md\x9b2Ke\u202ef\u2066g\x7fh\ri\n\tj"
    assert visible(planted) == (
        "a␛[2Kb␛]52;c;ZXZpbA==␇c␛[8md<U+009B>2Ke<U+202E>f<U+2066>g␡h␍i\n\tj"
    )
    assert visible(visible(planted)) == visible(planted)
    assert visible("张三 [bold]:warning:") == "张三 [bold]:warning:"


def test_check_masks_the_id_by_default_and_shows_it_on_request(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    _phone_as_number(ws)
    code, out, err = run(capsys, "check", "--workspace", str(ws))
    assert code == 1
    assert LI_ID_MASKED in out and LI_ID not in out + err
    assert LI_PHONE_MASKED in out and LI_PHONE not in out + err

    for args in (["--show-private", "check"], ["check", "--show-private"]):
        code, out, _err = run(capsys, *args, "--workspace", str(ws))
        assert code == 1 and LI_ID in out and LI_PHONE in out

    code, out, _err = run(capsys, "check", "--json", "--workspace", str(ws))
    assert LI_ID in out and LI_PHONE in out  # the officer's own record keeps them


def test_a_wrapped_number_is_masked_whole(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Narrow enough that the table folds the ID over two lines: no piece of the hidden
    digits reaches the screen."""
    monkeypatch.setenv("COLUMNS", "70")
    code, out, _err = run(capsys, "check", "李四", "--workspace", str(ws))
    assert code == 1
    hidden = LI_ID[4:14]
    assert "*" * 4 in out
    for run_ in re.findall(r"[0-9]{4,}", out):
        assert run_ not in hidden, run_

    code, out, _err = run(capsys, "--show-private", "check", "李四", "--workspace", str(ws))
    shown = re.sub(r"[\s│┃]", "", out)
    assert LI_ID[:8] in shown or LI_ID[8:] in shown  # the digits are there, wrapped or not


def test_every_command_masks_what_it_prints(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    _phone_as_number(ws)
    printed = ""
    for args in (
        ["check"],
        ["bind"],  # 李四 is refused with his errors listed, the ID error among them
        ["bind", "--force"],
        ["render"],
        ["roster"],
        ["doctor"],
        ["new", f"王五{ZHANG_ID}"],
    ):
        code, out, err = run(capsys, *args, "--workspace", str(ws))
        assert code in (0, 1, 2, 3)
        printed += out + err
    assert LI_ID_MASKED in printed
    for secret in (LI_ID, LI_PHONE, ZHANG_ID):
        assert secret not in printed


def test_add_summary_masks_names_from_the_zip(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    archive = ws.parent / "材料.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(f"../身份证{LI_ID}.jpg", b"\xff\xd8\xff")  # refused: leaves the dossier
        zf.writestr(f"联系电话{LI_PHONE}.txt", b"x")
    archive.write_bytes(buffer.getvalue())
    code, out, err = run(capsys, "add", "赵六", str(archive), "--workspace", str(ws))
    assert code == 1
    assert LI_ID_MASKED in err and LI_ID not in out + err
    assert LI_PHONE not in out + err
    assert (
        ws / "dossiers" / "赵六" / f"联系电话{LI_PHONE}.txt"
    ).exists()  # the file keeps its name


def test_errors_and_tracebacks_are_masked_too(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    code, _out, err = run(capsys, "bind", f"不存在{ZHANG_ID}", "--workspace", str(ws))
    assert code == 2 and ZHANG_ID not in err and "3206**********1234" in err
    import zcprep.bind

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError(f"内部数据 {ZHANG_ID}")

    monkeypatch.setattr(zcprep.bind, "bind_dossiers", broken)
    code, _out, err = run(capsys, "--debug", "bind", "--workspace", str(ws))
    assert code == 3 and "Traceback" in err  # --debug shows it …
    assert ZHANG_ID not in err  # … masked like everything else


# --------------------------------------------------------------------------- injection

FORMULAS = [
    "=1+1",
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    '=HYPERLINK("http://x","点")',
]


def test_no_value_becomes_a_spreadsheet_formula(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every applicant text field and the config's own words, formula-like, come out of
    the workbook as strings: no <f> element in any sheet."""
    path = ws / "dossiers" / "张三" / "applicant.toml"
    text = path.read_text("utf-8")
    for index, key in enumerate(("employer", "school", "major", "remarks", "current_title")):
        formula = FORMULAS[index % len(FORMULAS)].replace('"', '\\"').replace("\t", "\\t")
        text = re.sub(rf'(?m)^{key} = ".*"', f'{key} = "{formula.replace(chr(13), "")}"', text)
    path.write_text(text, "utf-8")
    config = ws / "zcprep.toml"
    config.write_text(
        config.read_text("utf-8").replace(
            'name = "南通示例网络安全技术有限公司"', "name = \"=cmd|' /C calc'!A0\""
        ),
        "utf-8",
    )
    code, _out, err = run(capsys, "roster", "--workspace", str(ws))
    assert code == 0, err
    for book in (ws / "out").glob("*.xlsx"):
        with zipfile.ZipFile(book) as zf:
            for name in zf.namelist():
                if name.startswith("xl/worksheets/"):
                    assert "<f>" not in zf.read(name).decode("utf-8"), name
    from openpyxl import load_workbook

    sheet = load_workbook(ws / "out" / "情况一览表-中级.xlsx").active
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith("=1+1") for v in values)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_no_value_becomes_form_markup_or_template_code(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Values that look like jinja2 and like the form markup print as typed."""
    path = ws / "dossiers" / "张三" / "applicant.toml"
    text = path.read_text("utf-8")
    text = text.replace('name = "张三"', 'name = "{{ 7*7 }}{% if 1 %}真{% endif %}"')
    path.write_text(text, "utf-8")
    config = ws / "zcprep.toml"
    config.write_text(
        config.read_text("utf-8").replace(
            'name = "南通示例网络安全技术有限公司"', 'name = "# 标题 | 单元格 [分页] {{ unit }}"'
        ),
        "utf-8",
    )
    code, _out, err = run(
        capsys, "render", "张三", "--form", "公示结果证明", "--workspace", str(ws)
    )
    assert code == 0, err
    page_text = "".join(
        page.extract_text()
        for page in PdfReader(ws / "out" / "张三" / "forms" / "公示结果证明.pdf").pages
    )
    flat = re.sub(r"\s", "", page_text)
    assert "{{7*7}}{%if1%}真{%endif%}" in flat and "49" not in flat
    assert "#标题|单元格[分页]{{unit}}" in flat
    assert len(PdfReader(ws / "out" / "张三" / "forms" / "公示结果证明.pdf").pages) == 1


@pytest.mark.parametrize(
    "pattern", ["../*.pdf", "/etc/*", "..\\\\*.pdf", "C:\\\\x\\\\*.pdf", "a/../../b"]
)
def test_checklist_patterns_cannot_leave_the_dossier(
    ws: Path, capsys: pytest.CaptureFixture[str], pattern: str
) -> None:
    config = ws / "zcprep.toml"
    text = config.read_text("utf-8").replace(
        "order = 1\n", f'order = 1\npatterns = ["{pattern}"]\n', 1
    )
    config.write_text(text, "utf-8")
    code, _out, err = run(capsys, "check", "--workspace", str(ws))
    assert code == 2 and "materials[1]" in err and "第 " in err  # names the key and its line
    assert "不能指向档案文件夹以外" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ('templates_dir = "../模板"', "必须在工作区之内"),
        ('templates_dir = "/tmp"', "必须在工作区之内"),
        ('templates_dir = "..\\\\模板"', "必须在工作区之内"),
        ('templates_dir = "C:\\\\模板"', "必须在工作区之内"),
        ('templates_dir = "外链"', "指向工作区之外"),
        ('templates_dir = "环"', "循环链接"),
    ],
)
def test_templates_dir_cannot_leave_the_workspace(
    ws: Path, capsys: pytest.CaptureFixture[str], setting: str, said: str
) -> None:
    (ws / "外链").symlink_to(ws.parent, target_is_directory=True)
    (ws / "环").symlink_to(ws / "环")
    config = ws / "zcprep.toml"
    config.write_text(
        config.read_text("utf-8").replace("[render]\n", f"[render]\n{setting}\n"), "utf-8"
    )
    code, _out, err = run(capsys, "render", "--workspace", str(ws))
    assert code == 2 and said in err, err
    assert not (ws / "out" / "张三").exists()


@pytest.mark.parametrize(
    "template", ["../../../../etc/passwd", "/etc/passwd", "..\\\\..\\\\x.md.j2", "链接.md.j2"]
)
def test_form_templates_cannot_be_read_from_outside(
    ws: Path, capsys: pytest.CaptureFixture[str], template: str
) -> None:
    secret = ws.parent / "secret.md.j2"
    secret.write_text("# 外部文件的内容 OUTSIDE", "utf-8")
    folder = ws / "模板"
    folder.mkdir()
    (folder / "链接.md.j2").symlink_to(secret)
    config = ws / "zcprep.toml"
    text = config.read_text("utf-8").replace("[render]\n", '[render]\ntemplates_dir = "模板"\n')
    text = text.replace('template = "publicity-result.md.j2"', f'template = "{template}"')
    config.write_text(text, "utf-8")
    code, _out, err = run(capsys, "render", "--form", "公示结果证明", "--workspace", str(ws))
    assert code == 2 and "Traceback" not in err
    assert "找不到" in err or "链接" in err
    forms = list((ws / "out").rglob("*.pdf"))
    assert not forms


def test_demo_passes_show_private_to_every_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """demo runs each step through main() again: the choice must carry through, and must
    not outlive the run."""
    monkeypatch.setenv("COLUMNS", "400")
    code, out, err = run(capsys, "demo", str(tmp_path / "shown"), "--show-private")
    assert code == 0 and LI_ID in out + err
    code, out, err = run(capsys, "demo", str(tmp_path / "masked"))
    assert code == 0 and LI_ID not in out + err and LI_ID_MASKED in out + err


def test_a_mobile_number_after_a_plus_sign_is_masked() -> None:
    """Found by hypothesis in CI: '+13000000000' (a + typed without 86) stayed visible."""
    assert mask_private("+13000000000") == "+130****0000"
    assert mask_private("+8613812345678") == "+86138****5678"


def test_an_id_after_a_date_is_masked_and_a_time_stamp_is_not() -> None:
    from zcprep.privacy import mask_private

    for text in ("20230508-110101199003071234.pdf", "2023-05-08 110101199003071234"):
        assert "110101199003071234" not in mask_private(text), text
        assert mask_private(text).startswith(text[:10])
    for stamp in ("微信图片_20230508123456.jpg", "IMG_20230508_123456.jpg", "20230508123456789"):
        assert mask_private(stamp) == stamp
