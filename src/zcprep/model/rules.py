"""The notice's rules as typed models: who may apply (eligibility and exclusions),
continuing education, social insurance, the unit's 公示, and where each rule comes from.

Every rule carries its source (:class:`Sourced`): ``notice`` (the notice says it: a break
is an error that may say “通知要求”, with the quoted sentence), ``baseline`` (a national
or provincial standard the notice points to or does not state: a break is a warning that
names the standard, unless the officer sets ``enforce = true``) or ``unit`` (the unit's
own choice: an error).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from zcprep.model.fields import DEGREES, EDUCATIONS

Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Source = Literal["notice", "baseline", "unit"]


class Model(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=True)


class Sourced(Model):
    """Where a rule comes from; see the module docstring."""

    source: Source = "notice"
    quote: str = ""
    basis: str = ""
    enforce: bool = False

    @property
    def blocking(self) -> bool:
        """Whether a break is an error (else a warning)."""
        return self.source != "baseline" or self.enforce


Scalar = str | bool | int


class Negated(Model):
    """``{ not = ["无", ""] }``: the value (text; blank read as "") is none of these."""

    not_: list[Scalar] = Field(alias="not", min_length=1)


ConditionValue = Scalar | list[Scalar] | Negated
Condition = dict[str, ConditionValue]


def _as_condition_list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, dict):
        return [value]
    return value


Conditions = Annotated[list[Condition], BeforeValidator(_as_condition_list)]


def condition_keys(conditions: list[Condition]) -> set[str]:
    return {key for condition in conditions for key in condition}


class Publicity(Sourced):
    """The unit's own 公示. ``required = false`` where the notice has no unit 公示
    (Sichuan's 初定 results are published by the committee, not by the unit)."""

    required: bool = True
    min_working_days: int = Field(default=5, ge=1, le=60)
    first_day_counts: bool = True


class ContinuingEducation(Sourced):
    """Hours a year over ``years`` years ending with ``last_year`` (default: the year
    before the notice's). Years before the applicant's work_start_date are not demanded."""

    hours_per_year: float = Field(default=90, ge=0)
    public_min_hours: float | None = Field(default=None, ge=0)
    professional_min_hours: float | None = Field(default=None, ge=0)
    professional_min_share: float | None = Field(default=None, ge=0, le=1)
    years: int = Field(default=1, ge=1, le=10)
    last_year: int | None = Field(default=None, ge=2000, le=2100)
    waived_when: Conditions = Field(default_factory=list)


CountFrom = Literal["graduation", "work_start", "specialty_start", "current_title"]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _from_graduation() -> list[CountFrom]:
    return ["graduation"]


class EligibilityRule(Model):
    """One path to a level: education (and degree) plus months counted from a date.

    ``count_from`` names the applicant date(s) the months run from; with several, the
    latest counts ("取得学历后，从事本专业工作满 N 个月": graduation and specialty_start).
    ``graduation`` is the graduation of the education entry the rule is tried with (the
    highest education or one of ``earlier_education``). ``lower_titles`` lists titles of
    which the applicant must hold one. An ``exceptional`` rule is a 破格 path: it needs no
    months but makes the 破格 material required. ``materials`` are checklist items the
    path requires (Sichuan's 业绩证明). Source fields left empty inherit [eligibility]'s.
    """

    level: Identifier
    education: list[str] = Field(default_factory=list)
    degree: list[str] = Field(default_factory=list)
    lower_titles: list[str] = Field(default_factory=list)
    months: int = Field(default=0, ge=0, le=600)
    count_from: Annotated[list[CountFrom], BeforeValidator(_as_list)] = Field(
        default_factory=_from_graduation, min_length=1
    )
    exceptional: bool = False
    materials: list[Identifier] = Field(default_factory=list)
    note: str = ""
    source: Source | None = None
    quote: str = ""
    basis: str = ""
    enforce: bool | None = None

    @model_validator(mode="after")
    def _known_values(self) -> EligibilityRule:
        for item in self.education:
            if item not in EDUCATIONS:
                raise ValueError(f"学历“{item}”未知，可用：{'、'.join(EDUCATIONS)}")
        for item in self.degree:
            if item not in DEGREES:
                raise ValueError(f"学位“{item}”未知，可用：{'、'.join(DEGREES)}")
        return self


class Exclusion(Sourced):
    """Who may not apply at all (公务员…不得参加职称评审): ``when`` all keys hold."""

    when: Condition = Field(min_length=1)
    message: str = Field(min_length=1)


def _no_today(value: Any) -> Any:
    if value == "today":
        raise ValueError(
            "as_of 不能再写 today：资格年限须算到通知规定的日期，明年再查结论也不变；"
            "改为 seniority_cutoff（资历截止日，未写时按申报截止日）、window_end 或 notice_date"
        )
    return value


AsOf = Annotated[
    Literal["seniority_cutoff", "window_end", "notice_date"], BeforeValidator(_no_today)
]


class Eligibility(Sourced):
    as_of: AsOf = "seniority_cutoff"
    rules: list[EligibilityRule] = Field(default_factory=list)
    exclusions: list[Exclusion] = Field(default_factory=list)

    def source_of(self, rule: EligibilityRule) -> Sourced:
        """The rule's own source, else the section's."""
        if rule.source is None:
            return Sourced(
                source=self.source,
                quote=rule.quote or self.quote,
                basis=rule.basis or self.basis,
                enforce=self.enforce if rule.enforce is None else rule.enforce,
            )
        return Sourced(
            source=rule.source,
            quote=rule.quote,
            basis=rule.basis or self.basis,
            enforce=bool(rule.enforce),
        )


class SocialInsurance(Sourced):
    months: int = Field(ge=1, le=600)
    waived_when: Conditions = Field(default_factory=list)
