"""Which file of a dossier belongs to which checklist item: the one rule that ``check``,
``bind`` and ``add`` share, so that what check accepts is exactly what bind binds.

Folders (:func:`material_for_folder`). A sub-folder of the dossier belongs to an item
when its name (NFC, surrounding spaces and letter case ignored)

1. is the item's folder (``NN-名称``, as ``zcprep new`` makes it), name or short name; or
2. starts with the item's number, one or two digits not followed by another digit, then:

   * the rest, after an optional separator (``-`` ``_`` ``.`` ``、`` or a space, also
     full-width), is an item's name or short name: that item, whatever the number
     (applicants number folders their own way: "03-继续教育材料" is 继续教育材料);
   * otherwise the item whose ``order`` is the number, when the number is followed by a
     separator or by nothing, or is written with two digits: "03证书", "03-证书",
     "03 证书", "03_证书", "03.证书", "03、证书", "3-证书", "04". Not "3月份材料" or
     "1寸照片", nor "2023年" (four digits).

Every file below an item's folder belongs to the item, sub-folders included. Several
folders may stand for one item: the item's own folder comes first, then the others.

Loose files (:func:`material_for_file`). A file lying directly in the dossier belongs to
the first item whose ``patterns`` match its name (fnmatch, case-insensitive, NFC).

Ignored: applicant.toml at the top; hidden and system names (``.…``, ``~$…``, Thumbs.db,
desktop.ini, __MACOSX) at any depth; links at the top to folders of the same dossier
(their files count where they really are). Everything else that matches no item is
unexpected: loose files, and folders that stand for no item.

Nothing is passed over unsaid: a folder that cannot be listed (no permission, a path past
Windows' 260-character limit) is one entry of its item with ``read_error``, as a file
that cannot be read is, and check reports it; one inside a stray folder keeps that
folder reported.

Links (and Windows junctions, :func:`zcprep.atomic.is_link`) are never followed out of
the dossier: a link leading out (or looping) is listed with ``link_outside`` and never
read. A link to a file of the same dossier is read as that file; links to folders below
an item folder are not entered.

Order: natural (1, 2, 10; letter case ignored), path part by path part below the item's
folder; then the item's loose files. Type: from each file's first bytes
(:func:`zcprep.probe.sniff_file`), never from its name.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from zcprep.atomic import is_link
from zcprep.model.notice import Material, Notice
from zcprep.model.workspace import APPLICANT_FILE
from zcprep.oserrors import os_problem
from zcprep.probe import NOT_REGULAR, Kind, sniff_file

Scope = Literal["applicant", "batch"]

IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", "__macosx", "ehthumbs.db"})

# Between an item's number and the rest of a folder name; spaces count too.
_SEPARATORS = re.escape("-_.、－．＿")
_NUMBERED = re.compile(rf"(\d{{1,2}})(?!\d)(\s*[{_SEPARATORS}]\s*|\s*)(.*)", re.DOTALL)
_DIGITS = re.compile(r"(\d+)")


def is_ignored(name: str) -> bool:
    """Hidden, temporary and operating-system files no applicant means to hand in."""
    return name.startswith((".", "~$")) or name.lower() in IGNORED_NAMES


def _fold(text: str) -> str:
    """macOS zips store decomposed (NFD) names: compare in NFC, trimmed, case-folded."""
    return unicodedata.normalize("NFC", text).strip().casefold()


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key putting 2 before 10 and ignoring case: 附件1, 附件2, 附件10."""
    text = unicodedata.normalize("NFC", text)
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in _DIGITS.split(text)
        if part
    )


def material_for_folder(
    notice: Notice, folder_name: str, scope: Scope = "applicant"
) -> Material | None:
    """The checklist item a dossier sub-folder (or a zip's top folder) stands for, or None.

    See the module docstring for the rule. ``scope`` "batch" reads the batch folder.
    """
    checklist = notice.items(scope)

    def by_name(text: str, folder_too: bool) -> Material | None:
        key = _fold(text)
        if not key:
            return None
        for material in checklist:
            names = {_fold(material.name), _fold(material.short or "")}
            if folder_too:
                names.add(_fold(material.folder))
            if key in names:
                return material
        return None

    exact = by_name(folder_name, folder_too=True)
    if exact is not None:
        return exact
    match = _NUMBERED.fullmatch(_fold(folder_name))
    if match is None:
        return None
    digits, separator, rest = match.groups()
    named = by_name(rest, folder_too=False)
    if named is not None:
        return named
    if not (separator or not rest or len(digits) == 2):
        return None
    number = int(digits)
    return next((m for m in checklist if m.order == number), None)


