"""The five built-in presets side by side.

Each preset has its own file, tests/model/test_preset_<province>.py, that holds it to
its notice (tests/notices/<preset-id>.txt) rule by rule: every rule's source and quoted
sentence, its materials with their stages and scopes, and its verdicts through the check
engine. This file holds what is best seen across the five: they all load cleanly, leave
the unit blank, number their materials from 1, give every level a rule and comment in
Chinese; each one's identity, levels and fees, windows and cut-offs, forms and rosters in
one table; a few checklist facts no per-preset file pins; and the first "Done when" of
issue 11: an applicant.toml with only DESIGN.md's fields, complete and right, with every
material due before submission present, passes ``check`` with no error in every preset.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from check_helpers import (
    APPLICANT,
    PAGE_SIZES,
    id_with_check,
    png_bytes,
    put_file,
    scan_pdf,
    toml_text,
)
from zcprep.check import run_check
from zcprep.model.applicant import Applicant, continuing_education_years
from zcprep.model.fields import DESIGN_FIELDS
from zcprep.model.notice import Material, Notice
from zcprep.model.presets import load_preset, preset_ids, preset_path
from zcprep.model.rules import EligibilityRule
from zcprep.model.workspace import init_workspace, new_dossier, open_workspace
from zcprep.report import Finding

PRESETS = ["nantong-2023", "shandong-2022", "qingdao-2024", "sichuan-2022", "xinjiang-2021"]
NOTICES = Path(__file__).parents[1] / "notices"


@functools.cache
def notice(preset_id: str) -> Notice:
    return load_preset(preset_id).notice


@functools.cache
def notice_text(preset_id: str) -> str:
    """The notice with whitespace dropped and （） read as ()."""
    text = (NOTICES / f"{preset_id}.txt").read_text(encoding="utf-8")
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


def in_notice(preset_id: str, words: str) -> bool:
    words = re.sub(r"\s+", "", words).replace("（", "(").replace("）", ")")
    return bool(words) and words in notice_text(preset_id)


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
    publicity = notice(preset_id).publicity
    assert publicity.min_working_days == 5
    # Sichuan's 公示 is of the 初定 results, by the committee: the unit holds none.
    assert publicity.required is (preset_id != "sichuan-2022")
    if preset_id == "sichuan-2022":
        assert in_notice(preset_id, "初定结果在“四川多美网信人才发展服务”微信公众号公示")


@pytest.mark.parametrize("preset_id", PRESETS)
def test_material_orders_run_from_one(preset_id: str) -> None:
    # one numbering over the applicant's and the batch's items (Shandong's 花名册 is 1)
    orders = sorted(item.order for item in notice(preset_id).materials)
    assert orders == list(range(1, len(orders) + 1))


@pytest.mark.parametrize("preset_id", PRESETS)
def test_every_level_has_an_eligibility_rule(preset_id: str) -> None:
    for level in notice(preset_id).levels:
        assert rules(preset_id, level.id), f"{preset_id}: {level.id} 没有资格条件"


@pytest.mark.parametrize("preset_id", PRESETS)
def test_roster_title_names_the_level(preset_id: str) -> None:
    roster = notice(preset_id).roster
    assert "{level}" in roster.title
    assert roster.split == "file"
    assert roster.columns and roster.columns[1].key == "name"


def chinese(text: str) -> bool:
    """Han characters, or the full-width punctuation of a Chinese sentence running on."""
    return any(
        "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
        for ch in text
    )


@pytest.mark.parametrize("preset_id", PRESETS)
def test_toml_comments_are_chinese(preset_id: str) -> None:
    text = preset_path(preset_id).read_text(encoding="utf-8")
    comments = [
        line.strip().lstrip("#").strip()
        for line in text.splitlines()
        if line.lstrip().startswith("#")
    ]
    assert comments
    # a bare "#" separates paragraphs; the font path is an example to uncomment
    english = [c for c in comments if c and not chinese(c) and not c.startswith("path =")]
    assert english == []


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


# --- rules only some notices have -----------------------------------------------------------


def test_only_sichuan_has_a_social_insurance_rule() -> None:
    for preset_id in PRESETS:
        assert (notice(preset_id).social_insurance is not None) is (preset_id == "sichuan-2022")


def test_only_sichuan_has_no_continuing_education_rule() -> None:
    # 初定：通知“七”只是鼓励参加继续教育
    for preset_id in PRESETS:
        assert (notice(preset_id).continuing_education is None) is (preset_id == "sichuan-2022")


# The four notices that only point to a standard not in hand fall back on the national one
# (人社部发〔2019〕16号); they write its paths in different shapes (by degree or by
# education), but the months after the lower title, per level, are the same standard's.
BASELINE_PRESETS = ["nantong-2023", "shandong-2022", "qingdao-2024", "xinjiang-2021"]
BASELINE_MONTHS = {
    "assistant": {(0, ()), (12, ()), (24, ("技术员",)), (48, ("技术员",))},
    "intermediate": {(0, ()), (24, ("助理工程师",)), (48, ("助理工程师",))},
    "senior": {(24, ("工程师",)), (60, ("工程师",))},
    "professor": {(60, ("高级工程师",))},
}


@pytest.mark.parametrize("preset_id", BASELINE_PRESETS)
def test_baseline_presets_agree_on_the_months(preset_id: str) -> None:
    n = notice(preset_id)
    for level in n.levels:
        ordinary = [rule for rule in rules(preset_id, level.id) if not rule.exceptional]
        got = {(rule.months, tuple(rule.lower_titles)) for rule in ordinary}
        assert got == BASELINE_MONTHS[level.id], level.id
        for rule in ordinary:
            if rule.lower_titles:
                assert list(rule.count_from) == ["current_title"], rule.note
            source = n.eligibility.source_of(rule)
            assert source.source == "baseline" and "人社部发〔2019〕16号" in source.basis


# preset → (levels with a 破格 path, the material a 破格 applicant must add)
EXCEPTIONAL = {
    "nantong-2023": ({"intermediate"}, "exceptional-proof"),
    "shandong-2022": ({"senior", "professor"}, "exceptional-recommendation"),
    "qingdao-2024": ({"assistant", "intermediate", "senior", "professor"}, "exceptional-proof"),
    "sichuan-2022": (set(), None),  # 初定没有破格
    "xinjiang-2021": (set(), None),  # 通知未提破格
}


@pytest.mark.parametrize("preset_id", PRESETS)
def test_exceptional_paths_and_their_proof(preset_id: str) -> None:
    levels, material_id = EXCEPTIONAL[preset_id]
    got = {rule.level for rule in notice(preset_id).eligibility.rules if rule.exceptional}
    assert got == levels
    if material_id is None:
        return
    item = material(preset_id, material_id)
    for level in levels:
        assert needed(item, person(exceptional=True), level)
        assert not needed(item, person(exceptional=False), level)
        assert not needed(item, person(), level)


# --- checklists ----------------------------------------------------------------------------

# In the notice's words and order (Shandong's list is in test_preset_shandong.py).
NAMES = {
    "nantong-2023": [
        "专业技术资格评审申报表",
        "人员简介（公示）表",
        "现任专业技术资格证书复印件",
        "继续教育相关材料或相关证明材料复印件",
        "任期内专业技术工作总结",
        "任期内主要完成的发明专利、研究课题、工程技术项目等业绩成果证明材料以及获奖证书复印件",
        "任期内标志性论文、著作材料",
        "符合破格申报的证明材料",
    ],
    "qingdao-2024": [
        "山东省专业技术职称评审表",
        "推荐申报专业技术职称“六公开”监督卡",
        "专精特新中小企业和制造业单项冠军企业工业互联网工程技术高级职称举荐表",
        "破格评审相关佐证材料",
        "获奖证明、用稿证明",  # 一律不受理：check 见到即警告
    ],
    "sichuan-2022": [
        "身份证",
        "学历证",
        "学位证",
        "《学历证书电子注册备案表》（学位认证报告）",
        "查询本人学历（学位）信息截图",
        "在我省参加基本社会保险证明或查询情况截图",
        "与用人单位签订的劳动合同或聘用合同",
        "劳务公司派遣协议",
        "有关业绩证明材料",
        "其他证明材料",
        "推荐意见",  # 用人单位上传，本批一份
        "诚信承诺书",
    ],
    "xinjiang-2021": [
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
    ],
}


@pytest.mark.parametrize("preset_id", list(NAMES))
def test_checklist_names_in_the_notice_order(preset_id: str) -> None:
    items = sorted(notice(preset_id).materials, key=lambda item: item.order)
    assert [item.name for item in items] == NAMES[preset_id]


# Items a dossier may lack: conditional (required_when, a rule's path) or optional.
NOT_ALWAYS_REQUIRED = {
    "nantong-2023": {"papers", "exceptional-proof"},
    "shandong-2022": {
        "exceptional-recommendation",
        "city-entrustment-letter",
        "province-entrustment-letter",
        "central-entrustment-letter",
    },
    "qingdao-2024": {
        "specialized-enterprise-recommendation",
        "exceptional-proof",
        "award-or-publication-proof",
    },
    "sichuan-2022": {
        "degree-certificate",
        "dispatch-agreement",
        "performance-proof",
        "other-proof",
        "recommendation",
        "integrity-pledge",
    },
    "xinjiang-2021": {"awards", "other"},
}


@pytest.mark.parametrize("preset_id", PRESETS)
def test_items_not_every_applicant_hands_in(preset_id: str) -> None:
    got = {item.id for item in notice(preset_id).materials if not item.required}
    assert got == NOT_ALWAYS_REQUIRED[preset_id]


# Files are restricted only where the notice says so.
FORMAT_QUOTES = {
    "sichuan-2022": "以上材料均按照系统提示扫描为PDF格式后上传即可",
    "xinjiang-2021": "符合要求的一寸免冠照片(作为电子职称证书的照片)",
}


def expected_formats(preset_id: str, item: Material) -> list[str]:
    if preset_id == "sichuan-2022":
        return ["pdf"]  # every item
    if (preset_id, item.id) == ("xinjiang-2021", "photo"):
        return ["jpg", "png"]  # a picture for the electronic certificate
    return ["pdf", "jpg", "png"]


@pytest.mark.parametrize("preset_id", PRESETS)
def test_file_formats_only_where_the_notice_says(preset_id: str) -> None:
    for item in notice(preset_id).materials:
        assert item.formats == expected_formats(preset_id, item), item.id
    if preset_id in FORMAT_QUOTES:
        assert in_notice(preset_id, FORMAT_QUOTES[preset_id])


# What the officer must know about an item, in the item's note and in the notice.
NOTES = [
    ("qingdao-2024", "exceptional-proof", "不受理各种获奖证明、用稿证明"),
    ("xinjiang-2021", "continuing-education", "免试审批表"),
    ("xinjiang-2021", "evaluation-form", "本单位已对提供的申报材料逐一审核，真实准确，同意推荐"),
    ("xinjiang-2021", "work-summary", "3000字"),
]


@pytest.mark.parametrize(("preset_id", "material_id", "words"), NOTES)
def test_material_notes(preset_id: str, material_id: str, words: str) -> None:
    assert words in material(preset_id, material_id).note
    assert in_notice(preset_id, words)


@pytest.mark.parametrize(
    "preset_id", ["shandong-2022", "qingdao-2024", "sichuan-2022", "xinjiang-2021"]
)
def test_no_bound_volume_where_the_notice_asks_for_none(preset_id: str) -> None:
    assert notice(preset_id).bound_materials == []
    assert notice(preset_id).bound_at("paper") == []


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


@pytest.mark.parametrize("preset_id", ["nantong-2023", "xinjiang-2021"])
def test_no_current_certificate_without_a_title(preset_id: str) -> None:
    item = material(preset_id, "current-qualification")
    assert not needed(item, person(current_title="无"), "assistant")
    assert needed(item, person(current_title="助理工程师"), "intermediate")


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


@pytest.mark.parametrize(
    ("education", "expected"),
    [("中专", False), ("大专", False), ("本科", True), ("硕士研究生", True), ("博士研究生", True)],
)
def test_sichuan_degree_certificate_from_bachelor_up(education: str, expected: bool) -> None:
    item = material("sichuan-2022", "degree-certificate")
    assert needed(item, person(education=education), "assistant") is expected


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


@pytest.mark.parametrize("preset_id", PRESETS)
def test_roster_first_column(preset_id: str) -> None:
    # Only Shandong's notice asks for a ranking: “推荐2人以上的,用人单位应进行推荐排序。”
    # Elsewhere the rows are numbered (序号).
    first = notice(preset_id).roster.columns[0]
    if preset_id == "shandong-2022":
        assert (first.key, first.header) == ("rank", "推荐排序")
        assert in_notice(preset_id, "推荐2人以上的,用人单位应进行推荐排序")
    else:
        assert (first.key, first.header) == ("index", "序号")
        assert not in_notice(preset_id, "排序")
        assert "rank" not in [column.key for column in notice(preset_id).roster.columns]


# --- issue 11, first "Done when": the DESIGN.md applicant passes in every preset ----------


@dataclass(frozen=True)
class Case:
    """One preset's right applicant: changes over RIGHT, the day check runs (inside the
    online window), the continuing-education years the preset counts, and materials the
    eligibility path this applicant meets requires."""

    today: dt.date
    changes: dict[str, Any]
    hours_years: list[int]
    path_materials: tuple[str, ...] = ()


# Every key of DESIGN.md's table but continuing_education (a table, written per Case):
# check_helpers' applicant without the two keys only some notices declare, its ID and
# publicity dates set per Case.
RIGHT: dict[str, Any] = {
    **{k: v for k, v in APPLICANT.items() if k not in ("specialized_enterprise", "labor_dispatch")},
    "id_number": "",  # per Case: a real ID of the province
    "publicity_start": "",  # per Case: Monday to Friday, 5 working days before today
    "publicity_end": "",
}

CASES = {
    # 助理工程师 2018-06-30 → 资历截止 2022-12-31: 54 months (48 needed)
    "nantong-2023": Case(
        today=dt.date(2023, 5, 20),
        changes={
            "id_number": id_with_check("32060219900307123"),
            "publicity_start": "2023-05-08",
            "publicity_end": "2023-05-12",
        },
        hours_years=[2022],
    ),
    # 工程师 2015-12-30 → 网上申报截止 2022-11-24: 82 months (60 needed)
    "shandong-2022": Case(
        today=dt.date(2022, 11, 14),
        changes={
            "id_number": id_with_check("37010219900307123"),
            "level": "副高级",
            "current_title": "工程师",
            "current_title_date": "2015-12-30",
            "publicity_start": "2022-11-07",
            "publicity_end": "2022-11-11",
        },
        hours_years=[2018, 2019, 2020, 2021, 2022],
    ),
    # 助理工程师 2018-06-30 → 网上报名截止 2024-08-30: 74 months (48 needed)
    "qingdao-2024": Case(
        today=dt.date(2024, 7, 10),
        changes={
            "id_number": id_with_check("37021119900307123"),
            "publicity_start": "2024-07-01",
            "publicity_end": "2024-07-05",
        },
        hours_years=[2020, 2021, 2022, 2023, 2024],
    ),
    # 初定（三）本科学历和学位 + 12 months of security work → 助理级, with 业绩; no title yet,
    # no unit 公示 (the committee publishes the results), no continuing education.
    "sichuan-2022": Case(
        today=dt.date(2023, 1, 15),
        changes={
            "id_number": id_with_check("51010219900307123"),
            "level": "助理级",
            "current_title": "无",
            "current_title_date": "无",
            "social_insurance_months": 60,
            "publicity_start": "无",
            "publicity_end": "无",
        },
        hours_years=[],
        path_materials=("performance-proof",),
    ),
    # 助理工程师 2016-06-30 → 网上申报截止 2021-11-15: 64 months (48 needed)
    "xinjiang-2021": Case(
        today=dt.date(2021, 11, 1),
        changes={
            "id_number": id_with_check("65010219900307123"),
            "current_title_date": "2016-06-30",
            "publicity_start": "2021-10-11",
            "publicity_end": "2021-10-15",
        },
        hours_years=[2021],
    ),
}

# Findings that say the applicant is not complete and right, whatever their severity (a
# baseline rule only warns).
NOT_RIGHT = {
    "applicant-field-missing",
    "applicant-field-invalid",
    "id-number-invalid",
    "id-number-mismatch",
    "eligibility-not-met",
    "continuing-education-short",
    "publicity-missing",
    "publicity-too-short",
    "social-insurance-short",
    "material-missing",
}


def file_for(item: Material, seed: int) -> tuple[str, bytes]:
    """A real scan for the item, as a PDF where the item takes PDF, else a picture."""
    if "pdf" in item.formats:
        size = PAGE_SIZES[item.paper_size or "A4"]
        return ".pdf", scan_pdf(1 + seed % 2, size=size, seed=seed)
    return ".png", png_bytes((413 + seed, 579))  # 一寸照片 at 300 dpi


def show(findings: list[Finding]) -> str:
    return "\n".join(f"{f.severity} {f.code} {f.material}: {f.message}" for f in findings)


def filled(
    preset_id: str, root: Path, changes: dict[str, Any] | None = None, extra: str = ""
) -> tuple[Path, Path, Case]:
    """A workspace of the preset with one complete, right dossier (DESIGN.md's keys, the
    preset's case), ``changes`` applied to applicant.toml and ``extra`` TOML appended."""
    case = CASES[preset_id]
    data = RIGHT | case.changes | (changes or {})
    root = init_workspace(preset_id, root / "ws")
    ws = open_workspace(root)
    n = ws.notice
    folder = new_dossier(ws, str(data["name"]))
    hours = [{"year": y, "public_hours": 30, "professional_hours": 60} for y in case.hours_years]
    (folder / "applicant.toml").write_text(toml_text(data, hours) + extra, "utf-8")
    who = Applicant(folder=folder, data=data)
    level = n.level(str(data["level"]))
    assert level is not None
    for seed, item in enumerate(n.materials, start=1):
        due = item.due("submit") and not item.not_accepted
        if not (due and (needed(item, who, level.id) or item.id in case.path_materials)):
            continue
        place = ws.batch_dir if item.scope == "batch" else folder
        suffix, content = file_for(item, seed)
        put_file(place / item.folder / f"{item.short or item.name}{suffix}", content)
    return root, folder, case


@pytest.mark.parametrize("preset_id", PRESETS)
def test_design_only_applicant_passes_with_no_error(preset_id: str, tmp_path: Path) -> None:
    case = CASES[preset_id]
    data = RIGHT | case.changes
    assert set(data) | {"continuing_education"} == set(DESIGN_FIELDS)  # those keys, no other
    n = notice(preset_id)
    assert case.hours_years == continuing_education_years(n)
    online = n.dates.online
    assert online is not None and (online.start or n.notice.issued) <= case.today <= online.end
    root, _, _ = filled(preset_id, tmp_path)
    report = run_check(open_workspace(root), jobs=1, today=case.today)
    (dossier,) = report.dossiers
    found = [*report.notice_findings, *dossier.findings]
    assert [f for f in found if f.severity == "error"] == [], show(found)
    assert [f for f in found if f.code in NOT_RIGHT] == [], show(found)


# --- cases found in review: each a verdict an officer would otherwise get wrong -----------


def check_one(root: Path, today: dt.date, stage: str = "submit") -> tuple[list[Finding], Any]:
    report = run_check(open_workspace(root), jobs=1, today=today, stage=stage)  # type: ignore[arg-type]
    (dossier,) = report.dossiers
    return dossier.findings, report


def test_sichuan_no_performance_proof_when_a_path_without_it_is_also_met(tmp_path: Path) -> None:
    """本科 + 第二学士 meets (三) (业绩 needed) and (四) (not needed): no 业绩 is demanded."""
    changes = {"degree": "第二学士"}
    root, folder, case = filled("sichuan-2022", tmp_path, changes)
    for path in (folder / material("sichuan-2022", "performance-proof").folder).glob("*"):
        path.unlink()
    found, _ = check_one(root, case.today)
    assert [f for f in found if f.code == "material-missing"] == [], show(found)
    changes = {"degree": "学士"}
    root, folder, case = filled("sichuan-2022", tmp_path / "b", changes)
    for path in (folder / material("sichuan-2022", "performance-proof").folder).glob("*"):
        path.unlink()
    found, _ = check_one(root, case.today)
    assert [f.material for f in found if f.code == "material-missing"] == ["performance-proof"]


def test_sichuan_unreadable_earlier_education_says_it_cannot_tell(tmp_path: Path) -> None:
    changes = {"graduation_date": "2022-06-30", "specialty_start_date": "2018-08-01"}
    extra = '\n[[earlier_education]]\neducation = "大专"\ndegree = "无"\ngraduation_date = "某年"\n'
    root, _, case = filled("sichuan-2022", tmp_path, changes, extra)
    found, _ = check_one(root, case.today)
    (verdict,) = [f for f in found if f.code == "eligibility-not-met"]
    assert verdict.severity == "warning" and "无法判断" in verdict.message, show(found)
    assert any(f.code == "applicant-field-invalid" for f in found)


def test_xinjiang_continuing_education_wu_is_no_record_for_2021(tmp_path: Path) -> None:
    root, folder, case = filled("xinjiang-2021", tmp_path)
    text = (folder / "applicant.toml").read_text("utf-8")
    text = text[: text.index("[[continuing_education]]")] + 'continuing_education = "无"\n'
    (folder / "applicant.toml").write_text(text, "utf-8")
    found, _ = check_one(root, case.today)
    (short,) = [f for f in found if f.code == "continuing-education-short"]
    assert short.severity == "error" and "2021 年" in short.message and "没有记录" in short.message


def test_undeclared_exceptional_is_ignored(tmp_path: Path) -> None:
    """Xinjiang has no 破格 and does not ask it: exceptional = true changes nothing."""
    changes = {"current_title_date": "2019-06-30", "exceptional": True}
    root, _, case = filled("xinjiang-2021", tmp_path, changes)
    found, _ = check_one(root, case.today)
    (verdict,) = [f for f in found if f.code == "eligibility-not-met"]
    assert verdict.severity == "warning" and "破格" not in verdict.message


def test_baseline_without_exceptional_path_only_warns(tmp_path: Path) -> None:
    """Nantong's 初级 has no 破格 path and its rules are a baseline: a warning."""
    changes = {"level": "初级", "graduation_date": "2022-07-01", "exceptional": True}
    changes |= {"specialty_start_date": "2022-07-10", "current_title": "无"}
    changes |= {"current_title_date": "无"}
    root, _, case = filled("nantong-2023", tmp_path, changes)
    found, _ = check_one(root, case.today)
    (verdict,) = [f for f in found if f.code == "eligibility-not-met"]
    assert verdict.severity == "warning" and "人社部发〔2019〕16号" in verdict.message


def test_a_file_in_the_refused_materials_folder_warns(tmp_path: Path) -> None:
    root, folder, case = filled("qingdao-2024", tmp_path)
    item = material("qingdao-2024", "award-or-publication-proof")
    assert not (folder / item.folder).exists()  # new makes no folder for it
    put_file(folder / item.folder / "证明.pdf", scan_pdf(1))
    found, _ = check_one(root, case.today)
    assert [f.code for f in found if f.severity != "info"] == ["material-not-accepted"]


def test_an_a3_form_the_notice_asks_on_a3_is_no_page_size_warning(tmp_path: Path) -> None:
    root, folder, case = filled("shandong-2022", tmp_path)
    item = material("shandong-2022", "evaluation-form")
    put_file(folder / item.folder / "评审表.pdf", scan_pdf(2, size=PAGE_SIZES["A3"]))
    found, _ = check_one(root, case.today, stage="paper")
    assert [f for f in found if f.code == "page-size"] == [], show(found)


def test_a_blank_gender_under_the_none_rule_is_not_told_to_write_wu(tmp_path: Path) -> None:
    root, _, case = filled("xinjiang-2021", tmp_path, {"gender": ""})
    found, _ = check_one(root, case.today)
    (blank,) = [f for f in found if f.code == "applicant-field-missing"]
    assert "性别" in blank.message and "写“无”" not in blank.message + blank.hint


def test_missing_continuing_education_hint_is_toml_for_the_counted_year(tmp_path: Path) -> None:
    root, folder, case = filled("xinjiang-2021", tmp_path)
    text = (folder / "applicant.toml").read_text("utf-8")
    (folder / "applicant.toml").write_text(text[: text.index("[[continuing_education]]")], "utf-8")
    found, _ = check_one(root, case.today)
    (missing,) = [f for f in found if f.code == "applicant-field-missing"]
    assert "[[continuing_education]] year = 2021" in missing.hint and "{'" not in missing.hint


def test_a_batch_file_in_place_of_the_folder(tmp_path: Path) -> None:
    from zcprep.cli import main

    root, _, case = filled("sichuan-2022", tmp_path)
    for path in sorted((root / "batch").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (root / "batch").rmdir()
    (root / "batch").write_text("不是文件夹", "utf-8")
    _, report = check_one(root, case.today)
    (problem,) = [f for f in report.notice_findings if f.severity == "error"]
    assert "是一个文件" in problem.message and problem.file == "batch"
    assert main(["new", "李四", "-w", str(root)]) == 3
    assert not (root / "dossiers" / "李四").exists()  # no half dossier left


def test_roster_does_not_rank_where_the_notice_asks_no_rank(tmp_path: Path) -> None:
    from zcprep.roster import make_roster

    root, folder, case = filled("nantong-2023", tmp_path)
    other = folder.parent / "甲乙"
    other.mkdir()
    text = (folder / "applicant.toml").read_text("utf-8").replace('name = "张三"', 'name = "甲乙"')
    (other / "applicant.toml").write_text(text.replace("rank = 1", "rank = 1"), "utf-8")
    result = make_roster(open_workspace(root), today=case.today)
    assert not [w for w in result.warnings if "推荐排序" in w]


def test_roster_keeps_who_was_left_out_when_nobody_is_left(tmp_path: Path) -> None:
    from zcprep.errors import UsageError
    from zcprep.roster import make_roster

    extra = "civil_servant = true\n"
    root, folder, case = filled("nantong-2023", tmp_path)
    text = (folder / "applicant.toml").read_text("utf-8")
    (folder / "applicant.toml").write_text(extra + text, "utf-8")
    with pytest.raises(UsageError) as info:
        make_roster(open_workspace(root), today=case.today)
    assert "张三" in info.value.message and "不符合本通知的申报条件" in info.value.message


def test_bind_where_the_notice_binds_nothing_says_so_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from zcprep.cli import main

    root, _, _ = filled("shandong-2022", tmp_path)
    assert main(["bind", "-w", str(root)]) == 0
    assert "本通知不要求装订申报册" in capsys.readouterr().err
    assert not any((root / "out").iterdir())


def test_new_lists_what_is_due_now_later_and_for_the_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from zcprep.cli import main

    root = init_workspace("qingdao-2024", tmp_path / "ws")
    assert main(["new", "张三", "-w", str(root)]) == 0
    said = capsys.readouterr().err
    assert "获奖" not in said  # refused: no folder, nothing to put in
    assert "网上审核通过后才有" in said and "山东省专业技术职称评审表" in said
    assert "没有内容的栏目写“无”" not in said  # no 无 rule in this notice
