"""What one applicant's letter lists: their dossier's findings as problems to fix.

Errors come first (须补正), then warnings (请核对); ``info`` findings (what is needed
later, a calendar not yet verified) are the officer's and stay out. Within each part the
problems are grouped as the applicant gathers them: 申报信息 first, then the materials
in the notice's checklist order, then files that belong to no material. Problems are
numbered through the whole letter, so that the applicant can answer "第 3 条已补".
A problem names its file and page only where its message does not already.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from zcprep.letter.wording import plain, remedy
from zcprep.model.notice import Material, Notice
from zcprep.report import DossierReport, Finding

APPLICANT_FILE = "applicant.toml"
APPLICANT_GROUP = "申报信息"
OTHER_FILES_GROUP = "其他文件"
OTHER_GROUP = "其他事项"
# Where each group goes: 申报信息 first, materials by their order, the rest last.
_APPLICANT_RANK, _UNKNOWN_MATERIAL_RANK, _FILES_RANK, _OTHER_RANK = -1, 10_000, 10_001, 10_002

SEVERITIES = ("error", "warning")
LABELS = {"error": "须补正", "warning": "请核对"}
_HEADINGS = {
    "error": "须补正（{count} 条）",
    "warning": "请核对（{count} 条：可能不符合要求，请核对后改正或说明）",
}
_ORDINALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Problem:
    number: int
    severity: str
    label: str  # 须补正 / 请核对
    message: str  # what is wrong, in plain words
    remedy: str  # what to bring or fix
    file: str  # the file's name, "" when the finding names none
    page: int | None
    place: str  # file and page, said only where the message does not already


@dataclass(frozen=True)
class Group:
    title: str  # 第 5 项　任期内专业技术工作总结 / 申报信息 / 其他文件
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Section:
    severity: str
    label: str
    heading: str  # 一、须补正的问题（共 4 条）
    groups: tuple[Group, ...]

    @property
    def count(self) -> int:
        return sum(len(group.problems) for group in self.groups)


@dataclass(frozen=True)
class LetterContent:
    folder: str  # the dossier folder's name: out/<folder>/补正告知单.pdf
    applicant: str
    level: str | None
    sections: tuple[Section, ...]

    def count(self, severity: str) -> int:
        return sum(s.count for s in self.sections if s.severity == severity)


def letter_content(notice: Notice, dossier: DossierReport) -> LetterContent | None:
    """The letter for one dossier, or None when it has neither errors nor warnings."""
    materials = {m.id: m for m in notice.materials}
    sections: list[Section] = []
    number = 0
    for severity in SEVERITIES:
        findings = [f for f in dossier.findings if f.severity == severity]
        if not findings:
            continue
        groups = []
        for title, members in _grouped(findings, materials):
            problems = []
            for finding in members:
                number += 1
                problems.append(_problem(number, finding, dossier.path))
            groups.append(Group(title, tuple(problems)))
        heading = _HEADINGS[severity].format(count=len(findings))
        ordinal = _ORDINALS[len(sections)] if len(sections) < len(_ORDINALS) else ""
        sections.append(Section(severity, LABELS[severity], f"{ordinal}、{heading}", tuple(groups)))
    if not sections:
        return None
    folder = PurePosixPath(dossier.path).name
    return LetterContent(folder, dossier.applicant, dossier.level, tuple(sections))


def _grouped(
    findings: Iterable[Finding], materials: dict[str, Material]
) -> list[tuple[str, list[Finding]]]:
    """Findings by group, the groups in letter order, each group's in check's order."""
    groups: dict[tuple[int, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault(_group_of(finding, materials), []).append(finding)
    return [(title, members) for (_, title), members in sorted(groups.items())]


def _group_of(finding: Finding, materials: dict[str, Material]) -> tuple[int, str]:
    material = materials.get(finding.material) if finding.material else None
    if material is not None:
        return material.order, material_title(material)
    if finding.material:  # a material this notice does not list (should not happen)
        return _UNKNOWN_MATERIAL_RANK, finding.material
    if finding.file is None:
        return _OTHER_RANK, OTHER_GROUP
    if PurePosixPath(finding.file).name == APPLICANT_FILE:
        return _APPLICANT_RANK, APPLICANT_GROUP
    return _FILES_RANK, OTHER_FILES_GROUP


def material_title(material: Material) -> str:
    return f"第 {material.order} 项　{material.name}"


def _problem(number: int, finding: Finding, dossier: str) -> Problem:
    message = plain(finding.message, dossier)
    name = PurePosixPath(finding.file).name if finding.file else ""
    if name == APPLICANT_FILE:
        name = ""
    parts = []
    if name and name not in finding.message:
        parts.append(plain(name, dossier))
    if finding.page and f"第 {finding.page} 页" not in finding.message:
        parts.append(f"第 {finding.page} 页")
    return Problem(
        number=number,
        severity=finding.severity,
        label=LABELS[finding.severity],
        message=message,
        remedy=remedy(finding.hint, dossier, finding.severity),
        file=plain(name, dossier),
        page=finding.page,
        place=" ".join(parts),
    )
