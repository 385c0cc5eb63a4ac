"""zcprep import --template: the blank sheet of each preset, read back with openpyxl."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from import_helpers import fresh_workspace

from zcprep.cli import main
from zcprep.errors import UsageError
from zcprep.importing import (
    DATA_SHEET,
    NOTES_SHEET,
    import_table,
    sheet_columns,
    write_template,
)
from zcprep.model.workspace import open_workspace
from zcprep.roster import DATE_FORMAT

PRESETS = ["nantong-2023", "qingdao-2024", "shandong-2022", "sichuan-2022", "xinjiang-2021"]


def validations(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, str]:
    """Column letter → the list a drop-down offers."""
    found = {}
    for validation in ws.data_validations.dataValidation:
        assert validation.type == "list"
        for cell_range in validation.sqref.ranges:
            letter = cell_range.coord.split(":")[0].rstrip("0123456789")
            assert cell_range.min_row == 2 and cell_range.max_row >= 500
            found[letter] = validation.formula1
    return found


def test_nantong_template_headers_formats_and_drop_downs(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path)
    path = tmp_path / "申报人信息.xlsx"
    result = write_template(ws, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [DATA_SHEET, NOTES_SHEET]
    sheet = book[DATA_SHEET]
    headers = [cell.value for cell in sheet[1]]

    # The labels zcprep new writes, in declared order, required ones marked.
    declared = ws.notice.applicant.declared()
    labels = [spec.label for spec, _ in declared if spec.kind not in ("hours", "education")]
    plain = [h.lstrip("*") for h in headers]
    assert [h for h in plain if h in labels] == labels
    required = {spec.label for spec, req in declared if req}
    for header in headers:
        label = header.lstrip("*")
        if label in labels:
            assert header.startswith("*") == (label in required), header
    # Continuing education: one pair per counted year; one earlier education.
    assert "*2022年公需学时" in headers and "*2022年专业学时" in headers
    assert headers.index("*2022年专业学时") == headers.index("*2022年公需学时") + 1
    assert {"此前学历", "此前学位", "此前学历毕业时间"} <= set(headers)
    assert result.hours_years == [2022] and result.earlier

    letter = {h.lstrip("*"): cell.column_letter for h, cell in zip(headers, sheet[1], strict=True)}
    formats = {label: sheet.column_dimensions[col].number_format for label, col in letter.items()}
    assert formats["身份证号"] == "@" and formats["联系电话"] == "@"
    assert formats["出生年月"] == "@"  # a month field keeps what was typed
    assert formats["公示开始日期"] == DATE_FORMAT

    lists = validations(sheet)
    assert lists[letter["性别"]] == '"男,女"'
    assert lists[letter["学历"]] == '"中专,大专,本科,硕士研究生,博士研究生"'
    assert lists[letter["学位"]] == '"无,学士,第二学士,硕士,博士"'
    assert lists[letter["申报级别"]] == '"中级,初级"'
    assert lists[letter["是否破格"]] == '"是,否"'
    assert lists[letter["此前学历"]] == lists[letter["学历"]]
    assert "姓名" not in {h for h, col in letter.items() if col in lists}

    # Print-ready like the roster.
    assert sheet.freeze_panes == "B2"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.print_options.gridLines
    # Rows are still to come: each sheet numbers its own pages, without a total.
    assert sheet.oddFooter.center.text == "第 &P 页"
    assert sheet.page_setup.useFirstPageNumber and int(sheet.page_setup.firstPageNumber) == 1
    widths = {label: sheet.column_dimensions[col].width for label, col in letter.items()}
    assert widths["从事本专业技术工作时间"] > widths["性别"]
    assert widths["身份证号"] >= 18
    # Each header says how to fill it in.
    comment = sheet[f"{letter['身份证号']}1"].comment.text
    assert comment.startswith("可不填") and "文本" in comment


def test_notes_sheet_lists_every_column(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path, "xinjiang-2021")
    path = tmp_path / "表.xlsx"
    write_template(ws, path)
    notes = openpyxl.load_workbook(path)[NOTES_SHEET]
    rows = [row for row in notes.iter_rows(values_only=True) if row[0]]
    text = "\n".join(str(row[0]) for row in rows)
    assert "不得留空" in text  # Xinjiang's 无 rule
    assert "[[earlier_education]]" in text
    table = {row[1]: row for row in rows if row[2] in ("必填", "可不填") and row[0] != "列"}
    columns = sheet_columns(ws.notice)
    assert list(table) == [c.marked_header for c in columns]
    assert table["*姓名"][2] == "必填"
    assert table["聘任时间"][2] == "可不填"  # a custom month field of the notice
    assert "文本格式" in table["聘任时间"][3]
    assert "true" not in str(table["继续教育免试"][4])  # said as 是/否 in a sheet


def test_custom_choice_fields_get_their_drop_down(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path, "shandong-2022")
    path = tmp_path / "表.xlsx"
    write_template(ws, path)
    sheet = openpyxl.load_workbook(path)[DATA_SHEET]
    letter = {str(c.value).lstrip("*"): c.column_letter for c in sheet[1]}
    lists = validations(sheet)
    assert lists[letter["委托评审"]] == '"无,市级委托,外省委托,中央驻鲁单位"'
    assert lists[letter["申报级别"]] == '"正高级,副高级"'


@pytest.mark.parametrize("preset", PRESETS)
def test_every_template_reads_back_without_a_warning(preset: str, tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path, preset)
    path = tmp_path / "表.xlsx"
    write_template(ws, path)
    result = import_table(ws, path)
    assert result.rows == [] and result.warnings == []
    assert result.header_rows == (1, 1)
    assert not list(ws.dossiers_dir.iterdir())


def test_existing_file_needs_force_and_wrong_suffix_is_refused(tmp_path: Path) -> None:
    ws = fresh_workspace(tmp_path)
    path = tmp_path / "表.xlsx"
    path.write_bytes(b"mine")
    with pytest.raises(UsageError, match="已存在"):
        write_template(ws, path)
    assert path.read_bytes() == b"mine"
    write_template(ws, path, force=True)
    assert openpyxl.load_workbook(path).sheetnames[0] == DATA_SHEET
    with pytest.raises(UsageError, match=r"\.xlsx"):
        write_template(ws, tmp_path / "表.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["工作区", "表.xlsx"]  # no .part left


def test_cli_writes_the_template_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = fresh_workspace(tmp_path)
    path = tmp_path / "申报人信息.xlsx"
    args = ["import", "--template", str(path), "-w", str(ws.root)]
    assert main(args) == 0
    assert "必填" in capsys.readouterr().err
    assert main(args) == 2
    assert "已存在" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0
    assert main(["import", "-w", str(ws.root)]) == 2  # neither a table nor --template


def test_a_long_choice_list_is_kept_on_a_hidden_sheet(tmp_path: Path) -> None:
    """Excel allows 255 characters in a list written into the validation; a longer one
    (or a choice holding a comma) is referred to on the hidden 选项 sheet."""
    ws = fresh_workspace(tmp_path)
    choices = [f"第{i}类单位（含下属分支机构、派出机构, 及其他）" for i in range(12)]
    quoted = ", ".join(f'"{choice}"' for choice in choices)
    with ws.config_path.open("a", encoding="utf-8") as config:
        config.write(
            f'\n[[applicant.custom]]\nkey = "unit_type"\nlabel = "单位类型"\nkind = "choice"\n'
            f"choices = [{quoted}]\n"
        )
    ws = open_workspace(ws.root)
    path = tmp_path / "表.xlsx"
    write_template(ws, path)
    book = openpyxl.load_workbook(path)
    assert book["选项"].sheet_state == "hidden"
    sheet = book[DATA_SHEET]
    letter = next(c.column_letter for c in sheet[1] if c.value == "单位类型")
    formula = validations(sheet)[letter]
    assert formula == f"'选项'!${letter}$1:${letter}$12"
    assert [book["选项"][f"{letter}{n}"].value for n in range(1, 13)] == choices
    assert import_table(ws, path).warnings == []
