"""The README's quick start and the example workspace work as written."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from zcprep.cli import main
from zcprep.resources import examples_dir

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text("utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## 快速开始", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


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
        else:
            assert fresh.read_bytes() == kept.read_bytes(), name
