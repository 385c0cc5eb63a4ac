"""The sichuan-2022 preset holds to its notice (川网办通〔2022〕91号), through the real engine.

Two kinds of test:
- every rule of the preset says where it comes from, and a notice rule's quote is the
  notice's own sentence (compared with whitespace removed and （）/() unified);
- behaviour: a workspace made with ``init_workspace("sichuan-2022", ...)``, dossiers with
  real generated PDFs, ``run_check`` as ``zcprep check`` runs it, and the findings an
  officer would see.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from check_helpers import id_with_check, put_file, text_pdf
from zcprep.check import run_check
from zcprep.model.notice import Notice
from zcprep.model.presets import load_preset, preset_path
from zcprep.model.workspace import init_workspace, new_dossier, open_workspace
from zcprep.report import Finding, Report

PRESET = "sichuan-2022"
NOTICE_FILE = Path(__file__).parents[1] / "notices" / "sichuan-2022.txt"
# A day inside the online window (2022-12-27 — 2023-01-31): no deadline has passed.
IN_WINDOW = dt.date(2023, 1, 15)


# --- the notice text and the preset ---------------------------------------------------


def _norm(text: str) -> str:
    text = re.sub(r"\s+", "", text)
    return text.replace("(", "（").replace(")", "）")


@functools.cache
def notice_text() -> str:
    if NOTICE_FILE.is_file():
        return NOTICE_FILE.read_text(encoding="utf-8")
    pytest.skip(f"通知原文 {NOTICE_FILE} 不在本机")


@functools.cache
def preset() -> Notice:
    return load_preset(PRESET).notice


@functools.cache
def raw() -> dict[str, Any]:
    return tomllib.loads(preset_path(PRESET).read_text(encoding="utf-8"))


def _raw_rules() -> list[tuple[str, dict[str, Any]]]:
    """Every rule-bearing table of the TOML, with a readable id."""
    data = raw()
    found: list[tuple[str, dict[str, Any]]] = [("eligibility", data["eligibility"])]
    for index, rule in enumerate(data["eligibility"]["rules"]):
        found.append((f"eligibility.rules[{index}]", rule))
    for index, rule in enumerate(data["eligibility"].get("exclusions", [])):
        found.append((f"eligibility.exclusions[{index}]", rule))
    for key in ("continuing_education", "social_insurance", "publicity"):
        if key in data:
            found.append((key, data[key]))
    for item in data["materials"]:
        found.append((f"materials.{item['id']}", item))
    return found


def _model_rules() -> dict[str, Any]:
    notice = preset()
    found: dict[str, Any] = {"eligibility": notice.eligibility}
    for index, rule in enumerate(notice.eligibility.rules):
        found[f"eligibility.rules[{index}]"] = rule
    for index, rule in enumerate(notice.eligibility.exclusions):
        found[f"eligibility.exclusions[{index}]"] = rule
    for key in ("continuing_education", "social_insurance", "publicity"):
        if getattr(notice, key) is not None:
            found[key] = getattr(notice, key)
    for item in notice.materials:
        found[f"materials.{item.id}"] = item
    return found


RULE_IDS = [name for name, _ in _raw_rules()]


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_is_a_notice_rule_quoting_the_notice(rule_id: str) -> None:
    rule = _model_rules()[rule_id]
    assert rule.source == "notice", rule_id
    if rule_id == "eligibility":
        return  # the section's default source; each rule below carries its own quote
    assert rule.quote, f"{rule_id} 没有 quote"
    assert _norm(rule.quote) in _norm(notice_text()), f"{rule_id} 的 quote 不在通知原文中"


def test_the_raw_file_gives_every_quote_verbatim() -> None:
    """The quotes as written in the TOML (not only as the model holds them)."""
    text = _norm(notice_text())
    for rule_id, table in _raw_rules():
        if "quote" in table:
            assert _norm(table["quote"]) in text, rule_id


def test_the_preset_loads_without_warnings() -> None:
    assert load_preset(PRESET).warnings == []


# --- 一、申报人信息：只列通知用到的栏目 ------------------------------------------------


NOT_IN_THIS_NOTICE = (
    "specialized_enterprise",  # 专精特新：只有青岛
    "exceptional",  # 破格：初定没有破格途径
    "publicity_start",  # 公示由专家组发布，单位不公示
    "publicity_end",
    "rank",  # 推荐排序
    "continuing_education",  # 继续教育：通知“七”只是鼓励
)


def test_applicant_fields_are_the_notices_own() -> None:
    declared = preset().applicant
    every = set(declared.fields) | set(declared.optional)
    for key in NOT_IN_THIS_NOTICE:
        assert key not in every, key
    assert "labor_dispatch" in declared.optional  # 六、（三）劳务派遣人员
    assert "earlier_education" in declared.optional  # 先大专后本科可走（二）
    for key in ("freelancer", "social_insurance_months", "specialty_start_date", "level"):
        assert key in declared.fields, key
    assert declared.none_rule is False  # 无“无内容栏目填无”的规定


def test_new_writes_only_the_declared_fields(tmp_path: Path) -> None:
    ws = open_workspace(init_workspace(PRESET, tmp_path / "ws"))
    text = (new_dossier(ws, "张三") / "applicant.toml").read_text(encoding="utf-8")
    keys = set(re.findall(r"^\s*\[*\s*([a-z_]+)\s*\]*\s*=?", text, flags=re.MULTILINE))
    for key in NOT_IN_THIS_NOTICE:
        assert key not in keys, key
    assert "freelancer" in keys and "social_insurance_months" in keys


# --- 三、申报条件 ------------------------------------------------------------------------


def test_months_run_from_the_later_of_graduation_and_the_security_work() -> None:
    eligibility = preset().eligibility
    assert eligibility.as_of == "window_end"  # 申报期截止 2023-01-31，不随检查日期改变
    for rule in eligibility.rules:
        if rule.months:
            assert list(rule.count_from) == ["graduation", "specialty_start"], rule.note


def test_performance_is_required_for_paths_one_two_three_five_only() -> None:
    with_proof = [
        (rule.level, rule.months) for rule in preset().eligibility.rules if rule.materials
    ]
    expected = [("technician", 12), ("assistant", 36), ("assistant", 12)]
    expected += [("intermediate", 36), ("intermediate", 36)]  # （五）硕士 / 第二学士
    assert sorted(with_proof) == sorted(expected)
    for rule in preset().eligibility.rules:
        assert list(rule.materials) in ([], ["performance-proof"])
    proof = next(m for m in preset().materials if m.id == "performance-proof")
    assert proof.required is False


def test_unit_uploads_are_batch_materials() -> None:
    by_id = {m.id: m for m in preset().materials}
    for key in ("recommendation", "integrity-pledge"):
        assert by_id[key].scope == "batch"
        assert by_id[key].stage == "submit"


# --- behaviour through the real engine --------------------------------------------------

MALE_ID = id_with_check("51010219900307123")  # 成都；17th digit 3: 男
FEMALE_ID = id_with_check("51010219920511124")  # 17th digit 2: 女

# applicant.toml holding ONLY the keys of DESIGN.md's table, complete and right.
DESIGN_ONLY = """\
name = "{name}"
gender = "男"
id_number = "{id_number}"
birth_date = "1990-03-07"
phone = "13800000001"
employer = "四川某网络安全技术有限公司"
education = "本科"
degree = "学士"
school = "四川大学"
major = "信息安全"
graduation_date = 2012-07-01
work_start_date = 2012-07-15
specialty_start_date = 2012-07-15
current_title = "无"
current_title_date = "无"
level = "助理级"
exceptional = false
freelancer = false
social_insurance_months = 60
publicity_start = "无"
publicity_end = "无"
rank = 1
remarks = "无"

