"""Breaking Chinese text into lines: atoms kept whole, marks kept where 禁则 wants them.

reportlab's own CJK wrap cuts an 18-digit ID number in two when it starts past the
middle of a line, and lets "，" begin a line. Here a line breaks only between atoms
(:data:`zcprep.render.justify.ATOM`: a date, a number or ID, a Latin word, one
character); a mark that cannot start a line hangs at the end of the previous one (two
such marks in a row take the last character down with them instead); an opening bracket
moves to the next line. A justified line may also take one more atom by
closing up its full-width marks (标点挤压, :mod:`zcprep.render.punct`) and, a little, the
gaps between its atoms (:data:`zcprep.render.justify.MAX_SQUEEZE_EM`), when that atom is a
date, a number or an ID that would otherwise start the next line and leave this one short.
"""

from __future__ import annotations

from zcprep.render.justify import ATOM, closable
from zcprep.render.punct import punctuation_room

# Full-width punctuation that must not begin a line (GB/T 15834 禁则): it hangs in the
# margin instead. reportlab's own list (ALL_CANNOT_START) lacks "，" and others.
CANNOT_START_LINE = "，。、；：？！）》」』】〉〕”’…％"
# Opening brackets and quotes must not end a line.
CANNOT_END_LINE = "（《「『【〈〔“‘([{"
_FUZZ = 1e-6


def wrap_cjk(
    text: str, max_widths: list[float], font: str, size: float, squeeze: float = 0.0
) -> list[tuple[float, str]]:
    """Break Chinese text into lines of at most ``max_widths`` (first line, then the rest).

    Returns (unused width, line) pairs as reportlab's ``wordSplit`` does; a line that
    took an atom by closing up has a negative unused width. ``squeeze``: how much each
    gap between atoms may shrink (justified text only; with it, marks may close up too).
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    room = punctuation_room(font) if squeeze else {}
    lines: list[tuple[float, str]] = []
    current: list[str] = []
    used = 0.0

    def limit() -> float:
        return max_widths[min(len(lines), len(max_widths) - 1)]

    def slack(candidate: list[str]) -> float:
        return squeeze * (len(candidate) - 1) + sum(closable(candidate, room, size))

    def finish() -> None:
        line = "".join(current).strip()
        lines.append((limit() - stringWidth(line, font, size), line))

    atoms = [m.group(0) for m in ATOM.finditer(text)]
    atoms.reverse()
    while atoms:
        atom = atoms.pop()
        width = stringWidth(atom, font, size)
        if not current and atom.isspace():
            continue
        # Closing up only ever pulls in a whole date, number or ID, never one character.
        room_left = slack([*current, atom]) if len(atom) > 1 else 0.0
        if used + width <= limit() + room_left + _FUZZ:
            current.append(atom)
            used += width
            continue
        if len(atom) > 1 and not atom.isspace() and width > limit():
            atoms.extend(reversed(atom))  # longer than a line: break it anywhere
            continue
        if not current:  # a single character wider than the line: it goes alone
            current.append(atom)
            used = width
            continue
        if len(atom) == 1 and atom in cannot_start():
            atom = _hang_or_push_down(current, atoms, atom)
        carried: list[str] = []
        while len(current) > 1 and current[-1] in CANNOT_END_LINE:
            carried.insert(0, current.pop())
        finish()
        current = carried
        used = sum(stringWidth(a, font, size) for a in current)
        if atom:
            atoms.append(atom)
    if current:
        finish()
    return lines


def _hang_or_push_down(current: list[str], atoms: list[str], mark: str) -> str:
    """A mark that cannot start the next line hangs at the end of this one; when another
    such mark follows it (“），”), the line's last character goes down with both instead,
    since two marks cannot hang. Returns the atom to place next ("" when it hung);
    ``atoms`` is the stack of those after it."""
    marks = cannot_start()
    if not (atoms and len(atoms[-1]) == 1 and atoms[-1] in marks) or len(current) < 2:
        current.append(mark)
        return ""
    pushed = [mark]
    while len(current) > 2 and current[-1] in marks:
        pushed.insert(0, current.pop())
    pushed.insert(0, current.pop())
    atoms.extend(reversed(pushed[1:]))
    return pushed[0]


def cannot_start() -> str:
    from reportlab.lib.textsplit import ALL_CANNOT_START

    return ALL_CANNOT_START + CANNOT_START_LINE
