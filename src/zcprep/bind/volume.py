"""What bind returns: each volume bound (or planned), its 目录 rows, and the dossiers
refused or failed.

These are the results the CLI shows and the JSON sidecar records. They sit apart from
the steps that build a volume (plan, sources, assemble, numbers, run) so that every
step and the CLI share one definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zcprep import __version__
from zcprep.errors import EXIT_FOUND_ERRORS, EXIT_OK, ZcprepError
from zcprep.model.notice import Material

if TYPE_CHECKING:
    from zcprep.model.workspace import Workspace
    from zcprep.report import Finding


VOLUME_SUFFIX = "-申报材料"
PREVIEW_SUFFIX = "-预览稿"  # a volume bound with --force despite check errors


@dataclass(frozen=True)
class SourceFile:
    path: Path
    shown: str  # relative to the workspace, for messages and the sidecar
    kind: str  # "pdf" or "image", from the content; "" with a problem
    problem: str | None = None  # why it cannot be bound (it is left out or stops bind)


_Item = tuple[Material, list[SourceFile]]


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
    preview: bool = False  # bound with --force despite check errors: not to be submitted
    missing: list[str] = field(default_factory=list)  # a preview's missing items (目录: 缺)

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
            "preview": self.preview,
            "missing": self.missing,
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
        incomplete = any(volume.skipped or volume.preview for volume in self.volumes)
        return EXIT_FOUND_ERRORS if self.refused or incomplete else EXIT_OK
