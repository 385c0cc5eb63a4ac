"""One zip entry on its own: the name it really has, and whether it may be written at all.

The name is decoded as the applicant's tool wrote it (the UTF-8 flag, the Info-ZIP
Unicode Path field, UTF-8 without the flag, else GB18030) and normalised to NFC; the
path is split into safe components (no absolute paths, drive letters or ``..``), each
made portable; macOS and Windows junk is recognised; links, Windows shortcuts (.lnk),
devices and encrypted entries are refused. Nothing here looks at the dossier or writes anything.
"""

from __future__ import annotations

import re
import stat
import struct
import unicodedata
import zipfile
import zlib

from zcprep.atomic import is_temporary_name
from zcprep.names import portable_file_name

_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_UNICODE_PATH_EXTRA = 0x7075

_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
_DRIVE = re.compile(r"[A-Za-z]:")
# Folders an entry may sit in. A dossier is 张三/材料/03-证书/2021 at most, a handful of
# levels; 32 is far beyond any real archive yet far below Python's recursion limit (about
# 1,000), which creating or walking a path one folder per call would reach (pathlib's
# mkdir(parents=True) does), and it keeps a path of ordinary names short enough to open.
MAX_ENTRY_DEPTH = 32


class _Unsafe(Exception):
    """An entry path that must not be written; the message is the Chinese reason."""


def decode_entry_name(info: zipfile.ZipInfo) -> tuple[str, bool]:
    """The entry's name as the applicant saw it, NFC; False when bytes had to be replaced."""
    if info.flag_bits & _UTF8_FLAG:
        name, clean = info.orig_filename, True  # zipfile already decoded it as UTF-8
    else:
        raw = info.orig_filename.encode("cp437")  # zipfile's cp437 decode is lossless
        raw = raw.split(b"\x00", 1)[0]
        unicode_path = _unicode_path_extra(info.extra, raw)
        name, clean = (unicode_path, True) if unicode_path is not None else _decode_legacy(raw)
    name = name.split("\x00", 1)[0]
    return unicodedata.normalize("NFC", name), clean


def _decode_legacy(raw: bytes) -> tuple[str, bool]:
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding), True
        except UnicodeDecodeError:
            continue
    return raw.decode("gb18030", errors="replace"), False


def _unicode_path_extra(extra: bytes, raw: bytes) -> str | None:
    """Info-ZIP Unicode Path field: version 1, CRC-32 of the raw name, then UTF-8."""
    pos = 0
    while pos + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if kind != _UNICODE_PATH_EXTRA or len(body) < 5 or body[0] != 1:
            continue
        (crc,) = struct.unpack_from("<I", body, 1)
        if crc != zlib.crc32(raw):
            return None  # the name was changed after the field was written
        try:
            return body[5:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def split_entry_path(name: str) -> tuple[tuple[str, ...], bool]:
    """Safe relative components of an entry name and whether it names a folder.

    Backslashes count as separators (Windows tools write them). Raises ``_Unsafe`` for
    absolute paths, drive letters, UNC paths, any ``..`` component and a path more than
    ``MAX_ENTRY_DEPTH`` folders deep (junk, never written, is left to be skipped). A name of
    only ``.`` and ``/`` gives no components (harmless, skipped like junk).
    """
    path = name.replace("\\", "/")
    if path.startswith("/"):
        raise _Unsafe("绝对路径（以 / 或 \\\\ 开头），可能写到档案文件夹以外")
    if _DRIVE.match(path):
        raise _Unsafe("带盘符的路径（如 C:\\），可能写到档案文件夹以外")
    parts = [part for part in path.split("/") if part not in ("", ".")]
    for part in parts:
        if part.strip(" .") == "":
            raise _Unsafe("路径含有 ..（或只由点、空格组成的文件夹名），可能指向档案文件夹以外")
    _refuse_too_deep(tuple(parts))
    if parts and is_temporary_name(parts[-1]):
        raise _Unsafe("名字与 zcprep 自己的临时文件相同（.….zcprep-….part），已跳过")
    return tuple(parts), path.endswith("/")


def _refuse_too_deep(parts: tuple[str, ...]) -> None:
    folders = len(parts) - 1  # the last part is the entry itself, file or folder
    if folders > MAX_ENTRY_DEPTH and not _is_junk(parts):
        raise _Unsafe(
            f"位于 {folders} 层文件夹之下，超过上限 {MAX_ENTRY_DEPTH} 层"
            "（正常的申报材料不会这么深），已跳过"
        )


def portable_part(part: str) -> str:
    """One path component made safe on Windows (zcprep.names): each forbidden character
    becomes ``_``, trailing dots and spaces go, a device name such as CON gets a ``_``, and
    a name longer than the 255 bytes Linux and macOS allow is cut, keeping its extension
    (Word names a file after its first sentence; such a name would not save here)."""
    return portable_file_name(part)


def _is_junk(parts: tuple[str, ...]) -> bool:
    if not parts:
        return True
    last = parts[-1].casefold()
    return "__MACOSX" in parts or last in _JUNK_NAMES or last.startswith("._")


def _is_shortcut_name(name: str) -> bool:
    """A name ending in .lnk (ASCII, so whatever encoding the rest of the name is in);
    Explorer hides the extension, so the applicant saw "证书.pdf" and zipped a shortcut."""
    return name.casefold().endswith(".lnk")


def _file_kind_refusal(info: zipfile.ZipInfo) -> str | None:
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        return "链接（符号链接或目录联接），可能指向档案以外的文件，已跳过"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "不是普通文件（设备、管道等），已跳过"
    if kind != stat.S_IFDIR and _is_shortcut_name(info.filename):
        return (
            "Windows 快捷方式（.lnk），不是文件本身，只在申报人的电脑上指向原文件，已跳过；"
            "请申报人把原文件打包发送"
        )
    if info.flag_bits & _ENCRYPTED_FLAG:
        return "文件已加密（设了解压密码），无法解压；请申报人去掉密码后重新打包发送"
    return None
