"""zcprep bind: one volume per applicant — 目录 first, every bound page numbered.

The bound items are the notice's ``bound`` materials in checklist order; each item's
files are the ones ``check`` assigns to it (zcprep.model.collect: its folders, then the files
in the dossier its ``patterns`` match), in natural order (1, 2, 10), each bound by what
its content is, whatever its extension (.jfif, .JPG, a PNG named .pdf). PDF pages are
kept as they are (A3 and landscape too); JPEG/PNG files become pages without
re-encoding (see images.py).

One reportlab document holds the 目录 and, for every bound page, a page of its own
visible size carrying only the number; sharing one document means one embedded font
for the whole volume. Each number page's content is then appended to its target as
``q <original content> Q q <move to the CropBox origin> <number> Q``, after any /Rotate
has been turned into the content (so the number is upright). This is what pypdf's
``transfer_rotation_to_content`` + ``merge_page`` + ``compress_content_streams`` do,
without decoding, parsing and re-compressing every original content stream: the
original bytes are kept as they are, which is both faster (about 1.5× qpdf on a
311-page scan, see bench/bind_bench.py) and smaller (+0.4 % over the inputs). Identical
objects are merged before writing.

A dossier with ``check`` errors is refused, with the list, unless ``force``. Nothing is
written inside dossiers/; the volume and its JSON sidecar go to out/NAME/ atomically.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from zcprep import __version__
from zcprep.atomic import write_text, write_with
from zcprep.bind.images import add_image_page, load_image
from zcprep.bind.toc import TocHeading, TocPlan, draw_toc, plan_toc, rows_for
from zcprep.errors import (
    EXIT_FOUND_ERRORS,
    EXIT_OK,
    InputError,
    InternalError,
    UsageError,
    ZcprepError,
)
from zcprep.model.applicant import load_applicant
from zcprep.model.collect import CollectedFile, collect_dossier
from zcprep.model.notice import Bind, Material, Notice
from zcprep.privacy import printable
from zcprep.probe import KIND_LABELS, kind_from_name, pdf_error_text

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader, PdfWriter

    from zcprep.fonts import FontChoice
    from zcprep.model.workspace import Workspace
    from zcprep.report import Finding

MM = 72 / 25.4
NUMBER_BASELINE = 10 * MM  # from the bottom (or top) edge of the visible page
NUMBER_SIDE = 20 * MM  # from the side edge, for outer/right positions
BACKING_PAD = 2.0
VOLUME_SUFFIX = "-申报材料"


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class SourceFile:
    path: Path
    shown: str  # relative to the workspace, for messages and the sidecar
    kind: str  # "pdf" or "image", from the content; "" with a problem
    problem: str | None = None  # why it cannot be bound (it is left out or stops bind)


@dataclass(frozen=True)
class BoundItem:
    """One row of the 目录: the item, its stamped page range and its files."""

    number: int
    id: str
    name: str
    first: int
    last: int
    pdf_first: int  # 1-based position in the PDF (differs when the 目录 is unnumbered)
    files: tuple[str, ...]

    @property
    def pages(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "id": self.id,
            "name": self.name,
            "first_page": self.first,
            "last_page": self.last,
            "pages": self.last - self.first + 1,
            "pdf_first_page": self.pdf_first,
            "pdf_last_page": self.pdf_first + self.last - self.first,
            "files": list(self.files),
        }


@dataclass
class Volume:
    """A bound (or, with ``dry_run``, planned) volume."""

    dossier: str
    applicant: str
    level: str
    toc_pages: int
    toc_numbered: bool
    items: list[BoundItem]
    pdf: Path | None = None
    sidecar: Path | None = None
    input_bytes: int = 0
    output_bytes: int = 0
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files left out, each with why (--force)

    @property
    def bound_pages(self) -> int:
        return sum(item.last - item.first + 1 for item in self.items)

    @property
    def total_pages(self) -> int:
        return self.toc_pages + self.bound_pages

    def to_dict(self, workspace: Workspace) -> dict[str, Any]:
        return {
            "tool": "zcprep",
            "version": __version__,
            "applicant": self.applicant,
            "level": self.level,
            "dossier": self.dossier,
            "pdf": workspace.relative(self.pdf) if self.pdf else None,
            "total_pages": self.total_pages,
            "toc_pages": self.toc_pages,
            "toc_numbered": self.toc_numbered,
            "bound_pages": self.bound_pages,
            "items": [item.to_dict() for item in self.items],
            "warnings": self.warnings,
            "skipped": self.skipped,
        }


@dataclass(frozen=True)
class Refusal:
    dossier: str
    errors: list[Finding]


@dataclass(frozen=True)
class Failure:
    dossier: str
    error: ZcprepError


@dataclass
class BindResult:
    volumes: list[Volume] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.failed:
            return max(f.error.exit_code for f in self.failed)
        incomplete = any(volume.skipped for volume in self.volumes)
        return EXIT_FOUND_ERRORS if self.refused or incomplete else EXIT_OK


# --------------------------------------------------------------------------- entry point


def bind_dossiers(
    workspace: Workspace,
    names: Sequence[str] | None = None,
    *,
    force: bool = False,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> BindResult:
    """Bind every named dossier (all when ``names`` is empty); never raises per dossier.

    A dossier with check errors is refused unless ``force``. Without ``force`` a file
    that cannot be read fails its dossier (exit 3, naming the file); with ``force`` the
    officer asked for a volume despite errors, so such a file is left out and listed in
    ``Volume.skipped`` (exit 1: the volume is incomplete). ``dry_run`` plans the 目录 only.
    """
    folders = workspace.dossier_paths(list(names) if names else None)
    if not folders:
        raise UsageError(
            f"{workspace.relative(workspace.dossiers_dir)} 中还没有档案，没有可装订的材料。",
            "先用 zcprep new 姓名 新建档案并放入材料。",
        )
    result = BindResult()
    font = _volume_font(workspace, result.warnings)
    errors = {} if force else check_errors(workspace, folders)
    for folder in folders:
        found = errors.get(folder.name, [])
        if found:
            result.refused.append(Refusal(folder.name, found))
            continue
        if progress is not None:
            progress(folder.name)
        try:
            result.volumes.append(
                bind_dossier(workspace, folder, font, dry_run=dry_run, skip_unreadable=force)
            )
        except ZcprepError as exc:
            result.failed.append(Failure(folder.name, exc))
    return result


def check_errors(workspace: Workspace, folders: Sequence[Path]) -> dict[str, list[Finding]]:
    """The ``check`` errors of each dossier, by folder name (warnings do not refuse)."""
    from zcprep.check import run_check

    report = run_check(workspace, [folder.name for folder in folders])
    return {Path(d.path).name: list(d.errors) for d in report.dossiers if d.errors}


@dataclass(frozen=True)
class _Font:
    choice: FontChoice
    name: str


def _volume_font(workspace: Workspace, warnings: list[str]) -> _Font:
    from zcprep.fonts import find_font, register_font

    configured = workspace.notice.fonts
    choice = find_font(
        configured.path,
        configured.subfont_index if configured.path else None,
        base_dir=workspace.root,
    )
    if choice.warning:
        warnings.append(choice.warning)
    return _Font(choice, register_font(choice))


# --------------------------------------------------------------------------- one dossier


def bind_dossier(
    workspace: Workspace,
    folder: Path,
    font: _Font,
    *,
    dry_run: bool = False,
    skip_unreadable: bool = False,
) -> Volume:
    """Bind one dossier (no check here: ``bind_dossiers`` refuses before calling this).

    A file that cannot be read (or takes longer than the per-file time limit) raises
    InputError naming it, or with ``skip_unreadable`` is left out and listed.
    """
    notice = workspace.notice
    applicant, level = _applicant_and_level(notice, folder)
    warnings: list[str] = []
    items = collect_items(workspace, folder, warnings)
    heading = TocHeading(
        title=toc_title(notice),
        applicant=applicant,
        level=level,
        unit=notice.unit.name,
    )
    warnings += _missing_glyphs(font, heading, items)
    settings = notice.bind
    skipped: list[str] | None = [] if skip_unreadable else None
    if dry_run:
        items, counts = _counted(workspace, folder, items, skipped)
        toc = _plan(heading, items, counts, font, settings)
        planned = _volume(folder, heading, settings, toc, items, counts, warnings)
        planned.skipped = skipped or []
        return planned
    target = workspace.out_dir / folder.name / f"{folder.name}{VOLUME_SUFFIX}.pdf"
    with contextlib.ExitStack() as handles:
        writer, items, counts, boxes, input_bytes = _assemble(
            workspace, folder, items, handles, warnings, skipped
        )
        toc = _plan(heading, items, counts, font, settings, count=settings.toc_numbered)
        overlay, toc_pages = _overlay(heading, toc, boxes, font, settings)
        if toc is not None:
            toc = dataclasses.replace(toc, pages=toc_pages)
        volume = _volume(folder, heading, settings, toc, items, counts, warnings)
        volume.skipped = skipped or []
        _finish(writer, overlay, volume, boxes)
        write_with(target, lambda handle: _write(writer, handle))
    volume.pdf = target
    volume.input_bytes = input_bytes
    volume.output_bytes = target.stat().st_size
    volume.sidecar = target.with_suffix(".json")
    sidecar = json.dumps(volume.to_dict(workspace), ensure_ascii=False, indent=2)
    write_text(volume.sidecar, printable(sidecar) + "\n")  # file names may not be UTF-8
    return volume


def _write(writer: PdfWriter, handle: BinaryIO) -> None:
    writer.write(handle)


def toc_title(notice: Notice) -> str:
    """e.g. 网络安全工程专业技术资格评审申报材料目录."""
    return f"{notice.notice.specialty}专业技术资格{notice.notice.kind}申报材料目录"


def _applicant_and_level(notice: Notice, folder: Path) -> tuple[str, str]:
    applicant = load_applicant(folder)
    written = applicant.text("level")
    level = notice.level(written) if written else None
    if level is not None:
        return applicant.name, f"{level.name}（{level.qualification}）"
    return applicant.name, written or "（未填写）"


def _missing_glyphs(font: _Font, heading: TocHeading, items: list[_Item]) -> list[str]:
    from zcprep.fonts import missing_characters

    text = heading.title + heading.applicant + heading.level + heading.unit
    text += "".join(material.name for material, _files in items)
    missing = missing_characters(font.choice, text)
    if not missing:
        return []
    return [
        f"目录中的字“{''.join(missing)}”在字体 {font.choice.source} 中没有，会显示为空框；"
        "请在 zcprep.toml 的 [fonts] 中换用含这些字的 TrueType 中文字体。"
    ]


def _plan(
    heading: TocHeading,
    items: list[_Item],
    counts: list[int],
    font: _Font,
    settings: Bind,
    *,
    count: bool = True,
) -> TocPlan | None:
    """The 目录's rows, and with ``count`` its page count from a first layout.

    Unnumbered, the ranges start at 1 whatever the 目录's length: the volume learns the
    page count from drawing it once (``pages`` stays 0 until then).
    """
    if not settings.toc:
        return None
    names = [material.name for material, _files in items]
    if not count and not settings.toc_numbered:
        return TocPlan(pages=0, rows=rows_for(names, counts, 1), first_number=1)
    return plan_toc(heading, names, counts, font.name, numbered=settings.toc_numbered)


def _volume(
    folder: Path,
    heading: TocHeading,
    settings: Bind,
    toc: TocPlan | None,
    items: list[_Item],
    counts: list[int],
    warnings: list[str],
) -> Volume:
    toc_pages = toc.pages if toc else 0
    numbered_toc = toc is not None and settings.toc_numbered
    number = toc_pages + 1 if numbered_toc else 1
    position = toc_pages + 1
    bound = []
    for index, ((material, files), count) in enumerate(zip(items, counts, strict=True), 1):
        bound.append(
            BoundItem(
                number=index,
                id=material.id,
                name=material.name,
                first=number,
                last=number + count - 1,
                pdf_first=position,
                files=tuple(f.shown for f in files),
            )
        )
        number += count
        position += count
    if toc is not None and [(r.first, r.last) for r in toc.rows] != [
        (b.first, b.last) for b in bound
    ]:
        raise InternalError("目录页码与装订页码不一致。")
    return Volume(
        dossier=folder.name,
        applicant=heading.applicant,
        level=heading.level,
        toc_pages=toc_pages,
        toc_numbered=numbered_toc,
        items=bound,
        warnings=warnings,
    )


# --------------------------------------------------------------------------- files

_Item = tuple[Material, list[SourceFile]]
_BINDABLE: dict[str, str] = {"pdf": "pdf", "jpeg": "image", "png": "image"}
_CONVERT_HINT = "转换为 PDF（或 JPG、PNG）后放回原处，再运行 zcprep bind。"


def collect_items(workspace: Workspace, dossier: Path, warnings: list[str]) -> list[_Item]:
    """Bound items that have files, each with its files in binding order.

    The files are ``check``'s (zcprep.model.collect), typed by content. A file that is, by
    name or by content, a PDF, JPG or PNG is bound by what its content is; when its
    content is none of them it is carried with its ``problem``, which stops the bind
    (or, with --force, leaves it out and lists it). Anything else (a note in .txt, a
    HEIC photo, a link out of the dossier, a pipe) is not a scan: it is left out with
    a warning, and ``check`` reports it as an error.
    """
    items: list[_Item] = []
    found = collect_dossier(workspace.notice, dossier)
    for material in workspace.notice.bound_materials:
        files: list[SourceFile] = []
        for entry in found.items[material.id]:
            shown = workspace.relative(entry.path)
            named = kind_from_name(entry.path.name)
            if entry.link_outside or not entry.regular:
                why = "指向档案文件夹以外的链接" if entry.link_outside else entry.read_error
                warnings.append(f"{shown}：{why}，未装订；请把真正的文件放入材料文件夹。")
            elif entry.kind in _BINDABLE:
                kind = _BINDABLE[entry.kind]
                if _BINDABLE.get(named or "") != kind:
                    label = "PDF" if kind == "pdf" else "图片"
                    warnings.append(f"{shown}：扩展名与内容不符，实际是{label}，已按实际内容装订。")
                files.append(SourceFile(entry.path, shown, kind))
            elif named in _BINDABLE or entry.read_error is not None:
                files.append(SourceFile(entry.path, shown, "", _problem(entry)))
            else:
                warnings.append(f"{shown}：不是 PDF、JPG 或 PNG 文件，未装订。")
        if files:
            items.append((material, files))
    if not items:
        raise _nothing_to_bind(workspace, dossier)
    return items


def _problem(entry: CollectedFile) -> str:
    """Why a file that should be a scan cannot be bound (Chinese, for InputError)."""
    if entry.read_error is not None:
        return f"无法读取（{entry.read_error}）"
    if entry.kind == "empty":
        return "文件是空的（0 字节）"
    return f"内容是{KIND_LABELS[entry.kind or 'unknown']}，不是 PDF、JPG 或 PNG"


def _nothing_to_bind(workspace: Workspace, dossier: Path) -> InputError:
    return InputError(
        f"{workspace.relative(dossier)} 中没有可以装订的材料文件。",
        "把扫描件放进各材料文件夹（如 "
        + "、".join(m.folder for m in workspace.notice.bound_materials[:2])
        + "）后再运行 zcprep bind。",
    )


# --------------------------------------------------------------------------- reading


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


# --------------------------------------------------------------------------- assembling


@dataclass(frozen=True)
class _Box:
    """The visible part of a bound page (CropBox within MediaBox), after any rotation."""

    left: float
    bottom: float
    width: float
    height: float


def _visible_box(page: PageObject) -> _Box:
    media, crop = page.mediabox, page.cropbox
    left = max(float(media.left), float(crop.left))
    bottom = max(float(media.bottom), float(crop.bottom))
    right = min(float(media.right), float(crop.right))
    top = min(float(media.top), float(crop.top))
    if right - left < 1 or top - bottom < 1:  # a nonsense CropBox: fall back to the media
        left, bottom = float(media.left), float(media.bottom)
        right, top = float(media.right), float(media.top)
    return _Box(left, bottom, right - left, top - bottom)


def _assemble(
    workspace: Workspace,
    dossier: Path,
    items: list[_Item],
    handles: contextlib.ExitStack,
    warnings: list[str],
    skipped: list[str] | None = None,
) -> tuple[PdfWriter, list[_Item], list[int], list[_Box], int]:
    """All bound pages in order, upright; the items bound, their page counts, boxes and
    input bytes. With ``skipped`` an unreadable file is left out (pages it had added
    are removed again) and noted there; otherwise its InputError propagates.

    PDFs are read from open files (closed by ``handles`` after writing), not loaded
    whole: only the objects copied into the volume are held, so the peak memory stays
    near one copy of the inputs.
    """
    from pypdf import PdfWriter

    writer = PdfWriter()
    kept: list[_Item] = []
    counts: list[int] = []
    boxes: list[_Box] = []
    input_bytes = 0
    for material, files in items:
        before = len(boxes)
        bound: list[SourceFile] = []
        for file in files:
            try:
                with _time_bound(file):
                    added = _add_file(writer, file, handles, warnings)
            except InputError as exc:
                _skip_or_raise(exc, skipped)
                while len(writer.pages) > len(boxes):  # a file that broke half way
                    writer.remove_page(len(writer.pages) - 1)
                continue
            boxes += added
            input_bytes += file.path.stat().st_size
            bound.append(file)
        if bound:
            kept.append((material, bound))
            counts.append(len(boxes) - before)
    if not kept:
        raise _nothing_to_bind(workspace, dossier)
    return writer, kept, counts, boxes, input_bytes


def _add_file(
    writer: PdfWriter, file: SourceFile, handles: contextlib.ExitStack, warnings: list[str]
) -> list[_Box]:
    if file.problem is not None:
        raise _unbindable(file)
    if file.kind == "image":
        page = add_image_page(writer, load_image(file.path, file.shown))
        return [_visible_box(page)]
    with _repairs_noted(file, warnings):
        return _add_pdf(writer, file, handles)


@contextlib.contextmanager
def _repairs_noted(file: SourceFile, warnings: list[str]) -> Iterator[None]:
    """pypdf logs (in English) what it repairs in a damaged file; say it once, in Chinese."""
    from zcprep.probe import quiet_pypdf

    with quiet_pypdf() as collector:
        yield
    if collector.messages:
        warnings.append(
            f"{file.shown}：PDF 结构有小问题，已自动修复后装订；请打开申报册核对这份材料的页面。"
        )


def _add_pdf(writer: PdfWriter, file: SourceFile, handles: contextlib.ExitStack) -> list[_Box]:
    reader = open_pdf(file, handles)
    boxes = []
    try:
        for page in reader.pages:
            added = writer.add_page(page)
            _upright(writer, added)
            boxes.append(_visible_box(added))
    except _pdf_errors() as exc:
        raise _broken(file, pdf_error_text(exc), page=len(boxes) + 1) from None
    return boxes


def _stream(writer: PdfWriter, data: bytes) -> Any:
    """A new content stream object in ``writer`` (Flate-compressed), by reference."""
    from pypdf.generic import NameObject, StreamObject

    stream = StreamObject()
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream.set_data(zlib.compress(data))
    return writer._add_object(stream)


def _wrap_contents(writer: PdfWriter, page: PageObject, before: Any, after: Any) -> None:
    """Put stream references around the page's own content, without decoding it.

    pypdf's merge_page and transfer_rotation_to_content parse and rewrite the whole
    content stream; a born-digital page may have megabytes of it. Wrapping (a PDF
    content array is read as one stream) keeps the original bytes and costs nothing.
    """
    from pypdf.generic import ArrayObject, IndirectObject, NameObject

    raw = page.get("/Contents")
    content = raw.get_object() if raw is not None else None
    parts: list[Any] = []
    if isinstance(content, ArrayObject):
        parts = [
            part if isinstance(part, IndirectObject) else writer._add_object(part)
            for part in content
        ]
    elif content is not None:
        parts = [raw if isinstance(raw, IndirectObject) else writer._add_object(content)]
    page[NameObject("/Contents")] = ArrayObject([before, *parts, after])


def _rotation_matrix(page: PageObject, rotation: int) -> Any:
    """The transformation pypdf's ``transfer_rotation_to_content`` applies."""
    from pypdf import Transformation
    from pypdf.generic import RectangleObject

    media = RectangleObject(page.mediabox)
    centre = Transformation().translate(
        -float(media.left + media.width / 2), -float(media.bottom + media.height / 2)
    )
    turned = centre.rotate(-rotation)
    low = turned.apply_on(media.lower_left)
    high = turned.apply_on(media.upper_right)
    return turned.translate(-min(low[0], high[0]), -min(low[1], high[1]))


