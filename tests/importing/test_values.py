"""The pure pieces of import: header words, one cell's value, TOML text that reads back,
and the cases of the officer's sheet that sit between them (UTF-16 text, columns the
sheet lacks, Excel's day numbers)."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from import_helpers import applicant_data, complete_row, fill_template, fresh_workspace

from zcprep.importing import Target, import_table, normalize, sheet_columns, write_template
from zcprep.importing.text import toml_string, toml_value
from zcprep.importing.values import CellRefused, convert


def column(notice: object, key: str) -> object:
    return next(c for c in sheet_columns(notice) if c.target == Target(key))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("written", "label"),
    [
        ("＊ 身份证号（必填）", "身份证号"),
        ("身份证号*", "身份证号"),
        ("【必填】姓　名", "姓名"),
        ("出生年月:", "出生年月"),
        ("是否专精特新／单项冠军企业", "是否专精特新/单项冠军企业"),
        ("ID_Number", "id_number"),
    ],
)
def test_headers_match_ignoring_marks_spaces_and_punctuation(written: str, label: str) -> None:
    assert normalize(written) == normalize(label)


@given(st.text())
def test_toml_strings_read_back_exactly(text: str) -> None:
    expected = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    assert tomllib.loads(f"v = {toml_string(text)}")["v"] == expected


@given(
    st.one_of(
        st.booleans(),
        st.integers(min_value=-(2**63), max_value=2**63 - 1),
        st.floats(allow_nan=False),
        st.dates(),
        st.lists(st.integers(min_value=0, max_value=10**6), max_size=4),
        st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
    )
)
def test_any_carried_value_is_written_back_unchanged(value: object) -> None:
    assert tomllib.loads(f"v = {toml_value(value)}")["v"] == value


def test_cells_are_taken_as_typed(tmp_path: Path) -> None:
    notice = fresh_workspace(tmp_path).notice
    phone, months = column(notice, "phone"), column(notice, "birth_date")
    flag = column(notice, "exceptional")
    assert convert(phone, 13800000001) == ("13800000001", None)
    landline, note = convert(phone, 51312345678)
    assert landline == "51312345678" and note is not None and "开头的 0" in note
    assert convert(phone, "'0513-12345678") == ("0513-12345678", None)
    assert convert(months, "2012.7") == ("2012.7", None)
    assert convert(months, 2012.7) == ("2012.7", None)  # a number shown as 2012.7
    assert convert(months, dt.datetime(2012, 7, 1)) == (dt.date(2012, 7, 1), None)
    day, note = convert(months, 41091)  # a date cell that lost its format
    assert day == dt.date(2012, 7, 1) and note is not None and "核对" in note
    with pytest.raises(CellRefused, match="1 月还是 10 月"):
        convert(months, 2012.1)
    for typed, expected in (("是", True), ("否", False), ("TRUE", True), (0, False), (True, True)):
        assert convert(flag, typed) == (expected, None)
    assert convert(flag, "√") == ("√", None)  # left to check to report
    assert convert(flag, "  ") == (None, None)


def test_ids_are_strings_or_refused(tmp_path: Path) -> None:
    id_column = column(fresh_workspace(tmp_path).notice, "id_number")
    assert convert(id_column, "32068419920708101x") == ("32068419920708101x", None)
    assert convert(id_column, " 320684 19920708 1019 ") == ("320684 19920708 1019", None)
    for spoilt in (3.2060219880315e17, 320602198803150000, "3.2060219880315E+17", "3.20602e+17"):
        with pytest.raises(CellRefused, match="丢失"):
            convert(id_column, spoilt)


def test_whole_numbers_and_hours(tmp_path: Path) -> None:
    notice = fresh_workspace(tmp_path, "sichuan-2022").notice
    months = column(notice, "social_insurance_months")
    assert convert(months, "120") == (120, None)
    assert convert(months, 120.0) == (120, None)
    assert convert(months, "１２０") == (120, None)  # full-width digits
    assert convert(months, "十二") == ("十二", None)


def test_utf16_tab_separated_text_from_excel(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path)
    text = "姓名\t性别\t学历\r\n张三\t男\t本科\r\n"
    path = tmp_path / "Unicode 文本.txt"
    path.write_bytes(text.encode("utf-16"))
    (row,) = import_table(ws, path).rows
    assert row.status == "新建"
    assert applicant_data(ws, "张三")["education"] == "本科"


def test_fields_the_sheet_lacks_keep_what_applicant_toml_holds(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path)
    path = tmp_path / "表.xlsx"
    write_template(ws, path)
    fill_template(path, ws.notice, [complete_row(ws.notice, "张三")])
    import_table(ws, path)
    before = applicant_data(ws, "张三")

    phones = tmp_path / "电话.csv"
    phones.write_bytes("姓名,联系电话\r\n张三,13800000001\r\n".encode())
    assert [r.status for r in import_table(ws, phones).rows] == ["未改动"]
    phones.write_bytes("姓名,联系电话\r\n张三,13900000000\r\n".encode())
    (kept,) = import_table(ws, phones).rows
    assert kept.status == "保留原文件" and "不同的栏目：联系电话）" in kept.detail
    (updated,) = import_table(ws, phones, force=True).rows
    assert updated.status == "更新"
    after = applicant_data(ws, "张三")
    assert after == {**before, "phone": "13900000000"}


def test_excel_booleans_numbers_and_blank_rows_in_a_plain_sheet(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path, "xinjiang-2021")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "继续教育免试", "2021年公需学时", "2021年专业学时", "聘任时间"])
    sheet.append([])
    sheet.append(["张三", True, "无", "无", "2018.7"])
    sheet.append([None, None, None, None, None])
    sheet.append(["李四", False, 30.0, 60.5, dt.datetime(2018, 7, 1)])
    path = tmp_path / "新疆.xlsx"
    book.save(path)
    result = import_table(ws, path)
    assert [(r.row, r.status) for r in result.rows] == [(3, "新建"), (5, "新建")]
    zhang, li = applicant_data(ws, "张三"), applicant_data(ws, "李四")
    assert zhang["ce_exempt"] is True and zhang["continuing_education"] == "无"
    assert zhang["appointment_date"] == "2018.7"
    assert li["continuing_education"] == [
        {"year": 2021, "public_hours": 30, "professional_hours": 60.5}
    ]
    assert li["appointment_date"] == dt.date(2018, 7, 1)
