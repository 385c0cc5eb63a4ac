"""zcprep add: unpack an applicant's zip into their dossier, safely.

Officers receive materials as zip files made on Windows (名字 in GBK, no UTF-8 flag), on
macOS (NFD names, ``__MACOSX/`` junk) or by WeChat and phones. The archive is hostile input:
it may hold ``../`` paths, absolute paths, links, or be a zip bomb. So every entry is
planned first (name decoded, path checked, placement decided) and only then streamed to a
temporary file beside its target and renamed into place, counting the bytes actually
produced. Nothing outside ``dossiers/NAME/`` is ever written and no existing file is
replaced without ``force``.

Names. An entry with the UTF-8 flag (bit 11) is UTF-8. Otherwise its raw bytes are, in
order: the Info-ZIP Unicode Path extra field (0x7075) when its CRC matches the raw name;
UTF-8 when valid (some tools omit the flag); GB18030 (a superset of GBK: Windows
"发送到压缩文件夹" and WinRAR on Chinese Windows). Bytes valid in none of these are decoded
with replacement characters and reported. Names are normalised to NFC (macOS zips are NFD).
Western DOS names (CP437 proper) are read as GB18030: for Chinese officers that is the
better bet.

Placement. The zip's own folder structure is kept, with two conveniences:

1. A single top-level folder holding everything (``张三/…`` or ``张三材料/…``) is removed,
   repeatedly (a folder zipped inside a folder), unless that folder is itself a checklist
   item (rule 2).
2. A top-level folder that stands for a checklist item is renamed to the item's folder
   (``Material.folder``, the ``NN-材料名`` that ``zcprep new`` makes), by the same rule
   ``check`` and ``bind`` use (zcprep.model.collect.material_for_folder: the item's name, short
   name or folder; or its number, as in ``03证书``, ``03-证书``, ``3 证书``, ``3、证书``).
   Other folders and files are kept as they are, for ``check`` to match by the items'
   patterns.
"""

from __future__ import annotations

import bisect
import lzma
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from zcprep.atomic import atomic_output
from zcprep.errors import InputError, OutputError, UsageError
from zcprep.model.collect import material_for_folder
from zcprep.model.notice import Notice
from zcprep.model.workspace import APPLICANT_FILE, Workspace, check_dossier_name, new_dossier
from zcprep.names import portable_file_name
from zcprep.units import size_text

MiB = 1 << 20
CHUNK = 256 * 1024
_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_UNICODE_PATH_EXTRA = 0x7075

_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
_DRIVE = re.compile(r"[A-Za-z]:")


@dataclass(frozen=True)
class Limits:
    """Zip-bomb limits, enforced on the bytes actually decompressed (headers can lie)."""

    max_total_bytes: int = 1024 * MiB
    max_file_bytes: int = 512 * MiB
    max_entries: int = 10_000
    max_ratio: int = 100
    ratio_min_bytes: int = 1 * MiB


@dataclass(frozen=True)
class Refused:
    """An entry that was not unpacked, and why (Chinese, for the officer)."""

    entry: str
    reason: str


@dataclass
class IntakeResult:
    """What ``add_archive`` did. Paths are relative to the dossier, with ``/``."""

    dossier: Path
    created: bool = False
    written: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    junk: int = 0
    undecodable: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    stripped: list[str] = field(default_factory=list)
    mapped: list[tuple[str, str]] = field(default_factory=list)
    stopped: str | None = None


@dataclass
class _Entry:
    """One entry that passed the path checks, with its place in the dossier."""

    info: zipfile.ZipInfo
    shown: str
    parts: tuple[str, ...]
    is_dir: bool
    compressed: int  # compressed bytes, at most the room the entry has in the file


class _Unsafe(Exception):
    """An entry path that must not be written; the message is the Chinese reason."""


