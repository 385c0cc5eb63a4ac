"""The catalogue of applicant fields, and the ``[applicant]`` section a notice declares.

DESIGN.md's table is the shared catalogue: every notice picks the fields it asks for
(``fields`` required, ``optional`` asked but may be left out) and may add fields of its
own (``[[applicant.custom]]``, e.g. Xinjiang's 聘任时间). ``zcprep new`` writes the declared
fields, ``check`` requires the required ones, and the notice's conditions, roster columns
and rules may only use declared ones. A catalogue key the notice does not declare is
accepted in applicant.toml and ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

FieldKind = Literal["text", "date", "month", "bool", "int", "choice", "hours", "education"]
CustomKind = Literal["text", "date", "month", "bool", "int", "choice"]

NONE_VALUE = "无"
EDUCATIONS = ("中专", "大专", "本科", "硕士研究生", "博士研究生")
DEGREES = ("无", "学士", "第二学士", "硕士", "博士")


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: FieldKind
    comment: str
    example: Any
    choices: tuple[str, ...] = ()
    # Identifies the applicant or decides the rules: "无" is not an answer.
    never_none: bool = False


CATALOGUE: tuple[FieldSpec, ...] = (
    FieldSpec("name", "姓名", "text", "姓名，与身份证一致", "张三", never_none=True),
    FieldSpec("gender", "性别", "choice", "男 或 女", "男", ("男", "女"), never_none=True),
    FieldSpec(
        "id_number",
        "身份证号",
        "text",
        "18 位身份证号，必须加引号",
        "110101199003071234",
        never_none=True,
    ),
    FieldSpec(
        "birth_date",
        "出生年月",
        "month",
        "如 1990-03-07，可与身份证核对",
        "1990-03-07",
        never_none=True,
    ),
    FieldSpec("phone", "联系电话", "text", "手机或座机，加引号", "13800000000"),
    FieldSpec("employer", "工作单位", "text", "现工作单位全称", "某某科技有限公司"),
    FieldSpec(
        "education",
        "学历",
        "choice",
        "中专、大专、本科、硕士研究生、博士研究生 之一",
        "本科",
        EDUCATIONS,
        never_none=True,
    ),
    FieldSpec("degree", "学位", "choice", "无、学士、第二学士、硕士、博士 之一", "学士", DEGREES),
    FieldSpec("school", "毕业院校", "text", "最高学历的毕业院校", "某某大学"),
    FieldSpec("major", "所学专业", "text", "最高学历所学专业", "信息安全"),
    FieldSpec(
        "graduation_date",
        "毕业时间",
        "month",
        "最高学历毕业年月，如 2012.7 或 2012-07-01",
        "2012-07",
    ),
    FieldSpec("work_start_date", "参加工作时间", "month", "如 2012.7 或 2012-07-15", "2012-07"),
    FieldSpec(
        "specialty_start_date",
        "从事本专业技术工作时间",
        "month",
        "如 2012.7 或 2012-07-15",
        "2012-07",
    ),
    FieldSpec("current_title", "现专业技术资格", "text", "如 助理工程师；没有写“无”", "助理工程师"),
    FieldSpec(
        "current_title_date",
        "取得时间",
        "month",
        "现资格取得年月或日期，如 2016.12；没有职称写“无”",
        "2016-12",
    ),
    FieldSpec(
        "level",
        "申报级别",
        "text",
        "zcprep.toml 中 levels 的 id 或名称，如 中级",
        "中级",
        never_none=True,
    ),
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
    FieldSpec("social_insurance_months", "连续缴纳社保月数", "int", "申报前连续缴费月数", 12),
    FieldSpec("publicity_start", "公示开始日期", "date", "单位内部公示首日", "2023-05-08"),
    FieldSpec("publicity_end", "公示结束日期", "date", "公示末日", "2023-05-12"),
    FieldSpec("rank", "推荐排序", "int", "推荐 2 人以上时的排序，1 为第一；只推荐 1 人写 1", 1),
    FieldSpec(
        "continuing_education",
        "继续教育",
        "hours",
        "每年一项：year 年度、public_hours 公需学时、professional_hours 专业学时",
        [{"year": 2022, "public_hours": 30, "professional_hours": 60}],
    ),
    FieldSpec(
        "earlier_education",
        "此前学历",
        "education",
        "最高学历以前的学历，每项一段：education 学历、degree 学位、graduation_date 毕业时间"
        "（school、major 可不写）；没有就删去这一段",
        [{"education": "大专", "degree": "无", "graduation_date": "2008-07-01"}],
    ),
    FieldSpec("remarks", "备注", "text", "没有写“无”", NONE_VALUE),
)

CATALOGUE_BY_KEY = {spec.key: spec for spec in CATALOGUE}

# Catalogue dates where 无 is an answer (no title yet); the others must be dates.
_DATES_WITH_NONE = frozenset({"current_title_date"})


def accepts_none(spec: FieldSpec, none_rule: bool = False, required: bool = False) -> bool:
    """Whether 无 is a value of the field: never for what identifies the applicant or
    decides the rules (性别, 身份证号, 学历…), for flags, numbers and lists, nor for a date
    that must have happened (毕业时间…); a choice only when 无 is one of its choices or,
    under the notice's 无 rule, for a notice's own optional choice."""
    if spec.never_none or spec.kind in ("bool", "int", "hours", "education"):
        return False
    own = spec.key not in CATALOGUE_BY_KEY
    if spec.kind in ("date", "month"):
        return own or spec.key in _DATES_WITH_NONE
    if spec.kind == "choice":
        return NONE_VALUE in spec.choices or (own and none_rule and not required)
    return True


# The fields of DESIGN.md's table: what a notice asks when its zcprep.toml has no
# [applicant] section (configs written before fields were declared per notice).
DESIGN_FIELDS = (
    "name",
    "gender",
    "id_number",
    "birth_date",
    "phone",
    "employer",
    "education",
    "degree",
    "school",
    "major",
    "graduation_date",
    "work_start_date",
    "specialty_start_date",
    "current_title",
    "current_title_date",
    "level",
    "exceptional",
    "freelancer",
    "social_insurance_months",
    "publicity_start",
    "publicity_end",
    "rank",
    "continuing_education",
    "remarks",
)
# Never optional: without them no dossier can be named, checked or placed in a level.
ALWAYS_REQUIRED = ("name", "level")


class CustomField(BaseModel):
    """A field of this notice only, e.g. Xinjiang's 聘任时间."""

    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=True)

    key: str = Field(min_length=1)
    label: str = Field(min_length=1)
    kind: CustomKind = "text"
    choices: list[str] = Field(default_factory=list)
    comment: str = ""
    required: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> CustomField:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.key):
            raise ValueError(
                f"自定义栏目名“{self.key}”只能用小写英文字母、数字和下划线，以字母开头"
                "（如 appointment_date）"
            )
        if self.key in CATALOGUE_BY_KEY:
            raise ValueError(
                f"自定义栏目“{self.key}”与共用栏目重名；共用栏目直接写进 fields 或 optional"
            )
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"自定义栏目“{self.key}”是选择题（choice），须列出 choices")
        return self

    def spec(self) -> FieldSpec:
        example: Any = {"bool": False, "int": 0, "date": "", "month": ""}.get(self.kind, "")
        return FieldSpec(
            self.key, self.label, self.kind, self.comment, example, tuple(self.choices)
        )


