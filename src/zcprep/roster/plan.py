"""The roster plan: applicants sorted into levels as typed rows, every warning collected.

Nothing here touches openpyxl. ``load_applicants`` reads the dossiers' applicant.toml
files; ``plan_roster`` resolves each column for each applicant (roster/columns.py) in
推荐排序 order and turns what it meets into warnings that name the applicant, the field
and the file to fix: levels not in zcprep.toml, duplicate ranks, missing or unreadable
fields, characters a workbook cannot hold. ``fee_rows`` is the fee summary, shown both in the workbook
and by the CLI.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from zcprep.errors import EXIT_FOUND_ERRORS, EXIT_OK, UsageError, ZcprepError
from zcprep.model.applicant import Applicant, load_applicant
from zcprep.model.notice import Level, Notice, RosterColumn
from zcprep.model.workspace import APPLICANT_FILE, Workspace
from zcprep.roster.cells import EMPTY, Gap, RosterCell, RowContext, number_cell, text_cell
from zcprep.roster.columns import _label, resolver, roster_columns
from zcprep.roster.leftout import leave_out_ineligible, sort_by_level
from zcprep.xmltext import describe, removed_characters, xml_safe

FEE_UNKNOWN = "未定"


@dataclass
class LevelSheet:
    """One level's table: its title and its typed rows in 推荐排序 order, then name."""

    level: Level
    title: str
    columns: list[RosterColumn]
    rows: list[list[RosterCell]]


@dataclass(frozen=True)
class FeeLine:
    level: Level
    count: int

    @property
    def fee(self) -> int | None:
        return self.level.fee

    @property
    def amount(self) -> int | None:
        return None if self.level.fee is None else self.level.fee * self.count


@dataclass
class RosterPlan:
    sheets: list[LevelSheet]
    warnings: list[str] = field(default_factory=list)
    # The one level ``--level`` asked for; None when the plan covers every level.
    selected: Level | None = None
    # Applicants of the chosen levels (or without a known level) not listed: see leftout.
    left_out: list[str] = field(default_factory=list)

    @property
    def fees(self) -> list[FeeLine]:
        return [FeeLine(sheet.level, len(sheet.rows)) for sheet in self.sheets]


@dataclass
class RosterResult:
    """What ``make_roster`` wrote, the fee summary and what the user should hear."""

    outputs: list[Path]
    fees: list[FeeLine]
    warnings: list[str]
    left_out: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """1 when an applicant was left out: the table and its fee total are incomplete."""
        return EXIT_FOUND_ERRORS if self.left_out else EXIT_OK


def fee_total(fees: Iterable[FeeLine]) -> int | None:
    """Sum of all amounts, or None when any level's fee is 未定."""
    amounts = [line.amount for line in fees]
    if any(amount is None for amount in amounts):
        return None
    return sum(amount for amount in amounts if amount is not None)


def select_levels(notice: Notice, wanted: str | None) -> list[Level]:
    """All levels, or the one ``--level`` names by id, Chinese name or qualification."""
    if wanted is None:
        return list(notice.levels)
    level = notice.level(wanted)
    if level is None:
        choices = "、".join(f"{lv.id}（{lv.name}）" for lv in notice.levels)
        raise UsageError(
            f"zcprep.toml 中没有级别“{wanted}”。",
            f"--level 可用：{choices}。",
        )
    return [level]


def load_applicants(workspace: Workspace) -> tuple[list[Applicant], list[str]]:
    """Every dossier's applicant.toml; a missing or broken one is a warning, not a stop."""
    applicants: list[Applicant] = []
    warnings: list[str] = []
    for folder in workspace.dossier_paths():
        path = folder / APPLICANT_FILE
        if not path.exists():  # a pipe or a link is load_applicant's to say
            warnings.append(
                f"{workspace.relative(folder)} 中没有 {APPLICANT_FILE}，未列入一览表；"
                "用 zcprep new 姓名 新建的档案才带有该文件。"
            )
            continue
        try:
            applicant = load_applicant(folder)
        except ZcprepError as exc:
            warnings.append(f"{exc.message} 该申报人未列入一览表。")
            continue
        warnings.extend(f"{workspace.relative(path)}：{note}" for note in applicant.notes)
        applicants.append(applicant)
    return applicants, warnings


def roster_title(notice: Notice, level: Level) -> str:
    """The configured title with {level} and {specialty} filled; other braces stay as typed."""
    return notice.roster.title.replace("{level}", level.name).replace(
        "{specialty}", notice.notice.specialty
    )


def plan_roster(
    workspace: Workspace, applicants: list[Applicant], level: str | None = None
) -> RosterPlan:
    """Typed rows per level (levels with applicants only), with every warning collected."""
    notice = workspace.notice
    levels = select_levels(notice, level)
    result = sort_by_level(notice, applicants, levels, every_level=level is None)
    leave_out_ineligible(workspace, result)
    by_level, warnings = result.by_level, result.warnings
    columns = roster_columns(notice)
    sheets = []
    for lv in levels:
        ranked = "rank" in notice.applicant.declared_keys()
        members = sorted(by_level[lv.id], key=_order_key if ranked else _by_name)
        if not members:
            if level is not None:
                raise UsageError(
                    f"没有申报“{lv.name}”的人员，未生成一览表。{_said(warnings)}",
                    "检查各档案 applicant.toml 中的 level，或去掉 --level 生成全部级别。",
                )
            continue
        if ranked:
            warnings.extend(_duplicate_ranks(lv, members))
        sheets.append(_level_sheet(workspace, lv, columns, members, warnings))
    if not sheets:
        raise UsageError(
            f"没有可列入一览表的申报人。{_said(warnings)}",
            "先用 zcprep new 姓名 新建档案并填写 applicant.toml 中的 level；"
            "已有档案的，运行 zcprep check 查看原因。",
        )
    return RosterPlan(
        sheets=sheets,
        warnings=warnings,
        selected=levels[0] if level is not None else None,
        left_out=result.left_out,
    )


