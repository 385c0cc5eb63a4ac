"""A bad zcprep.toml is exit 2 with a Chinese message naming key, value and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from zcprep.cli import main
from zcprep.errors import ConfigError
from zcprep.model.config import load_notice
from zcprep.model.presets import preset_path
from zcprep.model.workspace import init_workspace

PRESET_TEXT = preset_path("nantong-2023").read_text(encoding="utf-8")


def write_config(folder: Path, text: str, encoding: str = "utf-8", bom: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "zcprep.toml"
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    count = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            count += 1
            if count == occurrence:
                return number
    raise AssertionError(needle)


def test_preset_loads_without_warnings(tmp_path: Path) -> None:
    loaded = load_notice(write_config(tmp_path, PRESET_TEXT))
    assert loaded.warnings == []
    assert loaded.notice.id == "nantong-2023"


def test_bad_value_names_key_value_and_line(tmp_path: Path) -> None:
    text = PRESET_TEXT.replace("copies = 6", 'copies = "六份"')
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_notice(path)
    message = info.value.message
    assert "materials[2].copies" in message
    assert "'六份'" in message
    bad_line = line_of(text, 'copies = "六份"')
    assert f"第 {bad_line} 行" in message
    assert "应为整数" in message


def test_toml_syntax_error_gives_line(tmp_path: Path) -> None:
    text = PRESET_TEXT.replace("year = 2023", "year = 2023 2024", 1)
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_notice(path)
    assert f"第 {line_of(text, 'year = 2023 2024')} 行" in info.value.message


def test_missing_section_is_named(tmp_path: Path) -> None:
    start = PRESET_TEXT.index("[notice]")
    end = PRESET_TEXT.index("\n[unit]")
    path = write_config(tmp_path, PRESET_TEXT[:start] + PRESET_TEXT[end:])
    with pytest.raises(ConfigError) as info:
        load_notice(path)
    assert "notice：缺少这一项" in info.value.message


def test_unknown_key_is_a_config_error_never_dropped(tmp_path: Path) -> None:
    """Was a warning ("已忽略") with the default 公示 rule used: now the load stops."""
    text = PRESET_TEXT.replace("[publicity]\n", "[publicity]\nmin_workng_days = 7\n")
    with pytest.raises(ConfigError) as info:
        load_notice(write_config(tmp_path, text))
    message = info.value.message
    assert "publicity.min_workng_days" in message
    assert f"第 {line_of(text, 'min_workng_days = 7')} 行" in message
    assert "你是不是想写 min_working_days？" in message


def test_eligibility_rule_must_name_a_known_level(tmp_path: Path) -> None:
    text = PRESET_TEXT.replace(
        'level = "assistant"\ndegree = ["硕士", "第二学士", "博士"]',
        'level = "senior"\ndegree = ["硕士", "第二学士", "博士"]',
    )
    with pytest.raises(ConfigError) as info:
        load_notice(write_config(tmp_path, text))
    assert "“senior”不在 levels 中" in info.value.message


def test_pattern_outside_dossier_is_refused(tmp_path: Path) -> None:
    text = PRESET_TEXT.replace(
        'id = "work-summary"\n', 'id = "work-summary"\npatterns = ["../*.pdf"]\n'
    )
    with pytest.raises(ConfigError) as info:
        load_notice(write_config(tmp_path, text))
    assert "不能指向档案文件夹以外" in info.value.message


def test_page_number_format_needs_n(tmp_path: Path) -> None:
    text = PRESET_TEXT.replace('page_number_format = "第 {n} 页"', 'page_number_format = "第页"')
    with pytest.raises(ConfigError) as info:
        load_notice(write_config(tmp_path, text))
    assert "bind.page_number_format" in info.value.message
    assert "{n}" in info.value.message


def test_utf8_bom_from_notepad_is_accepted(tmp_path: Path) -> None:
    loaded = load_notice(write_config(tmp_path, PRESET_TEXT, bom=True))
    assert loaded.notice.notice.specialty == "网络安全工程"
    assert loaded.warnings == []


def test_gbk_file_is_read_with_a_note(tmp_path: Path) -> None:
    loaded = load_notice(write_config(tmp_path, PRESET_TEXT, encoding="gbk"))
    assert loaded.notice.levels[0].name == "中级"
    assert any("GBK" in w and "UTF-8" in w for w in loaded.warnings)


def test_undecodable_file_is_refused_with_how_to_resave(tmp_path: Path) -> None:
    path = tmp_path / "zcprep.toml"
    path.write_bytes(PRESET_TEXT.encode("utf-8")[:200] + b"\x80\xff\x80")
    with pytest.raises(ConfigError) as info:
        load_notice(path)
    assert "UTF-8" in (info.value.hint or "")


def test_cli_bad_config_exit_2_message_on_stderr_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = init_workspace("nantong-2023", tmp_path / "ws")
    config = ws / "zcprep.toml"
    config.write_text(PRESET_TEXT.replace("fee = 200", "fee = -5"), encoding="utf-8")
    code = main(["new", "张三", "--workspace", str(ws)])
    captured = capsys.readouterr()
    assert code == 2
    assert "levels[1].fee" in captured.err
    assert "应不小于 0" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert not (ws / "dossiers" / "张三").exists()


def test_cli_debug_shows_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = init_workspace("nantong-2023", tmp_path / "ws")
    (ws / "zcprep.toml").write_text("schema = [", encoding="utf-8")
    assert main(["--debug", "new", "张三", "--workspace", str(ws)]) == 2
    assert "Traceback" in capsys.readouterr().err


# --- TOML syntax errors in Chinese, with a hint for the file they are in -------------------

ENGLISH = ("Unescaped", "Invalid", "Cannot", "Expected", "line", "column", "document")


def syntax_error(tmp_path: Path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_notice(write_config(tmp_path, text))
    for english in ENGLISH:
        assert english not in info.value.message, english
    return info.value


def test_windows_path_in_double_quotes_says_use_slashes(tmp_path: Path) -> None:
    text = PRESET_TEXT.replace(
        '[fonts]\n# path = "C:/Windows/Fonts/simsun.ttc"',
        '[fonts]\npath = "C:\\Windows\\Fonts\\simsun.ttc"',
    )
    assert 'path = "C:\\Windows' in text
    error = syntax_error(tmp_path, text)
    line = line_of(text, 'path = "C:\\Windows')
    assert f"第 {line} 行第 " in error.message
    assert "反斜杠" in error.message
    assert error.hint is not None
    assert '"C:/Windows/Fonts/simsun.ttc"' in error.hint and "单引号" in error.hint
    # What the hint says works.
    fixed = text.replace(
        'path = "C:\\Windows\\Fonts\\simsun.ttc"', "path = 'C:\\Windows\\Fonts\\simsun.ttc'"
    )
    assert load_notice(write_config(tmp_path, fixed)).notice.fonts.path == (
        "C:\\Windows\\Fonts\\simsun.ttc"
    )


def test_unquoted_text_is_an_invalid_value_in_chinese(tmp_path: Path) -> None:
    text = PRESET_TEXT.replace('[unit]\nname = ""', "[unit]\nname = 本单位", 1)
    error = syntax_error(tmp_path, text)
    assert f"第 {line_of(text, 'name = 本单位')} 行" in error.message
    assert "值的写法不对" in error.message and "双引号" in error.message
    assert error.hint is not None and "README" in error.hint


def test_a_table_declared_twice_names_the_table(tmp_path: Path) -> None:
    text = PRESET_TEXT + "\n[fonts]\n"
    error = syntax_error(tmp_path, text)
    assert "表 [fonts] 写了两次" in error.message


def test_extra_text_after_a_value(tmp_path: Path) -> None:
    error = syntax_error(tmp_path, PRESET_TEXT.replace("year = 2023", "year = 2023 2024", 1))
    assert "一行只能写一项" in error.message


def test_applicant_file_error_points_to_the_template_not_readme(tmp_path: Path) -> None:
    from zcprep.check import run_check
    from zcprep.model.workspace import open_workspace

    ws = init_workspace("nantong-2023", tmp_path / "ws")
    assert main(["new", "张三", "--workspace", str(ws)]) == 0
    applicant = ws / "dossiers" / "张三" / "applicant.toml"
    text = applicant.read_text("utf-8").replace('employer = ""', "employer = 某某公司")
    applicant.write_text(text, "utf-8")
    report = run_check(open_workspace(ws))
    finding = next(f for f in report.dossiers[0].findings if f.code == "applicant-file-invalid")
    line = line_of(text, "employer = 某某公司")
    assert finding.message.startswith(f"dossiers/张三/applicant.toml：TOML 格式错误（第 {line} 行")
    assert str(ws) not in finding.message
    assert "README" not in finding.hint and "applicant.toml 模板" in finding.hint
    assert finding.file == "dossiers/张三/applicant.toml"


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Unclosed array (at line 3, column 9)", "第 3 行第 9 列：列表缺少结尾的 ]"),
        ("Unterminated string (at end of document)", "文件末尾：文字缺少结尾的引号"),
        ("Cannot declare ('render', 'forms') twice (at line 2, column 1)", "表 [render.forms]"),
        ("Illegal character '\\n' (at line 4, column 20)", "文字缺少结尾的引号"),
        ("Something new (at line 1, column 2)", "第 1 行第 2 列：Something new"),
    ],
)
def test_translate_toml_error(english: str, chinese: str) -> None:
    from zcprep.model.tomlfile import translate_toml_error

    assert chinese in translate_toml_error(english)
