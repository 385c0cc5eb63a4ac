"""zcprep add and an entry nested far too deep: that entry is refused, the rest unpacked.

A real zip made with zipfile holds one entry 1,100 folders deep between normal entries;
before the limit, creating its folders recursed past Python's limit and stopped the
whole unpacking with "内部错误 RecursionError".
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from intake_helpers import add
from zcprep.cli import main
from zcprep.model.workspace import Workspace, init_workspace, open_workspace

MAX_ENTRY_DEPTH = 32  # folders, as README states
DEEP = "/".join(["d"] * 1100) + "/藏起来.pdf"  # short names: a path Linux still accepts


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return open_workspace(init_workspace("nantong-2023", tmp_path / "ws"))


def deep_zip(path: Path, deep: str = DEEP) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("03-证书/证书.pdf", b"%PDF-1.4 certificate")
        archive.writestr(deep, b"%PDF-1.4 hidden")
        archive.writestr("05-工作总结/总结.pdf", b"%PDF-1.4 summary")
    return path


def test_an_entry_1100_folders_deep_is_refused_and_the_rest_unpacked(
    ws: Workspace, tmp_path: Path
) -> None:
    result, files = add(ws, deep_zip(tmp_path / "张三.zip"))
    assert sorted(files) == [
        "03-现任专业技术资格证书复印件/证书.pdf",
        "05-任期内专业技术工作总结/总结.pdf",
    ]
    (refused,) = result.refused
    assert refused.entry == DEEP
    assert "1100 层文件夹" in refused.reason and f"上限 {MAX_ENTRY_DEPTH} 层" in refused.reason
    assert not (result.dossier / "d").exists()


def test_the_limit_counts_folders_so_an_entry_at_the_limit_is_kept(
    ws: Workspace, tmp_path: Path
) -> None:
    at_limit = "/".join(["层"] * MAX_ENTRY_DEPTH) + "/刚好.pdf"
    one_more = "/".join(["层"] * (MAX_ENTRY_DEPTH + 1)) + "/多一层.pdf"
    archive = tmp_path / "张三.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("证书.pdf", b"%PDF-1.4 certificate")
        zf.writestr(at_limit, b"%PDF-1.4 kept")
        zf.writestr(one_more, b"%PDF-1.4 refused")
    result, files = add(ws, archive)
    assert sorted(files) == sorted([at_limit, "证书.pdf"])
    assert [r.entry for r in result.refused] == [one_more]


def test_deep_macos_junk_is_skipped_as_junk_not_listed(ws: Workspace, tmp_path: Path) -> None:
    archive = tmp_path / "张三.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("证书.pdf", b"%PDF-1.4 certificate")
        zf.writestr("__MACOSX/" + "/".join(["层"] * 1100) + "/._证书.pdf", b"junk")
    result, files = add(ws, archive)
    assert list(files) == ["证书.pdf"] and result.refused == [] and result.junk == 1


def test_cli_add_names_the_deep_entry_and_exits_1(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = deep_zip(tmp_path / "张三.zip")
    assert main(["add", "张三", str(archive), "-w", str(ws.root)]) == 1
    captured = capsys.readouterr()
    assert "RecursionError" not in captured.out + captured.err
    assert "内部错误" not in captured.err
    assert "1100 层文件夹" in captured.err.replace("\n", "")
    assert "写入 2 个文件" in captured.out


def test_a_path_too_long_for_the_system_is_refused_and_the_rest_unpacked(
    ws: Workspace, tmp_path: Path
) -> None:
    """20 folders, well within the depth limit, of 80 Chinese characters each: 4,800 bytes,
    more than a path may have on Linux (4,096) or macOS (1,024). Looking at it raised
    "File name too long" and stopped the whole archive (exit 3)."""
    long_path = "/".join(["长" * 80] * 20) + "/证书.pdf"
    archive = tmp_path / "张三.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.pdf", b"%PDF-1.4 a")
        zf.writestr(long_path, b"%PDF-1.4 long")
        zf.writestr("b.pdf", b"%PDF-1.4 b")
    result, files = add(ws, archive)
    assert {"a.pdf", "b.pdf"} <= set(files)
    if sys.platform != "win32":  # Windows with long paths enabled may write it
        assert [r.entry for r in result.refused] == [long_path]
        assert "路径太长" in result.refused[0].reason