class ApplicantSection(BaseModel):
    """``[applicant]``: the fields this notice asks of each applicant."""

    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=True)

    fields: list[str] = Field(default_factory=lambda: list(DESIGN_FIELDS))
    optional: list[str] = Field(default_factory=list)
    custom: list[CustomField] = Field(default_factory=list)
    none_rule: bool = False
    none_rule_quote: str = ""
    # This notice's own wording of a catalogue field's comment in applicant.toml.
    comments: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known(self) -> ApplicantSection:
        seen: set[str] = set()
        for key in [*self.fields, *self.optional]:
            if key not in CATALOGUE_BY_KEY:
                raise ValueError(
                    f"栏目“{key}”不在共用栏目中（可用：{'、'.join(CATALOGUE_BY_KEY)}）；"
                    "本通知独有的栏目写在 [[applicant.custom]] 中"
                )
            if key in seen:
                raise ValueError(f"栏目“{key}”重复出现")
            seen.add(key)
        for custom in self.custom:
            if custom.key in seen:
                raise ValueError(f"栏目“{custom.key}”重复出现")
            seen.add(custom.key)
        for key in self.comments:
            if key not in seen:
                raise ValueError(f"comments 中的栏目“{key}”没有在 fields 或 optional 中声明")
        for key in ALWAYS_REQUIRED:
            if key not in self.fields:
                raise ValueError(f"fields 必须含有“{key}”（{CATALOGUE_BY_KEY[key].label}）")
        return self

    @classmethod
    def legacy(cls) -> ApplicantSection:
        """What a zcprep.toml without [applicant] asks (configs written before fields were
        declared per notice): DESIGN.md's fields required, the two fields their conditions
        could test and earlier education optional."""
        return cls(optional=["earlier_education", "specialized_enterprise", "labor_dispatch"])

    def declared(self) -> list[tuple[FieldSpec, bool]]:
        """Every declared field with whether it is required, in catalogue order, then the
        notice's own fields."""
        required, optional = set(self.fields), set(self.optional)
        out = [
            (replace(spec, comment=self.comments.get(spec.key, spec.comment)), spec.key in required)
            for spec in CATALOGUE
            if spec.key in required | optional
        ]
        out += [(custom.spec(), custom.required) for custom in self.custom]
        return out

    def declared_keys(self) -> set[str]:
        return {spec.key for spec, _ in self.declared()}

    def spec(self, key: str) -> FieldSpec | None:
        for custom in self.custom:
            if custom.key == key:
                return custom.spec()
        return CATALOGUE_BY_KEY.get(key)
