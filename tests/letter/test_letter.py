"""zcprep letter end to end: the example workspace, the tiny test font, letters read back
with pypdf and python-docx."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from check_helpers import png_bytes, put_file
from fontgen import font_files
from letter_helpers import (
    LETTER,
    letter_pdf,
    pdf_text,
    squeeze,
)
from zcprep.check import run_check
from zcprep.cli import main
from zcprep.cndate import format_date
from zcprep.errors import ConfigError
from zcprep.letter import plain, write_letters
from zcprep.model.workspace import open_workspace

LI_ID = "320611199910012021"  # 李四's ID number in the example (its check digit is wrong)
TODAY = dt.date(2023, 5, 20)


def _li_findings(ws: Path, severity: str) -> list[tuple[str, str]]:
    """(message, hint) of 李四's findings of one severity, as check reports them."""
    report = run_check(open_workspace(ws), ["李四"], today=TODAY)
    return [(f.message, f.hint) for f in report.dossiers[0].findings if f.severity == severity]


def test_letter_for_li_si_lists_each_error_and_none_for_zhang_san(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["letter", "--by", "2023-06-10", "-w", str(ws)]) == 0
    text = pdf_text(letter_pdf(ws))
    errors = _li_findings(ws, "error")
    assert len(errors) >= 4
    for message, hint in errors:
        assert squeeze(plain(message, "dossiers/李四")) in text, message
        assert squeeze(plain(hint, "dossiers/李四").rstrip("。"))[:20] in text, hint
    assert "请于2023年6月10日前补正" in text
    assert not letter_pdf(ws, "张三").exists()
    captured = capsys.readouterr()
    assert "out/李四/补正告知单.pdf" in captured.out
    assert "张三：没有发现问题，不需要补正告知单" in captured.err


def test_letter_reads_as_a_letter_from_the_unit(ws: Path) -> None:
    assert main(["letter", "-w", str(ws)]) == 0
    text = pdf_text(letter_pdf(ws))
    assert text.startswith("材料补正告知单李四同志：")
    notice = open_workspace(ws).notice
    assert squeeze(f"《{notice.notice.title}》（{notice.notice.doc_number}）") in text
    assert "单位（盖章）：南通示例网络安全技术有限公司" in text
    assert "经办人：王五" in text and "0513-85550000" in text  # the unit's own number, in full
    assert text.endswith(format_date(dt.date.today()))
    assert "请尽快补正" in text  # no --by: no date invented
    # Each material group names its material as the checklist does.
    assert "第5项任期内专业技术工作总结" in text and "申报信息" in text


def test_errors_come_before_the_points_to_verify(ws: Path) -> None:
    assert main(["letter", "-w", str(ws)]) == 0
    text = pdf_text(letter_pdf(ws))
    errors, warnings = _li_findings(ws, "error"), _li_findings(ws, "warning")
    assert warnings
    last_error = max(text.index(squeeze(plain(m, "dossiers/李四"))) for m, _ in errors)
    first_warning = min(text.index(squeeze(plain(m, "dossiers/李四"))) for m, _ in warnings)
    assert text.index("须补正（4条）") < last_error < text.index("请核对（") < first_warning


def test_notice_wide_findings_stay_out_of_the_letter(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["letter", "-w", str(ws)]) == 0
    text = pdf_text(letter_pdf(ws))
    assert "网上申报已于" not in text and "纸质材料报送已于" not in text  # deadline-passed
    assert "以后才需要" not in text  # material-later
    assert "整批与通知的" in capsys.readouterr().err


def test_id_and_mobile_numbers_are_masked_in_the_letter(ws: Path) -> None:
    put_file(ws / "dossiers" / "李四" / "联系人13912345678.png", png_bytes((40, 40)))
    assert main(["letter", "-w", str(ws)]) == 0
    letter = pdf_text(letter_pdf(ws))
    assert LI_ID not in letter
    assert f"{LI_ID[:4]}**********{LI_ID[-4:]}" in letter
    assert "13912345678" not in letter and "联系人139****5678.png" in letter