def material_for_file(
    notice: Notice, file_name: str, scope: Scope = "applicant"
) -> Material | None:
    """The first checklist item whose patterns match a file lying directly in the dossier."""
    lowered = _fold(file_name)
    for material in notice.items(scope):
        if any(fnmatch.fnmatchcase(lowered, _fold(p)) for p in material.patterns):
            return material
    return None


# --------------------------------------------------------------------------- collecting


@dataclass(frozen=True)
class CollectedFile:
    """One file of a dossier: its item (None: unexpected) and its type by content.

    ``kind`` is None when the file was not read: a link out of the dossier
    (``link_outside``) or a file that could not be read (``read_error`` says why, in
    Chinese where zcprep words it). ``regular`` is False for pipes, devices, dangling
    links and links out of the dossier: nothing a reviewer could be handed.
    """

    path: Path
    material: Material | None
    kind: Kind | None = None
    regular: bool = False
    link_outside: bool = False
    read_error: str | None = None


@dataclass(frozen=True)
class StrayFolder:
    """A sub-folder of the dossier that stands for no item, and how many files it holds."""

    path: Path
    file_count: int


@dataclass
class DossierFiles:
    """What :func:`collect_dossier` found. ``items`` has every checklist id, in order."""

    items: dict[str, list[CollectedFile]] = field(default_factory=dict)
    unexpected: list[CollectedFile] = field(default_factory=list)
    stray_folders: list[StrayFolder] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)

    def files(self) -> list[CollectedFile]:
        """Every file of an item, in checklist and binding order, then the unexpected ones."""
        return [f for files in self.items.values() for f in files] + self.unexpected


def collect_dossier(notice: Notice, dossier: Path, scope: Scope = "applicant") -> DossierFiles:
    """Each checklist item's files in binding order, the unexpected and the ignored.

    Reads the first bytes of every file found (never more); raises OSError only when
    the folder itself cannot be listed. ``scope`` "batch": the batch folder's items.
    """
    root = dossier.resolve()
    checklist = notice.items(scope)
    found = DossierFiles(items={m.id: [] for m in checklist})
    folders: dict[str, list[Path]] = {}
    loose: dict[str, list[Path]] = {}
    outside: dict[str, list[Path]] = {}
    for entry in sorted(dossier.iterdir(), key=lambda p: natural_key(p.name)):
        if entry.name == APPLICANT_FILE and entry.is_file():
            continue  # the applicant's data, read by zcprep.model.applicant
        if is_ignored(entry.name):
            found.ignored.append(entry)
            continue
        if is_link(entry) and not _inside(entry, root):
            material = material_for_folder(notice, entry.name, scope) or material_for_file(
                notice, entry.name, scope
            )
            if material is None:
                found.unexpected.append(CollectedFile(entry, None, link_outside=True))
            else:
                outside.setdefault(material.id, []).append(entry)
            continue
        if entry.is_dir():
            if is_link(entry):
                found.ignored.append(entry)  # its files count where they really are
                continue
            material = material_for_folder(notice, entry.name, scope)
            if material is not None:
                folders.setdefault(material.id, []).append(entry)
                continue
            unlisted: dict[Path, str] = {}
            count = sum(1 for path in _walk(entry, root, [], unlisted) if path not in unlisted)
            if count or unlisted:  # a folder that cannot be opened is never passed over
                found.stray_folders.append(StrayFolder(entry, count))
            continue
        material = material_for_file(notice, entry.name, scope)
        if material is None:
            found.unexpected.append(_file(entry, None))
        else:
            loose.setdefault(material.id, []).append(entry)
    for material in checklist:
        own = sorted(folders.get(material.id, []), key=lambda p, m=material: p.name != m.folder)  # type: ignore[misc]
        files = found.items[material.id]
        for folder in own:
            files.extend(_folder_files(folder, material, root, found.ignored))
        files.extend(_file(path, material) for path in loose.get(material.id, []))
        files.extend(
            CollectedFile(path, material, link_outside=True)
            for path in outside.get(material.id, [])
        )
    return found


