"""Justified Chinese body text (两端对齐): a full line's spare width shared between atoms.

An atom is what a line never breaks inside and justification never spreads: a date
(2023年5月12日, 二〇二三年五月十二日), a number or ID, a Latin word, or one character.
A full line (not a paragraph's last) gets its unused width spread over the gaps between
its atoms; when a gap would grow by more than :data:`MAX_GAP_EM` of the type size the
line stays left-aligned rather than look torn apart.
"""

from __future__ import annotations

import re
from typing import Any

_CN_DIGIT = "〇零一二三四五六七八九十"
ATOM = re.compile(
    r"\d{4}年\d{1,2}月(?:\d{1,2}日)?"
    rf"|[{_CN_DIGIT}]{{4}}年[{_CN_DIGIT}]{{1,2}}月(?:[{_CN_DIGIT}]{{1,3}}日)?"
    r"|[A-Za-z0-9_]+(?:[.\-/@:][A-Za-z0-9_]+)*|\s+|.",
    re.S,
)
MAX_GAP_EM = 0.3  # the most a gap between two atoms may grow, in ems
# The most a gap may shrink, in ems: a line a few points too long for an ID or a date
# takes it by closing up slightly (as 标点挤压 would) rather than end far short.
MAX_SQUEEZE_EM = 0.1
HANGING = "，。、；：？！）》」』】〉〕”’"  # marks that may hang past the right edge


def atoms(text: str) -> list[str]:
    return [m.group(0) for m in ATOM.finditer(text)]


def gap_extra(line: str, unused: float, size: float) -> float:
    """What each gap between the line's atoms grows by (0: leave the line left-aligned)."""
    gaps = len(atoms(line)) - 1
    if gaps <= 0 or unused == 0:
        return 0.0
    extra = unused / gaps
    if extra < 0:  # squeezed by wrap_cjk: close up, never beyond what it allowed
        return max(extra, -MAX_SQUEEZE_EM * size)
    return extra if extra <= MAX_GAP_EM * size else 0.0


def draw_justified(paragraph: Any) -> None:
    """Draw a CJK paragraph's plain lines (kind 0), every line but the last justified."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    canvas, style, para = paragraph.canv, paragraph.style, paragraph.blPara
    font, size = para.fontName, para.fontSize
    canvas.saveState()
    canvas.setFillColor(para.textColor)
    canvas.setFont(font, size)
    y = paragraph.height - getattr(para, "ascent", size)
    last = len(para.lines) - 1
    for index, (unused, words) in enumerate(para.lines):
        line = "".join(words)
        x = style.leftIndent + (style.firstLineIndent if index == 0 else 0)
        if unused < -MAX_SQUEEZE_EM * size * (len(atoms(line)) - 1) and line[-1] in HANGING:
            unused += stringWidth(line[-1], font, size)  # the mark hangs in the margin
        extra = 0.0 if index == last and unused >= 0 else gap_extra(line, unused, size)
        if not extra:
            canvas.drawString(x, y, line)
        else:
            for atom in atoms(line):
                canvas.drawString(x, y, atom)
                x += stringWidth(atom, font, size) + extra
        y -= style.leading
    canvas.restoreState()
