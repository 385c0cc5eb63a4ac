"""Links zcprep does not follow: symbolic links, and Windows junctions (``mklink /J``).

A junction needs no administrator rights, and ``Path.is_symlink`` does not see it: only
``zcprep.atomic.is_link`` does (its reparse tag). Linux has no junctions, so most tests
here are an **emulation**: ``os.lstat`` as ``zcprep.atomic`` calls it is replaced so that
the chosen paths look as Windows reports a junction (a folder, not S_IFLNK, with
FILE_ATTRIBUTE_REPARSE_POINT and the reparse tag IO_REPARSE_TAG_MOUNT_POINT 0xA0000003).
Where the junction should lead outside the dossier, the path is a real symbolic link
underneath, so that ``resolve()`` follows it as Windows follows a junction. The real
symlink tests (the last ones) need no emulation.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

import zcprep.atomic
from bind_helpers import example_workspace, pdf
from zcprep.cli import main
from zcprep.errors import InputError, UsageError
from zcprep.intake import add_archive
from zcprep.model.applicant import load_applicant
from zcprep.model.demo import copy_example
from zcprep.model.workspace import init_workspace, open_workspace

POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need rights")
IO_REPARSE_TAG_MOUNT_POINT = 0xA0000003
ACHIEVEMENTS = "06-业绩成果证明材料及获奖证书"


class _JunctionStat:
    """What os.lstat gives on Windows for a junction: a folder with a reparse tag."""

    def __init__(self, real: os.stat_result) -> None:
        self._real = real
        self.st_mode = stat.S_IFDIR | 0o755
        self.st_file_attributes = stat.FILE_ATTRIBUTE_DIRECTORY | stat.FILE_ATTRIBUTE_REPARSE_POINT
        self.st_reparse_tag = IO_REPARSE_TAG_MOUNT_POINT

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class _OsWithJunctions:
    """The os module as zcprep.atomic sees it, with ``junctions`` emulated."""

    def __init__(self, junctions: set[Path]) -> None:
        self._junctions = junctions

    def lstat(self, path: Any, *args: Any, **kwargs: Any) -> Any:
        real = os.lstat(path, *args, **kwargs)
        if Path(path).absolute() in self._junctions:
            return _JunctionStat(real)
        return real

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


def emulate_junctions(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    junctions = {path.absolute() for path in paths}
    monkeypatch.setattr(zcprep.atomic, "os", _OsWithJunctions(junctions))


def junction_to(link: Path, target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An emulated junction ``link`` → ``target`` (a symlink underneath, not S_IFLNK)."""
    try:
        link.symlink_to(target, target_is_directory=True)
    except (OSError, NotImplementedError):
        pytest.skip("symbolic links are not available here")
    emulate_junctions(monkeypatch, link)


def outside_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "别处"
    folder.mkdir()
    pdf(folder / "外面的秘密.pdf", marker="秘密")
    return folder


def zhang_findings(root: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    main(["check", "-w", str(root), "--json"])
    report = json.loads(capsys.readouterr().out)
    (zhang,) = [d for d in report["dossiers"] if d["applicant"] == "张三"]
    return zhang["findings"]


def test_the_emulation_is_what_is_link_sees(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "普通文件夹"
    folder.mkdir()
    emulate_junctions(monkeypatch, folder)
    assert zcprep.atomic.is_link(folder) and not folder.is_symlink()


def test_check_does_not_read_through_a_junction_to_outside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Emulation: 06-业绩…/外部 is a junction to a folder outside the workspace."""
    root = example_workspace(tmp_path)
    link = root / "dossiers" / "张三" / ACHIEVEMENTS / "外部"
    junction_to(link, outside_folder(tmp_path), monkeypatch)
    findings = zhang_findings(root, capsys)
    assert [(f["code"], f["file"]) for f in findings] == [
        ("file-link-outside", f"dossiers/张三/{ACHIEVEMENTS}/外部")
    ]
    assert "符号链接或目录联接" in findings[0]["message"]
    assert "快捷方式" not in findings[0]["message"]
    assert "外面的秘密" not in json.dumps(findings, ensure_ascii=False)


def test_a_junctioned_folder_inside_the_dossier_is_not_entered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Emulation: a real folder reported as a junction; its broken file is never read."""
    root = example_workspace(tmp_path)
    folder = root / "dossiers" / "张三" / ACHIEVEMENTS / "联接"
    folder.mkdir()
    (folder / "坏文件.pdf").write_bytes(b"not a pdf")
    assert any(f["code"] == "file-type-mismatch" for f in zhang_findings(root, capsys))
    emulate_junctions(monkeypatch, folder)
    assert zhang_findings(root, capsys) == []


def test_bind_does_not_bind_through_a_junction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Emulation: the same junction; bind refuses, and a forced preview leaves it out."""
    root = example_workspace(tmp_path)
    link = root / "dossiers" / "张三" / ACHIEVEMENTS / "外部"
    junction_to(link, outside_folder(tmp_path), monkeypatch)
    assert main(["bind", "-w", str(root), "张三"]) == 1
    assert not list((root / "out").rglob("*.pdf"))
    main(["bind", "-w", str(root), "张三", "--force"])
    capsys.readouterr()
    sidecars = list((root / "out").rglob("*.json"))
    assert sidecars
    for sidecar in sidecars:
        assert "外面的秘密" not in sidecar.read_text("utf-8")


def test_add_refuses_a_junctioned_dossier_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Emulation: dossiers/张三 is a junction; nothing is unpacked into it."""
    ws = open_workspace(init_workspace("nantong-2023", tmp_path / "ws"))
    folder = ws.dossiers_dir / "张三"
    folder.mkdir()
    emulate_junctions(monkeypatch, folder)
    with pytest.raises(UsageError) as raised:
        add_archive(ws, "张三", tmp_path / "张三.zip")
    assert "链接" in raised.value.args[0]
    assert list(folder.iterdir()) == []


def test_demo_refuses_a_junctioned_dossiers_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Emulation: target/dossiers is a junction (to someone's real dossiers)."""
    target = tmp_path / "演示"
    (target / "dossiers").mkdir(parents=True)
    emulate_junctions(monkeypatch, target / "dossiers")
    with pytest.raises(UsageError):
        copy_example(target, force=True)
    assert not (target / "zcprep.toml").exists()


@POSIX_ONLY
def test_a_linked_applicant_file_outside_is_not_read(tmp_path: Path) -> None:
    """A real symbolic link: applicant.toml → someone else's, outside the dossier."""
    root = example_workspace(tmp_path)
    dossier = root / "dossiers" / "张三"
    outside = tmp_path / "别人的.toml"
    outside.write_bytes((dossier / "applicant.toml").read_bytes())
    (dossier / "applicant.toml").unlink()
    (dossier / "applicant.toml").symlink_to(outside)
    with pytest.raises(InputError) as raised:
        load_applicant(dossier)
    assert "符号链接或目录联接" in raised.value.args[0]
    assert "快捷方式" not in raised.value.args[0]


@POSIX_ONLY
def test_add_and_demo_refuse_real_symlinks(tmp_path: Path) -> None:
    """Real symbolic links: dossiers/张三 for add, dossiers/ for demo."""
    ws = open_workspace(init_workspace("nantong-2023", tmp_path / "ws"))
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    (ws.dossiers_dir / "张三").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(UsageError):
        add_archive(ws, "张三", tmp_path / "张三.zip")
    assert list(elsewhere.iterdir()) == []
    target = tmp_path / "演示"
    target.mkdir()
    (target / "dossiers").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(UsageError):
        copy_example(target, force=True)
    assert list(elsewhere.iterdir()) == []
