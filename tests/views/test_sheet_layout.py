"""Sheets that print whole: every workbook zcprep writes, read back with openpyxl and held
to what a printed page needs.

Widths and heights are checked against a spreadsheet's drawing computed here, not by
zcprep's own model: Excel draws a width unit as 7 px (5.25 pt) and keeps 5 px of a cell
free; the cells are 11 pt, a CJK character 11 pt wide and a digit up to 7 pt (文泉驿).
A line fits when it does so in that drawing; a cell wraps by character, as LibreOffice
does. Page numbers: each sheet starts at 1 and says its own total; one test prints the
workbook with LibreOffice (when installed) and reads the footers off the PDF.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from roster_helpers import TODAY, UNIT, base_applicant, configure, write_applicant
from zcprep.cli import main
from zcprep.importing import NOTES_SHEET, write_template
from zcprep.model.workspace import init_workspace, open_workspace
from zcprep.roster import make_roster, print_units, wrap
from zcprep.roster.wrap import capacity

LINE_PT = 14.25
CLOSING = "）)》」』】〕”，。、；：！？"
CONTACT = "王五"
PHONE = "0513-85550000"


# --- a spreadsheet's drawing, computed independently ----------------------------------


def text_pt(text: str) -> float:
    return sum(11.0 if ord(ch) > 0x2E7F else 7.0 for ch in text)


def room_pt(width: float) -> float:
    return width * 5.25 - 3.75


def char_wrap(text: str, width: float) -> list[str]:
    """Lines as a spreadsheet wraps by character (explicit line breaks kept)."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for ch in paragraph:
            if line and text_pt(line + ch) > room_pt(width):
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


def shown_text(cell: Any) -> str:
    """What a cell shows: a date as its 年月日 format, a number as typed."""
    value = cell.value
    if hasattr(value, "year"):
        day = f"{value.day}日" if '"日"' in cell.number_format else ""
        return f"{value.year}年{value.month}月{day}"
    return "" if value is None else str(value)


def merged_width(ws: Any, row: int, column: int) -> float:
    """The width of the merged range that starts at (row, column), or the column's."""
    for cell_range in ws.merged_cells.ranges:
        if cell_range.min_row == row and cell_range.min_col == column:
            return sum(
                ws.column_dimensions[get_column_letter(c)].width
                for c in range(cell_range.min_col, cell_range.max_col + 1)
            )
    return float(ws.column_dimensions[get_column_letter(column)].width)


def assert_rows_hold_their_lines(ws: Any, first_row: int = 1) -> None:
    """Every written cell's wrapped lines fit its row's height."""
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value:
                continue
            lines = len(char_wrap(cell.value, merged_width(ws, cell.row, cell.column)))
            height = ws.row_dimensions[cell.row].height
            assert height is not None and height >= lines * LINE_PT, (cell.coordinate, lines)


# --- workspaces -----------------------------------------------------------------------


@pytest.fixture
def roster_ws(tmp_path: Path) -> Path:
    root = tmp_path / "工作区"
    init_workspace("nantong-2023", root)
    configure(root, split="sheet")
    config = root / "zcprep.toml"
    text = config.read_text("utf-8").replace('contact = ""', f'contact = "{CONTACT}"', 1)
    config.write_text(text.replace('phone = ""', f'phone = "{PHONE}"', 1), "utf-8")
    write_applicant(root, base_applicant("张三"))
    long = "江苏省南通市某某区数字经济发展服务中心（网络安全技术研究院）"
    write_applicant(root, base_applicant("李四", rank=2) | {"employer": long})
    write_applicant(root, base_applicant("王六", "初级"))
    return root


def roster_book(root: Path) -> Any:
    (path,) = make_roster(open_workspace(root), today=TODAY).outputs
    return openpyxl.load_workbook(path)


# --- widths, header lines, heights ------------------------------------------------------


