"""Every entry of the archive decided before a single byte is written.

The zip is opened (a RAR, a 7z or a damaged file is named as such), each entry's name
decoded and checked (intake/entries.py), sizes and compression ratios judged from the
headers (with compressed sizes capped by the room each entry really has in the file, so
a header cannot fake it), and the zip's folders placed in the dossier: a single wrapping
folder removed, folders that stand for checklist items renamed to the item's folder.
``IntakeResult`` is what the officer is told.
"""

from __future__ import annotations

import bisect
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from zcprep.errors import InputError
from zcprep.intake.entries import (
    _file_kind_refusal,
    _is_junk,
    _Unsafe,
    decode_entry_name,
    portable_part,
    split_entry_path,
)
from zcprep.model.collect import material_for_folder
from zcprep.model.notice import Notice
from zcprep.units import size_text

MiB = 1 << 20


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


def _open_zip(archive: Path) -> zipfile.ZipFile:
    if not archive.is_file():
        raise InputError(f"找不到压缩包 {archive}。", "检查路径是否写对；文件名有空格时请加引号。")
    try:
        with archive.open("rb") as handle:
            magic = handle.read(8)
        return zipfile.ZipFile(archive)
    except OSError as exc:
        from zcprep.oserrors import os_problem

        problem = os_problem(exc, archive)
        raise InputError(f"无法读取压缩包 {archive}：{problem.reason}。", problem.remedy) from None
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
