"""The applicant's, the notice's and the unit's data as template variables.

Every value becomes protected text (markup characters made inert) in a namespace that
knows its own name, dates are written in the chosen style, and a missing value becomes a
blank the parser can name. Fields are labelled as the officer finds them in
applicant.toml or zcprep.toml, so warnings say where to fill them in. identity_problems
finds, cheaply, what would make a sealed form name the wrong person or level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zcprep.cndate import DateStyle, format_date, format_year_month
from zcprep.errors import UsageError
from zcprep.idcard import normalize_id, normalize_phone, validate_id
from zcprep.model.applicant import FIELDS, NONE_VALUE, Applicant
from zcprep.model.notice import Notice
from zcprep.render.forms import Record
from zcprep.render.markup import BLANK_DATE, BLANK_LINE, protect
from zcprep.xmltext import removed_characters, xml_safe

DATE_STYLES: tuple[DateStyle, ...] = ("arabic", "chinese")
# Fields where 无 cannot be a real answer: a form needs the value or a line to write on.
_NONE_IS_MISSING = frozenset({"name", "id_number", "employer", "phone"})

# Labels of the fields templates may use, for warnings about blanks.
_APPLICANT_LABELS = {
    spec.key: spec.label for spec in FIELDS if spec.kind not in ("hours", "education")
} | {
    "qualification": "申报资格名称",
    "level_id": "申报级别编号",
}
_NOTICE_LABELS = {
    "title": "通知标题",
    "issuer": "发文单位",
    "doc_number": "文号",
    "issued": "发文日期",
    "year": "年度",
    "region": "地区",
    "series": "系列",
    "specialty": "专业",
    "kind": "评审类别",
}
_UNIT_LABELS = {"name": "单位名称", "contact": "经办人", "phone": "经办人电话"}


def check_date_style(style: str) -> DateStyle:
    if style not in DATE_STYLES:
        raise UsageError(
            f"日期格式“{style}”无效。",
            "--date-style 只能是 arabic（2023年5月8日）或 chinese（二〇二三年五月八日）。",
        )
    return style


@dataclass
class FormData:
    """The template context for one applicant, and what was learnt building it."""

    context: dict[str, Any]
    raw: dict[str, str]  # field -> unprotected text, for the font check
    notes: list[str] = field(default_factory=list)  # values present but unusable
    # field -> characters left out: no PDF text, .docx or workbook can hold them (XML 1.0)
    removed: dict[str, tuple[str, ...]] = field(default_factory=dict)


def build_context(
    notice: Notice, applicant: Applicant, style: DateStyle, make_blank: Callable[[str, str], Any]
) -> FormData:
    """Every field a template may use; missing ones become ``make_blank(field, shape)``."""
    raw: dict[str, str] = {}
    removed: dict[str, tuple[str, ...]] = {}

    def record(prefix: str, values: dict[str, str | None], shapes: dict[str, str]) -> Record:
        out: dict[str, Any] = {}
        for key, value in values.items():
            name = f"{prefix}.{key}"
            if value is not None and removed_characters(value):
                removed[name] = removed_characters(value)
            value = None if value is None else xml_safe(value) or None
            if value is None:
                out[key] = make_blank(name, shapes.get(key, BLANK_LINE))
            else:
                raw[name] = value
                out[key] = protect(value)
        return Record(prefix, out)

    applicant_values, applicant_shapes, notes = applicant_fields(notice, applicant, style)
    notice_values: dict[str, str | None] = dict(notice_identity(notice, style))
    unit = notice.unit
    unit_values = {
        "name": unit.name or None,
        "contact": unit.contact or None,
        "phone": unit.phone or None,
    }
    context = {
        "applicant": record("applicant", applicant_values, applicant_shapes),
        "notice": record("notice", {k: v or None for k, v in notice_values.items()}, {}),
        "unit": record("unit", unit_values, {}),
        "date_style": style,
        # The applicant fields this notice declares: a template may leave out a cell
        # for a field its notice never asks (推荐排序 outside Shandong).
        "declared": sorted(notice.applicant.declared_keys()),
    }
    return FormData(context=context, raw=raw, notes=notes, removed=removed)


def notice_identity(notice: Notice, style: DateStyle) -> dict[str, str]:
    """The notice as a template sees it (``notice.title`` …), its date in ``style``."""
    ident = notice.notice
    return {
        "title": ident.title,
        "issuer": ident.issuer,
        "doc_number": ident.doc_number,
        "issued": format_date(ident.issued, style),
        "year": str(ident.year),
        "region": ident.region,
        "series": ident.series,
        "specialty": ident.specialty,
        "kind": ident.kind,
    }


def applicant_fields(
    notice: Notice, applicant: Applicant, style: DateStyle
) -> tuple[dict[str, str | None], dict[str, str], list[str]]:
    """Applicant values as printed text (None when missing), the blank shape of each, and
    notes on values that were written but cannot be used (a date that is not one)."""
    values: dict[str, str | None] = {}
    shapes: dict[str, str] = {}
    notes: list[str] = []
    own = [custom.spec() for custom in notice.applicant.custom]  # the notice's own fields
    for spec in (*FIELDS, *own):
        if spec.kind in ("hours", "education") or spec.key == "level":
            continue
        if spec.kind == "date":
            shapes[spec.key] = BLANK_DATE
        values[spec.key] = _field_text(applicant, spec.key, style, spec.kind)
        written = applicant.text(spec.key) or NONE_VALUE
        parsed = spec.kind in ("date", "month", "int")
        if values[spec.key] is None and parsed and written != NONE_VALUE:
            notes.append(f"applicant.toml 的 {spec.key} = “{written}”无法识别（{spec.label}）")
    written_level = applicant.text("level")
    level = notice.level(written_level or "")
    if level is None and written_level and written_level != NONE_VALUE:
        known = "、".join(f"{lv.id}/{lv.name}" for lv in notice.levels)
        notes.append(
            f"applicant.toml 的 level = “{written_level}”不是本通知的级别（可用：{known}）"
        )
    values["level"] = level.name if level else None
    values["qualification"] = level.qualification if level else None
    values["level_id"] = level.id if level else None
    return values, shapes, notes


def _field_text(applicant: Applicant, key: str, style: DateStyle, kind: str) -> str | None:
    if kind == "bool":
        return "是" if applicant.flag(key) else "否"
    if kind == "int":
        number = applicant.number(key)
        return None if number is None else str(number)
    if key == "birth_date":
        derived, from_id = applicant.birth_date()
        if from_id and derived is not None:  # left out: the ID number holds it
            return format_year_month(derived)
    text = applicant.text(key)
    if text is None or (text == NONE_VALUE and key in _NONE_IS_MISSING):
        return None
    if kind in ("date", "month"):
        if text == NONE_VALUE:
            return NONE_VALUE
        day = applicant.date(key, kind)
        if day is None:
            return None
        # What was given: a month stays a month, a day is printed as a day.
        month_only = kind == "month" and applicant.month_only(key)
        return format_year_month(day) if month_only else format_date(day, style)
    if key == "id_number":
        return normalize_id(text)
    if key == "phone":
        return normalize_phone(text) or text
    return text


def field_label(name: str) -> str:
    """A field as the officer should find it: 公示开始日期（applicant.toml 的 publicity_start）."""
    prefix, _, key = name.partition(".")
    if prefix == "applicant" and key in _APPLICANT_LABELS:
        if key in ("qualification", "level_id"):
            return (
                f"{_APPLICANT_LABELS[key]}（由 applicant.toml 的 level 对应 zcprep.toml 的 levels）"
            )
        return f"{_APPLICANT_LABELS[key]}（applicant.toml 的 {key}）"
    if prefix == "notice" and key in _NOTICE_LABELS:
        return f"{_NOTICE_LABELS[key]}（zcprep.toml [notice] 的 {key}）"
    if prefix == "unit" and key in _UNIT_LABELS:
        return f"{_UNIT_LABELS[key]}（zcprep.toml [unit] 的 {key}）"
    return f"模板中的未知字段 {name}"


def is_known_field(name: str) -> bool:
    prefix, _, key = name.partition(".")
    labels = {"applicant": _APPLICANT_LABELS, "notice": _NOTICE_LABELS, "unit": _UNIT_LABELS}
    return key in labels.get(prefix, {})


def is_workspace_field(name: str) -> bool:
    return name.startswith(("unit.", "notice."))


def identity_problems(notice: Notice, applicant: Applicant) -> list[str]:
    """What ``check`` would call an error in the fields that say whose form this is and
    for which level, found cheaply (no file checks): a wrong ID on a form to be sealed
    must be heard before it is sealed."""
    problems = []
    name = applicant.data.get("name")
    if not isinstance(name, str) or not name.strip() or name.strip() == NONE_VALUE:
        problems.append("姓名（name）未填")
    raw_id = applicant.text("id_number")
    if raw_id is None or raw_id == NONE_VALUE:
        problems.append("身份证号（id_number）未填")
    else:
        errors = [p.message for p in validate_id(raw_id).problems if p.severity == "error"]
        if errors:
            problems.append(f"身份证号（id_number）有误：{'，'.join(errors)}")
    level = applicant.text("level")
    if level is None or level == NONE_VALUE:
        problems.append("申报级别（level）未填")
    elif notice.level(level) is None:
        problems.append(f"申报级别“{level}”不是本通知的级别")
    return problems
