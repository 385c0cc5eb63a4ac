"""`zcprep check` on the command line: table, summary, --json, exit codes, the example."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from check_helpers import (
    put_file,
    right_applicant,
    right_dossier,
    toml_text,
    tree_hashes,
    write_notice,
)
from zcprep.check import run_check
from zcprep.cli import main
from zcprep.model.workspace import open_workspace

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nantong-2023"
# The mistakes planted in 李四 by examples/make_examples.py.
LI_MISTAKES = {
    "id-number-invalid",
    "material-missing",
    "publicity-too-short",
    "file-type-mismatch",
    "material-unexpected",
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    workspace = tmp_path / "ws"
    write_notice(workspace)
    right_dossier(workspace)
    return workspace


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wide enough that rich wraps no message, so phrases can be looked for."""
    monkeypatch.setenv("COLUMNS", "400")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_right_dossier_exits_0(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--workspace", str(root))
    assert code == 0
    # The test notice's deadlines are in 2024: only deadline warnings may appear.
    assert "已检查 1 份档案" in err and ("没有错误" in err or "没有发现问题" in err)
    assert "张三（中级" in out


def test_errors_exit_1_with_table_and_summary(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = right_applicant()
    data["remarks"] = ""
    (root / "dossiers/张三/applicant.toml").write_text(toml_text(data), "utf-8")
    put_file(root / "dossiers/张三/04-业绩成果/3-空.pdf", b"")
    code, out, err = run(capsys, "check", "--workspace", str(root))
    assert code == 1
    for phrase in (
        "错误",
        "3-空.pdf",
        "04 业绩成果",
        "applicant.toml",
        "“备注”（remarks）留空了",
        "怎么办",
    ):
        assert phrase in out, phrase
    assert "1 份有错误，共 2 个错误" in err


def test_json_equals_the_library_report(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    put_file(root / "dossiers/张三/微信图片.jpg", b"\xff\xd8\xff")
    right_dossier(root, "李四", seed=1)
    code, out, err = run(capsys, "check", "--json", "--workspace", str(root))
    expected = run_check(open_workspace(root)).to_dict()
    assert json.loads(out) == expected
    assert out == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    assert code == (0 if expected["ok"] else 1)
    assert "已检查 2 份档案" in err


def test_named_dossiers(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    right_dossier(root, "李四", seed=1)
    code, out, _ = run(capsys, "check", "李四", "--json", "--workspace", str(root))
    assert [d["applicant"] for d in json.loads(out)["dossiers"]] == ["李四"]
    code, _, err = run(capsys, "check", "王五", "--workspace", str(root))
    assert code == 2 and "王五" in err


def test_no_workspace_and_no_dossiers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--workspace", str(tmp_path))
    assert code == 2 and "zcprep.toml" in err
    write_notice(tmp_path / "empty")
    code, _, err = run(capsys, "check", "--workspace", str(tmp_path / "empty"))
    assert code == 0 and "还没有档案" in err


def test_bad_notice_is_exit_2_not_zero_findings(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = root / "zcprep.toml"
    config.write_text(
        config.read_text("utf-8").replace("min_working_days = 5", "min_working_days = 0"), "utf-8"
    )
    code, _, err = run(capsys, "check", "--workspace", str(root))
    assert code == 2 and "min_working_days" in err


def test_example_workspace(capsys: pytest.CaptureFixture[str]) -> None:
    before = tree_hashes(EXAMPLE)
    code, out, _ = run(capsys, "check", "--json", "--workspace", str(EXAMPLE))
    assert tree_hashes(EXAMPLE) == before
    assert code == 1
    report = {d["applicant"]: d for d in json.loads(out)["dossiers"]}
    zhang, li = report["张三"], report["李四"]
    assert zhang["ok"] and zhang["findings"] == []
    codes = {f["code"] for f in li["findings"] if f["severity"] == "error"} | {
        f["code"] for f in li["findings"] if f["code"] == "material-unexpected"
    }
    assert codes >= LI_MISTAKES
    # Nantong's notice states no years nor hours: the national baseline only warns.
    baseline = {f["code"]: f for f in li["findings"] if f["severity"] == "warning"}
    assert {"eligibility-not-met", "continuing-education-short"} <= set(baseline)
    assert "人社部发〔2019〕16号" in baseline["eligibility-not-met"]["message"]
    missing = [f for f in li["findings"] if f["code"] == "material-missing"]
    assert [f["material"] for f in missing] == ["work-summary"]
    mismatch = next(f for f in li["findings"] if f["code"] == "file-type-mismatch")
    assert mismatch["file"] == "dossiers/李四/06-业绩成果证明材料及获奖证书/获奖证书.pdf"


def test_demo_shows_the_mistakes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "demo", str(tmp_path / "demo"))
    assert code == 0
    assert "检查全部档案" in err
    for phrase in ("校验码错误", "获奖证书.pdf", "只有 3 个工作日"):
        assert phrase in out, phrase
    for code in ("id-number-invalid", "publicity-too-short"):  # only with check --verbose
        assert code not in out, code


def test_subprocess_json_stdout_is_pure_json(tmp_path: Path) -> None:
    workspace = tmp_path / "example"
    shutil.copytree(EXAMPLE, workspace)
    env = {**os.environ, "COLUMNS": "200"}
    result = subprocess.run(
        [sys.executable, "-m", "zcprep", "check", "--json", "--workspace", str(workspace)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["summary"]["dossiers"] == 2 and document["ok"] is False
    assert "Traceback" not in result.stderr and "已检查 2 份档案" in result.stderr


def test_the_table_column_of_severity_is_called_type(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """级别 means 申报级别 everywhere else; the severity column is 类型."""
    data = right_applicant()
    data["remarks"] = ""
    (root / "dossiers/张三/applicant.toml").write_text(toml_text(data), "utf-8")
    code, out, _ = run(capsys, "check", "--workspace", str(root))
    assert code == 1
    header = next(line for line in out.splitlines() if "序号" in line)
    assert "类型" in header and "级别" not in header


def test_check_bind_render_roster_agree_on_an_empty_workspace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_notice(tmp_path / "empty")
    for command in ("check", "bind", "render", "roster"):
        code, _, err = run(capsys, command, "--workspace", str(tmp_path / "empty"))
        assert code == 0, command
        assert "工作区中还没有档案，用 zcprep new 姓名 新建。" in err, command
    assert not list((tmp_path / "empty").glob("out/*"))


def test_notice_wide_warnings_are_shown_and_counted_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The example's deadlines are in 2023: the terminal lists each deadline once, the
    summary counts it once, and --json keeps it in notice_findings, not in any dossier."""
    from zcprep.resources import examples_dir

    ws = tmp_path / "ws"
    shutil.copytree(examples_dir() / "nantong-2023", ws)
    code, out, _err = run(capsys, "check", "-w", str(ws))
    assert code == 1
    flat = out.replace("\n", "").replace("│", "").replace(" ", "")
    assert flat.count("网上申报已于") == 1
    assert "整批与通知" in flat
    code, out, _err = run(capsys, "check", "--json", "-w", str(ws))
    report = json.loads(out)
    codes = [f["code"] for f in report["notice_findings"]]
    assert codes.count("deadline-passed") == 2
    for dossier in report["dossiers"]:
        assert "deadline-passed" not in [f["code"] for f in dossier["findings"]]
    shown = sum(
        1 for d in report["dossiers"] for f in d["findings"] if f["severity"] == "warning"
    ) + sum(1 for f in report["notice_findings"] if f["severity"] == "warning")
    assert report["summary"]["warnings"] == shown
