"""Rules of the notice: eligibility, continuing education, social insurance, the 公示
period on the official calendar, and deadlines.

Every rule reads the notice's own config; nothing here is specific to one province.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from zcprep.check.base import Check, error, info, warning
from zcprep.check.context import DossierContext
from zcprep.cndate import format_date
from zcprep.model.applicant import FIELD_BY_KEY, NONE_VALUE, Applicant
from zcprep.model.notice import EligibilityRule, Notice
from zcprep.model.workspace import APPLICANT_FILE
from zcprep.report import Finding
from zcprep.workdays import add_workdays, count_workdays

COUNT_FROM_FIELD = {
    "graduation": "graduation_date",
    "work_start": "work_start_date",
    "specialty_start": "specialty_start_date",
    "current_title": "current_title_date",
}
# The engineering ladder, used so that "工程师" does not match "助理工程师".
TITLE_LADDER = ("技术员", "助理工程师", "工程师", "高级工程师", "正高级工程师")
# 60 of 90 hours is two thirds even though 60/90 < 0.6667.
_SHARE_TOLERANCE = 0.0005


def _where(context: DossierContext) -> str:
    return f"{context.rel}/{APPLICANT_FILE}"


def full_months(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (满 N 个月); negative when end is earlier."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months


def as_of_date(notice: Notice, today: dt.date) -> tuple[dt.date, str]:
    """The date seniority is counted to, and how to name it in a message."""
    mode = notice.eligibility.as_of
    if mode == "seniority_cutoff" and notice.dates.seniority_cutoff is not None:
        return notice.dates.seniority_cutoff, "资历截止日"
    if mode == "today":
        return today, "今天"
    return notice.notice.issued, "通知发布日"


def _core_title(text: str) -> str:
    """助理工程师（网络安全） → 助理工程师: the bracketed specialty does not change the title."""
    for opening in ("（", "("):
        text = text.split(opening, 1)[0]
    return "".join(text.split())


def title_matches(current: str, wanted: str, known: tuple[str, ...] = TITLE_LADDER) -> bool:
    """Whether a held title is ``wanted``: "网络安全助理工程师" is a 助理工程师, not a 工程师."""
    core = _core_title(current)
    if not core.endswith(wanted):
        return False
    return not any(
        longer != wanted and longer.endswith(wanted) and core.endswith(longer) for longer in known
    )


@dataclass
class Evaluation:
    rule: EligibilityRule
    unmet: list[str] = field(default_factory=list)
    months_have: int | None = None
    months_short: int = 0

    @property
    def met(self) -> bool:
        return not self.unmet and self.months_short == 0


def evaluate(
    rule: EligibilityRule, applicant: Applicant, as_of: dt.date, known: tuple[str, ...]
) -> Evaluation:
    result = Evaluation(rule)
    education, degree = applicant.text("education"), applicant.text("degree")
    title = applicant.text("current_title") or NONE_VALUE
    if rule.education and education not in rule.education:
        result.unmet.append(f"学历为“{education or '未填'}”，此条要求{'或'.join(rule.education)}")
    if rule.degree and degree not in rule.degree:
        result.unmet.append(f"学位为“{degree or '未填'}”，此条要求{'或'.join(rule.degree)}")
    if rule.lower_titles and not any(title_matches(title, t, known) for t in rule.lower_titles):
        result.unmet.append(f"现专业技术资格为“{title}”，此条要求{'或'.join(rule.lower_titles)}")
    if rule.months > 0:
        key = COUNT_FROM_FIELD[rule.count_from]
        start = applicant.date(key)
        if start is None:
            result.unmet.append(f"“{FIELD_BY_KEY[key].label}”未填或无法识别，无法计算年限")
            result.months_short = rule.months
        else:
            result.months_have = max(0, full_months(start, as_of))
            result.months_short = max(0, rule.months - result.months_have)
    return result


def _describe(rule: EligibilityRule) -> str:
    if rule.note:
        return rule.note
    parts = ["或".join(rule.education), "或".join(rule.degree), "或".join(rule.lower_titles)]
    text = "、".join(p for p in parts if p) or "资格条件"
    return f"{text}满 {rule.months} 个月" if rule.months else text


def eligibility(context: DossierContext) -> Iterator[Finding]:
    applicant, level = context.applicant, context.level
    if applicant is None or level is None:
        return
    rules = [r for r in context.notice.eligibility.rules if r.level == level.id]
    if not rules:
        return
    normal = [r for r in rules if not r.exceptional]
    exceptional = [r for r in rules if r.exceptional]
    as_of, as_of_label = as_of_date(context.notice, context.today)
    known = tuple(
        dict.fromkeys(
            [*TITLE_LADDER, *(t for r in context.notice.eligibility.rules for t in r.lower_titles)]
        )
    )
    evaluations = [evaluate(rule, applicant, as_of, known) for rule in normal]
    where = _where(context)
    if any(e.met for e in evaluations):
        if applicant.flag("exceptional"):
            yield info(
                "exceptional-not-needed",
                f"已符合申报{level.name}的正常资格条件，却选了破格申报。",
                "确认是否确需破格；不需要的把 exceptional 改为 false，就不必提交破格材料。",
                file=where,
            )
        return
    if applicant.flag("exceptional"):
        if exceptional:
            return  # the 破格 path: the 破格 material is then required (materials family)
        yield error(
            "eligibility-not-met",
            f"申报{level.name}不符合正常资格条件，而本通知的{level.name}没有破格申报途径。",
            "核对学历和年限；确实不满足的，本年度不能申报该级别。",
            file=where,
        )
        return
    breakthrough = (
        "；符合破格条件的，把 exceptional 改为 true 并提交破格申报材料" if exceptional else ""
    )
    if not evaluations:
        yield error(
            "eligibility-not-met",
            f"本通知的{level.name}只接受破格申报，而申报信息中未选破格。",
            "符合破格条件的，把 exceptional 改为 true 并提交破格申报材料；否则不能申报该级别。",
            file=where,
        )
        return
    closest = min(evaluations, key=lambda e: (len(e.unmet), e.months_short))
    reasons = list(closest.unmet)
    if closest.months_have is not None and closest.months_short:
        reasons.append(
            f"到{as_of_label}{format_date(as_of)}只有 {closest.months_have} 个月，"
            f"要求 {closest.rule.months} 个月，还差 {closest.months_short} 个月"
        )
    yield error(
        "eligibility-not-met",
        f"不符合申报{level.name}的资格条件。最接近的一条是“{_describe(closest.rule)}”：{'；'.join(reasons)}。",
        f"核对学历、现资格和相关日期是否填对；确实不满足的，不能申报{level.name}{breakthrough}。",
        file=where,
    )


def education_cutoff(context: DossierContext) -> Iterator[Finding]:
    """A degree obtained after the notice's 学历（学位）截止日 does not count this year."""
    cutoff, applicant = context.notice.dates.achievements_cutoff, context.applicant
    if cutoff is None or applicant is None:
        return
    graduated = applicant.date("graduation_date")
    if graduated is not None and graduated > cutoff:
        yield error(
            "graduation-after-cutoff",
            f"毕业时间 {format_date(graduated)} 晚于通知规定的学历（学位）截止日 {format_date(cutoff)}，"
            "该学历本年度不能作为申报学历。",
            "按截止日前取得的最高学历填写学历、学位和毕业时间，并据此核对资格条件。",
            file=_where(context),
        )


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


