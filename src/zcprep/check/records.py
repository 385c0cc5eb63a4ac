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
    labels = {"year": "年度", "public_hours": "公需学时", "professional_hours": "专业学时"}
    for index, entry in enumerate(value, start=1):
        if not isinstance(entry, dict):
            return ("applicant-field-invalid", f"{name}第 {index} 段格式不对。", hint)
        year = entry.get("year")
        which = f"第 {index} 段（{year} 年）" if isinstance(year, int) else f"第 {index} 段"
        for key, label in labels.items():
            written = entry.get(key)
            number = isinstance(written, (int, float)) and not isinstance(written, bool)
            if key == "year":
                number = isinstance(written, int) and not isinstance(written, bool)
            if written is None:
                problem = f"缺少{label}（{key}）"
            elif not number or written < 0:
                problem = f"{label}写的是“{written}”，应为不小于 0 的数字"
            else:
                continue
            return ("applicant-field-invalid", f"{name}{which}{problem}。", hint)
    return None
