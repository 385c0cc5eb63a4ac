"""The xinjiang-2021 preset says what its notice says, and check gives its verdicts.

Notice: 新党网信明电〔2021〕5号 (tests/notices/xinjiang-2021.txt) with its
附件2《职称申报审核流程及注意事项》. Each rule of the preset is held to its source: a notice
rule quotes the notice verbatim; what the notice points to without stating (the 自治区评审条件,
the 公示 length) is baseline and only warns. The behaviour tests run the real check engine
on a workspace made by ``init_workspace`` with real generated PDFs and images.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from check_helpers import id_with_check, png_bytes, put_file, scan_pdf, toml_text
from zcprep.check import run_check
from zcprep.model.applicant import applicant_template, continuing_education_years
from zcprep.model.notice import Notice
from zcprep.model.presets import load_preset
from zcprep.model.workspace import init_workspace, new_dossier, open_workspace
from zcprep.report import Finding
from zcprep.roster import make_roster

PRESET = "xinjiang-2021"
NOTICE_FILE = Path(__file__).parents[1] / "notices" / "xinjiang-2021.txt"
# In the online window, after the 公示 below, before every deadline.
TODAY = dt.date(2021, 11, 1)
# Materials made later than the online submission (评审表) or handed in on paper only.
LATER = {"evaluation-form", "work-summary"}

_PARENS = str.maketrans({"（": "(", "）": ")"})


def _normal(text: str) -> str:
    """Whitespace removed, full-width parentheses made half-width: the notice text is an
    OCR/extraction with stray spaces and line breaks inside sentences."""
    return re.sub(r"\s+", "", text).translate(_PARENS)


@functools.cache
def notice_text() -> str:
    return _normal(NOTICE_FILE.read_text(encoding="utf-8"))


def in_notice(quote: str) -> bool:
    return bool(_normal(quote)) and _normal(quote) in notice_text()


@functools.cache
def preset() -> Notice:
    return load_preset(PRESET).notice


def material(material_id: str) -> Any:
    for item in preset().materials:
        if item.id == material_id:
            return item
    raise AssertionError(f"{PRESET} 没有材料 {material_id}")


# --- the preset against the notice text ------------------------------------------------


def test_preset_loads_without_warnings() -> None:
    loaded = load_preset(PRESET)
    assert loaded.warnings == []
    assert loaded.notice.id == PRESET


def test_none_rule_is_on_with_the_notice_sentence() -> None:
    section = preset().applicant
    assert section.none_rule is True
    assert section.none_rule_quote == "对表中的栏目无填写内容的应注明“无”，不得留有空格。"
    assert in_notice(section.none_rule_quote)


def test_declared_fields() -> None:
    section = preset().applicant
    design = {
        "name", "gender", "id_number", "birth_date", "phone", "employer", "education",
        "degree", "school", "major", "graduation_date", "work_start_date",
        "specialty_start_date", "current_title", "current_title_date", "level", "exceptional",
        "freelancer", "social_insurance_months", "publicity_start", "publicity_end", "rank",
        "continuing_education", "remarks",
    }  # fmt: skip
    # only DESIGN.md keys may be required (the DESIGN-only applicant must pass)
    assert set(section.fields) <= design
    # 附件2 一（二）1–5 and the 公示结果证明's dates
    for key in (
        "name", "gender", "id_number", "birth_date", "employer", "education", "degree",
        "school", "major", "graduation_date", "work_start_date", "specialty_start_date",
        "current_title", "current_title_date", "level", "publicity_start", "publicity_end",
        "continuing_education",
    ):  # fmt: skip
        assert key in section.fields, key
    # no 破格 path; nothing about 自由职业者, 社保, 排序, 专精特新, 劳务派遣 in this notice
    declared = section.declared_keys()
    for key in (
        "exceptional", "freelancer", "social_insurance_months", "rank",
        "specialized_enterprise", "labor_dispatch",
    ):  # fmt: skip
        assert key not in declared, key
    assert "remarks" in section.optional


def test_custom_fields_appointment_date_and_ce_exempt() -> None:
    custom = {c.key: c for c in preset().applicant.custom}
    appointment = custom["appointment_date"]
    assert (appointment.label, appointment.kind, appointment.required) == (
        "聘任时间",
        "month",
        False,
    )
    assert in_notice("取得及聘任时间")
    exempt = custom["ce_exempt"]
    assert (exempt.label, exempt.kind, exempt.required) == ("继续教育免试", "bool", False)
    assert "访惠聚" in exempt.comment
    assert in_notice("可免除当年继续教育(包括专业科目和公需科目)学习")
    aid = custom["aid_xinjiang"]
    assert (aid.kind, aid.required) == ("bool", False)
    assert in_notice("对口支援新疆一年以上，且正在援疆期间的专业技术人员")


def test_continuing_education_is_2021_only_from_the_notice() -> None:
    rule = preset().continuing_education
    assert rule is not None
    assert (rule.hours_per_year, rule.public_min_hours, rule.professional_min_hours) == (90, 30, 60)
    assert (rule.years, rule.last_year) == (1, 2021)
    assert rule.waived_when == [{"ce_exempt": True}]
    assert rule.source == "notice"
    assert in_notice(rule.quote)
    assert "90学时" in rule.quote and "公需科目不少于30学时" in rule.quote
    assert "专业科目不少于60学时" in rule.quote and "自2021年起" in rule.quote
    # the year itself: only the 2021 certificate is uploaded
    assert in_notice("上传 2021 年度继续教育培训公需科目和专业科目合格证书")
    assert continuing_education_years(preset()) == [2021]


def test_new_prefills_2021_and_only_the_declared_fields() -> None:
    text = applicant_template("张三", preset())
    assert "year = 2021" in text and "year = 2020" not in text
    assert "appointment_date" in text and "ce_exempt" in text
    for key in ("exceptional", "freelancer", "social_insurance_months", "rank"):
        assert f"\n{key} =" not in text, key
    assert "不要留空" in text  # the 无 rule is said where the officer fills in


def test_no_exceptional_path() -> None:
    assert not any(rule.exceptional for rule in preset().eligibility.rules)
    assert "破格" not in NOTICE_FILE.read_text(encoding="utf-8")


def test_eligibility_is_baseline_with_its_basis() -> None:
    eligibility = preset().eligibility
    assert eligibility.source == "baseline"
    assert "人社部发〔2019〕16号" in eligibility.basis
    assert eligibility.enforce is False
    # the notice only points to the 自治区评审条件, which is not in hand
    assert in_notice("对照《新疆维吾尔自治区工程系列网络安全和信息化专业技术职务任职资格评审条件》")
    assert eligibility.rules
    for rule in eligibility.rules:
        # a rule inherits [eligibility]'s source
        assert getattr(rule, "source", None) in (None, "baseline"), rule
        assert not getattr(rule, "quote", "")


def test_as_of_is_a_fixed_notice_date_not_today() -> None:
    n = preset()
    assert n.dates.seniority_cutoff is None  # the notice gives no 资历截止日
    assert n.eligibility.as_of == "window_end"
    assert n.dates.online is not None and n.dates.online.end == dt.date(2021, 11, 15)


def test_publicity_is_baseline() -> None:
    publicity = preset().publicity
    assert publicity.required is True
    assert publicity.min_working_days == 5
    assert publicity.source == "baseline"
    assert "人社部令第40号" in publicity.basis
    assert "工作日" not in NOTICE_FILE.read_text(encoding="utf-8")  # no day count stated
    assert in_notice("《公示结果证明》（模板附后）")


def test_every_material_quotes_the_notice() -> None:
    for item in preset().materials:
        assert item.source == "notice", item.id
        assert in_notice(item.quote), (item.id, item.quote)


def test_stages_and_paper() -> None:
    for item in preset().materials:
        if item.id not in LATER:
            assert item.stage == "submit", item.id
        assert item.scope == "applicant", item.id
        assert item.not_accepted is False, item.id
    form = material("evaluation-form")
    assert form.stage == "generated"
    assert (form.paper_size, form.duplex, form.copies) == ("A4", True, 1)
    assert "通过形式审核后自动生成" in _normal(form.quote)
    assert "A4纸、同一张纸正反面打印" in _normal(form.quote)
    summary = material("work-summary")
    assert summary.stage == "paper"
    assert (summary.paper_size, summary.duplex, summary.copies) == ("A4", True, 1)
    assert in_notice("以下材料须报送原件")


def test_every_notice_rule_quote_occurs_in_the_notice() -> None:
    """One sweep over every rule that carries a source: notice rules quote the notice,
    baseline rules name their basis."""
    n = preset()
    rules: list[tuple[str, Any]] = [
        ("continuing_education", n.continuing_education),
        ("publicity", n.publicity),
        ("eligibility", n.eligibility),
        *((f"materials.{m.id}", m) for m in n.materials),
        *((f"exclusions.{i}", x) for i, x in enumerate(n.eligibility.exclusions)),
    ]
    if n.social_insurance is not None:
        rules.append(("social_insurance", n.social_insurance))
    for where, rule in rules:
        source = getattr(rule, "source", "notice") or "notice"
        if source == "notice":
            assert in_notice(rule.quote), (where, rule.quote)
        elif source == "baseline":
            assert rule.basis, where
    assert in_notice(n.applicant.none_rule_quote)


# --- behaviour through the check engine -------------------------------------------------


def right_data() -> dict[str, object]:
    """A 中级 applicant, complete and right: every key of DESIGN.md's table, nothing else."""
    return {
        "name": "张三",
        "gender": "男",
        "id_number": id_with_check("65010219900307123"),  # 17th digit 3: 男
        "birth_date": "1990-03-07",
        "phone": "13800000001",
        "employer": "新疆某某网络安全技术有限公司",
        "education": "本科",
        "degree": "学士",
        "school": "新疆大学",
        "major": "信息安全",
        "graduation_date": "2012-07-01",
        "work_start_date": "2012-07-15",
        "specialty_start_date": "2012-07-15",
        "current_title": "助理工程师",
        "current_title_date": "2016-06-30",
        "level": "中级",
        "exceptional": False,
        "freelancer": False,
        "social_insurance_months": 120,
        "publicity_start": "2021-10-11",  # Monday to Friday: 5 working days
        "publicity_end": "2021-10-15",
        "rank": 1,
        "remarks": "无",
    }