def _said(warnings: list[str]) -> str:
    """The warnings so far (who was left out and why), when the roster stops for want of
    anyone: otherwise they would be lost with the error."""
    return "".join(f"\n{w}" for w in warnings)


def _by_name(applicant: Applicant) -> str:
    return applicant.name


def _order_key(applicant: Applicant) -> tuple[bool, int, str]:
    """推荐排序 first (unranked last), then name."""
    rank = applicant.number("rank")
    return (rank is None, rank or 0, applicant.name)


def _duplicate_ranks(level: Level, members: list[Applicant]) -> list[str]:
    names_by_rank: dict[int, list[str]] = {}
    for applicant in members:
        rank = applicant.number("rank")
        if rank is not None:
            names_by_rank.setdefault(rank, []).append(applicant.name)
    return [
        f"{level.name}：推荐排序 {rank} 重复（{'、'.join(names)}），一览表按姓名先后排列；"
        "请在 applicant.toml 中改正 rank。"
        for rank, names in names_by_rank.items()
        if len(names) > 1
    ]


def _level_sheet(
    workspace: Workspace,
    level: Level,
    columns: list[RosterColumn],
    members: list[Applicant],
    warnings: list[str],
) -> LevelSheet:
    rows = []
    optional = {
        spec.key for spec, required in workspace.notice.applicant.declared() if not required
    }
    for index, applicant in enumerate(members, start=1):
        ctx = RowContext(applicant, level, workspace.notice)
        row = []
        for column in columns:
            if column.key == "index":
                row.append(number_cell(index))
                continue
            cell, gaps = resolver(workspace.notice, column.key)(ctx)
            row.append(_clean(cell, applicant, column, workspace, warnings))
            gaps = [g for g in gaps if not (g.reason == "missing" and g.key in optional)]
            warnings.extend(_gap_warning(g, cell, applicant, column, workspace) for g in gaps)
        rows.append(row)
    return LevelSheet(
        level=level,
        title=roster_title(workspace.notice, level),
        columns=columns,
        rows=rows,
    )


def _gap_warning(
    gap: Gap, cell: RosterCell, applicant: Applicant, column: RosterColumn, workspace: Workspace
) -> str:
    """Name the applicant, the field, the column, what was written and where to fix it."""
    where = workspace.relative(applicant.folder / APPLICANT_FILE)
    spec = workspace.notice.applicant.spec(gap.key)
    field_name = f"{spec.label if spec else _label(gap.key)}（{gap.key}）"
    if gap.outcome:
        outcome = gap.outcome
    elif cell.kind == "empty":
        outcome = "已留空"
    elif gap.reason == "invalid" and cell.value == gap.raw:
        outcome = "按原文填写"
    else:
        outcome = "只填了可识别的部分"
    if gap.reason == "missing":
        return (
            f"{applicant.name}：缺少{field_name}{gap.detail}，一览表“{column.header}”栏{outcome}；"
            f"请在 {where} 中填写。"
        )
    return (
        f"{applicant.name}：{field_name}“{gap.raw}”无法识别，一览表“{column.header}”栏{outcome}；"
        f"请在 {where} 中改正。"
    )


def _clean(
    cell: RosterCell,
    applicant: Applicant,
    column: RosterColumn,
    workspace: Workspace,
    warnings: list[str],
) -> RosterCell:
    """A text cell without the characters a workbook cannot hold (XML 1.0), said once:
    openpyxl raises on control characters, and U+FFFE or a lone surrogate gives a file
    Excel cannot open."""
    if cell.kind != "text" or not isinstance(cell.value, str):
        return cell
    cleaned = xml_safe(cell.value)
    if cleaned == cell.value:
        return cell
    removed = removed_characters(cell.value)
    if removed:
        where = workspace.relative(applicant.folder / APPLICANT_FILE)
        warnings.append(
            f"{applicant.name}：一览表“{column.header}”栏的内容含有不可见的控制字符或不能写入"
            f"表格的字符（{describe(removed)}），已去掉；请检查 {where}。"
        )
    return text_cell(cleaned)


FEE_HEADERS = ("级别", "申报资格", "人数", "收费标准（元/人）", "金额（元）")


def fee_rows(fees: list[FeeLine]) -> list[list[RosterCell]]:
    """The fee table as typed cells: one row per level and a 合计 row."""
    rows = []
    for line in fees:
        rows.append(
            [
                text_cell(line.level.name),
                text_cell(line.level.qualification),
                number_cell(line.count),
                number_cell(line.fee) if line.fee is not None else text_cell(FEE_UNKNOWN),
                number_cell(line.amount) if line.amount is not None else text_cell(FEE_UNKNOWN),
            ]
        )
    total = fee_total(fees)
    rows.append(
        [
            text_cell("合计"),
            EMPTY,
            number_cell(sum(line.count for line in fees)),
            EMPTY,
            number_cell(total) if total is not None else text_cell(FEE_UNKNOWN),
        ]
    )
    return rows