def _folder_files(
    folder: Path, material: Material, root: Path, ignored: list[Path]
) -> Iterator[CollectedFile]:
    """The files of one item folder; a folder below it that cannot be listed is one
    unreadable entry (check reports it), never left out unsaid."""
    unlisted: dict[Path, str] = {}
    for path in _walk(folder, root, ignored, unlisted):
        if path in unlisted:
            yield CollectedFile(path, material, read_error=unlisted[path])
        elif is_link(path) and not _inside(path, root):
            yield CollectedFile(path, material, link_outside=True)
        else:
            yield _file(path, material)


# Kinds whose remedy is not check's usual one (existence, another program, permission).
_OWN_REMEDY = frozenset({"too-long", "network", "not-ready", "locked"})


def read_error_text(exc: OSError, path: Path) -> str:
    """Why a file could not be read, in zcprep's words (never the system's own text),
    with what to do when that is not the usual checking of the file."""
    problem = os_problem(exc, path)
    if problem.kind in _OWN_REMEDY:
        return f"{problem.reason}；{problem.remedy.rstrip('。')}"
    return problem.reason


def _unlisted_text(exc: OSError, folder: Path) -> str:
    return f"文件夹无法打开，其中的文件没有检查：{read_error_text(exc, folder)}"


def _file(path: Path, material: Material | None) -> CollectedFile:
    """A file of the dossier (or a link inside it), typed by its first bytes."""
    try:
        info = path.stat()
    except OSError as exc:  # a dangling link, no permission to look, a path too long
        return CollectedFile(path, material, read_error=read_error_text(exc, path))
    if not stat.S_ISREG(info.st_mode):  # reading a pipe would wait forever
        return CollectedFile(path, material, read_error=NOT_REGULAR)
    try:
        kind = sniff_file(path)
    except OSError as exc:
        return CollectedFile(path, material, regular=True, read_error=read_error_text(exc, path))
    return CollectedFile(path, material, kind=kind, regular=True)


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # RuntimeError: a link loop (Python < 3.13)
        return False


def _walk_tree(top: Path, unlisted: dict[Path, str]) -> Iterator[tuple[Path, list[str], list[str]]]:
    """``os.walk(top, followlinks=False)`` with a stack instead of recursion: os.walk
    recurses once per level on Python 3.11, and a folder tree from a zip may be deeper
    than the recursion limit. As there, links to folders are listed in ``dirs`` (and not
    entered), and the caller may prune ``dirs`` in place. A folder that cannot be listed
    (no permission, a path past Windows' limit) goes into ``unlisted`` with the reason."""
    pending = [top]
    while pending:
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError as exc:
            unlisted[current] = _unlisted_text(exc, current)
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
        pending.extend(current / name for name in dirs if not is_link(current / name))


def _walk(folder: Path, root: Path, ignored: list[Path], unlisted: dict[Path, str]) -> list[Path]:
    """Files under ``folder`` in natural order, without following links to folders.

    A link to a folder outside the dossier is listed too, so that it gets reported;
    links to folders inside it are not (their files count where they are). Ignored
    names are added to ``ignored``. A folder that cannot be listed is listed itself,
    its reason in ``unlisted``.
    """
    found: list[Path] = []
    for base, dirs, names in _walk_tree(folder, unlisted):
        kept = []
        for name in dirs:
            path = base / name
            if is_ignored(name):
                ignored.append(path)
            elif is_link(path):
                if not _inside(path, root):
                    found.append(path)
            else:
                kept.append(name)
        dirs[:] = kept
        for name in names:
            if is_ignored(name):
                ignored.append(base / name)
            else:
                found.append(base / name)
    found.extend(unlisted)
    return sorted(
        found, key=lambda p: tuple(natural_key(part) for part in p.relative_to(folder).parts)
    )
