"""The README's quick start and the example workspace work as written."""

from __future__ import annotations

import ast
import hashlib
import os
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

from zcprep.cli import main
from zcprep.resources import examples_dir

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text("utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## 快速开始", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


def windows_blocks() -> list[list[str]]:
    """The ```bat blocks of the quick start (Windows, offline folder) and of the
    contributors' Windows test steps: each a list of command lines."""
    quick = README.split("## 快速开始", 1)[1].split("\n## ", 1)[0]
    tests = README.split("### 在 Windows 上运行测试", 1)[1].split("\n#", 1)[0]
    return [
        [line.strip() for line in block.strip().splitlines()]
        for section in (quick, tests)
        for block in re.findall(r"```bat\n(.*?)```", section, re.S)
    ]


def on_windows(command: str) -> list[str]:
    """A README POSIX command as the Windows steps give it: one line per part of the
    && chain, each run from the venv's Scripts folder."""
    return [".venv\\Scripts\\" + part.strip() for part in command.split("&&")]


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_quick_start_is_exactly_two_commands() -> None:
    demo, tests = quick_start_commands()
    assert demo == "python -m pip install . && zcprep demo"
    assert tests == 'python -m pip install ".[test]" && python -m pytest'


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert f"( {quick_start_commands()[1]} )" in ci.splitlines()


def test_ci_runs_on_a_windows_runner_too() -> None:
    """python when there is no python3, Scripts/activate when there is no bin/activate."""
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert '"$PYTHON" -m venv "$VENV"' in ci and "PYTHON=python;" in ci
    assert '"$VENV/Scripts/activate"' in ci and '"$VENV/bin/activate"' in ci
    assert "scripts" in next(line for line in ci.splitlines() if line.startswith("ruff check"))


def test_windows_steps_work_in_powershell_5_and_cmd() -> None:
    """One command a line (no && in Windows PowerShell 5.1), nothing activated (the
    execution policy blocks Activate.ps1): each line runs py or a program of the venv."""
    blocks = windows_blocks()
    assert len(blocks) >= 5
    for line in (line for block in blocks for line in block):
        assert "&&" not in line and "activate" not in line.lower(), line
        assert line.startswith(("py ", ".venv\\Scripts\\")), line
        assert "/" not in line.split()[0], line  # cmd takes no forward slashes in a program
    demo, tests = quick_start_commands()
    assert blocks[0] == ["py -m venv .venv", *on_windows(demo)]
    assert blocks[-1] == ["py -m venv .venv", *on_windows(tests)]
    assert "Activate.ps1" in README and "执行策略" in README


def test_the_offline_folder_steps_name_a_script_that_runs(tmp_path: Path) -> None:
    """The script the README names exists and takes the README's options; --help and
    --dry-run only (a test never downloads)."""
    named = {n.replace("\\", "/") for n in re.findall(r"scripts[\\/]\w+\.py", README)}
    script = ROOT / "scripts" / "download_wheels.py"
    assert named == {"scripts/download_wheels.py"} and script.is_file()
    (make,) = [line for block in windows_blocks() for line in block if "download_wheels" in line]
    options = make.split()[2:]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(script), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=60,
            check=False,
        )

    shown = run("--help")
    assert shown.returncode == 0, shown.stderr
    for option in ("--python-version", "--dest", "--extra", "--no-index --find-links"):
        assert option in shown.stdout, option
    dest = tmp_path / "wheels"
    planned = run(*options, "--dest", str(dest), "--dry-run")
    assert planned.returncode == 0, planned.stderr
    build, download = planned.stdout.strip().splitlines()
    assert "-m pip wheel --no-deps" in build
    assert "-m pip download --only-binary=:all: --platform win_amd64 --python-version 3.11" in (
        download
    )
    assert not dest.exists()  # a dry run writes nothing
    folder = options[options.index("--dest") + 1]
    install = [line for block in windows_blocks() for line in block if "--no-index" in line]
    assert install and all(f"--find-links D:\\{folder} zcprep" in line for line in install)


