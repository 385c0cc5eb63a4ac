"""Where a cell's text breaks into lines at a column width, as a spreadsheet prints it.

Excel and WPS measure a column in units of the default font's digit (7 px, 5.25 pt for
Calibri 11); LibreOffice with Carlito draws the same unit a little wider (5.55 pt). The
cells are set in 11 pt 宋体, so a CJK character is 11 pt wide and a digit or Latin
letter about half that, or more: 文泉驿 draws digits at 0.64 em. The model below takes
the narrower column (Excel's) and the wider digits, so that a line it says fits does fit
in every one of them, and a row it gives n lines has room for what they print.

Headers break where a reader expects: a bracketed part stays whole on its line
("继续教育" / "（学时）", never an orphan "）"), a closing mark never starts a line, an
opening one never ends one, and a run of digits or Latin letters stays together.
No openpyxl here: measuring only.
"""

from __future__ import annotations

import functools
import itertools
import math
import unicodedata

from zcprep.units import NO_LINE_END, NO_LINE_START

COLUMN_UNIT_PT = 5.25  # Excel: one width unit is 7 px of Calibri 11
COLUMN_UNIT_PT_WIDEST = 5.55  # LibreOffice with Carlito: the same unit drawn wider
CHAR_PT = 5.5  # half of an 11 pt em: what a display-width unit takes on paper
CELL_INSET_PT = 3.75  # the 5 px a cell keeps free beside its text
NARROW = 1.3  # a digit or Latin letter, in display units, in the widest common CJK font
FIT_MARGIN = 0.6  # display units kept free on a line, for fonts a little wider still

OPENING = NO_LINE_END
CLOSING = NO_LINE_START
PAIRS = {"（": "）", "(": ")", "［": "］", "[": "]", "《": "》", "〈": "〉", "「": "」",
         "『": "』", "【": "】", "〔": "〕", "〖": "〗", "“": "”"}  # fmt: skip


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


@functools.lru_cache(maxsize=8192)
def print_units(text: str) -> float:
    """The room ``text`` takes on one printed line, in display units (CJK 2, digit 1.3)."""
    return sum(2.0 if is_wide(ch) else NARROW for ch in text if ch != "\n")


def capacity(width: float) -> float:
    """Display units that fit on one line of a column ``width`` wide, kept a margin."""
    return (width * COLUMN_UNIT_PT - CELL_INSET_PT) / CHAR_PT - FIT_MARGIN


def width_for(units: float) -> float:
    """The narrowest column width on which a line of ``units`` fits (inverse of capacity)."""
    return math.ceil(((units + FIT_MARGIN) * CHAR_PT + CELL_INSET_PT) / COLUMN_UNIT_PT * 4) / 4


def _glued(before: str, after: str) -> bool:
    """No line break between these two characters."""
    if after in CLOSING or before in OPENING:
        return True
    return before.isascii() and after.isascii() and before.isalnum() and after.isalnum()


def pieces(text: str, keep_groups: bool = False) -> list[str]:
    """The text cut where a line may break; with ``keep_groups`` a bracketed part
    (through its closing mark and any mark after it) is one piece."""
    cut: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        close = PAIRS.get(ch) if keep_groups else None
        end = text.find(close, i + 1) if close else -1
        j = end + 1 if end > 0 else i + 1
        while j < len(text) and _glued(text[j - 1], text[j]):
            j += 1
        if cut and ch != " " and _glued(cut[-1][-1], ch):
            cut[-1] += text[i:j]
        else:
            cut.append(text[i:j])
        i = j
    return cut


def wrap(text: str, width: float, keep_groups: bool = False) -> list[str]:
    """The lines ``text`` prints as in a wrapping cell ``width`` wide (explicit line
    breaks kept); a piece wider than a whole line is broken by character."""
    room = max(capacity(width), 2.0)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for piece in pieces(paragraph, keep_groups):
            if line and print_units(line + piece.rstrip()) > room:
                lines.append(line.rstrip())
                line = piece.lstrip()
            else:
                line += piece
            while print_units(line) > room and len(line) > 1:
                head = _longest_head(line, room)
                lines.append(head)
                line = line[len(head) :]
        lines.append(line.rstrip())
    return lines


def _longest_head(line: str, room: float) -> str:
    """The most characters of ``line`` that fit, cut where a line may end (never before
    a closing mark or after an opening one); past the room when no such cut fits."""
    end = 1
    while end < len(line) and print_units(line[: end + 1]) <= room:
        end += 1
    cut = end
    while 0 < cut < len(line) and _glued(line[cut - 1], line[cut]) and not line[cut].isalnum():
        cut -= 1
    if cut == 0:
        cut = end
        while cut < len(line) and line[cut] in CLOSING:
            cut += 1
    return line[:cut]


def balanced_lines(text: str, count: int) -> list[str] | None:
    """``text`` in ``count`` lines cut between whole pieces (brackets kept), the longest
    line as short as it can be; None when it has fewer pieces than lines."""
    parts = pieces(text, keep_groups=True)
    if count == 1 or len(parts) < count:
        return [text] if count == 1 else None
    best: list[str] | None = None
    for cut in range(1, len(parts)):
        head = "".join(parts[:cut]).rstrip()
        rest = balanced_lines("".join(parts[cut:]).lstrip(), count - 1)
        if rest is None:
            continue
        lines = [head, *rest]
        if best is None or max(map(print_units, lines)) < max(map(print_units, best)):
            best = lines
    return best


def least_units(text: str) -> float:
    """The least room ``text`` may take: digits and Latin letters at half a CJK character."""
    return sum(2.0 if is_wide(ch) else 1.0 for ch in text)


def breaks_alike(lines: list[str], width: float) -> bool:
    """Whether a spreadsheet wrapping by character alone (no line breaks in the cell)
    breaks the joined ``lines`` exactly there at ``width``, in Excel's narrower and
    LibreOffice's wider drawing of the column: each line fits the narrower, and not even
    the next character fits the wider."""
    narrow = capacity(width)
    wide = (width * COLUMN_UNIT_PT_WIDEST - CELL_INSET_PT) / CHAR_PT + FIT_MARGIN
    for line, following in itertools.pairwise(lines):
        if print_units(line) > narrow or least_units(line + following[:1]) <= wide:
            return False
    return print_units(lines[-1]) <= narrow
