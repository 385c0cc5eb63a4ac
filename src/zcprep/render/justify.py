"""Justified Chinese body text (两端对齐): a full line's spare width shared between atoms.

An atom is what a line never breaks inside and justification never spreads: a date
(2023年5月12日, 二〇二三年五月十二日), a number or ID, a Latin word, a short word in
brackets (（岗位）), or one character.
A full line (not a paragraph's last) gets its unused width spread over the gaps between
its atoms; when a gap would grow by more than :data:`MAX_GAP_EM` of the type size the
line stays left-aligned rather than look torn apart. A line a few points too long (it
took a whole ID rather than end early) closes up its full-width marks first
(:mod:`zcprep.render.punct`), then its gaps by at most :data:`MAX_SQUEEZE_EM`, and last
lets a closing mark hang in the margin.
"""

from __future__ import annotations

import re
from typing import Any

from zcprep.render.punct import OPENING, punctuation_room

_CN_DIGIT = "〇零一二三四五六七八九十"
ATOM = re.compile(
    r"\d{4}年\d{1,2}月(?:\d{1,2}日)?"
    rf"|[{_CN_DIGIT}]{{4}}年[{_CN_DIGIT}]{{1,2}}月(?:[{_CN_DIGIT}]{{1,3}}日)?"
    r"|_+年_+月(?:_+日)?"  # a date left blank to fill by hand
    r"|（[^（）\s]{1,6}）"  # a short word in brackets: （岗位）, （工程师）
    r"|[—–]{2,}|…+"  # a dash ——, an ellipsis ……: one mark, never spread or split
    r"|[A-Za-z0-9_]+(?:[.\-/@:][A-Za-z0-9_]+)*|\s+|.",
    re.S,
)
MAX_GAP_EM = 0.3  # the most a gap between two atoms may grow, in ems
# The most a gap may shrink, in ems: a line a few points too long for an ID or a date
# takes it by closing up slightly rather than end far short.
MAX_SQUEEZE_EM = 0.1
HANGING = "，。、；：？！）》」』】〉〕”’"  # marks that may hang past the right edge


def atoms(text: str) -> list[str]:
    return [m.group(0) for m in ATOM.finditer(text)]


def closable(line_atoms: list[str], room: dict[str, float], size: float) -> list[float]:
    """How much each atom's blank side may close up, in points (an opening mark that
    starts the line keeps its blank: it is not squeezed against the margin)."""
    return [
        0.0 if (index == 0 and atom in OPENING) else room.get(atom, 0.0) * size
        for index, atom in enumerate(line_atoms)
    ]


def gap_extra(line: str, unused: float, size: float) -> float:
    """What each gap between the line's atoms grows by (0: leave the line left-aligned)."""
    gaps = len(atoms(line)) - 1
    if gaps <= 0 or unused <= 0:
        return 0.0
    extra = unused / gaps
    return extra if extra <= MAX_GAP_EM * size else 0.0


def positions(
    line_atoms: list[str], widths: list[float], unused: float, size: float, room: dict[str, float]
) -> list[float]:
    """Where each atom starts, from the line's start, for a line ``unused`` short of
    its measure (negative: too long by that much). A full line is spread; a long one
    closes up its marks, then its gaps, then hangs its last mark in the margin."""
    if unused >= 0:
        extra = gap_extra("".join(line_atoms), unused, size)
        return _place(widths, [0.0] * len(widths), extra)
    need = -unused
    shrink = closable(line_atoms, room, size)
    gaps = len(line_atoms) - 1
    squeeze = MAX_SQUEEZE_EM * size * gaps
    if need > sum(shrink) + squeeze + 1e-6 and len(line_atoms) > 1 and line_atoms[-1] in HANGING:
        head = positions(line_atoms[:-1], widths[:-1], unused + widths[-1], size, room)
        return [*head, head[-1] + widths[-2]]
    total = sum(shrink)
    taken = min(need, total)
    share = [s * taken / total for s in shrink] if total else shrink
    tighter = -min(need - taken, squeeze) / gaps if gaps else 0.0
    closes = [s if a in OPENING else -s for a, s in zip(line_atoms, share, strict=True)]
    return _place(widths, closes, tighter)


def _place(widths: list[float], closes: list[float], gap: float) -> list[float]:
    """Starts of atoms of ``widths``: ``closes`` > 0 takes that much before the atom (an
    opening mark's left blank), < 0 after it (a closing mark's right blank)."""
    x, starts = 0.0, []
    for index, (width, close) in enumerate(zip(widths, closes, strict=True)):
        if close > 0 and index:
            x -= close
        starts.append(x)
        x += width + gap - max(-close, 0.0)
    return starts


def draw_justified(paragraph: Any) -> None:
    """Draw a CJK paragraph's plain lines (kind 0), every line but the last justified."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    canvas, style, para = paragraph.canv, paragraph.style, paragraph.blPara
    font, size = para.fontName, para.fontSize
    room = punctuation_room(font)
    canvas.saveState()
    canvas.setFillColor(para.textColor)
    canvas.setFont(font, size)
    y = paragraph.height - getattr(para, "ascent", size)
    last = len(para.lines) - 1
    for index, (unused, words) in enumerate(para.lines):
        line = "".join(words)
        x = style.leftIndent + (style.firstLineIndent if index == 0 else 0)
        pieces = atoms(line)
        widths = [stringWidth(atom, font, size) for atom in pieces]
        spare = 0.0 if index == last and unused >= 0 else unused
        starts = positions(pieces, widths, spare, size, room)
        natural = _place(widths, [0.0] * len(widths), 0.0)
        if all(abs(a - b) < 1e-6 for a, b in zip(starts, natural, strict=True)):
            canvas.drawString(x, y, line)  # nothing moved: one string, natural spacing
        else:
            for atom, start in zip(pieces, starts, strict=True):
                canvas.drawString(x + start, y, atom)
        y -= style.leading
    canvas.restoreState()
