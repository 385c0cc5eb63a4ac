"""The two list-valued applicant fields: continuing-education hours per year and the
education held before the highest one. Each returns (code, message, hint) for the first
malformed entry, or None."""

from __future__ import annotations

from typing import Any

from zcprep.cndate import coerce_date, parse_year_month
from zcprep.model.fields import DEGREES, EDUCATIONS, NONE_VALUE


def earlier_education_problem(value: Any, name: str) -> tuple[str, str, str] | None:
    hint = (
        "每项学历写一段 [[earlier_education]]，含 education（学历）、degree（学位）、"
        "graduation_date（毕业时间）。"
    )
    if not isinstance(value, list):
        return ("applicant-field-invalid", f"{name}格式不对。", hint)
    for index, entry in enumerate(value, start=1):
        if not isinstance(entry, dict):
            return ("applicant-field-invalid", f"{name}第 {index} 段格式不对：{entry}。", hint)
        education, degree = entry.get("education"), entry.get("degree", NONE_VALUE)
        problem = ""
        if education not in EDUCATIONS:
            problem = f"学历“{education}”应为 {'、'.join(EDUCATIONS)} 之一"
        elif degree not in DEGREES:
            problem = f"学位“{degree}”应为 {'、'.join(DEGREES)} 之一"
        else:
            written = entry.get("graduation_date")
            try:
                parse_year_month(written) if isinstance(written, str) else coerce_date(written)
            except (ValueError, TypeError):
                problem = "缺少毕业时间" if written is None else f"毕业时间“{written}”不是日期"
        if problem:
            return ("applicant-field-invalid", f"{name}第 {index} 段：{problem}。", hint)
    return None


def hours_problem(value: Any, name: str) -> tuple[str, str, str] | None:
    hint = (
        "每年写一段 [[continuing_education]]，含 year、public_hours、professional_hours 三项数字。"
    )
    if not isinstance(value, list):
        return ("applicant-field-invalid", f"{name}格式不对。", hint)
    for index, entry in enumerate(value, start=1):
        ok = (
            isinstance(entry, dict)
            and isinstance(entry.get("year"), int)
            and all(
                isinstance(entry.get(k), (int, float))
                and not isinstance(entry.get(k), bool)
                and entry[k] >= 0
                for k in ("public_hours", "professional_hours")
            )
        )
        if not ok:
            return (
                "applicant-field-invalid",
                f"{name}第 {index} 段不完整或不是数字：{entry}。",
                hint,
            )
    return None