[[continuing_education]]
year = 2022
public_hours = 30
professional_hours = 60
"""


def _inline(key: str, value: str) -> str:
    return f"{key} = {value}" if key == "graduation_date" else f'{key} = "{value}"'


def applicant_text(
    name: str,
    *,
    education: str = "本科",
    degree: str = "学士",
    graduation: str = "2012-07-01",
    specialty_start: str = "2012-07-15",
    level: str = "助理级",
    employer: str = "四川某网络安全技术有限公司",
    freelancer: bool = False,
    dispatch: bool | None = None,
    insurance: int | str = 60,
    earlier: list[dict[str, str]] | None = None,
    extra: str = "",
) -> str:
    """An applicant.toml with the fields this notice declares (and only those)."""
    months = insurance if isinstance(insurance, int) else f'"{insurance}"'
    lines = [
        f'name = "{name}"',
        f'id_number = "{FEMALE_ID}"',
        f'employer = "{employer}"',
        f'education = "{education}"',
        f'degree = "{degree}"',
        'major = "网络空间安全"',
        f"graduation_date = {graduation}",
        f"specialty_start_date = {specialty_start}",
        f'level = "{level}"',
        f"freelancer = {'true' if freelancer else 'false'}",
        f"social_insurance_months = {months}",
    ]
    if dispatch is not None:
        lines.append(f"labor_dispatch = {'true' if dispatch else 'false'}")
    if earlier:
        entries = ", ".join(
            "{ " + ", ".join(_inline(k, v) for k, v in entry.items()) + " }" for entry in earlier
        )
        lines.append(f"earlier_education = [{entries}]")
    if extra:
        lines.append(extra)
    return "\n".join(lines) + "\n"


LEFT_EMPTY = ("other-proof", "dispatch-agreement")


class Batch:
    """A workspace of the preset, with dossiers written as the officer would."""

    def __init__(self, root: Path) -> None:
        self.root = init_workspace(PRESET, root)
        self.ws = open_workspace(self.root)
        self.seed = 0

    def _pdf(self, *words: str) -> bytes:
        self.seed += 1
        return text_pdf([[" ".join(words), f"扫描件 {self.seed}"]])

    def dossier(self, name: str, text: str, *, skip: tuple[str, ...] = ()) -> Path:
        """A dossier with a PDF in every applicant item except ``skip`` and the two
        items only some applicants hand in (其他证明材料, 劳务公司派遣协议)."""
        folder = new_dossier(self.ws, name)
        (folder / "applicant.toml").write_text(text, encoding="utf-8")
        for material in self.ws.notice.checklist:
            if material.scope == "batch" or material.id in (*skip, *LEFT_EMPTY):
                continue
            put_file(
                folder / material.folder / f"{material.short or material.name}.pdf",
                self._pdf(material.name, name),
            )
        return folder

    def unit_uploads(self, skip: tuple[str, ...] = ()) -> None:
        for material in self.ws.notice.batch_checklist:
            if material.id in skip:
                continue
            folder = self.ws.batch_dir / material.folder
            put_file(folder / f"{material.name}.pdf", self._pdf(material.name, "本单位"))

    def check(self, today: dt.date = IN_WINDOW) -> Report:
        return run_check(open_workspace(self.root), jobs=1, today=today)


def findings_of(report: Report, name: str) -> list[Finding]:
    for dossier in report.dossiers:
        if dossier.applicant == name or dossier.path.endswith("/" + name):
            return dossier.findings
    raise AssertionError(f"报告中没有 {name}")


def errors_of(report: Report, name: str) -> list[Finding]:
    return [f for f in findings_of(report, name) if f.severity == "error"]


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def show(findings: list[Finding]) -> str:
    return "\n".join(f"{f.severity} {f.code} {f.material}: {f.message}" for f in findings)


def notice_errors(report: Report) -> list[Finding]:
    return [f for f in getattr(report, "notice_findings", []) if f.severity == "error"]


@pytest.fixture
def batch(tmp_path: Path) -> Batch:
    result = Batch(tmp_path / "ws")
    result.unit_uploads()
    return result


def test_the_design_only_applicant_passes_with_no_error(batch: Batch) -> None:
    batch.dossier("张三", DESIGN_ONLY.format(name="张三", id_number=MALE_ID))
    report = batch.check()
    assert errors_of(report, "张三") == [], show(findings_of(report, "张三"))
    assert notice_errors(report) == [], show(notice_errors(report))


def test_the_declared_only_applicant_passes_with_no_error(batch: Batch) -> None:
    batch.dossier("李四", applicant_text("李四"))
    report = batch.check()
    assert errors_of(report, "李四") == [], show(findings_of(report, "李四"))
    assert notice_errors(report) == []


# 本科 2019 届；按（三）须“取得学历后从事网络信息安全专业技术工作满 12 个月”，到 2023-01-31。
@pytest.mark.parametrize(
    ("specialty_start", "eligible"),
    [
        ("2022-12-01", False),  # 毕业 3 年多，但安全工作只有 1 个月
        ("2021-12-01", True),  # 安全工作 13 个月
        ("2022-01-31", True),  # 到 2023-01-31 正好满 12 个月
        ("2022-02-01", False),  # 11 个月
    ],
)
def test_months_count_from_the_later_of_graduation_and_security_work(
    batch: Batch, specialty_start: str, eligible: bool
) -> None:
    batch.dossier(
        "王五", applicant_text("王五", graduation="2019-07-01", specialty_start=specialty_start)
    )
    report = batch.check()
    found = [f for f in errors_of(report, "王五") if f.code == "eligibility-not-met"]
    assert (found == []) is eligible, show(findings_of(report, "王五"))
    if not eligible:
        assert "2023" in found[0].message  # 计到申报期截止日，而不是今天


def test_graduation_later_than_security_work_counts_from_graduation(batch: Batch) -> None:
    # 2012 年起从事安全工作，2022-07 才取得本科：到 2023-01-31 只有 6 个月
    batch.dossier(
        "赵六", applicant_text("赵六", graduation="2022-07-01", specialty_start="2012-07-15")
    )
    report = batch.check()
    assert "eligibility-not-met" in codes(errors_of(report, "赵六")), show(
        findings_of(report, "赵六")
    )


def test_earlier_junior_college_opens_path_two(batch: Batch) -> None:
    # 最高学历为 2023-01 自考本科（按（三）只有 0 个月）；此前 2018-07 大专、2018-08 起从事安全工作
    batch.dossier(
        "孙七",
        applicant_text(
            "孙七",
            graduation="2023-01-10",
            specialty_start="2018-08-01",
            earlier=[{"education": "大专", "degree": "无", "graduation_date": "2018-07-01"}],
        ),
    )
    report = batch.check()
    assert "eligibility-not-met" not in codes(errors_of(report, "孙七")), show(
        findings_of(report, "孙七")
    )
    assert errors_of(report, "孙七") == [], show(findings_of(report, "孙七"))


def test_without_the_earlier_education_the_same_person_is_refused(batch: Batch) -> None:
    batch.dossier(
        "孙七", applicant_text("孙七", graduation="2023-01-10", specialty_start="2018-08-01")
    )
    report = batch.check()
    assert "eligibility-not-met" in codes(errors_of(report, "孙七"))


def test_a_near_miss_names_the_education_entry_it_used(batch: Batch) -> None:
    # 大专 2019-07，2020-03 起从事安全工作：到 2023-01-31 为 34 个月，差 2 个月（（二）要 36）；
    # 自考本科 2023-01（（三）差 12 个月）：最接近的是大专那一条
    batch.dossier(
        "周八",
        applicant_text(
            "周八",
            graduation="2023-01-10",
            specialty_start="2020-03-01",
            earlier=[{"education": "大专", "degree": "无", "graduation_date": "2019-07-01"}],
        ),
    )
    report = batch.check()
    found = [f for f in errors_of(report, "周八") if f.code == "eligibility-not-met"]
    assert len(found) == 1, show(findings_of(report, "周八"))
    # the rule's own note says 大学专科, so "大专" comes from naming the entry
    assert "大专" in found[0].message, found[0].message
    assert "此前学历" in found[0].message, found[0].message
    assert "34" in found[0].message, found[0].message


@pytest.mark.parametrize("degree", ["学士", "硕士", "第二学士"])
def test_bachelor_with_any_degree_passes_path_three(batch: Batch, degree: str) -> None:
    # 本科学历 + 同等学力硕士学位：（三）“本科学历和学位”
    batch.dossier("吴九", applicant_text("吴九", degree=degree))
    report = batch.check()
    assert "eligibility-not-met" not in codes(errors_of(report, "吴九")), show(
        findings_of(report, "吴九")
    )


def test_bachelor_without_degree_is_refused(batch: Batch) -> None:
    batch.dossier("郑十", applicant_text("郑十", degree="无"))
    report = batch.check()
    assert "eligibility-not-met" in codes(errors_of(report, "郑十"))


# --- 六、（二）社保 --------------------------------------------------------------------------


def _insurance_errors(findings: list[Finding]) -> list[Finding]:
    return [
        f
        for f in findings
        if f.severity == "error"
        and (
            f.code.startswith("social-insurance") or "社保" in f.message or "社会保险" in f.message
        )
    ]


def test_none_as_social_insurance_months_is_an_error(batch: Batch) -> None:
    batch.dossier("钱一", applicant_text("钱一", insurance="无"))
    report = batch.check()
    found = _insurance_errors(findings_of(report, "钱一"))
    assert found, show(findings_of(report, "钱一"))
    assert "social-insurance-short" in codes(found)


def test_five_months_of_social_insurance_is_short(batch: Batch) -> None:
    batch.dossier("钱二", applicant_text("钱二", insurance=5))
    report = batch.check()
    assert "social-insurance-short" in codes(errors_of(report, "钱二"))


def test_a_master_for_assistant_is_waived_even_with_none(batch: Batch) -> None:
    # 硕士研究生初定初级职称的除外：写“无”也不是错误，社保证明也不要求
    batch.dossier(
        "钱三",
        applicant_text(
            "钱三",
            education="硕士研究生",
            degree="硕士",
            graduation="2022-07-01",
            specialty_start="2022-08-01",
            insurance="无",
        ),
        skip=("social-insurance", "performance-proof"),
    )
    report = batch.check()
    assert errors_of(report, "钱三") == [], show(findings_of(report, "钱三"))


# --- 三（一）（二）（三）（五）业绩 ------------------------------------------------------------


def _missing(findings: list[Finding], material: str) -> bool:
    return any(f.code == "material-missing" and f.material == material for f in findings)


def test_performance_proof_is_missing_for_a_bachelor_path_three(batch: Batch) -> None:
    batch.dossier("冯一", applicant_text("冯一"), skip=("performance-proof",))
    report = batch.check()
    findings = findings_of(report, "冯一")
    assert any(
        f.code == "material-missing" and f.material == "performance-proof" and f.severity == "error"
        for f in findings
    ), show(findings)


def test_performance_proof_is_not_asked_of_a_master_path_four(batch: Batch) -> None:
    # 硕士研究生学历和学位直接初定助理级（四）：不要求业绩
    batch.dossier(
        "冯二",
        applicant_text(
            "冯二",
            education="硕士研究生",
            degree="硕士",
            graduation="2022-07-01",
            specialty_start="2022-08-01",
        ),
        skip=("performance-proof", "social-insurance"),
    )
    report = batch.check()
    findings = findings_of(report, "冯二")
    assert not _missing(findings, "performance-proof"), show(findings)
    assert errors_of(report, "冯二") == [], show(findings)


def test_performance_proof_is_asked_of_a_master_for_intermediate(batch: Batch) -> None:
    # （五）硕士 + 36 个月 → 中级，须业绩
    batch.dossier(
        "冯三",
        applicant_text(
            "冯三",
            education="硕士研究生",
            degree="硕士",
            graduation="2018-07-01",
            specialty_start="2018-08-01",
            level="中级",
        ),
        skip=("performance-proof",),
    )
    report = batch.check()
    assert _missing(findings_of(report, "冯三"), "performance-proof"), show(
        findings_of(report, "冯三")
    )


# --- 五、（一）自由职业者 ------------------------------------------------------------------


def _freelancer_errors(findings: list[Finding]) -> list[Finding]:
    return [
        f
        for f in findings
        if f.severity == "error" and f.code == "eligibility-not-met" and "自由职业者" in f.message
    ]


def test_freelancer_and_labor_dispatch_is_an_error(batch: Batch) -> None:
    batch.dossier(
        "陈一",
        applicant_text("陈一", employer="无", freelancer=True, dispatch=True),
        skip=("labor-contract",),
    )
    report = batch.check()
    assert _freelancer_errors(findings_of(report, "陈一")), show(findings_of(report, "陈一"))


def test_freelancer_naming_an_employer_is_an_error(batch: Batch) -> None:
    batch.dossier(
        "陈二",
        applicant_text("陈二", employer="成都某科技有限公司", freelancer=True),
        skip=("labor-contract",),
    )
    report = batch.check()
    assert _freelancer_errors(findings_of(report, "陈二")), show(findings_of(report, "陈二"))


def test_a_plain_freelancer_passes_without_a_labor_contract(tmp_path: Path) -> None:
    only_freelancers = Batch(tmp_path / "ws")
    only_freelancers.dossier(
        "陈三",
        applicant_text("陈三", employer="无", freelancer=True, dispatch=False),
        skip=("labor-contract",),
    )
    report = only_freelancers.check()
    assert errors_of(report, "陈三") == [], show(findings_of(report, "陈三"))
    # 自由职业者直接提交审核组，不经单位审核：本批无须《推荐意见》《诚信承诺书》
    assert notice_errors(report) == [], show(notice_errors(report))


def test_a_dispatched_worker_needs_the_dispatch_agreement(batch: Batch) -> None:
    batch.dossier("陈四", applicant_text("陈四", dispatch=True))
    report = batch.check()
    assert _missing(findings_of(report, "陈四"), "dispatch-agreement")


# --- 五、（二）单位上传的《推荐意见》《诚信承诺书》 ------------------------------------------


def test_the_unit_uploads_are_checked_once_for_the_batch(tmp_path: Path) -> None:
    without = Batch(tmp_path / "ws")
    without.unit_uploads(skip=("recommendation",))
    without.dossier("褚一", applicant_text("褚一"))
    without.dossier("褚二", applicant_text("褚二"))
    report = without.check()
    missing = [
        f
        for f in report.notice_findings
        if f.code == "material-missing" and f.material == "recommendation"
    ]
    assert len(missing) == 1 and missing[0].severity == "error", show(report.notice_findings)
    for name in ("褚一", "褚二"):
        assert not _missing(findings_of(report, name), "recommendation")
        assert errors_of(report, name) == [], show(findings_of(report, name))


# --- 三、（四）之后不得再初定中级 --------------------------------------------------------


def test_assistant_by_master_may_not_apply_for_intermediate(batch: Batch) -> None:
    batch.dossier(
        "卫一",
        applicant_text(
            "卫一",
            education="硕士研究生",
            degree="硕士",
            graduation="2018-07-01",
            specialty_start="2018-08-01",
            level="中级",
            extra="assistant_by_master = true",
        ),
    )
    report = batch.check()
    found = [
        f
        for f in errors_of(report, "卫一")
        if f.code == "eligibility-not-met" and "不得再次申请初定为中级" in f.message
    ]
    assert found, show(findings_of(report, "卫一"))


# --- verdicts do not depend on the day check runs ----------------------------------------


def _verdict(report: Report, name: str) -> list[tuple[str, str]]:
    return sorted(
        (f.code, f.message)
        for f in findings_of(report, name)
        if f.code == "eligibility-not-met" or f.code.startswith("social-insurance")
    )


@pytest.mark.parametrize("specialty_start", ["2022-12-01", "2021-12-01"])
def test_the_verdict_does_not_depend_on_today(batch: Batch, specialty_start: str) -> None:
    batch.dossier(
        "蒋一", applicant_text("蒋一", graduation="2019-07-01", specialty_start=specialty_start)
    )
    early = batch.check(today=dt.date(2023, 1, 2))
    late = batch.check(today=dt.date(2031, 6, 30))
    assert _verdict(early, "蒋一") == _verdict(late, "蒋一")
    assert bool(_verdict(early, "蒋一")) is (specialty_start == "2022-12-01")


def test_a_doctor_may_apply_for_intermediate_after_assistant_by_master(batch: Batch) -> None:
    # 通知“三”末段：初定后取得更高学历或学位的，可按新学历或学位再次初定（（六）博士 → 中级）
    batch.dossier(
        "卫二",
        applicant_text(
            "卫二",
            education="博士研究生",
            degree="博士",
            graduation="2022-07-01",
            specialty_start="2022-08-01",
            level="中级",
            extra="assistant_by_master = true",
        ),
        skip=("social-insurance", "performance-proof"),  # 博士初定中级：社保除外，（六）不要求业绩
    )
    report = batch.check()
    assert errors_of(report, "卫二") == [], show(findings_of(report, "卫二"))
