"""zcprep import: real sheets (the template filled with openpyxl, sheets an officer made,
CSV bytes in GBK and UTF-8) in, applicant.toml files read back with tomllib, and
``zcprep check`` run on what was written."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from import_helpers import (
    FIELD_ERRORS,
    applicant_data,
    complete_row,
    csv_bytes,
    fill_template,
    fresh_workspace,
    id_ending_in_x,
    make_id,
)

from zcprep.check import run_check
from zcprep.cli import main
from zcprep.importing import Target, import_table, sheet_columns, write_template
from zcprep.model.workspace import new_dossier

TODAY = dt.date(2023, 6, 1)


def flat(text: str) -> str:
    """A rich table's text without borders and wrapping."""
    return re.sub(r"[\s│┃┆║|━─┏┓┗┛┡┩└┘┣┫╇╈┳┻╋┼┬┴├┤]+", "", text)


@pytest.mark.parametrize("preset", ["nantong-2023", "qingdao-2024"])
def test_template_filled_imported_checked_and_reimported(preset: str, tmp_path: Path) -> None:
    """The issue's done-when: three rows as a person types them, three dossiers."""
    ws = fresh_workspace(tmp_path, preset)
    path = tmp_path / "申报人信息.xlsx"
    write_template(ws, path)
    notice = ws.notice
    lowercase_x = id_ending_in_x()
    rows = [
        complete_row(notice, "张三", graduation_date=dt.datetime(2012, 7, 1)),  # an Excel date
        complete_row(notice, "李四", graduation_date="2012.7", phone="13800000002"),
        complete_row(notice, "王五", id_number=lowercase_x, phone="13800000003"),
    ]
    fill_template(path, notice, rows)

    result = import_table(ws, path)
    assert [(r.row, r.name, r.status) for r in result.rows] == [
        (2, "张三", "新建"),
        (3, "李四", "新建"),
        (4, "王五", "新建"),
    ]
    assert result.exit_code == 0 and result.warnings == []
    zhang, li, wang = (applicant_data(ws, n) for n in ("张三", "李四", "王五"))
    assert zhang["graduation_date"] == dt.date(2012, 7, 1)
    assert li["graduation_date"] == "2012.7"
    assert wang["id_number"] == lowercase_x  # kept as typed; check compares upper-case
    assert zhang["id_number"] == make_id("32060219900307123")
    assert zhang["phone"] == "13800000001" and zhang["birth_date"] == "1990.3"
    assert zhang["exceptional"] is False and zhang["publicity_start"] == dt.date(2023, 5, 8)
    years = notice.continuing_education_years()
    assert zhang["continuing_education"] == [
        {"year": year, "public_hours": 30, "professional_hours": 62} for year in years
    ]
    text = (ws.dossiers_dir / "张三" / "applicant.toml").read_text("utf-8")
    assert (
        text.startswith("# 张三 的申报信息")
        and "“申报人信息.xlsx”工作表“申报人信息”第 2 行" in text
    )
    # Made as zcprep new makes a dossier: one folder per material.
    folders = {p.name for p in (ws.dossiers_dir / "张三").iterdir() if p.is_dir()}
    assert folders == {m.folder for m in notice.checklist if not m.not_accepted}

    report = run_check(ws, today=TODAY)
    field_errors = [
        (d.applicant, f.code, f.message)
        for d in report.dossiers
        for f in d.findings
        if f.code in FIELD_ERRORS or f.code == "id-number-invalid"
    ]
    assert field_errors == []

    # Unchanged → left alone; an edited file is kept without --force.
    assert {r.status for r in import_table(ws, path).rows} == {"未改动"}
    edited = ws.dossiers_dir / "李四" / "applicant.toml"
    mine = edited.read_text("utf-8").replace('"13800000002"', '"13900000009"')
    edited.write_text(mine, "utf-8")
    again = import_table(ws, path)
    assert [r.status for r in again.rows] == ["未改动", "保留原文件", "未改动"]
    assert "联系电话" in again.rows[1].detail and "--force" in again.rows[1].hint
    assert again.exit_code == 0
    assert edited.read_text("utf-8") == mine

    forced = import_table(ws, path, force=True)
    assert [r.status for r in forced.rows] == ["未改动", "更新", "未改动"]
    backup = ws.out_dir / "备份" / "李四" / "applicant.toml.bak"
    assert forced.rows[1].backup == backup
    assert backup.read_text("utf-8") == mine
    assert applicant_data(ws, "李四")["phone"] == "13800000002"
    assert not list((ws.dossiers_dir / "李四").glob("*.bak*"))


