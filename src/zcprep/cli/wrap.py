"""Line breaking for the terminal: Chinese text wrapped by display cells, never inside
a file name, a number, a date, an ID, a range such as 01–08 or a quoted value, and
never with a closing mark (。，）”) at the start of a line or an opening one (（“) at
its end (the kinsoku rule every Chinese typesetter follows).

The text is cut into *atoms* a line may not split; lines are then filled greedily.
An atom wider than the whole line is folded by characters, the only split left.
"""

from __future__ import annotations

import re

from zcprep.units import NO_LINE_END, NO_LINE_START, text_width

# Longest first: a file name swallows the number inside it, a date its digits.
_UNBREAKABLE = re.compile(
    r"""
      zcprep(?:\ --?[a-z][a-z-]*|\ [a-z][a-z-]*)+       # zcprep check --stage paper
    | [A-Za-z_][A-Za-z0-9_.]*\ =\ [^\s，。、；：]+       # enforce = true
    | [\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号                 # 人社部发〔2019〕16号
    | "[^"\n]{1,60}"                                   # "ASCII quoted"
    | '[^'\n]{1,60}'                                   # 'bottom-center'
    | [^\s，。、；：！？“”‘’「」『』（）()《》【】,;]+
      \.[A-Za-z][A-Za-z0-9]{0,4}(?![A-Za-z0-9])       # 工作总结.doc, 01-申报表/扫描.pdf
    | [^\s，。、；：！？“”‘’「」『』（）()《》【】,;]*/
      [^\s，。、；：！？“”‘’「」『』（）()《》【】,;]+  # a folder path: 02-人员简介表/
    | \d{2}-[^\s，。、；：！？“”‘’「」『』（）()《》【】,;/]+/?  # 02-人员简介表/
    | (?:[满第近共约逾]\s?)?\d[\d*Xx.:/\-–—~～年月日号]*
      (?:\s?(?:个月|学时|年|月|日|天|页|份|个|条|项|元|篇|部|人|岁|MB|KB|GB|%|％))?
    | [A-Za-z0-9_@*#+=.:/\\\-–—]+                      # an ASCII word or code
    """,
    re.VERBOSE,
)

CLOSING = NO_LINE_START
OPENING = NO_LINE_END
cells = text_width  # display width: CJK and full-width characters take two cells


def atoms(text: str) -> list[str]:
    """The pieces a line break may fall between. Spaces are atoms of their own, to be
    dropped at a line's end."""
    pieces: list[str] = []
    at = 0
    for match in _UNBREAKABLE.finditer(text):
        pieces.extend(text[at : match.start()])  # one character at a time
        pieces.append(match.group(0))
        at = match.end()
    pieces.extend(text[at:])
    return _glue_punctuation(pieces)


def _glue_punctuation(pieces: list[str]) -> list[str]:
    """A closing mark joins the atom before it (across a space), an opening mark the
    atom after it."""
    glued: list[str] = []
    pending = ""
    for piece in pieces:
        if piece in OPENING:
            pending += piece
            continue
        if pending:
            piece, pending = pending + piece, ""
        if piece[0] in CLOSING and any(not g.isspace() for g in glued):
            spaces = ""
            while glued[-1].isspace():
                spaces = glued.pop() + spaces
            glued[-1] += spaces + piece
        else:
            glued.append(piece)
    if pending:
        glued.append(pending)
    return glued


def wrap(text: str, width: int, indent: str = "", first: str = "") -> list[str]:
    """``text`` as lines no wider than ``width`` cells. ``first`` starts the first
    line (a label such as "怎么办："), ``indent`` the others; explicit newlines stay."""
    width = max(width, cells(indent) + 2, cells(first) + 2)
    lines: list[str] = []
    for number, paragraph in enumerate(text.split("\n")):
        lead = first if number == 0 else indent
        lines.extend(_fill(atoms(paragraph), width, lead, indent))
    return lines


def _fill(pieces: list[str], width: int, lead: str, indent: str) -> list[str]:
    lines: list[str] = []
    line, used = lead, cells(lead)
    fresh = True  # nothing but the lead on this line yet
    for piece in pieces:
        size = cells(piece)
        if piece.isspace():
            if not fresh and used + size <= width:
                line, used = line + piece, used + size
            continue
        if used + size > width and not fresh:
            lines.append(line.rstrip())
            line, used, fresh = indent, cells(indent), True
        if used + size > width and size <= width and fresh and lines:
            line, used = "", 0  # fits only without the indent: better than a split
        if used + size > width:  # wider than a whole line: fold it by characters
            for chunk in _glue_punctuation(list(piece)):
                if used + cells(chunk) > width and not fresh:
                    lines.append(line)
                    line, used = indent, cells(indent)
                line, used, fresh = line + chunk, used + cells(chunk), False
            continue
        line, used, fresh = line + piece, used + size, False
    lines.append(line.rstrip())
    return lines
