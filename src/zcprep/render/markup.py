"""The block markup form templates produce, and its parser (layout: :mod:`zcprep.render.pdf`).

A form template (jinja2) writes plain lines that an officer can read and edit without
Python; ``render`` lays them out. One line, one meaning (templates/README.md):

    # 标题                      centred title
    ## 副标题                   centred subtitle
    正文……                      paragraph (first line indented two characters); lines that
                                follow without a blank line join the same paragraph
    （空行）                    ends a paragraph; every further blank line adds space
    | 单元格 | 单元格 |          one table row; consecutive rows make one table;
                                a cell holding only ``<`` joins the cell to its left,
                                only ``^`` the cell above
    [列宽] 2 3 3                relative column widths of the next table
    [左] / [中] / [右] 文字      a line aligned left (no indent), centred, right
    [签名] 申报人（签名）：      a signature line, starting at the middle of the page
    [盖章] 单位（盖章）：        a seal line, with room above for the seal
    [日期]                      a date line "年  月  日" to fill by hand, at the right;
    [日期] 2023年5月8日          or a given date
    [分页]                      page break

``\\`` before any of ``\\ | # [ ] < ^`` prints that character literally.

Data never carries markup: the context values are *protected* before rendering (every
markup character mapped to a private-use code point, see :func:`protect`), so whatever a
template does with them — filters, joins, concatenation — they can only come out as
text. A value that is missing is rendered as a *blank token* naming its field; the
parser turns it into a :class:`Blank` run (a line to write on by hand) and lists it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from zcprep.errors import ConfigError
from zcprep.xmltext import xml_safe

# Markup characters and the private-use code points that stand for them inside data
# (and after a template author's backslash). They become the real characters again
# only in the finished text runs, after the structure has been read.
SPECIAL = "\\|#[]<^"
_PROTECT_BASE = 0xE000
# U+FEFF too: a value that starts the template text must not pass for Notepad's BOM.
_PROTECTED = {c: chr(_PROTECT_BASE + i) for i, c in enumerate(SPECIAL + "\ufeff")}
_UNPROTECTED = {v: k for k, v in _PROTECTED.items()}
# Blank tokens: \ue010 field \ue011 shape \ue012.
_BLANK_OPEN, _BLANK_MID, _BLANK_CLOSE = "\ue010", "\ue011", "\ue012"
_RESERVED = re.compile("[\ue000-\ue01f]")
_BLANK_TOKEN = re.compile(
    f"{_BLANK_OPEN}([^{_BLANK_MID}]*){_BLANK_MID}([^{_BLANK_CLOSE}]*){_BLANK_CLOSE}"
)
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")

BLANK_LINE = "________"
BLANK_DATE = "______年____月____日"

SPAN_LEFT = "<"
SPAN_UP = "^"

TEXT_TAGS = {"左": "left", "中": "center", "右": "right", "签名": "signature", "盖章": "seal"}
TAGS = (*TEXT_TAGS, "日期", "列宽", "分页")

TextKind = Literal[
    "title", "subtitle", "paragraph", "left", "center", "right", "signature", "seal", "date"
]


def protect(value: str) -> str:
    """Make a data value inert: markup characters become private-use stand-ins,
    line breaks become spaces (a value can never start a new line, hence a new block).
    Reserved private-use characters already in the value become U+FFFD."""
    value = _RESERVED.sub("\ufffd", value)
    value = _LINE_BREAKS.sub(" ", value)
    return "".join(_PROTECTED.get(c, c) for c in value)


def blank_token(field_name: str, shape: str = BLANK_LINE) -> str:
    """What a missing value renders as in a template: a blank that names its field."""
    return f"{_BLANK_OPEN}{field_name}{_BLANK_MID}{shape}{_BLANK_CLOSE}"


@dataclass(frozen=True)
class Blank:
    """A line left to fill by hand, because ``field`` had no value."""

    field: str
    shape: str = BLANK_LINE


Run = str | Blank


@dataclass(frozen=True)
class TextBlock:
    kind: TextKind
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return runs_text(self.runs)


@dataclass(frozen=True)
class Spacer:
    lines: int = 1


@dataclass(frozen=True)
class PageBreak:
    pass


Cell = tuple[Run, ...] | Literal["<", "^"]


@dataclass(frozen=True)
class TableBlock:
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...] | None = None

    @property
    def columns(self) -> int:
        return len(self.rows[0]) if self.rows else 0


Block = TextBlock | Spacer | PageBreak | TableBlock


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)

    @property
    def blanks(self) -> list[Blank]:
        """Every blank in the form, in order of appearance."""
        found: list[Blank] = []
        for runs in self.all_runs():
            found += [run for run in runs if isinstance(run, Blank)]
        return found

    def all_runs(self) -> list[tuple[Run, ...]]:
        out: list[tuple[Run, ...]] = []
        for block in self.blocks:
            if isinstance(block, TextBlock):
                out.append(block.runs)
            elif isinstance(block, TableBlock):
                out += [cell for row in block.rows for cell in row if isinstance(cell, tuple)]
        return out

    @property
    def text(self) -> str:
        """All printed text (blanks as their underline), for the font check."""
        return "\n".join(runs_text(runs) for runs in self.all_runs())


def runs_text(runs: tuple[Run, ...]) -> str:
    return "".join(run if isinstance(run, str) else run.shape for run in runs)


def xml_safe_document(doc: Document) -> Document:
    """The document without characters no PDF text or .docx can hold (zcprep.xmltext):
    for text assembled from many sources (a letter quotes findings and file names)."""

    def runs(items: tuple[Run, ...]) -> tuple[Run, ...]:
        return tuple(xml_safe(run) if isinstance(run, str) else run for run in items)

    blocks: list[Block] = []
    for block in doc.blocks:
        if isinstance(block, TextBlock):
            blocks.append(TextBlock(block.kind, runs(block.runs)))
        elif isinstance(block, TableBlock):
            rows = tuple(
                tuple(runs(cell) if isinstance(cell, tuple) else cell for cell in row)
                for row in block.rows
            )
            blocks.append(TableBlock(rows, block.widths))
        else:
            blocks.append(block)
    return Document(blocks)


class MarkupError(ConfigError):
    """A form template produced a line the renderer cannot read."""


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.doc = Document()
        self.paragraph: list[str] = []
        self.rows: list[list[str]] = []
        self.widths: tuple[float, ...] | None = None
        self.blank_lines = 0
        self.line_number = 0
        self.line = ""

    def fail(self, problem: str) -> MarkupError:
        return MarkupError(
            f"模板 {self.source} 生成的第 {self.line_number} 行“{self.line[:40]}”：{problem}",
            "按 templates/README.md 的“表单模板标记”修改该模板；要照原样印出 | # [ ] < ^ \\，"
            "在其前面加 \\。",
        )

    # Blocks are emitted when the next kind of line starts.
    def flush_paragraph(self) -> None:
        if self.paragraph:
            self.emit(TextBlock("paragraph", _runs(_join_lines(self.paragraph))))
            self.paragraph = []

    def flush_table(self) -> None:
        if not self.rows:
            return
        width = max(len(row) for row in self.rows)
        rows = tuple(tuple(_cell(c) for c in row + [""] * (width - len(row))) for row in self.rows)
        if self.widths is not None and len(self.widths) != width:
            raise self.fail(f"[列宽] 给了 {len(self.widths)} 个数，而下面的表格有 {width} 列")
        self.emit(TableBlock(rows, self.widths))
        self.rows, self.widths = [], None

    def flush(self) -> None:
        self.flush_paragraph()
        self.flush_table()

    def emit(self, block: Block) -> None:
        if self.blank_lines > 1 and self.doc.blocks:
            self.doc.blocks.append(Spacer(self.blank_lines - 1))
        self.blank_lines = 0
        self.doc.blocks.append(block)

    def feed(self, number: int, raw: str) -> None:
        self.line_number = number
        line = _escape_backslashes(raw.strip(" \t\r"))
        self.line = _unprotect(raw.strip())
        if not line:
            self.flush()
            self.blank_lines += 1
            return
        if line.startswith("|"):
            self.flush_paragraph()
            self.rows.append(_split_row(line))
            return
        self.flush_table()  # any other line ends a table
        if line.startswith("#"):
            self.flush_paragraph()
            self.heading(line)
        elif line.startswith("["):
            self.flush_paragraph()
            self.tag(line)
        else:
            self.paragraph.append(line)

    def heading(self, line: str) -> None:
        hashes = len(line) - len(line.lstrip("#"))
        if hashes > 2:
            raise self.fail("只有 # 标题 和 ## 副标题 两级")
        text = line[hashes:].strip(" \t")
        kind: TextKind = "title" if hashes == 1 else "subtitle"
        last = self.doc.blocks[-1] if self.doc.blocks else None
        if isinstance(last, TextBlock) and last.kind == kind and not self.blank_lines:
            # Consecutive heading lines are one heading broken where the author chose.
            self.doc.blocks[-1] = TextBlock(kind, (*last.runs, "\n", *_runs(text)))
            return
        self.emit(TextBlock(kind, _runs(text)))

    def tag(self, line: str) -> None:
        match = re.match(r"^\[([^\]]*)\]\s*(.*)$", line)
        name = match.group(1).strip() if match else ""
        if not match or name not in TAGS:
            shown = "、".join(f"[{t}]" for t in TAGS)
            raise self.fail(f"不认识的标记（可用：{shown}）")
        rest = match.group(2).strip(" \t")
        if name in TEXT_TAGS:
            kind: TextKind = TEXT_TAGS[name]  # type: ignore[assignment]
            self.emit(TextBlock(kind, _runs(rest)))
        elif name == "日期":
            self.emit(TextBlock("date", _runs(rest)))
        elif name == "分页":
            self.emit(PageBreak())
        else:
            self.widths = self.column_widths(rest)

    def column_widths(self, text: str) -> tuple[float, ...]:
        try:
            widths = tuple(
                float(part) for part in text.replace("，", " ").replace(",", " ").split()
            )
        except ValueError:
            raise self.fail("[列宽] 后面应是用空格分开的数字，如 [列宽] 2 3 3") from None
        if not widths or any(w <= 0 for w in widths):
            raise self.fail("[列宽] 后面应是用空格分开的正数，如 [列宽] 2 3 3")
        return widths


def parse(text: str, source: str = "模板") -> Document:
    """Read rendered template text into blocks; ``source`` names the template in errors."""
    parser = _Parser(source)
    text = text.removeprefix("\ufeff")  # a template saved by Notepad starts with a BOM
    for number, line in enumerate(text.split("\n"), start=1):
        parser.feed(number, line)
    parser.flush()
    if parser.widths is not None:
        raise parser.fail("[列宽] 后面没有表格")
    return parser.doc


def _escape_backslashes(line: str) -> str:
    """``\\X`` for a markup character X becomes X's protected stand-in."""
    if "\\" not in line:
        return line
    out: list[str] = []
    i = 0
    while i < len(line):
        char = line[i]
        if char == "\\" and i + 1 < len(line) and line[i + 1] in SPECIAL:
            out.append(_PROTECTED[line[i + 1]])
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def _split_row(line: str) -> list[str]:
    body = line[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [cell.strip(" \t") for cell in body.split("|")]


def _cell(text: str) -> Cell:
    if text == SPAN_LEFT:
        return "<"
    if text == SPAN_UP:
        return "^"
    return _runs(text)


def _join_lines(lines: list[str]) -> str:
    """Join a paragraph's lines: no space between Chinese, one between Latin words."""
    out = lines[0]
    for line in lines[1:]:
        if out and line and out[-1].isascii() and out[-1].isalnum() and line[0].isascii():
            out += " "
        out += line
    return out


def _runs(text: str) -> tuple[Run, ...]:
    """Split text at blank tokens; restore protected characters in the plain parts."""
    runs: list[Run] = []
    position = 0
    for match in _BLANK_TOKEN.finditer(text):
        if match.start() > position:
            runs.append(_unprotect(text[position : match.start()]))
        runs.append(Blank(match.group(1), _unprotect(match.group(2)) or BLANK_LINE))
        position = match.end()
    if position < len(text):
        runs.append(_unprotect(text[position:]))
    return tuple(runs)


def _unprotect(text: str) -> str:
    text = "".join(_UNPROTECTED.get(c, c) for c in text)
    # A stray part of a blank token (cut by a template filter) prints as nothing.
    return _RESERVED.sub("", text)