def test_a_blank_template_from_new_is_filled_in(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path)
    new_dossier(ws, "张三")
    path = tmp_path / "表.xlsx"
    write_template(ws, path)
    fill_template(path, ws.notice, [complete_row(ws.notice, "张三")])
    (row,) = import_table(ws, path).rows
    assert row.status == "更新" and "空白模板" in row.detail
    assert applicant_data(ws, "张三")["employer"] == "南通测试网络科技有限公司"
    assert not (ws.out_dir / "备份").exists()


def test_an_id_excel_made_a_number_is_refused_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = fresh_workspace(tmp_path, "qingdao-2024")
    path = tmp_path / "表.xlsx"
    write_template(ws, path)
    notice = ws.notice
    rows = [
        complete_row(notice, "张三"),
        complete_row(notice, "李四", id_number=3.2060219880315e17),
        complete_row(notice, "王五", id_number="3.20602E+17"),
        complete_row(notice, "赵六", graduation_date=2012.1),  # 2012.10 typed as a number
    ]
    fill_template(path, notice, rows)
    column = next(
        c.column_letter
        for c in openpyxl.load_workbook(path).worksheets[0][1]
        if c.value.lstrip("*") == "身份证号"
    )
    result = import_table(ws, path)
    assert [r.status for r in result.rows] == ["新建", "拒绝", "拒绝", "拒绝"]
    assert result.exit_code == 1
    li = result.rows[1].reason
    assert li.startswith(f"工作表“申报人信息”第 3 行 {column} 列：身份证号是“")
    assert "被 Excel 存成了数字" in li
    assert "丢失" in li and "文本" in result.rows[1].hints[0]
    assert f"第 4 行 {column} 列" in result.rows[2].reason
    assert "分不清是 1 月还是 10 月" in result.rows[3].reason
    assert sorted(p.name for p in ws.dossiers_dir.iterdir()) == ["张三"]

    assert main(["import", str(path), "-w", str(ws.root)]) == 1
    shown = flat(capsys.readouterr().out)
    assert f"第3行{column}列：身份证号是“" in shown and "被Excel存成了数字" in shown
    quoted = li.split("“")[2].split("”")[0]  # the number as the message quotes it
    assert quoted not in shown, "the screen shows the number whole"
    assert "拒绝" in shown and "未改动" in shown


def test_gbk_csv_as_chinese_excel_saves_it(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path)
    columns = sheet_columns(ws.notice)
    rows = [complete_row(ws.notice, "张三", exceptional="是", specialty_start_date="2012年7月")]
    path = tmp_path / "申报人.csv"
    path.write_bytes(csv_bytes(columns, rows, "gbk"))
    result = import_table(ws, path)
    assert [(r.status, r.name) for r in result.rows] == [("新建", "张三")]
    assert any("GBK" in w for w in result.warnings)
    data = applicant_data(ws, "张三")
    assert data["graduation_date"] == "2012/7/1"  # CSV holds text: kept as Excel showed it
    assert data["specialty_start_date"] == "2012年7月"
    assert data["exceptional"] is True
    assert data["continuing_education"] == [
        {"year": 2022, "public_hours": 30, "professional_hours": 62}
    ]
    text = (ws.dossiers_dir / "张三" / "applicant.toml").read_text("utf-8")
    assert "第 2 行导入" in text and "工作表" not in text.splitlines()[0]


def test_utf8_bom_csv_and_its_refusals_name_row_and_column(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path)
    columns = sheet_columns(ws.notice)
    rows = [
        complete_row(ws.notice, "张三"),
        complete_row(ws.notice, "李四", id_number="3.20602E+17"),
    ]
    path = tmp_path / "申报人.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_bytes(columns, rows, "utf-8"))
    result = import_table(ws, path)
    assert [r.status for r in result.rows] == ["新建", "拒绝"]
    assert result.rows[1].reason.startswith("第 3 行 C 列：身份证号是“3.20602E+17”")
    assert applicant_data(ws, "张三")["name"] == "张三"  # the BOM is not part of 姓名's header


