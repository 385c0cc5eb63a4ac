"""Lay a parsed form (:mod:`zcprep.render.markup`) out on A4 with reportlab platypus.

A4 with the GB/T 9704 text area (156 × 225 mm): title 二号 (22 pt) centred, body 三号
(16 pt) on a fixed 28 pt line, justified (render/justify.py), paragraphs indented two
characters, tables 五号 (10.5 pt). The title has its own face where one is installed
(黑体 or 小标宋, :class:`TitleFace`); in the body font it is made bold-looking by
stroking the glyph outlines (text render mode 2), since most machines have no bold CJK
font. A long value in a table cell is set smaller, then wrapped (render/fit.py); a form
that still cannot be laid out raises LayoutProblem naming the cell, never reportlab's
error. A cell that holds only a missing value stays empty: the cell is the space to
write in, an underline there would be stray.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, BinaryIO

from zcprep.render.fit import (
    CELL_PADDING,
    LayoutProblem,
    fitted_cell,
    only_blanks,
    refuse_tall_rows,
    span_boxes,
)
from zcprep.render.justify import MAX_SQUEEZE_EM, draw_justified
from zcprep.render.markup import (
    SPAN_LEFT,
    SPAN_UP,
    Block,
    Document,
    PageBreak,
    Run,
    Spacer,
    TableBlock,
    TextBlock,
    runs_text,
)
from zcprep.render.wrap import wrap_cjk

MARGINS_MM = {"top": 37.0, "right": 26.0, "bottom": 35.0, "left": 28.0}
TITLE_SIZE, TITLE_LEADING = 22.0, 34.0
BODY_SIZE, BODY_LEADING = 16.0, 28.0
CELL_SIZE, CELL_LEADING = 10.5, 16.0
HAND_GAP = "＿"  # printed for a character the font lacks: write it by hand
SIGNATURE_START = 0.5  # signature and seal lines start at half the text width


@dataclass(frozen=True)
class TitleFace:
    """The title's own font (黑体 or 小标宋 where installed) and the characters it lacks
    (printed as blanks); ``heavy``: a bold face, drawn as it is rather than stroked."""

    font: str
    missing: frozenset[str] = frozenset()
    heavy: bool = True


def write_pdf(
    handle: BinaryIO,
    doc: Document,
    font_name: str,
    missing: set[str],
    title: str,
    title_face: TitleFace | None = None,
) -> None:
    """Lay the document out on A4 and write the PDF to ``handle`` (byte-stable). The
    title is set in ``title_face`` if given, else in the body font, stroked bold."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    page = BaseDocTemplate(
        handle,
        pagesize=A4,
        topMargin=MARGINS_MM["top"] * mm,
        rightMargin=MARGINS_MM["right"] * mm,
        bottomMargin=MARGINS_MM["bottom"] * mm,
        leftMargin=MARGINS_MM["left"] * mm,
        title=title,
        author="",
        subject="",
        creator="zcprep",
        invariant=1,
        initialFontName=font_name,  # else every page names Helvetica, never embedded
    )
    # No frame padding: the text area is the GB/T 9704 156 × 225 mm, edge to edge.
    text = Frame(page.leftMargin, page.bottomMargin, page.width, page.height, 0, 0, 0, 0, id="text")
    page.addPageTemplates([PageTemplate(id="A4", frames=[text])])
    from reportlab.platypus.doctemplate import LayoutError

    title_face = title_face or TitleFace(font_name, frozenset(missing), heavy=False)
    # A small margin below the text area's height: what one table row may take.
    layout = _Layout(font_name, missing, page.width, page.height - 12, title_face)
    flowables = [f for block in doc.blocks for f in layout.flowables(block)]
    try:
        page.build(flowables or [layout.spacer(1)])
    except LayoutError:
        raise LayoutProblem(layout.longest_cell) from None


