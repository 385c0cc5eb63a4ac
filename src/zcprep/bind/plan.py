"""What goes into a volume, in which order: its items and their files, the 目录's
heading and rows, the font, and the page range each item gets.

This part of bind decides and never touches a PDF: the ``check`` errors that refuse a
dossier (through check's public face), the files ``check`` assigns to each bound
material (typed by content), the 目录 plan, and the :class:`Volume` whose ranges must
match the 目录's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zcprep.bind.toc import TocHeading, TocPlan, plan_toc, rows_for
from zcprep.bind.volume import BoundItem, SourceFile, Volume, _Item
from zcprep.errors import InputError, InternalError, UsageError
from zcprep.model.applicant import load_applicant
from zcprep.model.collect import CollectedFile, collect_dossier
from zcprep.model.notice import Bind, Material, Notice, Stage
from zcprep.probe import KIND_LABELS, kind_from_name

if TYPE_CHECKING:
    from zcprep.fonts import FontChoice
    from zcprep.model.workspace import Workspace
    from zcprep.report import Finding


def check_errors(
    workspace: Workspace, folders: Sequence[Path], stage: Stage = "submit"
) -> dict[str, list[Finding]]:
    """The ``check`` errors of each dossier at ``stage``, by folder name (warnings do not
    refuse; the batch's own findings belong to no volume)."""
    from zcprep.check import run_check
    from zcprep.probe import FILE_TIME_LIMIT

    # the limit bind's own reading keeps (bind.sources): one limit for one verdict
    names = [folder.name for folder in folders]
    report = run_check(workspace, names, stage=stage, file_time_limit=FILE_TIME_LIMIT)
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
    missing: Sequence[Material] = (),
) -> TocPlan | None:
    """The 目录's rows, and with ``count`` its page count from a first layout.

    Unnumbered, the ranges start at 1 whatever the 目录's length: the volume learns the
    page count from drawing it once (``pages`` stays 0 until then). ``missing`` items (a
    preview's) are listed in their checklist place with 缺.
    """
    if not settings.toc:
        return None
    names, rows = _rows_with_missing(items, counts, missing)
    if not count and not settings.toc_numbered:
        return TocPlan(pages=0, rows=rows_for(names, rows, 1), first_number=1)
    return plan_toc(heading, names, rows, font.name, numbered=settings.toc_numbered)


def _rows_with_missing(
    items: list[_Item], counts: list[int], missing: Sequence[Material]
) -> tuple[list[str], list[int | None]]:
    """Names and page counts in checklist order, a missing item's count None."""
    if not missing:
        return [material.name for material, _files in items], list(counts)
    bound = {material.id: count for (material, _files), count in zip(items, counts, strict=True)}
    order = _checklist([material for material, _files in items] + list(missing))
    return [m.name for m in order], [bound.get(m.id) for m in order]


def _checklist(materials: list[Material]) -> list[Material]:
    """``materials`` in the notice's order."""
    return sorted(materials, key=lambda m: (m.order, m.id))


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
    if toc is not None and [(r.first, r.last) for r in toc.rows if not r.missing] != [
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

_BINDABLE: dict[str, str] = {"pdf": "pdf", "jpeg": "image", "png": "image"}


def collect_items(
    workspace: Workspace, dossier: Path, warnings: list[str], stage: Stage = "submit"
) -> list[_Item]:
    """Bound items due at ``stage`` that have files, each with its files in binding order.

    The files are ``check``'s (zcprep.model.collect), typed by content. A file that is, by
    name or by content, a PDF, JPG or PNG is bound by what its content is; when its
    content is none of them it is carried with its ``problem``, which stops the bind
    (or, with --force, leaves it out and lists it). Anything else (a note in .txt, a
    HEIC photo, a link out of the dossier, a pipe) is not a scan: it is left out with
    a warning, and ``check`` reports it as an error.
    """
    items: list[_Item] = []
    found = collect_dossier(workspace.notice, dossier)
    for material in workspace.notice.bound_at(stage):
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
        raise _nothing_to_bind(workspace, dossier, stage)
    return items


def _problem(entry: CollectedFile) -> str:
    """Why a file that should be a scan cannot be bound (Chinese, for InputError)."""
    if entry.read_error is not None:
        return f"无法读取（{entry.read_error}）"
    if entry.kind == "empty":
        return "文件是空的（0 字节）"
    return f"内容是{KIND_LABELS[entry.kind or 'unknown']}，不是 PDF、JPG 或 PNG"


def binds_nothing() -> UsageError:
    """The notice has no item to bind (zcprep.toml: no bound = true)."""
    return UsageError(
        "本通知没有需要装订成册的材料（zcprep.toml 中没有 bound = true 的材料），无需装订。",
        "按通知逐项上传或报送材料即可；确需合并打印的，在 zcprep.toml 中把相应材料设为 "
        "bound = true。",
    )


def _nothing_to_bind(
    workspace: Workspace, dossier: Path, stage: Stage = "submit"
) -> InputError | UsageError:
    if not workspace.notice.bound_at(stage):
        return binds_nothing()
    return InputError(
        f"{workspace.relative(dossier)} 中没有可以装订的材料文件。",
        "把扫描件放进各材料文件夹（如 "
        + "、".join(m.folder for m in workspace.notice.bound_at(stage)[:2])
        + "）后再运行 zcprep bind。",
    )
