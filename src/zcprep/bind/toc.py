"""The 目录 (table of contents) that opens a bound volume, and its page ranges.

A 目录 must know its own length before it can be right: when it is numbered, the first
material starts after it; and a long list, or long material names that wrap, may push
it onto a second page. So the table is laid out first on a throwaway canvas to count
its pages, the ranges are computed from that count, and only then is it drawn for real
(``plan_toc``). Tools that guess get every range wrong by the 目录's length.

The 目录 is drawn with platypus flowables onto a canvas the caller owns, so that it
shares one document — and one embedded font — with the page-number overlay.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from zcprep.errors import ConfigError, InternalError

MM = 72 / 25.4
PAGE = (210 * MM, 297 * MM)
MARGIN_X = 20 * MM
MARGIN_TOP = 22 * MM
MARGIN_BOTTOM = 22 * MM
COLUMNS = (16 * MM, None, 34 * MM)  # 序号 | 材料名称 (the rest) | 页码
TITLE_SIZE = 18
TEXT_SIZE = 12
MAX_TOC_PAGES = 200
MAX_PASSES = 6

PageHook = Callable[[Any, int], None]


@dataclass(frozen=True)
class TocHeading:
    """What the 目录 says above the table."""

    title: str
    applicant: str
    level: str
    unit: str = ""


@dataclass(frozen=True)
class TocRow:
    """One bound item: 序号, 材料名称 and its first and last page number."""

    number: int
    name: str
    first: int
    last: int
    missing: bool = False  # a preview's required item that has no file: shown as 缺

    @property
    def pages(self) -> str:
        if self.missing:
            return "缺"
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


@dataclass(frozen=True)
class TocPlan:
    """How many pages the 目录 takes and the rows it shows."""

    pages: int
    rows: tuple[TocRow, ...]
    first_number: int  # the number stamped on the first bound page


def page_ranges(counts: Sequence[int | None], first: int) -> list[tuple[int, int]]:
    """(first, last) page number of consecutive items of ``counts`` pages each (a
    missing item, None, takes no page: it is (0, 0))."""
    ranges = []
    start = first
    for count in counts:
        if count is None:
            ranges.append((0, 0))
            continue
        ranges.append((start, start + count - 1))
        start += count
    return ranges


def rows_for(names: Sequence[str], counts: Sequence[int | None], first: int) -> tuple[TocRow, ...]:
    """The rows in checklist order; a count of None is a missing item (缺)."""
    return tuple(
        TocRow(index, name, start, end, missing=count is None)
        for index, (name, count, (start, end)) in enumerate(
            zip(names, counts, page_ranges(counts, first), strict=True), start=1
        )
    )


def plan_toc(
    heading: TocHeading,
    names: Sequence[str],
    counts: Sequence[int | None],
    font: str,
    *,
    numbered: bool,
) -> TocPlan:
    """Lay the 目录 out until its page count and the ranges it shows agree.

    Unnumbered, the ranges start at 1 whatever the 目录's length, so one layout counts
    it. Numbered, the ranges start after the 目录; a longer number could in principle
    change the wrapping, so the layout repeats until the count is stable.
    """
    pages = 1
    for _ in range(MAX_PASSES):
        first = pages + 1 if numbered else 1
        rows = rows_for(names, counts, first)
        laid_out = count_pages(heading, rows, font)
        if laid_out == pages or not numbered:
            return TocPlan(laid_out, rows, first)
        pages = laid_out
    raise InternalError(
        "目录页数无法确定（排版结果反复变化）。",
        "在 zcprep.toml 的 [bind] 中设 toc_numbered = false 后重试。",
    )


def count_pages(heading: TocHeading, rows: Sequence[TocRow], font: str) -> int:
    """The number of pages :func:`draw_toc` takes, laid out on a throwaway canvas."""
    from reportlab.pdfgen.canvas import Canvas

    scratch = Canvas(io.BytesIO(), pagesize=PAGE, invariant=1)
    return draw_toc(scratch, heading, rows, font)


def draw_toc(
    canvas: Any,
    heading: TocHeading,
    rows: Sequence[TocRow],
    font: str,
    on_page: PageHook | None = None,
) -> int:
    """Draw the 目录 onto ``canvas``, one ``showPage`` per page; return the page count.

    ``on_page(canvas, index)`` runs on each page before it is finished (a page number).
    """
    from reportlab.platypus import Frame

    story = _story(heading, rows, font)
    pages = 0
    while story:
        if pages >= MAX_TOC_PAGES:
            raise ConfigError(
                f"目录超过 {MAX_TOC_PAGES} 页，无法排版。",
                "检查 zcprep.toml 中 [[materials]] 的 name 是否异常地长。",
            )
        canvas.setPageSize(PAGE)
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            PAGE[0] - 2 * MARGIN_X,
            PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            showBoundary=0,
        )
        placed = _fill(frame, story, canvas)
        if not placed:
            raise ConfigError(
                "目录排版失败：有一行放不进一页。",
                "检查 zcprep.toml 中 [[materials]] 的 name 是否异常地长。",
            )
        if on_page is not None:
            on_page(canvas, pages)
        canvas.showPage()
        pages += 1
    return pages


def _fill(frame: Any, story: list[Any], canvas: Any) -> int:
    """Put as much of ``story`` into ``frame`` as fits, splitting a table across pages.

    reportlab's ``Frame.addFromList`` never splits; a document template would, but it
    owns its canvas, and the 目录 must share the overlay's canvas (one font, one file).
    """
    placed = 0
    while story:
        head = story[0]
        if frame.add(head, canvas, trySplit=0):
            story.pop(0)
            placed += 1
            continue
        parts = frame.split(head, canvas)
        if not parts or not frame.add(parts[0], canvas, trySplit=0):
            break
        story[0:1] = parts[1:]
        placed += 1
    return placed


def _story(heading: TocHeading, rows: Sequence[TocRow], font: str) -> list[Any]:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    def style(name: str, size: float, leading: float, centred: bool = False) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=font,
            fontSize=size,
            leading=leading,
            wordWrap="CJK",
            alignment=TA_CENTER if centred else 0,
        )

    title = style("toc-title", TITLE_SIZE, TITLE_SIZE * 1.5, centred=True)
    info = style("toc-info", TEXT_SIZE, TEXT_SIZE * 1.6, centred=True)
    cell = style("toc-cell", TEXT_SIZE, TEXT_SIZE * 1.5)
    centred = style("toc-centred", TEXT_SIZE, TEXT_SIZE * 1.5, centred=True)

    details = f"申报人：{_escape(heading.applicant)}　　申报级别：{_escape(heading.level)}"
    story: list[Any] = [Paragraph(_escape(heading.title), title), Spacer(1, 4 * MM)]
    if heading.unit:
        story.append(Paragraph(f"申报单位：{_escape(heading.unit)}", info))
    story += [Paragraph(details, info), Spacer(1, 6 * MM)]

    data: list[list[Any]] = [[Paragraph(t, centred) for t in ("序号", "材料名称", "页码")]]
    for row in rows:
        data.append(
            [
                Paragraph(str(row.number), centred),
                Paragraph(_escape(row.name), cell),
                Paragraph(row.pages, centred),
            ]
        )
    width = PAGE[0] - 2 * MARGIN_X
    fixed = sum(c for c in COLUMNS if c is not None)
    widths = [c if c is not None else width - fixed for c in COLUMNS]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    story.append(table)
    return story


def _escape(text: str) -> str:
    """Paragraph text is mini-HTML: a name with & or < must show as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
