"""Probing one file: read it once, type it, and hand it to the reader of its kind.

:func:`probe_file` enforces the per-file time limit, in this process (the alarm) or in
the worker (:mod:`zcprep.probe.process`), and turns a timeout, a crashed worker or a
file too big to load into a FileProbe that still has the file's size, type and
fingerprint (duplicate detection works on those).
"""

from __future__ import annotations

import errno
import hashlib
import stat
from pathlib import Path

from zcprep.probe.alarm import ProbeTimeout
from zcprep.probe.image import _probe_jpeg, _probe_png
from zcprep.probe.pdf import _probe_pdf
from zcprep.probe.process import Isolation, WorkerCrashed, WorkerUnavailable, run_bounded
from zcprep.probe.process import isolation as _isolation  # probe_file's parameter shadows it
from zcprep.probe.result import FileProbe, _replace
from zcprep.probe.sniff import fingerprint, kind_from_name, sniff, sniff_file

# Files above this size are typed and fingerprinted from their ends only, never loaded:
# no applicant's scan is that big, a video or disk image dropped in by mistake may be.
MAX_PROBE_BYTES = 256 * 1024 * 1024
# Seconds one file may take before probing stops with status "timeout".
FILE_TIME_LIMIT = 20.0
NOT_REGULAR = "不是普通文件（可能是管道、设备或文件夹）"


def probe_file(
    path: Path, time_limit: float | None = FILE_TIME_LIMIT, *, isolation: Isolation | None = None
) -> FileProbe:
    """Probe one file; never raises for bad content (an unreadable disk file raises OSError,
    and so does anything but a regular file: reading a pipe would wait forever).

    ``isolation`` (default: the ``ZCPREP_PROBE_ISOLATION`` environment variable, else
    "auto") chooses how ``time_limit`` is enforced; see :func:`isolation`.
    """
    if time_limit is not None and time_limit > 0 and _isolation(isolation) == "process":
        try:
            found = run_bounded(_probe_task, (str(path.absolute()), time_limit), time_limit)
        except ProbeTimeout:
            return _timed_out(path, time_limit)
        except WorkerCrashed:
            return _replace(
                _ends_only(path),
                status="unreadable",
                detail="读取时检查程序意外退出，文件结构可能严重异常",
            )
        except WorkerUnavailable:
            pass  # no processes here: the page-by-page deadline only
        else:
            return _replace(found, path=path)
    return _probe_here(path, time_limit, alarm=True)


def _probe_task(path: str, time_limit: float) -> FileProbe:
    """What the worker runs for :func:`probe_file`: the terminating parent is the hard
    bound, so no alarm here (the same path Windows takes)."""
    return _probe_here(Path(path), time_limit, alarm=False)


def _probe_here(path: Path, time_limit: float | None, *, alarm: bool) -> FileProbe:
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, NOT_REGULAR, str(path))
    size = info.st_size
    if size > MAX_PROBE_BYTES:
        return _replace(
            _ends_only(path),
            status="skipped",
            detail=f"文件超过 {MAX_PROBE_BYTES // 1024 // 1024} MB，未逐页检查",
        )
    data = path.read_bytes()
    kind = sniff(data)
    base = FileProbe(
        path=path,
        size=len(data),
        fingerprint=fingerprint(data),
        kind=kind,
        extension_kind=kind_from_name(path.name),
    )
    if kind == "pdf":
        return _probe_pdf(base, data, time_limit, alarm)
    if kind == "jpeg":
        return _probe_jpeg(base, data)
    if kind == "png":
        return _probe_png(base, data)
    return base


def _ends_only(path: Path) -> FileProbe:
    """Type and fingerprint of a file from its ends (for files up to MAX_PROBE_BYTES the
    same values as :func:`sniff` and :func:`fingerprint` of the whole file)."""
    size = path.stat().st_size
    edge = 65536
    with path.open("rb") as handle:
        if size <= 2 * edge:
            sample = handle.read()
            head = sample[:edge]
        else:
            head = handle.read(edge)
            handle.seek(size - edge)
            sample = head + handle.read(edge)
    # A huge zip is typed from its head alone (its directory is at the far end).
    kind = sniff_file(path) if size <= MAX_PROBE_BYTES else sniff(head)
    digest = f"{size}:{hashlib.blake2b(sample, digest_size=16).hexdigest()}" if sample else None
    return FileProbe(
        path=path,
        size=size,
        fingerprint=digest,
        kind=kind,
        extension_kind=kind_from_name(path.name),
    )


def _timed_out(path: Path, time_limit: float) -> FileProbe:
    """The worker was terminated: nothing of what it read came back."""
    return _replace(_ends_only(path), status="timeout", detail=f"超过 {time_limit:g} 秒仍未读完")