def _upright(writer: PdfWriter, page: PageObject) -> None:
    """Turn a page's /Rotate into its content, so that the number is drawn upright.

    Same result as pypdf's ``transfer_rotation_to_content()`` (boxes included), done
    by wrapping the content in ``q <matrix> cm … Q`` instead of rewriting it.
    """
    from pypdf.generic import NameObject, NumberObject, RectangleObject

    rotation = page.rotation % 360
    if rotation % 90:  # not a valid /Rotate: viewers ignore it, and so do we
        page[NameObject("/Rotate")] = NumberObject(0)
        return
    if not rotation:
        return
    matrix = _rotation_matrix(page, rotation)
    numbers = " ".join(_pdf_number(v) for v in matrix.ctm)
    _wrap_contents(
        writer,
        page,
        _stream(writer, f"q {numbers} cm\n".encode("ascii")),
        _stream(writer, b"\nQ\n"),
    )
    for name in ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
        if name in page:
            box = RectangleObject(page[name])  # type: ignore[arg-type]
            low, high = matrix.apply_on(box.lower_left), matrix.apply_on(box.upper_right)
            page[NameObject(name)] = RectangleObject(
                (
                    min(low[0], high[0]),
                    min(low[1], high[1]),
                    max(low[0], high[0]),
                    max(low[1], high[1]),
                )
            )
    page[NameObject("/Rotate")] = NumberObject(0)