class LimitExceeded(Exception):
    """A limit was reached while streaming; ``stop`` when the whole archive must stop."""

    def __init__(self, reason: str, stop: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.stop = stop


class _Corrupt(Exception):
    """The entry's data is damaged (CRC, truncated stream); ``detail`` says how, in Chinese."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        crc = "CRC" in str(error)
        self.detail = "校验和不符，数据已损坏" if crc else "数据不完整或已损坏"


# --- names ---------------------------------------------------------------------------


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


# --- paths ---------------------------------------------------------------------------


def split_entry_path(name: str) -> tuple[tuple[str, ...], bool]:
    """Safe relative components of an entry name and whether it names a folder.

    Backslashes count as separators (Windows tools write them). Raises ``_Unsafe`` for
    absolute paths, drive letters, UNC paths and any ``..`` component. A name of only
    ``.`` and ``/`` gives no components (harmless, skipped like junk).
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
    return tuple(parts), path.endswith("/")


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


def _file_kind_refusal(info: zipfile.ZipInfo) -> str | None:
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        return "符号链接（快捷方式），可能指向档案以外的文件，已跳过"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "不是普通文件（设备、管道等），已跳过"
    if info.flag_bits & _ENCRYPTED_FLAG:
        return "文件已加密（设了解压密码），无法解压；请申报人去掉密码后重新打包发送"
    return None


# --- placement -----------------------------------------------------------------------


def _strip_single_top(entries: list[_Entry], notice: Notice, result: IntakeResult) -> list[_Entry]:
    """Remove ``张三/`` around everything, as often as it wraps everything."""
    while entries:
        tops = {entry.parts[0] for entry in entries}
        if len(tops) != 1:
            break
        top = tops.pop()
        wrapped = all(len(e.parts) > 1 or e.is_dir for e in entries)
        if not wrapped or material_for_folder(notice, top):
            break
        result.stripped.append(top)
        entries = [
            _Entry(e.info, e.shown, e.parts[1:], e.is_dir, e.compressed)
            for e in entries
            if len(e.parts) > 1
        ]
    return entries


def _map_to_items(entries: list[_Entry], notice: Notice, result: IntakeResult) -> list[_Entry]:
    folders = {e.parts[0] for e in entries if len(e.parts) > 1 or e.is_dir}
    renames: dict[str, str] = {}
    for top in sorted(folders):
        material = material_for_folder(notice, top)
        if material is not None and material.folder != top:
            renames[top] = material.folder
            result.mapped.append((top, material.folder))
    return [
        _Entry(
            e.info,
            e.shown,
            (renames.get(e.parts[0], e.parts[0]), *e.parts[1:]),
            e.is_dir,
            e.compressed,
        )
        if (len(e.parts) > 1 or e.is_dir)
        else e
        for e in entries
    ]


# --- the command ---------------------------------------------------------------------


def add_archive(
    workspace: Workspace,
    name: str,
    archive: Path,
    *,
    force: bool = False,
    limits: Limits | None = None,
) -> IntakeResult:
    """Unpack ``archive`` into ``dossiers/NAME/``; make the dossier first if needed.

    Raises InputError for a missing, non-zip or corrupt archive (a corrupt entry stops the
    run; files already written are complete) and for one over the entry or size limits
    (nothing written). Entries that are unsafe, encrypted or too big are refused one by
    one and listed in the result.
    """
    limits = limits or Limits()
    name = check_dossier_name(name)
    folder = workspace.dossiers_dir / name
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise UsageError(
            f"{workspace.relative(folder)} 不是普通文件夹（是文件或链接），未做任何改动。",
            "换一个档案名，或先把它改成普通文件夹。",
        )
    with _open_zip(archive) as zf:
        infos = zf.infolist()
        if len(infos) > limits.max_entries:
            raise InputError(
                f"压缩包 {archive.name} 有 {len(infos)} 个条目，超过上限 {limits.max_entries}，"
                "未解压任何文件。",
                "这不像一位申报人的材料；请申报人只打包申报材料后重新发送。",
            )
        result = IntakeResult(dossier=folder)
        entries = _plan(infos, _compressed_bounds(infos, zf.start_dir), limits, result)
        _refuse_if_exceeded_declared(entries, archive, limits)
        result.created = not (folder / APPLICANT_FILE).exists()
        if result.created:
            new_dossier(workspace, name)
        notice = workspace.notice
        entries = _map_to_items(_strip_single_top(entries, notice, result), notice, result)
        _unpack(zf, entries, folder.resolve(), force, limits, result, archive)
    return result


def _open_zip(archive: Path) -> zipfile.ZipFile:
    if not archive.is_file():
        raise InputError(f"找不到压缩包 {archive}。", "检查路径是否写对；文件名有空格时请加引号。")
    try:
        with archive.open("rb") as handle:
            magic = handle.read(8)
        return zipfile.ZipFile(archive)
    except OSError as exc:
        raise InputError(
            f"无法读取压缩包 {archive}：{exc.strerror or exc}。", "检查文件是否被占用或损坏。"
        ) from None
    except (zipfile.BadZipFile, UnicodeDecodeError, NotImplementedError, ValueError, EOFError):
        # zipfile raises these for a damaged central directory or a bad UTF-8 name
        raise InputError(_not_a_zip_message(archive, magic), _NOT_A_ZIP_HINT) from None


_NOT_A_ZIP_HINT = "请申报人重新打包成 zip 发送；也可以先用解压软件解压，再把材料放入档案文件夹。"


def _not_a_zip_message(archive: Path, magic: bytes) -> str:
    if magic.startswith(b"Rar!"):
        return f"{archive.name} 是 RAR 压缩包，zcprep 只能导入 zip。"
    if magic.startswith(b"7z\xbc\xaf"):
        return f"{archive.name} 是 7z 压缩包，zcprep 只能导入 zip。"
    return f"{archive.name} 不是 zip 压缩包，或已损坏（可能没有下载完整）。"


def _compressed_bounds(infos: list[zipfile.ZipInfo], end: int) -> list[int]:
    """Each entry's compressed size, capped by the bytes between its header and the next
    one: a header that claims a large compressed size (to hide a bomb's ratio) or entries
    that overlap (one deflate stream reused by thousands of entries) cannot fake room."""
    offsets = sorted({info.header_offset for info in infos} | {end})
    bounds = []
    for info in infos:
        following = bisect.bisect_right(offsets, info.header_offset)
        room = offsets[following] - info.header_offset if following < len(offsets) else 0
        bounds.append(max(0, min(info.compress_size, room)))
    return bounds


def _plan(
    infos: list[zipfile.ZipInfo], bounds: list[int], limits: Limits, result: IntakeResult
) -> list[_Entry]:
    """Decode, check and sort out every entry before anything is written."""
    entries = []
    for info, compressed in zip(infos, bounds, strict=True):
        shown, clean = decode_entry_name(info)
        try:
            parts, is_dir = split_entry_path(shown)
        except _Unsafe as unsafe:
            result.refused.append(Refused(shown, str(unsafe)))
            continue
        if _is_junk(parts):
            result.junk += 1
            continue
        refusal = _file_kind_refusal(info)
        is_dir = is_dir or stat.S_ISDIR(info.external_attr >> 16)
        if refusal is None and not is_dir:
            refusal = _declared_size_refusal(info, compressed, limits)
        if refusal:
            result.refused.append(Refused(shown, refusal))
            continue
        if not clean:
            result.undecodable.append(shown)
        portable = tuple(portable_part(part) for part in parts)
        if portable != parts:
            result.renamed.append((shown, "/".join(portable)))
        entries.append(_Entry(info, shown, portable, is_dir, compressed))
    return entries


def _declared_size_refusal(info: zipfile.ZipInfo, compressed: int, limits: Limits) -> str | None:
    """Cheap early refusal from the headers; the streaming count is the real guard."""
    if info.file_size > limits.max_file_bytes:
        return f"解压后 {size_text(info.file_size)}，超过单个文件上限 {size_text(limits.max_file_bytes)}"
    if _ratio_too_high(info.file_size, compressed, limits):
        return _ratio_reason(info.file_size, compressed)
    return None


def _refuse_if_exceeded_declared(entries: list[_Entry], archive: Path, limits: Limits) -> None:
    declared = sum(e.info.file_size for e in entries if not e.is_dir)
    if declared > limits.max_total_bytes:
        raise InputError(
            f"压缩包 {archive.name} 解压后共 {size_text(declared)}，超过上限 "
            f"{size_text(limits.max_total_bytes)}，未解压任何文件。",
            "请申报人压缩扫描件（如 300 dpi 黑白或灰度）后重新打包，或分成几个压缩包。",
        )


def _ratio_too_high(size: int, compressed: int, limits: Limits) -> bool:
    return size > limits.ratio_min_bytes and size > limits.max_ratio * max(compressed, 1)


def _ratio_reason(size: int, compressed: int) -> str:
    ratio = size // max(compressed, 1)
    return f"压缩比 {ratio}:1 异常（疑似压缩炸弹），已跳过"


# --- writing -------------------------------------------------------------------------


def _unpack(
    zf: zipfile.ZipFile,
    entries: list[_Entry],
    base: Path,
    force: bool,
    limits: Limits,
    result: IntakeResult,
    archive: Path,
) -> None:
    fresh = {base / APPLICANT_FILE} if result.created else set()
    seen: set[str] = set()
    budget = limits.max_total_bytes
    for index, entry in enumerate(entries):
        relative = "/".join(entry.parts)
        problem = _unsafe_location(base, entry.parts, entry.is_dir)
        if problem:
            result.refused.append(Refused(entry.shown, problem))
            continue
        target = base.joinpath(*entry.parts)
        if entry.is_dir:
            _make_folder(target, relative, entry.shown, result)
            continue
        if relative.casefold() in seen:
            result.refused.append(Refused(entry.shown, "压缩包中有重名文件，只解压了第一个"))
            continue
        seen.add(relative.casefold())
        if target.is_dir() and not target.is_symlink():
            result.refused.append(Refused(entry.shown, f"档案中已有同名文件夹 {relative}"))
            continue
        if (target.exists() or target.is_symlink()) and not force and target not in fresh:
            result.skipped.append(relative)
            continue
        try:
            budget -= _write_entry(zf, entry, target, budget, limits)
        except LimitExceeded as exceeded:
            result.refused.append(Refused(entry.shown, exceeded.reason))
            if exceeded.stop:
                _stop(entries[index + 1 :], exceeded.reason, result)
                return
            continue
        except _Corrupt as corrupt:
            raise InputError(
                f"压缩包 {archive.name} 已损坏：{entry.shown} 无法解压（{corrupt.detail}）；"
                f"其余条目未解压，已完整写入 {len(result.written)} 个文件。",
                "请申报人重新打包发送后再运行 zcprep add。",
            ) from None
        except NotImplementedError:
            result.refused.append(
                Refused(entry.shown, "压缩方式不受支持；请申报人用系统自带的“压缩”功能重新打包")
            )
            continue
        except (OutputError, OSError) as exc:
            reason = exc.message if isinstance(exc, OutputError) else exc.strerror or str(exc)
            result.refused.append(Refused(entry.shown, f"无法写入：{reason}"))
            continue
        result.written.append(relative)


def _stop(rest: list[_Entry], reason: str, result: IntakeResult) -> None:
    result.stopped = reason
    for entry in rest:
        if not entry.is_dir:
            result.refused.append(Refused(entry.shown, "解压总量已达上限，未解压"))


def _make_folder(target: Path, relative: str, shown: str, result: IntakeResult) -> None:
    if target.is_dir():
        return
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        result.refused.append(Refused(shown, f"无法建立文件夹 {relative}：{exc.strerror}"))
        return
    result.folders.append(relative)


def _unsafe_location(base: Path, parts: tuple[str, ...], is_dir: bool) -> str | None:
    """Refuse a target whose existing parents are links or files: the write would land
    elsewhere. ``base`` is resolved, parts hold no ``..``; the last check is belt and braces."""
    current = base
    folders = parts if is_dir else parts[:-1]
    for part in folders:
        current = current / part
        if current.is_symlink():
            return f"档案中的 {current.relative_to(base).as_posix()} 是链接，不会写到链接指向的地方"
        if current.exists() and not current.is_dir():
            return f"档案中已有同名文件 {current.relative_to(base).as_posix()}，无法建立同名文件夹"
    target = base.joinpath(*parts)
    if not target.parent.resolve().is_relative_to(base):
        return "路径指向档案文件夹以外"
    return None


def _write_entry(
    zf: zipfile.ZipFile, entry: _Entry, target: Path, total_left: int, limits: Limits
) -> int:
    """Stream one entry through a temporary file; return the bytes written."""
    try:
        source = zf.open(entry.info)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise _Corrupt(exc) from None
    with source, atomic_output(target) as out:
        return copy_limited(source, out, total_left, entry.compressed, limits)


def copy_limited(
    source: IO[bytes], out: IO[bytes], total_left: int, compressed: int, limits: Limits
) -> int:
    """Copy while counting the bytes really produced; raise ``LimitExceeded`` past the per-file
    limit, a bomb-like ratio to ``compressed``, or what is left of the total (which stops
    the whole archive). The caller's temporary file is then discarded."""
    copied = 0
    for chunk in _chunks(source):
        copied += len(chunk)
        if copied > limits.max_file_bytes:
            raise LimitExceeded(
                f"解压后超过单个文件上限 {size_text(limits.max_file_bytes)}，已跳过"
            )
        if _ratio_too_high(copied, compressed, limits):
            raise LimitExceeded(_ratio_reason(copied, compressed))
        if copied > total_left:
            raise LimitExceeded(
                f"解压总量超过上限 {size_text(limits.max_total_bytes)}，已停止解压", stop=True
            )
        out.write(chunk)
    return copied


def _chunks(source: IO[bytes]) -> Iterator[bytes]:
    while True:
        try:
            chunk = source.read(CHUNK)
        except (zipfile.BadZipFile, EOFError, zlib.error, lzma.LZMAError, ValueError) as exc:
            raise _Corrupt(exc) from None
        except OSError as exc:  # bz2 reports bad data as OSError
            raise _Corrupt(exc) from None
        if not chunk:
            return
        yield chunk
