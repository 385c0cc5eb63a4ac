"""Rules of the notice: continuing education, social insurance and the 公示 period on the
official calendar (eligibility lives in zcprep.check.eligibility), and the deadlines,
which are about the notice as a whole.

Every rule reads the notice's own config and says where it comes from
(zcprep.check.sources); nothing here is specific to one province.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from zcprep.check.base import Check, error, warning
from zcprep.check.context import DossierContext
from zcprep.check.sources import breach, demand, origin
from zcprep.cndate import format_date
from zcprep.model.applicant import NONE_VALUE, Applicant
from zcprep.model.notice import Notice
from zcprep.model.workspace import APPLICANT_FILE
from zcprep.report import Finding
from zcprep.workdays import add_workdays, count_workdays

# 60 of 90 hours is two thirds even though 60/90 < 0.6667.
_SHARE_TOLERANCE = 0.0005


def _where(context: DossierContext) -> str:
    return f"{context.rel}/{APPLICANT_FILE}"


def _hours(records: list[Any]) -> dict[int, tuple[float, float]]:
    """Public and professional hours per year; malformed entries are left to the field check."""
    totals: dict[int, tuple[float, float]] = {}
    for entry in records:
        if not isinstance(entry, dict) or not isinstance(entry.get("year"), int):
            continue
        public, professional = entry.get("public_hours", 0), entry.get("professional_hours", 0)
        if not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in (public, professional)
        ):
            continue
        old_public, old_professional = totals.get(entry["year"], (0.0, 0.0))
        totals[entry["year"]] = (old_public + public, old_professional + professional)
    return totals


def counted_years(notice: Notice, started: dt.date | None) -> list[int]:
    """The years the notice counts (Notice.continuing_education_years) for one
    applicant: none before work began."""
    return [
        year
        for year in notice.continuing_education_years()
        if started is None or year >= started.year
    ]


def continuing_education(context: DossierContext) -> Iterator[Finding]:
    rule, applicant = context.notice.continuing_education, context.applicant
    if rule is None or applicant is None:
        return
    if "continuing_education" not in context.notice.applicant.declared_keys():
        return
    if any(applicant.matches(c, context.level_id) for c in rule.waived_when):
        return
    records = applicant.data.get("continuing_education")
    if isinstance(records, str) and records.strip() == NONE_VALUE:
        records = []  # 无: no hours in any year the notice counts
    if not isinstance(records, list):
        return
    hours = _hours(records)
    demand_text = f"每年不少于 {rule.hours_per_year:g} 学时"
    if rule.public_min_hours:
        demand_text += f"，公需科目不少于 {rule.public_min_hours:g} 学时"
    if rule.professional_min_hours:
        demand_text += f"，专业科目不少于 {rule.professional_min_hours:g} 学时"
    if rule.professional_min_share:
        demand_text += f"，专业科目不少于 {rule.professional_min_share:.0%}"
    for year in counted_years(context.notice, applicant.date("work_start_date")):
        problems = _year_shortfalls(rule, hours.get(year))
        if problems:
            yield breach(
                rule,
                "continuing-education-short",
                f"{year} 年继续教育：{'；'.join(problems)}"
                f"{'' if rule.source == 'notice' else origin(rule)}。",
                f"补齐学时证明并在 applicant.toml 中如实填写（"
                f"{demand(rule, demand_text) if rule.source != 'baseline' else demand_text}）。",
                file=_where(context),
            )


def _year_shortfalls(rule: Any, record: tuple[float, float] | None) -> list[str]:
    if record is None:
        return ["没有记录"]
    public, professional = record
    total = public + professional
    problems = []
    if total < rule.hours_per_year:
        problems.append(f"合计 {total:g} 学时，不足 {rule.hours_per_year:g} 学时")
    if rule.public_min_hours and public < rule.public_min_hours:
        problems.append(f"公需科目 {public:g} 学时，不足 {rule.public_min_hours:g} 学时")
    if rule.professional_min_hours and professional < rule.professional_min_hours:
        problems.append(
            f"专业科目 {professional:g} 学时，不足 {rule.professional_min_hours:g} 学时"
        )
    share = rule.professional_min_share
    if share and total > 0 and professional / total < share - _SHARE_TOLERANCE:
        problems.append(f"专业科目占 {professional / total:.0%}，不足 {share:.0%}")
    return problems


def social_insurance(context: DossierContext) -> Iterator[Finding]:
    rule, applicant = context.notice.social_insurance, context.applicant
    if rule is None or applicant is None:
        return
    if any(applicant.matches(c, context.level_id) for c in rule.waived_when):
        return
    if "social_insurance_months" not in context.notice.applicant.declared_keys():
        return
    months = applicant.number("social_insurance_months")
    written = applicant.data.get("social_insurance_months")
    if months is None:
        if written is not None and not (isinstance(written, str) and not written.strip()):
            yield breach(
                rule,
                "social-insurance-short",
                f"连续缴纳社保月数写的是“{written}”，无法确认已连续缴费 {rule.months} 个月"
                f"（{demand(rule, f'连续缴费 {rule.months} 个月')}）。",
                "按社保缴费证明写月数（整数，如 social_insurance_months = 12）；"
                "确实没有缴费的，不符合本通知的申报条件。",
                file=_where(context),
            )
        return
    if months < rule.months:
        yield breach(
            rule,
            "social-insurance-short",
            f"连续缴纳社保 {months} 个月，不足 {rule.months} 个月"
            f"（{demand(rule, f'连续缴费 {rule.months} 个月')}）。",
            "核对社保缴费证明；确实不足的，待缴满后再申报。",
            file=_where(context),
        )


def _unset(applicant: Applicant, key: str) -> bool:
    value = applicant.data.get(key)
    return value is None or (isinstance(value, str) and value.strip() in ("", NONE_VALUE))


def publicity(context: DossierContext) -> Iterator[Finding]:
    applicant = context.applicant
    if applicant is None:
        return
    where, rule = _where(context), context.notice.publicity
    if not rule.required or "publicity_start" not in context.notice.applicant.declared_keys():
        return  # no unit 公示 in this notice (e.g. Sichuan's 初定)
    start, end = applicant.date("publicity_start"), applicant.date("publicity_end")
    if start is None or end is None:
        if _unset(applicant, "publicity_start") or _unset(applicant, "publicity_end"):
            yield error(
                "publicity-missing",
                "没有填写公示起止日期（publicity_start、publicity_end），无法确认已在单位内公示。",
                f"在单位内公示不少于 {rule.min_working_days} 个工作日后，把起止日期填入 applicant.toml。",
                file=where,
            )
        return  # an unreadable date is reported by the field check
    if end < start:
        yield error(
            "applicant-field-invalid",
            f"公示结束日期 {format_date(end)} 早于开始日期 {format_date(start)}。",
            "核对公示起止日期。",
            file=where,
        )
        return
    override = context.notice.calendar.override()
    counted = count_workdays(start, end, rule.first_day_counts, override)
    unverified = set(counted.unverified_years)
    if counted.days < rule.min_working_days:
        needed = add_workdays(start, rule.min_working_days, rule.first_day_counts, override)
        unverified |= set(needed.unverified_years)
        first = "" if rule.first_day_counts else "（首日不计）"
        yield breach(
            rule,
            "publicity-too-short",
            f"公示 {format_date(start)} 至 {format_date(end)} 只有 {counted.days} 个工作日{first}，"
            f"{demand(rule, f'不少于 {rule.min_working_days} 个工作日')}。",
            f"从 {format_date(start)} 开始公示，应至少公示到 {format_date(needed.end)}"
            "（已按法定节假日和调休计算）；补足公示后改正日期。",
            file=where,
        )
    if unverified:
        years = "、".join(str(y) for y in sorted(unverified))
        yield warning(
            "calendar-unverified",
            f"尚未收录 {years} 年的法定节假日安排，公示工作日按周一至周五计算，可能不准。",
            "升级 chinesecalendar（pip install -U chinesecalendar）；或按国务院办公厅当年的放假通知，"
            "在 zcprep.toml 的 [calendar] 中写明 holidays（放假日）和 workdays（调休上班日）。",
            file=where,
        )


def deadlines(notice: Notice, today: dt.date) -> Iterator[Finding]:
    """A passed deadline: about the notice, said once for the batch."""
    dates = notice.dates
    for label, window in (("网上申报", dates.online), ("纸质材料报送", dates.paper)):
        if window is not None and window.end < today:
            yield warning(
                "deadline-passed",
                f"{label}已于 {format_date(window.end)} 截止（今天是 {format_date(today)}）。",
                "确认是否仍可报送（有无延期通知）；若已截止，本年度无法再报送。",
            )


CHECKS: tuple[Check, ...] = (continuing_education, social_insurance, publicity)