CE_2021 = [{"year": 2021, "public_hours": 30, "professional_hours": 60}]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return init_workspace(PRESET, tmp_path / "ws")


def dossier(
    root: Path,
    data: dict[str, object] | None = None,
    continuing: list[dict[str, int]] | None = None,
    *,
    later: bool = False,
    extra: str = "",
) -> Path:
    """A dossier with a real file in every material due before submission (and the 评审表
    and 工作总结 too when ``later``), and the given applicant.toml."""
    data = right_data() if data is None else data
    ws = open_workspace(root)
    folder = new_dossier(ws, str(data.get("name") or "张三"))
    for seed, item in enumerate(ws.notice.checklist, start=1):
        if not item.required or (item.id in LATER and not later):
            continue
        target = folder / item.folder
        if item.id == "photo":
            put_file(target / "一寸照片.png", png_bytes((413 + seed, 579)))
        else:
            put_file(target / f"{item.short or item.name}.pdf", scan_pdf(1, seed=seed))
    text = toml_text(data, CE_2021 if continuing is None else continuing) + extra
    (folder / "applicant.toml").write_text(text, "utf-8")
    return folder


def findings(root: Path, stage: str | None = None) -> list[Finding]:
    ws = open_workspace(root)
    kwargs: dict[str, Any] = {"jobs": 1, "today": TODAY}
    if stage is not None:
        kwargs["stage"] = stage
    report = run_check(ws, **kwargs)
    assert len(report.dossiers) == 1
    return [*report.notice_findings, *report.dossiers[0].findings]


