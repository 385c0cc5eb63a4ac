"""The officer's own files, guarded: size caps on the config files and the imported
table, unknown keys in zcprep.toml as errors, and a demo that never lands on a workspace.

Oversize files are real sparse files (``truncate``): they take no disk and, once capped,
no memory. The 8 GB ones run in a real subprocess under an address-space limit, so that
reading one whole fails there (MemoryError, "内部错误", exit 3) instead of taking this
machine's memory; they need Linux for both the sparse file and the limit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zcprep.cli import main
from zcprep.model.config import load_notice
from zcprep.model.demo import copy_example
from zcprep.model.presets import all_presets, preset_path
from zcprep.model.workspace import init_workspace, new_dossier, open_workspace
from zcprep.resources import examples_dir

MiB = 1 << 20
# The caps README states: applicant.toml 1 MB, zcprep.toml 4 MB, a CSV 16 MB, a workbook 64 MB.
APPLICANT_CAP, CONFIG_CAP, CSV_CAP, WORKBOOK_CAP = 1 * MiB, 4 * MiB, 16 * MiB, 64 * MiB
EIGHT_GB = 8 << 30

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="sparse files and an address-space limit"
)


def sparse(path: Path, size: int) -> Path:
    with path.open("r+b" if path.exists() else "wb") as handle:
        handle.truncate(size)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err.replace("\n", "")


def run_limited(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m zcprep ARGS`` with at most 2 GiB of address space."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "zcprep", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        preexec_fn=limit,  # only sets a resource limit in the child
    )


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The packaged example: 张三 passes (warnings only), 李四 has errors."""
    return copy_example(tmp_path / "example")


def findings_by_applicant(stdout: str) -> dict[str, list[tuple[str, str]]]:
    report = json.loads(stdout)
    return {
        dossier["applicant"]: [(f["code"], f["message"]) for f in dossier["findings"]]
        for dossier in report["dossiers"]
    }


# --------------------------------------------------------------------------- applicant.toml


