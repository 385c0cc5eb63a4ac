"""The applicant's data (dossiers/<姓名>/applicant.toml): the fields, the file template
``zcprep new`` writes, and a lenient loader.

The loader never rejects an applicant file for a bad value: ``check`` must report every
problem at once, so values stay as written and are parsed on demand; what cannot be
parsed becomes a finding there, not an exception here. Only an unreadable or
syntactically broken file raises.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zcprep.atomic import is_link
from zcprep.cndate import coerce_date, is_year_month, parse_year_month
from zcprep.errors import InputError
from zcprep.idcard import validate_id
from zcprep.model.fields import CATALOGUE, CATALOGUE_BY_KEY, NONE_VALUE, FieldSpec
from zcprep.model.tomlfile import load_toml
from zcprep.privacy import printable

if TYPE_CHECKING:
    from zcprep.model.notice import Notice

__all__ = ["FIELDS", "FIELD_BY_KEY", "NONE_VALUE", "Applicant", "FieldSpec", "parse_flag"]

# The catalogue lives in zcprep.model.fields; these names stay importable from here.
FIELDS = CATALOGUE
FIELD_BY_KEY = CATALOGUE_BY_KEY


# The one reading of a yes/no field, shared by check, roster, render and the notice's
# conditions (omit_when, required_when, waived_when).
_YES = frozenset({"是", "true", "1"})
_NO = frozenset({"否", "false", "0"})
FLAG_FORMS = "true 或 false（也可写 是/否、1/0）"


def parse_flag(value: Any) -> bool | None:
    """A yes/no value: TOML true/false, 1/0 (number or text), "是"/"否", "true"/"false"
    in any letter case. None when absent, blank or anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return {1: True, 0: False}.get(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
    return None


@dataclass
class Applicant:
    """One dossier's applicant data, values as written."""

    folder: Path
    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The name written, else the folder's (made printable: it may be GBK bytes)."""
        value = self.data.get("name")
        if isinstance(value, str) and value.strip():
            return value.strip()
        return printable(self.folder.name)

    def text(self, key: str) -> str | None:
        """The value as a stripped string, or None when absent or blank."""
        value = self.data.get(key)
        if value is None or isinstance(value, (dict, list)):
            return None
        text = str(value).strip()
        return text or None

    def is_none(self, key: str) -> bool:
        """True when the officer wrote 无 (the field has no content by design)."""
        return self.text(key) == NONE_VALUE

    def date(self, key: str, kind: str | None = None) -> dt.date | None:
        """The field as a date, or None when absent, 无 or unparseable. ``kind`` "month"
        reads "1988.3" too (catalogue fields know their kind)."""
        return read_date(self.data.get(key), kind or _kind(key))

    def month_only(self, key: str) -> bool:
        """Whether the field gives only a year and a month ("2010.7"): shown as a month,
        never with an invented day."""
        value = self.data.get(key)
        return isinstance(value, str) and is_year_month(value)

    def flag(self, key: str) -> bool:
        """True only for a yes (:func:`parse_flag`); absent or unreadable counts as no."""
        return parse_flag(self.data.get(key)) is True

    def birth_date(self) -> tuple[dt.date | None, bool]:
        """出生年月 as written, else (when absent or blank) read from a valid ID number.

        The second value tells whether the date was derived from the ID: DESIGN lets
        the officer leave birth_date out, since the ID number already holds it.
        """
        written = self.data.get("birth_date")
        if not (written is None or (isinstance(written, str) and not written.strip())):
            return self.date("birth_date"), False
        raw_id = self.text("id_number")
        if raw_id is None or raw_id == NONE_VALUE:
            return None, False
        result = validate_id(raw_id)
        if not result.ok or result.birth_date is None:
            return None, False
        return result.birth_date, True

    def number(self, key: str) -> int | None:
        value = self.data.get(key)
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        return None

    def matches(self, condition: dict[str, Any], level_id: str | None) -> bool:
        """True when every key of a notice condition holds for this applicant: a value is
        equal, a list holds one of its values, ``{ not = [...] }`` none of them."""
        return all(self._holds(key, expected, level_id) for key, expected in condition.items())

    def _holds(self, key: str, expected: Any, level_id: str | None) -> bool:
        negated = getattr(expected, "not_", None)
        if negated is not None:
            return not self._holds(key, list(negated), level_id) and not (
                "" in negated and self.text(key) is None
            )
        if isinstance(expected, list):
            return any(self._holds(key, one, level_id) for one in expected)
        if key == "level":
            return level_id == expected
        if isinstance(expected, bool):
            return self.flag(key) == expected
        return self.text(key) == str(expected)


def _kind(key: str) -> str | None:
    spec = FIELD_BY_KEY.get(key)
    return spec.kind if spec else None


def read_date(value: Any, kind: str | None = None) -> dt.date | None:
    """A written date (or, for a month field, a year and month), None when absent, 无 or
    unparseable."""
    if value is None or (isinstance(value, str) and value.strip() in ("", NONE_VALUE)):
        return None
    try:
        if kind == "month" and isinstance(value, str):
            return parse_year_month(value)
        return coerce_date(value)
    except ValueError:
        return None


def load_applicant(folder: Path) -> Applicant:
    path = folder / "applicant.toml"
    if is_link(path) and not _inside(path, folder):
        raise InputError(
            f"{_shown_path(path)} 是指向档案文件夹以外的链接（符号链接或目录联接），未读取。",
            "把真正的 applicant.toml 复制到档案文件夹中，替换这个链接。",
        )
    doc = load_toml(path, "applicant", shown=_shown_path(path))
    return Applicant(folder=folder, data=doc.data, notes=doc.notes)


def _shown_path(path: Path) -> str:
    """dossiers/张三/applicant.toml: relative to the workspace, as every message names it."""
    dossier = path.parent
    if dossier.parent.name == "dossiers":
        return printable(f"dossiers/{dossier.name}/{path.name}")
    return printable(str(path))


def _inside(path: Path, folder: Path) -> bool:
    """Whether a link ends inside ``folder`` (a loop or a broken link does not)."""
    try:
        return path.resolve(strict=True).is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a link loop (Python < 3.13)
        return False


def applicant_template(name: str, notice: Notice) -> str:
    """applicant.toml text with the notice's declared fields, each with a Chinese comment,
    as ``zcprep new`` writes. The continuing-education table holds exactly the years the
    notice counts, hours left at 0 for the officer to fill in."""
    section = notice.applicant
    empty = (
        "没有内容的栏目写“无”，不要留空（本通知要求）。"
        if section.none_rule
        else "没有内容的可写“无”；标“可不填”的栏目可以留空。"
    )
    lines = [
        f"# {name} 的申报信息（{notice.notice.title}）。键名为英文，值填中文；{empty}",
        '# 日期写成 2023-05-08（也可写 "2023年5月8日"）；毕业、参加工作、取得资格等时间可只写年月，',
        '# 如 "2012.7"；是/否写 true/false。',
        "",
    ]
    tables: list[str] = []
    for spec, required in section.declared():
        optional = "" if required else ("（没有的写“无”）" if section.none_rule else "（可不填）")
        comment = f"# {spec.label}{optional}" + (f"：{spec.comment}" if spec.comment else "")
        if spec.kind == "hours":
            # An optional record is offered commented out: zeros left in would read as
            # hours not done.
            mark = "" if required else "# "
            tables.append(comment)
            for year in continuing_education_years(notice):
                tables += [f"{mark}[[{spec.key}]]", f"{mark}year = {year}"]
                tables += [f"{mark}public_hours = 0", f"{mark}professional_hours = 0"]
            continue
        if spec.kind == "education":
            tables += [f"{comment}", f"# [[{spec.key}]]", '# education = "大专"']
            tables += ['# degree = "无"', "# graduation_date = 2008-07-01"]
            continue
        value: Any = name if spec.key == "name" else _blank_for(spec)
        lines.append(comment)
        lines.append(f"{spec.key} = {_toml_value(value)}")
    return "\n".join([*lines, "", *tables, ""])


def continuing_education_years(notice: Notice) -> list[int]:
    """The years the notice's continuing-education rule counts (none without a rule)."""
    if "continuing_education" not in notice.applicant.declared_keys():
        return []
    return notice.continuing_education_years()


def _blank_for(spec: FieldSpec) -> Any:
    """What a fresh applicant.toml holds: booleans false, numbers 0, text empty to fill in."""
    if spec.kind == "bool":
        return False
    if spec.kind == "int":
        return 1 if spec.key == "rank" else 0
    if spec.key == "remarks":
        return NONE_VALUE
    return ""


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
