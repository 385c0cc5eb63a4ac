"""Output that survives the console it lands in.

On Chinese Windows ``zcprep check > 结果.txt`` gives Python a GBK stdout
(PYTHONIOENCODING=gbk reproduces it anywhere): "✓" is not in GBK, and --json must be
UTF-8 for the program that reads it. These run zcprep as a real subprocess, because the
encoding of sys.stdout is only decided at interpreter start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from check_helpers import NOTICE, right_dossier

# The test notice's deadlines moved far ahead: a right dossier then has no finding at all
# and check prints the "✓ … 没有发现问题" line.
FUTURE_NOTICE = NOTICE.replace("end = 2024-06-30", "end = 2099-06-30").replace(
    "end = 2024-07-15", "end = 2099-07-15"
)


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    root = tmp_path / "工作区"
    (root / "dossiers").mkdir(parents=True)
    (root / "zcprep.toml").write_text(FUTURE_NOTICE, "utf-8")
    right_dossier(root)
    return root


def zcprep(
    args: list[str], encoding: str, cwd: Path, stdout: int | None = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "zcprep", *args],
        cwd=cwd,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=env,
        check=False,
    )


def test_check_redirected_from_a_gbk_console_writes_utf8(clean: Path) -> None:
    result = zcprep(["check"], "gbk", clean)
    err = result.stderr.decode("utf-8")
    assert "Traceback" not in err and "内部错误" not in err
    assert result.returncode == 0, err
    out = result.stdout.decode("utf-8")  # strict: fails on GBK bytes
    assert "✓ 张三（中级，dossiers/张三）：没有发现问题" in out
    assert "已检查 1 份档案：没有发现问题。" in err


def test_check_json_from_a_gbk_console_is_utf8_json(clean: Path) -> None:
    result = zcprep(["check", "--json"], "gbk", clean)
    assert result.returncode == 0, result.stderr.decode("utf-8")
    document = json.loads(result.stdout.decode("utf-8"))
    assert document["ok"] is True
    assert [d["applicant"] for d in document["dossiers"]] == ["张三"]
    assert document["dossiers"][0]["findings"] == []


def test_errors_from_a_gbk_console_are_readable(clean: Path) -> None:
    """A finding table (Chinese and box drawing) and the error summary, redirected."""
    (clean / "dossiers" / "张三" / "02-身份证" / "身份证.jpg").unlink()
    result = zcprep(["check"], "gbk", clean)
    assert result.returncode == 1
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert "身份证" in out and "┃" in out
    assert "1 份有错误" in err and "Traceback" not in err


def _run_on_terminal(args: list[str], encoding: str, cwd: Path) -> tuple[int, bytes, str]:
    """Run with stdout on a pseudo-terminal (what an interactive console is)."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "120", "TERM": "dumb"}
    process = subprocess.Popen(
        [sys.executable, "-m", "zcprep", *args],
        cwd=cwd,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    _, err = process.communicate()
    return process.returncode, b"".join(chunks), err.decode("utf-8", errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_terminal_that_cannot_show_chinese_gets_question_marks_not_a_crash(
    clean: Path,
) -> None:
    code, out, err = _run_on_terminal(["check"], "ascii", clean)
    assert code == 0, err
    assert "Traceback" not in err
    text = out.decode("ascii")  # the terminal's own encoding, kept
    assert "?" in text and "dossiers/" in text


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_json_on_a_gbk_terminal_is_still_utf8(clean: Path) -> None:
    code, out, err = _run_on_terminal(["check", "--json"], "gbk", clean)
    assert code == 0, err
    document = json.loads(out.decode("utf-8").replace("\r\n", "\n"))
    assert document["dossiers"][0]["applicant"] == "张三"
