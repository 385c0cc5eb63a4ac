"""Which path to a level an applicant meets: every eligibility rule of the level, tried
with the highest education and with each earlier one (``earlier_education``).

Months run from the latest of the rule's ``count_from`` dates to the notice's reference
date (:func:`as_of_date`), never to "today": the same dossier gets the same verdict
whatever day it is checked. Pure functions of the notice and the applicant, shared by the
eligibility check, the materials a path requires, and the roster.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from zcprep.cndate import format_year_month, is_year_month, month_end
from zcprep.model.applicant import NONE_VALUE, Applicant, read_date
from zcprep.model.notice import Level, Notice
from zcprep.model.rules import EligibilityRule

COUNT_FROM_FIELD = {
    "graduation": "graduation_date",
    "work_start": "work_start_date",
    "specialty_start": "specialty_start_date",
    "current_title": "current_title_date",
}
# The engineering ladder, used so that "工程师" does not match "助理工程师".
TITLE_LADDER = ("技术员", "助理工程师", "工程师", "高级工程师", "正高级工程师")


def full_months(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (满 N 个月); negative when end is earlier."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months


def as_of_date(notice: Notice) -> tuple[dt.date, str]:
    """The date seniority is counted to, and how to name it in a message: the 资历截止日,
    else the end of the application window, else the notice's own date."""
    mode, dates = notice.eligibility.as_of, notice.dates
    if mode == "seniority_cutoff" and dates.seniority_cutoff is not None:
        return dates.seniority_cutoff, "资历截止日"
    if mode in ("seniority_cutoff", "window_end"):
        for label, window in (
            ("网上申报截止日", dates.online),
            ("纸质材料报送截止日", dates.paper),
        ):
            if window is not None:
                return window.end, label
    return notice.notice.issued, "通知发布日"


@dataclass(frozen=True)
class Schooling:
    """One education the applicant holds: the highest, or an earlier one."""

    education: str | None
    degree: str | None
    graduated: dt.date | None
    earlier: int = 0  # 0: the highest education; n: earlier_education entry n
    month_only: bool = False  # graduation given as a year and month only

    @property
    def label(self) -> str:
        what = "、".join(p for p in (self.education, self.degree) if p and p != NONE_VALUE)
        when = f"，{format_year_month(self.graduated)}毕业" if self.graduated else ""
        which = "最高学历" if not self.earlier else f"此前学历第 {self.earlier} 项"
        return f"{which}（{what or '未填'}{when}）"


def schoolings(applicant: Applicant, notice: Notice) -> list[Schooling]:
    """The highest education, then each readable earlier one the notice lets count."""
    found = [
        Schooling(
            applicant.text("education"),
            applicant.text("degree"),
            applicant.date("graduation_date"),
            month_only=applicant.month_only("graduation_date"),
        )
    ]
    if "earlier_education" not in notice.applicant.declared_keys():
        return found
    entries = applicant.data.get("earlier_education")
    for number, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
        if isinstance(entry, dict):
            written = entry.get("graduation_date")
            found.append(
                Schooling(
                    _text(entry.get("education")),
                    _text(entry.get("degree")),
                    read_date(written, "month"),
                    number,
                    isinstance(written, str) and is_year_month(written),
                )
            )
    return found


def _text(value: Any) -> str | None:
    return str(value).strip() or None if isinstance(value, str) else None


def _core_title(text: str) -> str:
    """助理工程师（网络安全） → 助理工程师: the bracketed specialty does not change the title."""
    for opening in ("（", "("):
        text = text.split(opening, 1)[0]
    return "".join(text.split())


def title_matches(current: str, wanted: str, known: tuple[str, ...] = TITLE_LADDER) -> bool:
    """Whether a held title is ``wanted``: "网络安全助理工程师" is a 助理工程师, not a 工程师."""
    core = _core_title(current)
    if not core.endswith(wanted):
        return False
    return not any(
        longer != wanted and longer.endswith(wanted) and core.endswith(longer) for longer in known
    )


@dataclass
class Evaluation:
    rule: EligibilityRule
    schooling: Schooling
    unmet: list[str] = field(default_factory=list)
    months_have: int | None = None
    months_short: int = 0
    unreadable: list[str] = field(default_factory=list)  # keys of dates it cannot read
    from_month: bool = False  # the months run from a date given as a month only
    held: int = 0  # the rule's conditions the applicant meets (education, degree, title, months)

    @property
    def met(self) -> bool:
        return not self.unmet and not self.unreadable and self.months_short == 0


