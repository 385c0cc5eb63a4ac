"""Binding, step by step: refuse the dossiers with check errors, then plan, assemble,
number and finish each volume, and write it and its sidecar atomically to out/NAME/.

Finishing (the numbers stamped, the 目录 put in front, bookmarks, page labels and
metadata) is here too: it comes last, once the pages and their ranges are known.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from zcprep import __version__
from zcprep.atomic import write_text, write_with
from zcprep.bind.assemble import _assemble, _Box
from zcprep.bind.numbers import _NumberStamper, _overlay
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
from zcprep.bind.volume import VOLUME_SUFFIX, BindResult, Failure, Refusal, Volume
from zcprep.errors import UsageError, ZcprepError
from zcprep.model.notice import Stage
from zcprep.privacy import printable

if TYPE_CHECKING:
    from pypdf import PdfReader, PdfWriter

    from zcprep.model.workspace import Workspace


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

    A dossier with check errors is refused unless ``force``. Without ``force`` a file
    that cannot be read fails its dossier (exit 3, naming the file); with ``force`` the
    officer asked for a volume despite errors, so such a file is left out and listed in
    ``Volume.skipped`` (exit 1: the volume is incomplete). ``dry_run`` plans the 目录 only.
    ``stage`` "paper" also binds the items due only on paper (and checks them first).
    """
    folders = workspace.dossier_paths(list(names) if names else None)
    if not folders:
        raise UsageError(
            f"{workspace.relative(workspace.dossiers_dir)} 中还没有档案，没有可装订的材料。",
            "先用 zcprep new 姓名 新建档案并放入材料。",
        )
    if not workspace.notice.bound_at(stage):
        raise binds_nothing()
    result = BindResult()
    font = _volume_font(workspace, result.warnings)
    errors = {} if force else check_errors(workspace, folders, stage)
    for folder in folders:
        found = errors.get(folder.name, [])
        if found:
            result.refused.append(Refusal(folder.name, found))
            continue
        if progress is not None:
            progress(folder.name)
        try:
            result.volumes.append(
                bind_dossier(
                    workspace, folder, font, dry_run=dry_run, skip_unreadable=force, stage=stage
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
) -> Volume:
    """Bind one dossier (no check here: ``bind_dossiers`` refuses before calling this).

    A file that cannot be read (or takes longer than the per-file time limit) raises
    InputError naming it, or with ``skip_unreadable`` is left out and listed.
    """
    notice = workspace.notice
    applicant, level = _applicant_and_level(notice, folder)
    warnings: list[str] = []
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
