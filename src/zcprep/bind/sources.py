"""Reading the source files, read-only, each with check's verdict and within the per-file
time limit.

Every file is first judged by check's own reading of it (zcprep.probe, cached per file
content): a file check calls broken or password-protected is never bound — it stops the
bind, or with --force is left out and listed. A PDF is then opened with pikepdf, which
reads it as qpdf repairs it (the original is never changed). ``_time_bound`` applies the
probe's per-file time limit, so that a pathological file is an error, not a hang.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zcprep.bind.plan import _nothing_to_bind
from zcprep.bind.volume import SourceFile, _Item
from zcprep.errors import InputError
from zcprep.oserrors import os_problem
from zcprep.probe import pdf_error_text

if TYPE_CHECKING:
    from zcprep.model.workspace import Workspace
    from zcprep.probe import FileProbe


_CONVERT_HINT = "转换为 PDF（或 JPG、PNG）后放回原处，再运行 zcprep bind。"
_PDF_HINT = "用原软件重新导出或重新扫描该文件，放回原处后再运行 zcprep bind。"
_PASSWORD_HINT = "用原软件输入密码打开后取消加密另存，放回原处再运行 zcprep bind。"
_SLOW_HINT = "用阅读器“打印为 PDF”另存一份，或重新扫描，放回原处后再运行 zcprep bind。"


def _broken(file: SourceFile, why: str, page: int | None = None) -> InputError:
    what = "图片" if file.kind == "image" else "PDF"
    where = f" 第 {page} 页" if page else ""
    return InputError(f"{file.shown}：无法读取 {what}{where}，{why}。", _PDF_HINT)


def _cannot_open(file: SourceFile, exc: OSError) -> InputError:
    """The file itself could not be opened (permission, a lock, a path too long)."""
    what = "图片" if file.kind == "image" else "PDF"
    problem = os_problem(exc, file.path)
    return InputError(f"{file.shown}：无法读取 {what}，{problem.reason}。", problem.remedy)


def _unbindable(file: SourceFile) -> InputError:
    return InputError(f"{file.shown}：{file.problem}，无法装订。", _CONVERT_HINT)


def verdict(file: SourceFile) -> FileProbe | None:
    """check's reading of the file (from the cache when the file is unchanged).

    Raises the InputError check's finding stands for when check calls the file broken
    or password-protected; None when the file could not be probed at all (bind's own
    reading then decides, and says why).
    """
    from zcprep.probe.cached import probe_file_cached

    if file.problem is not None:
        raise _unbindable(file)
    try:
        probe = probe_file_cached(file.path)
    except OSError as exc:
        raise _cannot_open(file, exc) from None
    if probe.status == "encrypted":
        raise InputError(
            f"{file.shown}：PDF 设有打开密码（{probe.detail}），无法装订。", _PASSWORD_HINT
        )
    if probe.status == "unreadable":
        raise _broken(file, probe.detail)
    if probe.status == "timeout":
        raise InputError(f"{file.shown}：读取{probe.detail}，文件结构异常，无法装订。", _SLOW_HINT)
    return probe


def open_pdf(file: SourceFile, handles: contextlib.ExitStack) -> Any:
    """The PDF opened with pikepdf (kept open by ``handles`` until the volume is
    written), or a clear InputError naming the file."""
    import pikepdf

    try:
        pdf = pikepdf.open(_openable(file.path, handles))
    except pikepdf.PasswordError:
        raise InputError(f"{file.shown}：PDF 设有打开密码，无法装订。", _PASSWORD_HINT) from None
    except OSError as exc:
        raise _cannot_open(file, exc) from None
    except Exception as exc:  # noqa: BLE001 - qpdf's failures become one Chinese message
        raise _broken(file, pdf_error_text(exc)) from None
    handles.enter_context(pdf)
    if len(pdf.pages) == 0:
        raise _broken(file, "没有页面")
    return pdf


def _openable(path: Path, handles: contextlib.ExitStack) -> Any:
    """The path for qpdf to open itself, or an open file where the name is not valid
    Unicode (GBK bytes from a Windows zip), which qpdf cannot be given as a path."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return handles.enter_context(path.open("rb"))
    return path


def _page_count(file: SourceFile) -> int:
    probe = verdict(file)
    if file.kind == "image":
        return 1
    if probe is not None and probe.page_count:
        return probe.page_count
    with contextlib.ExitStack() as handles:
        return len(open_pdf(file, handles).pages)


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

    check has read every file within that limit already (its verdict); a file it could
    not finish (status "timeout") is bound here under the same bound, as the alarm allows
    (Unix, main thread). Elsewhere the reading is first done in the probe's worker
    process, bounded there and thrown away; bind reads the file itself only when that
    finished in time.
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
                    f"{file.shown}：读取时程序意外退出，文件结构异常。", _SLOW_HINT
                ) from None
        with time_bound(FILE_TIME_LIMIT):
            yield
    except ProbeTimeout:
        raise InputError(
            f"{file.shown}：读取超过 {FILE_TIME_LIMIT:g} 秒仍未读完，文件结构异常，无法装订。",
            _SLOW_HINT,
        ) from None


def _read_through(path: str, kind: str) -> None:
    """Bind's reading of one file, thrown away (run in the probe worker by
    :func:`_time_bound`). A file that fails here fails again in bind's own reading,
    which says why; only the time it took matters."""
    from zcprep.probe.image_data import load_image

    with contextlib.suppress(Exception):
        if kind == "image":
            load_image(Path(path))
            return
        import pikepdf

        with pikepdf.open(path) as pdf, pikepdf.new() as out:
            out.pages.extend(pdf.pages)
