"""Per-notice fields, rule sources, material stages and scopes, education history and
reference dates: each through the real check on a generated workspace."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from check_helpers import NOTICE, right_applicant, right_dossier, text_pdf, toml_text, write_notice
from zcprep.check import run_check
from zcprep.errors import ConfigError
from zcprep.model.config import load_notice
from zcprep.model.workspace import new_dossier, open_workspace

TODAY = dt.date(2024, 5, 20)


def workspace(tmp_path: Path, notice: str = NOTICE) -> Path:
    root = tmp_path / "ws"
    write_notice(root)
    (root / "zcprep.toml").write_text(notice, "utf-8")
    return root


def findings(root: Path, **kwargs: object) -> list[tuple[str, str]]:
    report = run_check(open_workspace(root), jobs=1, today=TODAY, **kwargs)  # type: ignore[arg-type]
    return [(f.code, f.severity) for d in report.dossiers for f in d.findings]


def write_applicant(root: Path, name: str = "张三", **changes: object) -> None:
    data = right_applicant()
    data["name"] = name
    data.update(changes)
    for key in [k for k, v in changes.items() if v is None]:
        del data[key]
    (root / "dossiers" / name / "applicant.toml").write_text(toml_text(data), "utf-8")


DECLARED = NOTICE.replace(
    "[[levels]]",
    """[applicant]
fields = ["name", "gender", "id_number", "education", "degree", "graduation_date",
          "work_start_date", "current_title", "current_title_date", "level",
          "continuing_education", "publicity_start", "publicity_end", "social_insurance_months",
          "freelancer", "exceptional"]
optional = ["remarks", "phone", "earlier_education"]

[[levels]]""",
    1,
)


def test_only_declared_fields_are_required_and_undeclared_design_keys_are_ignored(
    tmp_path: Path,
) -> None:
    root = workspace(tmp_path, DECLARED)
    right_dossier(root)
    write_applicant(root, employer=None, school=None, rank=None, major=None)
    assert findings(root) == []
    write_applicant(root, nickname="小张")
    assert findings(root) == [("applicant-field-unknown", "warning")]


def test_a_blank_optional_field_is_fine_a_blank_required_one_is_not(tmp_path: Path) -> None:
    root = workspace(tmp_path, DECLARED)
    right_dossier(root)
    write_applicant(root, phone="")
    assert findings(root) == []
    write_applicant(root, gender="")
    report = run_check(open_workspace(root), jobs=1, today=TODAY)
    (finding,) = report.dossiers[0].findings
    assert finding.code == "applicant-field-missing" and "通知要求" not in finding.message
    assert "写“无”" not in finding.hint  # 性别 has no 无


def test_the_none_rule_makes_any_blank_field_an_error_citing_the_notice(tmp_path: Path) -> None:
    text = DECLARED.replace(
        'optional = ["remarks", "phone", "earlier_education"]',
        'optional = ["remarks", "phone", "earlier_education"]\nnone_rule = true\n'
        'none_rule_quote = "表中无填写内容的栏目应注明“无”，不得留空"',
    )
    root = workspace(tmp_path, text)
    right_dossier(root)
    write_applicant(root, phone="")
    report = run_check(open_workspace(root), jobs=1, today=TODAY)
    (finding,) = report.dossiers[0].findings
    assert finding.severity == "error" and "通知要求" in finding.message
    assert "不得留空" in finding.message


def test_a_baseline_rule_is_a_warning_naming_its_basis_until_enforced(tmp_path: Path) -> None:
    text = NOTICE.replace(
        "years = 2\n", 'years = 2\nsource = "baseline"\nbasis = "人社部令第25号"\n', 1
    )
    root = workspace(tmp_path, text)
    right_dossier(root)
    write_applicant(root)
    (root / "dossiers/张三/applicant.toml").write_text(
        toml_text(
            right_applicant(), [{"year": 2023, "public_hours": 30, "professional_hours": 42}]
        ),
        "utf-8",
    )
    report = run_check(open_workspace(root), jobs=1, today=TODAY)
    short = [f for f in report.dossiers[0].findings if f.code == "continuing-education-short"]
    assert [f.severity for f in short] == ["warning", "warning"]  # 2022 none, 2023 72 h
    assert all(
        "人社部令第25号" in f.message and "通知要求" not in f.message + f.hint for f in short
    )
    assert all("enforce = true" in f.hint for f in short)
    assert report.ok
    enforced = text.replace(
        'basis = "人社部令第25号"\n', 'basis = "人社部令第25号"\nenforce = true\n'
    )
    (root / "zcprep.toml").write_text(enforced, "utf-8")
    assert ("continuing-education-short", "error") in findings(root)


def test_a_notice_rule_says_tongzhi_yaoqiu(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    right_dossier(root)
    (root / "dossiers/张三/applicant.toml").write_text(
        toml_text(
            right_applicant(), [{"year": 2023, "public_hours": 30, "professional_hours": 60}]
        ),
        "utf-8",
    )
    report = run_check(open_workspace(root), jobs=1, today=TODAY)
    (short,) = report.dossiers[0].findings
    assert short.severity == "error" and "通知要求每年不少于 90 学时" in short.hint


STAGED = (
    NOTICE
    + """
