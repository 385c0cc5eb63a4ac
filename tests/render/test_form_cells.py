"""Table cells that fit their content: the 六公开 card's ID clear of its cell's rules, a
value that cannot break set smaller rather than split, an empty cell left empty (no
stray underline) in the PDF and the .docx. Real workspaces, a generated font, the PDF
read back with pypdf (text with positions)."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from pypdf import PdfReader

from check_helpers import right_applicant, toml_text
from fontgen import build_ttf
from zcprep.cli import main
from zcprep.render.pdf import CELL_SIZE, MARGINS_MM
from zcprep.resources import templates_dir

ID = "320602199003071236"
CARD = "推荐申报专业技术职称“六公开”监督卡"
MM = 72 / 25.4
LEFT, WIDTH = MARGINS_MM["left"] * MM, (210 - MARGINS_MM["left"] - MARGINS_MM["right"]) * MM


@pytest.fixture(scope="module")
def font(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test font with digits 0.6 em wide, as WenQuanYi Zen Hei's (an ID is 10.8 em)."""
    from fontTools.ttLib import TTFont

    extra = "".join(p.read_text(encoding="utf-8") for p in templates_dir().glob("*.j2"))
    folder = tmp_path_factory.mktemp("cellfont")
    # A name of its own: reportlab keeps faces by PostScript name, and this one differs.
    path = build_ttf(folder / "cells.ttf", extra=extra + "二〇", ps_name="ZcprepWideDigits")
    shaped = TTFont(str(path))
    cmap, hmtx = shaped.getBestCmap(), shaped["hmtx"]
    for digit in "0123456789":
        hmtx[cmap[ord(digit)]] = (600, hmtx[cmap[ord(digit)]][1])
    shaped.save(str(path))
    return path


def _workspace(root: Path, font: Path, unit: str, id_number: str = ID) -> Path:
    ws = root / "qingdao"
    assert main(["init", "qingdao-2024", str(ws)]) == 0
    config = ws / "zcprep.toml"
    text = config.read_text(encoding="utf-8").replace("[fonts]\n", f"[fonts]\npath = '{font}'\n")
    text = re.sub(r'(\[unit\]\s*\nname = )""', lambda m: f'{m.group(1)}"{unit}"', text)
    config.write_text(text, encoding="utf-8")
    assert main(["new", "张三", "-w", str(ws)]) == 0
    data = right_applicant() | {
        "name": "张三",
        "id_number": id_number,
        "level": "中级",
        "publicity_start": "2023-05-08",
        "publicity_end": "2023-05-12",
    }
    applicant = ws / "dossiers" / "张三" / "applicant.toml"
    applicant.write_text(toml_text(data, continuing=[]), encoding="utf-8")
    return ws


def _pieces(pdf: Path) -> list[tuple[float, float, str]]:
    """(x, font size, text) of every string drawn on page 1."""
    found: list[tuple[float, float, str]] = []

    def visit(t: str, cm: list[float], tm: list[float], _fd: object, size: float) -> None:
        if t.strip():
            found.append((cm[4] + tm[4] * cm[0], size * tm[0], t.strip()))

    PdfReader(pdf).pages[0].extract_text(visitor_text=visit)
    return found


def _columns(template: str) -> list[tuple[float, float]]:
    """(left, right) of each column of the template's first table, from its [列宽]."""
    line = next(row for row in template.splitlines() if row.startswith("[列宽]"))
    weights = [float(w) for w in line.split()[1:]]
    edges = [LEFT]
    for weight in weights:
        edges.append(edges[-1] + WIDTH * weight / sum(weights))
    return list(pairwise(edges))


def test_card_id_sits_clear_of_its_cell(tmp_path: Path, font: Path) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    ws = _workspace(tmp_path, font, "南通示例网络安全技术有限公司")
    assert main(["render", "--form", "six-openness", "-w", str(ws)]) == 0
    pdf = ws / "out" / "张三" / "forms" / f"{CARD}.pdf"
    x, size, _t = next(p for p in _pieces(pdf) if p[2] == ID)  # one piece: never split
    left, right = _columns((templates_dir() / "six-openness.md.j2").read_text("utf-8"))[3]
    from zcprep.fonts import find_font, register_font

    width = stringWidth(ID, register_font(find_font(font)), size)
    clear = 0.75 * CELL_SIZE  # three quarters of an em of white each side, at least
    assert x - left >= clear and right - (x + width) >= clear, (left, x, x + width, right)


def test_a_value_that_cannot_break_is_set_smaller_not_split(tmp_path: Path, font: Path) -> None:
    ws = _workspace(tmp_path, font, "南通示例网络安全技术有限公司")
    own = ws / "模板"
    own.mkdir()
    (own / "six-openness.md.j2").write_text(
        "# 卡\n\n[列宽] 10 3\n| 身份证号码 | {{ applicant.id_number }} |\n", encoding="utf-8"
    )
    config = ws / "zcprep.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('date_style = "arabic"', 'date_style = "arabic"\ntemplates_dir = "模板"'),
        encoding="utf-8",
    )
    assert main(["render", "--form", "six-openness", "-w", str(ws)]) == 0
    pieces = _pieces(ws / "out" / "张三" / "forms" / f"{CARD}.pdf")
    ids = [p for p in pieces if p[2] == ID]
    assert len(ids) == 1, pieces  # drawn whole, on one line
    assert ids[0][1] < CELL_SIZE  # in a smaller size than the other cells


def test_an_empty_cell_shows_no_underline(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = _workspace(tmp_path, font, "", id_number="")
    assert main(["render", "--form", "six-openness", "-w", str(ws)]) == 0
    err = capsys.readouterr().err
    assert "单位名称" in err and "身份证号" in err  # still said: to be filled by hand
    pdf = ws / "out" / "张三" / "forms" / f"{CARD}.pdf"
    drawn = [t for _x, _s, t in _pieces(pdf)]
    assert "推荐单位（盖章）" in drawn and "身份证号码" in drawn
    assert "________" not in drawn  # the unit's and the ID's cells are empty


def test_an_empty_cell_is_empty_in_the_docx(tmp_path: Path, font: Path) -> None:
    docx = pytest.importorskip("docx")
    ws = _workspace(tmp_path, font, "", id_number="")
    assert main(["render", "--docx", "--form", "six-openness", "-w", str(ws)]) == 0
    word = docx.Document(str(ws / "out" / "张三" / "forms" / f"{CARD}.docx"))
    first = word.tables[0]
    assert first.cell(0, 1).text == ""  # 推荐单位（盖章）: no unit name, no underline
    assert first.cell(1, 3).text == ""  # 身份证号码
    assert first.cell(1, 1).text == "张三"
