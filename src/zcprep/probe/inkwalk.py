"""The walk over a page's content stream behind :mod:`zcprep.probe.ink`.

Only the operators that move, clip or paint cross into Python (pikepdf parses the stream
with a whitelist); each paints a box in default user space, clipped to the current clip.
The rules, and why they err wide, are in :mod:`zcprep.probe.ink`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from zcprep.probe.boxes import IDENTITY, Box, Matrix, box_of, intersect, multiply, transform, union
from zcprep.probe.fontwidths import UNKNOWN_FONT, FontWidths, array_parts, font_widths, run_extent

# Beyond these a page is taken as full: nesting no producer writes, and more operators
# than a page of text has by far (walking costs a few µs and ~600 bytes each).
MAX_DEPTH = 8
MAX_NESTING = 256  # q within q (each keeps a copy of the state)
MAX_OPERATIONS = 100_000
WHITE = 0.999
# A text run's box around the baseline, in ems (glyphs reach about -0.2 and +0.9).
DESCENT, ASCENT = -0.3, 1.0

# The operators the walk handles: the whitelist of the parse, so no other crosses into
# Python ("BI ID EI" brings inline images).
OPERATORS = (
    "q Q cm w gs g rg k G RG K cs CS sc scn SC SCN m l c v y re S s f F f* B B* b b* n W W* sh "
    "BT Tf Tm Td TD T* TL Tz Ts Tc Tw Tr Tj TJ ' \" Do BI ID EI"
)
# Operator → (stroking?, components of the colour: None for those of the current space).
_COLOURS = {"g": (False, 1), "rg": (False, 3), "k": (False, 4), "sc": (False, None)}
_COLOURS |= {"G": (True, 1), "RG": (True, 3), "K": (True, 4), "SC": (True, None)}
_COLOURS |= {"scn": (False, None), "SCN": (True, None)}
_PATH_POINTS = {"m": 2, "l": 2, "c": 6, "v": 4, "y": 4}
# Operator → (strokes?, fills?).
_PAINTS = {"S": (True, False), "s": (True, False), "n": (False, False)}
_PAINTS |= dict.fromkeys(("f", "F", "f*"), (False, True))
_PAINTS |= dict.fromkeys(("B", "B*", "b", "b*"), (True, True))
_TEXT_STATE = {"TL": "leading", "Ts": "rise", "Tc": "char_space", "Tw": "word_space", "w": "width"}
_DEVICE_SPACES = {"/DeviceGray": 1, "/G": 1, "/DeviceRGB": 3, "/RGB": 3}
_DEVICE_SPACES |= {"/DeviceCMYK": 4, "/CMYK": 4, "/CalGray": 1, "/CalRGB": 3}


class Inexact(Exception):
    """The content cannot be read through: the answer is the whole page."""


class PageFull(Exception):
    """The page is painted edge to edge: nothing further can change the answer (a scan's
    OCR layer is not walked at all)."""


def _matrix(values: Any) -> Matrix:
    a, b, c, d, e, f = _nums(values, 6)
    return (a, b, c, d, e, f)


def _nums(operands: Any, count: int) -> list[float]:
    """The last ``count`` operands as numbers (a missing or wrong one: Inexact, TypeError)."""
    values = list(map(float, operands))
    if len(values) < count:
        raise Inexact
    return values if len(values) == count else values[-count:]


def _string(operand: Any) -> bytes:
    """A string operand's bytes (a number is refused: ``bytes(n)`` would make n zeros)."""
    if operand is None or isinstance(operand, int | float | Decimal):
        raise Inexact
    return bytes(operand)


def _is_white(operands: Any, components: int) -> bool:
    """Whether colour operands are pure white in a space of ``components`` (1, 3, 4);
    stops at the first component that is not (black text is told at one)."""
    if len(operands) != components:
        return False
    if components == 4:
        return all(float(v) <= 1 - WHITE for v in operands)
    return components in (1, 3) and all(float(v) >= WHITE for v in operands)


class _State:
    """The part of the graphics state the walk needs (saved by q, restored by Q)."""

    def __init__(self, clip: Box) -> None:
        self.ctm = IDENTITY
        self.clip: Box | None = clip
        self.fill = self.stroke = 1  # components of the colour space; 0: not a device space
        self.fill_white = self.stroke_white = False
        self.width = 1.0
        self.font = UNKNOWN_FONT
        self.size = self.leading = self.char_space = self.word_space = self.rise = 0.0
        self.scale = 1.0
        self.mode = 0

    def copy(self) -> _State:
        new = object.__new__(_State)
        new.__dict__ = self.__dict__.copy()
        return new


