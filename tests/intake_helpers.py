"""Builders for intake tests: zip files written byte by byte, and ``add`` with its guard.

``build_zip`` is a small raw zip writer (not zipfile), so that a test controls exactly
what a Windows, WinRAR or macOS tool puts in the headers: GBK name bytes without the
UTF-8 flag (``gbk``), UTF-8 with or without it (``utf8``), a symlink mode, an encryption
flag, a header that lies about sizes (``Raw``). ``add`` runs ``add_archive`` on 张三 and
checks what every test shares: nothing outside the dossier changes, no temporary file is
left. Shared by tests/intake and the end-to-end name tests in tests/ground/test_names.py.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from zcprep.intake import IntakeResult, Limits, add_archive
from zcprep.model.workspace import Workspace

UTF8_FLAG = 0x800


# --- a raw zip writer ------------------------------------------------------------------


@dataclass
class Raw:
    """One entry exactly as it goes into the file."""

    name: bytes
    data: bytes = b""
    flags: int = 0
    deflate: bool = True
    mode: int = 0  # Unix st_mode, stored in the high 16 bits of external_attr
    extra: bytes = b""
    declared_size: int | None = None  # lie about the uncompressed size
    declared_compressed: int | None = None  # lie about the compressed size


def build_zip(path: Path, entries: list[Raw]) -> Path:
    body = bytearray()
    central = bytearray()
    for entry in entries:
        if entry.deflate:
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            payload = packer.compress(entry.data) + packer.flush()
        else:
            payload = entry.data
        method = 8 if entry.deflate else 0
        crc = zlib.crc32(entry.data)
        size = len(entry.data) if entry.declared_size is None else entry.declared_size
        packed = len(payload) if entry.declared_compressed is None else entry.declared_compressed
        offset = len(body)
        common = (entry.flags, method, 0, 0x21, crc, packed, size, len(entry.name))
        body += struct.pack("<IH4H3I2H", 0x04034B50, 20, *common, len(entry.extra))
        body += entry.name + entry.extra + payload
        central += struct.pack(
            "<I2H4H3I5H2I",
            0x02014B50,
            (3 << 8) | 20,  # made by Unix, so the mode bits count
            20,
            *common,
            len(entry.extra),
            0,
            0,
            0,
            entry.mode << 16,
            offset,
        )
        central += entry.name + entry.extra
    count = len(entries)
    end = struct.pack("<I4H2IH", 0x06054B50, 0, 0, count, count, len(central), len(body), 0)
    path.write_bytes(bytes(body + central + end))
    return path


def gbk(name: str) -> Raw:
    return Raw(name.encode("gbk"), data=f"内容：{name}".encode())


def utf8(name: str, flag: bool = True) -> Raw:
    return Raw(name.encode("utf-8"), data=f"内容：{name}".encode(), flags=UTF8_FLAG if flag else 0)


def snapshot(root: Path, skip: Path | None = None) -> dict[str, str]:
    """Every path under root (links too, never followed) with a hash of files."""
    found = {}
    for path in sorted(root.rglob("*")):
        if skip is not None and (path == skip or skip in path.parents):
            continue
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[key] = "link"
        elif path.is_file():
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[key] = "dir"
    return found


def files_in(folder: Path) -> dict[str, bytes]:
    """Files zcprep add wrote (applicant.toml and the empty item folders left out)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "applicant.toml"
    }


def add(
    ws: Workspace, archive: Path, force: bool = False, limits: Limits | None = None
) -> tuple[IntakeResult, dict[str, bytes]]:
    """Run add on 张三 and check the one property every test shares: nothing outside."""
    outside_before = snapshot(ws.root.parent, skip=ws.dossiers_dir / "张三")
    result = add_archive(ws, "张三", archive, force=force, limits=limits)
    assert snapshot(ws.root.parent, skip=ws.dossiers_dir / "张三") == outside_before
    assert not [p for p in result.dossier.rglob("*.part")], "a temporary file was left"
    return result, files_in(result.dossier)