def test_header_lines_keep_brackets_with_their_word(roster_ws: Path) -> None:
    book = roster_book(roster_ws)
    level, fees = book["中级"], book["费用汇总"]
    headers = {str(c.value).replace("\n", ""): c for c in [*level[3], *fees[3]]}
    assert headers["继续教育（学时）"].value == "继续教育\n（学时）"
    assert headers["收费标准（元/人）"].value == "收费标准\n（元/人）"
    for text, cell in headers.items():
        width = cell.parent.column_dimensions[cell.column_letter].width
        lines = cell.value.split("\n")
        # Each written line prints as one line: the breaks are the ones written.
        assert all(len(char_wrap(line, width)) == 1 for line in lines), (text, width)
        assert not any(line[0] in CLOSING for line in lines), text
        assert all(line.count("（") == line.count("）") for line in lines), text
        assert cell.parent.row_dimensions[3].height >= len(lines) * LINE_PT


def test_columns_fit_their_values_and_rows_their_lines(roster_ws: Path) -> None:
    book = roster_book(roster_ws)
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=4, max_row=ws.max_row - 1):  # above the 经办人 line
            for cell in row:
                width = ws.column_dimensions[cell.column_letter].width
                text = shown_text(cell)
                if width < 30:  # below the cap every value stays on one line
                    assert text_pt(text) <= room_pt(width), (ws.title, cell.coordinate, text)
        assert_rows_hold_their_lines(ws)
    employer = book["中级"]["E5"]
    assert "研究院" in employer.value and book["中级"].row_dimensions[5].height >= 2 * LINE_PT


def test_fee_sheet_date_on_one_line_beside_the_unit(roster_ws: Path) -> None:
    fees = roster_book(roster_ws)["费用汇总"]
    row_2 = [r for r in fees.merged_cells.ranges if r.min_row == 2]
    (unit_range, date_range) = sorted(row_2, key=lambda r: r.min_col)
    assert unit_range.min_col == 1 and unit_range.max_col + 1 == date_range.min_col
    assert fees.cell(2, 1).value == f"单位（盖章）：{UNIT}"
    date = fees.cell(2, date_range.min_col).value
    assert date == "填表日期：2023年6月1日"
    assert len(char_wrap(date, merged_width(fees, 2, date_range.min_col))) == 1
    assert len(char_wrap(fees.cell(2, 1).value, merged_width(fees, 2, 1))) == 1
    assert fees.row_dimensions[2].height >= LINE_PT


# --- the 经办人 line -------------------------------------------------------------------


def test_contact_line_below_each_table(roster_ws: Path) -> None:
    book = roster_book(roster_ws)
    for ws in book.worksheets:
        last = ws.max_row
        line = ws.cell(last, 1).value
        assert line == f"经办人：{CONTACT}\u3000\u3000\u3000\u3000联系电话：{PHONE}", ws.title
        assert ws.cell(last - 1, 1).value in ("合计", 1, 2)  # directly below the table
        assert ws.cell(last, 1).border.left.style is None
        assert any(str(r) == f"A{last}:{get_column_letter(ws.max_column)}{last}"
                   for r in ws.merged_cells.ranges)  # fmt: skip


