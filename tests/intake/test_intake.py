"""zcprep add: zips as officers receive them, built byte by byte in fixtures.

Most archives are written by a small raw zip writer below (not zipfile), so that the tests
control exactly what a Windows, WinRAR or macOS tool would put in the headers: GBK name
bytes without the UTF-8 flag, a backslash as separator, a symlink mode, an encryption flag,
a header that lies about sizes. zipfile itself reads them back in the code under test.
"""

from __future__ import annotations

import io
import stat
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pytest

from intake_helpers import UTF8_FLAG, Raw, add, build_zip, files_in, gbk, utf8
from zcprep.check import check_dossier
from zcprep.cli import main
from zcprep.errors import InputError
from zcprep.intake import (
    IntakeResult,
    LimitExceeded,
    Limits,
    add_archive,
    copy_limited,
    decode_entry_name,
)
from zcprep.model.collect import material_for_folder
from zcprep.model.demo import copy_example
from zcprep.model.workspace import Workspace, init_workspace, open_workspace

MiB = 1 << 20


# --- workspace fixtures and helpers ----------------------------------------------------


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return open_workspace(init_workspace("nantong-2023", tmp_path / "ws"))


def reasons(result: IntakeResult) -> dict[str, str]:
    return {r.entry: r.reason for r in result.refused}


# --- names -----------------------------------------------------------------------------


def test_gbk_names_without_the_utf8_flag(ws: Workspace, tmp_path: Path) -> None:
    # 誠 and 諾 end in byte 0x5C ("\\") in GBK: splitting bytes on backslash would break them.
    names = ["申报表.pdf", "继续教育\\2022年证明.pdf", "誠信承諾書.pdf"]
    assert b"\\" in "誠".encode("gbk")
    archive = build_zip(tmp_path / "windows.zip", [gbk(n) for n in names])
    with zipfile.ZipFile(archive) as zf:  # the fixture is what Windows writes: no flag, mojibake
        assert all(not i.flag_bits & UTF8_FLAG for i in zf.infolist())
        assert "申报表.pdf" not in zf.namelist()

    result, written = add(ws, archive)

    assert set(written) == {"申报表.pdf", "继续教育/2022年证明.pdf", "誠信承諾書.pdf"}
    assert written["继续教育/2022年证明.pdf"] == "内容：继续教育\\2022年证明.pdf".encode()
    assert result.refused == [] and result.undecodable == []


def test_utf8_names_with_and_without_the_flag(ws: Workspace, tmp_path: Path) -> None:
    archive = build_zip(
        tmp_path / "mixed.zip", [utf8("带标志.pdf"), utf8("无标志（某些工具）.pdf", flag=False)]
    )
    _, written = add(ws, archive)
    assert set(written) == {"带标志.pdf", "无标志（某些工具）.pdf"}


def test_nfd_names_from_macos_become_nfc(ws: Workspace, tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Lǚ Résumé/がくせい.pdf")
    assert nfd != unicodedata.normalize("NFC", nfd)
    _, written = add(ws, build_zip(tmp_path / "mac.zip", [utf8("张三/x.pdf"), utf8(nfd)]))
    assert set(written) == {"张三/x.pdf", unicodedata.normalize("NFC", nfd)}


def test_unicode_path_extra_field_wins_over_raw_bytes(ws: Workspace, tmp_path: Path) -> None:
    raw = b"????.pdf"  # what an old tool writes when it cannot encode the name
    real = "工作总结.pdf".encode()
    body = bytes([1]) + struct.pack("<I", zlib.crc32(raw)) + real
    extra = struct.pack("<HH", 0x7075, len(body)) + body
    _, written = add(ws, build_zip(tmp_path / "infozip.zip", [Raw(raw, b"x", extra=extra)]))
    assert set(written) == {"工作总结.pdf"}


def test_undecodable_name_is_kept_with_replacement_and_reported(
    ws: Workspace, tmp_path: Path
) -> None:
    archive = build_zip(tmp_path / "odd.zip", [Raw(b"scan\xff\x80.pdf", b"x")])
    result, written = add(ws, archive)
    assert len(written) == 1
    (name,) = written
    assert name.startswith("scan") and "\ufffd" in name and name.endswith(".pdf")
    assert result.undecodable == [name]


def test_decode_entry_name_follows_the_flag() -> None:
    flagged = zipfile.ZipInfo("张三.pdf")
    flagged.flag_bits = UTF8_FLAG
    legacy = zipfile.ZipInfo("张三.pdf".encode("gbk").decode("cp437"))
    assert decode_entry_name(flagged) == ("张三.pdf", True)
    assert decode_entry_name(legacy) == ("张三.pdf", True)


def test_windows_forbidden_characters_are_replaced(ws: Workspace, tmp_path: Path) -> None:
    archive = build_zip(tmp_path / "colon.zip", [utf8("报告:终稿?.pdf"), utf8("CON.txt")])
    result, written = add(ws, archive)
    assert set(written) == {"报告_终稿_.pdf", "_CON.txt"}
    assert ("报告:终稿?.pdf", "报告_终稿_.pdf") in result.renamed


# --- paths that must never be written --------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../evil.txt",
        "..\\evil.txt",
        "材料/../../evil.txt",
        "材料/.. /evil.txt",
        "/abs.txt",
        "/tmp/abs.txt",
        "C:\\x.txt",
        "C:/x.txt",
        "c:x.txt",
        "\\\\server\\share\\x.txt",
    ],
)
def test_escaping_paths_are_refused(name: str, ws: Workspace, tmp_path: Path) -> None:
    archive = build_zip(tmp_path / "slip.zip", [utf8(name), utf8("好文件.pdf")])
    result, written = add(ws, archive)
    assert set(written) == {"好文件.pdf"}
    assert list(reasons(result)) == [name]
    assert "档案文件夹以外" in reasons(result)[name]