[[materials]]
id = "evaluation-form"
name = "评审表"
order = 6
stage = "generated"
paper_size = "A3"
duplex = true
copies = 5

[[materials]]
id = "name-list"
name = "申报人员花名册"
order = 7
scope = "batch"
stage = "generated"

[[materials]]
id = "entrustment-letter"
name = "委托评审函"
order = 8
scope = "batch"
required = false
required_when = { freelancer = true }
"""
)


def test_a_generated_item_is_due_only_at_the_paper_stage(tmp_path: Path) -> None:
    root = workspace(tmp_path, STAGED)
    right_dossier(root)
    report = run_check(open_workspace(root), jobs=1, today=TODAY)
    assert report.ok and report.dossiers[0].findings == []
    (later,) = report.notice_findings
    assert later.code == "material-later" and "评审表" in later.message
    assert "A3，双面，一式 5 份" in later.message and "花名册" in later.message
    paper = run_check(open_workspace(root), jobs=1, today=TODAY, stage="paper")
    assert [(f.code, f.material) for f in paper.dossiers[0].findings] == [
        ("material-missing", "evaluation-form")
    ]
    assert [(f.code, f.material) for f in paper.notice_findings] == [
        ("material-missing", "name-list")
    ]
    assert paper.error_count == 2


def test_batch_items_are_checked_once_in_the_batch_folder(tmp_path: Path) -> None:
    root = workspace(tmp_path, STAGED)
    for number, name in enumerate(("张三", "李四", "王五")):
        right_dossier(root, name, seed=number)
    (root / "batch/07-申报人员花名册").mkdir(parents=True)
    (root / "batch/07-申报人员花名册/花名册.pdf").write_bytes(text_pdf([["申报人员花名册"]]))
    paper = run_check(open_workspace(root), jobs=1, today=TODAY, stage="paper")
    assert [f.material for f in paper.notice_findings] == []
    assert all(f.material == "evaluation-form" for d in paper.dossiers for f in d.findings)
    write_applicant(root, "李四", freelancer=True)
    again = run_check(open_workspace(root), jobs=1, today=TODAY)
    assert [(f.code, f.material) for f in again.notice_findings if f.severity == "error"] == [
        ("material-missing", "entrustment-letter")
    ]


def test_new_makes_the_batch_folder_and_writes_only_declared_fields(tmp_path: Path) -> None:
    root = workspace(tmp_path, STAGED.replace(DECLARED_MARK, DECLARED_SECTION, 1))
    folder = new_dossier(open_workspace(root), "赵六")
    assert (root / "batch/07-申报人员花名册").is_dir()
    assert (root / "batch/08-委托评审函").is_dir()
    assert not (folder / "07-申报人员花名册").exists()
    import tomllib

    data = tomllib.loads((folder / "applicant.toml").read_text("utf-8"))
    assert "employer" not in data and "rank" not in data and "gender" in data
    assert [e["year"] for e in data["continuing_education"]] == [2022, 2023]
    assert "earlier_education" not in data  # an example left commented out
    assert "# [[earlier_education]]" in (folder / "applicant.toml").read_text("utf-8")


DECLARED_MARK = "[[levels]]"
DECLARED_SECTION = DECLARED[DECLARED.index("[applicant]") : DECLARED.index("[[levels]]")] + (
    "[[levels]]"
)

LATER_OF = NOTICE.replace(
    """[[eligibility.rules]]
level = "assistant"
education = ["本科"]
months = 12
count_from = "graduation"
""",
    """[[eligibility.rules]]
level = "assistant"
education = ["本科"]
months = 12
count_from = ["graduation", "specialty_start"]

