"""zcprep check: one planted defect per finding code, each found alone; a right dossier
is clean; nothing inside the workspace changes."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from check_helpers import (
    HEIC_BYTES,
    HTML_BYTES,
    OLE_BYTES,
    PAGE_SIZES,
    docx_bytes,
    encrypted_pdf,
    id_with_check,
    many_pages_pdf,
    png_bytes,
    right_applicant,
    right_dossier,
    rotated_pdf,
    scan_jpeg,
    scan_pdf,
    text_pdf,
    toml_text,
    tree_hashes,
    write_notice,
)
from zcprep.check import CHECKS, check_dossier, run_check
from zcprep.model.workspace import Workspace, open_workspace
from zcprep.report import CODES

TODAY = dt.date(2024, 5, 20)  # after the 公示, before every deadline
Flat = list[tuple[str, str | None, int | None]]


def flatten(findings: list) -> Flat:
    return [(f.code, f.material, f.page) for f in findings]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    workspace = tmp_path / "ws"
    write_notice(workspace)
    right_dossier(workspace)
    return workspace


def dossier(root: Path) -> Path:
    return root / "dossiers" / "张三"


def check(root: Path, today: dt.date = TODAY, **kwargs: object) -> list:
    ws = open_workspace(root)
    return check_dossier(ws, dossier(root), today=today, **kwargs).findings  # type: ignore[arg-type]


def put(root: Path, rel: str, data: bytes) -> Path:
    path = dossier(root) / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def set_fields(
    root: Path, continuing: list[dict[str, int]] | None = None, **changes: object
) -> None:
    data = right_applicant()
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    (dossier(root) / "applicant.toml").write_text(toml_text(data, continuing), "utf-8")


def test_right_dossier_has_no_finding(root: Path) -> None:
    assert flatten(check(root)) == []


def test_registry_is_plain_functions_of_the_families() -> None:
    modules = {check.__module__.rsplit(".", 1)[-1] for check in CHECKS}
    assert modules == {"materials", "files", "applicant", "eligibility", "rules"}
    assert len({check.__name__ for check in CHECKS}) == len(CHECKS)


# Each case changes the right dossier in one way and expects exactly these findings.
Case = tuple[str, Callable[[Path], object], Flat]

CASES: list[Case] = [
    (
        "material-missing",
        lambda r: (
            (dossier(r) / "04-业绩成果/1-项目验收报告.pdf").unlink()
            or (dossier(r) / "04-业绩成果/2-获奖证书.png").unlink()
        ),
        [("material-missing", "achievements", None)],
    ),
    (
        "material-missing-when-exceptional",
        lambda r: set_fields(r, exceptional=True, current_title_date="2022-01-01"),
        [("material-missing", "exceptional-proof", None)],
    ),
    (
        "material-unexpected-file",
        lambda r: put(r, "微信图片_20240506.jpg", scan_jpeg((400, 300))),
        [("material-unexpected", None, None)],
    ),
    (
        "material-unexpected-folder",
        lambda r: put(r, "其他资料/说明.pdf", text_pdf([["说明"]])),
        [("material-unexpected", None, None)],
    ),
    (
        "file-empty",
        lambda r: put(r, "04-业绩成果/3-空文件.pdf", b""),
        [("file-empty", "achievements", None)],
    ),
    (
        "file-unreadable-truncated",
        lambda r: put(r, "04-业绩成果/3-截断.pdf", scan_pdf(3)[:5000]),
        [("file-unreadable", "achievements", None)],
    ),
    (
        "file-type-mismatch-png-as-jpg",
        lambda r: put(r, "02-身份证/身份证反面.jpg", png_bytes((1300, 1838))),
        [("file-type-mismatch", "id-card", None)],
    ),
    (
        "file-type-mismatch-html-as-pdf",
        lambda r: put(r, "04-业绩成果/3-证书.pdf", HTML_BYTES),
        [("file-type-mismatch", "achievements", None)],
    ),
    (
        "file-type-mismatch-word-as-pdf",
        lambda r: put(r, "04-业绩成果/3-报告.pdf", docx_bytes()),
        [("file-type-mismatch", "achievements", None)],
    ),
    (
        "file-type-mismatch-old-word-as-pdf",
        lambda r: put(r, "04-业绩成果/3-报告.pdf", OLE_BYTES),
        [("file-type-mismatch", "achievements", None)],
    ),
    (
        "file-unsupported-heic",
        lambda r: put(r, "02-身份证/IMG_0001.HEIC", HEIC_BYTES),
        [("file-unsupported", "id-card", None)],
    ),
    (
        "file-format-not-allowed",
        lambda r: put(r, "01-评审申报表/申报表照片.jpg", scan_jpeg((800, 1100))),
        [("file-format-not-allowed", "application-form", None)],
    ),
    (
        "file-encrypted",
        lambda r: put(r, "04-业绩成果/3-加密.pdf", encrypted_pdf("secret")),
        [("file-encrypted", "achievements", None)],
    ),
    (
        "file-permissions-restricted",
        lambda r: put(r, "04-业绩成果/3-限制.pdf", encrypted_pdf("", permissions=0)),
        [("file-permissions-restricted", "achievements", None)],
    ),
    (
        "file-too-large",
        lambda r: put(r, "01-评审申报表/评审申报表.pdf", scan_pdf(1, dpi=150)),
        [("file-too-large", "application-form", None)],
    ),
    (
        "page-size-a3",
        lambda r: put(
            r,
            "04-业绩成果/3-图纸.pdf",
            text_pdf(
                [["p1"], ["p2"], ["p3"]], [PAGE_SIZES["A4"], PAGE_SIZES["A3"], PAGE_SIZES["A4"]]
            ),
        ),
        [("page-size", "achievements", 2)],
    ),
    (
        "page-size-letter",
        lambda r: put(
            r,
            "04-业绩成果/3-信纸.pdf",
            text_pdf([["p1"], ["p2"]], [PAGE_SIZES["A4"], PAGE_SIZES["letter"]]),
        ),
        [("page-size", "achievements", 2)],
    ),
    (
        "scan-resolution-low-image",
        lambda r: put(r, "02-身份证/身份证.jpg", scan_jpeg((600, 848))),
        [("scan-resolution-low", "id-card", None)],
    ),
    (
        "scan-resolution-low-pdf-page",
        lambda r: put(r, "02-身份证/身份证复印件.pdf", scan_pdf(2, dpi=100)),
        [("scan-resolution-low", "id-card", 1)],
    ),
    (
        "duplicate-file",
        lambda r: put(
            r,
            "04-业绩成果/3-劳动合同副本.pdf",
            (dossier(r) / "03-劳动合同/劳动合同.pdf").read_bytes(),
        ),
        [("duplicate-file", "achievements", None)],
    ),
    (
        "classified-marking",
        lambda r: put(
            r, "04-业绩成果/3-报告.pdf", text_pdf([["项目报告"], ["秘密★1年", "某项目技术方案"]])
        ),
        [("classified-marking", "achievements", 2)],
    ),
    (
        "applicant-field-missing",
        lambda r: set_fields(r, remarks=None),
        [("applicant-field-missing", None, None)],
    ),
    (
        "applicant-field-blank",
        lambda r: set_fields(r, phone="  "),
        [("applicant-field-missing", None, None)],
    ),
    (
        "applicant-field-invalid-choice",
        lambda r: set_fields(r, gender="男性"),
        [("applicant-field-invalid", None, None)],
    ),
    (
        "applicant-field-invalid-date",
        lambda r: set_fields(r, work_start_date="2012-13-01"),
        [("applicant-field-invalid", None, None)],
    ),
    (
        "applicant-field-invalid-level",
        lambda r: set_fields(r, level="副高"),
        [("applicant-field-invalid", None, None)],
    ),
    (
        "applicant-field-unknown",
        lambda r: set_fields(r, remark="无"),
        [("applicant-field-unknown", None, None)],
    ),
    (
        "id-number-invalid",
        lambda r: set_fields(
            r,
            id_number="320602199003071230"
            if id_with_check("32060219900307123")[-1] != "0"
            else "320602199003071231",
        ),
        [("id-number-invalid", None, None)],
    ),
    (
        "id-number-mismatch-birth",
        lambda r: set_fields(r, birth_date="1990-03-08"),
        [("id-number-mismatch", None, None)],
    ),
    (
        "id-number-mismatch-gender",
        lambda r: set_fields(r, gender="女"),
        [("id-number-mismatch", None, None)],
    ),
    (
        "eligibility-not-met",
        lambda r: set_fields(r, current_title_date="2021-01-01"),
        [("eligibility-not-met", None, None)],
    ),
    (
        "graduation-after-cutoff",
        lambda r: set_fields(r, graduation_date="2024-04-30", education="本科"),
        [("graduation-after-cutoff", None, None)],
    ),
    (
        "continuing-education-short",
        lambda r: set_fields(
            r,
            continuing=[
                {"year": 2022, "public_hours": 30, "professional_hours": 62},
                {"year": 2023, "public_hours": 40, "professional_hours": 40},
            ],
        ),
        [("continuing-education-short", None, None)],
    ),
    (
        "social-insurance-short",
        lambda r: set_fields(r, social_insurance_months=3),
        [("social-insurance-short", None, None)],
    ),
    (
        "publicity-missing",
        lambda r: set_fields(r, publicity_end="无"),
        [("publicity-missing", None, None)],
    ),
    (
        "publicity-too-short",
        lambda r: set_fields(r, publicity_start="2024-05-06", publicity_end="2024-05-08"),
        [("publicity-too-short", None, None)],
    ),
    (
        "calendar-unverified",
        lambda r: set_fields(r, publicity_start="2090-05-01", publicity_end="2090-05-12"),
        [("calendar-unverified", None, None)],
    ),
]


@pytest.mark.parametrize(("name", "plant", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_planted_defect_is_found_alone(
    root: Path, name: str, plant: Callable[[Path], object], expected: Flat
) -> None:
    plant(root)
    findings = check(root)
    assert flatten(findings) == expected
    for finding in findings:
        assert finding.message and finding.hint
        if finding.file:
            assert finding.file.startswith("dossiers/张三"), finding.file
            assert (root / finding.file).exists()


def test_every_stable_code_is_planted_somewhere() -> None:
    planted = {code for _, _, expected in CASES for code, _, _ in expected}
    # deadline-passed and duplicate-file/-across-dossiers have their own tests below
    assert set(CODES[:21]) - planted == {"deadline-passed"}


def test_deadline_passed_is_a_warning_said_once_for_the_batch(root: Path) -> None:
    report = run_check(open_workspace(root), jobs=1, today=dt.date(2024, 7, 20))
    assert [(f.code, f.severity) for f in report.notice_findings] == [
        ("deadline-passed", "warning"),
        ("deadline-passed", "warning"),
    ]
    assert report.dossiers[0].findings == []
    assert report.warning_count == 2 and report.ok
    first, second = report.notice_findings
    assert "2024年6月30日" in first.message and "2024年7月15日" in second.message
    later = run_check(open_workspace(root), jobs=1, today=dt.date(2024, 7, 10))
    assert [f.message[:4] for f in later.notice_findings] == ["网上申报"]


def test_exceptional_when_not_needed_is_information(root: Path) -> None:
    set_fields(root, exceptional=True)
    put(root, "05-破格材料/专家推荐.pdf", text_pdf([["专家推荐意见"]]))
    assert [(f.code, f.severity) for f in check(root)] == [("exceptional-not-needed", "info")]


def test_exceptional_path_needs_its_material_then_passes(root: Path) -> None:
    set_fields(root, exceptional=True, current_title_date="2022-01-01")
    assert flatten(check(root)) == [("material-missing", "exceptional-proof", None)]
    put(root, "05-破格材料/专家推荐.pdf", text_pdf([["专家推荐意见"]]))
    assert flatten(check(root)) == []


def test_freelancer_needs_no_labour_contract(root: Path) -> None:
    shutil.rmtree(dossier(root) / "03-劳动合同")
    assert flatten(check(root)) == [("material-missing", "labour-contract", None)]
    set_fields(root, freelancer=True)
    assert flatten(check(root)) == []


def test_waived_social_insurance(root: Path) -> None:
    set_fields(root, social_insurance_months=0, education="博士研究生", degree="博士")
    codes = [f.code for f in check(root)]
    assert "social-insurance-short" not in codes


def test_folder_variants_and_patterns_are_accepted(root: Path) -> None:
    (dossier(root) / "02-身份证").rename(dossier(root) / "02 居民身份证")
    (dossier(root) / "03-劳动合同").rename(dossier(root) / "03-合同")
    (dossier(root) / "04-业绩成果").rename(dossier(root) / "04业绩")  # no separator
    (dossier(root) / "05-破格材料").rename(dossier(root) / "5、破格")
    assert flatten(check(root)) == []
    shutil.rmtree(dossier(root) / "02 居民身份证")
    put(root, "身份证正反面.JPG", scan_jpeg((1240, 1754), seed=7))
    assert flatten(check(root)) == []


def test_system_files_are_ignored(root: Path) -> None:
    for name in (
        "Thumbs.db",
        "desktop.ini",
        ".DS_Store",
        "04-业绩成果/~$报告.docx",
        "__MACOSX/x.jpg",
    ):
        put(root, name, b"junk")
    assert flatten(check(root)) == []


def test_rotation_and_landscape_a4_are_a4(root: Path) -> None:
    put(root, "04-业绩成果/3-横向.pdf", rotated_pdf(90))
    put(
        root,
        "04-业绩成果/4-横向.pdf",
        text_pdf([["横向"]], [(PAGE_SIZES["A4"][1], PAGE_SIZES["A4"][0])]),
    )
    assert flatten(check(root)) == []


def test_classified_message_names_marking_and_pages(root: Path) -> None:
    put(root, "04-业绩成果/3-报告.pdf", text_pdf([["机密★"], ["无"], ["机密 ★5年"]]))
    (finding,) = check(root)
    assert "机密★" in finding.message and "第 1、3 页" in finding.message


def test_eligibility_message_names_the_closest_rule(root: Path) -> None:
    set_fields(root, current_title_date="2021-01-01")
    (finding,) = check(root)
    assert "本科或大专，取得助理工程师后满4年" in finding.message
    assert "35 个月" in finding.message and "还差 13 个月" in finding.message
    assert "exceptional" in finding.hint


def test_publicity_hint_gives_the_last_day(root: Path) -> None:
    set_fields(root, publicity_start="2024-04-28", publicity_end="2024-05-06")
    # 4-28 (Sun, worked in lieu), 4-29, 4-30, then the 5-1..5-5 holiday, 5-6: 4 working days.
    (finding,) = check(root)
    assert "只有 4 个工作日" in finding.message
    assert "2024年5月7日" in finding.hint


def test_link_outside_the_dossier_is_not_followed(root: Path, tmp_path: Path) -> None:
    secret = tmp_path / "outside.pdf"
    secret.write_bytes(text_pdf([["秘密★"]]))
    link = dossier(root) / "04-业绩成果" / "3-链接.pdf"
    try:
        link.symlink_to(secret)
    except (OSError, NotImplementedError):
        pytest.skip("symbolic links are not available here")
    assert flatten(check(root)) == [("file-link-outside", "achievements", None)]


def test_missing_and_broken_applicant_file(root: Path) -> None:
    path = dossier(root) / "applicant.toml"
    path.write_text('name = "张三\n', "utf-8")
    assert flatten(check(root)) == [("applicant-file-invalid", None, None)]
    path.unlink()
    assert flatten(check(root)) == [("applicant-file-missing", None, None)]


def test_pathological_pdf_becomes_a_timeout_finding(root: Path) -> None:
    put(root, "04-业绩成果/3-超长.pdf", many_pages_pdf(3000))
    findings = check(root, file_time_limit=0.05)
    assert [(f.code, f.severity) for f in findings] == [("file-check-timeout", "error")]
    assert "超过 0.05 秒" in findings[0].message


def test_a_broken_check_is_reported_and_the_others_still_run(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zcprep.check as check_package

    def broken(context: object) -> list:
        raise RuntimeError("boom")

    set_fields(root, remarks=None)
    monkeypatch.setattr(check_package, "CHECKS", (broken, *check_package.CHECKS))
    codes = [f.code for f in check(root)]
    assert codes == ["check-failed", "applicant-field-missing"]


# --- whole workspace ---------------------------------------------------------------


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """Nine dossiers (enough for the parallel path): eight right, one with a shared file."""
    workspace = tmp_path / "batch"
    write_notice(workspace)
    for index in range(9):
        right_dossier(workspace, f"申报人{index}", seed=index)
    shared = (workspace / "dossiers/申报人0/04-业绩成果/1-项目验收报告.pdf").read_bytes()
    (workspace / "dossiers/申报人8/04-业绩成果/1-项目验收报告.pdf").write_bytes(shared)
    return workspace


def test_same_file_in_two_dossiers_is_a_warning_in_both(batch: Path) -> None:
    report = run_check(open_workspace(batch), jobs=1, today=TODAY)
    flagged = {
        d.applicant: [(f.code, f.severity, f.file) for f in d.findings]
        for d in report.dossiers
        if d.findings
    }
    assert flagged == {
        "申报人0": [
            (
                "duplicate-across-dossiers",
                "warning",
                "dossiers/申报人0/04-业绩成果/1-项目验收报告.pdf",
            )
        ],
        "申报人8": [
            (
                "duplicate-across-dossiers",
                "warning",
                "dossiers/申报人8/04-业绩成果/1-项目验收报告.pdf",
            )
        ],
    }
    assert report.ok


def test_parallel_equals_serial_and_keeps_order(batch: Path) -> None:
    ws = open_workspace(batch)
    calls: list[tuple[int, int]] = []
    serial = run_check(ws, jobs=1, today=TODAY)
    parallel = run_check(ws, today=TODAY, progress=lambda done, total: calls.append((done, total)))
    assert parallel.to_dict() == serial.to_dict()
    assert [d.applicant for d in parallel.dossiers] == [f"申报人{i}" for i in range(9)]
    assert calls == [(i, 9) for i in range(1, 10)]


def test_named_dossiers_in_the_order_given(batch: Path) -> None:
    report = run_check(open_workspace(batch), ["申报人3", "申报人1"], today=TODAY)
    assert [d.path for d in report.dossiers] == ["dossiers/申报人3", "dossiers/申报人1"]


def test_check_changes_no_byte(root: Path) -> None:
    for name, plant, _ in CASES:
        if name not in ("material-missing", "file-empty"):  # those remove or add nothing readable
            with contextlib.suppress(FileExistsError):
                plant(root)
    before = tree_hashes(root)
    entries = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    run_check(open_workspace(root), today=TODAY)
    assert tree_hashes(root) == before
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == entries


def test_workspace_object_is_untouched(root: Path) -> None:
    ws: Workspace = open_workspace(root)
    notice_before = ws.notice.model_dump()
    run_check(ws, today=TODAY)
    assert ws.notice.model_dump() == notice_before


def test_repaired_pdf_is_a_warning_not_an_error(root: Path) -> None:
    data = text_pdf([["修复"], ["b"]])
    index = data.rindex(b"startxref")
    put(root, "04-业绩成果/3-修复.pdf", data[:index] + b"startxref\n123\n%%EOF\n")
    findings = check(root)
    assert [(f.code, f.severity, f.material) for f in findings] == [
        ("file-repaired", "warning", "achievements")
    ]
    assert "已自动修复" in findings[0].message


def test_gbk_applicant_file_is_read_with_a_note(root: Path) -> None:
    path = dossier(root) / "applicant.toml"
    path.write_bytes(path.read_text("utf-8").encode("gb18030"))
    assert [(f.code, f.severity) for f in check(root)] == [("applicant-file-note", "info")]


def test_notice_without_unit_publicity(root: Path) -> None:
    config = root / "zcprep.toml"
    config.write_text(
        config.read_text("utf-8").replace("[publicity]\n", "[publicity]\nrequired = false\n"),
        "utf-8",
    )
    set_fields(root, publicity_start="无", publicity_end="无")
    assert flatten(check(root)) == []


def test_huge_file_is_not_loaded(root: Path) -> None:
    path = dossier(root) / "04-业绩成果" / "3-录像.pdf"
    with path.open("wb") as handle:  # sparse: takes no disk space
        handle.write(b"%PDF-1.4\n")
        handle.truncate(300 * 1024 * 1024)
    findings = check(root)
    assert [(f.code, f.severity) for f in findings] == [("file-check-skipped", "warning")]
    assert "300.0 MB" in findings[0].message


def test_calendar_override_in_the_config_counts_an_unknown_year(root: Path) -> None:
    """2090 is unknown to chinesecalendar: with the officer's [calendar] table the count
    follows it (a holiday on 05-04 makes 05-01..05-05 four working days) and is verified."""
    set_fields(root, publicity_start="2090-05-01", publicity_end="2090-05-07")
    config = root / "zcprep.toml"
    text = config.read_text("utf-8")
    config.write_text(text + "\n[calendar]\nholidays = [2090-05-04]\nyears = [2090]\n", "utf-8")
    # 2090-05-01 is a Monday: Mon..Fri minus the 4th, then Mon 05-08 is outside the period
    assert flatten(check(root)) == [("publicity-too-short", None, None)]
    config.write_text(text + "\n[calendar]\nworkdays = [2090-05-06]\nyears = [2090]\n", "utf-8")
    assert flatten(check(root)) == []


# --- one yes/no reading; 出生年月 from the ID; Chinese dates in messages ----------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("1", True),
        ("0", False),
        ("是", True),
        ("否", False),
        ("true", True),
        (" False ", False),
        ("TRUE", True),
        ("也许", None),
        (2, None),
        (1.0, None),
        ("", None),
        (None, None),
    ],
)
def test_parse_flag(written: object, expected: bool | None) -> None:
    from zcprep.model.applicant import parse_flag

    assert parse_flag(written) is expected


@pytest.mark.parametrize("written", [True, 1, "1", "是", "True"])
def test_freelancer_yes_in_any_form_omits_the_labour_contract(root: Path, written: object) -> None:
    shutil.rmtree(dossier(root) / "03-劳动合同")
    set_fields(root, freelancer=written)
    assert flatten(check(root)) == []


@pytest.mark.parametrize("written", ["也许", 2, "yes"])
def test_a_yes_no_value_that_is_neither_names_the_accepted_forms(
    root: Path, written: object
) -> None:
    set_fields(root, freelancer=written)
    findings = check(root)
    assert flatten(findings) == [("applicant-field-invalid", None, None)]
    assert "true 或 false（也可写 是/否、1/0）" in findings[0].message


@pytest.mark.parametrize("blank", [None, ""])
def test_birth_date_left_out_is_read_from_a_valid_id(root: Path, blank: str | None) -> None:
    set_fields(root, birth_date=blank)  # None: the key is not written at all
    findings = check(root)
    assert [(f.code, f.severity) for f in findings] == [("birth-date-derived", "info")]
    assert "1990年3月" in findings[0].message


def test_birth_date_left_out_with_a_wrong_id_stays_an_error(root: Path) -> None:
    good = str(right_applicant()["id_number"])
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    set_fields(root, birth_date=None, id_number=wrong)
    codes = {f.code for f in check(root) if f.severity == "error"}
    assert codes == {"applicant-field-missing", "id-number-invalid"}


def test_dates_in_messages_are_written_in_chinese(root: Path) -> None:
    import re

    set_fields(root, specialty_start_date="2099-07-15", birth_date="1990-04-07")
    messages = [f.message for f in check(root)]
    assert any("“从事本专业技术工作时间”2099年7月15日 晚于今天" in m for m in messages)
    assert any("与身份证号中的出生日期 1990年3月7日 不一致" in m for m in messages)
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", m) for m in messages if "2099" in m)