class ContentWalker:
    """One walk over a page's content and the forms it draws."""

    def __init__(
        self, media: Box, parse: Callable[[bytes], list[Any]], fonts: dict[Any, FontWidths]
    ) -> None:
        self.media, self.parse, self.fonts = media, parse, fonts
        self.area = (media[2] - media[0]) * (media[3] - media[1])
        self.ink: Box | None = None
        self.cover = 0.0
        self.gs = _State(media)
        self.stack: list[_State] = []
        self.tm = self.tlm = IDENTITY
        self.xs: list[float] = []
        self.ys: list[float] = []
        self.drawn: Box | None = None  # the path's part drawn before a cm inside it
        self.clipping = False
        self.resources: Any = None
        self.forms: list[Any] = []  # the forms being walked, outermost first
        self.operations = 0
        self.cache: dict[tuple[str, int, str], Any] = {}
        self.kept: list[Any] = []  # resource dictionaries cached by id stay alive
        self.parsed: dict[Any, list[Any]] = {}  # form → its instructions
        self.handlers = self._handlers()

    def run(self, instructions: list[Any], resources: Any) -> None:
        """Walk the instructions of one stream with the resources they name."""
        self.operations += len(instructions)
        if self.operations > MAX_OPERATIONS:
            raise Inexact
        outer, self.resources = self.resources, resources
        self.kept.append(resources)
        handlers = self.handlers
        for instruction in instructions:
            handler = handlers.get(str(instruction.operator))
            if handler is not None:
                handler(instruction.operands)
        self.resources = outer

    def _handlers(self) -> dict[str, Callable[[Any], object]]:
        handlers: dict[str, Callable[[Any], object]] = {
            "q": self._save,
            "Q": self._restore,
            "cm": self._cm,
            "gs": self._ext_state,
            "cs": lambda o: self._colour((), False, self._components(o[-1])),
            "CS": lambda o: self._colour((), True, self._components(o[-1])),
            "re": self._rectangle,
            "W": lambda o: setattr(self, "clipping", True),
            "W*": lambda o: setattr(self, "clipping", True),
            "sh": lambda o: self._add(self.media),
            "Do": self._do,
            "INLINE IMAGE": lambda o: self._image(bool(o[0].image_mask)),
            "BT": lambda o: self._set_text_matrix(IDENTITY),
            "Tf": self._set_font,
            "Tm": lambda o: self._set_text_matrix(_matrix(o)),
            "Td": lambda o: self._move(*_nums(o, 2)),
            "TD": lambda o: self._move(*_nums(o, 2), set_leading=True),
            "T*": lambda o: self._move(0.0, -self.gs.leading),
            "Tz": lambda o: setattr(self.gs, "scale", float(o[-1]) / 100),
            "Tr": lambda o: setattr(self.gs, "mode", int(o[-1])),
            "Tj": lambda o: self._show(_string(o[-1]), ()),
            "TJ": self._show_array,
            "'": lambda o: self._show(_string(o[-1]), (), next_line=True),
            '"': self._quote,
        }
        for op, (stroke, components) in _COLOURS.items():
            handlers[op] = partial(self._colour, stroke=stroke, components=components)
        for op, count in _PATH_POINTS.items():
            handlers[op] = partial(self._points, count=count)
        for op, (stroke, fill) in _PAINTS.items():
            handlers[op] = partial(self._paint, stroke=stroke, fill=fill)
        for op, name in _TEXT_STATE.items():
            handlers[op] = partial(self._text_state, name)
        return handlers

    def _text_state(self, name: str, operands: Any) -> None:
        setattr(self.gs, name, float(operands[-1]))

    def _show_array(self, operands: Any) -> None:
        data, adjustments = array_parts(operands[-1].unparse(), self.gs.font.two_byte)
        self._show(data, adjustments)

    def _save(self, operands: Any) -> None:
        if len(self.stack) >= MAX_NESTING:
            raise Inexact
        self.stack.append(self.gs.copy())

    def _restore(self, operands: Any) -> None:
        if self.stack:  # an unbalanced Q (in this stream or form) changes nothing
            self.gs = self.stack.pop()

    def _cm(self, operands: Any) -> None:
        if self.xs:  # a cm inside a path: what is drawn so far keeps its matrix
            self.drawn = self._take_path()
        self.gs.ctm = multiply(_matrix(operands), self.gs.ctm)

    def _ext_state(self, operands: Any) -> None:
        """A graphics state dictionary's line width and font (others do not widen ink)."""
        state = self._resource("/ExtGState", operands[-1])
        width = state.get("/LW") if hasattr(state, "get") else None
        font = state.get("/Font") if hasattr(state, "get") else None
        if width is not None:
            self.gs.width = float(width)
        if font is not None:
            self.gs.font, self.gs.size = self._widths(font[0]), float(font[1])

    def _colour(self, operands: Any, stroke: bool, components: int | None) -> None:
        gs = self.gs
        if components is None:
            components = gs.stroke if stroke else gs.fill
        try:
            white = _is_white(operands, components) if operands else False
        except (TypeError, ValueError):  # a pattern's name
            white = False
        if stroke:
            gs.stroke, gs.stroke_white = components, white
        else:
            gs.fill, gs.fill_white = components, white

    def _components(self, name: Any) -> int:
        """1, 3 or 4 for a gray, RGB or CMYK space (device, calibrated or ICC), else 0."""
        if str(name) in _DEVICE_SPACES:
            return _DEVICE_SPACES[str(name)]
        key = ("cs", id(self.resources), str(name))
        if key not in self.cache:
            space = self._resource("/ColorSpace", name)
            try:
                family = str(space[0]) if len(space) else ""
                count = int(space[1].get("/N", 0)) if family == "/ICCBased" else 0
            except (TypeError, ValueError, IndexError, AttributeError, KeyError):
                family, count = str(space), 0
            self.cache[key] = count if count in (1, 3, 4) else _DEVICE_SPACES.get(family, 0)
        return int(self.cache[key])

    def _resource(self, category: str, name: Any) -> Any:
        try:
            return self.resources[category][name]
        except (KeyError, TypeError, AttributeError, ValueError, IndexError):
            return None

    def _points(self, operands: Any, count: int) -> None:
        values = _nums(operands, count)
        self.xs += values[0::2]
        self.ys += values[1::2]

    def _rectangle(self, operands: Any) -> None:
        x, y, w, h = _nums(operands, 4)
        self.xs += (x, x + w)
        self.ys += (y, y + h)

    def _take_path(self) -> Box | None:
        box, xs, ys = self.drawn, self.xs, self.ys
        if xs:
            path = transform((min(xs), min(ys), max(xs), max(ys)), self.gs.ctm)
            box = union(box, path)
        self.xs, self.ys, self.drawn = [], [], None
        return box

    def _paint(self, operands: Any, stroke: bool, fill: bool) -> None:
        box = self._take_path()
        gs = self.gs
        if box is not None:
            if stroke and not gs.stroke_white:
                a, b, c, d, _, _ = gs.ctm
                grow = max(abs(gs.width) * max(math.hypot(a, b), math.hypot(c, d)), 1.0)
                self._add((box[0] - grow, box[1] - grow, box[2] + grow, box[3] + grow))
            elif fill and not gs.fill_white:
                self._add(box)
                self._full()
            if self.clipping:
                gs.clip = intersect(gs.clip, box)
        self.clipping = False

    def _add(self, box: Box) -> Box | None:
        drawn = intersect(self.gs.clip, box)
        if drawn is not None:
            self.ink = union(self.ink, drawn)
        return drawn

    def _full(self) -> None:
        if self.ink == self.media:
            raise PageFull

    def _set_text_matrix(self, matrix: Matrix) -> None:
        self.tm = self.tlm = matrix

    def _set_font(self, operands: Any) -> None:
        name, size = operands if len(operands) == 2 else operands[-2:]
        self.gs.size = float(size)
        key = ("font", id(self.resources), str(name))
        if key not in self.cache:
            self.cache[key] = self._widths(self._resource("/Font", name))
        self.gs.font = self.cache[key]

    def _widths(self, font: Any) -> FontWidths:
        """A font's widths, read once per file where the caller keeps ``fonts``."""
        shared = getattr(font, "objgen", (0, 0))
        if shared in self.fonts:
            return self.fonts[shared]
        try:
            widths = font_widths(font)
        except Exception:  # noqa: BLE001 - a malformed font is measured generously
            widths = UNKNOWN_FONT
        if shared != (0, 0):
            self.fonts[shared] = widths
        return widths

    def _move(self, tx: float, ty: float, *, set_leading: bool = False) -> None:
        if set_leading:
            self.gs.leading = -ty
        a, b, c, d, e, f = self.tlm
        self.tm = self.tlm = (a, b, c, d, e + tx * a + ty * c, f + tx * b + ty * d)

    def _quote(self, operands: Any) -> None:
        self.gs.word_space, self.gs.char_space = _nums(list(operands)[:-1], 2)
        self._show(_string(operands[-1]), (), next_line=True)

    def _show(self, data: bytes, adjustments: Any, next_line: bool = False) -> None:
        """Box a text run (its strings' bytes, TJ's numbers) and move the position on."""
        if next_line:
            self._move(0.0, -self.gs.leading)
        gs = self.gs
        font: FontWidths = gs.font
        size, vertical = gs.size, font.vertical
        spacing = (gs.char_space, gs.word_space, 1.0 if vertical else gs.scale)
        along, low, high = run_extent(font, data, adjustments, size, *spacing)
        if self._text_shows():
            em = abs(size)
            if vertical:
                box = (-0.6 * em, low - 0.3 * em, 0.6 * em, high + 0.3 * em)
            else:
                y0, y1 = sorted((DESCENT * size, ASCENT * size))
                box = (low, y0 + gs.rise, high, y1 + gs.rise)
            self._add(transform(box, multiply(self.tm, gs.ctm)))
        a, b, c, d, e, f = self.tm
        if vertical:
            self.tm = (a, b, c, d, e + along * c, f + along * d)
        else:
            self.tm = (a, b, c, d, e + along * a, f + along * b)

    def _text_shows(self) -> bool:
        """Whether text in the current render mode and colours leaves a mark."""
        gs = self.gs
        mode = gs.mode if 0 <= gs.mode <= 7 else 0
        fills = mode in (0, 2, 4, 6) and not gs.fill_white
        return fills or (mode in (1, 2, 5, 6) and not gs.stroke_white)

    def _do(self, operands: Any) -> None:
        xobject = self._resource("/XObject", operands[-1])
        subtype = xobject.get("/Subtype") if hasattr(xobject, "get") else None
        if subtype == "/Image":
            self._image(bool(xobject.get("/ImageMask", False)))
        elif subtype == "/Form":
            self._form(xobject)

    def _image(self, stencil: bool) -> None:
        """The unit square through the CTM; a stencil mask paints in the fill colour."""
        gs = self.gs
        if stencil and gs.fill_white:
            return
        drawn = self._add(transform((0.0, 0.0, 1.0, 1.0), gs.ctm))
        if drawn is not None:
            a, b, c, d, _, _ = gs.ctm
            area = min((drawn[2] - drawn[0]) * (drawn[3] - drawn[1]), abs(a * d - b * c))
            self.cover = max(self.cover, min(area / self.area, 1.0))
            self._full()

    def _form(self, form: Any) -> None:
        """Walk a form XObject through its /Matrix, clipped to its /BBox, with its own q/Q."""
        key = form.objgen
        if key in self.forms or len(self.forms) >= MAX_DEPTH:
            raise Inexact  # a form that draws itself, or nesting no viewer would follow
        saved, stack, text = self.gs, self.stack, (self.tm, self.tlm)
        gs = self.gs = saved.copy()
        self.stack = []
        matrix = form.get("/Matrix")
        gs.ctm = multiply(IDENTITY if matrix is None else _matrix(list(matrix)), gs.ctm)
        bbox = box_of(form.get("/BBox"))
        if bbox is not None:
            gs.clip = intersect(gs.clip, transform(bbox, gs.ctm))
        if gs.clip is not None:
            if key not in self.parsed:  # a form drawn many times is parsed once
                self.parsed[key] = self.parse(form.read_bytes())
            resources = form.get("/Resources")
            self.forms.append(key)
            self.run(self.parsed[key], self.resources if resources is None else resources)
            self.forms.pop()
        self.gs, self.stack, (self.tm, self.tlm) = saved, stack, text
