"""Drafts are not scans: zcprep's own unsigned forms (or a bound volume) in a material folder.

``zcprep render`` writes the forms a unit prints, signs, seals and scans, under
``out/<姓名>/forms/``; the 六公开监督卡 is both such a form and a material to hand in. The
PDF render wrote, copied into the material folder, would pass every other check. A file
there is taken for the unsigned draft when

- its metadata says render made it (/Creator "zcprep"; a volume bind made says
  "zcprep <version>" and is reported on its own: a whole volume inside a material folder),
- or it has the same bytes, or the same text layer, as a PDF render wrote under ``out/``
  (its metadata stripped, saved again by another program, printed to PDF).

Only short PDFs with a text layer and no full-page scan are compared: a scan, even one with
an OCR text layer, is what the notice asks for and never matches. The probe already holds
each file's text digest (cached by content), so the only new reading is of render's own
outputs, once per run while they are unchanged.

A .docx render wrote is refused as a format by the file checks; :func:`docx_draft` lets
them say it is the draft.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from zcprep.atomic import is_link
from zcprep.check.base import error
from zcprep.check.context import DossierContext, DossierFile
from zcprep.model.workspace import Workspace
from zcprep.probe import FILE_TIME_LIMIT, FileProbe, content_digest
from zcprep.probe.cached import probe_file_cached
from zcprep.probe.page import SCAN_COVERAGE
from zcprep.probe.result import TEXT_DIGEST_PAGES, ZCPREP_CREATOR
from zcprep.report import Finding

DRAFT_HINT = (
    "把这份表打印出来，按要求签字、盖章后扫描为 PDF（或拍照为 JPG），用扫描件替换这个文件；"
    "zcprep render 生成的文件只是供打印的草稿。"
)
OTHER_OUTPUT_HINT = "从材料文件夹中移走这个文件，这里只放这项材料本身的扫描件。"
VOLUME_HINT = (
    "从材料文件夹中移走这个文件（申报册在 out/ 中，可随时用 zcprep bind 重新生成），"
    "这里只放这项材料本身的扫描件。"
)

# render's folder for each applicant's forms, out/<姓名>/forms/ (zcprep.render.FORMS_FOLDER:
# importing render would cost check a third of a second of start-up; a test keeps them equal).
FORMS_FOLDER = "forms"

# What a .docx render wrote says of itself (python-docx's template, the form's title).
_DOCX_CORE = "docProps/core.xml"
_DOCX_CORE_MAX = 64 * 1024
_CORE_FIELD_RE = re.compile(
    r"<(?:\w+:)?(title|creator|description|lastModifiedBy|keywords|category)\b[^>/]*>([^<]*)<"
)


@dataclass(frozen=True)
class RenderedDraft:
    """One file render wrote under out/: where, and what it is made of."""

    path: Path
    rel: str
    fingerprint: str | None
    text_digest: str | None


def draft_findings(context: DossierContext) -> Iterator[Finding]:
    """Each PDF in a material folder that is zcprep's unsigned form, a bound volume or
    another output of zcprep (the check itself is ``files.material_draft``)."""
    forms = {form.title for form in context.notice.render.forms}
    for item in context.material_files():
        probe, material = item.probe, item.material
        if probe is None or material is None or probe.kind != "pdf" or probe.status != "ok":
            continue
        if _is_volume(probe):
            yield _volume_finding(item, material.id)
            continue
        how = _draft_evidence(context.workspace, item, probe, forms)
        if how is not None:
            yield error(
                "material-draft",
                f"{item.path.name} 是未签字盖章的草稿：{how}，不能代替签字盖章后的扫描件。",
                DRAFT_HINT,
                material=material.id,
                file=item.rel,
            )
        elif _is_render_output(probe) and not _scanned(probe):
            yield error(  # a 补正告知单, or a form this notice does not have
                "material-draft",
                f"{item.path.name} 是 zcprep 生成的《{probe.made_title}》，不是这项材料。",
                OTHER_OUTPUT_HINT,
                material=material.id,
                file=item.rel,
            )


def _is_volume(probe: FileProbe) -> bool:
    creator = probe.creator or ""
    return creator.startswith(ZCPREP_CREATOR + " ")


def _is_render_output(probe: FileProbe) -> bool:
    return probe.creator == ZCPREP_CREATOR


def _volume_finding(item: DossierFile, material: str) -> Finding:
    return error(
        "material-bound-volume",
        f"{item.path.name} 是 zcprep bind 装订好的整本申报册，不是一份材料，"
        "放在这里会被再装订进申报册。",
        VOLUME_HINT,
        material=material,
        file=item.rel,
    )


def _draft_evidence(
    workspace: Workspace, item: DossierFile, probe: FileProbe, forms: set[str]
) -> str | None:
    """How the file is known to be one of render's forms, in words, or None when it is
    not (or is zcprep's but not a form of this notice: see the caller)."""
    if _scanned(probe):
        return None
    comparable = probe.page_count is not None and probe.page_count <= TEXT_DIGEST_PAGES
    found = _same_as_rendered(workspace, item.path, probe) if comparable else None
    if found is not None:
        draft, same = found
        return f"与 zcprep render 生成的 {draft.rel} {same}"
    if _is_render_output(probe) and (probe.made_title is None or probe.made_title in forms):
        form = f"《{probe.made_title}》" if probe.made_title else "表单"
        return f"文件属性表明它是 zcprep render 生成的{form}"
    return None


def _scanned(probe: FileProbe) -> bool:
    return any(page.scan_cover >= SCAN_COVERAGE for page in probe.pages)


def _same_as_rendered(
    workspace: Workspace, path: Path, probe: FileProbe
) -> tuple[RenderedDraft, str] | None:
    """The draft under out/ this file copies, and how ("完全相同" or "文字相同")."""
    if probe.text_digest is None and probe.fingerprint is None:
        return None
    drafts = rendered_drafts(workspace)
    for draft in drafts:
        same_start = probe.fingerprint is not None and draft.fingerprint == probe.fingerprint
        if same_start and _same_bytes(path, draft.path):
            return draft, "完全相同"
    for draft in drafts:
        if probe.text_digest is not None and draft.text_digest == probe.text_digest:
            return draft, "文字相同"
    return None


def _same_bytes(one: Path, other: Path) -> bool:
    try:
        return content_digest(one) == content_digest(other)
    except OSError:
        return False


def rendered_drafts(workspace: Workspace) -> tuple[RenderedDraft, ...]:
    """Every PDF render wrote under out/*/forms/ (read once while they are unchanged)."""
    listing = _listing(workspace.out_dir, ".pdf")
    return _probe_drafts(workspace.out_dir, listing)


# (file name relative to out/, size, mtime, inode) of each output, sorted: a memo key that
# changes when render writes again.
_Listing = tuple[tuple[str, int, int, int], ...]


def _listing(out_dir: Path, suffix: str) -> _Listing:
    found = []
    try:
        for path in out_dir.glob(f"*/{FORMS_FOLDER}/*{suffix}"):
            info = path.lstat()
            if path.is_file() and not is_link(path):
                rel = path.relative_to(out_dir).as_posix()
                found.append((rel, info.st_size, info.st_mtime_ns, info.st_ino))
    except OSError:
        pass  # an unreadable out/ holds no draft to compare with
    return tuple(sorted(found))


@lru_cache(maxsize=4)
def _probe_drafts(out_dir: Path, listing: _Listing) -> tuple[RenderedDraft, ...]:
    drafts = []
    out_name = out_dir.name
    for rel, *_ in listing:
        path = out_dir / rel
        try:
            probe = probe_file_cached(path, FILE_TIME_LIMIT)
        except OSError:
            continue
        if probe.kind == "pdf" and probe.status == "ok":
            shown = f"{out_name}/{rel}"
            drafts.append(RenderedDraft(path, shown, probe.fingerprint, probe.text_digest))
    return tuple(drafts)


def docx_draft(context: DossierContext, item: DossierFile) -> str | None:
    """The title of the form a .docx render wrote, when ``item`` is one, else None: the
    same bytes as a .docx under out/*/forms/, or a form's title in the properties python-docx
    (or zcprep) left in it."""
    titles = {form.title for form in context.notice.render.forms}
    core = _docx_core(item.path)
    title = core.get("title", "")
    made_here = any(
        "python-docx" in value or value.startswith(ZCPREP_CREATOR) for value in core.values()
    )
    if title in titles and made_here:
        return title
    out_dir = context.workspace.out_dir
    listing = _listing(out_dir, ".docx")
    if not listing:
        return None
    rendered = _docx_digests(out_dir, listing)
    try:
        digest = content_digest(item.path)
    except OSError:
        return None
    return rendered.get(digest)


def _docx_core(path: Path) -> dict[str, str]:
    """The core properties of a .docx (title, creator …), empty when unreadable."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(_DOCX_CORE)
            if info.file_size > _DOCX_CORE_MAX:
                return {}
            text = archive.read(info).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError):
        return {}
    return {m.group(1): html.unescape(m.group(2)).strip() for m in _CORE_FIELD_RE.finditer(text)}


@lru_cache(maxsize=4)
def _docx_digests(out_dir: Path, listing: _Listing) -> dict[str, str]:
    """Content digest → the form title (the file's stem) of each .docx render wrote."""
    found: dict[str, str] = {}
    for rel, *_ in listing:
        path = out_dir / rel
        try:
            found.setdefault(content_digest(path), path.stem)
        except OSError:
            continue
    return found
