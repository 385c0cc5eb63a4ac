"""The foundation commands, in-process and once as a real subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from zcprep.cli import main
from zcprep.model.applicant import FIELDS
from zcprep.model.presets import load_preset, preset_ids

PRESETS = ["nantong-2023", "qingdao-2024", "shandong-2022", "sichuan-2022", "xinjiang-2021"]
HEAVY = ("reportlab", "openpyxl", "pypdf", "PIL", "fontTools")


def test_notices_lists_the_five_presets(capsys: pytest.CaptureFixture[str]) -> None:
    assert preset_ids() == PRESETS
    assert main(["notices"]) == 0
    out = capsys.readouterr().out
    for preset in PRESETS:
        assert preset in out.replace("\n", "").replace("│", "").replace(" ", "")


@pytest.mark.parametrize("preset", PRESETS)
def test_init_and_new_for_every_preset(
    preset: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "工作区"
    assert main(["init", preset, str(ws)]) == 0
    assert (ws / "zcprep.toml").read_text("utf-8") == (
        Path(load_preset(preset).path).read_text("utf-8")
    )
    assert (ws / "dossiers").is_dir() and (ws / "out").is_dir()

    assert main(["new", "张三", "--workspace", str(ws)]) == 0
    dossier = ws / "dossiers" / "张三"
    notice = load_preset(preset).notice
    folders = sorted(p.name for p in dossier.iterdir() if p.is_dir())
    items = [m for m in notice.checklist if not m.not_accepted]  # no folder for the refused
    assert folders == sorted(m.folder for m in items)
    assert all(f.startswith(f"{m.order:02d}-") for f, m in zip(folders, items, strict=True))

    text = (dossier / "applicant.toml").read_text("utf-8")
    data = tomllib.loads(text)
    declared = notice.applicant.declared()
    # Every declared field is written (a list kept optional is offered commented out).
    written = {spec.key for spec, required in declared if spec.kind not in ("hours", "education")}
    written |= {s.key for s, required in declared if s.kind == "hours" and required}
    assert set(data) == written
    assert data["name"] == "张三"
    for spec, _ in declared:
        assert f"# {spec.label}" in text, spec.key
    undeclared = {spec.key for spec in FIELDS} - {spec.key for spec, _ in declared}
    assert not undeclared & set(data)
    batch = {p.name for p in (ws / "batch").iterdir()} if (ws / "batch").exists() else set()
    assert batch == {m.folder for m in notice.batch_checklist}
    assert "新建档案" in capsys.readouterr().err


def test_init_refuses_a_non_empty_folder_without_force(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    keep = ws / "已有文件.txt"
    keep.write_text("不要动", "utf-8")
    assert main(["init", "nantong-2023", str(ws)]) == 2
    assert not (ws / "zcprep.toml").exists()
    assert main(["init", "nantong-2023", str(ws), "--force"]) == 0
    assert keep.read_text("utf-8") == "不要动"


def test_init_unknown_preset_lists_the_known(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "beijing-2030", str(tmp_path / "ws")]) == 2
    err = capsys.readouterr().err
    assert "beijing-2030" in err and "nantong-2023" in err
    assert not (tmp_path / "ws").exists()


def test_new_twice_keeps_the_first_applicant_file(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    main(["init", "nantong-2023", str(ws)])
    main(["new", "张三", "-w", str(ws)])
    applicant = ws / "dossiers" / "张三" / "applicant.toml"
    applicant.write_text('name = "张三"\n# 已填写\n', "utf-8")
    assert main(["new", "张三", "-w", str(ws)]) == 2
    assert "已填写" in applicant.read_text("utf-8")


@pytest.mark.parametrize("name", ["../逃逸", "a/b", "CON", "", "张三?", ".hidden"])
def test_new_refuses_unsafe_names(name: str, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    main(["init", "nantong-2023", str(ws)])
    assert main(["new", name, "-w", str(ws)]) == 2
    assert list((ws / "dossiers").iterdir()) == []
    assert not (tmp_path / "逃逸").exists()


def test_workspace_found_by_walking_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = tmp_path / "ws"
    main(["init", "nantong-2023", str(ws)])
    deep = ws / "dossiers"
    monkeypatch.chdir(deep)
    assert main(["new", "李四"]) == 0
    assert (ws / "dossiers" / "李四" / "applicant.toml").is_file()


def test_no_workspace_is_exit_2_with_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "张三"]) == 2
    err = capsys.readouterr().err
    assert "zcprep.toml" in err and "zcprep init" in err


def test_unknown_command_is_a_chinese_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bogus"]) == 2
    assert "没有这个命令" in capsys.readouterr().err


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",  # not the locale's code page (cp936 on a Chinese Windows)
        env=env,
        check=False,
    )


def test_help_imports_no_heavy_library(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from zcprep.cli import main\n"
        "code = main(['--help'])\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules), code)\n"
    )
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[] 0"


def test_python_dash_m_zcprep_help_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-m", "zcprep", "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "职称评审" in result.stdout
    for verb in ("notices", "init", "new", "doctor", "demo"):
        assert verb in result.stdout


def test_broken_config_subprocess_exit_2_without_traceback(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    main(["init", "nantong-2023", str(ws)])
    (ws / "zcprep.toml").write_text('[notice\nid = "x"\n', "utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-m", "zcprep", "new", "张三"],
        cwd=ws,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert "第 1 行" in result.stderr
    assert "Traceback" not in result.stderr


def test_init_force_keeps_the_edited_config_as_backup(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    main(["init", "nantong-2023", str(ws)])
    edited = (ws / "zcprep.toml").read_text("utf-8").replace('name = ""', 'name = "本单位"', 1)
    (ws / "zcprep.toml").write_text(edited, "utf-8")
    assert main(["init", "nantong-2023", str(ws), "--force"]) == 0
    assert (ws / "zcprep.toml.bak").read_text("utf-8") == edited
    assert main(["init", "nantong-2023", str(ws), "--force"]) == 0
    assert (ws / "zcprep.toml.bak2").is_file()
    assert (ws / "zcprep.toml.bak").read_text("utf-8") == edited


@pytest.mark.parametrize("name", ["..", "../..", "/tmp", "dossiers/../..", "dossiers/张三/.."])
def test_commands_never_reach_outside_dossiers(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zcprep.errors import UsageError
    from zcprep.model.workspace import open_workspace

    ws = tmp_path / "ws"
    main(["init", "nantong-2023", str(ws)])
    main(["new", "张三", "-w", str(ws)])
    monkeypatch.chdir(ws)
    with pytest.raises(UsageError):
        open_workspace().dossier_paths([name])


def test_a_dossier_path_from_tab_completion_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zcprep.model.workspace import open_workspace

    ws = tmp_path / "ws"
    main(["init", "nantong-2023", str(ws)])
    main(["new", "张三", "-w", str(ws)])
    monkeypatch.chdir(ws)
    assert open_workspace().dossier_paths(["dossiers/张三/"]) == [
        ws.resolve() / "dossiers" / "张三"
    ]


# --- help and usage errors in Chinese ---------------------------------------------------

HELP_ENGLISH = (
    "Usage",
    "Options",
    "Commands",
    "Arguments",
    "Show this message",
    "[required]",
    "[default",
    "[OPTIONS]",
    "COMMAND",
    "[ARGS]",
    "<str>",
    "<path>",
    "<list",
    "<int>",
)


def _root_command() -> Any:
    import typer

    from zcprep.cli import app

    return typer.main.get_command(app)


COMMANDS = sorted(_root_command().commands)


@pytest.mark.parametrize("args", [[], ["-h"], ["--help"], *([c, "-h"] for c in COMMANDS)])
def test_help_is_in_chinese_and_lists_every_option(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：zcprep")
    for english in HELP_ENGLISH:
        assert english not in out, english
    root = _root_command()
    command = root.commands[args[0]] if args and not args[0].startswith("-") else root
    for param in command.params:
        if param.param_type_name == "option":
            for opt in param.opts:
                assert opt in out, opt
        else:
            assert param.metavar and param.metavar in out, param.name
            assert not param.metavar.isascii()  # a Chinese placeholder, not "NAME"
    if command is root:
        for name in COMMANDS:
            assert f"  {name} " in out, name
    assert "显示本帮助并退出。" in out


def test_help_columns_line_up_on_screen(capsys: pytest.CaptureFixture[str]) -> None:
    """A Chinese metavar is two columns wide on screen: every help text starts at the
    same screen column."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    assert main(["render", "-h"]) == 0
    lines = capsys.readouterr().out.split("选项：\n", 1)[1].splitlines()
    starts = set()
    for line in lines:
        if line.startswith("  -"):
            help_start = re.search(r"\S  +(?=\S)", line)
            assert help_start is not None, line
            starts.add(width(line[: help_start.end()]))
    assert len(starts) == 1, lines


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["roster", "--level"], "选项 --level 后面要写一个值。"),
        (["check", "--jso"], "没有这个选项：--jso（可用的选项：--json）"),
        (["chek"], "没有这个命令：chek。你是不是想用 'check'？"),
        (["add"], "缺少参数：姓名。"),
        (["new", "张三", "李四"], "多余的参数：李四"),
        (["check", "--json=1"], "选项 --json 后面不能写值。"),
    ],
)
def test_usage_errors_are_in_chinese(
    args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert expected in err
    for english in ("requires", "No such", "Missing", "Possible", "Did you", "unexpected", "take"):
        assert english not in err, english


# --- doctor, bind: exit codes and wording -------------------------------------------------


def test_doctor_exits_1_when_a_row_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["doctor", "-w", str(tmp_path / "没有这个工作区")]) == 1
    captured = capsys.readouterr()
    assert "[有误] 工作区" in captured.out and "[有误]" in captured.err