def test_a_sheet_with_a_title_row_and_merged_header_cells(tmp_path: Path) -> None:
    """An officer's own sheet: a title, 姓名 merged over two header rows, 2022年 merged
    over its two hours columns, headers written her way, a signature line below."""
    ws = fresh_workspace(tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "2023年申报"
    sheet["A1"] = "某某公司 2023 年职称申报人员信息表"
    sheet.merge_cells("A1:H1")
    top = ["序号", "姓  名", "性别", "身份证号码（必填）", "手机号", "2022年", None, "籍贯"]
    sub = [None, None, None, None, None, "公需学时", "专业学时", None]
    for column, (upper, lower) in enumerate(zip(top, sub, strict=True), start=1):
        sheet.cell(row=2, column=column, value=upper)
        sheet.cell(row=3, column=column, value=lower)
    for letter in "ABCDEH":
        sheet.merge_cells(f"{letter}2:{letter}3")
    sheet.merge_cells("F2:G2")
    sheet.append([1, "张 三", "男", make_id("32060219900307123"), 13800000001, 30, 60, "江苏"])
    sheet.append([2, "李四", "女", make_id("32060219920101122"), "139 1234 5678", 24, "", "江苏"])
    sheet.append([3])  # a numbered row nobody filled in
    sheet.append(["填表人：王五"])
    sheet.merge_cells("A7:H7")
    path = tmp_path / "自制.xlsx"
    book.save(path)

    result = import_table(ws, path)
    assert result.sheet == "2023年申报" and result.header_rows == (2, 3)
    assert [(r.row, r.name, r.status) for r in result.rows] == [
        (4, "张三", "新建"),
        (5, "李四", "新建"),
    ]
    zhang, li = applicant_data(ws, "张三"), applicant_data(ws, "李四")
    assert zhang["phone"] == "13800000001"  # a number cell, digits kept as text
    assert li["phone"] == "139 1234 5678"
    assert zhang["continuing_education"] == [
        {"year": 2022, "public_hours": 30, "professional_hours": 60}
    ]
    assert li["continuing_education"] == [
        {"year": 2022, "public_hours": 24, "professional_hours": ""}
    ]
    assert zhang["gender"] == "男" and li["gender"] == "女"
    assert any("姓名“张 三”中的空格已去掉" in n for n in result.rows[0].notes)
    unknown = [w for w in result.warnings if "籍贯" in w]
    assert len(unknown) == 1 and "H 列" in unknown[0]  # said once, not per row
    assert any("第 7 行" in w and "说明文字" in w for w in result.warnings)
    # Fields the sheet has no column for are left blank to fill in.
    assert zhang["employer"] == ""
    text = (ws.dossiers_dir / "张三" / "applicant.toml").read_text("utf-8")
    assert "表格中没有这一栏" in text


def test_two_rows_with_one_name_are_both_refused(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path)
    path = tmp_path / "表.xlsx"
    write_template(ws, path)
    notice = ws.notice
    rows = [
        complete_row(notice, "张三"),
        complete_row(notice, "李四"),
        complete_row(notice, "张三"),
    ]
    fill_template(path, notice, rows)
    result = import_table(ws, path)
    assert [(r.name, r.status) for r in result.rows] == [
        ("张三", "拒绝"),
        ("李四", "新建"),
        ("张三", "拒绝"),
    ]
    assert "第 2 行 A 列" in result.rows[0].reason and "第 2 行、第 4 行" in result.rows[0].reason
    assert "张三2" in result.rows[0].hints[0]
    assert not (ws.dossiers_dir / "张三").exists()


def test_bad_names_and_blank_names_are_refused_per_row(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path)
    path = tmp_path / "表.xlsx"
    write_template(ws, path)
    notice = ws.notice
    rows = [complete_row(notice, "a/b"), complete_row(notice, "张三")]
    rows.append({Target("gender"): "男"})
    fill_template(path, notice, rows)
    result = import_table(ws, path)
    assert [r.status for r in result.rows] == ["拒绝", "新建", "拒绝"]
    assert "Windows" in result.rows[0].reason
    assert "第 4 行 A 列：姓名是空的" in result.rows[2].reason


def test_header_words_are_matched_loosely(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["＊姓 名", "性别(必填)", "出生年月：", "是否破格【必填】", "2022 年度公需科目学时", "name"]
    )
    path = tmp_path / "表.xlsx"
    book.save(path)
    with pytest.raises(Exception, match="不知道用哪一列"):
        import_table(ws, path)
    sheet.delete_cols(6)
    sheet.append(["张三", "男", dt.datetime(1990, 3, 1), "TRUE", "30"])
    book.save(path)
    result = import_table(ws, path)
    (missing,) = result.warnings  # the notice's other required fields: said once
    assert missing.startswith("工作表“Sheet”中没有本通知必填的栏目：联系电话、工作单位、学历")
    assert "继续教育" not in missing and "姓名" not in missing
    data = applicant_data(ws, "张三")
    assert data["birth_date"] == dt.date(1990, 3, 1)  # a date cell for a month field stays a date
    assert data["exceptional"] is True
    assert data["continuing_education"] == [
        {"year": 2022, "public_hours": 30, "professional_hours": ""}
    ]


def test_the_file_itself_wrong_gives_exit_2_or_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = fresh_workspace(tmp_path)
    root = ["-w", str(ws.root)]
    no_name = tmp_path / "无姓名.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["性别", "学历"])
    book.save(no_name)
    assert main(["import", str(no_name), *root]) == 2
    assert "找不到“姓名”列" in capsys.readouterr().err

    assert main(["import", str(tmp_path / "没有这个文件.xlsx"), *root]) == 3
    pdf = tmp_path / "扫描件.xlsx"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    assert main(["import", str(pdf), *root]) == 2
    old = tmp_path / "旧表.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert main(["import", str(old), *root]) == 2
    assert "另存为" in capsys.readouterr().err
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04" + bytes(100))
    assert main(["import", str(broken), *root]) == 3
    binary = tmp_path / "乱码.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    assert main(["import", str(binary), *root]) == 2
    assert not list(ws.dossiers_dir.iterdir())


def test_a_notes_sheet_moved_first_and_sheet_option(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path)
    path = tmp_path / "表.xlsx"
    write_template(ws, path)
    fill_template(path, ws.notice, [complete_row(ws.notice, "张三")])
    book = openpyxl.load_workbook(path)
    book.move_sheet("填写说明", offset=-1)
    book.save(path)
    result = import_table(ws, path)
    assert [r.name for r in result.rows] == ["张三"] and result.warnings == []
    cover = book.create_sheet("封面", 0)
    cover["A1"] = "2023 年职称申报人员信息"
    book.save(path)
    result = import_table(ws, path)
    assert [r.status for r in result.rows] == ["未改动"]
    assert result.warnings == ["第一个工作表“封面”中没有“姓名”列，读取的是工作表“申报人信息”。"]
    assert [r.status for r in import_table(ws, path, sheet="3").rows] == ["未改动"]
    with pytest.raises(Exception, match="没有名为“别的”的工作表"):
        import_table(ws, path, sheet="别的")


# --- found in review ---------------------------------------------------------------------


def own_sheet(path: Path, rows: list[list[object]], formats: dict[str, str] | None = None) -> None:
    """A sheet an officer made herself: the given rows from A1, some cells formatted."""
    wb = openpyxl.Workbook()
    sheet = wb.active
    for row in rows:
        sheet.append(row)
    for coordinate, number_format in (formats or {}).items():
        sheet[coordinate].number_format = number_format
    wb.save(path)


def test_an_excel_date_shown_as_a_month_stays_a_month(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path)
    path = tmp_path / "表.xlsx"
    day = dt.datetime(2012, 7, 1)
    own_sheet(
        path,
        [["姓名", "毕业时间", "参加工作时间"], ["张三", day, day]],
        {"B2": 'yyyy"年"m"月"', "C2": "yyyy-mm-dd"},
    )
    import_table(ws, path)
    data = applicant_data(ws, "张三")
    assert data["graduation_date"] == "2012-07"  # Excel showed 2012年7月: no day invented
    assert data["work_start_date"] == dt.date(2012, 7, 1)


def test_total_rows_and_excel_errors_do_not_become_people(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path)
    path = tmp_path / "表.xlsx"
    own_sheet(
        path,
        [
            ["序号", "姓名", "工作单位"],
            [1, "张三", "#N/A"],
            [2, "李四", "某公司"],
            ["合计", "2人", None],
            [None, "以下空白", None],
        ],
    )
    result = import_table(ws, path)
    statuses = {r.name: r.status for r in result.rows}
    assert statuses == {"张三": "拒绝", "李四": "新建"}, result.rows
    refused = next(r for r in result.rows if r.name == "张三")
    assert "C 列" in str(refused.problems[0]) and "#N/A" in str(refused.problems[0])
    assert not (ws.dossiers_dir / "以下空白").exists() and not (ws.dossiers_dir / "2人").exists()


def test_a_bracketed_remark_after_a_header_is_read_through(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path)
    path = tmp_path / "表.xlsx"
    own_sheet(
        path,
        [
            ["姓名", "身份证号（18位）", "毕业时间（年月）", "现任职称"],
            ["张三", make_id("32060219900307123"), "2012.7", "助理工程师"],
        ],
    )
    result = import_table(ws, path)
    assert not [w for w in result.warnings if "不是本通知" in w], result.warnings
    data = applicant_data(ws, "张三")
    assert data["graduation_date"] == "2012.7" and data["current_title"] == "助理工程师"
