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
from typing import Any, Literal

from zcprep.cndate import coerce_date, parse_year_month
from zcprep.errors import InputError
from zcprep.idcard import validate_id
from zcprep.model.tomlfile import load_toml
from zcprep.privacy import printable

FieldKind = Literal["text", "date", "month", "bool", "int", "list", "choice"]


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: FieldKind
    comment: str
    example: Any
    required: bool = True
    choices: tuple[str, ...] = ()


NONE_VALUE = "无"

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "姓名", "text", "姓名，与身份证一致", "张三"),
    FieldSpec("gender", "性别", "choice", "男 或 女", "男", choices=("男", "女")),
    FieldSpec("id_number", "身份证号", "text", "18 位身份证号，必须加引号", "110101199003071234"),
    FieldSpec("birth_date", "出生年月", "month", "如 1990-03-07，可与身份证核对", "1990-03-07"),
    FieldSpec("phone", "联系电话", "text", "手机或座机，加引号", "13800000000"),
    FieldSpec("employer", "工作单位", "text", "现工作单位全称", "某某科技有限公司"),
    FieldSpec(
        "education",
        "学历",
        "choice",
        "中专、大专、本科、硕士研究生、博士研究生 之一",
        "本科",
        choices=("中专", "大专", "本科", "硕士研究生", "博士研究生"),
    ),
    FieldSpec(
        "degree",
        "学位",
        "choice",
        "无、学士、第二学士、硕士、博士 之一",
        "学士",
        choices=("无", "学士", "第二学士", "硕士", "博士"),
    ),
    FieldSpec("school", "毕业院校", "text", "最高学历的毕业院校", "某某大学"),
    FieldSpec("major", "所学专业", "text", "最高学历所学专业", "信息安全"),
    FieldSpec("graduation_date", "毕业时间", "date", "最高学历毕业日期", "2012-07-01"),
    FieldSpec("work_start_date", "参加工作时间", "date", "", "2012-07-15"),
    FieldSpec("specialty_start_date", "从事本专业技术工作时间", "date", "", "2012-07-15"),
    FieldSpec("current_title", "现专业技术资格", "text", "如 助理工程师；没有写“无”", "助理工程师"),
    FieldSpec(
        "current_title_date", "取得时间", "date", "现资格取得日期；没有职称写“无”", "2016-12-30"
    ),
    FieldSpec("level", "申报级别", "text", "zcprep.toml 中 levels 的 id 或名称，如 中级", "中级"),
    FieldSpec("exceptional", "是否破格", "bool", "破格申报写 true，否则 false", False),
    FieldSpec("freelancer", "是否自由职业者", "bool", "自由职业者写 true（无需劳动合同）", False),
    FieldSpec(
        "specialized_enterprise",
        "是否专精特新/单项冠军企业",
        "bool",
        "所在企业为专精特新中小企业或制造业单项冠军企业写 true",
        False,
    ),
    FieldSpec(
        "labor_dispatch", "是否劳务派遣", "bool", "劳务派遣人员写 true（须交派遣协议）", False
    ),
    FieldSpec(
        "social_insurance_months", "连续缴纳社保月数", "int", "申报前连续缴费月数；不要求写 0", 12
    ),
    FieldSpec("publicity_start", "公示开始日期", "date", "单位内部公示首日", "2023-05-08"),
    FieldSpec("publicity_end", "公示结束日期", "date", "公示末日", "2023-05-12"),
    FieldSpec("rank", "推荐排序", "int", "推荐 2 人以上时的排序，1 为第一；只推荐 1 人写 1", 1),
    FieldSpec(
        "continuing_education",
        "继续教育",
        "list",
        "每年一项：year 年度、public_hours 公需学时、professional_hours 专业学时",
        [{"year": 2022, "public_hours": 30, "professional_hours": 60}],
    ),
    FieldSpec("remarks", "备注", "text", "没有写“无”", NONE_VALUE),
)

FIELD_BY_KEY = {spec.key: spec for spec in FIELDS}


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

    def date(self, key: str) -> dt.date | None:
        """The field as a date, or None when absent, 无 or unparseable."""
        value = self.data.get(key)
        if value is None or self.is_none(key):
            return None
        try:
            if (
                FIELD_BY_KEY.get(key)
                and FIELD_BY_KEY[key].kind == "month"
                and isinstance(value, str)
            ):
                return parse_year_month(value)
            return coerce_date(value)
        except ValueError:
            return None

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
        """True when every key of a notice condition holds for this applicant."""
        for key, expected in condition.items():
            if key == "level":
                if level_id != expected:
                    return False
            elif isinstance(expected, bool):
                if self.flag(key) != expected:
                    return False
            elif self.text(key) != str(expected):
                return False
        return True


def load_applicant(folder: Path) -> Applicant:
    path = folder / "applicant.toml"
    if path.is_symlink() and not _inside(path, folder):
        raise InputError(
            f"{_shown_path(path)} 是指向档案文件夹以外的链接（快捷方式），未读取。",
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


def applicant_template(name: str, year: int) -> str:
    """applicant.toml text with every field and a Chinese comment, as ``zcprep new`` writes.

    ``year`` is the notice's year: the continuing-education table starts with the year
    before it, hours left at 0 for the officer to fill in.
    """
    lines = [
        f"# {name} 的申报信息。键名为英文，值填中文；没有内容的栏目写“无”，不要留空。",
        "# 日期写成 2023-05-08（也可写 2023年5月8日，须加引号）；是/否写 true/false。",
        "",
    ]
    tables: list[str] = []
    for spec in FIELDS:
        if spec.kind == "list":
            tables.append(f"# {spec.label}：{spec.comment}")
            tables.append(f"[[{spec.key}]]")
            tables.append(f"year = {year - 1}")
            tables.append("public_hours = 0")
            tables.append("professional_hours = 0")
            continue
        value: Any = name if spec.key == "name" else _blank_for(spec)
        lines.append(f"# {spec.label}" + (f"：{spec.comment}" if spec.comment else ""))
        lines.append(f"{spec.key} = {_toml_value(value)}")
    return "\n".join([*lines, "", *tables, ""])


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
