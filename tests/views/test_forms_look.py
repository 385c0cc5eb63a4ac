"""The body of a form looks typeset: justified lines, dates and IDs never spread or split.

Each form is laid out with a real (generated) CJK font and read back with pypdf, text
with positions, as a reviewer holding the printed page would check it. Two fonts: the
plain test font (every glyph a box filling its em, digits half an em wide), and one
shaped like WenQuanYi Zen Hei, the only Chinese font of many Linux machines: digits
0.6 em wide (an 18-digit ID takes 10.8 em) and full-width marks inked on one side.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest

from fontgen import build_ttf, small_characters
from zcprep.render.justify import MAX_GAP_EM, MAX_SQUEEZE_EM, gap_extra, positions
from zcprep.render.markup import parse
from zcprep.render.pdf import BODY_SIZE, MARGINS_MM, write_pdf

ID = "320602199003071236"
TEXT = (
    "兹有我单位{name}同志（身份证号码{id}）拟申报工程系列网络安全工程专业中级任职资格，"
    "相关信息已于{start}——{end}在我单位进行公示，公示期间未收到任何不良反映。"
    "该同志一贯表现良好，不存在影响申报的行为。"
)
ARABIC = ("2023年5月8日", "2023年5月12日")
CHINESE = ("二〇二三年五月八日", "二〇二三年五月十二日")
NAMES = ["张三", "王小明", "欧阳小明"]
MM = 72 / 25.4
TEXT_RIGHT = (210 - MARGINS_MM["right"]) * MM  # the right edge of the GB/T 9704 text area
# Ink of the shaped font's marks, in thousandths of an em: (left, right).
MARK_INK = {"（": (650, 870), "）": (130, 350), "，": (100, 300), "。": (100, 330)}
MARKS = "，。、；：？！）》」』】〉〕”’"


def _shaped_font(path: Path) -> Path:
    """The test font with WenQuanYi's proportions: wide digits, one-sided marks."""
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    build_ttf(
        path,
        chars=small_characters("〇" + "".join(NAMES)),
        family="Zcprep Shaped",
        ps_name="ZcprepShaped",
    )
    font = TTFont(str(path))
    cmap, glyf, hmtx = font.getBestCmap(), font["glyf"], font["hmtx"]
    for digit in "0123456789":
        hmtx[cmap[ord(digit)]] = (600, hmtx[cmap[ord(digit)]][1])
    for mark, (left, right) in MARK_INK.items():
        pen = TTGlyphPen(None)
        pen.moveTo((left, 0))
        pen.lineTo((left, 200))
        pen.lineTo((right, 200))
        pen.lineTo((right, 0))
        pen.closePath()
        glyf[cmap[ord(mark)]] = pen.glyph()
        hmtx[cmap[ord(mark)]] = (1000, left)
    font.save(str(path))
    return path


