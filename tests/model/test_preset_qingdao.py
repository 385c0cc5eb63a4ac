"""The qingdao-2024 preset holds to its notice (tests/notices/qingdao-2024.txt).

Two halves: every rule of the preset names its source, and a ``notice`` rule's quote is
the notice's own sentence; then dossiers with real generated PDFs go through the real
check engine and give the verdicts an officer reading this notice would expect.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from check_helpers import id_with_check, put_file, scan_pdf, text_pdf
from zcprep.check import run_check
from zcprep.model.notice import Material, Notice
from zcprep.model.presets import load_preset, preset_path
from zcprep.model.rules import Sourced
from zcprep.model.workspace import init_workspace, new_dossier, open_workspace

PRESET = "qingdao-2024"
NOTICE_FILE = Path(__file__).parents[1] / "notices" / "qingdao-2024.txt"
# Before the online deadline (2024-08-30): no deadline finding.
TODAY = dt.date(2024, 7, 10)

# --- the notice text ---------------------------------------------------------------------

_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ";": "；", ":": "："})


def normalize(text: str) -> str:
    """Whitespace dropped, half-width brackets and punctuation made full-width."""
    return re.sub(r"\s+", "", text).translate(_WIDTH)


@functools.cache
def notice_text() -> str:
    if NOTICE_FILE.is_file():
        return normalize(NOTICE_FILE.read_text(encoding="utf-8"))
    pytest.skip(f"通知原文 {NOTICE_FILE} 不在本机")


def in_notice(quote: str) -> bool:
    return bool(quote.strip()) and normalize(quote) in notice_text()


@functools.cache
def notice() -> Notice:
    return load_preset(PRESET).notice


def material(material_id: str) -> Material:
    for item in notice().materials:
        if item.id == material_id:
            return item
    raise AssertionError(f"{PRESET} 没有材料 {material_id}")


def sourced_rules() -> list[tuple[str, Sourced]]:
    """Every rule of the preset that carries a source, named for the test id."""
    n = notice()
    out: list[tuple[str, Sourced]] = [("publicity", n.publicity)]
    assert n.continuing_education is not None
    out.append(("continuing_education", n.continuing_education))
    for index, rule in enumerate(n.eligibility.rules):
        kind = "exceptional" if rule.exceptional else "normal"
        out.append(
            (f"eligibility.rules[{index}]-{rule.level}-{kind}", n.eligibility.source_of(rule))
        )
    for index, exclusion in enumerate(n.eligibility.exclusions):
        out.append((f"eligibility.exclusions[{index}]", exclusion))
    for item in n.materials:
        out.append((f"materials.{item.id}", item))
    return out


RULES = sourced_rules()


# --- every rule names its source -----------------------------------------------------------


@pytest.mark.parametrize(("where", "rule"), RULES, ids=[where for where, _ in RULES])
def test_rule_source_and_quote(where: str, rule: Sourced) -> None:
    assert rule.source in ("notice", "baseline"), where
    if rule.source == "notice":
        assert in_notice(rule.quote), f"{where} 的 quote 不是通知原文：{rule.quote}"
    else:
        assert rule.basis, f"{where} 是 baseline，须写明 basis"
        assert "人社部发〔2019〕16号" in rule.basis
        assert not rule.blocking  # a warning until the officer confirms


def test_sources_per_point_of_the_notice() -> None:
    n = notice()
    # 二、1：资格条件按附件1 执行，附件1 不在手边 → baseline；破格途径是通知原文 → notice。
    for rule in n.eligibility.rules:
        expected = "notice" if rule.exceptional else "baseline"
        assert n.eligibility.source_of(rule).source == expected, rule
    assert "附件1" in n.eligibility.basis
    # 二、6：90 学时、专业 ≥ 2/3、近5年 → notice.
    ce = n.continuing_education
    assert ce is not None and ce.source == "notice"
    assert "90学时" in ce.quote and "2/3" in ce.quote and "近5年" in ce.quote
    # 三、（二）2：公示期不少于 5 个工作日 → notice.
    assert n.publicity.source == "notice" and "不少于5个工作日" in n.publicity.quote
    # 每项材料都出自通知原文。
    assert all(item.source == "notice" for item in n.materials)


def test_continuing_education_numbers() -> None:
    ce = notice().continuing_education
    assert ce is not None
    assert ce.hours_per_year == 90
    assert ce.professional_min_share == pytest.approx(2 / 3, abs=1e-3)
    assert ce.public_min_hours is None  # 通知未规定公需学时
    assert (ce.years, ce.last_year) == (5, 2024)


def test_publicity_five_working_days() -> None:
    assert notice().publicity.required
    assert notice().publicity.min_working_days == 5


def test_as_of_is_the_online_deadline() -> None:
    n = notice()
    assert n.dates.seniority_cutoff is None  # 通知未写资历截止日
    assert n.eligibility.as_of == "window_end"
    assert n.dates.online is not None and n.dates.online.end == dt.date(2024, 8, 30)
    assert in_notice("网上报名截止时间为2024年8月30日")


def test_fees_as_quoted() -> None:
    fees = {level.id: level.fee for level in notice().levels}
    assert fees == {"professor": 360, "senior": 360, "intermediate": 160, "assistant": 100}
    assert in_notice(
        "高级职称（含正高级）评审费每人360元，中级职称评审费每人160元，初级职称评审费每人100元"
    )


def test_evaluation_form_is_generated_a3_duplex_two_copies() -> None:
    item = material("evaluation-form")
    assert item.name == "山东省专业技术职称评审表"
    assert item.stage == "generated"
    assert (item.paper_size, item.duplex, item.copies) == ("A3", True, 2)
    assert "通过系统生成" in item.quote and "A3纸型" in item.quote and "双面打印" in item.quote


def test_six_openness_card_in_this_notices_words() -> None:
    item = material("six-openness")
    assert item.name == "推荐申报专业技术职称“六公开”监督卡"
    assert "附件3" in item.note
    text = preset_path(PRESET).read_text(encoding="utf-8")
    # 山东通知“公示完毕无异议的，组织填写”的说法不在本通知中。
    assert not in_notice("组织填写“六公开”监督卡")
    assert "组织填写" not in text and "公示无异议后填写" not in text


def test_award_and_publication_proofs_are_not_accepted() -> None:
    item = material("award-or-publication-proof")
    assert item.not_accepted and not item.required and not item.required_when
    assert item.quote == "一律不受理各种获奖证明、用稿证明"
    assert {"*获奖*", "*用稿*"} <= set(item.patterns)


def test_recommendation_form_on_the_129_channel_for_senior_levels() -> None:
    item = material("specialized-enterprise-recommendation")
    assert not item.required
    assert item.required_when == [{"channel_129": True, "level": ["senior", "professor"]}]
    assert "鲁人社字〔2022〕129号" in item.quote and "高级职称举荐表" in item.quote
    custom = {c.key: c for c in notice().applicant.custom}
    assert custom["channel_129"].label == "是否按鲁人社字〔2022〕129号专精特新通道申报"
    assert custom["channel_129"].kind == "bool" and not custom["channel_129"].required


def test_civil_servant_exclusion() -> None:
    (exclusion,) = notice().eligibility.exclusions
    assert exclusion.when == {"civil_servant": True}
    assert exclusion.source == "notice"
    custom = {c.key: c for c in notice().applicant.custom}
    assert custom["civil_servant"].kind == "bool" and not custom["civil_servant"].required


DESIGN_KEYS = {
    "name", "gender", "id_number", "birth_date", "phone", "employer", "education", "degree",
    "school", "major", "graduation_date", "work_start_date", "specialty_start_date",
    "current_title", "current_title_date", "level", "exceptional", "freelancer",
    "social_insurance_months", "publicity_start", "publicity_end", "rank",
    "continuing_education", "remarks",
}  # fmt: skip


def test_required_fields_are_design_keys_and_no_rank() -> None:
    section = notice().applicant
    assert set(section.fields) <= DESIGN_KEYS
    declared = section.declared_keys()
    assert "rank" not in declared
    assert not section.none_rule
    assert all(not c.required for c in section.custom)
    columns = [c.key for c in notice().roster.columns]
    assert columns[:2] == ["index", "name"] and "rank" not in columns


def test_no_borrowed_ranking_wording() -> None:
    """推荐排序 is Shandong's: no rule, note or comment of this preset says it unless the
    notice does (it does not)."""
    text = preset_path(PRESET).read_text(encoding="utf-8")
    for line in text.splitlines():
        if "推荐排序" in line:
            quoted = re.findall(r'quote = "([^"]*)"', line)
            assert quoted and all(in_notice(q) for q in quoted), line
    data = tomllib.loads(text)
    for item in data["materials"]:
        assert "排序" not in item.get("note", "")


def test_every_quote_in_the_file_is_in_the_notice() -> None:
    text = preset_path(PRESET).read_text(encoding="utf-8")
    quotes = re.findall(r'^\s*quote = "([^"]*)"', text, flags=re.MULTILINE)
    assert len(quotes) >= 8
    for quote in quotes:
        assert in_notice(quote), quote


# --- behaviour through the real check engine ----------------------------------------------


def design_applicant(name: str = "王五") -> dict[str, Any]:
    """Only DESIGN.md's keys, complete and right for 中级."""
    return {
        "name": name,
        "gender": "男",
        "id_number": id_with_check("37021119900307123"),  # 17th digit 3: 男
        "birth_date": "1990-03-07",
        "phone": "13800000001",
        "employer": "青岛某工业互联网科技有限公司",
        "education": "本科",
        "degree": "学士",
        "school": "测试大学",
        "major": "自动化",
        "graduation_date": "2012-07-01",
        "work_start_date": "2012-07-15",
        "specialty_start_date": "2012-07-15",
        "current_title": "助理工程师",
        "current_title_date": "2018-06-30",
        "level": "中级",
        "exceptional": False,
        "freelancer": False,
        "social_insurance_months": 120,
        "publicity_start": "2024-07-01",  # 周一至周五，5 个工作日
        "publicity_end": "2024-07-05",
        "rank": 1,
        "remarks": "无",
    }


