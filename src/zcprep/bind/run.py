"""Binding, step by step: refuse the dossiers with check errors, then plan, assemble,
number and finish each volume, and write it and its sidecar atomically to out/NAME/.

Finishing (the numbers stamped, the 目录 put in front, bookmarks, page labels and
metadata) is here too: it comes last, once the pages and their ranges are known.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from zcprep import __version__
from zcprep.atomic import write_text, write_with
from zcprep.bind.assemble import _assemble, _Page, move_annotations
from zcprep.bind.layout import IDENTITY, multiply, room_for
from zcprep.bind.numbers import (
    Glyphs,
    matrix_text,
    number_ops,
    overlay_pdf,
    preview_ops,
    preview_state,
    read_sampler,
    sampler_text,
)
from zcprep.bind.plan import (
    _applicant_and_level,
    _Font,
    _missing_glyphs,
    _plan,
    _volume,
    _volume_font,
    binds_nothing,
    check_errors,
    collect_items,
    toc_title,
)
from zcprep.bind.sources import _counted
from zcprep.bind.toc import TocHeading
from zcprep.bind.volume import (
    PREVIEW_SUFFIX,
    VOLUME_SUFFIX,
    BindResult,
    Failure,
    Refusal,
    Volume,
)
from zcprep.errors import UsageError, ZcprepError
from zcprep.model.notice import Bind, Material, Stage
from zcprep.privacy import printable

if TYPE_CHECKING:
    from zcprep.model.workspace import Workspace
    from zcprep.report import Finding


def bind_dossiers(
    workspace: Workspace,
    names: Sequence[str] | None = None,
    *,
    force: bool = False,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
    stage: Stage = "submit",
) -> BindResult:
    """Bind every named dossier (all when ``names`` is empty); never raises per dossier.

    check runs first (its per-file verdicts are cached, so a bind after a check reads
    nothing twice). A dossier with check errors is refused unless ``force``; with
    ``force`` it is bound as a preview: "预览稿 不得报送" on every page and in the file
    name, missing items listed in the 目录 as 缺, files check calls broken left out and
    listed (exit 1). Without ``force`` a file that cannot be read fails its dossier
    (exit 3, naming the file). ``dry_run`` plans the 目录 only. ``stage`` "paper" also
    binds the items due only on paper (and checks them first).
    """
    folders = workspace.dossier_paths(list(names) if names else None)
    if not folders:
        raise UsageError(
            f"{workspace.relative(workspace.dossiers_dir)} 中还没有档案，没有可装订的材料。",
            "先用 zcprep new 姓名 新建档案并放入材料。",
        )
    if not workspace.notice.bound_at(stage):
        raise binds_nothing()
    from zcprep.probe.cached import one_reading

    with one_reading():
        return _bind_all(workspace, folders, force, dry_run, progress, stage)


def _bind_all(
    workspace: Workspace,
    folders: list[Path],
    force: bool,
    dry_run: bool,
    progress: Callable[[str], None] | None,
    stage: Stage,
) -> BindResult:
    result = BindResult()
    font = _volume_font(workspace, result.warnings)
    errors = check_errors(workspace, folders, stage)
    for folder in folders:
        found = errors.get(folder.name, [])
        if found and not force:
            result.refused.append(Refusal(folder.name, found))
            continue
        if progress is not None:
            progress(folder.name)
        try:
            result.volumes.append(
                bind_dossier(
                    workspace,
                    folder,
                    font,
                    dry_run=dry_run,
                    skip_unreadable=force,
                    stage=stage,
                    errors=found,
                )
            )
        except ZcprepError as exc:
            result.failed.append(Failure(folder.name, exc))
    return result


def bind_dossier(
    workspace: Workspace,
    folder: Path,
    font: _Font,
    *,
    dry_run: bool = False,
    skip_unreadable: bool = False,
    stage: Stage = "submit",
    errors: Sequence[Finding] = (),
) -> Volume:
    """Bind one dossier (no check here: ``bind_dossiers`` runs it and passes its
    ``errors``; any error makes the volume a preview).

    A file that cannot be read (or takes longer than the per-file time limit) raises
    InputError naming it, or with ``skip_unreadable`` is left out and listed.
    """
    notice = workspace.notice
    applicant, level = _applicant_and_level(notice, folder)
    warnings: list[str] = []
    preview = bool(errors)
    missing = _missing_items(notice.bound_at(stage), errors) if preview else []
    items = collect_items(workspace, folder, warnings, stage)
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
        toc = _plan(heading, items, counts, font, settings, missing=missing)
        planned = _volume(folder, heading, settings, toc, items, counts, warnings)
        planned.skipped = skipped or []
        planned.preview, planned.missing = preview, [m.name for m in missing]
        return planned
    suffix = VOLUME_SUFFIX + (PREVIEW_SUFFIX if preview else "")
    target = workspace.out_dir / folder.name / f"{folder.name}{suffix}.pdf"
    with contextlib.ExitStack() as handles:
        pdf, items, counts, pages, input_bytes = _assemble(
            workspace, folder, items, handles, warnings, settings, skipped
        )
        toc = _plan(
            heading, items, counts, font, settings, count=settings.toc_numbered, missing=missing
        )
        alphabet = sampler_text(settings, preview)
        overlay, toc_pages = overlay_pdf(heading, toc, font.name, settings, alphabet)
        if toc is not None:
            toc = dataclasses.replace(toc, pages=toc_pages)
        volume = _volume(folder, heading, settings, toc, items, counts, warnings)
        volume.skipped = skipped or []
        volume.preview, volume.missing = preview, [m.name for m in missing]
        _finish(pdf, handles, overlay, alphabet, volume, pages, settings, font)
        write_with(target, lambda handle: _write(pdf, handle))
    _record(workspace, volume, target, input_bytes)
    return volume


def _record(workspace: Workspace, volume: Volume, target: Path, input_bytes: int) -> None:
    """The volume's sizes and its JSON sidecar, next to it; the other kind's stale file
    (a preview's, or a final volume's) removed."""
    _drop_other_version(target, volume.preview)
    volume.pdf = target
    volume.input_bytes = input_bytes
    volume.output_bytes = target.stat().st_size
    volume.sidecar = target.with_suffix(".json")
    sidecar = json.dumps(volume.to_dict(workspace), ensure_ascii=False, indent=2)
    write_text(volume.sidecar, printable(sidecar) + "\n")  # file names may not be UTF-8


def _missing_items(bound: Sequence[Material], errors: Sequence[Finding]) -> list[Material]:
    """The bound items check calls missing (a preview lists them in its 目录 as 缺)."""
    ids = {f.material for f in errors if f.code == "material-missing"}
    return [material for material in bound if material.id in ids]


def _drop_other_version(target: Path, preview: bool) -> None:
    """A new volume replaces the other kind's stale file: a final volume removes an old
    preview, and a preview removes a final volume that no longer matches the dossier."""
    from zcprep.atomic import is_link, refuse_linked_output_folders

    refuse_linked_output_folders(target)  # never remove anything through a link
    stem = target.stem.removesuffix(PREVIEW_SUFFIX) if preview else target.stem + PREVIEW_SUFFIX
    for old in (target.with_name(stem + ".pdf"), target.with_name(stem + ".json")):
        with contextlib.suppress(OSError):
            if old.is_file() and not is_link(old):
                old.unlink()


def _write(pdf: Any, handle: BinaryIO) -> None:
    from pikepdf import ObjectStreamMode

    pdf.save(handle, object_stream_mode=ObjectStreamMode.generate)


def _finish(
    pdf: Any,
    handles: contextlib.ExitStack,
    overlay: bytes,
    alphabet: str,
    volume: Volume,
    pages: list[_Page],
    settings: Bind,
    font: _Font,
) -> None:
    """Stamp the numbers (and the preview mark), put the 目录 in front, add bookmarks,
    labels and metadata."""
    import pikepdf

    source = handles.enter_context(pikepdf.open(io.BytesIO(overlay)))
    glyphs = read_sampler(source.pages[-1], alphabet, font.name, pdf.copy_foreign)
    fonts = pdf.make_indirect(pikepdf.Dictionary(dict(glyphs.fonts)))
    state = preview_state(pdf) if volume.preview else None
    first = volume.items[0].first if volume.items else 1
    _stamp(pdf, pages, glyphs, settings, first, fonts, state)
    for index in range(volume.toc_pages):
        pdf.pages.insert(index, source.pages[index])
        if state is not None:
            _mark_toc_page(pdf, pdf.pages[index], glyphs, state)
    _outline(pdf, volume)
    _labels(pdf, volume)
    title = f"{volume.applicant} 申报材料" + ("（预览稿 不得报送）" if volume.preview else "")
    pdf.docinfo["/Title"] = title
    pdf.docinfo["/Creator"] = f"zcprep {__version__}"
    pdf.Root.PageMode = pikepdf.Name.UseOutlines


def _stamp(
    pdf: Any,
    pages: list[_Page],
    glyphs: Glyphs,
    settings: Bind,
    first: int,
    fonts: Any,
    state: Any,
) -> None:
    """Each page's new content: its original (moved to make room for the number where
    it paints in the number's band), its number, and a preview's mark."""
    import pikepdf

    shrink = settings.make_room == "shrink"
    at_top = settings.position == "top-right"
    for index, layout in enumerate(pages):
        page = layout.page
        number, band = number_ops(
            glyphs, settings, first + index, layout.width, layout.height, backing=False
        )
        room, backing = room_for(
            layout.ink,
            band,
            layout.width,
            layout.height,
            at_top=at_top,
            full_scan=layout.full_scan,
            shrink=shrink,
        )
        if backing and settings.white_backing:
            number, _ = number_ops(
                glyphs, settings, first + index, layout.width, layout.height, backing=True
            )
        parts = [layout.drawing, number]
        if room != IDENTITY:
            parts[0] = f"q {matrix_text(room)} cm\n".encode("ascii") + layout.drawing + b"\nQ"
            move_annotations(page, multiply(layout.matrix, room))
        else:
            move_annotations(page, layout.matrix)
        if state is not None:
            parts.append(preview_ops(glyphs, layout.width, layout.height))
        page.obj.Contents = pdf.make_stream(b"\n".join(parts))
        page.obj.Resources.Font = fonts
        if state is not None:
            page.obj.Resources.ExtGState = pikepdf.Dictionary(ZcPreview=state)


def _mark_toc_page(pdf: Any, page: Any, glyphs: Glyphs, state: Any) -> None:
    import pikepdf

    box = [float(v) for v in page.mediabox]
    resources = page.obj.Resources
    fonts = resources.get("/Font", pikepdf.Dictionary())
    for name, obj in glyphs.fonts.items():
        fonts[name] = obj
    resources.Font = fonts
    states = resources.get("/ExtGState", pikepdf.Dictionary())
    states.ZcPreview = state
    resources.ExtGState = states
    # reportlab leaves its matrix set at the end of the page: draw the mark outside it
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    mark = b"\nQ\n" + preview_ops(glyphs, box[2] - box[0], box[3] - box[1])
    page.contents_add(pdf.make_stream(mark), prepend=False)


def _outline(pdf: Any, volume: Volume) -> None:
    from pikepdf import OutlineItem

    with pdf.open_outline() as outline:
        if volume.toc_pages:
            outline.root.append(OutlineItem("目录", 0))
        for item in volume.items:
            outline.root.append(
                OutlineItem(f"{item.number}. {item.name}（{item.pages}）", item.pdf_first - 1)
            )


def _labels(pdf: Any, volume: Volume) -> None:
    """Viewers show the stamped numbers: 目录 pages are “目录” (or 目录-1, 目录-2)."""
    from pikepdf import Array, Dictionary, Name, String

    toc, total = volume.toc_pages, volume.total_pages
    numbers: list[Any] = []
    if volume.toc_numbered or not toc:
        numbers += [0, Dictionary(S=Name.D, St=1)]
    else:
        if toc == 1:
            numbers += [0, Dictionary(P=String("目录"))]
        else:
            numbers += [0, Dictionary(S=Name.D, P=String("目录-"), St=1)]
        if total > toc:
            numbers += [toc, Dictionary(S=Name.D, St=1)]
    pdf.Root.PageLabels = Dictionary(Nums=Array(numbers))
