"""``make_roster``: the whole ``zcprep roster`` command — load, plan, build, save — without
the printing, which is the CLI's."""

from __future__ import annotations

import datetime as dt

from zcprep.model.workspace import Workspace
from zcprep.roster.plan import RosterResult, load_applicants, plan_roster, select_levels
from zcprep.roster.workbook import build_workbooks, save_workbooks


def make_roster(
    workspace: Workspace, level: str | None = None, today: dt.date | None = None
) -> RosterResult:
    """Load, plan, build and save: the whole ``zcprep roster`` command without the printing."""
    select_levels(workspace.notice, level)  # an unknown --level fails before any reading
    applicants, warnings = load_applicants(workspace)
    plan = plan_roster(workspace, applicants, level)
    if not workspace.notice.unit.name:
        warnings.append(
            "zcprep.toml 的 [unit] 中没有填写单位名称（name），一览表“单位（盖章）”后留空；"
            "请填写后重新运行 zcprep roster。"
        )
    outputs = save_workbooks(build_workbooks(workspace, plan, today))
    return RosterResult(outputs=outputs, fees=plan.fees, warnings=[*warnings, *plan.warnings])
