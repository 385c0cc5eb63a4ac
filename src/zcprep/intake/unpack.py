"""Writing the planned entries into the dossier, counting the bytes really produced.

Each file is streamed to a temporary file beside its target and renamed into place
(zcprep.atomic), so a refused or damaged entry, Ctrl-C or closing the terminal leaves
nothing half-written; what a run killed outright left is removed by the next one. The limits
are enforced on the decompressed bytes, since headers can lie: past the per-file limit or
a bomb-like ratio the entry is refused, past the total the whole archive stops. Targets
under a link or a file, duplicates, and existing files without ``force`` are refused or
skipped one by one.
"""

from __future__ import annotations

import lzma
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from zcprep.atomic import atomic_output, is_link, sweep_stale_parts_below
from zcprep.errors import InputError, OutputError
from zcprep.intake.plan import (
    IntakeResult,
    Limits,
    Refused,
    _Entry,
    _ratio_reason,
    _ratio_too_high,
)
from zcprep.model.workspace import APPLICANT_FILE
from zcprep.oserrors import os_problem
from zcprep.units import size_text

CHUNK = 256 * 1024


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


def _unpack(
    zf: zipfile.ZipFile,
    entries: list[_Entry],
    base: Path,
    force: bool,
    limits: Limits,
    result: IntakeResult,
    archive: Path,
) -> None:
    sweep_stale_parts_below(base)  # what an add killed outright (kill -9) left half-written
    fresh = {base / APPLICANT_FILE} if result.created else set()
    seen: set[str] = set()
    budget = limits.max_total_bytes
    for index, entry in enumerate(entries):
        relative = "/".join(entry.parts)
        problem = _location_problem(base, entry)
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
        if target.is_dir() and not is_link(target):
            result.refused.append(Refused(entry.shown, f"档案中已有同名文件夹 {relative}"))
            continue
        if (target.exists() or is_link(target)) and not force and target not in fresh:
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
            reason = exc.message if isinstance(exc, OutputError) else _os_reason(exc, target)
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
        result.refused.append(
            Refused(shown, f"无法建立文件夹 {relative}：{_os_reason(exc, target)}")
        )
        return
    result.folders.append(relative)


def _location_problem(base: Path, entry: _Entry) -> str | None:
    """``_unsafe_location``, with a path the system cannot even look at (longer than the
    4,096 bytes Linux allows, 1,024 on macOS) refused for this entry alone instead of
    stopping the archive; the target itself is looked at too, as the loop does next."""
    target = base.joinpath(*entry.parts)
    try:
        problem = _unsafe_location(base, entry.parts, entry.is_dir)
        target.lstat()
    except FileNotFoundError as exc:  # new, as it should be; or past Windows' limit
        if os_problem(exc, target).kind == "too-long":
            return _TOO_LONG
        return problem
    except OSError as exc:
        if os_problem(exc, target).kind == "too-long":
            return _TOO_LONG
        return f"无法使用这个路径（{_os_reason(exc, target)}），已跳过"
    return problem


_TOO_LONG = (
    "路径太长（超过 Windows 的 260 字符限制或系统允许的长度），已跳过；"
    "请申报人缩短文件夹名或文件名后重新打包，或把工作区移到路径较短的位置（如 D:\\职称）"
)


def _os_reason(exc: OSError, path: Path) -> str:
    """Why the system refused, in zcprep's words; with what to do when it is the path."""
    problem = os_problem(exc, path)
    if problem.kind == "too-long":
        return f"{problem.reason}；{problem.remedy.rstrip('。')}"
    return problem.reason


def _unsafe_location(base: Path, parts: tuple[str, ...], is_dir: bool) -> str | None:
    """Refuse a target whose existing parents are links or files: the write would land
    elsewhere. ``base`` is resolved, parts hold no ``..``; the last check is belt and braces."""
    current = base
    folders = parts if is_dir else parts[:-1]
    for part in folders:
        current = current / part
        if is_link(current):
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