def hours(years: range) -> list[dict[str, int]]:
    return [{"year": y, "public_hours": 30, "professional_hours": 60} for y in years]


FULL_CE = hours(range(2020, 2025))


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def applicant_toml(data: dict[str, Any], continuing: list[dict[str, int]], extra: str = "") -> str:
    lines = [f"{key} = {toml_value(value)}" for key, value in data.items()]
    if extra:
        lines.append(extra)
    for entry in continuing:
        lines += ["", "[[continuing_education]]"]
        lines += [f"{k} = {v}" for k, v in entry.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return init_workspace(PRESET, tmp_path / "ws")


def dossier(
    root: Path,
    name: str = "王五",
    continuing: list[dict[str, int]] | None = None,
    materials: tuple[str, ...] = ("six-openness",),
    extra: str = "",
    **changes: Any,
) -> Path:
    """A dossier made by ``new_dossier``, with our applicant.toml and a real PDF in the
    folder of each material named."""
    ws = open_workspace(root)
    folder = new_dossier(ws, name)
    data = design_applicant(name)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    (folder / "applicant.toml").write_text(
        applicant_toml(data, FULL_CE if continuing is None else continuing, extra), "utf-8"
    )
    for material_id in materials:
        item = material(material_id)
        content = text_pdf([[f"{item.name} {name}"], ["第二页"]])
        put_file(folder / item.folder / f"{item.short or item.name}.pdf", content)
    return folder


def findings(root: Path, name: str = "王五", today: dt.date = TODAY, **kwargs: Any) -> list:
    report = run_check(open_workspace(root), [name], jobs=1, today=today, **kwargs)
    (result,) = report.dossiers
    return result.findings


def errors(found: list) -> list:
    return [f for f in found if f.severity == "error"]


def show(found: list) -> str:
    return "\n".join(f"{f.severity} {f.code} {f.material} {f.message}" for f in found)


def test_design_only_applicant_passes_with_no_error(root: Path) -> None:
    dossier(root)
    found = findings(root)
    assert errors(found) == [], show(found)
    assert not [f for f in found if f.code == "eligibility-not-met"], show(found)


def test_no_evaluation_form_needed_before_submission(root: Path) -> None:
    dossier(root)
    found = findings(root)
    assert not [f for f in errors(found) if f.material == "evaluation-form"], show(found)
    assert not [f for f in found if f.code == "material-missing"], show(found)


def test_evaluation_form_due_at_the_paper_stage(root: Path) -> None:
    dossier(root)
    found = findings(root, stage="paper")
    missing = [f for f in found if f.code == "material-missing" and f.material == "evaluation-form"]
    assert missing and missing[0].severity == "error", show(found)


def test_award_certificate_in_the_dossier_warns(root: Path) -> None:
    folder = dossier(root)
    put_file(folder / "获奖证书.pdf", scan_pdf(1, seed=7))
    found = findings(root)
    hits = [f for f in found if "一律不受理" in f.message + f.hint]
    assert hits, show(found)
    assert all(f.severity == "warning" for f in hits), show(found)
    assert any(f.file and f.file.endswith("获奖证书.pdf") for f in hits), show(found)
    assert errors(found) == [], show(found)


def test_publication_proof_among_exceptional_proofs_warns(root: Path) -> None:
    folder = dossier(root, exceptional=True, materials=("six-openness", "exceptional-proof"))
    proof = material("exceptional-proof")
    put_file(folder / proof.folder / "用稿证明.pdf", scan_pdf(1, seed=8))
    found = findings(root)
    hits = [f for f in found if "一律不受理" in f.message + f.hint]
    assert hits and all(f.severity == "warning" for f in hits), show(found)
    assert any(f.file and f.file.endswith("用稿证明.pdf") for f in hits), show(found)


def test_no_warning_without_award_files(root: Path) -> None:
    dossier(root)
    found = findings(root)
    assert not [f for f in found if "一律不受理" in f.message + f.hint], show(found)


SENIOR = {
    "level": "副高级",
    "current_title": "工程师",
    "current_title_date": "2018-06-30",
}
PROFESSOR = {
    "level": "正高级",
    "current_title": "高级工程师",
    "current_title_date": "2018-06-30",
}


def _recommendation_missing(found: list) -> list:
    return [
        f
        for f in found
        if f.code == "material-missing" and f.material == "specialized-enterprise-recommendation"
    ]


@pytest.mark.parametrize("level", [SENIOR, PROFESSOR], ids=["副高级", "正高级"])
def test_recommendation_form_required_on_the_129_channel(root: Path, level: dict) -> None:
    dossier(root, channel_129=True, **level)
    found = findings(root)
    missing = _recommendation_missing(found)
    assert missing and missing[0].severity == "error", show(found)


def test_recommendation_form_present_passes(root: Path) -> None:
    dossier(
        root,
        channel_129=True,
        materials=("six-openness", "specialized-enterprise-recommendation"),
        **SENIOR,
    )
    found = findings(root)
    assert errors(found) == [], show(found)


def test_recommendation_form_not_for_intermediate_on_the_channel(root: Path) -> None:
    dossier(root, channel_129=True)
    found = findings(root)
    assert _recommendation_missing(found) == [], show(found)
    assert errors(found) == [], show(found)


def test_recommendation_form_not_for_employer_type_alone(root: Path) -> None:
    dossier(root, specialized_enterprise=True, **SENIOR)
    found = findings(root)
    assert _recommendation_missing(found) == [], show(found)
    assert errors(found) == [], show(found)


def _ce(found: list) -> list:
    return [f for f in found if f.code == "continuing-education-short"]


def test_continuing_education_2020_to_2024_demanded(root: Path) -> None:
    dossier(root, continuing=hours(range(2021, 2025)))  # 2020 missing
    found = findings(root)
    short = _ce(found)
    assert len(short) == 1 and short[0].severity == "error", show(found)
    assert "2020" in short[0].message


def test_continuing_education_2024_demanded(root: Path) -> None:
    dossier(root, continuing=hours(range(2019, 2024)))  # 2019 is not counted, 2024 missing
    found = findings(root)
    short = _ce(found)
    assert len(short) == 1 and "2024" in short[0].message, show(found)


def test_continuing_education_professional_share(root: Path) -> None:
    ce = [*hours(range(2020, 2024)), {"year": 2024, "public_hours": 40, "professional_hours": 50}]
    dossier(root, continuing=ce)
    found = findings(root)
    short = _ce(found)
    assert len(short) == 1 and "2024" in short[0].message, show(found)


def test_continuing_education_not_before_work_start(root: Path) -> None:
    # 2022 年参加工作，职称申报年限少于5年：2020、2021 年不要求。
    dossier(
        root,
        continuing=hours(range(2022, 2025)),
        level="助理级",
        education="硕士研究生",
        degree="硕士",
        graduation_date="2022-06-30",
        work_start_date="2022-07-01",
        specialty_start_date="2022-07-01",
        current_title="无",
        current_title_date="无",
    )
    found = findings(root)
    assert _ce(found) == [], show(found)
    assert errors(found) == [], show(found)


def test_new_prefills_the_five_years(root: Path) -> None:
    folder = new_dossier(open_workspace(root), "赵六")
    data = tomllib.loads((folder / "applicant.toml").read_text(encoding="utf-8"))
    years = [entry["year"] for entry in data.get("continuing_education", [])]
    assert years == [2020, 2021, 2022, 2023, 2024]
    assert "rank" not in data and "specialized_enterprise" not in data
    assert "channel_129" in data and "civil_servant" in data


def test_new_makes_no_folder_for_refused_material(root: Path) -> None:
    folder = new_dossier(open_workspace(root), "赵六")
    award = material("award-or-publication-proof")
    assert not (folder / award.folder).exists()  # 不受理的材料不设文件夹


def _eligibility(found: list) -> list:
    return [f for f in found if f.code == "eligibility-not-met"]


def test_eligibility_miss_is_a_baseline_warning(root: Path) -> None:
    dossier(root, current_title_date="2022-01-01")  # 助理工程师不满4年
    found = findings(root)
    miss = _eligibility(found)
    assert len(miss) == 1 and miss[0].severity == "warning", show(found)
    assert "人社部发〔2019〕16号" in miss[0].message + miss[0].hint
    assert "本通知未写明" in miss[0].message + miss[0].hint
    assert "通知要求" not in miss[0].message
    assert errors(found) == [], show(found)


def test_eligibility_promoted_by_the_officer(root: Path) -> None:
    config = root / "zcprep.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('as_of = "window_end"\n', 'as_of = "window_end"\nenforce = true\n', 1),
        "utf-8",
    )
    dossier(root, current_title_date="2022-01-01")
    found = findings(root)
    miss = _eligibility(found)
    assert len(miss) == 1 and miss[0].severity == "error", show(found)


