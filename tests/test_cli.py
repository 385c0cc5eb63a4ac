"""The foundation commands, in-process and once as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from zcprep.applicant import FIELDS
from zcprep.cli import main
from zcprep.presets import load_preset, preset_ids

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
    assert folders == sorted(m.folder for m in notice.checklist)
    assert all(
        f.startswith(f"{m.order:02d}-") for f, m in zip(folders, notice.checklist, strict=True)
    )

    text = (dossier / "applicant.toml").read_text("utf-8")
    data = tomllib.loads(text)
    assert set(data) == {spec.key for spec in FIELDS}
    assert data["name"] == "张三"
    for spec in FIELDS:
        assert f"# {spec.label}" in text, spec.key
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
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, env=env, check=False
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
    from zcprep.workspace import open_workspace

    ws = tmp_path / "ws"
    main(["init", "nantong-2023", str(ws)])
    main(["new", "张三", "-w", str(ws)])
    monkeypatch.chdir(ws)
    with pytest.raises(UsageError):
        open_workspace().dossier_paths([name])


def test_a_dossier_path_from_tab_completion_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zcprep.workspace import open_workspace

    ws = tmp_path / "ws"
    main(["init", "nantong-2023", str(ws)])
    main(["new", "张三", "-w", str(ws)])
    monkeypatch.chdir(ws)
    assert open_workspace().dossier_paths(["dossiers/张三/"]) == [
        ws.resolve() / "dossiers" / "张三"
    ]
