"""Builders for roster tests: a real workspace's zcprep.toml edits and applicant.toml files.

``configure`` edits a freshly copied preset's zcprep.toml as an officer would (unit name,
split, paper, columns); ``base_applicant`` is one fully filled applicant as a dict, and
``write_applicant`` writes such a dict as dossiers/NAME/applicant.toml, TOML by hand so
that odd values (tabs, quotes, control characters) go in exactly as given. Shared by
tests/roster and the end-to-end name tests in tests/ground/test_names.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from zcprep.idcard import check_character

TODAY = dt.date(2023, 6, 1)
UNIT = "南通测试网络科技有限公司"


def make_id(first17: str) -> str:
    return first17 + check_character(first17)


def base_applicant(name: str, level: str = "中级", rank: int = 1) -> dict[str, Any]:
    return {
        "name": name,
        "gender": "男",
        "id_number": make_id("32060219900307123"),
        "birth_date": "1990-03-07",
        "phone": "13800000001",
        "employer": "南通测试网络科技有限公司",
        "education": "本科",
        "degree": "学士",
        "school": "南京示例大学",
        "major": "信息安全",
        "graduation_date": dt.date(2012, 7, 1),
        "work_start_date": dt.date(2012, 7, 15),
        "specialty_start_date": dt.date(2012, 7, 15),
        "current_title": "助理工程师",
        "current_title_date": dt.date(2016, 12, 30),
        "level": level,
        "exceptional": False,
        "freelancer": False,
        "social_insurance_months": 120,
        "publicity_start": dt.date(2023, 5, 8),
        "publicity_end": dt.date(2023, 5, 12),
        "rank": rank,
        "remarks": "无",
        "continuing_education": [
            {"year": 2021, "public_hours": 30, "professional_hours": 60},
            {"year": 2022, "public_hours": 30, "professional_hours": 62},
        ],
    }


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, dt.date)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\t", "\\t").replace("\r", "\\r").replace("\x01", "\\u0001")
    return f'"{escaped}"'


def write_applicant(root: Path, data: dict[str, Any], folder: str | None = None) -> Path:
    dossier = root / "dossiers" / (folder or str(data["name"]))
    dossier.mkdir(parents=True, exist_ok=True)
    lines, tables = [], []
    for key, value in data.items():
        if isinstance(value, list):
            for entry in value:
                tables.append(f"[[{key}]]")
                tables.extend(f"{k} = {toml_value(v)}" for k, v in entry.items())
        else:
            lines.append(f"{key} = {toml_value(value)}")
    (dossier / "applicant.toml").write_text("\n".join([*lines, *tables, ""]), "utf-8")
    return dossier


def declare_design_fields(text: str) -> str:
    """The preset's [applicant] fields replaced by all of DESIGN.md's (custom ones kept)."""
    import re

    from zcprep.model.fields import DESIGN_FIELDS

    start = text.index("[applicant]")
    end = text.index("\n[", start + 1)
    section = text[start:end]
    section = re.sub(r"\nfields = \[.*?\]\n", "\n", section, flags=re.S)
    section = re.sub(r"\noptional = \[.*?\]\n", "\n", section, flags=re.S)
    declared = ", ".join(f'"{key}"' for key in DESIGN_FIELDS)
    section = section.replace(
        "[applicant]", f'[applicant]\nfields = [{declared}]\noptional = ["earlier_education"]', 1
    )
    return text[:start] + section + text[end:]


def configure(
    root: Path,
    split: str = "file",
    paper: str = "A4",
    columns: list[tuple[str, str]] | None = None,
    unit: str = UNIT,
) -> None:
    """Edit the copied preset as an officer would: unit name, split, paper, columns (and,
    for columns, every field of DESIGN.md declared, so that any column may be shown)."""
    config = root / "zcprep.toml"
    text = config.read_text("utf-8")
    if columns is not None:
        text = declare_design_fields(text)
    text = text.replace('[unit]\nname = ""', f'[unit]\nname = "{unit}"', 1)
    text = text.replace('split = "file"', f'split = "{split}"')
    text = text.replace('paper = "A3"', f'paper = "{paper}"')
    if columns is not None:
        start = text.index("columns = [", text.index("[roster]"))
        end = text.index("]\n", start) + 2
        items = "".join(f'  {{ key = "{k}", header = "{h}" }},\n' for k, h in columns)
        text = text[:start] + "columns = [\n" + items + "]\n" + text[end:]
    config.write_text(text, "utf-8")
