"""A file held for a moment (Defender, the search indexer, OneDrive) is waited for.

Windows refuses to replace or open a file another program holds open, and says so with
a PermissionError (winerror 32, a sharing violation). Linux has no such lock, so these
tests are emulations: ``os.replace`` / ``os.open`` are made to raise the error Windows
would raise, a set number of times. The waits themselves are recorded, not slept (no
test here measures time).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import zcprep.atomic as atomic
from bind_helpers import example_workspace
from zcprep.atomic import write_bytes
from zcprep.cli import main
from zcprep.errors import OutputError


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Each wait between attempts, recorded instead of slept."""
    recorded: list[float] = []
    monkeypatch.setattr(atomic.time, "sleep", recorded.append)
    return recorded


def sharing_violation() -> PermissionError:
    """What Windows raises for a file another program holds (emulated here)."""
    exc = PermissionError(errno.EACCES, "另一个程序正在使用此文件，进程无法访问。")
    exc.winerror = 32  # type: ignore[attr-defined]
    return exc


def held(real: Callable[..., Any], times: int | None) -> Callable[..., Any]:
    """``real``, failing with a sharing violation ``times`` times first (None: always)."""
    calls = {"n": 0}

    def attempt(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if times is None or calls["n"] <= times:
            raise sharing_violation()
        return real(*args, **kwargs)

    return attempt


def parts(folder: Path) -> list[Path]:
    return list(folder.glob(".*.part"))


def test_a_replace_held_twice_then_released_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, waits: list[float]
) -> None:
    """Emulation of a brief Windows sharing violation on the final rename."""
    target = tmp_path / "申报材料.pdf"
    target.write_bytes(b"old")
    monkeypatch.setattr(os, "replace", held(os.replace, 2))
    write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert waits == list(atomic.LOCK_RETRY_DELAYS[:2])  # backoff: each wait longer
    assert not parts(tmp_path)


def test_an_open_held_once_then_released_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, waits: list[float]
) -> None:
    """Emulation: the folder's new temporary file refused once (a scanner holds it)."""
    monkeypatch.setattr(atomic.os, "open", held(os.open, 1))
    write_bytes(tmp_path / "表.xlsx", b"data")
    assert (tmp_path / "表.xlsx").read_bytes() == b"data"
    assert waits == [atomic.LOCK_RETRY_DELAYS[0]]


def test_a_file_held_throughout_keeps_the_old_one_and_says_close_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, waits: list[float]
) -> None:
    """Emulation of a file Excel keeps open: every attempt refused."""
    target = tmp_path / "检查结果.xlsx"
    target.write_bytes(b"old")
    monkeypatch.setattr(os, "replace", held(os.replace, None))
    with pytest.raises(OutputError) as caught:
        write_bytes(target, b"new")
    assert "文件被占用" in caught.value.message and "关闭" in (caught.value.hint or "")
    assert "重试" in (caught.value.hint or "")
    assert target.read_bytes() == b"old"
    assert not parts(tmp_path)
    assert waits == list(atomic.LOCK_RETRY_DELAYS)
    assert 0.5 <= sum(waits) <= 2.0  # about a second in all


def test_a_cleanup_that_fails_never_hides_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, waits: list[float]
) -> None:
    """Emulation: the rename and the removal of the temporary file are both refused."""
    target = tmp_path / "目录.pdf"
    monkeypatch.setattr(os, "replace", held(os.replace, None))
    monkeypatch.setattr(Path, "unlink", held(Path.unlink, None))
    with pytest.raises(OutputError, match="文件被占用"):
        write_bytes(target, b"new")
    assert not target.exists()


def test_other_errors_are_not_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, waits: list[float]
) -> None:
    """A full disk does not clear in a second: reported at once (emulated ENOSPC)."""

    def full(*_args: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OutputError, match="磁盘已满") as caught:
        write_bytes(tmp_path / "a.pdf", b"x")
    assert "No space" not in caught.value.message
    assert waits == []
    assert not parts(tmp_path)


def test_temporary_names_stay_short(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A .part name much longer than its target's would pass Windows' 260-character
    limit before the target does: it keeps only a few characters of the name."""
    seen: list[str] = []
    real = os.replace

    def record(source: Any, target: Any) -> None:
        seen.append(Path(source).name)
        real(source, target)

    monkeypatch.setattr(os, "replace", record)
    name = "张三-" + "很长的表单名称" * 10 + ".pdf"
    write_bytes(tmp_path / name, b"x")
    assert len(seen) == 1 and seen[0].endswith(".part")
    assert len(seen[0]) <= 45 < len(name)
    assert atomic.is_temporary_name(seen[0])


def test_check_xlsx_held_open_exits_3_and_keeps_the_old_workbook(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    waits: list[float],
) -> None:
    """The whole command, in-process: out/检查结果.xlsx held open (emulated)."""
    ws = example_workspace(tmp_path)
    workbook = ws / "out" / "检查结果.xlsx"
    workbook.parent.mkdir(exist_ok=True)
    workbook.write_bytes(b"old")
    real = os.replace

    def locked(source: Any, target: Any) -> None:
        if Path(target).name == workbook.name:
            raise sharing_violation()
        real(source, target)

    monkeypatch.setattr(os, "replace", locked)
    assert main(["check", "张三", "--xlsx", "-w", str(ws)]) == 3
    err = capsys.readouterr().err
    assert "检查结果.xlsx" in err and "关闭" in err and "重试" in err
    assert "。。" not in err and "另一个程序" not in err
    assert workbook.read_bytes() == b"old"
    assert not parts(workbook.parent)
