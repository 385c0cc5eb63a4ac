"""Where each bound page goes on its sheet, and how room is made for its number.

Every page is drawn upright (its /Rotate turned into a matrix) on a sheet whose lower
left corner is the origin. Pages far from office paper are put on paper: a card or a
receipt on A4 at its natural size, a nonsense-sized page (a few points, a mis-set page
box) scaled up to fill A4, a drawing larger than A3 scaled down to A3, so that the
number has a readable size wherever it lands.

The number never covers what the page paints: where the page's ink (from check's probe)
reaches into the number's band, the content is shrunk a little towards the opposite
edge to clear the band (``[bind] make_room = "shrink"``, the default), or backed with a
white box (``"white-box"``). A full-page scan is never shrunk: its band is the scanner's
margin, so the number goes on a white box there.
"""

from __future__ import annotations

from dataclasses import dataclass

from zcprep.probe.boxes import IDENTITY, Box, Matrix, multiply, transform

__all__ = ["IDENTITY", "Box", "Matrix", "multiply"]

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
A3 = (297 * MM, 420 * MM)
# Upright pages with a side below this are nonsense-sized: scaled up to fill A4.
TINY_SIDE = 25 * MM
# Pages within A5 (148 × 210 mm, a little slack) are cards, receipts: put on A4 as they are.
SMALL_SIDES = (151 * MM, 213 * MM)
# Pages beyond A3 by more than this are drawings: scaled down to A3.
HUGE_SLACK = 10 * MM
SHEET_MARGIN = 10 * MM
# A page whose largest image covers this share of it is a full-page scan.
FULL_SCAN = 0.85
# Shrinking stops here; a page that would need more gets a white box instead.
MIN_SHRINK = 0.8


def map_box(m: Matrix, box: Box) -> Box:
    """The box around ``box`` on the sheet, through ``m``."""
    return transform(box, m)


def clip(box: Box, width: float, height: float) -> Box | None:
    x0, y0 = max(box[0], 0.0), max(box[1], 0.0)
    x1, y1 = min(box[2], width), min(box[3], height)
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


def upright(visible: Box, rotation: int) -> Matrix:
    """The matrix that shows the visible box as a viewer shows it (after /Rotate),
    with its lower left corner at the origin."""
    x0, y0, x1, y1 = visible
    if rotation == 90:
        return (0.0, -1.0, 1.0, 0.0, -y0, x1)
    if rotation == 180:
        return (-1.0, 0.0, 0.0, -1.0, x1, y1)
    if rotation == 270:
        return (0.0, 1.0, -1.0, 0.0, y1, -x0)
    return (1.0, 0.0, 0.0, 1.0, -x0, -y0)


@dataclass(frozen=True)
class Sheet:
    """A page's paper and the matrix that puts the upright page on it."""

    width: float
    height: float
    matrix: Matrix
    resized: bool = False  # placed on or scaled to office paper


def sheet_for(width: float, height: float, band: float) -> Sheet:
    """The paper for an upright page of ``width`` × ``height`` points (see the module
    docstring); ``band`` is the height kept free for the number when scaling."""
    short, long = sorted((width, height))
    portrait = height >= width
    if short < TINY_SIDE:
        return _fitted(width, height, A4, portrait, band, SHEET_MARGIN)
    if short <= SMALL_SIDES[0] and long <= SMALL_SIDES[1]:
        paper = A4 if portrait else (A4[1], A4[0])
        x, y = (paper[0] - width) / 2, (paper[1] - height) / 2
        return Sheet(paper[0], paper[1], (1.0, 0.0, 0.0, 1.0, x, y), resized=True)
    if short > A3[0] + HUGE_SLACK or long > A3[1] + HUGE_SLACK:
        return _fitted(width, height, A3, portrait, band, 0.0)
    return Sheet(width, height, IDENTITY)


def _fitted(
    width: float,
    height: float,
    paper: tuple[float, float],
    portrait: bool,
    band: float,
    margin: float,
) -> Sheet:
    sheet_w, sheet_h = paper if portrait else (paper[1], paper[0])
    room_w, room_h = sheet_w - 2 * margin, sheet_h - 2 * max(margin, band)
    scale = min(room_w / width, room_h / height)
    x = (sheet_w - width * scale) / 2
    y = (sheet_h - height * scale) / 2
    return Sheet(sheet_w, sheet_h, (scale, 0.0, 0.0, scale, x, y), resized=True)


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def room_for(
    ink: Box | None,
    band: Box,
    width: float,
    height: float,
    *,
    at_top: bool,
    full_scan: bool,
    shrink: bool,
) -> tuple[Matrix, bool]:
    """(matrix applied to the page content, white box behind the number?) so that the
    number in ``band`` covers nothing the page paints."""
    if ink is None or not overlaps(ink, band):
        return IDENTITY, False
    if full_scan or not shrink:
        return IDENTITY, True
    if at_top:
        # scale about the bottom edge's centre until the ink's top is under the band
        scale = band[1] / ink[3] if ink[3] > 0 else 1.0
        anchor_y = 0.0
    else:
        reach = height - ink[1]
        scale = (height - band[3]) / reach if reach > 0 else 1.0
        anchor_y = height
    if scale < MIN_SHRINK:
        return IDENTITY, True
    anchor_x = width / 2
    matrix = (scale, 0.0, 0.0, scale, anchor_x * (1 - scale), anchor_y * (1 - scale))
    return matrix, False
