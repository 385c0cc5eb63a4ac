"""Who the 一览表 leaves out, and why, said once each.

An applicant whose level is missing or not one of zcprep.toml's, or whom ``check`` finds
ineligible (an error), is not listed: the sealed table and its fee total would be wrong.
Each is named with the reason; ``roster`` then exits 1. With ``--level`` only the chosen
levels are looked at: applicants of other levels are not left out, they are elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from zcprep.model.applicant import Applicant
from zcprep.model.notice import Level, Notice
from zcprep.model.workspace import Workspace
from zcprep.report import Finding

# A sentence ends at 。 unless the 。 closes a quotation (…。”), which goes on.
_SENTENCE = re.compile(r".*?。(?!”)|.+$", re.S)
_QUOTING = re.compile(r"^(?:通知原文|原文)：|[“”「」\s]")


@dataclass
class Sorted:
    """The applicants of the chosen levels by level id, and those the roster leaves out."""

    by_level: dict[str, list[Applicant]]
    left_out: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def sort_by_level(
    notice: Notice, applicants: Iterable[Applicant], levels: list[Level], every_level: bool
) -> Sorted:
    """Each applicant under the level written; without a known level, a stray (said only
    when every level is built: with ``--level`` they belong to no chosen table)."""
    chosen = {level.id for level in levels}
    result = Sorted(by_level={level.id: [] for level in levels})
    strays: list[tuple[str, str]] = []
    for applicant in applicants:
        written = applicant.text("level")
        found = notice.level(written) if written else None
        if found is None:
            if every_level:
                strays.append((applicant.name, written or "未填写"))
        elif found.id in chosen:
            result.by_level[found.id].append(applicant)
    if strays:
        result.left_out.extend(name for name, _ in strays)
        result.warnings.append(_stray_warning(notice, strays))
    return result


def _stray_warning(notice: Notice, strays: list[tuple[str, str]]) -> str:
    known = "、".join(level.name for level in notice.levels)
    listed = "、".join(f"{name}（{written}）" for name, written in strays)
    return (
        f"以下申报人的申报级别（level）不在 zcprep.toml 的级别中，未列入一览表：{listed}；"
        f"请在 applicant.toml 中改为 {known} 之一。"
    )


def leave_out_ineligible(workspace: Workspace, result: Sorted) -> None:
    """An applicant ``check`` finds ineligible (an error) does not enter the sealed 一览表;
    one who misses only a baseline rule the notice does not state stays, with a warning."""
    from zcprep.check import eligibility_findings

    doubtful = []
    for level_id, members in result.by_level.items():
        level = workspace.notice.level(level_id)
        for applicant in list(members):
            found = eligibility_findings(workspace, applicant)
            errors = [f for f in found if f.severity == "error"]
            if errors:
                members.remove(applicant)
                result.left_out.append(applicant.name)
                result.warnings.append(
                    f"{applicant.name}（{level.name if level else level_id}）不符合本通知的申报条件，"
                    "未列入一览表。"
                    f"{reasons(errors)}填错的，改正 applicant.toml 后重新运行 zcprep roster"
                    "（zcprep check 列出详情）。"
                )
            elif any(f.code == "eligibility-not-met" for f in found):
                doubtful.append(applicant.name)
    if doubtful:
        result.warnings.append(
            f"以下申报人按全国或本省规定核对资格时有疑问，已列入一览表，请人工核对：{'、'.join(doubtful)}"
            "（详见 zcprep check）。"
        )


def reasons(findings: Iterable[Finding]) -> str:
    """The findings' messages, each sentence once: a rule's text and the notice's words
    quoting it (通知原文：“…”) say the same, and two findings may share a rule."""
    seen: set[str] = set()
    said = []
    for finding in findings:
        for sentence in _SENTENCE.findall(finding.message.strip()):
            key = _QUOTING.sub("", sentence).rstrip("。")
            if key and key not in seen:
                seen.add(key)
                said.append(sentence if sentence.endswith(("。", "”")) else sentence + "。")
    return "".join(said)
