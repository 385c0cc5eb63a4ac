"""``zcprep check --output FILE``: a report Windows tools read right (issue 16, item 3).

Windows PowerShell 5.1 reads a program's redirected output as the ANSI code page, so
``zcprep check > 结果.txt`` is garbled there. --output writes the file itself: the text
report as UTF-8 with a BOM and CRLF (Notepad, ``Get-Content``), plain and at a fixed
width; the JSON as UTF-8 without a BOM (RFC 8259, ``ConvertFrom-Json``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from check_helpers import NOTICE, right_dossier
from zcprep.cli import main
from zcprep.cli.console import FILE_WIDTH


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "工作区"
    (root / "dossiers").mkdir(parents=True)
    (root / "zcprep.toml").write_text(NOTICE, "utf-8")
    right_dossier(root, "张三")
    monkeypatch.chdir(root)
    return root


def _parts(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".part")]


def test_text_report_is_utf8_with_bom_and_crlf(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", "--output", "结果.txt"])
    captured = capsys.readouterr()
    data = (ws / "结果.txt").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")
    assert "张三" in text and "已检查 1 份档案" in text
    assert "\x1b" not in text  # no colours
    assert max(len(line) for line in text.split("\r\n")) <= FILE_WIDTH
    assert captured.out == ""  # nothing on stdout: the file holds the report
    assert "已写入" in captured.err and "结果.txt" in captured.err
    assert "已检查 1 份档案" in captured.err  # the summary still on stderr
    assert _parts(ws) == []
    assert code == main(["check"])  # the exit code is the check's, file or not
    capsys.readouterr()


def test_json_report_is_utf8_without_bom(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--json"])
    shown = json.loads(capsys.readouterr().out)
    code = main(["check", "--json", "--output", "out/结果.json"])
    captured = capsys.readouterr()
    data = (ws / "out" / "结果.json").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert json.loads(data.decode("utf-8")) == shown
    assert captured.out == ""
    assert "已写入" in captured.err
    assert code in (0, 1)


def test_exit_code_is_that_of_the_check(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (ws / "dossiers" / "张三" / "02-身份证" / "身份证.jpg").unlink()
    assert main(["check"]) == 1
    assert main(["check", "--output", "结果.txt"]) == 1
    assert main(["check", "--json", "--output", "结果.json"]) == 1
    capsys.readouterr()


@pytest.mark.parametrize(
    "target",
    [
        str(Path("dossiers", "张三", "结果.txt")),
        str(Path("dossiers", "结果.txt")),
        str(Path("batch", "结果.txt")),
        "zcprep.toml",
    ],
)
def test_refuses_to_write_among_the_materials(
    ws: Path, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (ws / "zcprep.toml").read_bytes()
    assert main(["check", "--output", target]) == 2
    err = capsys.readouterr().err
    assert "不能把检查结果写到" in err and "Traceback" not in err
    assert not (ws / "dossiers" / "张三" / "结果.txt").exists()
    assert not (ws / "dossiers" / "结果.txt").exists()
    assert (ws / "zcprep.toml").read_bytes() == before
    assert _parts(ws) == []


def test_an_existing_report_is_replaced_whole(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (ws / "结果.txt").write_text("旧的内容\n" * 1000, "utf-8")
    main(["check", "--output", "结果.txt"])
    capsys.readouterr()
    text = (ws / "结果.txt").read_bytes().decode("utf-8-sig")
    assert "旧的内容" not in text and "张三" in text


def test_a_folder_is_not_a_file_name(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (ws / "out").mkdir()
    assert main(["check", "--output", "out"]) == 2
    err = capsys.readouterr().err
    assert "是一个文件夹" in err and "Traceback" not in err
    assert (ws / "out").is_dir() and list((ws / "out").iterdir()) == []
