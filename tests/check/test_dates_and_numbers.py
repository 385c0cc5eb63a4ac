"""Dates as people write them, IDs and phones as people type them: read, kept as
given, counted without inventing a day, and printed in one form."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from check_helpers import right_applicant, right_dossier, toml_text, write_notice
from roster_helpers import base_applicant, configure, write_applicant
from zcprep.check import run_check
from zcprep.cli import main
from zcprep.model.applicant import Applicant
from zcprep.model.workspace import init_workspace, open_workspace
from zcprep.render.values import applicant_fields
from zcprep.roster import make_roster

TODAY = dt.date(2024, 5, 20)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    write_notice(root)
    right_dossier(root)
    return root


def rewrite(root: Path, **changes: object) -> None:
    data = right_applicant() | changes
    (root / "dossiers/张三/applicant.toml").write_text(toml_text(data), "utf-8")


def findings(root: Path) -> list:
    return run_check(open_workspace(root), jobs=1, today=TODAY).dossiers[0].findings


@pytest.mark.parametrize("written", ["2012.7", "2012-07", "2012年7月", "2012/7", "2012-07-01"])
def test_month_fields_accept_the_ways_people_write_them(root: Path, written: str) -> None:
    rewrite(root, graduation_date=written, work_start_date=written, specialty_start_date=written)
    assert findings(root) == []


def test_an_unreadable_month_quotes_what_was_typed_and_the_forms(root: Path) -> None:
    rewrite(root, graduation_date="2012.13")
    (bad,) = findings(root)
    assert bad.code == "applicant-field-invalid" and "“2012.13”" in bad.message
    assert "2012.7" in bad.hint and "2012年7月" in bad.hint


def test_months_from_a_month_only_date_run_from_its_last_day(root: Path) -> None:
    """初级: 本科 + 12 months from graduation to the 资历截止日 2023-12-31."""
    rewrite(
        root, level="初级", graduation_date="2022.12", current_title="无", current_title_date="无"
    )
    assert findings(root) == []
    rewrite(
        root, level="初级", graduation_date="2023.1", current_title="无", current_title_date="无"
    )
    (short,) = findings(root)
    assert short.code == "eligibility-not-met" and "11 个月" in short.message
    assert "只写到月的日期按该月最后一天起算" in short.message


def test_roster_shows_a_month_as_a_month_and_a_day_as_a_day(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    init_workspace("nantong-2023", ws)
    configure(ws, columns=[("name", "姓名"), ("graduation_date", "毕业时间"), ("phone", "电话")])
    write_applicant(ws, base_applicant("张三") | {"graduation_date": "2010.7"})
    write_applicant(ws, base_applicant("李四", rank=2) | {"graduation_date": dt.date(2010, 7, 1)})
    path, *_ = make_roster(open_workspace(ws)).outputs
    sheet = openpyxl.load_workbook(path).active
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=4) if row[0].value}
    month, day = rows["张三"][1], rows["李四"][1]
    assert month.value == dt.datetime(2010, 7, 1) and "日" not in month.number_format
    assert day.value == dt.datetime(2010, 7, 1) and "日" in day.number_format


def test_forms_print_what_was_given() -> None:
    from zcprep.model.presets import load_preset

    notice = load_preset("nantong-2023").notice
    person = Applicant(
        folder=Path("张三"),
        data={
            "graduation_date": "2010.7",
            "work_start_date": dt.date(2010, 7, 15),
            "id_number": "11010519491231002x",
            "phone": "139 1234 5678",
        },
    )
    values, _, _ = applicant_fields(notice, person, "arabic")
    assert values["graduation_date"] == "2010年7月"
    assert values["work_start_date"] == "2010年7月15日"
    assert values["id_number"] == "11010519491231002X"
    assert values["phone"] == "13912345678"


def test_an_id_typed_in_groups_is_read_through_and_said_so(root: Path) -> None:
    number = str(right_applicant()["id_number"])
    rewrite(root, id_number=f"{number[:6]} {number[6:14]} {number[14:].lower()}")
    assert findings(root) == []
    rewrite(root, id_number=f"{number[:6]} {number[6:14]} {number[14:17]}")
    (short,) = findings(root)
    assert short.code == "id-number-invalid" and short.message.startswith("去掉空格和连字符后")
    assert "有 17 位" in short.message


def test_a_phone_that_is_no_phone_number_warns(root: Path) -> None:
    rewrite(root, phone="139 1234 5678")
    assert findings(root) == []
    rewrite(root, phone="12345")
    (bad,) = findings(root)
    assert (bad.code, bad.severity) == ("applicant-field-invalid", "warning")


def test_a_malformed_id_is_masked_on_screen(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    number = str(right_applicant()["id_number"])
    rewrite(root, id_number=number[:17])
    main(["check", "-w", str(root)])
    shown = capsys.readouterr().out.replace("\n", "").replace("│", "").replace(" ", "")
    assert number[:17] not in shown and number[:4] in shown


def test_hours_that_are_not_numbers_are_named_plainly(root: Path) -> None:
    data = right_applicant()
    text = toml_text(data, [{"year": 2023, "public_hours": 30, "professional_hours": 60}])
    text = text.replace("public_hours = 30", 'public_hours = "三十"')
    (root / "dossiers/张三/applicant.toml").write_text(text, "utf-8")
    bad = [f for f in findings(root) if f.code == "applicant-field-invalid"]
    assert [f.message for f in bad] == [
        "“继续教育”（continuing_education）第 1 段（2023 年）公需学时写的是“三十”，应为不小于 0 的数字。"
    ]
