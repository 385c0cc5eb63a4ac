"""zcprep check --xlsx: every finding a row of out/检查结果.xlsx, read back with openpyxl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from check_helpers import png_bytes, put_file
from zcprep.cli import main
from zcprep.letter import HEADERS, WORKBOOK_NAME

FORMULA_NAME = "=HYPERLINK(1).pdf"


def _sheet(ws: Path) -> object:
    return load_workbook(ws / "out" / WORKBOOK_NAME)["检查结果"]


def _json_report(ws: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    assert main(["check", "--json", "-w", str(ws)]) == 1
    return json.loads(capsys.readouterr().out)


def test_one_row_per_finding_as_the_json_says(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--xlsx", "-w", str(ws)]) == 1  # the check's own exit code
    assert "out/检查结果.xlsx" in capsys.readouterr().err
    report = _json_report(ws, capsys)
    sheet = _sheet(ws)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    shared = report["notice_findings"]
    own = [f for d in report["dossiers"] for f in d["findings"]]
    assert len(rows) - 1 == len(shared) + len(own)
    batch = [row for row in rows[1:] if row[0] == "整批"]
    assert len(batch) == len(shared) and all(row[1] is None for row in batch)
    li = [row for row in rows[1:] if row[0] == "李四"]
    assert sorted(row[8] for row in li) == sorted(f["code"] for f in own)
    assert {row[1] for row in li} == {"初级"}
    assert {row[2] for row in rows[1:]} <= {"错误", "警告", "提示"}
    severities = [row[2] for row in li]
    assert severities == sorted(severities, key=["错误", "警告", "提示"].index)
    messages = {row[6] for row in rows[1:]}
    assert {f["message"] for f in own + shared} == messages
    mismatch = next(row for row in li if row[8] == "file-type-mismatch")
    assert (
        mismatch[3]
        == "06 任期内主要完成的发明专利、研究课题、工程技术项目等业绩成果证明材料以及获奖证书复印件"
    )
    assert mismatch[4] == "06-业绩成果证明材料及获奖证书/获奖证书.pdf"


def test_full_numbers_stay_in_the_officers_own_sheet(ws: Path) -> None:
    assert main(["check", "--xlsx", "-w", str(ws)]) == 1
    texts = [c.value for row in _sheet(ws).iter_rows() for c in row if isinstance(c.value, str)]
    assert any("320611199910012021" in text for text in texts)


def test_layout_frozen_filtered_and_print_ready(ws: Path) -> None:
    assert main(["check", "--xlsx", "-w", str(ws)]) == 1
    sheet = _sheet(ws)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:I{sheet.max_row}"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    assert "&P" in sheet.oddFooter.center.text
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEFGHI"}
    assert widths["G"] == 60  # 问题: long Chinese messages, capped, then wrapped
    assert 6 <= widths["A"] <= 12  # 申报人: two-character names and 整批
    long_rows = [r for r in range(2, sheet.max_row + 1) if sheet.row_dimensions[r].height]
    assert long_rows  # a wrapped message gets a taller row
    assert all(sheet.cell(row=r, column=7).alignment.wrap_text for r in range(2, sheet.max_row))


def test_a_message_starting_with_equals_stays_text(ws: Path) -> None:
    folder = ws / "dossiers" / "李四" / "06-业绩成果证明材料及获奖证书"
    put_file(folder / FORMULA_NAME, png_bytes((40, 40)))  # a PNG named .pdf: its message starts "="
    assert main(["check", "--xlsx", "-w", str(ws)]) == 1
    sheet = load_workbook(ws / "out" / WORKBOOK_NAME)["检查结果"]
    cells = [row[6] for row in sheet.iter_rows(min_row=2) if str(row[6].value).startswith("=")]
    assert cells, "the planted finding is missing"
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert all(c.value.startswith(FORMULA_NAME) for c in cells)
    plain = sheet.cell(row=2, column=7)
    assert plain.data_type == "s" and not plain.quotePrefix


def test_an_open_workbook_says_close_it_and_retry(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to replace a file Excel holds open (PermissionError)."""
    replace = Path.replace

    def locked(self: Path, target: Path | str) -> Path:
        if Path(target).name == WORKBOOK_NAME:
            raise PermissionError(13, "The process cannot access the file")
        return replace(self, target)

    monkeypatch.setattr(Path, "replace", locked)
    assert main(["check", "--xlsx", "-w", str(ws)]) == 3
    err = capsys.readouterr().err
    assert "检查结果.xlsx" in err and "关闭" in err and "重试" in err
    assert not list((ws / "out").glob(".*.part"))


def test_without_xlsx_no_workbook(ws: Path) -> None:
    assert main(["check", "-w", str(ws)]) == 1
    assert not (ws / "out" / WORKBOOK_NAME).exists()


def test_a_clean_batch_keeps_exit_0(ws: Path) -> None:
    assert main(["check", "张三", "--xlsx", "-w", str(ws)]) == 0
    rows = list(_sheet(ws).iter_rows(values_only=True))
    assert all(row[0] in ("整批", "张三") for row in rows[1:])


def test_stray_file_at_the_dossier_root_shows_its_path(ws: Path) -> None:
    put_file(ws / "dossiers" / "张三" / "说明.png", png_bytes((40, 40)))
    assert main(["check", "张三", "--xlsx", "-w", str(ws)]) == 0
    rows = list(_sheet(ws).iter_rows(values_only=True))
    stray = next(row for row in rows if row[8] == "material-unexpected")
    assert stray[0] == "张三" and stray[3] is None and stray[4] == "说明.png"