def test_the_init_hint_changes_drives_in_cmd(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What README says about cd /d is what zcprep init prints on Windows (emulated: only
    the init command's view of sys.platform is Windows'); elsewhere it stays plain cd."""
    import zcprep.cli.workspace as workspace

    assert "`cd /d D:\\职称`" in README and "`zcprep init` 最后提示的 `cd` 命令" in README
    assert main(["init", "nantong-2023", str(tmp_path / "a")]) == 0
    hint = [line for line in capsys.readouterr().err.splitlines() if "cd " in line]
    assert hint == [f"  cd {(tmp_path / 'a').resolve()}"] or hint == [f"  cd {tmp_path / 'a'}"]
    monkeypatch.setattr(workspace, "sys", types.SimpleNamespace(platform="win32"))
    assert main(["init", "nantong-2023", str(tmp_path / "b")]) == 0
    (hint,) = [line for line in capsys.readouterr().err.splitlines() if "cd " in line]
    assert hint.startswith("  cd /d ") and str(tmp_path / "b") in hint
    assert "PowerShell 中写 cd " in hint


def test_demo_copies_the_example_and_runs_each_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "演示"
    code = main(["demo", str(target)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "第 1 步" in err and "演示结束" in err
    example = examples_dir() / "nantong-2023"
    copied = tree_digest(target / "dossiers")
    assert copied == tree_digest(example / "dossiers")
    assert set(copied) >= {"张三/applicant.toml", "李四/applicant.toml"}
    assert (target / "zcprep.toml").read_bytes() == (example / "zcprep.toml").read_bytes()


def test_demo_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("x", "utf-8")
    assert main(["demo", str(tmp_path)]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]


def test_example_samples_are_small() -> None:
    for path in (examples_dir() / "nantong-2023").rglob("*"):
        if path.is_file():
            assert path.stat().st_size <= 50 * 1024, path


def test_doctor_reports_versions_font_calendar_and_workspace(
    capsys: pytest.CaptureFixture[str],
) -> None:
    example = examples_dir() / "nantong-2023"
    assert main(["doctor", "--workspace", str(example)]) == 0
    out = capsys.readouterr().out
    assert "pypdf" in out and "reportlab" in out
    assert "中文字体" in out
    assert re.search(r"节假日日历：chinesecalendar [\d.]+：2004–20\d\d 年", out)
    assert "nantong-2023" in out and "2 位申报人" in out


def test_committed_example_is_what_make_examples_builds(tmp_path: Path) -> None:
    """examples/ must not drift from its script: same files, same TOML text, same PDF
    bytes (reportlab invariant mode); images compared by size, since another Pillow
    version may encode the same picture to different bytes."""
    import importlib.util

    from PIL import Image

    script = ROOT / "examples" / "make_examples.py"
    spec = importlib.util.spec_from_file_location("make_examples", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(tmp_path / "nantong-2023")
    committed = ROOT / "examples" / "nantong-2023"
    names = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file())
    assert names == sorted(
        p.relative_to(committed).as_posix() for p in committed.rglob("*") if p.is_file()
    )
    for name in names:
        fresh, kept = built / name, committed / name
        if name.endswith((".jpg", ".png")) or name.endswith("获奖证书.pdf"):
            with Image.open(fresh) as a, Image.open(kept) as b:
                assert (a.format, a.size) == (b.format, b.size), name
        elif sys.platform == "win32" and name.endswith(".toml"):
            # written with write_text, so CRLF on Windows; git stores LF (.gitattributes)
            assert fresh.read_bytes().replace(b"\r\n", b"\n") == kept.read_bytes(), name
        else:
            assert fresh.read_bytes() == kept.read_bytes(), name


# What exists on one system only, so must never run while a test module is imported
# (collection would fail on the other system, taking every test of the module with it).
ONE_SYSTEM_MODULES = {
    "fcntl",
    "grp",
    "msvcrt",
    "pty",
    "pwd",
    "resource",
    "termios",
    "tty",
    "winreg",
}
ONE_SYSTEM_NAMES = {
    ("os", "fsdecode"),  # raises on non-UTF-8 bytes on Windows
    ("os", "mkfifo"),
    ("os", "fork"),
    ("os", "getuid"),
    ("os", "geteuid"),
    ("os", "killpg"),
    *(("signal", name) for name in ("SIGHUP", "SIGALRM", "SIGKILL", "SIGQUIT", "SIGUSR1")),
    *(("signal", name) for name in ("SIGUSR2", "SIGCHLD", "SIGPIPE", "SIGBREAK")),
}


def import_time_nodes(tree: ast.Module) -> list[ast.AST]:
    """The nodes Python evaluates when the module is imported: module and class bodies,
    decorators and default values, but not function bodies nor blocks under an
    ``if sys.platform …`` test."""
    found: list[ast.AST] = []
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            defaults = [*node.args.defaults, *node.args.kw_defaults]  # None: no default
            pending += [*node.decorator_list, *(d for d in defaults if d is not None)]
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.If) and re.search(r"platform|os\.name", ast.unparse(node.test)):
            continue  # guarded by the system it needs
        found.append(node)
        pending += [child for child in ast.iter_child_nodes(node) if child is not None]
    return found


def test_no_test_module_does_one_system_work_at_import() -> None:
    """The suite must be collectable on Windows and Linux alike: what only one system has
    belongs inside a test (with its skipif) or a fixture, never at import time."""
    problems = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in import_time_nodes(tree):
            where = f"{path.relative_to(ROOT).as_posix()}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                names.append(getattr(node, "module", None) or "")
                problems += [f"{where} imports {n}" for n in names if n in ONE_SYSTEM_MODULES]
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and (node.value.id, node.attr) in ONE_SYSTEM_NAMES
            ):
                problems.append(f"{where} uses {node.value.id}.{node.attr}")
    assert problems == []
