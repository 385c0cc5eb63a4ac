"""Windows shortcuts (.lnk) where a file belongs.

Explorer never shows a shortcut's .lnk extension, so the officer sees "工程师证书.pdf" and
copies the shortcut instead of the certificate. check recognised no such file (it was
"无法识别的文件" to convert); it is now typed from its Shell Link header (MS-SHLLINK
2.1: the header size 0x4C, then the class ID 00021401-0000-0000-C000-000000000046),
whatever the name, and reported as ``file-shortcut`` with how to fetch the real file. A
.lnk inside an applicant's zip is skipped by ``add`` and named as a shortcut.

The shortcut bytes are real: a minimal valid ShellLinkHeader of 76 bytes (no link target
list, no string data), which is what a .lnk file begins with.
"""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path

import pytest

from bind_helpers import example_workspace
from intake_helpers import Raw, build_zip
from zcprep.cli import main
from zcprep.intake import add_archive
from zcprep.model.workspace import init_workspace, open_workspace
from zcprep.probe import KIND_LABELS, kind_from_name, sniff, sniff_file

LNK_CLSID = bytes.fromhex("0114020000000000c000000000000046")
SW_SHOWNORMAL = 1


def lnk_header() -> bytes:
    """A ShellLinkHeader: size, CLSID, flags, attributes, three FILETIMEs, file size,
    icon index, show command, hot key and three reserved fields: 76 bytes."""
    header = struct.pack(
        "<I16sII8s8s8sIiIH2sII",
        0x4C,
        LNK_CLSID,
        0,  # LinkFlags: no target ID list, no link info, no strings
        0x20,  # FILE_ATTRIBUTE_ARCHIVE of the target
        b"\x00" * 8,
        b"\x00" * 8,
        b"\x00" * 8,
        123_456,
        0,
        SW_SHOWNORMAL,
        0,
        b"\x00\x00",
        0,
        0,
    )
    assert len(header) == 76
    return header


CERTIFICATE = "03-现任专业技术资格证书复印件"


def test_the_header_is_a_shortcut_whatever_the_name(tmp_path: Path) -> None:
    data = lnk_header()
    assert sniff(data) == "shortcut"
    assert sniff(data + b"\x00" * 200) == "shortcut"  # a real one goes on after the header
    path = tmp_path / "工程师证书.pdf"
    path.write_bytes(data)
    assert sniff_file(path) == "shortcut"
    assert kind_from_name("工程师证书.pdf.lnk") == "shortcut"
    assert "快捷方式" in KIND_LABELS["shortcut"]
    # the size field alone (or another CLSID) is no shortcut
    assert sniff(data[:4] + b"\x00" * 72) == "unknown"


@pytest.mark.parametrize("name", ["工程师证书.pdf", "工程师证书.pdf.lnk", "工程师证书"])
def test_check_reports_a_shortcut_not_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    root = example_workspace(tmp_path)
    folder = root / "dossiers" / "张三" / CERTIFICATE
    for old in folder.iterdir():
        old.unlink()
    (folder / name).write_bytes(lnk_header())
    code = main(["check", "-w", str(root), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    (zhang,) = [d for d in report["dossiers"] if d["applicant"] == "张三"]
    (finding,) = [f for f in zhang["findings"] if f["file"] and name in f["file"]]
    assert finding["code"] == "file-shortcut"
    assert finding["severity"] == "error"
    assert "快捷方式" in finding["message"] and "不是文件本身" in finding["message"]
    assert "打开文件所在的位置" in finding["hint"]
    assert not [f for f in zhang["findings"] if f["code"] == "file-type-mismatch"]


def test_bind_refuses_a_dossier_holding_a_shortcut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example_workspace(tmp_path)
    folder = root / "dossiers" / "张三" / CERTIFICATE
    shutil.rmtree(folder)
    folder.mkdir()
    (folder / "工程师证书.pdf").write_bytes(lnk_header())
    code = main(["bind", "-w", str(root), "张三"])
    captured = capsys.readouterr()
    assert code != 0
    assert not list((root / "out").rglob("*.pdf"))
    assert "Traceback" not in captured.err


def test_add_skips_a_shortcut_in_the_zip_and_says_so(tmp_path: Path) -> None:
    ws = open_workspace(init_workspace("nantong-2023", tmp_path / "ws"))
    archive = build_zip(
        tmp_path / "张三.zip",
        [
            Raw("工程师证书.pdf.lnk".encode(), data=lnk_header(), flags=0x800),
            Raw("总结.pdf".encode(), data=b"%PDF-1.4\n", flags=0x800),
        ],
    )
    result = add_archive(ws, "张三", archive)
    reasons = {r.entry: r.reason for r in result.refused}
    assert "快捷方式" in reasons["工程师证书.pdf.lnk"]
    assert not list(result.dossier.rglob("*.lnk"))
