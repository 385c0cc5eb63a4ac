"""Reading the source files, read-only, each within the per-file time limit.

A source PDF gets a first look at its head and tail (empty, not a PDF, cut short), then
is opened by pypdf; whatever pypdf raises on a malformed file becomes an InputError
naming the file. ``_time_bound`` applies the probe's per-file time limit, so that a
pathological file is an error, not a hang. A dry run only counts pages, here.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from zcprep.bind.image_data import load_image
from zcprep.bind.plan import _nothing_to_bind
from zcprep.bind.volume import SourceFile, _Item
from zcprep.errors import InputError, ZcprepError
from zcprep.probe import pdf_error_text

if TYPE_CHECKING:
    from pypdf import PdfReader

    from zcprep.model.workspace import Workspace


_CONVERT_HINT = "转换为 PDF（或 JPG、PNG）后放回原处，再运行 zcprep bind。"
_PDF_HINT = "用原软件重新导出或重新扫描该文件，放回原处后再运行 zcprep bind。"


def _pdf_errors() -> tuple[type[BaseException], ...]:
    """What pypdf raises on malformed files (its own errors and many plain ones)."""
    from pypdf.errors import PyPdfError

    return (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        AssertionError,
        RecursionError,
        zlib.error,
    )


def _broken(file: SourceFile, why: str, page: int | None = None) -> InputError:
    where = f" 第 {page} 页" if page else ""
    return InputError(f"{file.shown}：无法读取 PDF{where}，{why}。", _PDF_HINT)


def _unbindable(file: SourceFile) -> InputError:
    return InputError(f"{file.shown}：{file.problem}，无法装订。", _CONVERT_HINT)


def open_pdf(file: SourceFile, handles: contextlib.ExitStack | None = None) -> PdfReader:
    """A reader for a bound PDF, or a clear InputError naming the file.

    With ``handles`` the file stays open (registered there) and is read on demand;
    without, it is read whole and closed at once.
    """
    from pypdf import PdfReader

    try:
        size = file.path.stat().st_size
        with file.path.open("rb") as handle:
            head = handle.read(1024)
            handle.seek(max(0, size - 2048))
            tail = handle.read()
    except OSError as exc:
        raise _broken(file, exc.strerror or str(exc)) from None
    if size == 0:
        raise _broken(file, "文件是空的")
    if b"%PDF" not in head:
        raise _broken(file, "文件内容不是 PDF")
    if b"%%EOF" not in tail:
        raise _broken(file, "文件不完整，可能下载或复制时中断")
    try:
        if handles is None:
            reader = PdfReader(file.path, strict=False)
        else:
            reader = PdfReader(handles.enter_context(file.path.open("rb")), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(
                f"{file.shown}：PDF 设有打开密码，无法装订。",
                "用原软件去掉密码后另存，放回原处再运行 zcprep bind。",
            )
        if len(reader.pages) == 0:
            raise _broken(file, "没有页面")
    except ZcprepError:
        raise
    except _pdf_errors() as exc:
        raise _broken(file, pdf_error_text(exc)) from None
    return reader


def _page_count(file: SourceFile) -> int:
    if file.problem is not None:
        raise _unbindable(file)
    with _time_bound(file):
        if file.kind == "image":
            load_image(file.path, file.shown)
            return 1
        return len(open_pdf(file).pages)


def _counted(
    workspace: Workspace, dossier: Path, items: list[_Item], skipped: list[str] | None
) -> tuple[list[_Item], list[int]]:
    """Page counts per item for a dry run, leaving out unreadable files when skipping."""
    kept: list[_Item] = []
    counts: list[int] = []
    for material, files in items:
        readable, count = [], 0
        for file in files:
            try:
                count += _page_count(file)
            except InputError as exc:
                _skip_or_raise(exc, skipped)
                continue
            readable.append(file)
        if readable:
            kept.append((material, readable))
            counts.append(count)
    if not kept:
        raise _nothing_to_bind(workspace, dossier)
    return kept, counts


def _skip_or_raise(exc: InputError, skipped: list[str] | None) -> None:
    if skipped is None:
        raise exc
    skipped.append(exc.message)


@contextlib.contextmanager
def _time_bound(file: SourceFile) -> Iterator[None]:
    """The per-file time limit ``check`` uses: a pathological file is an error, not a hang.

    Where an alarm can interrupt the reading (Unix, main thread) the block is bounded
    as it runs. Elsewhere (Windows, a thread: zcprep.probe.isolation is "process") the
    parsed pages cannot be handed over between processes, so the same reading is first
    done in the probe's worker process, bounded there and thrown away; bind reads the
    file itself only when that finished in time. That costs a second read of each file,
    on those systems only.
    """
    from zcprep.probe import (
        FILE_TIME_LIMIT,
        ProbeTimeout,
        WorkerCrashed,
        WorkerUnavailable,
        isolation,
        run_bounded,
        time_bound,
    )

    try:
        if file.problem is None and isolation() == "process":
            try:
                run_bounded(_read_through, (str(file.path.absolute()), file.kind), FILE_TIME_LIMIT)
            except WorkerUnavailable:
                pass  # no processes here (a sandbox): read unbounded, as before
            except WorkerCrashed:
                raise InputError(
                    f"{file.shown}：读取时程序意外退出，文件结构异常。",
                    "用阅读器“打印为 PDF”另存一份，或重新扫描，放回原处后再运行 zcprep bind。",
                ) from None
        with time_bound(FILE_TIME_LIMIT):
            yield
    except ProbeTimeout:
        raise InputError(
            f"{file.shown}：读取超过 {FILE_TIME_LIMIT:g} 秒仍未完成，文件结构异常。",
            "用阅读器“打印为 PDF”另存一份，或重新扫描，放回原处后再运行 zcprep bind。",
        ) from None


def _read_through(path: str, kind: str) -> None:
    """Bind's reading of one file, into a volume that is thrown away (run in the probe
    worker by :func:`_time_bound`). A file that fails here fails again in bind's own
    reading, which says why; only the time it took matters."""
    from pypdf import PdfWriter

    from zcprep.probe import quiet_pypdf

    file = SourceFile(Path(path), path, kind)
    with quiet_pypdf(), contextlib.suppress(Exception):
        if kind == "image":
            load_image(file.path)
            return
        writer = PdfWriter()
        for page in open_pdf(file).pages:
            writer.add_page(page)