def continuing_education(context: DossierContext) -> Iterator[Finding]:
    rule, applicant = context.notice.continuing_education, context.applicant
    if rule is None or applicant is None:
        return
    records = applicant.data.get("continuing_education")
    if not isinstance(records, list):
        return
    hours = _hours(records)
    started = applicant.date("work_start_date")
    year_of_notice = context.notice.notice.year
    demand = f"每年不少于 {rule.hours_per_year:g} 学时"
    if rule.public_min_hours:
        demand += f"，公需科目不少于 {rule.public_min_hours:g} 学时"
    if rule.professional_min_hours:
        demand += f"，专业科目不少于 {rule.professional_min_hours:g} 学时"
    if rule.professional_min_share:
        demand += f"，专业科目不少于 {rule.professional_min_share:.0%}"
    for year in range(year_of_notice - rule.years, year_of_notice):
        if started is not None and started.year > year:
            continue  # not yet at work that year: nothing to make up
        problems = _year_shortfalls(rule, hours.get(year))
        if problems:
            yield error(
                "continuing-education-short",
                f"{year} 年继续教育：{'；'.join(problems)}。",
                f"补齐学时证明并在 applicant.toml 中如实填写（通知要求{demand}）。",
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
    months = applicant.number("social_insurance_months")
    if months is not None and months < rule.months:
        yield error(
            "social-insurance-short",
            f"连续缴纳社保 {months} 个月，不足通知要求的 {rule.months} 个月。",
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
    if not rule.required:
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
        yield error(
            "publicity-too-short",
            f"公示 {format_date(start)} 至 {format_date(end)} 只有 {counted.days} 个工作日{first}，"
            f"通知要求不少于 {rule.min_working_days} 个工作日。",
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


def deadlines(context: DossierContext) -> Iterator[Finding]:
    dates = context.notice.dates
    for label, window in (("网上申报", dates.online), ("纸质材料报送", dates.paper)):
        if window is not None and window.end < context.today:
            yield warning(
                "deadline-passed",
                f"{label}已于 {format_date(window.end)} 截止（今天是 {format_date(context.today)}）。",
                "确认是否仍可报送（有无延期通知）；若已截止，本年度无法再报送。",
            )


CHECKS: tuple[Check, ...] = (
    eligibility,
    education_cutoff,
    continuing_education,
    social_insurance,
    publicity,
    deadlines,
)
