"""Applicant data: every field the notice declares as required is there, values that
parse, and an ID number that is valid and agrees with the birth date and gender given.

Only the notice's 无 rule (``[applicant] none_rule``, Xinjiang) makes a blank field an
error that cites the notice; elsewhere a blank optional field is fine.

The loader keeps values as written (zcprep.model.applicant), so every bad value is found here
at once instead of the first one stopping the run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from zcprep.check.answers import blank_hint, none_problem
from zcprep.check.base import Check, error, info, warning
from zcprep.check.context import DossierContext
from zcprep.check.records import earlier_education_problem, hours_problem
from zcprep.cndate import (
    coerce_date,
    format_date,
    format_year_month,
    parse_date,
    parse_year_month,
)
from zcprep.idcard import normalize_phone, spaced, validate_id
from zcprep.model.applicant import FIELD_BY_KEY, FLAG_FORMS, NONE_VALUE, Applicant, parse_flag
from zcprep.model.fields import FieldSpec, accepts_none
from zcprep.model.workspace import APPLICANT_FILE
from zcprep.report import Finding

# Dates of the past: one after today is a typo.
_PAST_DATES = (
    "birth_date",
    "graduation_date",
    "work_start_date",
    "specialty_start_date",
    "current_title_date",
)
# Reported by the rules family (publicity-missing) when absent or blank.
_LEFT_TO_RULES = frozenset({"publicity_start", "publicity_end"})
_QUOTED_TEXT = frozenset({"id_number", "phone"})


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _where(context: DossierContext) -> str:
    return f"{context.rel}/{APPLICANT_FILE}"


def applicant_file(context: DossierContext) -> Iterator[Finding]:
    problem = context.applicant_problem
    if problem is not None:
        missing = not (context.path / APPLICANT_FILE).exists()
        yield error(
            "applicant-file-missing" if missing else "applicant-file-invalid",
            f"{_where(context)} 不存在，无法检查申报信息。" if missing else problem.message,
            f"运行 zcprep new {context.path.name} 生成模板后填写。"
            if missing
            else (problem.hint or ""),
            file=_where(context),
        )
    elif context.applicant is not None:
        for note in context.applicant.notes:
            yield info(
                "applicant-file-note", note, "用记事本“另存为”UTF-8 编码。", file=_where(context)
            )


def _field_problem(
    spec: FieldSpec, value: Any, applicant: Applicant, none_ok: bool = False
) -> tuple[str, str, str] | None:
    """(code, message, hint) for one non-blank field's value, or None when acceptable.
    ``none_ok``: 无 is a value of this field (zcprep.model.fields.accepts_none)."""
    name = f"“{spec.label}”（{spec.key}）"
    if isinstance(value, str) and value.strip() == NONE_VALUE:
        return None if none_ok else none_problem(spec, name)
    if spec.kind == "text":
        if not isinstance(value, str):
            return (
                "applicant-field-invalid",
                f"{name}应为加引号的文字，现为 {value!r}。",
                f'写成 {spec.key} = "{value}"。',
            )
        return None
    if spec.kind == "choice":
        if not isinstance(value, str) or value.strip() not in spec.choices:
            return (
                "applicant-field-invalid",
                f"{name}填的是“{value}”，应为 {'、'.join(spec.choices)} 之一。",
                "改为其中一项（用中文，不加空格）。",
            )
        return None
    if spec.kind in ("date", "month"):
        return _date_problem(spec, value, name)
    if spec.kind == "bool":
        if parse_flag(value) is None:
            return (
                "applicant-field-invalid",
                f"{name}填的是“{value}”，应为 {FLAG_FORMS}。",
                f"是写 {spec.key} = true，否写 {spec.key} = false（不加引号）。",
            )
        return None
    if spec.kind == "int":
        number = applicant.number(spec.key)
        if number is None or (spec.key == "rank" and number < 1):
            return (
                "applicant-field-invalid",
                f"{name}填的是“{value}”，应为整数。",
                f"写成 {spec.key} = {spec.example}（不加引号）。",
            )
        return None
    if spec.kind == "hours":
        return hours_problem(value, name)
    if spec.kind == "education":
        return earlier_education_problem(value, name)
    return None


def _blank_problem(
    spec: FieldSpec, required: bool, context: DossierContext
) -> tuple[str, str, str] | None:
    """A field written but left blank: an error under the notice's 无 rule or when the
    field is required; a blank optional field is fine."""
    name = f"“{spec.label}”（{spec.key}）"
    section = context.notice.applicant
    none_ok = accepts_none(spec, section.none_rule, required)
    hint = blank_hint(spec, none_ok)
    if spec.key == "level" and context.notice.levels:
        levels = [level.name for level in context.notice.levels]
        hint = f'填写申报级别：{"、".join(levels)} 之一，如 level = "{levels[0]}"。'
    if section.none_rule:
        if not none_ok:
            return ("applicant-field-missing", f"{name}留空了，通知要求不得留空。", hint)
        quote = f"通知原文：“{section.none_rule_quote}”" if section.none_rule_quote else ""
        return (
            "applicant-field-missing",
            f"{name}留空了，通知要求没有内容的栏目写“无”，不得留空。{quote}",
            hint,
        )
    if not required:
        return None
    return ("applicant-field-missing", f"{name}留空了。", hint)


def _date_problem(spec: FieldSpec, value: Any, name: str) -> tuple[str, str, str] | None:
    try:
        if spec.kind == "month" and isinstance(value, str):
            parse_year_month(value)
        else:
            coerce_date(value)
    except (ValueError, TypeError):
        shown = value.strip() if isinstance(value, str) else value
        if spec.kind == "month":
            forms = f'{spec.key} = "2012.7"、"2012-07"、"2012年7月"、"2012/7" 或 2012-07-01'
        else:
            forms = f'{spec.key} = 2012-07-01、"2012.7.1" 或 "2012年7月1日"'
        return (
            "applicant-field-invalid",
            f"{name}写的是“{shown}”，不是能识别的日期。",
            f"写成 {forms}（带文字的须加引号）。",
        )
    return None


def applicant_fields(context: DossierContext) -> Iterator[Finding]:
    applicant = context.applicant
    if applicant is None:
        return
    where = _where(context)
    declared = context.notice.applicant.declared()
    for spec, required in declared:
        if spec.key in _LEFT_TO_RULES and _blank(applicant.data.get(spec.key)):
            continue  # reported once, as publicity-missing
        if spec.key == "birth_date":
            derived = _derived_birth_date(applicant, where)
            if derived is not None:
                yield derived
                continue
        if spec.key not in applicant.data:
            if required:
                yield _missing(spec, where, context.notice.continuing_education_years())
            continue
        value = applicant.data[spec.key]
        if isinstance(value, str) and not value.strip():
            problem = _blank_problem(spec, required, context)
        else:
            none_ok = spec.key in _LEFT_TO_RULES or accepts_none(
                spec, context.notice.applicant.none_rule, required
            )
            problem = _field_problem(spec, value, applicant, none_ok)
        if problem is not None:
            code, message, hint = problem
            quoted = (
                spec.key in _QUOTED_TEXT
                and code == "applicant-field-invalid"
                and not isinstance(value, str)
            )
            make = warning if quoted else error
            yield make(code, message, hint, file=where)
    yield from _dependent_dates(context, applicant)
    known = {spec.key for spec, _ in declared} | set(FIELD_BY_KEY)
    for key in applicant.data:
        if key not in known:
            yield warning(
                "applicant-field-unknown",
                f"申报信息中的“{key}”不是已知栏目，已忽略。",
                "检查拼写；可用的栏目见 zcprep new 生成的 applicant.toml。",
                file=where,
            )


def _missing(spec: FieldSpec, where: str, years: list[int]) -> Finding:
    if spec.kind == "hours":
        year = years[-1] if years else "年度"
        hint = (
            f"在 applicant.toml 末尾每年补一段：[[{spec.key}]] year = {year} "
            "public_hours = 公需学时 professional_hours = 专业学时。"
        )
    else:
        hint = f"在 applicant.toml 中补上 {spec.key} = …：{blank_hint(spec, accepts_none(spec))}"
    return error(
        "applicant-field-missing", f"申报信息缺少“{spec.label}”（{spec.key}）。", hint, file=where
    )


def _derived_birth_date(applicant: Applicant, where: str) -> Finding | None:
    """出生年月 left out or blank is no error when a valid ID number gives it (DESIGN:
    "may be derived from id_number"); the officer hears once where it came from."""
    day, derived = applicant.birth_date()
    if not derived or day is None:
        return None
    return info(
        "birth-date-derived",
        f"出生年月（birth_date）未填，已按身份证号取 {format_year_month(day)}。",
        f'无需处理；如要写明，可填 birth_date = "{day.year}-{day.month:02d}"。',
        file=where,
    )


def _dependent_dates(context: DossierContext, applicant: Applicant) -> Iterator[Finding]:
    where = _where(context)
    title = applicant.text("current_title")
    if (
        title
        and title != NONE_VALUE
        and applicant.is_none("current_title_date")
        and "current_title_date" in context.notice.applicant.declared_keys()
    ):
        yield error(
            "applicant-field-invalid",
            f"现专业技术资格为“{title}”，但“取得时间”写了“无”。",
            "按资格证书填写取得时间，如 2016-12-30。",
            file=where,
        )
    declared = context.notice.applicant.declared_keys()
    for key in _PAST_DATES:
        if key not in declared:
            continue
        day = applicant.date(key)
        if day is not None and day > context.today:
            month = applicant.month_only(key)  # shown as given: a month, or a day
            shown = format_year_month(day) if month else format_date(day)
            yield error(
                "applicant-field-invalid",
                f"“{FIELD_BY_KEY[key].label}”{shown} 晚于今天，应为已经发生的日期。",
                "核对年份是否写错。",
                file=where,
            )


def _birth_as_written(value: Any) -> tuple[dt.date, bool] | None:
    """The birth date and whether the day is given (出生年月 may be year and month only)."""
    if isinstance(value, dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value), True
    if not isinstance(value, str):
        return None
    try:
        return parse_date(value), True
    except ValueError:
        pass
    try:
        return parse_year_month(value), False
    except ValueError:
        return None


def id_number(context: DossierContext) -> Iterator[Finding]:
    applicant = context.applicant
    if applicant is None:
        return
    text = applicant.text("id_number")
    if (
        "id_number" not in context.notice.applicant.declared_keys()
        or text is None
        or text == NONE_VALUE
    ):
        return  # reported as a missing field
    where = _where(context)
    result = validate_id(text, today=context.today)
    typed = "去掉空格和连字符后，" if spaced(text) else ""
    for problem in result.problems:
        make = error if problem.severity == "error" else warning
        yield make(
            "id-number-invalid", f"{typed}{problem.message}。", f"{problem.hint}。", file=where
        )
    if not result.ok:
        return  # a wrong digit would make the comparisons below misleading
    birth = _birth_as_written(applicant.data.get("birth_date"))
    if birth is not None and result.birth_date is not None:
        written, has_day = birth
        same = (
            written == result.birth_date
            if has_day
            else (
                (written.year, written.month) == (result.birth_date.year, result.birth_date.month)
            )
        )
        if not same:
            from_id = result.birth_date
            yield error(
                "id-number-mismatch",
                f"出生年月“{applicant.data.get('birth_date')}”与身份证号中的出生日期 "
                f"{format_date(from_id)} 不一致。",
                "对照身份证原件，改正出生年月或身份证号中写错的一处。",
                file=where,
            )
    gender = applicant.text("gender")
    if gender in ("男", "女") and result.gender is not None and gender != result.gender:
        yield error(
            "id-number-mismatch",
            f"性别填的是“{gender}”，身份证号第 17 位表示“{result.gender}”。",
            "对照身份证原件，改正性别或身份证号中写错的一处。",
            file=where,
        )


def level_known(context: DossierContext) -> Iterator[Finding]:
    applicant = context.applicant
    if applicant is None:
        return
    text = applicant.text("level")
    if text and text != NONE_VALUE and context.level is None:
        levels = "、".join(level.name for level in context.notice.levels)
        yield error(
            "applicant-field-invalid",
            f"申报级别“{text}”不在本通知的级别中（可申报：{levels}）。",
            '把 level 改为其中之一，如 level = "中级"。',
            file=_where(context),
        )


def phone_number(context: DossierContext) -> Iterator[Finding]:
    """A phone that is neither a mainland mobile nor a landline with its area code."""
    applicant = context.applicant
    if applicant is None or "phone" not in context.notice.applicant.declared_keys():
        return
    value = applicant.data.get("phone")
    if not isinstance(value, str) or value.strip() in ("", NONE_VALUE):
        return  # blank, 无 or unquoted: reported by the field check
    if normalize_phone(value) is None:
        yield warning(
            "applicant-field-invalid",
            f"联系电话“{value.strip()}”不像手机号（11 位，1 开头）或带区号的座机号。",
            '写成 phone = "13912345678" 或 "0513-85550000"（空格、连字符可有可无）。',
            file=_where(context),
        )


CHECKS: tuple[Check, ...] = (applicant_file, applicant_fields, id_number, phone_number, level_known)
