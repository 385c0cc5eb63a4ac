"""The body of a form looks typeset: justified lines, dates and IDs never spread or split.

Each form is laid out with a real (generated) CJK font and read back with pypdf, text
with positions, as a reviewer holding the printed page would check it.
"""

from __future__ import annotations

from io import BytesIO

import pytest

from fontgen import build_ttf
from zcprep.render.justify import MAX_GAP_EM, gap_extra
from zcprep.render.markup import parse
from zcprep.render.pdf import BODY_SIZE, write_pdf

ID = "320602199003071236"
TEXT = (
    "兹有我单位{name}同志（身份证号码{id}）拟申报工程系列网络安全工程专业中级任职资格，"
    "相关信息已于{start}——{end}在我单位进行公示，公示期间未收到任何不良反映。"
    "该同志一贯表现良好，不存在影响申报的行为。"
)
ARABIC = ("2023年5月8日", "2023年5月12日")
CHINESE = ("二〇二三年五月八日", "二〇二三年五月十二日")


@pytest.fixture(scope="module")
def font(tmp_path_factory: pytest.TempPathFactory) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = build_ttf(tmp_path_factory.mktemp("lookfont") / "look.ttf", "〇")
    pdfmetrics.registerFont(TTFont("ZcprepLookTest", str(path)))
    return "ZcprepLookTest"


def _pieces(font: str, text: str) -> list[tuple[float, float, str]]:
    """(x, y, text) of every string drawn on page 1 of the form."""
    from pypdf import PdfReader

    out = BytesIO()
    write_pdf(out, parse("# 公示结果证明\n\n" + text + "\n"), font, set(), "看")
    pieces: list[tuple[float, float, str]] = []

    def visit(t: str, cm: list[float], tm: list[float], _fd: object, _fs: float) -> None:
        if t.strip():
            pieces.append((cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3], t.strip()))

    PdfReader(BytesIO(out.getvalue())).pages[0].extract_text(visitor_text=visit)
    return pieces


def _body_lines(font: str, text: str) -> list[list[tuple[float, str]]]:
    pieces = [p for p in _pieces(font, text) if p[2] != "公示结果证明"]
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, t in pieces:
        rows.setdefault(round(y, 1), []).append((x, t))
    return [sorted(rows[y]) for y in sorted(rows, reverse=True)]


def _right_edge(font: str, line: list[tuple[float, str]]) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    x, t = line[-1]
    return x + stringWidth(t, font, BODY_SIZE)


def _aligned(font: str, edges: list[float], lines: list[list[tuple[float, str]]]) -> bool:
    """Every edge is the common one, or it plus one mark hanging in the margin."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    edge = min(edges)
    return all(
        abs(e - edge) < 1.0
        or (
            line[-1][1][-1] in "，。）" and abs(e - stringWidth("，", font, BODY_SIZE) - edge) < 1.0
        )
        for e, line in zip(edges, lines, strict=True)
    )


@pytest.mark.parametrize("name", ["张三", "王小明", "欧阳小明"])
@pytest.mark.parametrize("dates", [ARABIC, CHINESE])
def test_full_lines_share_one_right_edge(font: str, name: str, dates: tuple[str, str]) -> None:
    text = TEXT.format(name=name, id=ID, start=dates[0], end=dates[1])
    lines = _body_lines(font, text)
    assert len(lines) >= 3
    spread = [line for line in lines[:-1] if len(line) > 1]
    assert spread, "no line was justified"
    edges = [_right_edge(font, line) for line in spread]
    assert _aligned(font, edges, spread), edges


@pytest.mark.parametrize("name", ["张三", "王小明", "欧阳小明"])
@pytest.mark.parametrize("dates", [ARABIC, CHINESE])
def test_dates_and_id_are_drawn_whole_on_one_line(
    font: str, name: str, dates: tuple[str, str]
) -> None:
    text = TEXT.format(name=name, id=ID, start=dates[0], end=dates[1])
    lines = _body_lines(font, text)
    drawn = [t for line in lines for _x, t in line]
    # Each is one string: nothing added between its characters, nothing split.
    for piece in (ID, *dates):
        assert any(piece in t for t in drawn), (piece, drawn)


def test_id_sits_on_the_first_line(font: str) -> None:
    text = TEXT.format(name="张三", id=ID, start=ARABIC[0], end=ARABIC[1])
    first = "".join(t for _x, t in _body_lines(font, text)[0])
    assert "身份证号码" in first and ID in first


def test_too_much_room_leaves_a_line_left_aligned() -> None:
    size = 16.0
    assert gap_extra("一二三四", 3 * MAX_GAP_EM * size - 0.1, size) > 0
    assert gap_extra("一二三四", 3 * MAX_GAP_EM * size + 0.1, size) == 0
    assert gap_extra("2023年5月12日", 50.0, size) == 0  # one atom: nothing to spread


def test_last_line_of_a_paragraph_is_not_spread(font: str) -> None:
    text = TEXT.format(name="张三", id=ID, start=ARABIC[0], end=ARABIC[1]) + "特此证明。"
    last = _body_lines(font, text)[-1]
    assert len(last) == 1  # drawn as one string at natural spacing