[[eligibility.rules]]
level = "assistant"
education = ["大专"]
months = 36
count_from = ["graduation", "specialty_start"]
note = "大专，从事本专业工作满36个月"
""",
).replace("[[levels]]", '[applicant]\noptional = ["earlier_education"]\n\n[[levels]]', 1)


def assistant(root: Path, **changes: object) -> list[tuple[str, str]]:
    base: dict[str, object] = {"level": "初级", "current_title": "无", "current_title_date": "无"}
    write_applicant(root, **{**base, **changes})
    return [c for c in findings(root) if c[0] == "eligibility-not-met"]


def test_months_run_from_the_later_of_graduation_and_specialty_start(tmp_path: Path) -> None:
    root = workspace(tmp_path, LATER_OF)
    right_dossier(root)
    late = {"graduation_date": "2019-07-01", "specialty_start_date": "2023-06-01"}
    assert assistant(root, **late) == [("eligibility-not-met", "error")]
    early = {"graduation_date": "2019-07-01", "specialty_start_date": "2022-12-01"}
    assert assistant(root, **early) == []


def test_an_earlier_education_opens_its_own_path(tmp_path: Path) -> None:
    root = workspace(tmp_path, LATER_OF)
    right_dossier(root)
    recent = {
        "education": "本科",
        "graduation_date": "2023-07-01",
        "specialty_start_date": "2018-08-01",
    }
    assert assistant(root, **recent) == [("eligibility-not-met", "error")]
    data = right_applicant() | recent | {"level": "初级", "current_title": "无"}
    data["current_title_date"] = "无"
    text = toml_text(data) + (
        '\n[[earlier_education]]\neducation = "大专"\ndegree = "无"\ngraduation_date = 2018-07-01\n'
    )
    (root / "dossiers/张三/applicant.toml").write_text(text, "utf-8")
    assert [c for c in findings(root) if c[0] == "eligibility-not-met"] == []


def test_a_near_miss_names_the_education_it_used(tmp_path: Path) -> None:
    root = workspace(tmp_path, LATER_OF)
    right_dossier(root)
    data = right_applicant() | {
        "education": "本科",
        "graduation_date": "2023-07-01",
        "specialty_start_date": "2021-08-01",
        "level": "初级",
        "current_title": "无",
        "current_title_date": "无",
    }
    text = toml_text(data) + (
        '\n[[earlier_education]]\neducation = "大专"\ndegree = "无"\ngraduation_date = 2021-07-01\n'
    )
    (root / "dossiers/张三/applicant.toml").write_text(text, "utf-8")
    report = run_check(open_workspace(root), jobs=1, today=TODAY)
    (miss,) = [f for f in report.dossiers[0].findings if f.code == "eligibility-not-met"]
    assert "此前学历第 1 项（大专" in miss.message or "最高学历（本科" in miss.message


def test_the_verdict_does_not_depend_on_the_day_it_runs(tmp_path: Path) -> None:
    text = NOTICE.replace("seniority_cutoff = 2023-12-31\n", "")
    root = workspace(tmp_path, text)
    right_dossier(root)
    write_applicant(root, current_title_date="2020-06-30")  # 48 months at 2024-06-30
    verdicts = []
    for day in (dt.date(2024, 5, 1), dt.date(2026, 1, 1)):
        report = run_check(open_workspace(root), jobs=1, today=day)
        verdicts.append([f.code for f in report.dossiers[0].findings])
    assert verdicts[0] == verdicts[1] == []


def test_an_exclusion_refuses_whoever_it_names(tmp_path: Path) -> None:
    text = NOTICE.replace(
        "[social_insurance]",
        """[[eligibility.exclusions]]
when = { freelancer = true, employer = { not = ["无", ""] } }
message = "自由职业者不应填写工作单位"
quote = "已与用人单位签订劳动合同的人员不能以自由职业者身份申报"

[social_insurance]""",
    )
    root = workspace(tmp_path, text)
    right_dossier(root)
    write_applicant(root, freelancer=True)
    report = run_check(open_workspace(root), jobs=1, today=TODAY)
    (excluded,) = [f for f in report.dossiers[0].findings if f.code == "eligibility-not-met"]
    assert excluded.severity == "error" and "不能以自由职业者身份申报" in excluded.message
    write_applicant(root, freelancer=True, employer="无")
    assert ("eligibility-not-met", "error") not in findings(root)


def test_social_insurance_written_wu_is_an_error(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    right_dossier(root)
    write_applicant(root, social_insurance_months="无")
    assert ("social-insurance-short", "error") in findings(root)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (('as_of = "seniority_cutoff"', 'as_of = "today"'), "today"),
        (
            ('waived_when = { education = "博士研究生" }', "waived_when = { channel = true }"),
            "channel",
        ),
        (
            (
                "[[levels]]",
                '[applicant]\nfields = ["name", "level", "education", "freelancer", "exceptional"]\n\n[roster]\ncolumns = '
                '[{ key = "rank", header = "排序" }]\n\n[[levels]]',
            ),
            "rank",
        ),
    ],
)
def test_config_errors_for_undeclared_fields_and_today(
    tmp_path: Path, change: tuple[str, str], words: str
) -> None:
    root = workspace(tmp_path, NOTICE.replace(*change, 1))
    with pytest.raises(ConfigError) as info:
        load_notice(root / "zcprep.toml")
    assert words in info.value.message


def test_a_config_without_applicant_section_keeps_loading(tmp_path: Path) -> None:
    """Workspaces made before [applicant] existed: DESIGN.md's fields, and conditions on
    专精特新 / 劳务派遣 still accepted."""
    text = NOTICE.replace(
        "omit_when = { freelancer = true }",
        "omit_when = { freelancer = true }\nrequired_when = { labor_dispatch = true }",
    )
    root = workspace(tmp_path, text)
    notice = load_notice(root / "zcprep.toml").notice
    required = {spec.key for spec, needed in notice.applicant.declared() if needed}
    assert "rank" in required and "labor_dispatch" not in required
    assert "labor_dispatch" in notice.applicant.declared_keys()