def test_contact_line_keeps_its_labels_when_unit_lacks_them(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init_workspace("nantong-2023", root)
    configure(root)
    write_applicant(root, base_applicant("张三"))
    (path,) = make_roster(open_workspace(root), today=TODAY).outputs
    for ws in openpyxl.load_workbook(path).worksheets:
        line = ws.cell(ws.max_row, 1).value
        assert line.startswith("经办人：\u3000") and "联系电话：\u3000" in line, line
        assert line.replace("\u3000", "") == "经办人：联系电话："


# --- page numbers ---------------------------------------------------------------------


def test_each_sheet_numbers_its_own_pages(roster_ws: Path) -> None:
    book = roster_book(roster_ws)
    assert book.sheetnames == ["中级", "初级", "费用汇总"]
    for ws in book.worksheets:
        assert ws.page_setup.useFirstPageNumber is True, ws.title
        assert int(ws.page_setup.firstPageNumber) == 1
        assert ws.oddFooter.center.text == "第 &P 页 共 1 页"
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 1
        assert "&N" not in ws.oddFooter.center.text  # &N counts the whole print job


def long_roster(tmp_path: Path, count: int) -> Path:
    root = tmp_path / "多人"
    init_workspace("nantong-2023", root)
    configure(root, paper="A4")
    for i in range(count):
        write_applicant(root, base_applicant(f"张{chr(0x4E00 + i * 7)}", rank=i + 1))
    return root


def test_a_long_table_says_its_own_total(tmp_path: Path) -> None:
    root = long_roster(tmp_path, 60)
    (path,) = make_roster(open_workspace(root), today=TODAY).outputs
    ws = openpyxl.load_workbook(path)["中级"]
    pages = int(ws.page_setup.fitToHeight)
    assert pages >= 2
    assert ws.oddFooter.center.text == f"第 &P 页 共 {pages} 页"
    # 60 rows of about 19 pt and the repeated title rows cannot fit on fewer pages.
    heights = [ws.row_dimensions[r].height for r in range(1, ws.max_row + 1)]
    assert all(h is not None for h in heights)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_each_sheet_with_its_own_numbers(tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    root = long_roster(tmp_path, 60)
    (path,) = make_roster(open_workspace(root), today=TODAY).outputs
    pages = int(openpyxl.load_workbook(path)["中级"].page_setup.fitToHeight)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", str(tmp_path / (path.stem + ".pdf")), "-"],
        check=True, capture_output=True, text=True, encoding="utf-8",
    ).stdout.replace(" ", "")  # fmt: skip
    footers = [line for line in text.splitlines() if line.startswith("第") and "页共" in line]
    expected = [f"第{n}页共{pages}页" for n in range(1, pages + 1)] + ["第1页共1页"]
    assert footers == expected


# --- the import template and 检查结果.xlsx -------------------------------------------------


@pytest.mark.parametrize("preset", ["nantong-2023", "shandong-2022"])
def test_template_headers_wrap_whole_and_fit_their_row(preset: str, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init_workspace(preset, root)
    path = tmp_path / "申报人信息.xlsx"
    write_template(open_workspace(root), path)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    for cell in sheet[1]:
        assert "\n" not in cell.value  # read back by its exact text
        width = sheet.column_dimensions[cell.column_letter].width
        lines = char_wrap(cell.value, width)
        assert sheet.row_dimensions[1].height >= len(lines) * LINE_PT, cell.value
        if "（" in cell.value or "〔" in cell.value:
            assert not any(line[0] in CLOSING for line in lines[1:]), (cell.value, lines)
    assert sheet.oddFooter.center.text == "第 &P 页"
    notes = book[NOTES_SHEET]
    pages = int(notes.page_setup.fitToHeight)
    assert pages >= 1 and notes.oddFooter.center.text == f"第 &P 页 共 {pages} 页"
    assert notes.page_setup.useFirstPageNumber is True
    assert_rows_hold_their_lines(notes, first_row=2)


def test_check_results_rows_hold_their_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "ws"
    init_workspace("nantong-2023", root)
    configure(root)
    write_applicant(root, base_applicant("张三"))
    assert main(["check", "--xlsx", "-w", str(root)]) == 1
    capsys.readouterr()
    sheet = openpyxl.load_workbook(root / "out" / "检查结果.xlsx").active
    assert_rows_hold_their_lines(sheet, first_row=2)
    for cell in sheet[1]:
        width = sheet.column_dimensions[cell.column_letter].width
        assert len(char_wrap(cell.value, width)) == 1, cell.value
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"  # the workbook's only sheet
    assert sheet.page_setup.useFirstPageNumber is True


# --- the line breaker itself ------------------------------------------------------------


@given(
    text=st.text(alphabet="继续教育学时（）、。ab12 ", min_size=1, max_size=40),
    width=st.floats(min_value=4, max_value=30),
)
def test_wrap_loses_nothing_and_each_line_fits(text: str, width: float) -> None:
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    # A line fits, or is one character with the marks that may not leave it.
    assert all(
        print_units(line) <= capacity(width) or len(line.strip(CLOSING + "（")) <= 1
        for line in lines
    ), lines


def test_closing_marks_stay_with_the_word_before() -> None:
    assert wrap("继续教育（学时）", 9.75, keep_groups=True) == ["继续教育", "（学时）"]
    for width in (6.0, 7.0, 8.0, 9.0, 10.0):
        lines = wrap("继续教育（学时），毕业院校（专业）", width)
        assert not any(line[0] in CLOSING for line in lines[1:]), (width, lines)
        assert not any(line[-1] == "（" for line in lines), (width, lines)
