"""``make_roster``: the whole ``zcprep roster`` command — load, plan, build, save — without
the printing, which is the CLI's."""

from __future__ import annotations

import datetime as dt

from zcprep.model.workspace import Workspace
from zcprep.roster.layout import refuse_name_collisions
from zcprep.roster.plan import RosterResult, load_applicants, plan_roster, select_levels
from zcprep.roster.workbook import build_workbooks, save_workbooks
from zcprep.xmltext import clean_model, config_notes


def make_roster(
    workspace: Workspace, level: str | None = None, today: dt.date | None = None
) -> RosterResult:
    """Load, plan, build and save: the whole ``zcprep roster`` command without the printing."""
    select_levels(workspace.notice, level)  # an unknown --level fails before any reading
    workspace, notes = workbook_safe(workspace)
    refuse_name_collisions(workspace.notice, one_level=level is not None)
    applicants, warnings = load_applicants(workspace)
    plan = plan_roster(workspace, applicants, level)
    if not workspace.notice.unit.name:
        warnings.append(
            "zcprep.toml 的 [unit] 中没有填写单位名称（name），一览表“单位（盖章）”后留空；"
            "请填写后重新运行 zcprep roster。"
        )
    outputs = save_workbooks(build_workbooks(workspace, plan, today))
    return RosterResult(
        outputs=outputs,
        fees=plan.fees,
        warnings=[*notes, *warnings, *plan.warnings],
        left_out=plan.left_out,
    )


def workbook_safe(workspace: Workspace) -> tuple[Workspace, list[str]]:
    """The workspace as the roster sees it: zcprep.toml's texts (unit name, title, headers,
    level names) without the characters a workbook cannot hold, and a line for each."""
    notice, found = clean_model(workspace.notice, ("notice", "unit", "levels", "roster"))
    if not found:
        return workspace, []
    loaded = workspace.loaded.model_copy(update={"notice": notice})
    return Workspace(workspace.root, loaded), config_notes(found, "一览表")