def test_doctor_exit_code_follows_its_rows(tmp_path: Path) -> None:
    from zcprep.doctor import gather

    ws = tmp_path / "ws"
    main(["init", "nantong-2023", str(ws)])
    wrong = any(row.status == "error" for row in gather(ws))
    assert main(["doctor", "-w", str(ws)]) == (1 if wrong else 0)


def test_bind_with_no_dossiers_is_said_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    main(["init", "nantong-2023", str(ws)])
    capsys.readouterr()
    assert main(["bind", "-w", str(ws)]) == 0
    assert "工作区中还没有档案，用 zcprep new 姓名 新建" in capsys.readouterr().err
    assert main(["bind", "王五", "-w", str(ws)]) == 2  # a name that is not there: usage


def test_bind_toc_title_has_no_nested_brackets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bind_helpers import example_workspace

    monkeypatch.setenv("COLUMNS", "200")
    root = example_workspace(tmp_path)
    assert main(["bind", "张三", "--dry-run", "-w", str(root)]) == 0
    out = capsys.readouterr().out
    assert "张三（中级·工程师）目录" in out
    assert "（中级（工程师））" not in out


def test_internal_error_is_exit_3_and_asks_for_a_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import zcprep.doctor
    from zcprep.errors import InternalError

    def broken(*_args: object, **_kwargs: object) -> None:
        raise InternalError("目录页数前后不一致")

    monkeypatch.setattr(zcprep.doctor, "gather", broken)
    assert main(["doctor"]) == 3
    err = capsys.readouterr().err
    assert "zcprep 内部错误：目录页数前后不一致" in err
    assert "--debug" in err and "反馈给开发者" in err and "Traceback" not in err
