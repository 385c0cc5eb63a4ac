"""The Nantong 2023 preset (通网职〔2023〕1号) held to its notice.

Two kinds of test. The first reads the preset: every rule it marks as the notice's own
carries a sentence that really is in the notice (tests/notices/nantong-2023.txt), and every
rule the notice only points to (资格条件, 继续教育学时, 中级须有论文) is a baseline with its
standard named. The second runs the real ``check`` engine on workspaces made with
``init_workspace("nantong-2023", …)`` and dossiers of generated PDFs, and asserts what an
officer would see: which problems block the dossier (errors) and which only ask to be
verified against the provincial standard (warnings).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from check_helpers import id_with_check, put_file, scan_pdf, text_pdf, toml_text
from zcprep.check import run_check
from zcprep.model.notice import Material, Notice
from zcprep.model.presets import load_preset, preset_path
from zcprep.model.workspace import init_workspace, new_dossier, open_workspace
from zcprep.report import Finding

PRESET = "nantong-2023"
NOTICE_FILE = Path(__file__).parents[1] / "notices" / "nantong-2023.txt"
# Before the online window closes (2023-06-20): no deadline finding in the way.
TODAY = dt.date(2023, 5, 20)
BOUND_IDS = [
    "current-qualification",
    "continuing-education",
    "work-summary",
    "achievements",
    "papers",
    "exceptional-proof",
]


def _norm(text: str) -> str:
    """Whitespace dropped, half-width brackets and punctuation as the notice writes them."""
    text = re.sub(r"\s+", "", text)
    return text.translate(str.maketrans({"(": "（", ")": "）", ",": "，", ":": "："}))


@pytest.fixture(scope="module")
def notice_text() -> str:
    if not NOTICE_FILE.is_file():
        pytest.skip(f"notice text not available: {NOTICE_FILE}")
    return _norm(NOTICE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def notice() -> Notice:
    return load_preset(PRESET).notice


def material(notice: Notice, material_id: str) -> Material:
    for item in notice.materials:
        if item.id == material_id:
            return item
    raise AssertionError(f"{PRESET} has no material {material_id}")


# --- the preset against the notice text ------------------------------------------------


def test_loads_without_warnings() -> None:
    loaded = load_preset(PRESET)
    assert loaded.warnings == []
    assert loaded.notice.id == PRESET


def _sourced(notice: Notice) -> list[tuple[str, Any]]:
    """Every object of the preset that carries a rule source, named for the test id."""
    items: list[tuple[str, Any]] = [
        ("eligibility", notice.eligibility),
        ("publicity", notice.publicity),
    ]
    if notice.continuing_education is not None:
        items.append(("continuing_education", notice.continuing_education))
    if notice.social_insurance is not None:
        items.append(("social_insurance", notice.social_insurance))
    items += [
        (f"eligibility.rules[{i + 1}]", notice.eligibility.source_of(r))
        for i, r in enumerate(notice.eligibility.rules)
    ]
    items += [
        (f"eligibility.exclusions[{i + 1}]", r) for i, r in enumerate(notice.eligibility.exclusions)
    ]
    items += [(f"materials.{m.id}", m) for m in notice.materials]
    return items


def _notice_rules() -> list[tuple[str, Any]]:
    notice = load_preset(PRESET).notice
    return [(name, item) for name, item in _sourced(notice) if item.source == "notice"]


@pytest.mark.parametrize(("name", "rule"), _notice_rules(), ids=[n for n, _ in _notice_rules()])
def test_every_notice_rule_quotes_the_notice(name: str, rule: Any, notice_text: str) -> None:
    assert rule.quote, f"{name}: source = notice needs the notice's sentence as quote"
    assert _norm(rule.quote) in notice_text, f"{name}: quote not in the notice: {rule.quote}"


def test_the_notice_rules_are_the_ones_the_notice_states(notice: Notice) -> None:
    notice_rules = {name for name, _ in _notice_rules()}
    assert notice_rules == {
        "publicity",
        "eligibility.exclusions[1]",
        "materials.application-form",
        "materials.profile-form",
        "materials.current-qualification",
        "materials.continuing-education",
        "materials.work-summary",
        "materials.achievements",
        "materials.exceptional-proof",
    }


@pytest.mark.parametrize(("name", "rule"), _sourced(load_preset(PRESET).notice))
def test_every_rule_has_a_known_source(name: str, rule: Any) -> None:
    assert rule.source in ("notice", "baseline", "unit"), name
    if rule.source == "baseline":
        assert rule.basis, f"{name}: a baseline rule names the standard it comes from"
        assert not rule.enforce, f"{name}: baseline stays a warning until the officer confirms it"


def test_eligibility_is_the_national_baseline(notice: Notice) -> None:
    """通知“二、（一）”只写按《资格条件》（苏职称〔2022〕18号）执行，原文不在手边。"""
    assert notice.eligibility.source == "baseline"
    assert "人社部发〔2019〕16号" in notice.eligibility.basis
    assert notice.eligibility.rules
    for rule in notice.eligibility.rules:
        assert rule.source is None  # inherited from [eligibility]
        source = notice.eligibility.source_of(rule)
        assert source.source == "baseline" and "16号" in source.basis
        assert not source.blocking


def test_continuing_education_is_the_national_baseline(notice: Notice) -> None:
    """通知“二、（四）”只写按《江苏省专业技术人员继续教育条例》执行，没有学时数。"""
    rule = notice.continuing_education
    assert rule is not None
    assert rule.source == "baseline"
    assert "人社部令第25号" in rule.basis
    assert rule.hours_per_year == 90
    assert (rule.years, rule.last_year) == (1, 2022)  # 资历截止 2022-12-31 所在年度


def test_papers_for_intermediate_are_a_baseline(notice: Notice) -> None:
    item = material(notice, "papers")
    assert item.source == "baseline" and "16号" in item.basis
    assert not item.required
    assert item.required_when == [{"level": "intermediate"}]


def test_dates_are_the_notice_dates(notice: Notice, notice_text: str) -> None:
    dates = notice.dates
    assert dates.seniority_cutoff == dt.date(2022, 12, 31)
    assert dates.achievements_cutoff == dt.date(2023, 3, 31)
    assert (dates.online.start, dates.online.end) == (dt.date(2023, 4, 25), dt.date(2023, 6, 20))
    assert (dates.paper.start, dates.paper.end) == (dt.date(2023, 6, 27), dt.date(2023, 7, 14))
    assert notice.eligibility.as_of == "seniority_cutoff"
    # the sentence the preset's [dates] comment quotes
    assert (
        _norm(
            "专业技术人才申报职称的资历（任职年限）截止时间为 2022 年 12 月 31 日，申报职称的"
            "业绩成果、论文、学历（学位）等截止时间为 2023 年 3 月 31 日。"
        )
        in notice_text
    )
    assert _norm("资历（任职年限）截止时间为 2022 年 12 月 31 日") in notice_text


def test_publicity_is_the_notice_rule(notice: Notice) -> None:
    rule = notice.publicity
    assert rule.required and rule.min_working_days == 5
    assert rule.source == "notice"


def test_applicant_fields_are_the_notice_fields(notice: Notice) -> None:
    declared = set(notice.applicant.fields) | set(notice.applicant.optional)
    declared |= {field.key for field in notice.applicant.custom}
    unused = ("specialized_enterprise", "labor_dispatch", "rank", "social_insurance_months")
    for absent in (*unused, "freelancer"):
        assert absent not in declared, absent
    for key in ("education", "current_title", "current_title_date", "level", "exceptional"):
        assert key in notice.applicant.fields
    assert not notice.applicant.none_rule
    custom = {field.key: field for field in notice.applicant.custom}
    assert custom["civil_servant"].kind == "bool" and not custom["civil_servant"].required


DESIGN_KEYS = {
    "name", "gender", "id_number", "birth_date", "phone", "employer", "education", "degree",
    "school", "major", "graduation_date", "work_start_date", "specialty_start_date",
    "current_title", "current_title_date", "level", "exceptional", "freelancer",
    "social_insurance_months", "publicity_start", "publicity_end", "rank",
    "continuing_education", "remarks",
}  # fmt: skip


def test_required_fields_are_design_keys(notice: Notice) -> None:
    assert set(notice.applicant.fields) <= DESIGN_KEYS
    assert not any(field.required for field in notice.applicant.custom)


def test_materials_one_to_eight_in_the_notice_order(notice: Notice) -> None:
    checklist = notice.checklist
    assert [item.order for item in checklist] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [item.copies for item in checklist[:2]] == [3, 6]  # 申报表 3 份, 简介（公示）表 6 份
    assert all(item.scope == "applicant" for item in checklist)
    assert material(notice, "application-form").stage == "generated"  # 平台下载打印、审核盖章
    assert all(item.stage == "submit" for item in checklist[1:])
    exceptional = material(notice, "exceptional-proof")
    assert not exceptional.required and exceptional.required_when == [{"exceptional": True}]
    assert material(notice, "current-qualification").omit_when == [{"current_title": "无"}]


def test_bound_items_are_exactly_materials_three_to_eight(notice: Notice, notice_text: str) -> None:
    assert [item.order for item in notice.bound_materials] == [3, 4, 5, 6, 7, 8]
    assert [item.id for item in notice.bound_materials] == BOUND_IDS
    assert [item.bound for item in notice.checklist[:2]] == [False, False]
    assert notice.bind.toc and not notice.bind.toc_numbered  # 《目录》作为封面
    assert (
        _norm(
            "上述材料 3 至材料 8，请按照《网络安全工程专业技术资格评审申报材料目录》（附件 1）"
            "顺序装订成册，由前至后编好页码，并将页码填入《目录》页），《目录》作为申报材料的"
            "封面一并装订。材料 1、2 不装订入册"
        )
        in notice_text
    )


def test_roster_has_index_and_no_rank(notice: Notice, notice_text: str) -> None:
    keys = [column.key for column in notice.roster.columns]
    headers = [column.header for column in notice.roster.columns]
    assert keys[0] == "index" and headers[0] == "序号"
    assert "rank" not in keys and "排序" not in headers
    assert notice.roster.split == "file"  # 不同层级分别汇总
    assert _norm("申报不同层级职称人员情况一览表要分别汇总") in notice_text


def test_preset_text_quotes_are_in_the_notice(notice_text: str) -> None:
    """Every ``quote = "…"`` line in the preset file (also in tables the model may not
    expose yet) occurs in the notice."""
    text = preset_path(PRESET).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    quotes = re.findall(r'^\s*(?:quote|none_rule_quote)\s*=\s*"(.+)"', text, re.M)
    assert len(quotes) >= 9
    for quote in quotes:
        assert _norm(quote) in notice_text, quote
    assert data["applicant"]["none_rule"] is False


# --- through the real check engine ---------------------------------------------------------


def design_applicant(**changes: Any) -> dict[str, Any]:
    """An applicant.toml holding only DESIGN.md's keys: a 中级 applicant who meets the
    baseline (本科, 助理工程师 since 2018-06-30: 54 months to 2022-12-31)."""
    data: dict[str, Any] = {
        "name": "张三",
        "gender": "男",
        "id_number": id_with_check("32060219900307123"),
        "birth_date": "1990-03-07",
        "phone": "13800000001",
        "employer": "南通测试网络科技有限公司",
        "education": "本科",
        "degree": "学士",
        "school": "南京示例大学",
        "major": "信息安全",
        "graduation_date": "2012-07-01",
        "work_start_date": "2012-07-15",
        "specialty_start_date": "2012-07-15",
        "current_title": "助理工程师",
        "current_title_date": "2018-06-30",
        "level": "中级",
        "exceptional": False,
        "freelancer": False,
        "social_insurance_months": 120,
        "publicity_start": "2023-05-08",  # 周一至周五，5 个工作日
        "publicity_end": "2023-05-12",
        "rank": 1,
        "remarks": "无",
    }
    data.update(changes)
    return data


RIGHT_HOURS = [{"year": 2022, "public_hours": 30, "professional_hours": 60}]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "2023职称"
    init_workspace(PRESET, root)
    return root


def make_dossier(
    root: Path,
    name: str = "张三",
    seed: int = 0,
    skip: tuple[str, ...] = (),
    hours: list[dict[str, int]] | None = None,
    **changes: Any,
) -> Path:
    """A dossier made by ``new_dossier`` with its applicant.toml replaced and a real PDF
    in the folder of every material this applicant needs before submission."""
    ws = open_workspace(root)
    folder = new_dossier(ws, name)
    data = design_applicant(name=name, **changes)
    (folder / "applicant.toml").write_text(
        toml_text(data, RIGHT_HOURS if hours is None else hours), "utf-8"
    )
    level = str(data["level"])
    for index, item in enumerate(ws.notice.checklist):
        if item.id in skip or item.stage != "submit":
            continue
        if item.id == "papers" and level != "中级":
            continue
        if item.id == "exceptional-proof" and not data["exceptional"]:
            continue
        if item.id == "current-qualification" and data["current_title"] == "无":
            continue
        if item.id == "work-summary":
            content = text_pdf([[f"任期内专业技术工作总结 {name} {seed}"], ["第二页"]])
        else:
            content = scan_pdf(1 + index % 2, seed=seed * 100 + index)
        put_file(folder / item.folder / f"{item.short or item.name}.pdf", content)
    return folder


def check(root: Path, today: dt.date = TODAY) -> list[Finding]:
    report = run_check(open_workspace(root), jobs=1, today=today)
    assert len(report.dossiers) >= 1
    return [*report.notice_findings, *report.dossiers[0].findings]


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def shown(findings: list[Finding]) -> str:
    return "\n".join(
        f"{f.severity} {f.code} {f.material}: {f.message} / {f.hint}" for f in findings
    )


def test_design_only_applicant_passes(workspace: Path) -> None:
    make_dossier(workspace)
    findings = check(workspace)
    assert errors(findings) == [], shown(findings)
    assert not [f for f in findings if f.code == "applicant-field-missing"], shown(findings)


def test_design_only_assistant_passes(workspace: Path) -> None:
    """本科 2021-07 毕业，2021-08 起从事本专业技术工作：到 2022-12-31 满 16 个月；初级不要论文。"""
    make_dossier(
        workspace,
        name="李四",
        level="初级",
        graduation_date="2021-07-01",
        work_start_date="2021-08-01",
        specialty_start_date="2021-08-01",
        current_title="无",
        current_title_date="无",
    )
    findings = check(workspace)
    assert errors(findings) == [], shown(findings)
    assert not [f for f in findings if f.material == "papers"], shown(findings)
    assert not [f for f in findings if f.code == "eligibility-not-met"], shown(findings)


def test_new_prefills_only_the_counted_year(workspace: Path) -> None:
    folder = new_dossier(open_workspace(workspace), "王五")
    data = tomllib.loads((folder / "applicant.toml").read_text("utf-8"))
    years = [entry["year"] for entry in data.get("continuing_education", [])]
    assert years == [2022]
    for absent in ("specialized_enterprise", "labor_dispatch", "rank", "social_insurance_months"):
        assert absent not in data, absent


def test_72_hours_is_a_baseline_warning_not_an_error(workspace: Path) -> None:
    make_dossier(workspace, hours=[{"year": 2022, "public_hours": 24, "professional_hours": 48}])
    findings = check(workspace)
    short = [f for f in findings if f.code == "continuing-education-short"]
    assert short, shown(findings)
    assert all(f.severity == "warning" for f in short), shown(short)
    assert errors(findings) == [], shown(findings)
    for finding in short:
        assert "人社部令第25号" in finding.message, finding.message
        assert "通知要求" not in finding.message + finding.hint, shown([finding])
        assert "2022" in finding.message


def test_only_2022_is_counted(workspace: Path) -> None:
    """2023 年度学时尚未完成：没有 2023 年记录不算问题，2021 年不足也不核对。"""
    make_dossier(
        workspace,
        hours=[
            {"year": 2021, "public_hours": 10, "professional_hours": 10},
            {"year": 2022, "public_hours": 30, "professional_hours": 60},
        ],
    )
    findings = check(workspace)
    assert not [f for f in findings if f.code == "continuing-education-short"], shown(findings)


def test_eligibility_miss_is_a_warning(workspace: Path) -> None:
    """助理工程师 2019-01-31 取得：到资历截止日 2022-12-31 只有 47 个月（要 48）。"""
    make_dossier(workspace, current_title_date="2019-01-31")
    findings = check(workspace)
    missed = [f for f in findings if f.code == "eligibility-not-met"]
    assert missed, shown(findings)
    assert all(f.severity == "warning" for f in missed), shown(missed)
    assert errors(findings) == [], shown(findings)
    assert "16号" in missed[0].message
    assert "通知要求" not in missed[0].message + missed[0].hint


def test_eligibility_counts_to_the_seniority_cutoff_whatever_the_day(workspace: Path) -> None:
    """满 48 个月正好在 2022-12-31：今天是哪一天都不改变结论。"""
    make_dossier(workspace, current_title_date="2018-12-31")
    for today in (TODAY, dt.date(2026, 1, 5)):
        findings = check(workspace, today)
        assert not [f for f in findings if f.code == "eligibility-not-met"], shown(findings)


def test_intermediate_without_papers_is_a_baseline_warning(workspace: Path) -> None:
    make_dossier(workspace, skip=("papers",))
    findings = check(workspace)
    papers = [f for f in findings if f.material == "papers"]
    assert papers, shown(findings)
    assert all(f.severity == "warning" for f in papers), shown(papers)
    assert errors(findings) == [], shown(findings)
    assert any("16号" in f.message for f in papers), shown(papers)
    assert not any("通知要求" in f.message + f.hint for f in papers), shown(papers)


def test_a_notice_material_missing_is_an_error(workspace: Path) -> None:
    make_dossier(workspace, skip=("work-summary",))
    findings = check(workspace)
    missing = [f for f in errors(findings) if f.code == "material-missing"]
    assert [f.material for f in missing] == ["work-summary"], shown(findings)


def test_exceptional_needs_material_eight(workspace: Path) -> None:
    make_dossier(
        workspace, exceptional=True, current_title_date="2021-06-30", skip=("exceptional-proof",)
    )
    findings = check(workspace)
    missing = [f for f in errors(findings) if f.code == "material-missing"]
    assert [f.material for f in missing] == ["exceptional-proof"], shown(findings)


def test_publicity_shorter_than_five_working_days_is_an_error(workspace: Path) -> None:
    make_dossier(workspace, publicity_start="2023-05-08", publicity_end="2023-05-10")
    findings = check(workspace)
    short = [f for f in findings if f.code == "publicity-too-short"]
    assert short and all(f.severity == "error" for f in short), shown(findings)


def test_graduation_after_the_cutoff_is_an_error(workspace: Path) -> None:
    """通知“二、（五）”：学历（学位）截止 2023-03-31。"""
    make_dossier(
        workspace,
        name="赵六",
        level="初级",
        education="硕士研究生",
        degree="硕士",
        graduation_date="2023-06-30",
        work_start_date="2023-07-01",
        specialty_start_date="2023-07-01",
        current_title="无",
        current_title_date="无",
    )
    findings = check(workspace)
    assert [f for f in errors(findings) if f.code == "graduation-after-cutoff"], shown(findings)


def test_civil_servant_is_excluded_by_the_notice(workspace: Path) -> None:
    folder = make_dossier(workspace)
    path = folder / "applicant.toml"
    text = path.read_text("utf-8")
    head, sep, tail = text.partition("\n[[continuing_education]]")
    path.write_text(head + "\ncivil_servant = true\n" + sep + tail, "utf-8")
    findings = check(workspace)
    excluded = [f for f in errors(findings) if "公务员" in f.message]
    assert excluded, shown(findings)


def test_application_form_is_due_at_the_paper_stage(workspace: Path) -> None:
    make_dossier(workspace)
    report = run_check(open_workspace(workspace), jobs=1, today=TODAY, stage="paper")
    findings = report.dossiers[0].findings
    missing = [f for f in errors(findings) if f.code == "material-missing"]
    assert [f.material for f in missing] == ["application-form"], shown(findings)


def test_roster_numbers_rows_per_level(workspace: Path) -> None:
    from zcprep.roster import make_roster

    make_dossier(workspace, name="张三", seed=1)
    make_dossier(workspace, name="李四", seed=2)
    make_dossier(
        workspace,
        name="王五",
        seed=3,
        level="初级",
        graduation_date="2021-07-01",
        work_start_date="2021-08-01",
        specialty_start_date="2021-08-01",
        current_title="无",
        current_title_date="无",
    )
    result = make_roster(open_workspace(workspace), today=TODAY)
    assert len(result.outputs) == 2  # 不同层级分别汇总
    by_level = {}
    for path in result.outputs:
        sheet = openpyxl.load_workbook(path).active
        header_row = next(
            row for row in sheet.iter_rows(values_only=True) if row and row[0] == "序号"
        )
        assert "排序" not in header_row
        rows = [
            row
            for row in sheet.iter_rows(values_only=True)
            if row and isinstance(row[0], (int, float)) and row[1]
        ]
        by_level[path.name] = [(int(row[0]), row[1]) for row in rows]
    intermediate = next(v for k, v in by_level.items() if "中级" in k)
    assistant = next(v for k, v in by_level.items() if "初级" in k)
    assert [index for index, _ in intermediate] == [1, 2]
    assert assistant == [(1, "王五")]
