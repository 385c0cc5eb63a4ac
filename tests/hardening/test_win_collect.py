"""A folder or file that cannot be read is a finding, never skipped in silence.

``collect`` passed over a folder it could not list (``except OSError: continue``): check
said 没有错误 and the volume lacked its files. On Windows a folder past the 260-character
limit cannot be listed; Linux has no such limit, so that case is emulated (os.scandir
made to raise what Windows raises: FileNotFoundError with winerror 3). A folder without
permission is real (chmod 000), skipped where chmod binds nobody (running as root), and
also emulated (PermissionError from os.scandir) so that it runs everywhere.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import zcprep.model.collect as collect
from bind_helpers import example_workspace, pdf
from zcprep.cli import main
from zcprep.model.workspace import find_root

ITEM = "06-业绩成果证明材料及获奖证书"
LIMIT_SENTENCE = "路径超过 Windows 的 260 字符限制"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return example_workspace(tmp_path)


def hidden_folder(ws: Path, item: str = ITEM) -> Path:
    """A sub-folder of 张三's item holding one scan: what must not vanish unsaid."""
    folder = ws / "dossiers" / "张三" / item / "扫描件"
    folder.mkdir(parents=True)
    pdf(folder / "获奖证书.pdf")
    return folder


def refuse_listing(monkeypatch: pytest.MonkeyPatch, folder: Path, exc: OSError) -> None:
    real = os.scandir

    def scandir(path: Any = ".") -> Iterator[os.DirEntry[str]]:
        if Path(path) == folder:
            raise exc
        return real(path)

    monkeypatch.setattr(collect.os, "scandir", scandir)


def check_json(ws: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, Any]]]:
    code = main(["check", "张三", "--json", "-w", str(ws)])
    report = json.loads(capsys.readouterr().out)
    return code, [f for d in report["dossiers"] for f in d["findings"]]


def unreadable(findings: list[dict[str, Any]], folder: Path, ws: Path) -> dict[str, Any]:
    rel = folder.relative_to(ws).as_posix()
    found = [f for f in findings if f["code"] == "file-unreadable" and f["file"] == rel]
    assert len(found) == 1, findings
    return found[0]


def test_a_folder_without_permission_is_an_error(
    ws: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Emulation: os.scandir refuses the folder as Linux and Windows refuse it."""
    folder = hidden_folder(ws)
    refuse_listing(monkeypatch, folder, PermissionError(errno.EACCES, "Permission denied"))
    code, findings = check_json(ws, capsys)
    assert code == 1
    finding = unreadable(findings, folder, ws)
    assert finding["severity"] == "error" and finding["material"] is not None
    assert "文件夹无法打开" in finding["message"] and "没有访问权限" in finding["message"]
    assert "Permission denied" not in finding["message"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions (chmod 000)")
def test_a_real_unreadable_folder_is_an_error(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = hidden_folder(ws)
    folder.chmod(0)
    try:
        if os.access(folder, os.R_OK):
            pytest.skip("a folder's permissions do not bind this user (root)")
        code, findings = check_json(ws, capsys)
    finally:
        folder.chmod(stat.S_IRWXU)
    assert code == 1
    assert "没有访问权限" in unreadable(findings, folder, ws)["message"]


def test_a_folder_past_the_windows_limit_says_so(
    ws: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Emulation: Windows reports a folder past MAX_PATH as not found (winerror 3)."""
    folder = hidden_folder(ws)
    exc = FileNotFoundError(errno.ENOENT, "系统找不到指定的路径。", "D:\\" + "长" * 260)
    exc.winerror = 3  # type: ignore[attr-defined]
    refuse_listing(monkeypatch, folder, exc)
    code, findings = check_json(ws, capsys)
    assert code == 1
    message = unreadable(findings, folder, ws)["message"]
    assert LIMIT_SENTENCE in message and r"D:\职称" in message
    assert "系统找不到指定的路径" not in message and "。。" not in message


def test_bind_refuses_rather_than_leaving_the_folder_out(
    ws: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Emulation as above: the volume would lack the folder's scan."""
    folder = hidden_folder(ws)
    refuse_listing(monkeypatch, folder, PermissionError(errno.EACCES, "Permission denied"))
    assert main(["bind", "张三", "-w", str(ws)]) != 0
    assert not list((ws / "out").rglob("*申报材料.pdf"))
    capsys.readouterr()


def test_an_unreadable_folder_in_a_stray_folder_is_not_passed_over(
    ws: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Emulation: a folder standing for no item, which cannot be listed, is still named."""
    stray = ws / "dossiers" / "张三" / "其他东西"
    stray.mkdir()
    refuse_listing(monkeypatch, stray, PermissionError(errno.EACCES, "Permission denied"))
    _code, findings = check_json(ws, capsys)
    rel = stray.relative_to(ws).as_posix()
    assert any(f["code"] == "material-unexpected" and f["file"] == rel for f in findings)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need rights on Windows")
def test_the_workspace_is_shown_as_typed_not_resolved(tmp_path: Path) -> None:
    """A link stands in for a mapped drive (Z:\\ that resolve() turns into \\\\server\\share):
    the root keeps the path the user gave."""
    real = example_workspace(tmp_path)
    typed = tmp_path / "Z"
    typed.symlink_to(real, target_is_directory=True)
    assert find_root(explicit=typed) == typed
    assert find_root(start=typed / "dossiers") == typed


def outside_folder(ws: Path) -> Path:
    outside = ws.parent / "别人的材料"
    outside.mkdir()
    pdf(outside / "别人的证书.pdf")
    return outside


def check_link_outside(ws: Path, link: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, findings = check_json(ws, capsys)
    assert code == 1
    rel = link.relative_to(ws).as_posix()
    assert any(f["code"] == "file-link-outside" and f["file"] == rel for f in findings)
    assert not any("别人的证书" in (f["file"] or "") for f in findings)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need rights on Windows")
def test_a_link_that_is_symlink_misses_is_still_not_entered(
    ws: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Emulation of a junction: ``Path.is_symlink`` says False for it (as on Windows),
    while zcprep.atomic.is_link, which collect now asks, still sees a link."""
    link = ws / "dossiers" / "张三" / ITEM / "联接"
    link.symlink_to(outside_folder(ws), target_is_directory=True)
    monkeypatch.setattr(Path, "is_symlink", lambda self: False)
    check_link_outside(ws, link, capsys)


@pytest.mark.skipif(sys.platform != "win32", reason="junctions are a Windows thing")
def test_a_real_junction_is_not_entered(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import subprocess

    link = ws / "dossiers" / "张三" / ITEM / "联接"
    target = outside_folder(ws)
    subprocess.run(["cmd", "/c", "mklink", "/J", str(link), str(target)], check=True)
    check_link_outside(ws, link, capsys)
