"""What belongs to the whole batch, checked once: the workspace's batch folder (花名册, a
city's 委托评审函, the unit's 推荐意见), the materials that come later, and the deadlines.

These are the report's ``notice_findings``: said and counted once, not per dossier.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from zcprep.check import files, materials, rules
from zcprep.check.base import error, info, run_checks, warning
from zcprep.check.context import build_batch_context
from zcprep.errors import ZcprepError
from zcprep.model.applicant import Applicant, load_applicant
from zcprep.model.notice import STAGE_NAMES, Notice, Stage
from zcprep.model.workspace import Workspace
from zcprep.report import Finding

BATCH_CHECKS = (*materials.CHECKS, *files.CHECKS)


def notice_findings(
    workspace: Workspace,
    dossiers: list[Path],
    today: dt.date,
    file_time_limit: float | None,
    stage: Stage,
) -> list[Finding]:
    notice = workspace.notice
    found = list(rules.deadlines(notice, today))
    found += unit_unfilled(notice)
    found += later_materials(notice, stage)
    if not notice.batch_checklist:
        return found
    batch = workspace.batch_dir
    if batch.exists() and not batch.is_dir():
        found.append(
            error(
                "file-unreadable",
                f"工作区的 {workspace.relative(batch)} 是一个文件，不是文件夹，整批材料无法检查。",
                f"把这个文件改名或移走，新建 {workspace.relative(batch)} 文件夹，"
                "把花名册等整批材料按编号放进去（运行 zcprep new 会建好各项文件夹）。",
                file=workspace.relative(batch),
            )
        )
        return found
    context = build_batch_context(
        workspace, _members(workspace, dossiers), today, file_time_limit, stage
    )
    found += run_checks(context, BATCH_CHECKS)
    return found


def _members(workspace: Workspace, dossiers: list[Path]) -> list[tuple[Applicant, str | None]]:
    """Each readable applicant with the level id applied for (for batch conditions)."""
    members = []
    for path in dossiers:
        try:
            person = load_applicant(path)
        except (ZcprepError, OSError):
            continue  # reported in that dossier
        level = workspace.notice.level(person.text("level") or "")
        members.append((person, level.id if level else None))
    return members


_UNIT_KEYS = (("name", "单位名称"), ("contact", "经办人"), ("phone", "经办人电话"))


def unit_unfilled(notice: Notice) -> list[Finding]:
    """zcprep.toml's [unit] left (partly) as ``zcprep init`` wrote it: said once for the
    batch, naming the keys to fill (the forms and the 一览表 print them); a warning when
    the unit's name is missing, a note when only the contact is."""
    unit = notice.unit
    if "unit" not in notice.model_fields_set:
        return []  # a config written without [unit] at all (zcprep init always writes one)
    empty = [(key, label) for key, label in _UNIT_KEYS if not getattr(unit, key).strip()]
    if not empty:
        return []
    named = "、".join(f"{label}（{key}）" for key, label in empty)
    make = warning if not unit.name.strip() else info
    return [
        make(
            "unit-unfilled",
            f"zcprep.toml 的 [unit] 中没有填写{named}：生成的表单和一览表中这些位置将留空。",
            "在 zcprep.toml 的 [unit] 中填写 "
            + "、".join(f'{key} = "{label}"' for key, label in empty)
            + "（单位名称写盖章用的全称），再运行 zcprep check。",
        )
    ]


def later_materials(notice: Notice, stage: Stage) -> list[Finding]:
    """One note naming the items not due at ``stage`` (the 评审表 the platform makes after
    the online review), so the officer knows what comes later and when."""
    later = [m for m in notice.materials if not m.due(stage) and not m.not_accepted]
    if not later:
        return []
    named = []
    for material in sorted(later, key=lambda m: m.order):
        paper = f"，{material.paper_note}" if material.paper_note else ""
        named.append(
            f"第 {material.order} 项“{material.name}”（{STAGE_NAMES[material.stage]}{paper}）"
        )
    return [
        info(
            "material-later",
            f"本次按“{STAGE_NAMES[stage]}”检查，以下材料以后才需要，暂未检查：{'；'.join(named)}。",
            "网上审核通过、材料齐备后，运行 zcprep check --stage paper 检查纸质报送的全部材料。",
        )
    ]
