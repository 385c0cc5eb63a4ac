"""What each font file was found to be, remembered between runs.

Judging a font means reading every face of it with fontTools (all three of a 17 MB
WenQuanYi collection) and letting reportlab parse its headers: a quarter of a second on
each run, for an answer that changes only when the file does. So the verdict on a file
(the face to use, or why none can serve) and the code points of the chosen face (as
ranges: a few hundred pairs for 40,000 characters) are kept in the user's cache
(:mod:`zcprep.cache`) under the file's path, size and modification time. A second run
opens no font with fontTools; reportlab still parses the chosen face to embed it.

Only the verdict is remembered, never the order of the search: which file wins, which
are noted as passed over, and every message stay as :mod:`zcprep.fonts.choice` makes
them. A file that could not be read is never remembered (permissions change).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Container, Iterable
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from zcprep.cache import Store, code_stamp, library_stamp, open_store, stamp
from zcprep.fonts.files import _choose, _face, _Unusable

_LIBRARIES = ("fontTools", "reportlab")


class Coverage:
    """The code points a face maps, as sorted inclusive ranges; ``ord(c) in coverage``."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        self.ranges = tuple(ranges)
        self._starts = [start for start, _end in self.ranges]

    @classmethod
    def of(cls, codepoints: Iterable[int]) -> Coverage:
        ranges: list[list[int]] = []
        for point in sorted(codepoints):
            if ranges and ranges[-1][1] == point - 1:
                ranges[-1][1] = point
            else:
                ranges.append([point, point])
        return cls((start, end) for start, end in ranges)

    def __contains__(self, point: object) -> bool:
        if not isinstance(point, int):
            return False
        at = bisect_right(self._starts, point) - 1
        return at >= 0 and point <= self.ranges[at][1]


def choose(path: Path, requested: int | None) -> int:
    """The face of ``path`` to use (:func:`zcprep.fonts.files._choose`), or _Unusable,
    from the cache when the file is unchanged since it was judged."""
    store = _store()
    before = _file_stamp(path)
    if store is None or before is None:
        return _choose(path, requested)
    key = json.dumps(["choice", *before, requested])
    known = store.get(key)
    if isinstance(known, dict):
        if isinstance(known.get("index"), int):
            return int(known["index"])
        if isinstance(known.get("reason"), str) and isinstance(known.get("kind"), str):
            raise _Unusable(known["reason"], known["kind"])
    try:
        index = _choose(path, requested)
    except _Unusable as problem:
        if problem.kind != "unreadable" and _file_stamp(path) == before:
            store.put(key, {"reason": problem.reason, "kind": problem.kind})
        raise
    if _file_stamp(path) == before:
        # the faces were just read: their code points cost nothing now, a read next run
        _remember_coverage(store, before, index)
        store.put(key, {"index": index})
    return index


def coverage(path: Path, index: int) -> Container[int]:
    """The code points face ``index`` of ``path`` maps, from the cache when the file is
    unchanged; raises _Unusable as :func:`zcprep.fonts.files._face` does."""
    store = _store()
    stamped = _file_stamp(path)
    if store is None or stamped is None:
        return _face(path, index).codepoints  # raises _Unusable if it cannot be read
    return _coverage(store.folder, stamped, index)


@lru_cache(maxsize=16)
def _coverage(folder: Path, stamped: tuple[str, int, int], index: int) -> Coverage:
    """One read of the cache per face and file state in a process (render asks for each
    value it fills in); ``folder`` keys it by cache too."""
    store = _store()
    if store is not None:
        known = _ranges(store.get(json.dumps(["coverage", *stamped, index])))
        if known is not None:
            return known
        return _remember_coverage(store, stamped, index)
    return Coverage.of(_face(Path(stamped[0]), index).codepoints)


def _remember_coverage(store: Store, stamped: tuple[str, int, int], index: int) -> Coverage:
    found = Coverage.of(_face(Path(stamped[0]), index).codepoints)
    flat = [bound for pair in found.ranges for bound in pair]
    if _file_stamp(Path(stamped[0])) == stamped:
        store.put(json.dumps(["coverage", *stamped, index]), flat)
    return found


def _ranges(data: Any) -> Coverage | None:
    """The flat [start, end, start, end …] list stored, or None if it is not one."""
    if not isinstance(data, list) or len(data) % 2 or not all(type(v) is int for v in data):
        return None
    # start <= end within a range, end < next start between ranges
    steps = enumerate(pairwise(data))
    if not all(a <= b if i % 2 == 0 else a < b for i, (a, b) in steps):
        return None
    return Coverage(zip(data[::2], data[1::2], strict=True))


def _file_stamp(path: Path) -> tuple[str, int, int] | None:
    """(absolute path, size, mtime_ns) of a font file, or None if it cannot be read."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (str(path.absolute()), info.st_size, info.st_mtime_ns)


def _store() -> Store | None:
    return open_store("font", _tag())


@lru_cache(maxsize=1)
def _tag() -> str:
    """What a verdict depends on: the fonts code, fontTools and reportlab."""
    return stamp([code_stamp(Path(__file__).parent), library_stamp(_LIBRARIES)])