def test_a_mistyped_mobile_is_masked_too(ws: Path) -> None:
    put_file(ws / "dossiers" / "李四" / "联系人139-1234-56789.png", png_bytes((40, 40)))
    assert main(["letter", "-w", str(ws)]) == 0
    letter = pdf_text(letter_pdf(ws))
    assert "139-1234-56789" not in letter and "139-****-56789" in letter


def test_an_old_letter_is_withdrawn_once_the_dossier_is_clean(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = letter_pdf(ws, "张三")
    put_file(old, b"%PDF-1.4 an earlier letter")
    assert main(["letter", "-w", str(ws)]) == 0
    assert not old.exists()
    assert "out/张三/补正告知单.pdf" in capsys.readouterr().err


def test_officer_tools_are_not_in_the_letter(ws: Path) -> None:
    assert main(["letter", "-w", str(ws)]) == 0
    text = pdf_text(letter_pdf(ws))
    for officer_word in ("zcprep", "enforce", "dossiers/", "applicant.toml"):
        assert officer_word not in text


def test_fonts_are_embedded_and_qpdf_finds_no_fault(ws: Path) -> None:
    assert main(["letter", "-w", str(ws)]) == 0
    fonts = font_files(letter_pdf(ws))
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    assert all("ZcprepTestSong" in name for name, _ in fonts), fonts
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed")
    result = subprocess.run(
        ["qpdf", "--check", str(letter_pdf(ws))],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a4_pages_and_a_short_letter_is_one_page(ws: Path) -> None:
    assert main(["letter", "-w", str(ws)]) == 0
    pages = PdfReader(letter_pdf(ws)).pages
    assert len(pages) <= 2  # seven problems
    assert all(round(float(p.mediabox.width)) == 595 for p in pages)
    # One problem only: 张三 with one stray file.
    put_file(ws / "dossiers" / "张三" / "说明.png", png_bytes((40, 40)))
    assert main(["letter", "张三", "-w", str(ws)]) == 0
    assert len(PdfReader(letter_pdf(ws, "张三")).pages) == 1
    assert "说明.png" in pdf_text(letter_pdf(ws, "张三"))


def test_docx_beside_the_pdf(ws: Path) -> None:
    docx = pytest.importorskip("docx")
    assert main(["letter", "--docx", "--by", "2023年6月10日", "-w", str(ws)]) == 0
    word = docx.Document(str(letter_pdf(ws).with_suffix(".docx")))
    paragraphs = squeeze("".join(p.text for p in word.paragraphs))
    cells = squeeze("".join(c.text for t in word.tables for r in t.rows for c in r.cells))
    assert paragraphs.startswith("材料补正告知单李四同志：")
    assert "请于2023年6月10日前补正" in paragraphs
    for message, _ in _li_findings(ws, "error"):
        assert squeeze(plain(message, "dossiers/李四")) in cells


def test_names_select_the_letters(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["letter", "张三", "-w", str(ws)]) == 0
    assert not (ws / "out").exists() or not list((ws / "out").rglob("*.pdf"))
    assert "没有生成补正告知单" in capsys.readouterr().err


@pytest.mark.parametrize("by", ["2023-13-01", "下周五", "2023-02-30"])
def test_bad_deadline_is_exit_2(ws: Path, by: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["letter", "--by", by, "-w", str(ws)]) == 2
    assert "--by" in capsys.readouterr().err
    assert not (ws / "out").exists()


def test_unknown_name_is_exit_2(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["letter", "王二", "-w", str(ws)]) == 2
    assert "王二" in capsys.readouterr().err


def test_deadline_already_past_is_warned(ws: Path) -> None:
    result = write_letters(open_workspace(ws), by="2023-05-01", today=TODAY)
    assert result.letters and any("早于今天" in line for line in result.warnings)


def test_unwritable_output_is_exit_3(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (ws / "out").mkdir()
    (ws / "out" / "李四").write_text("挡住文件夹", encoding="utf-8")  # a file where the folder goes
    assert main(["letter", "-w", str(ws)]) == 3
    assert "李四" in capsys.readouterr().err


def test_workspace_template_overrides_the_packaged_one(ws: Path) -> None:
    own = ws / "模板"
    own.mkdir()
    (own / "letter.md.j2").write_text(
        "# 补正通知\n\n{{ applicant.name }}：请于{{ letter.deadline }}前来人事处。\n"
        "{% for s in sections %}{% for g in s.groups %}{% for p in g.problems %}"
        "[左] {{ p.number }}．{{ p.message }}\n{% endfor %}{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    config = ws / "zcprep.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('date_style = "arabic"', "date_style = \"arabic\"\ntemplates_dir = '模板'")
    config.write_text(text, encoding="utf-8")
    assert main(["letter", "-w", str(ws)]) == 0
    letter = pdf_text(letter_pdf(ws))
    assert letter.startswith("补正通知李四：请于______年____月____日前来人事处。1．")


@pytest.mark.skipif(sys.platform == "win32", reason="'|' is not allowed in an NTFS file name")
def test_markup_in_a_file_name_prints_literally(ws: Path) -> None:
    put_file(ws / "dossiers" / "李四" / "#1 | 证书 [左].png", png_bytes((40, 40)))
    assert main(["letter", "-w", str(ws)]) == 0
    assert squeeze("#1 | 证书 [左].png") in pdf_text(letter_pdf(ws))


def test_broken_template_is_a_config_error(ws: Path) -> None:
    own = ws / "模板"
    own.mkdir()
    (own / "letter.md.j2").write_text("{% for x in %}\n", encoding="utf-8")
    config = ws / "zcprep.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('date_style = "arabic"', "date_style = \"arabic\"\ntemplates_dir = '模板'"),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"letter\.md\.j2"):
        write_letters(open_workspace(ws), today=TODAY)


def test_empty_unit_contact_is_a_blank_and_a_warning(ws: Path) -> None:
    config = ws / "zcprep.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('contact = "王五"', 'contact = ""'), encoding="utf-8")
    result = write_letters(open_workspace(ws), today=TODAY)
    assert any("经办人" in line and "横线" in line for line in result.warnings)
    assert "经办人：________" in pdf_text(letter_pdf(ws))


def test_letters_never_touch_the_dossiers(ws: Path) -> None:
    before = {p: p.read_bytes() for p in (ws / "dossiers").rglob("*") if p.is_file()}
    assert main(["letter", "--docx", "-w", str(ws)]) == 0
    after = {p: p.read_bytes() for p in (ws / "dossiers").rglob("*") if p.is_file()}
    assert before == after
    assert sorted(p.name for p in (ws / "out" / "李四").iterdir()) == [
        f"{LETTER}.docx",
        f"{LETTER}.pdf",
    ]


def test_chinese_date_style_writes_the_dates_in_chinese(ws: Path) -> None:
    config = ws / "zcprep.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('date_style = "arabic"', 'date_style = "chinese"'), "utf-8")
    result = write_letters(open_workspace(ws), by="2023-06-10", today=TODAY)
    assert result.deadline == dt.date(2023, 6, 10)
    text = pdf_text(letter_pdf(ws))
    assert "请于二〇二三年六月十日前补正" in text and text.endswith("二〇二三年五月二十日")


def test_a_name_the_font_lacks_is_printed_to_write_by_hand(ws: Path) -> None:
    assert main(["new", "王䶮", "-w", str(ws)]) == 0  # U+4DAE: the test font lacks it
    result = write_letters(open_workspace(ws), ["王䶮"], today=TODAY)
    assert [letter.applicant for letter in result.letters] == ["王䶮"]
    assert any("U+4DAE" in line for line in result.warnings)
    assert pdf_text(letter_pdf(ws, "王䶮")).startswith("材料补正告知单王＿同志：")


def test_a_broken_applicant_file_still_gets_its_letter(ws: Path) -> None:
    (ws / "dossiers" / "李四" / "applicant.toml").write_text('name = "李四\n', encoding="utf-8")
    result = write_letters(open_workspace(ws), ["李四"], today=TODAY)
    assert [letter.applicant for letter in result.letters] == ["李四"]
    text = pdf_text(letter_pdf(ws))
    assert "申报信息" in text and "TOML" in text
