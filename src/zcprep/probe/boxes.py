"""Boxes and matrices in PDF user space, for the ink walk (:mod:`zcprep.probe.ink`).

A box is (x0, y0, x1, y1) with x0 ≤ x1 and y0 ≤ y1; a matrix is PDF's (a, b, c, d, e, f),
applied to row vectors, so ``multiply(m, n)`` is m then n. These run for every text run
and path a page paints: plain tuples, comparisons rather than calls to min and max.
"""

from __future__ import annotations

import math
from typing import Any

Box = tuple[float, float, float, float]
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def box_of(value: Any) -> Box | None:
    """A PDF rectangle (any two opposite corners) as a box; None unless it has an area."""
    try:
        x0, y0, x1, y1 = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    if not all(math.isfinite(v) for v in box) or box[2] <= box[0] or box[3] <= box[1]:
        return None
    return box


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    ab = (a * a2 + b * c2, a * b2 + b * d2)
    return (*ab, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def transform(box: Box, m: Matrix) -> Box:
    """The box around ``box`` mapped through ``m``."""
    x0, y0, x1, y1 = box
    a, b, c, d, e, f = m
    if b == 0 and c == 0:  # no rotation or skew: the common case, kept fast
        xa, xb, ya, yb = a * x0 + e, a * x1 + e, d * y0 + f, d * y1 + f
        if xb < xa:
            xa, xb = xb, xa
        if yb < ya:
            ya, yb = yb, ya
        return (xa, ya, xb, yb)
    xs = (a * x0 + c * y0, a * x1 + c * y0, a * x0 + c * y1, a * x1 + c * y1)
    ys = (b * x0 + d * y0, b * x1 + d * y0, b * x0 + d * y1, b * x1 + d * y1)
    return (min(xs) + e, min(ys) + f, max(xs) + e, max(ys) + f)


def intersect(a: Box | None, b: Box) -> Box | None:
    """The common part of two boxes (None: nothing in common, or ``a`` is None).

    A NaN raises ValueError: it would make a painted box vanish, where the walk must err
    wide.
    """
    if a is None:
        return None
    x0 = a[0] if a[0] > b[0] else b[0]
    y0 = a[1] if a[1] > b[1] else b[1]
    x1 = a[2] if a[2] < b[2] else b[2]
    y1 = a[3] if a[3] < b[3] else b[3]
    if x0 <= x1 and y0 <= y1:
        return (x0, y0, x1, y1)
    if math.isnan(x0 + y0 + x1 + y1):
        raise ValueError("a box with no number in it")
    return None


def union(a: Box | None, b: Box) -> Box:
    """The box around both (``a`` None: ``b``)."""
    if a is None:
        return b
    return (
        a[0] if a[0] < b[0] else b[0],
        a[1] if a[1] < b[1] else b[1],
        a[2] if a[2] > b[2] else b[2],
        a[3] if a[3] > b[3] else b[3],
    )
