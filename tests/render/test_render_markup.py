"""The form block markup: parsing, data protection, spans, and the CJK line breaker."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fontgen import build_ttf
from zcprep.render.markup import (
    BLANK_DATE,
    BLANK_LINE,
    Blank,
    MarkupError,
    PageBreak,
    Spacer,
    TableBlock,
    TextBlock,
    blank_token,
    parse,
    protect,
)
from zcprep.render.pdf import table_spans, wrap_cjk

_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")
_RESERVED = re.compile("[\ue000-\ue01f]")


def kinds(text: str) -> list[str]:
    return [
        block.kind if isinstance(block, TextBlock) else type(block).__name__
        for block in parse(text).blocks
    ]


def test_every_block_kind() -> None:
    text = "\n".join(
        [
            "# 标题",
            "## 副标题",
            "正文第一行",
            "接着写",
            "",
            "[左] 左",
            "[中] 中",
            "[右] 右",
            "| a | b |",
            "[签名] 申报人（签名）：",
            "[盖章] 单位（盖章）：",
            "[日期]",
            "[分页]",
        ]
    )
    assert kinds(text) == [
        "title",
        "subtitle",
        "paragraph",
        "left",
        "center",
        "right",
        "TableBlock",
        "signature",
        "seal",
        "date",
        "PageBreak",
    ]
    paragraph = parse(text).blocks[2]
    assert isinstance(paragraph, TextBlock) and paragraph.text == "正文第一行接着写"


def test_lines_join_with_a_space_only_between_latin_words() -> None:
    doc = parse("证书 ABC\nDEF 号\n中文\n续")
    assert isinstance(doc.blocks[0], TextBlock)
    assert doc.blocks[0].text == "证书 ABC DEF 号中文续"


def test_extra_blank_lines_become_space_and_edges_are_ignored() -> None:
    doc = parse("\n\n一\n\n\n\n二\n\n")
    assert [type(b).__name__ for b in doc.blocks] == ["TextBlock", "Spacer", "TextBlock"]
    assert isinstance(doc.blocks[1], Spacer) and doc.blocks[1].lines == 2


def test_consecutive_title_lines_are_one_title() -> None:
    doc = parse("# 专业技术职务任职资格评审材料\n# 真实性承诺书\n正文")
    assert kinds("# 甲\n# 乙") == ["title"]
    title = doc.blocks[0]
    assert (
        isinstance(title, TextBlock) and title.text == "专业技术职务任职资格评审材料\n真实性承诺书"
    )


def test_table_rows_pad_and_take_widths() -> None:
    doc = parse("[列宽] 1 2 3\n| a | b | c |\n| d |\n")
    table = doc.blocks[0]
    assert isinstance(table, TableBlock)
    assert table.widths == (1.0, 2.0, 3.0)
    assert table.rows == ((("a",), ("b",), ("c",)), (("d",), (), ()))


def test_trailing_pipe_is_optional_and_empty_cells_stay_empty() -> None:
    table = parse("| a || c").blocks[0]
    assert isinstance(table, TableBlock)
    assert table.rows == ((("a",), (), ("c",)),)


def test_spans() -> None:
    table = parse("| a | < | < |\n| b | c | d |\n| ^ | e | < |").blocks[0]
    assert isinstance(table, TableBlock)
    assert sorted(table_spans(table)) == [((0, 0), (2, 0)), ((0, 1), (0, 2)), ((1, 2), (2, 2))]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[印章] x", "不认识的标记"),
        ("### 三级", "只有 # 标题"),
        ("[列宽] 1 x\n| a | b |", "用空格分开的数字"),
        ("[列宽] 1 2\n| a |", "给了 2 个数"),
        ("[列宽] 1 0\n| a | b |", "正数"),
        ("[列宽] 1 2", "后面没有表格"),
    ],
)
def test_markup_errors_name_the_line(text: str, problem: str) -> None:
    with pytest.raises(MarkupError, match=problem) as caught:
        parse(text, "x.md.j2")
    assert "模板 x.md.j2 生成的第 " in caught.value.message


def test_backslash_makes_markup_characters_literal() -> None:
    doc = parse("\\# 不是标题 \\| \\[右\\] \\\\ \\x")
    block = doc.blocks[0]
    assert isinstance(block, TextBlock) and block.kind == "paragraph"
    assert block.text == "# 不是标题 | [右] \\ \\x"
    cell = parse("| a \\| b | \\< | \\^ |").blocks[0]
    assert isinstance(cell, TableBlock)
    assert cell.rows == ((("a | b",), ("<",), ("^",)),)
    assert table_spans(cell) == []


def test_blank_tokens_become_blanks_with_their_field() -> None:
    line = f"已于{blank_token('applicant.publicity_start', BLANK_DATE)}至{blank_token('x')}"
    doc = parse(line)
    assert doc.blanks == [Blank("applicant.publicity_start", BLANK_DATE), Blank("x", BLANK_LINE)]
    assert isinstance(doc.blocks[0], TextBlock)
    assert doc.blocks[0].text == f"已于{BLANK_DATE}至{BLANK_LINE}"


def test_data_cannot_forge_a_blank_token() -> None:
    forged = protect(blank_token("applicant.name"))
    doc = parse(f"姓名{forged}")
    assert doc.blanks == []


def _expected(value: str) -> str:
    return _LINE_BREAKS.sub(" ", _RESERVED.sub("\ufffd", value))


data_text = st.text(
    alphabet=st.characters(
        exclude_categories=("Cs",),
        include_characters="|#[]<^\\{}%\ue000\ue010\ue011\ue012\n",
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(data_text)
def test_protected_value_is_one_run_of_text_in_a_paragraph(value: str) -> None:
    doc = parse("甲" + protect(value) + "乙")
    assert len(doc.blocks) == 1
    block = doc.blocks[0]
    assert isinstance(block, TextBlock) and block.kind == "paragraph"
    assert block.text == "甲" + _expected(value) + "乙"
    assert doc.blanks == []


@settings(max_examples=300, deadline=None)
@given(data_text)
def test_protected_value_at_line_start_or_in_a_cell_stays_text(value: str) -> None:
    expected = _expected(value).strip(" \t\r")
    doc = parse(protect(value))
    if expected:
        assert len(doc.blocks) == 1
        block = doc.blocks[0]
        assert isinstance(block, TextBlock) and block.kind == "paragraph"
        assert block.text == expected
    table = parse(f"| {protect(value)} | x |").blocks[0]
    assert isinstance(table, TableBlock)
    assert len(table.rows) == 1 and len(table.rows[0]) == 2
    cell = table.rows[0][0]
    assert cell == ((expected,) if expected else ())


# --------------------------------------------------------------------------- line breaking


@pytest.fixture(scope="module")
def font_name(tmp_path_factory: pytest.TempPathFactory) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = build_ttf(tmp_path_factory.mktemp("wrapfont") / "wrap.ttf")
    pdfmetrics.registerFont(TTFont("ZcprepWrapTest", str(path)))
    return "ZcprepWrapTest"


def test_id_number_is_never_cut(font_name: str) -> None:
    text = "兹有我单位欧阳某某同志（身份证号码320602199003071236）拟申报"
    for width in range(150, 420, 16):  # the ID is 144 pt wide: any line that can hold it
        lines = [line for _space, line in wrap_cjk(text, [width], font_name, 16)]
        assert any("320602199003071236" in line for line in lines), (width, lines)


def test_punctuation_hangs_and_brackets_move_down(font_name: str) -> None:
    # 10 characters fit; the comma would start line 2, so it hangs on line 1.
    lines = [
        line for _s, line in wrap_cjk("一二三四五六七八九十，十一（十二）", [160], font_name, 16)
    ]
    assert lines[0] == "一二三四五六七八九十，"
    lines = [line for _s, line in wrap_cjk("一二三四五六七八九（十）", [160], font_name, 16)]
    assert lines[0] == "一二三四五六七八九"
    assert lines[1] == "（十）"


def test_two_marks_in_a_row_never_start_a_line(font_name: str) -> None:
    """“），” at a line's end: one mark may hang, not two; the last character goes down."""
    text = "根据甲乙丙丁戊己庚辛壬癸（通网职〔2023〕1号），经我单位审核，现告知如下。"
    for width in range(96, 400, 8):
        lines = [line for _s, line in wrap_cjk(text, [width], font_name, 16)]
        assert "".join(lines) == text
        assert all(line[0] not in "，。）" for line in lines), (width, lines)


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="中文字，。（）“”ab 0123456789", max_size=120),
    st.integers(min_value=40, max_value=400),
)
def test_wrap_keeps_every_character_and_fits(font_name: str, text: str, width: int) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = wrap_cjk(text, [float(width)], font_name, 16)
    assert "".join(line for _s, line in lines).replace(" ", "") == text.replace(" ", "")
    for _space, line in lines:
        # A line may overflow by one hanging punctuation mark, or hold a single atom.
        body = line[:-1] if line and line[-1] in "，。）”" else line
        fits = stringWidth(body, font_name, 16) <= width + 1e-6
        assert fits or re.fullmatch(r"[A-Za-z0-9_]+|.", body), (line, width)


def test_empty_document_still_makes_a_page(font_name: str) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from zcprep.render.pdf import write_pdf

    out = BytesIO()
    write_pdf(out, parse(""), font_name, set(), "空")
    assert len(PdfReader(BytesIO(out.getvalue())).pages) == 1


def test_page_break_makes_a_second_page(font_name: str) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from zcprep.render.pdf import write_pdf

    doc = parse("# 一\n[分页]\n二")
    assert any(isinstance(block, PageBreak) for block in doc.blocks)
    out = BytesIO()
    write_pdf(out, doc, font_name, set(), "两页")
    reader = PdfReader(BytesIO(out.getvalue()))
    assert [page.extract_text().strip() for page in reader.pages] == ["一", "二"]


def test_byte_order_mark_of_a_notepad_template_is_ignored() -> None:
    assert kinds("\ufeff# 标题\n正文") == ["title", "paragraph"]