class _Layout:
    """Turns blocks into reportlab flowables with one font and one set of styles."""

    def __init__(
        self, font: str, missing: set[str], width: float, height: float, title: TitleFace
    ) -> None:
        from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle

        self.font, self.missing, self.width, self.height = font, missing, width, height
        self.title = title
        self.longest_cell: str | None = None  # named when the layout fails after all
        body = ParagraphStyle(
            "body",
            fontName=font,
            fontSize=BODY_SIZE,
            leading=BODY_LEADING,
            wordWrap="CJK",
            alignment=TA_JUSTIFY,
            firstLineIndent=2 * BODY_SIZE,
        )
        flat = {"parent": body, "firstLineIndent": 0}
        signature = {
            **flat,
            "alignment": TA_LEFT,
            "leftIndent": width * SIGNATURE_START,
            "spaceBefore": BODY_LEADING / 2,
        }
        self.styles = {
            "title": ParagraphStyle(
                "title",
                **flat,
                fontName=title.font,
                fontSize=TITLE_SIZE,
                leading=TITLE_LEADING,
                alignment=TA_CENTER,
                spaceAfter=BODY_LEADING / 2,
            ),
            "subtitle": ParagraphStyle("subtitle", **flat, alignment=TA_CENTER, spaceAfter=6),
            "paragraph": body,
            "left": ParagraphStyle("left", **flat, alignment=TA_LEFT),
            "center": ParagraphStyle("center", **flat, alignment=TA_CENTER),
            "right": ParagraphStyle("right", **flat, alignment=TA_RIGHT),
            "signature": ParagraphStyle("signature", **signature),
            "seal": ParagraphStyle("seal", **{**signature, "spaceBefore": 1.5 * BODY_LEADING}),
            "date": ParagraphStyle(
                "date", **flat, alignment=TA_RIGHT, rightIndent=2 * BODY_SIZE, spaceBefore=6
            ),
            "cell": ParagraphStyle(
                "cell",
                **flat,
                fontSize=CELL_SIZE,
                leading=CELL_LEADING,
                alignment=TA_CENTER,
            ),
        }
        self.gap = HAND_GAP if HAND_GAP not in missing else "_"

    def flowables(self, block: Block) -> list[Any]:
        from reportlab.platypus import PageBreak as RLPageBreak

        if isinstance(block, Spacer):
            return [self.spacer(block.lines)]
        if isinstance(block, PageBreak):
            return [RLPageBreak()]
        if isinstance(block, TableBlock):
            return [self.table(block)]
        if block.kind == "date" and not block.runs:
            return [self.blank_date()]
        if block.kind == "title":
            kind = _cjk_paragraph() if self.title.heavy else _bold_paragraph()
            return [kind(self.xml(block.runs, self.title.missing), self.styles["title"])]
        style = self.styles[block.kind]
        if block.kind in ("signature", "seal"):
            style = self.signature_style(style, block)
        return [_cjk_paragraph()(self.xml(block.runs), style)]

    def signature_style(self, style: Any, block: TextBlock) -> Any:
        """Start at the middle of the line, or further left when the text (a long unit
        name after 单位（盖章）：) would not fit on one line from there."""
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.pdfbase.pdfmetrics import stringWidth

        needed = stringWidth(block.text, self.font, BODY_SIZE) + BODY_SIZE
        indent = max(0.0, min(self.width * SIGNATURE_START, self.width - needed))
        return ParagraphStyle(f"{style.name}-fitted", parent=style, leftIndent=indent)

    def spacer(self, lines: int) -> Any:
        from reportlab.platypus import Spacer as RLSpacer

        return RLSpacer(1, lines * BODY_LEADING)

    def xml(self, runs: tuple[Run, ...], missing: Collection[str] | None = None) -> str:
        """Paragraph markup of runs: every character escaped, none the font lacks."""
        from xml.sax.saxutils import escape

        missing = self.missing if missing is None else missing
        parts = []
        for run in runs:
            text = run if isinstance(run, str) else run.shape
            if missing:
                text = "".join(self.gap if c in missing else c for c in text)
            parts.append(escape(text))
        return "".join(parts).replace("\n", "<br/>")

    def table(self, block: TableBlock) -> Any:
        from reportlab.platypus import Table

        weights = block.widths or (1.0,) * block.columns
        total = sum(weights)
        widths = [self.width * w / total for w in weights]
        cells = self.table_cells(block, widths)
        style: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), self.font),  # empty cells too: no Helvetica
            ("GRID", (0, 0), (-1, -1), 0.6, "black"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING / 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING / 2),
        ]
        style += [("SPAN", start, end) for start, end in table_spans(block)]
        table = Table(cells, colWidths=widths, style=style, hAlign="CENTER")
        table.spaceBefore = table.spaceAfter = 6
        return table

    def table_cells(self, block: TableBlock, widths: list[float]) -> list[list[Any]]:
        """Each cell's paragraph, set smaller when long (render/fit.py); LayoutProblem
        when a row would still be taller than a page."""
        boxes = span_boxes(table_spans(block))
        cells: list[list[Any]] = []
        heights: dict[tuple[int, int], float] = {}
        texts: dict[tuple[int, int], str] = {}
        for r, row in enumerate(block.rows):
            cells.append([])
            for c, runs in enumerate(row):
                if not isinstance(runs, tuple) or only_blanks(runs):
                    cells[-1].append("")
                    continue
                c0, c1, r0, r1 = boxes.get((r, c), (c, c, r, r))
                width = sum(widths[c0 : c1 + 1]) - CELL_PADDING
                paragraph, height = fitted_cell(
                    _cjk_paragraph(), self.xml(runs), self.styles["cell"], width, r1 - r0 + 1
                )
                cells[-1].append(paragraph)
                texts[(r, c)] = runs_text(runs)
                if r1 == r0:
                    heights[(r, c)] = height
                if len(texts[(r, c)]) > len(self.longest_cell or ""):
                    self.longest_cell = texts[(r, c)]
        refuse_tall_rows(heights, texts, self.height)
        return cells

    def blank_date(self) -> Any:
        """年  月  日 at the right, with room to write the numbers by hand."""
        from reportlab.platypus import Table

        em = BODY_SIZE
        cells = [["", "年", "", "月", "", "日", ""]]
        widths = [4 * em, em, 2 * em, em, 2 * em, em, 2 * em]
        table = Table(
            cells,
            colWidths=widths,
            rowHeights=[BODY_LEADING],
            hAlign="RIGHT",
            style=[
                ("FONTNAME", (0, 0), (-1, -1), self.font),
                ("FONTSIZE", (0, 0), (-1, -1), BODY_SIZE),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ],
        )
        table.spaceBefore = 6
        return table


