"""What every check of one dossier reads: the notice, the applicant and the dossier's files.

The context is built once per dossier, so the checks stay small functions of it. Which
file belongs to which checklist item is zcprep.model.collect's rule, the one ``bind`` follows
too: a file check assigns to a bound item is a file bind binds (or check says why not).
Symbolic links are never followed out of the dossier: such a link is reported instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from zcprep.check.paths import Verdict, verdict
from zcprep.errors import ZcprepError
from zcprep.model.applicant import Applicant, load_applicant
from zcprep.model.collect import collect_dossier
from zcprep.model.notice import Level, Material, Notice, Stage
from zcprep.model.workspace import Workspace
from zcprep.probe import FILE_TIME_LIMIT, FileProbe, Kind
from zcprep.probe.cached import probe_file_cached


@dataclass
class DossierFile:
    """One file the checks look at. ``probe`` is None when it could not be read at all."""

    path: Path
    rel: str
    material: Material | None
    probe: FileProbe | None = None
    read_error: str | None = None
    link_outside: bool = False
    kind: Kind | None = None  # from the first bytes, as bind sees it (None: not read)


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
    stage: Stage = "submit"
    # The batch folder is checked as a dossier of the batch items; its conditional items
    # are required when any applicant of the batch (applicant, level id) matches.
    members: list[tuple[Applicant, str | None]] | None = None
    _verdict: list[Verdict | None] = field(default_factory=list)

    @property
    def is_batch(self) -> bool:
        return self.members is not None

    @property
    def checklist(self) -> list[Material]:
        return self.notice.items("batch" if self.is_batch else "applicant")

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

    @property
    def verdict(self) -> Verdict | None:
        """Where the applicant stands for the level applied for (computed once)."""
        if not self._verdict:
            level = self.level
            found = None
            if self.applicant is not None and level is not None:
                found = verdict(self.notice, self.applicant, level)
            self._verdict.append(found)
        return self._verdict[0]

    def required(self, material: Material) -> bool:
        """Whether the applicant must hand in this item, following their data and the
        path to the level they meet (not whether it is due yet: see ``due``)."""
        if self.members is not None:
            return material.required or any(
                person.matches(c, level_id)
                for person, level_id in self.members
                for c in material.required_when
            )
        applicant = self.applicant
        if applicant is None:
            return material.required
        level_id = self.level_id
        if any(applicant.matches(c, level_id) for c in material.omit_when):
            return False
        if material.required or any(applicant.matches(c, level_id) for c in material.required_when):
            return True
        found = self.verdict
        return found is not None and found.requires(material.id) is not None

    def due(self, material: Material) -> bool:
        """Whether the item is due at the stage being checked."""
        return material.due(self.stage)

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
    stage: Stage = "submit",
) -> DossierContext:
    context = DossierContext(
        workspace=workspace, path=path, rel=workspace.relative(path), today=today, stage=stage
    )
    try:
        context.applicant = load_applicant(path)
    except ZcprepError as exc:
        context.applicant_problem = exc
    _collect(context)
    for item in context.files:
        if item.material is not None and not item.link_outside and item.read_error is None:
            _probe(item, file_time_limit)
    return context


def build_batch_context(
    workspace: Workspace,
    members: list[tuple[Applicant, str | None]],
    today: dt.date,
    file_time_limit: float | None = FILE_TIME_LIMIT,
    stage: Stage = "submit",
) -> DossierContext:
    """The workspace's batch folder, checked against the batch items (it may not exist
    yet: then every required item is missing)."""
    path = workspace.batch_dir
    context = DossierContext(
        workspace=workspace,
        path=path,
        rel=workspace.relative(path),
        today=today,
        stage=stage,
        members=members,
    )
    if path.is_dir():
        _collect(context)
    for item in context.files:
        if item.material is not None and not item.link_outside and item.read_error is None:
            _probe(item, file_time_limit)
    return context


def _probe(item: DossierFile, time_limit: float | None) -> None:
    try:
        item.probe = probe_file_cached(item.path, time_limit)
    except OSError as exc:
        from zcprep.model.collect import read_error_text

        item.read_error = read_error_text(exc, item.path)


def _collect(context: DossierContext) -> None:
    found = collect_dossier(
        context.notice, context.path, "batch" if context.is_batch else "applicant"
    )
    relative = context.workspace.relative
    for file in found.files():
        context.files.append(
            DossierFile(
                file.path,
                relative(file.path),
                file.material,
                read_error=file.read_error,
                link_outside=file.link_outside,
                kind=file.kind,
            )
        )
    for folder in found.stray_folders:
        context.unexpected_folders.append(
            UnexpectedFolder(folder.path, relative(folder.path), folder.file_count)
        )
