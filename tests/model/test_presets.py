"""The built-in presets say what their notices say.

Each assertion here is something an officer would check against the notice text in
/work/shared/notices/: ids, levels and fees, dates, the checklist in the notice's own
words and order, copies, what is bound, which items depend on the applicant, the
公示 minimum, continuing education and the eligibility rules.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

import pytest

from zcprep.model.applicant import Applicant
from zcprep.model.notice import EligibilityRule, Material, Notice
from zcprep.model.presets import load_preset, preset_ids, preset_path

PRESETS = ["nantong-2023", "shandong-2022", "qingdao-2024", "sichuan-2022", "xinjiang-2021"]


@functools.cache
def notice(preset_id: str) -> Notice:
    return load_preset(preset_id).notice


def material(preset_id: str, material_id: str) -> Material:
    for item in notice(preset_id).materials:
        if item.id == material_id:
            return item
    raise AssertionError(f"{preset_id} 没有材料 {material_id}")


def person(**data: Any) -> Applicant:
    return Applicant(folder=Path("x"), data=data)


def any_match(conditions: list[dict[str, Any]], who: Applicant, level: str) -> bool:
    return any(who.matches(condition, level) for condition in conditions)


def needed(item: Material, who: Applicant, level: str) -> bool:
    """Whether the item must be handed in: omit_when wins, then required / required_when."""
    if any_match(item.omit_when, who, level):
        return False
    return item.required or any_match(item.required_when, who, level)


def names(preset_id: str) -> list[str]:
    return [item.name for item in notice(preset_id).checklist]


def rules(preset_id: str, level: str) -> list[EligibilityRule]:
    return [rule for rule in notice(preset_id).eligibility.rules if rule.level == level]


def window(preset_id: str, which: str) -> tuple[dt.date | None, dt.date] | None:
    value = getattr(notice(preset_id).dates, which)
    return None if value is None else (value.start, value.end)


# --- every preset --------------------------------------------------------------------


def test_all_five_presets_are_listed() -> None:
    assert set(PRESETS) <= set(preset_ids())


@pytest.mark.parametrize("preset_id", PRESETS)
def test_loads_without_warnings_and_id_matches_file(preset_id: str) -> None:
    loaded = load_preset(preset_id)
    assert loaded.warnings == []
    assert loaded.notice.id == preset_id
    assert loaded.path.name == f"{preset_id}.toml"


@pytest.mark.parametrize("preset_id", PRESETS)
def test_unit_left_blank_for_the_officer(preset_id: str) -> None:
    unit = notice(preset_id).unit
    assert (unit.name, unit.contact, unit.phone) == ("", "", "")


@pytest.mark.parametrize("preset_id", PRESETS)
def test_publicity_at_least_five_working_days(preset_id: str) -> None:
    assert notice(preset_id).publicity.min_working_days == 5


@pytest.mark.parametrize("preset_id", PRESETS)
def test_checklist_orders_run_from_one(preset_id: str) -> None:
    orders = [item.order for item in notice(preset_id).checklist]
    assert orders == list(range(1, len(orders) + 1))


@pytest.mark.parametrize("preset_id", PRESETS)
def test_every_level_has_an_eligibility_rule(preset_id: str) -> None:
    n = notice(preset_id)
    for level in n.levels:
        assert rules(preset_id, level.id), f"{preset_id}: {level.id} 没有资格条件"


@pytest.mark.parametrize("preset_id", PRESETS)
def test_roster_title_names_the_level(preset_id: str) -> None:
    roster = notice(preset_id).roster
    assert "{level}" in roster.title
    assert roster.split == "file"
    assert roster.columns and roster.columns[1].key == "name"


@pytest.mark.parametrize("preset_id", PRESETS)
def test_toml_comments_are_chinese(preset_id: str) -> None:
    text = preset_path(preset_id).read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert comments
    assert all(
        any("\u4e00" <= ch <= "\u9fff" for ch in line) or "path" in line for line in comments
    )


# --- identity, levels, fees ------------------------------------------------------------

IDENTITY = {
    "nantong-2023": ("通网职〔2023〕1号", dt.date(2023, 4, 20), 2023, "评审", "网络安全工程"),
    "shandong-2022": ("无", dt.date(2022, 11, 4), 2022, "评审", "网络安全工程"),
    "qingdao-2024": ("无", dt.date(2024, 6, 24), 2024, "评审", "工业互联网工程技术"),
    "sichuan-2022": ("川网办通〔2022〕91号", dt.date(2022, 12, 27), 2022, "初定", "网络信息安全"),
    "xinjiang-2021": (
        "新党网信明电〔2021〕5号",
        dt.date(2021, 9, 18),
        2021,
        "评审",
        "网络安全和信息化",
    ),
}


@pytest.mark.parametrize("preset_id", PRESETS)
def test_identity(preset_id: str) -> None:
    n = notice(preset_id).notice
    assert (n.doc_number, n.issued, n.year, n.kind, n.specialty) == IDENTITY[preset_id]
    assert n.series == "工程系列"


def test_titles_and_issuers() -> None:
    assert notice("shandong-2022").notice.title == (
        "关于报送2022年度山东省网络安全工程高级职称评审材料的通知"
    )
    assert notice("shandong-2022").notice.issuer == "中共山东省委网络安全和信息化委员会办公室"
    assert notice("qingdao-2024").notice.title == (
        "关于报送2024年度工业互联网工程技术人才职称评审材料的通知"
    )
    assert notice("qingdao-2024").notice.issuer == "青岛西海岸新区人力资源和社会保障局"
    assert "职称初定" in notice("sichuan-2022").notice.title
    assert notice("sichuan-2022").notice.issuer == "中共四川省委网络安全和信息化委员会办公室"
    assert notice("xinjiang-2021").notice.title.startswith("关于开展2021年度自治区工程系列")
    assert "自治区党委网信办" in notice("xinjiang-2021").notice.issuer


LEVELS = {
    "nantong-2023": [
        ("intermediate", "中级", "工程师", 200),
        ("assistant", "初级", "助理工程师", 80),
    ],
    # 评审费按鲁发改成本〔2021〕638号执行，正文未列金额
    "shandong-2022": [
        ("professor", "正高级", "正高级工程师", None),
        ("senior", "副高级", "高级工程师", None),
    ],
    # 高级（含正高级）360 / 中级 160 / 初级 100
    "qingdao-2024": [
        ("professor", "正高级", "正高级工程师", 360),
        ("senior", "副高级", "高级工程师", 360),
        ("intermediate", "中级", "工程师", 160),
        ("assistant", "助理级", "助理工程师", 100),
    ],
    # 初定层级：员级、助理级、中级；名称依次为技术员、助理工程师、工程师；未规定费用
    "sichuan-2022": [
        ("technician", "员级", "技术员", None),
        ("assistant", "助理级", "助理工程师", None),
        ("intermediate", "中级", "工程师", None),
    ],
    # 副高级 550 / 中级 400 / 初级 300
    "xinjiang-2021": [
        ("senior", "副高级", "高级工程师", 550),
        ("intermediate", "中级", "工程师", 400),
        ("assistant", "初级", "助理工程师", 300),
    ],
}


@pytest.mark.parametrize("preset_id", PRESETS)
def test_levels_and_fees(preset_id: str) -> None:
    got = [(lv.id, lv.name, lv.qualification, lv.fee) for lv in notice(preset_id).levels]
    assert got == LEVELS[preset_id]


@pytest.mark.parametrize(
    ("preset_id", "key", "level_id"),
    [
        ("qingdao-2024", "高级工程师", "senior"),
        ("qingdao-2024", "助理级", "assistant"),
        ("shandong-2022", "正高级工程师", "professor"),
        ("sichuan-2022", "员级", "technician"),
        ("sichuan-2022", "技术员", "technician"),
        ("xinjiang-2021", "初级", "assistant"),
    ],
)
def test_level_lookup_by_chinese_name(preset_id: str, key: str, level_id: str) -> None:
    level = notice(preset_id).level(key)
    assert level is not None and level.id == level_id


# --- dates ---------------------------------------------------------------------------

DATES = {
    "nantong-2023": (
        (dt.date(2023, 4, 25), dt.date(2023, 6, 20)),
        (dt.date(2023, 6, 27), dt.date(2023, 7, 14)),
    ),
    "shandong-2022": (
        (None, dt.date(2022, 11, 24)),
        (dt.date(2022, 11, 28), dt.date(2022, 11, 29)),
    ),
    # 纸质评审表为“审核通过后一周内”，不是固定日期
    "qingdao-2024": ((None, dt.date(2024, 8, 30)), None),
    "sichuan-2022": ((dt.date(2022, 12, 27), dt.date(2023, 1, 31)), None),
    "xinjiang-2021": (
        (dt.date(2021, 10, 10), dt.date(2021, 11, 15)),
        (dt.date(2021, 10, 10), dt.date(2021, 11, 25)),
    ),
}


@pytest.mark.parametrize("preset_id", PRESETS)
def test_windows(preset_id: str) -> None:
    online, paper = DATES[preset_id]
    assert window(preset_id, "online") == online
    assert window(preset_id, "paper") == paper


def test_cutoffs_only_where_the_notice_gives_them() -> None:
    nantong = notice("nantong-2023").dates
    assert nantong.seniority_cutoff == dt.date(2022, 12, 31)
    assert nantong.achievements_cutoff == dt.date(2023, 3, 31)
    for preset_id in ["shandong-2022", "qingdao-2024", "sichuan-2022", "xinjiang-2021"]:
        dates = notice(preset_id).dates
        assert dates.seniority_cutoff is None
        assert dates.achievements_cutoff is None
        # without a cut-off the rules must not be counted to one
        assert notice(preset_id).eligibility.as_of != "seniority_cutoff"


# --- continuing education ---------------------------------------------------------------


def test_continuing_education() -> None:
    qingdao = notice("qingdao-2024").continuing_education
    assert qingdao is not None
    assert qingdao.hours_per_year == 90
    assert qingdao.professional_min_share == pytest.approx(2 / 3, abs=1e-3)
    assert qingdao.years == 5

    xinjiang = notice("xinjiang-2021").continuing_education
    assert xinjiang is not None
    hours = (xinjiang.hours_per_year, xinjiang.public_min_hours, xinjiang.professional_min_hours)
    assert hours == (90, 30, 60)  # 总学时 90，公需 ≥ 30，专业 ≥ 60
    assert xinjiang.years == 1  # 上传 2021 年度合格证书

    shandong = notice("shandong-2022").continuing_education
    assert shandong is not None
    assert shandong.hours_per_year == 90  # 全国基线
    assert shandong.years == 5  # 系统提取近 5 年

    nantong = notice("nantong-2023").continuing_education
    assert nantong is not None and nantong.hours_per_year == 90

    assert notice("sichuan-2022").continuing_education is None  # 初定不要求


# --- checklists: names, order, copies, binding -------------------------------------------


def test_nantong_materials() -> None:
    assert names("nantong-2023") == [
        "专业技术资格评审申报表",
        "人员简介（公示）表",
        "现任专业技术资格证书复印件",
        "继续教育相关材料或相关证明材料复印件",
        "任期内专业技术工作总结",
        "任期内主要完成的发明专利、研究课题、工程技术项目等业绩成果证明材料以及获奖证书复印件",
        "任期内标志性论文、著作材料",
        "符合破格申报的证明材料",
    ]
    checklist = notice("nantong-2023").checklist
    assert [item.copies for item in checklist[:2]] == [3, 6]
    assert [item.order for item in notice("nantong-2023").bound_materials] == [3, 4, 5, 6, 7, 8]
    assert [item.bound for item in checklist[:2]] == [False, False]
    assert notice("nantong-2023").bind.toc


def test_shandong_materials() -> None:
    assert names("shandong-2022") == [
        "申报人员花名册",
        "山东省专业技术职称评审表",
        "推荐申报专业技术职称“六公开”监督卡",
        "破格申报推荐表",
    ]
    form = material("shandong-2022", "evaluation-form")
    assert form.copies == 5
    assert "A3" in form.note and "双面" in form.note
    assert "系统生成" in material("shandong-2022", "name-list").note


def test_qingdao_materials() -> None:
    assert names("qingdao-2024") == [
        "山东省专业技术职称评审表",
        "推荐申报专业技术职称“六公开”监督卡",
        "专精特新中小企业和制造业单项冠军企业工业互联网工程技术高级职称举荐表",
        "破格评审相关佐证材料",
    ]
    form = material("qingdao-2024", "evaluation-form")
    assert form.copies == 2
    assert "A3" in form.note and "双面" in form.note
    assert "附件3" in material("qingdao-2024", "six-openness").note
    assert "不受理各种获奖证明、用稿证明" in material("qingdao-2024", "exceptional-proof").note
    assert "不受理各种获奖证明、用稿证明" in preset_path("qingdao-2024").read_text(encoding="utf-8")


def test_sichuan_materials() -> None:
    assert names("sichuan-2022") == [
        "身份证",
        "学历证",
        "学位证",
        "《学历证书电子注册备案表》（学位认证报告）",
        "查询本人学历（学位）信息截图",
        "在我省参加基本社会保险证明或查询情况截图",
        "与用人单位签订的劳动合同或聘用合同",
        "劳务公司派遣协议",
        "其他证明材料",
    ]
    for item in notice("sichuan-2022").materials:
        assert item.formats == ["pdf"], item.id  # 扫描为 PDF 格式后上传
    assert not material("sichuan-2022", "other-proof").required


def test_xinjiang_materials() -> None:
    assert names("xinjiang-2021") == [
        # 网上申报 1–7
        "身份证（正、反面）",
        "一寸免冠照片",
        "学历、学位证书",
        "国家教育部学信网的查询结果",
        "现任专业技术任职资格证书",
        "加盖单位公章的工作经历证明",
        "2021年度继续教育培训公需科目和专业科目合格证书",
        "近3年年度考核结果证明（2018-2020年度）",
        "专业技术资格评审材料真实性保证书",
        "公示结果证明",
        "思想政治表现情况证明",
        "任现职以来所获工作相关奖励证书",
        "其他与申报有关需单独上传的材料",
        # 须报送原件
        "专业技术职务任职资格评审表",
        "任现职以来个人工作总结",
    ]
    assert "免试审批表" in material("xinjiang-2021", "continuing-education").note
    assert not material("xinjiang-2021", "awards").required
    assert not material("xinjiang-2021", "other").required
    form = material("xinjiang-2021", "evaluation-form")
    assert form.copies == 1
    assert "A4" in form.note
    assert "本单位已对提供的申报材料逐一审核，真实准确，同意推荐" in form.note
    assert "3000字" in material("xinjiang-2021", "work-summary").note
    assert material("xinjiang-2021", "photo").formats == ["jpg", "png"]


@pytest.mark.parametrize(
    "preset_id", ["shandong-2022", "qingdao-2024", "sichuan-2022", "xinjiang-2021"]
)
def test_no_bound_volume_where_the_notice_asks_for_none(preset_id: str) -> None:
    assert notice(preset_id).bound_materials == []


@pytest.mark.parametrize(
    ("preset_id", "long_id", "short"),
    [
        ("shandong-2022", "six-openness", "六公开监督卡"),
        ("qingdao-2024", "six-openness", "六公开监督卡"),
        ("qingdao-2024", "specialized-enterprise-recommendation", "专精特新举荐表"),
        ("sichuan-2022", "social-insurance", "社保证明"),
        ("xinjiang-2021", "continuing-education", "继续教育合格证书或免试审批表"),
    ],
)
def test_short_folder_names(preset_id: str, long_id: str, short: str) -> None:
    item = material(preset_id, long_id)
    assert item.short == short
    assert item.folder == f"{item.order:02d}-{short}"


# --- conditional items -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("preset_id", "material_id", "level"),
    [
        ("nantong-2023", "exceptional-proof", "intermediate"),
        ("shandong-2022", "exceptional-recommendation", "senior"),
        ("shandong-2022", "exceptional-recommendation", "professor"),
        ("qingdao-2024", "exceptional-proof", "senior"),
        ("qingdao-2024", "exceptional-proof", "intermediate"),
    ],
)
def test_exceptional_material_only_when_exceptional(
    preset_id: str, material_id: str, level: str
) -> None:
    item = material(preset_id, material_id)
    assert needed(item, person(exceptional=True), level)
    assert not needed(item, person(exceptional=False), level)
    assert not needed(item, person(), level)


@pytest.mark.parametrize("preset_id", ["nantong-2023", "shandong-2022", "qingdao-2024"])
def test_exceptional_path_exists_for_levels_the_notice_allows(preset_id: str) -> None:
    for level in notice(preset_id).levels:
        assert any(rule.exceptional for rule in rules(preset_id, level.id)) or (
            preset_id == "nantong-2023" and level.id == "assistant"
        )


@pytest.mark.parametrize("preset_id", ["sichuan-2022", "xinjiang-2021"])
def test_no_exceptional_path_where_the_notice_has_none(preset_id: str) -> None:
    assert not any(rule.exceptional for rule in notice(preset_id).eligibility.rules)


@pytest.mark.parametrize(
    ("flag", "level", "expected"),
    [
        (True, "senior", True),
        (True, "professor", True),
        (True, "intermediate", False),  # 表名为“高级职称举荐表”
        (False, "senior", False),
        (False, "professor", False),
    ],
)
def test_qingdao_specialized_enterprise_form(flag: bool, level: str, expected: bool) -> None:
    item = material("qingdao-2024", "specialized-enterprise-recommendation")
    assert needed(item, person(specialized_enterprise=flag), level) is expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"freelancer": True}, False),
        ({"freelancer": False}, True),
        ({}, True),
    ],
)
def test_sichuan_no_labour_contract_for_freelancers(data: dict[str, Any], expected: bool) -> None:
    item = material("sichuan-2022", "labor-contract")
    assert needed(item, person(**data), "assistant") is expected


@pytest.mark.parametrize(("dispatch", "expected"), [(True, True), (False, False)])
def test_sichuan_dispatch_agreement(dispatch: bool, expected: bool) -> None:
    item = material("sichuan-2022", "dispatch-agreement")
    assert needed(item, person(labor_dispatch=dispatch), "assistant") is expected


@pytest.mark.parametrize(
    ("education", "expected"),
    [("中专", False), ("大专", False), ("本科", True), ("硕士研究生", True), ("博士研究生", True)],
)
def test_sichuan_degree_certificate_from_bachelor_up(education: str, expected: bool) -> None:
    item = material("sichuan-2022", "degree-certificate")
    assert needed(item, person(education=education), "assistant") is expected


@pytest.mark.parametrize(
    ("education", "level", "waived"),
    [
        ("硕士研究生", "assistant", True),  # 硕士研究生初定初级
        ("博士研究生", "intermediate", True),  # 博士研究生初定中级
        ("硕士研究生", "intermediate", False),
        ("博士研究生", "assistant", False),
        ("本科", "assistant", False),
        ("大专", "assistant", False),
        ("中专", "technician", False),
    ],
)
def test_sichuan_social_insurance_waiver(education: str, level: str, waived: bool) -> None:
    insurance = notice("sichuan-2022").social_insurance
    assert insurance is not None and insurance.months == 6
    who = person(education=education)
    assert any_match(insurance.waived_when, who, level) is waived
    # and the 社保证明 is asked for exactly when it is not waived
    assert needed(material("sichuan-2022", "social-insurance"), who, level) is not waived


def test_only_sichuan_has_a_social_insurance_rule() -> None:
    for preset_id in PRESETS:
        assert (notice(preset_id).social_insurance is not None) is (preset_id == "sichuan-2022")


@pytest.mark.parametrize("preset_id", ["nantong-2023", "xinjiang-2021"])
def test_no_current_certificate_without_a_title(preset_id: str) -> None:
    item = material(preset_id, "current-qualification")
    assert not needed(item, person(current_title="无"), "assistant")
    assert needed(item, person(current_title="助理工程师"), "intermediate")


def test_nantong_papers_for_intermediate_only() -> None:
    item = material("nantong-2023", "papers")
    assert needed(item, person(), "intermediate")
    assert not needed(item, person(), "assistant")


# --- forms --------------------------------------------------------------------------

FORMS = {
    "nantong-2023": [
        ("publicity-result", "publicity-result.md.j2"),
        ("commitment", "commitment.md.j2"),
    ],
    "shandong-2022": [("six-openness", "six-openness.md.j2")],
    "qingdao-2024": [("six-openness", "six-openness.md.j2")],
    "sichuan-2022": [],  # 推荐意见、诚信承诺书在系统中上传，通知未附模板
    "xinjiang-2021": [
        ("publicity-result", "publicity-result.md.j2"),
        ("commitment", "commitment.md.j2"),
    ],
}


@pytest.mark.parametrize("preset_id", PRESETS)
def test_forms(preset_id: str) -> None:
    forms = notice(preset_id).render.forms
    assert [(form.id, form.template) for form in forms] == FORMS[preset_id]


def test_form_titles() -> None:
    for preset_id in ["shandong-2022", "qingdao-2024"]:
        (form,) = notice(preset_id).render.forms
        assert form.title == "推荐申报专业技术职称“六公开”监督卡"
    publicity, commitment = notice("xinjiang-2021").render.forms
    assert publicity.title == "公示结果证明"
    assert commitment.title == "专业技术职务任职资格评审材料真实性承诺书"
    assert commitment.aliases == ["真实性承诺书", "真实性保证书", "保证书"]


# --- rosters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preset_id", "title"),
    [
        ("nantong-2023", "申报网络安全工程专业{level}专业技术资格人员情况一览表"),
        ("shandong-2022", "申报网络安全工程{level}职称人员情况一览表"),
        ("qingdao-2024", "申报工业互联网工程技术{level}职称人员情况一览表"),
        ("sichuan-2022", "申报网络信息安全专业{level}职称初定人员情况一览表"),
        ("xinjiang-2021", "申报工程系列网络安全和信息化专业{level}任职资格人员情况一览表"),
    ],
)
def test_roster_titles(preset_id: str, title: str) -> None:
    assert notice(preset_id).roster.title == title


@pytest.mark.parametrize("preset_id", ["shandong-2022", "qingdao-2024"])
def test_roster_has_recommendation_rank(preset_id: str) -> None:
    # 推荐 2 人以上的，用人单位应进行推荐排序
    assert notice(preset_id).roster.columns[0].key == "rank"


# --- eligibility: national baseline where the notice points elsewhere ---------------------


def _shape(rule: EligibilityRule) -> tuple[Any, ...]:
    return (
        rule.level,
        tuple(rule.education),
        tuple(rule.degree),
        tuple(rule.lower_titles),
        rule.months,
        rule.count_from,
        rule.exceptional,
    )


BASELINE = {
    "assistant": [
        ("assistant", ("硕士研究生",), (), (), 0, "graduation", False),
        ("assistant", ("本科",), (), (), 12, "graduation", False),
        ("assistant", ("大专",), (), ("技术员",), 24, "current_title", False),
        ("assistant", ("中专",), (), ("技术员",), 48, "current_title", False),
    ],
    "intermediate": [
        ("intermediate", ("博士研究生",), (), (), 0, "graduation", False),
        ("intermediate", ("硕士研究生",), (), ("助理工程师",), 24, "current_title", False),
        ("intermediate", ("本科", "大专"), (), ("助理工程师",), 48, "current_title", False),
    ],
    "senior": [
        ("senior", ("博士研究生",), (), ("工程师",), 24, "current_title", False),
        ("senior", ("硕士研究生", "本科"), (), ("工程师",), 60, "current_title", False),
    ],
    "professor": [
        ("professor", (), (), ("高级工程师",), 60, "current_title", False),
    ],
}


@pytest.mark.parametrize(
    ("preset_id", "level"),
    [
        ("nantong-2023", "assistant"),
        ("nantong-2023", "intermediate"),
        ("shandong-2022", "senior"),
        ("shandong-2022", "professor"),
        ("qingdao-2024", "assistant"),
        ("qingdao-2024", "intermediate"),
        ("qingdao-2024", "senior"),
        ("qingdao-2024", "professor"),
        ("xinjiang-2021", "assistant"),
        ("xinjiang-2021", "intermediate"),
        ("xinjiang-2021", "senior"),
    ],
)
def test_national_baseline_rules(preset_id: str, level: str) -> None:
    ordinary = [_shape(rule) for rule in rules(preset_id, level) if not rule.exceptional]
    assert ordinary == BASELINE[level]
    assert "人社部发〔2019〕16号" in notice(preset_id).eligibility.basis


# --- eligibility: Sichuan's 初定 table, rule by rule ---------------------------------------

SICHUAN_TABLE = [
    # （一）中专 + 12 个月 → 员级
    ("technician", ("中专",), (), (), 12, "graduation", False),
    # （二）大专 + 36 个月 → 助理级
    ("assistant", ("大专",), (), (), 36, "graduation", False),
    # （三）本科学历和学位 + 12 个月 → 助理级
    ("assistant", ("本科",), ("学士",), (), 12, "graduation", False),
    # （四）硕士研究生学历和学位，或第二学士学位 → 直接助理级
    ("assistant", ("硕士研究生",), ("硕士",), (), 0, "graduation", False),
    ("assistant", (), ("第二学士",), (), 0, "graduation", False),
    # （五）硕士研究生学历和学位，或第二学士学位 + 36 个月 → 中级
    ("intermediate", ("硕士研究生",), ("硕士",), (), 36, "graduation", False),
    ("intermediate", (), ("第二学士",), (), 36, "graduation", False),
    # （六）博士研究生学位 → 直接中级
    ("intermediate", (), ("博士",), (), 0, "graduation", False),
]


def test_sichuan_table_has_exactly_these_rules() -> None:
    assert [_shape(rule) for rule in notice("sichuan-2022").eligibility.rules] == SICHUAN_TABLE


@pytest.mark.parametrize("expected", SICHUAN_TABLE)
def test_sichuan_rule(expected: tuple[Any, ...]) -> None:
    assert expected in [_shape(rule) for rule in notice("sichuan-2022").eligibility.rules]


def _sichuan_levels(education: str, degree: str, months: int) -> set[str]:
    """Levels the Sichuan table gives for education, degree and months since graduation
    (an empty education or degree list in a rule means any)."""
    found = set()
    for rule in notice("sichuan-2022").eligibility.rules:
        if rule.education and education not in rule.education:
            continue
        if rule.degree and degree not in rule.degree:
            continue
        if months >= rule.months:
            found.add(rule.level)
    return found


@pytest.mark.parametrize(
    ("education", "degree", "months", "levels"),
    [
        ("中专", "无", 11, set()),
        ("中专", "无", 12, {"technician"}),
        ("大专", "无", 35, set()),
        ("大专", "无", 36, {"assistant"}),
        ("本科", "无", 24, set()),  # 须学历和学位
        ("本科", "学士", 11, set()),
        ("本科", "学士", 12, {"assistant"}),
        ("本科", "第二学士", 0, {"assistant"}),
        ("本科", "第二学士", 36, {"assistant", "intermediate"}),
        ("硕士研究生", "无", 0, set()),  # 须学历和学位
        ("硕士研究生", "硕士", 0, {"assistant"}),
        ("硕士研究生", "硕士", 35, {"assistant"}),
        ("硕士研究生", "硕士", 36, {"assistant", "intermediate"}),
        ("博士研究生", "博士", 0, {"intermediate"}),
    ],
)
def test_sichuan_table_outcomes(education: str, degree: str, months: int, levels: set[str]) -> None:
    assert _sichuan_levels(education, degree, months) == levels


def test_sichuan_counts_to_the_day_of_application() -> None:
    eligibility = notice("sichuan-2022").eligibility
    assert eligibility.as_of == "today"
    assert "川网办通〔2022〕91号" in eligibility.basis