def table_spans(block: TableBlock) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """reportlab SPAN ranges ((col, row) corners) from ``<`` and ``^`` cells.

    Each cell belongs to an owner: itself, the owner of its left neighbour (``<``) or
    of the cell above (``^``); a span covers the bounding box of an owner's cells. A
    ``<`` in the first column or ``^`` in the first row owns itself (an empty cell).
    """
    owners: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(block.rows):
        for c, cell in enumerate(row):
            if cell == SPAN_LEFT and c > 0:
                owners[(r, c)] = owners[(r, c - 1)]
            elif cell == SPAN_UP and r > 0:
                owners[(r, c)] = owners[(r - 1, c)]
            else:
                owners[(r, c)] = (r, c)
    boxes: dict[tuple[int, int], list[int]] = {}
    for (r, c), owner in owners.items():
        box = boxes.setdefault(owner, [r, c, r, c])
        box[0], box[1] = min(box[0], r), min(box[1], c)
        box[2], box[3] = max(box[2], r), max(box[3], c)
    return [((c0, r0), (c1, r1)) for r0, c0, r1, c1 in boxes.values() if (r0, c0) != (r1, c1)]


@lru_cache(maxsize=1)
def _cjk_paragraph() -> type:
    """A Paragraph that wraps Chinese with :func:`wrap_cjk` (reportlab's own CJK wrap
    cuts an 18-digit ID number in two when it starts past the middle of a line)."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.platypus import Paragraph

    class CJKParagraph(Paragraph):
        def drawPara(self, debug: int = 0) -> None:
            if getattr(self, "_justify_cjk", False):
                return draw_justified(self)
            return super().drawPara(debug)

        def breakLinesCJK(self, maxWidths: Any) -> Any:  # reportlab calls it by this name
            frags = self.frags
            simple = (
                len(frags) == 1
                and hasattr(frags[0], "text")
                and not hasattr(frags[0], "cbDefn")
                and not self.style.endDots
                and not (hasattr(self, "blPara") and getattr(self, "_splitpara", False))
            )
            if not simple:
                return super().breakLinesCJK(maxWidths)
            widths = list(maxWidths) if isinstance(maxWidths, (list, tuple)) else [maxWidths]
            self.height = 0
            frag = frags[0]
            self._justify_cjk = self.style.alignment == TA_JUSTIFY
            squeeze = MAX_SQUEEZE_EM * frag.fontSize if self._justify_cjk else 0.0
            lines = wrap_cjk(frag.text, widths, frag.fontName, frag.fontSize, squeeze)
            return frag.clone(
                kind=0,
                lines=[(space, [line]) for space, line in lines],
                ascent=frag.fontSize,
                descent=-0.2 * frag.fontSize,
            )

    return CJKParagraph


@lru_cache(maxsize=1)
def _bold_paragraph() -> type:
    """A paragraph drawn with stroked outlines: bold-looking in any font."""

    class BoldParagraph(_cjk_paragraph()):  # type: ignore[misc]
        def draw(self) -> None:
            canvas = self.canv
            canvas.saveState()
            canvas.setLineWidth(0.045 * self.style.fontSize)
            mode = canvas.beginText()
            mode.setTextRenderMode(2)  # fill, then stroke: persists until restoreState
            canvas.drawText(mode)
            super().draw()
            canvas.restoreState()

    return BoldParagraph