@pytest.mark.parametrize(
    ("title_date", "met"),
    [("2020-08-30", True), ("2020-08-31", False)],
    ids=["满48个月于网上报名截止日", "差1天"],
)
def test_months_counted_to_the_online_deadline(root: Path, title_date: str, met: bool) -> None:
    dossier(root, current_title_date=title_date)
    for today in (TODAY, dt.date(2031, 1, 1)):  # the verdict does not change with the day
        found = findings(root, today=today)
        assert (not _eligibility(found)) is met, show(found)


def test_earlier_education_opens_the_dazhuan_path(root: Path) -> None:
    # 大专（2010）毕业、取得技术员满 2 年，2024 年才取得本科：本科一条不满 1 年，按大专一条符合助理级。
    person = {
        "level": "助理级",
        "graduation_date": "2024-01-10",
        "current_title": "技术员",
        "current_title_date": "2020-06-30",
    }
    earlier = '[{ education = "大专", degree = "无", graduation_date = 2010-07-01 }]'
    dossier(root, "甲", **person)
    dossier(root, "乙", extra=f"earlier_education = {earlier}", **person)
    without = findings(root, "甲")
    assert len(_eligibility(without)) == 1, show(without)
    found = findings(root, "乙")
    assert _eligibility(found) == [], show(found)
    assert errors(found) == [], show(found)