def _register(path: Path, name: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


@pytest.fixture(scope="module", params=["box", "shaped"])
def font(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("lookfont")
    if request.param == "box":
        return _register(build_ttf(folder / "look.ttf", "〇"), "ZcprepLookBox")
    return _register(_shaped_font(folder / "shaped.ttf"), "ZcprepLookShaped")


def _pdf(font: str, text: str) -> bytes:
    out = BytesIO()
    write_pdf(out, parse("# 公示结果证明\n\n" + text + "\n"), font, set(), "看")
    return out.getvalue()


def _pieces(pdf: bytes) -> list[tuple[float, float, str]]:
    """(x, y, text) of every string drawn on page 1 of the form."""
    from pypdf import PdfReader

    pieces: list[tuple[float, float, str]] = []

    def visit(t: str, cm: list[float], tm: list[float], _fd: object, _fs: float) -> None:
        if t.strip():
            pieces.append((cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3], t.strip()))

    PdfReader(BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return pieces


def _body_lines(font: str, text: str) -> list[list[tuple[float, str]]]:
    pieces = [p for p in _pieces(_pdf(font, text)) if p[2] != "公示结果证明"]
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, t in pieces:
        rows.setdefault(round(y, 1), []).append((x, t))
    return [sorted(rows[y]) for y in sorted(rows, reverse=True)]


def _right_edge(font: str, line: list[tuple[float, str]]) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    x, t = line[-1]
    return x + stringWidth(t, font, BODY_SIZE)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dates", [ARABIC, CHINESE])
def test_full_lines_share_one_right_edge(font: str, name: str, dates: tuple[str, str]) -> None:
    text = TEXT.format(name=name, id=ID, start=dates[0], end=dates[1])
    lines = _body_lines(font, text)
    assert len(lines) >= 3
    full = lines[:-1]
    assert any(len(line) > 1 for line in full), "no line was justified"
    for line in full:
        edge = _right_edge(font, line)
        if line[-1][1][-1] in MARKS:  # a mark may close up or hang, never more than an em
            assert TEXT_RIGHT - BODY_SIZE <= edge <= TEXT_RIGHT + BODY_SIZE + 0.5, line
        else:
            assert edge == pytest.approx(TEXT_RIGHT, abs=0.5), line


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dates", [ARABIC, CHINESE])
def test_dates_and_id_are_drawn_whole_on_one_line(
    font: str, name: str, dates: tuple[str, str]
) -> None:
    text = TEXT.format(name=name, id=ID, start=dates[0], end=dates[1])
    drawn = [t for line in _body_lines(font, text) for _x, t in line]
    # Each is one string (one drawString, natural spacing): nothing between its
    # characters, nothing split over two lines.
    for piece in (ID, *dates):
        assert any(piece in t for t in drawn), (piece, drawn)


def test_no_character_or_word_spacing_is_set(font: str) -> None:
    """Spacing inside a date or an ID stays the font's: no Tc/Tw operators at all."""
    from pypdf import PdfReader

    pdf = _pdf(font, TEXT.format(name="王小明", id=ID, start=CHINESE[0], end=CHINESE[1]))
    content = PdfReader(BytesIO(pdf)).pages[0].get_contents()
    assert content is not None
    data = content.get_data()
    assert not re.search(rb"-?\d*\.?\d*[1-9]\d*\s+T[cw]\b", data)


@pytest.mark.parametrize("name", NAMES)
def test_id_sits_on_the_first_line(font: str, name: str) -> None:
    text = TEXT.format(name=name, id=ID, start=ARABIC[0], end=ARABIC[1])
    first = "".join(t for _x, t in _body_lines(font, text)[0])
    assert first.startswith("兹有我单位" + name)
    assert "（身份证号码" in first and ID in first


def test_too_much_room_leaves_a_line_left_aligned() -> None:
    size = 16.0
    assert gap_extra("一二三四", 3 * MAX_GAP_EM * size - 0.1, size) > 0
    assert gap_extra("一二三四", 3 * MAX_GAP_EM * size + 0.1, size) == 0
    assert gap_extra("2023年5月12日", 50.0, size) == 0  # one atom: nothing to spread


def test_a_long_line_closes_up_marks_before_gaps_and_hangs_last() -> None:
    size, room = 16.0, {"（": 0.5, "）": 0.5}
    atoms = ["同", "（", "证", ID, "）"]
    widths = [16.0, 16.0, 16.0, 172.8, 16.0]
    # 6 pt too long: the bracket's left blank (8 pt available) takes it all
    starts = positions(atoms, widths, -6.0, size, room)
    assert starts[1] == pytest.approx(16.0 - 6.0 * 8 / 16)  # shared with "）" by room
    assert starts[3] - starts[2] == pytest.approx(16.0)  # gaps untouched
    # far too long: the closing bracket hangs, the rest squeezed within the limit
    starts = positions(atoms, widths, -30.0, size, room)
    assert starts[4] == pytest.approx(starts[3] + widths[3])
    gaps = [starts[i + 1] - starts[i] - widths[i] for i in (1, 2)]
    assert all(g >= -MAX_SQUEEZE_EM * size - 1e-6 for g in gaps)


def test_last_line_of_a_paragraph_is_not_spread(font: str) -> None:
    text = TEXT.format(name="张三", id=ID, start=ARABIC[0], end=ARABIC[1]) + "特此证明。"
    last = _body_lines(font, text)[-1]
    assert len(last) == 1  # drawn as one string at natural spacing


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dates", [ARABIC, CHINESE])
def test_a_dash_is_drawn_whole_never_spread(font: str, name: str, dates: tuple[str, str]) -> None:
    """A dash is one mark: a justified line spreads the gaps around it, never its halves."""
    text = TEXT.format(name=name, id=ID, start=dates[0], end=dates[1])
    drawn = [t for line in _body_lines(font, text) for _x, t in line if "—" in t]
    assert drawn and all("——" in t for t in drawn), drawn