def evaluate(
    rule: EligibilityRule,
    applicant: Applicant,
    schooling: Schooling,
    as_of: dt.date,
    known: tuple[str, ...] = TITLE_LADDER,
) -> Evaluation:
    result = Evaluation(rule, schooling)
    title = applicant.text("current_title") or NONE_VALUE
    result.held = sum(
        1
        for wanted, ok in (
            (rule.education, schooling.education in rule.education),
            (rule.degree, schooling.degree in rule.degree),
            (rule.lower_titles, any(title_matches(title, t, known) for t in rule.lower_titles)),
        )
        if wanted and ok
    )
    if rule.education and schooling.education not in rule.education:
        result.unmet.append(
            f"学历为“{schooling.education or '未填'}”，此条要求{'或'.join(rule.education)}"
        )
    if rule.degree and schooling.degree not in rule.degree:
        result.unmet.append(
            f"学位为“{schooling.degree or '未填'}”，此条要求{'或'.join(rule.degree)}"
        )
    if rule.lower_titles and not any(title_matches(title, t, known) for t in rule.lower_titles):
        result.unmet.append(f"现专业技术资格为“{title}”，此条要求{'或'.join(rule.lower_titles)}")
    if rule.months > 0:
        starts: list[tuple[dt.date, bool]] = []
        for name in rule.count_from:
            key = COUNT_FROM_FIELD[name]
            if name == "graduation":
                day, month_only = schooling.graduated, schooling.month_only
            else:
                day, month_only = applicant.date(key), applicant.month_only(key)
            if day is None:
                result.unreadable.append(key)
            else:
                # A year and month only: counted from the month's last day, the first day
                # it is certain to have happened by (a day is never invented).
                starts.append((month_end(day), True) if month_only else (day, False))
        if not result.unreadable:
            start, result.from_month = max(starts)
            result.months_have = max(0, full_months(start, as_of))
            result.months_short = max(0, rule.months - result.months_have)
            result.held += result.months_short == 0
    return result


@dataclass
class Verdict:
    """Where an applicant stands for the level applied for."""

    level: Level
    rules: list[EligibilityRule]
    evaluations: list[Evaluation]
    as_of: dt.date
    as_of_label: str

    @property
    def path(self) -> Evaluation | None:
        """The first normal path met."""
        return next((e for e in self.evaluations if e.met), None)

    def requires(self, material_id: str) -> Evaluation | None:
        """A met path that asks for the material, when every met path does (an applicant
        who also meets a path without it need not hand it in); else None."""
        met = [e for e in self.evaluations if e.met]
        if met and all(material_id in e.rule.materials for e in met):
            return met[0]
        return None

    @property
    def undecided(self) -> Evaluation | None:
        """A path that might be met but has a date that cannot be read."""
        return next((e for e in self.evaluations if e.unreadable and not e.unmet), None)

    @property
    def closest(self) -> Evaluation | None:
        """The path the applicant is nearest to: fewest conditions failed, fewest months
        short, then most conditions met (a 本科 applicant's own path before the 博士 one,
        whose single condition fails too). A date that cannot be read is no failed
        condition: it is said as unreadable."""
        if not self.evaluations:
            return None
        return min(
            self.evaluations,
            key=lambda e: (
                len(e.unmet),
                e.months_short,
                -e.held,
                len(e.unreadable),
                e.schooling.earlier,
            ),
        )

    @property
    def exceptional_paths(self) -> list[EligibilityRule]:
        return [r for r in self.rules if r.exceptional]


def verdict(notice: Notice, applicant: Applicant, level: Level) -> Verdict | None:
    """Every normal rule of the level tried with every education; None when the notice
    has no rule for the level."""
    rules = [r for r in notice.eligibility.rules if r.level == level.id]
    if not rules:
        return None
    as_of, label = as_of_date(notice)
    known = tuple(
        dict.fromkeys(
            [*TITLE_LADDER, *(t for r in notice.eligibility.rules for t in r.lower_titles)]
        )
    )
    held = schoolings(applicant, notice)
    evaluations = [
        evaluate(rule, applicant, schooling, as_of, known)
        for rule in rules
        if not rule.exceptional
        for schooling in held
    ]
    return Verdict(level, rules, evaluations, as_of, label)