@pytest.mark.parametrize(
    ("changes", "met"),
    [
        # 人社部发〔2019〕16号：具备硕士学位或第二学士学位，取得助理工程师职称后满2年 → 中级。
        ({"degree": "第二学士", "current_title_date": "2022-06-30"}, True),
        ({"degree": "学士", "current_title_date": "2022-06-30"}, False),
        # 正高级：本科及以上学历，取得高级工程师职称后满5年；大专不符合。
        ({**PROFESSOR, "education": "大专", "degree": "无"}, False),
        ({**PROFESSOR}, True),
    ],
    ids=["第二学士2年", "学士2年", "大专申报正高", "本科申报正高"],
)
def test_baseline_degree_paths(root: Path, changes: dict, met: bool) -> None:
    dossier(root, **changes)
    found = findings(root)
    assert (not _eligibility(found)) is met, show(found)
    assert errors(found) == [], show(found)  # baseline: at most a warning


def test_civil_servant_may_not_apply(root: Path) -> None:
    dossier(root, civil_servant=True)
    found = findings(root)
    hits = [f for f in errors(found) if "不得参加职称申报评审" in f.message]
    assert hits, show(found)


def test_civil_servant_false_is_fine(root: Path) -> None:
    dossier(root, civil_servant=False)
    assert errors(findings(root)) == []


def test_exceptional_needs_its_proof(root: Path) -> None:
    dossier(root, exceptional=True, current_title_date="2022-01-01")
    found = findings(root)
    missing = [
        f for f in found if f.code == "material-missing" and f.material == "exceptional-proof"
    ]
    assert missing and missing[0].severity == "error", show(found)
    assert _eligibility(found) == [], show(found)  # the 破格 path


def test_publicity_shorter_than_five_working_days(root: Path) -> None:
    dossier(root, publicity_end="2024-07-04")
    found = findings(root)
    short = [f for f in found if f.code == "publicity-too-short"]
    assert short and short[0].severity == "error", show(found)


def test_blank_optional_remarks_is_fine(root: Path) -> None:
    dossier(root, remarks="")
    assert errors(findings(root)) == []