def errors(found: list[Finding]) -> list[Finding]:
    return [f for f in found if f.severity == "error"]


def codes(found: list[Finding], severity: str | None = None) -> list[str]:
    return [f.code for f in found if severity is None or f.severity == severity]


def test_design_only_applicant_passes(root: Path) -> None:
    dossier(root)
    found = findings(root)
    assert errors(found) == []
    assert "continuing-education-short" not in codes(found)
    assert "eligibility-not-met" not in codes(found)
    assert "publicity-too-short" not in codes(found)


def test_2021_hours_meeting_90_30_60_pass(root: Path) -> None:
    dossier(root, continuing=[{"year": 2021, "public_hours": 30, "professional_hours": 60}])
    assert "continuing-education-short" not in codes(findings(root))


def test_only_2020_hours_fail_naming_2021(tmp_path: Path) -> None:
    root = init_workspace(PRESET, tmp_path / "ws")
    dossier(root, continuing=[{"year": 2020, "public_hours": 40, "professional_hours": 80}])
    short = [f for f in findings(root) if f.code == "continuing-education-short"]
    assert len(short) == 1
    assert short[0].severity == "error"  # a notice rule
    assert "2021" in short[0].message
    assert "2020" not in short[0].message


@pytest.mark.parametrize(
    ("public", "professional"),
    [(29, 61), (31, 59), (30, 59)],  # 公需 < 30 / 专业 < 60 / 合计 < 90
)
def test_2021_hours_below_the_split_fail(root: Path, public: int, professional: int) -> None:
    dossier(
        root,
        continuing=[{"year": 2021, "public_hours": public, "professional_hours": professional}],
    )
    short = [f for f in findings(root) if f.code == "continuing-education-short"]
    assert [f.severity for f in short] == ["error"]
    assert "2021" in short[0].message


def test_ce_exempt_waives_continuing_education(root: Path) -> None:
    data = right_data()
    data["ce_exempt"] = True
    dossier(root, data, continuing=[{"year": 2020, "public_hours": 40, "professional_hours": 80}])
    found = findings(root)
    assert "continuing-education-short" not in codes(found)
    assert errors(found) == []


