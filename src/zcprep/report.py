"""Findings and reports: a failed check is a result, not an exception.

The JSON shape and the finding codes are a contract (DESIGN.md, "check report"): codes
may be added, never renamed. How a report is shown (terminal table, JSON) lives in the
CLI; this module only holds the data and its JSON form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from zcprep import __version__

Severity = Literal["error", "warning", "info"]

# Stable codes (DESIGN.md). New codes are appended; none is ever renamed.
CODES = (
    "material-missing",
    "material-unexpected",
    "file-empty",
    "file-unreadable",
    "file-type-mismatch",
    "file-encrypted",
    "file-too-large",
    "page-size",
    "scan-resolution-low",
    "duplicate-file",
    "classified-marking",
    "applicant-field-missing",
    "applicant-field-invalid",
    "id-number-invalid",
    "eligibility-not-met",
    "continuing-education-short",
    "social-insurance-short",
    "publicity-missing",
    "publicity-too-short",
    "calendar-unverified",
    "deadline-passed",
    # Added by zcprep check (issue 3).
    "file-unsupported",
    "file-format-not-allowed",
    "file-permissions-restricted",
    "file-check-timeout",
    "file-check-skipped",
    "file-repaired",
    "file-link-outside",
    "duplicate-across-dossiers",
    "id-number-mismatch",
    "applicant-file-missing",
    "applicant-file-invalid",
    "applicant-file-note",
    "applicant-field-unknown",
    "check-failed",
    "graduation-after-cutoff",
    "exceptional-not-needed",
    # Added with per-notice fields, rule sources and material stages (issue 11).
    "material-not-accepted",
    "material-later",
    # Added with drafts that are not scans and hints written for the finding (issue 15).
    "material-draft",
    "material-bound-volume",
    "unit-unfilled",
    "file-shortcut",  # a Windows .lnk where a file belongs (issue 16)
)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    hint: str
    material: str | None = None
    file: str | None = None
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "material": self.material,
            "file": self.file,
            "page": self.page,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class DossierReport:
    path: str
    applicant: str
    level: str | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "applicant": self.applicant,
            "level": self.level,
            "ok": self.ok,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class Report:
    """One check of a batch. ``notice_findings`` are about the notice or the whole batch
    (a passed deadline, a missing 花名册): said and counted once, not per dossier."""

    notice: str
    dossiers: list[DossierReport] = field(default_factory=list)
    notice_findings: list[Finding] = field(default_factory=list)
    stage: str = "submit"

    @property
    def ok(self) -> bool:
        return all(d.ok for d in self.dossiers) and not any(
            f.severity == "error" for f in self.notice_findings
        )

    def _count(self, severity: str) -> int:
        own = sum(1 for f in self.notice_findings if f.severity == severity)
        return own + sum(1 for d in self.dossiers for f in d.findings if f.severity == severity)

    @property
    def error_count(self) -> int:
        return self._count("error")

    @property
    def warning_count(self) -> int:
        return self._count("warning")

    @property
    def info_count(self) -> int:
        return self._count("info")

    def to_dict(self) -> dict[str, Any]:
        return {
            "tool": "zcprep",
            "version": __version__,
            "notice": self.notice,
            "stage": self.stage,
            "ok": self.ok,
            "summary": {
                "dossiers": len(self.dossiers),
                "errors": self.error_count,
                "warnings": self.warning_count,
            },
            "notice_findings": [f.to_dict() for f in self.notice_findings],
            "dossiers": [d.to_dict() for d in self.dossiers],
        }
