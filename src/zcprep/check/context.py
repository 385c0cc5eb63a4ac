"""What every check of one dossier reads: the notice, the applicant and the dossier's files.

The context is built once per dossier, so the checks stay small functions of it. Files
are assigned to checklist items here:

* a sub-folder belongs to an item when its name is the item's folder (``NN-名称``, as
  ``zcprep new`` makes it) or merely starts with the item's number followed by ``-``, a
  space, ``_``, ``.`` or ``、`` — folders that came back from a Windows zip or were renamed
  by hand ("03 证书", "03-现任资格证书") still count;
* a file directly in the dossier belongs to the first item whose ``patterns`` match its
  name (fnmatch, case-insensitive);
* applicant.toml and hidden or system files (``.…``, ``~$…``, Thumbs.db, desktop.ini,
  __MACOSX) are ignored; everything else is unexpected.

Symbolic links are never followed out of the dossier: such a link is reported instead.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from zcprep.applicant import Applicant, load_applicant
from zcprep.errors import ZcprepError
from zcprep.notice import Level, Material, Notice
from zcprep.probe import FILE_TIME_LIMIT, FileProbe, probe_file
from zcprep.workspace import APPLICANT_FILE, Workspace

IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", "__macosx", "ehthumbs.db"})
_NUMBERED_FOLDER = re.compile(r"^(\d{1,2})[-_ .、\u3000]")


def is_ignored(name: str) -> bool:
    """Hidden, temporary and operating-system files no applicant means to hand in."""
    return name.startswith((".", "~$")) or name.lower() in IGNORED_NAMES


@dataclass
class DossierFile:
    """One file the checks look at. ``probe`` is None when it could not be read at all."""

    path: Path
    rel: str
    material: Material | None
    probe: FileProbe | None = None
    read_error: str | None = None
    link_outside: bool = False


@dataclass
class UnexpectedFolder:
    path: Path
    rel: str
    file_count: int


@dataclass
class DossierContext:
    workspace: Workspace
    path: Path
    rel: str
    today: dt.date
    applicant: Applicant | None = None
    applicant_problem: ZcprepError | None = None
    files: list[DossierFile] = field(default_factory=list)
    unexpected_folders: list[UnexpectedFolder] = field(default_factory=list)

    @property
    def notice(self) -> Notice:
        return self.workspace.notice

    @property
    def level(self) -> Level | None:
        if self.applicant is None:
            return None
        text = self.applicant.text("level")
        return self.notice.level(text) if text else None

    @property
    def level_id(self) -> str | None:
        level = self.level
        return level.id if level else None

    def required(self, material: Material) -> bool:
        """Whether the applicant must hand in this item, following their data."""
        applicant = self.applicant
        if applicant is None:
            return material.required
        level_id = self.level_id
        if any(applicant.matches(c, level_id) for c in material.omit_when):
            return False
        return material.required or any(
            applicant.matches(c, level_id) for c in material.required_when
        )

    def files_of(self, material: Material) -> list[DossierFile]:
        return [f for f in self.files if f.material is not None and f.material.id == material.id]

    def material_files(self) -> list[DossierFile]:
        """Files that belong to a checklist item (the ones that will be bound and sent)."""
        return [f for f in self.files if f.material is not None]


def build_context(
    workspace: Workspace,
    path: Path,
    today: dt.date,
    file_time_limit: float | None = FILE_TIME_LIMIT,
) -> DossierContext:
    context = DossierContext(
        workspace=workspace, path=path, rel=workspace.relative(path), today=today
    )
    try:
        context.applicant = load_applicant(path)
    except ZcprepError as exc:
        context.applicant_problem = exc
    _collect(context)
    for item in context.files:
        if item.material is not None and not item.link_outside:
            _probe(item, file_time_limit)
    return context


def _probe(item: DossierFile, time_limit: float | None) -> None:
    try:
        item.probe = probe_file(item.path, time_limit)
    except OSError as exc:
        item.read_error = exc.strerror or type(exc).__name__


def _nfc(name: str) -> str:
    """macOS zips store decomposed (NFD) names; compare in NFC."""
    return unicodedata.normalize("NFC", name)


def folder_material(name: str, checklist: list[Material]) -> Material | None:
    """The checklist item a dossier sub-folder belongs to, or None."""
    name = _nfc(name).strip()
    for material in checklist:
        if name == _nfc(material.folder):
            return material
    match = _NUMBERED_FOLDER.match(name)
    if match:
        number = int(match.group(1))
        for material in checklist:
            if material.order == number:
                return material
    return None


def pattern_material(name: str, checklist: list[Material]) -> Material | None:
    """The first checklist item whose patterns match a file lying directly in the dossier."""
    lowered = _nfc(name).lower()
    for material in checklist:
        if any(fnmatch.fnmatchcase(lowered, _nfc(p).lower()) for p in material.patterns):
            return material
    return None


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # RuntimeError: a link loop (Python < 3.13)
        return False


def _collect(context: DossierContext) -> None:
    root = context.path.resolve()
    checklist = context.notice.checklist
    for entry in sorted(context.path.iterdir(), key=lambda p: _nfc(p.name)):
        if is_ignored(entry.name) or (entry.name == APPLICANT_FILE and entry.is_file()):
            continue
        rel = context.workspace.relative(entry)
        if entry.is_symlink() and not _inside(entry, root):
            context.files.append(DossierFile(entry, rel, None, link_outside=True))
            continue
        if entry.is_dir():
            if entry.is_symlink():
                continue  # a link to another folder of the same dossier: its files count there
            material = folder_material(entry.name, checklist)
            files = list(_walk(entry, root))
            if material is None:
                if files:
                    context.unexpected_folders.append(UnexpectedFolder(entry, rel, len(files)))
                continue
            for file in files:
                outside = file.is_symlink() and not _inside(file, root)
                context.files.append(
                    DossierFile(
                        file, context.workspace.relative(file), material, link_outside=outside
                    )
                )
        elif entry.is_file():
            context.files.append(DossierFile(entry, rel, pattern_material(entry.name, checklist)))


def _walk_tree(top: Path) -> Iterator[tuple[Path, list[str], list[str]]]:
    """``os.walk(top, followlinks=False)`` with a stack instead of recursion: os.walk
    recurses once per level on Python 3.11, and a folder tree from a zip may be deeper
    than the recursion limit. As there, links to folders are listed in ``dirs`` (and not
    entered), and the caller may prune ``dirs`` in place."""
    pending = [top]
    while pending:
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        dirs: list[str] = []
        names: list[str] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (dirs if is_dir else names).append(entry.name)
        yield current, dirs, names
        pending.extend(current / name for name in dirs if not (current / name).is_symlink())


def _walk(folder: Path, root: Path) -> Iterator[Path]:
    """Files under a material folder in a stable order, without following links to folders.

    A link to a folder outside the dossier is yielded too, so that it gets reported.
    """
    found: list[Path] = []
    for base, dirs, names in _walk_tree(folder):
        found.extend(
            base / d for d in dirs if (base / d).is_symlink() and not _inside(base / d, root)
        )
        dirs[:] = sorted(d for d in dirs if not is_ignored(d) and not (base / d).is_symlink())
        found.extend(
            base / name
            for name in names
            if not is_ignored(name) and ((base / name).is_file() or (base / name).is_symlink())
        )
    yield from sorted(found, key=lambda p: [_nfc(part) for part in p.relative_to(folder).parts])