def test_an_applicant_toml_over_the_cap_is_a_finding_in_that_dossier_only(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sparse(example / "dossiers" / "李四" / "applicant.toml", APPLICANT_CAP + 1)
    clean = findings_by_applicant(_check_json(example, capsys))["张三"]
    code, out, _err = run(capsys, "check", "--json", "--workspace", str(example))
    assert code == 1
    found = findings_by_applicant(out)
    assert found["张三"] == clean  # the other dossier is checked as before
    (invalid,) = [m for c, m in found["李四"] if c == "applicant-file-invalid"]
    assert "dossiers/李四/applicant.toml" in invalid and "超过申报信息文件的上限 1.0 MB" in invalid


def _check_json(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    main(["check", "--json", "--workspace", str(root)])
    return capsys.readouterr().out


@linux_only
def test_an_8_gb_applicant_toml_is_refused_without_reading_it(example: Path) -> None:
    sparse(example / "dossiers" / "李四" / "applicant.toml", EIGHT_GB)
    result = run_limited("check", "--json", "--workspace", str(example), cwd=example)
    assert result.returncode == 1, result.stderr
    assert "内部错误" not in result.stderr and "MemoryError" not in result.stderr
    found = findings_by_applicant(result.stdout)
    assert set(found) == {"张三", "李四"}
    (invalid,) = [m for c, m in found["李四"] if c == "applicant-file-invalid"]
    assert "8192.0 MB" in invalid and "上限 1.0 MB" in invalid


def test_roster_leaves_out_the_oversize_applicant_only(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sparse(example / "dossiers" / "李四" / "applicant.toml", APPLICANT_CAP + 1)
    code, _out, err = run(capsys, "roster", "--workspace", str(example))
    assert code in (0, 1) and "内部错误" not in err
    assert "超过申报信息文件的上限" in err and "该申报人未列入一览表" in err


# --------------------------------------------------------------------------- zcprep.toml


def test_a_zcprep_toml_over_the_cap_is_a_config_error(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sparse(example / "zcprep.toml", CONFIG_CAP + 1)
    code, _out, err = run(capsys, "check", "--workspace", str(example))
    assert code == 2
    assert "zcprep.toml 有 4.0 MB，超过配置文件的上限 4.0 MB" in err
    assert "Traceback" not in err


@linux_only
def test_an_8_gb_zcprep_toml_is_exit_2_without_reading_it(example: Path) -> None:
    sparse(example / "zcprep.toml", EIGHT_GB)
    result = run_limited("check", "--workspace", str(example), cwd=example)
    assert result.returncode == 2, result.stderr
    err = result.stderr.replace("\n", "")
    assert "8192.0 MB，超过配置文件的上限 4.0 MB" in err
    assert "内部错误" not in err and "MemoryError" not in err


def test_a_config_just_under_the_cap_is_still_read(tmp_path: Path) -> None:
    """A preset padded with comments to the cap loads: the cap refuses nothing real."""
    text = preset_path("nantong-2023").read_text("utf-8")
    padding = "# " + "注" * 40 + "\n"
    body = text.encode("utf-8")
    room = CONFIG_CAP - len(body)
    filler = (padding * (room // len(padding.encode()) + 1)).encode()[:room]
    filler = filler[: filler.rfind(b"\n") + 1]
    path = tmp_path / "zcprep.toml"
    path.write_bytes(body + filler)
    assert path.stat().st_size <= CONFIG_CAP
    assert load_notice(path).notice.id == "nantong-2023"


# --------------------------------------------------------------------------- import


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return init_workspace("nantong-2023", tmp_path / "ws")


@pytest.mark.parametrize(
    ("suffix", "cap", "what"), [(".csv", CSV_CAP, " CSV 文件"), (".xlsx", WORKBOOK_CAP, "表格")]
)
def test_an_import_table_over_the_cap_is_refused(
    workspace: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    suffix: str,
    cap: int,
    what: str,
) -> None:
    table = sparse(tmp_path / f"申报人信息{suffix}", cap + 1)
    code, _out, err = run(capsys, "import", str(table), "--workspace", str(workspace))
    assert code == 2
    assert f"超过{what}的上限 {cap // MiB}.0 MB" in err
    assert [p.name for p in (workspace / "dossiers").iterdir()] == []


@linux_only
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_8_gb_import_table_is_refused_without_reading_it(
    workspace: Path, tmp_path: Path, suffix: str
) -> None:
    table = sparse(tmp_path / f"申报人信息{suffix}", EIGHT_GB)
    result = run_limited("import", str(table), "--workspace", str(workspace), cwd=workspace)
    assert result.returncode == 2, result.stderr
    err = result.stderr.replace("\n", "")
    assert "8192.0 MB" in err and "内部错误" not in err and "MemoryError" not in err


# --------------------------------------------------------------------------- unknown keys


def _edit_config(root: Path, old: str, new: str) -> str:
    config = root / "zcprep.toml"
    text = config.read_text("utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    config.write_text(text, "utf-8")
    return text


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_misspelt_table_is_a_config_error_naming_line_and_the_right_name(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``[rooster]`` gave one line "已忽略" and the default roster layout."""
    text = _edit_config(example, "[roster]\n", "[rooster]\n")
    code, _out, err = run(capsys, "check", "--workspace", str(example))
    assert code == 2
    assert f"第 {line_of(text, '[rooster]')} 行，未知的配置项“rooster”" in err
    assert "你是不是想写 roster？" in err
    for command in ("roster", "bind", "render"):
        assert run(capsys, command, "--workspace", str(example))[0] == 2


def test_a_misspelt_key_is_a_config_error_with_its_table(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``min_workingdays`` meant the default 5 days were counted instead of the notice's."""
    text = _edit_config(example, "min_working_days = ", "min_workingdays = ")
    code, _out, err = run(capsys, "check", "--workspace", str(example))
    assert code == 2
    line = line_of(text, "min_workingdays = ")
    assert f"第 {line} 行，未知的配置项“publicity.min_workingdays”" in err
    assert "你是不是想写 min_working_days？" in err


def test_a_key_with_no_near_name_lists_what_its_table_accepts(tmp_path: Path) -> None:
    from zcprep.errors import ConfigError

    root = init_workspace("nantong-2023", tmp_path / "ws")
    text = _edit_config(root, 'id = "work-summary"\n', 'id = "work-summary"\nzzz = "红"\n')
    with pytest.raises(ConfigError) as info:
        open_workspace(root)
    message = info.value.message
    assert f"第 {line_of(text, 'zzz = ')} 行" in message and "materials[" in message
    assert "[[materials]] 中可写的配置项：" in message and "patterns" in message


def test_an_array_table_written_before_its_parent_is_located(tmp_path: Path) -> None:
    """sichuan-2022 writes [[eligibility.exclusions]] before [eligibility]: the line of a
    typo in the second exclusion is that exclusion's, not the [eligibility] header's."""
    from zcprep.errors import ConfigError

    root = init_workspace("sichuan-2022", tmp_path / "ws")
    config = root / "zcprep.toml"
    text = config.read_text("utf-8")
    head = "[[eligibility.exclusions]]\n"
    second = text.index(head, text.index(head) + 1)
    text = text[: second + len(head)] + 'mesage = "x"\n' + text[second + len(head) :]
    config.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as info:
        open_workspace(root)
    expected = text[:second].count("\n") + 2
    assert f"第 {expected} 行，未知的配置项“eligibility.exclusions[2].mesage”" in info.value.message
    assert "你是不是想写 message？" in info.value.message


def test_every_shipped_config_loads_with_no_unknown_key() -> None:
    configs = [loaded.path for loaded in all_presets()]
    configs += sorted(examples_dir().glob("*/zcprep.toml"))
    for path in configs:
        assert load_notice(path).warnings == [], path


def test_an_unknown_applicant_field_stays_a_warning(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unchanged on purpose: a notice may not declare a field another notice's sheet has."""
    applicant = example / "dossiers" / "张三" / "applicant.toml"
    applicant.write_text('hobby = "书法"\n' + applicant.read_text("utf-8"), "utf-8")
    code, out, _err = run(capsys, "check", "张三", "--json", "--workspace", str(example))
    assert code == 0
    assert ("applicant-field-unknown", "申报信息中的“hobby”不是已知栏目，已忽略。") in (
        findings_by_applicant(out)["张三"]
    )


# --------------------------------------------------------------------------- demo


def _tree(root: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


def test_demo_force_never_writes_into_a_workspace_with_dossiers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It replaced zcprep.toml (no .bak) and 张三's applicant.toml, exit 0."""
    root = init_workspace("nantong-2023", tmp_path / "2023职称")
    _edit_config(root, 'name = ""', 'name = "本单位"')
    new_dossier(open_workspace(root), "张三")
    applicant = root / "dossiers" / "张三" / "applicant.toml"
    applicant.write_text(
        applicant.read_text("utf-8").replace('employer = ""', 'employer = "本单位"'), "utf-8"
    )
    before = _tree(root)
    code, _out, err = run(capsys, "demo", str(root), "--force")
    assert code == 2
    assert "已是 zcprep 工作区（dossiers/ 中已有档案）" in err and "加 --force 也一样" in err
    assert _tree(root) == before


def test_demo_force_never_replaces_a_workspaces_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = init_workspace("nantong-2023", tmp_path / "ws")
    _edit_config(root, 'name = ""', 'name = "本单位"')
    before = _tree(root)
    code, _out, err = run(capsys, "demo", str(root), "--force")
    assert code == 2 and "其中已有 zcprep.toml" in err
    assert _tree(root) == before


def test_demo_never_makes_a_workspace_inside_a_dossier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = init_workspace("nantong-2023", tmp_path / "ws")
    new_dossier(open_workspace(root), "张三")
    before = _tree(root)
    code, _out, err = run(capsys, "demo", str(root / "dossiers" / "张三" / "演示"))
    assert code == 2 and "的 dossiers/ 之中" in err
    assert _tree(root) == before


def test_demo_force_still_fills_a_folder_that_is_no_workspace(tmp_path: Path) -> None:
    target = tmp_path / "杂物"
    target.mkdir()
    (target / "说明.txt").write_text("自己的文件", "utf-8")
    copy_example(target, force=True)
    assert (target / "说明.txt").read_text("utf-8") == "自己的文件"
    assert (target / "zcprep.toml").is_file() and (target / "dossiers" / "张三").is_dir()