def test_ce_exempt_with_the_zero_hours_new_writes_passes(root: Path) -> None:
    """`zcprep new` pre-fills 2021 with 0 hours; an exempt applicant leaves it so."""
    data = right_data()
    data["ce_exempt"] = True
    dossier(root, data, continuing=[{"year": 2021, "public_hours": 0, "professional_hours": 0}])
    found = findings(root)
    assert "continuing-education-short" not in codes(found)
    assert errors(found) == []


def test_new_dossier_writes_2021(root: Path) -> None:
    folder = new_dossier(open_workspace(root), "李四")
    text = (folder / "applicant.toml").read_text("utf-8")
    assert "year = 2021" in text and "year = 2020" not in text
    assert "ce_exempt = false" in text


def test_roster_numbers_rows_instead_of_ranking(root: Path) -> None:
    dossier(root)
    result = make_roster(open_workspace(root), today=TODAY)
    assert len(result.outputs) == 1
    sheet = openpyxl.load_workbook(result.outputs[0]).active
    headers = [cell.value for cell in sheet[3]]
    assert headers[0] == "序号" and "排序" not in headers
    assert [cell.value for cell in sheet[4]][:2] == [1, "张三"]


def test_roster_shows_the_appointment_month(root: Path) -> None:
    data = right_data()
    data["appointment_date"] = "2016.7"
    dossier(root, data)
    result = make_roster(open_workspace(root), today=TODAY)
    sheet = openpyxl.load_workbook(result.outputs[0]).active
    headers = [cell.value for cell in sheet[3]]
    cell = sheet.cell(row=4, column=headers.index("聘任时间") + 1)
    assert cell.value == dt.datetime(2016, 7, 1)
    assert "月" in cell.number_format and "日" not in cell.number_format  # a month stays a month


def test_blank_field_is_an_error_citing_the_none_rule(root: Path) -> None:
    data = right_data()
    data["major"] = ""
    dossier(root, data)
    found = errors(findings(root))
    blank = [f for f in found if "major" in f.message + f.hint or "所学专业" in f.message]
    assert blank, found
    text = blank[0].message + blank[0].hint
    assert "无" in text
    assert "不得留有空格" in text  # the notice's own sentence
    assert blank[0].code in ("applicant-field-missing", "applicant-field-invalid")


def test_blank_optional_field_is_an_error_under_the_none_rule(root: Path) -> None:
    data = right_data()
    data["remarks"] = ""
    dossier(root, data)
    found = errors(findings(root))
    assert any("备注" in f.message or "remarks" in f.message for f in found), found


def test_none_in_an_optional_field_is_fine(root: Path) -> None:
    data = right_data()
    data["remarks"] = "无"
    data["appointment_date"] = "无"  # 未聘任
    dossier(root, data)
    assert errors(findings(root)) == []


def test_appointment_date_is_read_as_a_month(root: Path) -> None:
    data = right_data()
    data["appointment_date"] = "2016-07"
    dossier(root, data)
    assert errors(findings(root)) == []


def test_eligibility_miss_is_a_baseline_warning(root: Path) -> None:
    data = right_data()
    data["current_title_date"] = "2019-06-30"  # 到 2021-11-15 只有 28 个月，基线要求 48 个月
    dossier(root, data)
    found = findings(root)
    missed = [f for f in found if f.code == "eligibility-not-met"]
    assert [f.severity for f in missed] == ["warning"]
    assert "人社部发〔2019〕16号" in missed[0].message + missed[0].hint
    assert "通知要求" not in missed[0].message
    assert errors(found) == []


def test_short_publicity_is_a_baseline_warning(root: Path) -> None:
    data = right_data()
    data["publicity_end"] = "2021-10-13"  # 3 working days
    dossier(root, data)
    found = findings(root)
    short = [f for f in found if f.code == "publicity-too-short"]
    assert [f.severity for f in short] == ["warning"]
    assert "通知要求" not in short[0].message
    assert errors(found) == []


def test_evaluation_form_not_needed_before_submission(root: Path) -> None:
    dossier(root)  # no 评审表, no 工作总结
    found = findings(root)
    missing = {f.material for f in found if f.code == "material-missing" and f.severity == "error"}
    assert "evaluation-form" not in missing
    assert "work-summary" not in missing
    assert errors(found) == []


def test_paper_stage_reports_the_evaluation_form_missing(root: Path) -> None:
    dossier(root)
    found = findings(root, stage="paper")
    missing = {f.material for f in errors(found) if f.code == "material-missing"}
    assert {"evaluation-form", "work-summary"} <= missing


def test_paper_stage_passes_with_the_originals(root: Path) -> None:
    dossier(root, later=True)
    assert errors(findings(root, stage="paper")) == []


def test_aid_xinjiang_needs_the_dispatch_approval(root: Path) -> None:
    data = right_data()
    data["aid_xinjiang"] = True
    dossier(root, data)
    missing = {f.material for f in errors(findings(root)) if f.code == "material-missing"}
    assert missing == {"other"}