def test_symlink_entries_are_refused(ws: Workspace, tmp_path: Path) -> None:
    link = Raw(b"link.pdf", b"/etc/passwd", mode=stat.S_IFLNK | 0o777, deflate=False)
    archive = build_zip(tmp_path / "link.zip", [link, utf8("好文件.pdf")])
    with zipfile.ZipFile(archive) as zf:
        assert stat.S_ISLNK(zf.getinfo("link.pdf").external_attr >> 16)
    result, written = add(ws, archive)
    assert set(written) == {"好文件.pdf"}
    assert "符号链接" in reasons(result)["link.pdf"]
    assert not (result.dossier / "link.pdf").exists()
    assert not (result.dossier / "link.pdf").is_symlink()


def test_a_link_already_in_the_dossier_is_not_followed(ws: Workspace, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    dossier = ws.dossiers_dir / "张三"
    dossier.mkdir(parents=True)
    (dossier / "扫描件").symlink_to(outside, target_is_directory=True)
    archive = build_zip(tmp_path / "a.zip", [utf8("扫描件/x.pdf"), utf8("扫描件/"), utf8("y.pdf")])
    result, written = add(ws, archive)
    assert list(outside.iterdir()) == []
    assert written == {"y.pdf": "内容：y.pdf".encode()}
    assert "链接" in reasons(result)["扫描件/"]
    assert "链接" in reasons(result)["扫描件/x.pdf"]


def test_encrypted_entries_are_refused_with_a_clear_reason(ws: Workspace, tmp_path: Path) -> None:
    secret = Raw(b"secret.pdf", b"\x00" * 12 + b"ciphertext", flags=0x1, deflate=False)
    result, written = add(ws, build_zip(tmp_path / "pw.zip", [secret, utf8("好文件.pdf")]))
    assert set(written) == {"好文件.pdf"}
    assert "密码" in reasons(result)["secret.pdf"]


# --- zip bombs -------------------------------------------------------------------------


def zeros_zip(path: Path, megabytes: int, name: str = "bomb.pdf") -> Path:
    """A real deflated run of zeros written with zipfile, streamed in 1 MB pieces."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open(name, "w") as out:
            for _ in range(megabytes):
                out.write(bytes(MiB))
        zf.writestr("好文件.pdf", b"%PDF-1.4 small")
    return path


def test_a_high_ratio_entry_is_refused_with_default_limits(ws: Workspace, tmp_path: Path) -> None:
    archive = zeros_zip(tmp_path / "bomb.zip", 50)
    assert archive.stat().st_size < MiB
    result, written = add(ws, archive)
    assert set(written) == {"好文件.pdf"}
    assert "压缩炸弹" in reasons(result)["bomb.pdf"]


def test_a_header_hiding_the_ratio_does_not_help(ws: Workspace, tmp_path: Path) -> None:
    # The entry claims 60 MB of compressed data, so its declared ratio looks like 1:1; the
    # archive has no room for that, and the real stream of zeros is ~50 KB.
    data = bytes(50 * MiB)
    bomb = Raw(b"bomb.pdf", data, declared_compressed=60 * MiB)
    result, written = add(ws, build_zip(tmp_path / "liar.zip", [bomb, utf8("好文件.pdf")]))
    assert set(written) == {"好文件.pdf"}
    assert "压缩炸弹" in reasons(result)["bomb.pdf"]


def test_per_file_limit(ws: Workspace, tmp_path: Path) -> None:
    archive = zeros_zip(tmp_path / "big.zip", 3)
    limits = Limits(max_file_bytes=2 * MiB, max_ratio=10_000)
    result, written = add(ws, archive, limits=limits)
    assert set(written) == {"好文件.pdf"}
    assert "单个文件上限" in reasons(result)["bomb.pdf"]


def test_total_limit_refuses_the_archive_before_writing(ws: Workspace, tmp_path: Path) -> None:
    entries = [Raw(f"{i}.pdf".encode(), bytes(MiB)) for i in range(5)]
    archive = build_zip(tmp_path / "many.zip", entries)
    with pytest.raises(InputError, match="超过上限"):
        add_archive(ws, "张三", archive, limits=Limits(max_total_bytes=4 * MiB, max_ratio=10**6))
    assert not (ws.dossiers_dir / "张三").exists()


def test_entry_count_limit(ws: Workspace, tmp_path: Path) -> None:
    archive = build_zip(tmp_path / "n.zip", [Raw(f"{i}.txt".encode(), b"x") for i in range(30)])
    with pytest.raises(InputError, match="30 个条目"):
        add_archive(ws, "张三", archive, limits=Limits(max_entries=20))
    assert not (ws.dossiers_dir / "张三").exists()


class Endless(io.RawIOBase):
    """A decompressor that keeps producing: what a lying header could hide."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        buffer[:] = bytes(len(buffer))
        return len(buffer)


@pytest.mark.parametrize(
    ("limits", "total_left", "compressed", "stop", "phrase", "kept"),
    [
        (Limits(max_file_bytes=3 * MiB, max_ratio=10**9), 10**12, 1, False, "单个文件上限", 3),
        (Limits(), 10**12, 1000, False, "压缩炸弹", 1),
        (Limits(max_ratio=10**9), 2 * MiB, 1, True, "总量", 2),
    ],
)
def test_streaming_limits_count_real_bytes(
    limits: Limits, total_left: int, compressed: int, stop: bool, phrase: str, kept: int
) -> None:
    sink = io.BytesIO()
    with pytest.raises(LimitExceeded) as caught:
        copy_limited(io.BufferedReader(Endless()), sink, total_left, compressed, limits)
    assert caught.value.stop is stop and phrase in caught.value.reason
    assert sink.tell() == kept * MiB  # the chunk that crossed the limit was not written


# --- corrupt archives ------------------------------------------------------------------


def test_not_a_zip_and_a_truncated_zip(ws: Workspace, tmp_path: Path) -> None:
    good = build_zip(tmp_path / "good.zip", [utf8("a.pdf")])
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(good.read_bytes()[:40])
    rar = tmp_path / "材料.zip"
    rar.write_bytes(b"Rar!\x1a\x07\x01\x00" + bytes(100))
    with pytest.raises(InputError, match="不是 zip 压缩包"):
        add_archive(ws, "张三", truncated)
    with pytest.raises(InputError, match="RAR"):
        add_archive(ws, "张三", rar)
    with pytest.raises(InputError, match="找不到压缩包"):
        add_archive(ws, "张三", tmp_path / "nowhere.zip")
    assert not (ws.dossiers_dir / "张三").exists()


def test_crc_error_stops_and_leaves_no_half_file(ws: Workspace, tmp_path: Path) -> None:
    damaged = bytearray(b"%PDF-1.4 " + bytes(range(256)) * 4000)
    good = Raw(b"a.pdf", b"first", deflate=False)
    bad = Raw(b"b.pdf", bytes(damaged), deflate=False)
    archive = build_zip(tmp_path / "crc.zip", [good, bad, Raw(b"c.pdf", b"third")])
    data = bytearray(archive.read_bytes())
    data[data.index(b"%PDF-1.4 ") + 500] ^= 0xFF  # flip a byte of b.pdf's stored data
    archive.write_bytes(bytes(data))
    with pytest.raises(InputError, match="已损坏") as caught:
        add_archive(ws, "张三", archive)
    assert "b.pdf" in caught.value.message and "校验和不符" in caught.value.message
    assert files_in(ws.dossiers_dir / "张三") == {"a.pdf": b"first"}
    assert not list((ws.dossiers_dir / "张三").rglob("*.part"))


def test_a_header_understating_the_size_is_corrupt_not_truncated_data(
    ws: Workspace, tmp_path: Path
) -> None:
    archive = build_zip(tmp_path / "short.zip", [Raw(b"a.pdf", bytes(5000), declared_size=100)])
    with pytest.raises(InputError, match="已损坏"):
        add_archive(ws, "张三", archive)
    assert files_in(ws.dossiers_dir / "张三") == {}


# --- placement -------------------------------------------------------------------------


def test_single_top_folders_are_stripped_and_numbered_folders_mapped(
    ws: Workspace, tmp_path: Path
) -> None:
    archive = build_zip(
        tmp_path / "张三.zip",
        [
            gbk("张三材料/"),
            gbk("张三材料/张三/"),
            gbk("张三材料/张三/1-申报表/申报表.pdf"),
            gbk("张三材料/张三/3 资格证/证书.jpg"),
            gbk("张三材料/张三/继续教育材料/2022.pdf"),
            gbk("张三材料/张三/07_papers/论文.pdf"),
            gbk("张三材料/张三/4-任期内专业技术工作总结/总结.pdf"),  # the name wins over 4
            gbk("张三材料/张三/2023年业绩/验收.pdf"),  # not a number prefix: kept
            gbk("张三材料/张三/简历.pdf"),
            utf8("__MACOSX/张三材料/张三/._简历.pdf"),
            utf8("张三材料/张三/.DS_Store"),
            utf8("张三材料/张三/3 资格证/Thumbs.db"),
        ],
    )
    result, written = add(ws, archive)
    assert result.stripped == ["张三材料", "张三"]
    assert result.junk == 3
    assert set(written) == {
        "01-专业技术资格评审申报表/申报表.pdf",
        "03-现任专业技术资格证书复印件/证书.jpg",
        "04-继续教育材料/2022.pdf",
        "07-任期内标志性论文、著作材料/论文.pdf",
        "05-任期内专业技术工作总结/总结.pdf",
        "2023年业绩/验收.pdf",
        "简历.pdf",
    }


def test_a_zip_of_one_checklist_folder_is_not_stripped(ws: Workspace, tmp_path: Path) -> None:
    archive = build_zip(tmp_path / "one.zip", [utf8("03-证书/a.jpg"), utf8("03-证书/b.jpg")])
    result, written = add(ws, archive)
    assert result.stripped == []
    assert set(written) == {
        "03-现任专业技术资格证书复印件/a.jpg",
        "03-现任专业技术资格证书复印件/b.jpg",
    }


def test_material_folder_rule(ws: Workspace) -> None:
    def folder(name: str) -> str | None:
        material = material_for_folder(ws.notice, name)
        return material.folder if material else None

    assert folder("04-继续教育材料") == "04-继续教育材料"
    assert folder("继续教育材料") == "04-继续教育材料"
    assert folder("4.随便写") == "04-继续教育材料"
    assert folder("4、继续教育") == "04-继续教育材料"
    assert folder("04") == "04-继续教育材料"
    assert folder("04继续教育") == "04-继续教育材料"  # no separator: two digits needed
    assert folder("9-其他") is None  # nantong has 8 items
    assert folder("2023年") is None
    assert folder("4月份材料") is None
    assert folder("照片") is None


def test_a_numbered_folder_without_separator_is_mapped_not_stripped(
    ws: Workspace, tmp_path: Path
) -> None:
    """王五材料/03证书/x.jpg: once 王五材料 is stripped, 03证书 is item 3, not a wrapper
    to strip (which would drop x.jpg loose in the dossier, where check and bind miss it)."""
    archive = build_zip(tmp_path / "w.zip", [utf8("王五材料/03证书/x.jpg")])
    result, written = add(ws, archive)
    assert result.stripped == ["王五材料"]
    assert result.mapped == [("03证书", "03-现任专业技术资格证书复印件")]
    assert set(written) == {"03-现任专业技术资格证书复印件/x.jpg"}
    findings = check_dossier(ws, result.dossier).findings
    assert [f.file for f in findings if f.material == "current-qualification"] == [
        "dossiers/张三/03-现任专业技术资格证书复印件/x.jpg"  # found there (not a real JPEG)
    ]


def test_empty_folders_are_recreated(ws: Workspace, tmp_path: Path) -> None:
    entries = [utf8("./"), utf8("附件/空/"), utf8("附件/a.pdf"), utf8("b.pdf")]
    result, _ = add(ws, build_zip(tmp_path / "d.zip", entries))
    assert (result.dossier / "附件" / "空").is_dir()
    assert result.folders == ["附件/空"]
    assert result.refused == [] and result.junk == 1


# --- existing files --------------------------------------------------------------------


def test_existing_files_are_kept_unless_force(ws: Workspace, tmp_path: Path) -> None:
    dossier = ws.dossiers_dir / "张三"
    dossier.mkdir(parents=True)
    (dossier / "证书.pdf").write_bytes(b"officer's copy")
    archive = build_zip(tmp_path / "a.zip", [utf8("证书.pdf"), utf8("新.pdf")])

    result, written = add(ws, archive)
    assert result.skipped == ["证书.pdf"] and result.written == ["新.pdf"]
    assert written["证书.pdf"] == b"officer's copy"

    result, written = add(ws, archive, force=True)
    assert sorted(result.written) == ["新.pdf", "证书.pdf"]
    assert written["证书.pdf"] == "内容：证书.pdf".encode()


def test_a_new_dossier_takes_the_zips_applicant_file(ws: Workspace, tmp_path: Path) -> None:
    mine = 'name = "张三"\n'
    result, _ = add(ws, build_zip(tmp_path / "a.zip", [Raw(b"applicant.toml", mine.encode())]))
    assert result.created and result.written == ["applicant.toml"]
    assert (result.dossier / "applicant.toml").read_text("utf-8") == mine
    # Existing now: the officer's edits are kept.
    result, _ = add(ws, build_zip(tmp_path / "b.zip", [Raw(b"applicant.toml", b"other")]))
    assert result.skipped == ["applicant.toml"]


def test_duplicate_names_in_one_zip_keep_the_first(ws: Workspace, tmp_path: Path) -> None:
    archive = build_zip(
        tmp_path / "dup.zip", [Raw(b"a.pdf", b"one"), Raw(b"A.PDF", b"two"), Raw(b"a.pdf", b"3")]
    )
    result, written = add(ws, archive, force=True)
    assert written == {"a.pdf": b"one"}
    assert len(result.refused) == 2


# --- the command line ------------------------------------------------------------------


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The example workspace: 张三 passes check (warnings only), 李四 has errors."""
    return copy_example(tmp_path / "example")


def test_cli_skip_then_force_exit_codes(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = example / "dossiers" / "张三" / "05-任期内专业技术工作总结" / "工作总结.pdf"
    original = summary.read_bytes()
    archive = build_zip(
        tmp_path / "张三.zip",
        [gbk("张三/5-工作总结/工作总结.pdf")],
    )
    archive_entry = archive.read_bytes()
    assert main(["add", "张三", str(archive), "-w", str(example)]) == 0
    captured = capsys.readouterr()
    assert "跳过 1 个已有文件" in captured.out and "--force" in captured.err
    assert "05-任期内专业技术工作总结" in captured.out
    assert "zcprep check 张三" in captured.out  # the deadline warnings of the old example
    assert summary.read_bytes() == original

    # With --force the zip's copy replaces it; it is no PDF, so check finds an error.
    assert main(["add", "张三", str(archive), "--force", "-w", str(example)]) == 1
    assert summary.read_bytes() == "内容：张三/5-工作总结/工作总结.pdf".encode()
    assert "写入 1 个文件" in capsys.readouterr().out
    assert archive.read_bytes() == archive_entry


def test_cli_refused_entries_give_exit_1(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = build_zip(tmp_path / "evil.zip", [utf8("../../evil.txt")])
    assert main(["add", "张三", str(archive), "-w", str(example)]) == 1
    err = capsys.readouterr().err
    assert "未解压" in err and "../../evil.txt" in err
    assert not (tmp_path / "evil.txt").exists() and not (example / "evil.txt").exists()


def test_cli_new_applicant_and_corrupt_zip(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = build_zip(tmp_path / "王五.zip", [gbk("王五/3-证书/证书.jpg")])
    assert main(["add", "王五", str(archive), "-w", str(example)]) == 1  # applicant.toml blank
    out = capsys.readouterr().out
    assert "已新建档案 dossiers/王五" in out and "个错误" in out
    landed = example / "dossiers" / "王五" / "03-现任专业技术资格证书复印件" / "证书.jpg"
    assert landed.is_file()

    corrupt = tmp_path / "坏.zip"
    corrupt.write_bytes(archive.read_bytes()[:-30])
    assert main(["add", "王五", str(corrupt), "-w", str(example)]) == 3
    err = capsys.readouterr().err
    assert "错误" in err and "Traceback" not in err


def test_cli_help_is_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add", "--help"]) == 0
    assert "--force" in capsys.readouterr().out
