"""The columns of this notice's applicant sheet: one per declared field, two per counted
year of continuing education, three for one earlier education.

The template writes these columns and the reader matches a sheet's headers against
them, so that a sheet made by ``zcprep import --template`` always reads back. Each
column knows what its cells mean (its field's kind), whether the notice requires it,
what its drop-down offers and how an officer is told to fill it in.
"""

from __future__ import annotations

from dataclasses import dataclass

from zcprep.model.applicant import continuing_education_years
from zcprep.model.fields import CATALOGUE_BY_KEY, DEGREES, EDUCATIONS, FieldSpec
from zcprep.model.notice import Notice

HOURS_KEY = "continuing_education"
EARLIER_KEY = "earlier_education"
HOURS_PARTS = {"public_hours": "公需", "professional_hours": "专业"}
EARLIER_PARTS = {
    "education": "此前学历",
    "degree": "此前学位",
    "graduation_date": "此前学历毕业时间",
}
TEXT_KEYS = frozenset({"id_number", "phone"})  # always strings, never numbers
YES_NO = ("是", "否")
REQUIRED_MARK = "*"
# The template's sheets: the applicants, how to fill them in, long drop-down lists.
DATA_SHEET = "申报人信息"
NOTES_SHEET = "填写说明"
LISTS_SHEET = "选项"


@dataclass(frozen=True)
class Target:
    """Where a column's cells go in applicant.toml: a field, or one part of a table
    (a year's public or professional hours; a part of the earlier education)."""

    key: str
    year: int | None = None
    part: str | None = None


@dataclass(frozen=True)
class SheetColumn:
    target: Target
    header: str  # the label, as ``zcprep new`` writes it (without the required mark)
    kind: str  # text, date, month, bool, int, choice, hours (one number), level
    required: bool
    spec: FieldSpec  # the declared field the column belongs to
    choices: tuple[str, ...] = ()  # the drop-down's list; empty for none

    @property
    def marked_header(self) -> str:
        """The header as the template writes it: required columns start with *."""
        return f"{REQUIRED_MARK}{self.header}" if self.required else self.header


def hours_column(spec: FieldSpec, required: bool, year: int, part: str) -> SheetColumn:
    label = f"{year}年{HOURS_PARTS[part]}学时"
    return SheetColumn(Target(HOURS_KEY, year, part), label, "hours", required, spec)


def earlier_columns(spec: FieldSpec) -> list[SheetColumn]:
    """One earlier education (the one before the highest, e.g. 大专 before 本科): enough
    for the paths an eligibility rule tries; more are written into applicant.toml."""
    graduation = CATALOGUE_BY_KEY["graduation_date"].kind
    kinds = {"education": "choice", "degree": "choice", "graduation_date": graduation}
    choices = {"education": EDUCATIONS, "degree": DEGREES, "graduation_date": ()}
    return [
        SheetColumn(Target(EARLIER_KEY, None, part), label, kinds[part], False, spec, choices[part])
        for part, label in EARLIER_PARTS.items()
    ]


def sheet_columns(notice: Notice) -> list[SheetColumn]:
    """The template's columns, in the notice's declared order."""
    columns: list[SheetColumn] = []
    levels = tuple(level.name for level in notice.levels)
    for spec, required in notice.applicant.declared():
        if spec.kind == "hours":
            for year in continuing_education_years(notice):
                columns += [hours_column(spec, required, year, part) for part in HOURS_PARTS]
        elif spec.kind == "education":
            columns += earlier_columns(spec)
        elif spec.key == "level":
            columns.append(
                SheetColumn(Target("level"), spec.label, "level", required, spec, levels)
            )
        elif spec.kind == "bool":
            columns.append(
                SheetColumn(Target(spec.key), spec.label, "bool", required, spec, YES_NO)
            )
        else:
            columns.append(
                SheetColumn(Target(spec.key), spec.label, spec.kind, required, spec, spec.choices)
            )
    return columns


# --- how to fill a column, said in the notes sheet and the header's comment --------------

_KIND_HOW = {
    "date": "日期，如 2012-07-01（输入后显示为 2012年7月1日）",
    "month": "年月，如 2012.7、2012-07、2012年7月，也可写完整日期；本列为文本格式，按输入原样保留",
    "bool": "从下拉列表选择“是”或“否”",
    "int": "整数",
    "text": "文字",
}


def how_to_fill(column: SheetColumn) -> str:
    target = column.target
    if target.key == HOURS_KEY:
        what = "公需科目" if target.part == "public_hours" else "专业科目"
        return f"{target.year} 年度{what}学时（数字；没有写 0）"
    if target.key == EARLIER_KEY:
        if target.part == "graduation_date":
            return "此前学历的毕业时间；" + _KIND_HOW.get(column.kind, "日期")
        if target.part == "degree":
            return "此前学历的学位：从下拉列表选择（没有学位选“无”）"
        return "最高学历以前的学历（如先大专后本科的大专）：从下拉列表选择；没有就空着"
    if target.key == "name":
        return "与身份证一致；也是档案文件夹名，同名的两位写成 张三、张三2"
    if target.key == "id_number":
        return "18 位身份证号；本列为文本格式，直接输入（不会变成 3.2E+17）"
    if target.key == "phone":
        return "手机号或带区号的座机号；本列为文本格式"
    if column.choices:
        return "从下拉列表选择：" + "、".join(column.choices)
    if column.kind == "int":
        return f"整数，如 {column.spec.example}"
    return _KIND_HOW.get(column.kind, "文字")


def sheet_comment(comment: str) -> str:
    """A field's applicant.toml comment as it reads in a sheet: 是/否 instead of
    true/false, no TOML quoting advice."""
    text = comment.replace("必须加引号", "").replace("，加引号", "").replace("加引号", "")
    for word, choice in (("true", "是"), ("false", "否")):
        text = text.replace(f"写 {word}", f"选“{choice}”").replace(f" {word}", f"“{choice}”")
        text = text.replace(word, f"“{choice}”")
    return text.replace("” ", "”").strip("，；、 ")
