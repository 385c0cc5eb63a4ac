"""The letter's data as template variables, protected as render protects a form's.

Every text becomes inert (markup characters cannot start a table or a heading, see
zcprep.render.protect), a missing value becomes a blank that names its field, and the
problems arrive as nested records (sections → groups → problems) a template loops over.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zcprep.cndate import DateStyle, format_date
from zcprep.letter.content import Group, LetterContent, Problem, Section
from zcprep.model.notice import Notice
from zcprep.render import (
    BLANK_DATE,
    BLANK_LINE,
    BlankUndefined,
    Record,
    notice_identity,
    protect,
)

# The variables of letter.md.j2 beyond render's notice.* and unit.* (templates/README.md).
LETTER_FIELDS = ("date", "deadline", "errors", "warnings", "count")
_SHAPES = {"letter.deadline": BLANK_DATE, "letter.date": BLANK_DATE}


def _blank(prefix: str, key: str) -> BlankUndefined:
    shape = _SHAPES.get(f"{prefix}.{key}", BLANK_LINE)
    return BlankUndefined(obj=Record(prefix, {}), name=key, shape=shape)


def _record(prefix: str, values: dict[str, Any]) -> Record:
    """A namespace of protected texts; None (or "") becomes a blank naming its field."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None or value == "":
            out[key] = _blank(prefix, key)
        else:
            out[key] = protect(value) if isinstance(value, str) else value
    return Record(prefix, out)


def letter_context(
    notice: Notice,
    content: LetterContent,
    today: dt.date,
    deadline: dt.date | None,
    style: DateStyle,
) -> dict[str, Any]:
    unit = notice.unit
    return {
        "applicant": _record("applicant", {"name": content.applicant, "level": content.level}),
        "notice": _record("notice", notice_identity(notice, style)),
        "unit": _record("unit", {"name": unit.name, "contact": unit.contact, "phone": unit.phone}),
        "letter": _record(
            "letter",
            {
                "date": format_date(today, style),
                "deadline": format_date(deadline, style) if deadline else None,
                "errors": content.count("error"),
                "warnings": content.count("warning"),
                "count": content.count("error") + content.count("warning"),
            },
        ),
        "sections": [_section(section) for section in content.sections],
        "date_style": style,
    }


def _section(section: Section) -> Record:
    return _record(
        "section",
        {
            "severity": section.severity,
            "label": section.label,
            "heading": section.heading,
            "count": section.count,
            "groups": [_group(group) for group in section.groups],
        },
    )


def _group(group: Group) -> Record:
    return _record(
        "group", {"title": group.title, "problems": [_problem(p) for p in group.problems]}
    )


def _problem(problem: Problem) -> Record:
    values: dict[str, Any] = {
        "number": problem.number,
        "severity": problem.severity,
        "label": problem.label,
        "message": problem.message,
        "remedy": problem.remedy,
    }
    # Absent file, page or place is simply not there: a template tests them with {% if %}.
    record = _record("problem", values)
    record["file"] = protect(problem.file)
    record["page"] = problem.page or ""
    record["place"] = protect(problem.place)
    return record
