"""Lay a parsed form out as a Word document, for officers who edit in WPS/Word first.

Optional: needs python-docx (``pip install python-docx``); without it ``--docx`` says so.
The layout follows :mod:`zcprep.render.pdf` (A4, GB/T 9704 margins, 二号 title, 三号 body on a
fixed 28 pt line, two-character indent, 五号 tables). Fonts are named, not embedded: the
officer's own 黑体 and 仿宋 are used, and the East Asian font attribute is set on every
run (python-docx sets only the Latin one, so Word would otherwise show 宋体 or Calibri).
Text is XML: characters XML 1.0 cannot hold (zcprep.xmltext) are left out, or lxml would
raise; the data was cleaned before, and said so, so only a template's own remain here.
As in the PDF, a table cell holding only a missing value is left empty (no underline).
"""

from __future__ import annotations

from typing import Any, BinaryIO

from zcprep.errors import UsageError
from zcprep.render.fit import only_blanks
from zcprep.render.markup import (
    Block,
    Document,
    PageBreak,
    Spacer,
    TableBlock,
    TextBlock,
    runs_text,
)
from zcprep.render.pdf import (
    BODY_LEADING,
    BODY_SIZE,
    CELL_LEADING,
    CELL_SIZE,
    MARGINS_MM,
    SIGNATURE_START,
    TITLE_LEADING,
    TITLE_SIZE,
    table_spans,
)
from zcprep.xmltext import xml_safe

TITLE_FONT = "黑体"
BODY_FONT = "仿宋"
A4_MM = (210.0, 297.0)
# Blank date line: the numbers are written by hand in the gaps (Word keeps U+3000).
BLANK_DATE_LINE = "　　　　年　　月　　日"


def docx_available() -> bool:
    try:
        import docx  # noqa: F401
    except ImportError:
        return False
    return True


def require_docx() -> None:
    if not docx_available():
        raise UsageError(
            "生成 Word 文件（--docx）需要 python-docx，当前没有安装。",
            "运行 pip install python-docx 后重试；不加 --docx 只生成 PDF。",
        )


def write_docx(handle: BinaryIO, doc: Document, title: str) -> None:
    """Write the document as .docx to ``handle``."""
    import docx
    from docx.shared import Mm

    word = docx.Document()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    word.core_properties.title = xml_safe(title)
    word.core_properties.author = ""
    width_pt = (A4_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) * 72 / 25.4
    writer = _Writer(word, width_pt)
    for block in doc.blocks:
        writer.block(block)
    word.save(handle)


class _Writer:
    def __init__(self, word: Any, width_pt: float) -> None:
        self.word = word
        self.width = width_pt

    def block(self, block: Block) -> None:
        if isinstance(block, Spacer):
            for _ in range(block.lines):
                self.paragraph("", BODY_FONT, BODY_SIZE, BODY_LEADING)
        elif isinstance(block, PageBreak):
            self.word.add_page_break()
        elif isinstance(block, TableBlock):
            self.table(block)
        else:
            self.text_block(block)

    def text_block(self, block: TextBlock) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        text = runs_text(block.runs) if block.runs else ""
        if block.kind == "title":
            for line in text.split("\n"):
                p = self.paragraph(line, TITLE_FONT, TITLE_SIZE, TITLE_LEADING, bold=True)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(BODY_LEADING / 2)
            return
        if block.kind == "date" and not block.runs:
            text = BLANK_DATE_LINE
        p = self.paragraph(text, BODY_FONT, BODY_SIZE, BODY_LEADING)
        fmt = p.paragraph_format
        if block.kind == "paragraph":
            fmt.first_line_indent = Pt(2 * BODY_SIZE)
        elif block.kind in ("center", "subtitle"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "right":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif block.kind == "date":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.right_indent = Pt(2 * BODY_SIZE)
        elif block.kind in ("signature", "seal"):
            needed = _text_width(text, BODY_SIZE) + BODY_SIZE
            fmt.left_indent = Pt(max(0.0, min(self.width * SIGNATURE_START, self.width - needed)))
            fmt.space_before = Pt(BODY_LEADING * (1.5 if block.kind == "seal" else 0.5))

    def paragraph(
        self, text: str, font: str, size: float, leading: float, bold: bool = False
    ) -> Any:
        from docx.enum.text import WD_LINE_SPACING
        from docx.shared import Pt

        p = self.word.add_paragraph()
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(leading)
        p.paragraph_format.space_after = Pt(0)
        if text:
            _styled_run(p.add_run(xml_safe(text)), font, size, bold)
        return p

    def table(self, block: TableBlock) -> None:
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        weights = block.widths or (1.0,) * block.columns
        widths = [Pt(self.width * w / sum(weights)) for w in weights]
        table = self.word.add_table(rows=len(block.rows), cols=block.columns)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for r, row in enumerate(block.rows):
            for c, cell_runs in enumerate(row):
                cell = table.cell(r, c)
                cell.width = widths[c]
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                p = cell.paragraphs[0]
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                p.paragraph_format.line_spacing = Pt(CELL_LEADING)
                if isinstance(cell_runs, tuple) and cell_runs and not only_blanks(cell_runs):
                    text = xml_safe(runs_text(cell_runs))
                    _styled_run(p.add_run(text), BODY_FONT, CELL_SIZE)
        for (c0, r0), (c1, r1) in table_spans(block):
            table.cell(r0, c0).merge(table.cell(r1, c1))
        self.paragraph("", BODY_FONT, BODY_SIZE, BODY_LEADING / 2)


def _styled_run(run: Any, font: str, size: float, bold: bool = False) -> None:
    """Font, size and — what python-docx leaves out — the East Asian font of a run."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold or None
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)


def _text_width(text: str, size: float) -> float:
    """Rough width: a CJK character is one em, ASCII half (Word measures the real font)."""
    return sum(size if ord(c) > 0x7F else size / 2 for c in text)