def _pdf_number(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


# --------------------------------------------------------------------------- overlay


def number_text(settings: Bind, n: int) -> str:
    return settings.page_number_format.replace("{n}", str(n))


def number_position(
    settings: Bind, n: int, width: float, height: float, text_width: float
) -> tuple[float, float]:
    """Baseline origin of the number on a visible page of ``width`` × ``height``."""
    side = min(NUMBER_SIDE, width * 0.1)
    baseline = min(NUMBER_BASELINE, height * 0.05)
    position: str = settings.position
    if position == "bottom-outer":
        position = "bottom-right" if n % 2 else "bottom-left"
    if position == "bottom-center":
        return (width - text_width) / 2, baseline
    if position == "bottom-left":
        return side, baseline
    if position == "bottom-right":
        return width - side - text_width, baseline
    return width - side - text_width, height - baseline - settings.font_size  # top-right


def draw_number(
    canvas: Any, settings: Bind, font: str, n: int, width: float, height: float
) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = number_text(settings, n)
    size = settings.font_size
    text_width = stringWidth(text, font, size)
    x, y = number_position(settings, n, width, height, text_width)
    if settings.white_backing:
        canvas.setFillGray(1)
        canvas.rect(
            x - BACKING_PAD,
            y - 0.25 * size - BACKING_PAD,
            text_width + 2 * BACKING_PAD,
            1.15 * size + 2 * BACKING_PAD,
            stroke=0,
            fill=1,
        )
    canvas.setFillGray(0)
    canvas.setFont(font, size)
    canvas.drawString(x, y, text)


def _overlay(
    heading: TocHeading,
    toc: TocPlan | None,
    boxes: list[_Box],
    font: _Font,
    settings: Bind,
) -> tuple[PdfReader, int]:
    """One document: the 目录 pages, then one number page per bound page (and the
    目录's page count)."""
    from pypdf import PdfReader
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    with _binary_streams():
        canvas = Canvas(buffer, invariant=1, pageCompression=1)
        canvas.setTitle(heading.title)
        toc_pages = _draw_overlay(canvas, heading, toc, boxes, font, settings)
        canvas.save()
    return PdfReader(io.BytesIO(buffer.getvalue())), toc_pages


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """reportlab wraps streams in ASCII85 by default: +25 % size, and the time to encode
    it here and decode it again in pypdf was a fifth of the whole bind."""
    from reportlab import rl_config

    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def _draw_overlay(
    canvas: Any,
    heading: TocHeading,
    toc: TocPlan | None,
    boxes: list[_Box],
    font: _Font,
    settings: Bind,
) -> int:
    """Draw the 目录 and the number pages; return the 目录's page count."""
    first, drawn = 1, 0
    if toc is not None:

        def number_toc(c: Any, index: int) -> None:
            if settings.toc_numbered:
                draw_number(c, settings, font.name, index + 1, c._pagesize[0], c._pagesize[1])

        drawn = draw_toc(canvas, heading, toc.rows, font.name, on_page=number_toc)
        if toc.pages and drawn != toc.pages:  # a numbered plan must match, or every range is off
            raise InternalError(f"目录排版前后不一致（{toc.pages} 页 / {drawn} 页）。")
        first = toc.first_number
    for offset, box in enumerate(boxes):
        canvas.setPageSize((box.width, box.height))
        draw_number(canvas, settings, font.name, first + offset, box.width, box.height)
        canvas.showPage()
    return drawn


class _NumberStamper:
    """Appends each number page's content to its target page, sharing one font object.

    The overlay's font resources are copied into the volume once; each target page gets
    them under a name of its own (never clashing with the page's fonts) and its content
    wrapped as ``q <original> Q q <move to CropBox origin> <number> Q``.
    """

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self.opening = _stream(writer, b"q\n")
        self.fonts: dict[int, Any] = {}

    def stamp(self, page: PageObject, number_page: PageObject, box: _Box) -> None:
        from pypdf.generic import NameObject

        content = _overlay_content(number_page)
        resources = _own_dict(page, "/Resources")
        fonts = _own_dict(resources, "/Font")
        overlay_resources: Any = number_page["/Resources"].get_object()
        overlay_fonts = overlay_resources["/Font"].get_object()
        for name in list(overlay_fonts.keys()):
            pattern = re.compile(re.escape(name.encode()) + rb"(?=[\s/\[\]<>()%]|$)")
            if not pattern.search(content):
                continue  # reportlab lists its default Helvetica on every page, unused
            ref = self._font(overlay_fonts.raw_get(name))
            unique = _free_name(fonts, "/ZcNum" + name.lstrip("/"), ref)
            fonts[NameObject(unique)] = ref
            content = pattern.sub(unique.encode(), content)
        move = f"\nQ\nq 1 0 0 1 {_pdf_number(box.left)} {_pdf_number(box.bottom)} cm\n"
        _wrap_contents(
            self.writer,
            page,
            self.opening,
            _stream(self.writer, move.encode("ascii") + content + b"\nQ\n"),
        )

    def _font(self, source: Any) -> Any:
        key = source.idnum
        if key not in self.fonts:
            self.fonts[key] = source.clone(self.writer)
        return self.fonts[key]


def _overlay_content(page: PageObject) -> bytes:
    """The decoded content of a number page (reportlab: one Flate stream).

    Decompressed here directly: pypdf's decoder sets up a guarded decompressor per
    stream, which cost a third of the stamping time on a 300-page volume.
    """
    stream: Any = page["/Contents"].get_object()
    if stream.get("/Filter") == "/FlateDecode" and "/DecodeParms" not in stream:
        return zlib.decompress(stream._data)
    data: bytes = stream.get_data()
    return data


def _own_dict(parent: Any, key: str) -> Any:
    """``parent[key]`` as a dictionary to add to, created when missing or malformed."""
    from pypdf.generic import DictionaryObject, NameObject

    raw = parent.get(key)
    value = raw.get_object() if raw is not None else None
    if not isinstance(value, DictionaryObject):
        value = DictionaryObject()
        parent[NameObject(key)] = value
    return value


def _free_name(fonts: Any, wanted: str, ref: Any) -> str:
    """``wanted``, or wanted-1, -2 … if the page already uses that name for another font."""
    name, index = wanted, 0
    while name in fonts and fonts.raw_get(name) != ref:
        index += 1
        name = f"{wanted}-{index}"
    return name


def _finish(writer: PdfWriter, overlay: PdfReader, volume: Volume, boxes: list[_Box]) -> None:
    """Stamp the numbers, put the 目录 in front, add bookmarks, labels and metadata."""
    toc_pages = volume.toc_pages
    stamper = _NumberStamper(writer)
    for index, box in enumerate(boxes):
        stamper.stamp(writer.pages[index], overlay.pages[toc_pages + index], box)
    for index in range(toc_pages):
        writer.insert_page(overlay.pages[index], index)
    _outline(writer, volume)
    _labels(writer, volume)
    writer.add_metadata(
        {"/Title": f"{volume.applicant} 申报材料", "/Creator": f"zcprep {__version__}"}
    )
    writer.page_mode = "/UseOutlines"
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)


def _outline(writer: PdfWriter, volume: Volume) -> None:
    if volume.toc_pages:
        writer.add_outline_item(title="目录", page_number=0)
    for item in volume.items:
        writer.add_outline_item(
            title=f"{item.number}. {item.name}（{item.pages}）", page_number=item.pdf_first - 1
        )


def _labels(writer: PdfWriter, volume: Volume) -> None:
    """Viewers show the stamped numbers: 目录 pages are “目录” (or 目录-1, 目录-2)."""
    from pypdf.constants import PageLabelStyle

    decimal = PageLabelStyle.DECIMAL
    toc, total = volume.toc_pages, volume.total_pages
    if volume.toc_numbered or not toc:
        writer.set_page_label(0, total - 1, style=decimal, start=1)
        return
    if toc == 1:
        writer.set_page_label(0, 0, prefix="目录")
    else:
        writer.set_page_label(0, toc - 1, style=decimal, prefix="目录-", start=1)
    if total > toc:
        writer.set_page_label(toc, total - 1, style=decimal, start=1)
