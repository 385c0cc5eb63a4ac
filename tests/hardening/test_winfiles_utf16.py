"""UTF-16 with a byte-order mark: Notepad's "Unicode" and Windows PowerShell 5.1's
``Out-File`` (and ``>``) write it.

zcprep.toml and applicant.toml in UTF-16 were refused ("既不是 UTF-8 也不是 GBK"); they
are now decoded, little- and big-endian, the BOM telling which. A CSV in UTF-16 was
already read; these tests hold it for both byte orders. What zcprep writes stays UTF-8:
an import over a UTF-16 applicant.toml compares its data (it is no "invalid TOML") and,
when it replaces the file, writes UTF-8. The files are written with Python's own UTF-16
codecs, the same bytes Notepad writes.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from bind_helpers import example_workspace
from zcprep.cli import main
from zcprep.errors import ConfigError
from zcprep.importing import import_table
from zcprep.model.applicant import load_applicant
from zcprep.model.tomlfile import decode_text, load_toml
from zcprep.model.workspace import Workspace, init_workspace, open_workspace

# "utf-16" writes a BOM in this machine's order; the other two get one written by hand.
ENCODINGS = ("utf-16", "utf-16-le", "utf-16-be")


def utf16(text: str, encoding: str) -> bytes:
    data = (text if encoding == "utf-16" else "\ufeff" + text).encode(encoding)
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    return data


def resave(path: Path, encoding: str) -> None:
    """Open in Notepad, save as "Unicode" (or "Unicode big endian")."""
    path.write_bytes(utf16(path.read_text("utf-8-sig"), encoding))


def fresh_workspace(tmp_path: Path) -> Workspace:
    return open_workspace(init_workspace("nantong-2023", tmp_path / "工作区"))


def sheet(gender: str = "男") -> str:
    """A few columns of the officer's sheet, as Excel saves "Unicode text" or CSV."""
    return f"姓名,性别,学历\r\n张三,{gender},本科\r\n"


def applicant_data(ws: Workspace) -> dict:
    return tomllib.loads((ws.dossiers_dir / "张三" / "applicant.toml").read_text("utf-8"))


def check_json(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    code = main(["check", "-w", str(root), "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_decode_text_reads_both_byte_orders(encoding: str) -> None:
    text = '[unit]\nname = "南通测试网络科技有限公司"\n'
    assert decode_text(utf16(text, encoding), Path("zcprep.toml")) == (text, [])


def test_utf8_bom_utf8_and_gbk_read_as_before() -> None:
    text = 'name = "张三"\n'
    assert decode_text(b"\xef\xbb\xbf" + text.encode(), Path("a.toml")) == (text, [])
    assert decode_text(text.encode(), Path("a.toml")) == (text, [])
    decoded, notes = decode_text(text.encode("gbk"), Path("a.toml"))
    assert decoded == text and "GBK" in notes[0]


def test_a_broken_utf16_file_is_refused_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "zcprep.toml"
    path.write_bytes(b"\xff\xfe" + "名".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    with pytest.raises(ConfigError) as raised:
        load_toml(path)
    assert "UTF-16" in raised.value.args[0]
    path.write_bytes(b"\xff\xfe\x00\x00" + "a = 1\n".encode("utf-32-le"))  # UTF-32
    with pytest.raises(ConfigError):
        load_toml(path)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_check_reads_utf16_config_and_applicant_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    root = example_workspace(tmp_path)
    expected = check_json(root, capsys)
    resave(root / "zcprep.toml", encoding)
    for dossier in (root / "dossiers").iterdir():
        resave(dossier / "applicant.toml", encoding)
    assert check_json(root, capsys) == expected
    zhang = load_applicant(root / "dossiers" / "张三")
    assert zhang.data["name"] == "张三" and not zhang.notes


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_import_reads_a_utf16_csv(tmp_path: Path, encoding: str) -> None:
    ws = fresh_workspace(tmp_path)
    path = tmp_path / "申报人.csv"
    path.write_bytes(utf16(sheet(), encoding))
    result = import_table(ws, path)
    assert [(r.status, r.name) for r in result.rows] == [("新建", "张三")]
    assert applicant_data(ws)["education"] == "本科"


def test_import_over_a_utf16_applicant_file_compares_and_writes_utf8(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path)
    path = tmp_path / "申报人.csv"
    path.write_text(sheet(), "utf-8")
    import_table(ws, path)
    target = ws.dossiers_dir / "张三" / "applicant.toml"
    resave(target, "utf-16")
    saved = target.read_bytes()
    (row,) = import_table(ws, path).rows
    assert row.status == "未改动" and target.read_bytes() == saved
    path.write_text(sheet(gender="女"), "utf-8")
    (row,) = import_table(ws, path).rows
    assert row.status == "保留原文件" and "不是有效的 TOML" not in row.reason
    (row,) = import_table(ws, path, force=True).rows
    assert row.status == "更新"
    written = target.read_bytes()
    assert not written.startswith((b"\xff\xfe", b"\xfe\xff"))
    assert tomllib.loads(written.decode("utf-8"))["gender"] == "女"
