"""Who may apply: the notice's exclusions, then the paths to the level applied for.

A broken path says where the rule comes from (zcprep.check.sources): the notice's own
conditions are errors, a national baseline the notice only points to is a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from zcprep.check.base import Check, error, info, warning
from zcprep.check.context import DossierContext
from zcprep.check.paths import Evaluation, Verdict
from zcprep.check.sources import breach, origin, quoted
from zcprep.cndate import format_date
from zcprep.model.applicant import FIELD_BY_KEY
from zcprep.model.rules import EligibilityRule
from zcprep.model.workspace import APPLICANT_FILE
from zcprep.report import Finding


def _where(context: DossierContext) -> str:
    return f"{context.rel}/{APPLICANT_FILE}"


def exclusions(context: DossierContext) -> Iterator[Finding]:
    """公务员…不得参加职称评审: an applicant the notice excludes, whatever the level."""
    applicant = context.applicant
    if applicant is None:
        return
    for rule in context.notice.eligibility.exclusions:
        if applicant.matches(rule.when, context.level_id):
            cite = quoted(rule) or origin(rule)
            yield breach(
                rule,
                "eligibility-not-met",
                f"{rule.message.rstrip('。')}。{cite}",
                "核对申报信息；情况属实的，不能申报。填错的改正 applicant.toml。",
                file=_where(context),
            )


def _describe(rule: EligibilityRule) -> str:
    if rule.note:
        return rule.note
    parts = ["或".join(rule.education), "或".join(rule.degree), "或".join(rule.lower_titles)]
    text = "、".join(p for p in parts if p) or "资格条件"
    return f"{text}满 {rule.months} 个月" if rule.months else text


def eligibility(context: DossierContext) -> Iterator[Finding]:
    applicant, result = context.applicant, context.verdict
    if applicant is None or result is None:
        return
    level, where = result.level, _where(context)
    exceptional = result.exceptional_paths
    section = context.notice.eligibility
    # 破格 is read only where the notice asks it (an undeclared key is ignored).
    wants_exceptional = (
        "exceptional" in context.notice.applicant.declared_keys() and applicant.flag("exceptional")
    )
    if result.path is not None:
        if wants_exceptional:
            yield info(
                "exceptional-not-needed",
                f"已符合申报{level.name}的正常资格条件，却选了破格申报。",
                "确认是否确需破格；不需要的把 exceptional 改为 false，就不必提交破格材料。",
                file=where,
            )
        return
    if result.undecided is not None:
        # a date the rule needs cannot be read: judged neither met nor not, 破格 or not
        yield _cannot_tell(context, result.undecided, wants_exceptional)
        return
    if wants_exceptional:
        if exceptional:
            return  # the 破格 path: the 破格 material is then required (materials family)
        yield breach(
            section,
            "eligibility-not-met",
            f"申报{level.name}不符合正常资格条件，而本通知的{level.name}没有破格申报途径"
            f"{'' if section.source == 'notice' else origin(section)}。",
            "核对学历和年限；确实不满足的，本年度不能申报该级别。",
            file=where,
        )
        return
    closest = result.closest
    if closest is None:
        yield breach(
            section,
            "eligibility-not-met",
            f"本通知的{level.name}只接受破格申报，而申报信息中未选破格。",
            "符合破格条件的，把 exceptional 改为 true 并提交破格申报材料；否则不能申报该级别。",
            file=where,
        )
        return
    yield _not_met(context, result, closest, bool(exceptional))


def _cannot_tell(context: DossierContext, closest: Evaluation, exceptional: bool) -> Finding:
    """A rule that might be met but needs a date that cannot be read: the field, as
    written, and what to write; never a verdict on the rule."""
    level = context.level
    chosen = "（已选破格申报：改正后才知道是否确需破格）" if exceptional else ""
    return warning(
        "eligibility-not-met",
        f"{'、'.join(_unreadable(context, closest))}，算不出年限，因此无法判断是否符合申报"
        f"{level.name if level else ''}的资格条件“{_describe(closest.rule)}”{chosen}。",
        f"{_write_dates(closest)}，再运行 zcprep check。",
        file=_where(context),
    )


def _date_keys(evaluation: Evaluation) -> list[str]:
    """The keys to correct: an earlier education's date is inside earlier_education."""
    earlier = evaluation.schooling.earlier
    return [
        f"earlier_education 第 {earlier} 项的 {key}"
        if earlier and key == "graduation_date"
        else key
        for key in evaluation.unreadable
    ]


def _write_dates(evaluation: Evaluation) -> str:
    return f'按证书原件把 {"、".join(_date_keys(evaluation))} 写成 2016-12-30 或 "2016.12" 的形式'


def _unreadable(context: DossierContext, evaluation: Evaluation) -> list[str]:
    """Each date a rule needs and cannot read, said with its key and what is written."""
    applicant = context.applicant
    said = []
    for key in evaluation.unreadable:
        label = FIELD_BY_KEY[key].label
        written = applicant.data.get(key) if applicant is not None else None
        if evaluation.schooling.earlier and key == "graduation_date":
            said.append(f"{evaluation.schooling.label}的毕业时间未填或无法识别")
        elif written is None or (isinstance(written, str) and not written.strip()):
            said.append(f"“{label}”（{key}）未填")
        else:
            shown = written.strip() if isinstance(written, str) else written
            said.append(f"“{label}”（{key}）写的是“{shown}”，无法识别为日期")
    return said


def _not_met(
    context: DossierContext, result: Verdict, closest: Evaluation, exceptional: bool
) -> Finding:
    level = result.level
    reasons = list(closest.unmet) + _unreadable(context, closest)
    if closest.months_have is not None and closest.months_short:
        counted = "（只写到月的日期按该月最后一天起算）" if closest.from_month else ""
        reasons.append(
            f"到{result.as_of_label}{format_date(result.as_of)}只有 {closest.months_have} 个月"
            f"{counted}，要求 {closest.rule.months} 个月，还差 {closest.months_short} 个月"
        )
    source = context.notice.eligibility.source_of(closest.rule)
    used = (
        f"（按{closest.schooling.label}）"
        if len(result.evaluations) > len([r for r in result.rules if not r.exceptional])
        else ""
    )
    breakthrough = (
        "；符合破格条件的，把 exceptional 改为 true 并提交破格申报材料" if exceptional else ""
    )
    where = "资格条件" + origin(source)
    return breach(
        source,
        "eligibility-not-met",
        f"不符合申报{level.name}的{where}。最接近的一条是“{_describe(closest.rule)}”{used}："
        f"{'；'.join(reasons)}。",
        f"{_write_dates(closest) + '；' if closest.unreadable else ''}"
        f"核对学历、现资格和相关日期是否填对；确实不满足的，不能申报{level.name}{breakthrough}。",
        file=_where(context),
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
            "按截止日前取得的最高学历填写学历、学位和毕业时间（原学历可写进 earlier_education），"
            "并据此核对资格条件。",
            file=_where(context),
        )


CHECKS: tuple[Check, ...] = (exclusions, eligibility, education_cutoff)
