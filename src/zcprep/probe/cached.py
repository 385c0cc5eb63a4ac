"""Probing a file once per content: check's verdicts remembered between runs.

A verdict depends only on the file's bytes (and the code that reads them), so it is kept
under the blake2b digest of the whole file, in the user's cache (:mod:`zcprep.cache`): a
file copied or renamed elsewhere is not read again either. Hashing a 25 MB scan on every
run would cost half of what probing it does, so, like git's index, the digest is itself
remembered under the file's place and stat (path, size, mtime, ctime, inode): an
unchanged file is not even read. A file written in the last seconds is not given a stat
entry, since another write within the file system's time resolution would keep its
mtime ("racy" entries in git's terms).

Only stable verdicts are kept: a timeout depends on the machine's load, and a file that
changed while it was probed may have been read half old, half new.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import stat
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any

from zcprep.cache import Store, code_stamp, library_stamp, open_store, stamp
from zcprep.probe.file import FILE_TIME_LIMIT, MAX_PROBE_BYTES, probe_file
from zcprep.probe.process import Isolation
from zcprep.probe.result import FileProbe, PageProbe, _replace
from zcprep.probe.sniff import kind_from_name

# The libraries a verdict comes from: a new version may read a file differently.
_LIBRARIES = ("pikepdf", "pypdf", "PIL")
_CLASSES: dict[str, type] = {cls.__name__: cls for cls in (FileProbe, PageProbe)}
# Not written into the cache: where the file is now (and a path names the applicant).
_PLACE_FIELDS = frozenset({"path"})
_RACY_NS = 3_000_000_000
_BLOCK = 1 << 20


def probe_file_cached(
    path: Path, time_limit: float | None = FILE_TIME_LIMIT, *, isolation: Isolation | None = None
) -> FileProbe:
    """:func:`zcprep.probe.probe_file`, its verdict taken from the cache when a file of
    the same content was probed before (``path`` and ``extension_kind`` are this file's).

    The same contract: never raises for bad content; an unreadable disk file, or
    anything but a regular file, raises OSError. A cached verdict is reused whatever
    ``time_limit`` and ``isolation`` are now (a verdict that took longer than the limit
    would have been a timeout, which is never cached).
    """
    seen = _SEEN[-1] if _SEEN else None
    if seen is None:
        return _probe_cached(path, time_limit, isolation)
    try:
        found = seen.get(_place(path, path.stat()))
    except OSError:
        found = None
    if found is not None:
        return _replace(found, path=path)
    probed = _probe_cached(path, time_limit, isolation)
    with contextlib.suppress(OSError):
        seen[_place(path, path.stat())] = probed
    return probed


# Verdicts of this run, by place and stat, while :func:`one_reading` is active.
_SEEN: list[dict[str, FileProbe]] = []


@contextlib.contextmanager
def one_reading() -> Iterator[None]:
    """Within the block, a file probed once is not probed again while it is unchanged:
    bind takes the verdicts check has just made (timeouts too, which the cache never
    keeps, and with the cache off)."""
    _SEEN.append({})
    try:
        yield
    finally:
        _SEEN.pop()


def _probe_cached(path: Path, time_limit: float | None, isolation: Isolation | None) -> FileProbe:
    verdicts, places = _stores()
    if verdicts is None or places is None:
        return probe_file(path, time_limit, isolation=isolation)
    try:
        before = path.stat()
        usable = stat.S_ISREG(before.st_mode) and before.st_size <= MAX_PROBE_BYTES
        digest = _digest(path, before, places) if usable else None
    except OSError:
        digest = None
    if digest is None:  # not a file to cache: probe_file says why, in its words
        return probe_file(path, time_limit, isolation=isolation)
    cached = _decode(verdicts.get(digest))
    if isinstance(cached, FileProbe):
        return _replace(cached, path=path, extension_kind=kind_from_name(path.name))
    probed = probe_file(path, time_limit, isolation=isolation)
    if probed.status != "timeout" and _unchanged(path, before):
        encoded = _encode(probed)
        if encoded is not None:
            verdicts.put(digest, encoded)
    return probed


def _stores() -> tuple[Store | None, Store | None]:
    return open_store("probe", _verdict_tag()), open_store("digest", _place_tag())


@lru_cache(maxsize=1)
def _verdict_tag() -> str:
    """What a verdict depends on: the probe code, its libraries, the records' fields."""
    shapes = [
        (name, [(field.name, str(field.type)) for field in dataclasses.fields(cls)])
        for name, cls in _CLASSES.items()
    ]
    folder = Path(__file__).parent
    return stamp([code_stamp(folder), library_stamp(_LIBRARIES), shapes])


@lru_cache(maxsize=1)
def _place_tag() -> str:
    return stamp(["blake2b-256", _RACY_NS])


def _place(path: Path, info: os.stat_result) -> str:
    # st_ctime is the creation time on Windows: there size, mtime and file id must do.
    changed = info.st_ctime_ns if os.name != "nt" else None
    key = [str(path.absolute()), info.st_size, info.st_mtime_ns, changed, info.st_ino]
    return json.dumps([*key, info.st_dev])


def _digest(path: Path, info: os.stat_result, places: Store) -> str:
    """The file's content digest: remembered for this place and stat, else computed."""
    place = _place(path, info)
    known = places.get(place)
    if isinstance(known, str):
        return known
    digest = hashlib.blake2b(digest_size=32)
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    found = f"blake2b-256:{digest.hexdigest()}"
    settled = time.time_ns() - info.st_mtime_ns > _RACY_NS
    if settled and _unchanged(path, info):
        places.put(place, found)
    return found


def _unchanged(path: Path, before: os.stat_result) -> bool:
    """Whether the file still has the stat it had when it was read."""
    try:
        after = path.stat()
    except OSError:
        return False
    return _place(path, after) == _place(path, before)


class _NotCacheable(Exception):
    """A value the JSON encoding below does not know (then the verdict is not kept)."""


def _encode(probe: FileProbe) -> Any:
    """A FileProbe as JSON data, field by field (whatever fields the records have)."""
    try:
        return _value(probe, skip=_PLACE_FIELDS)
    except _NotCacheable:
        return None


def _value(value: Any, skip: frozenset[str] = frozenset()) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, PurePath):
        return {"$": "Path", "v": str(value)}
    if isinstance(value, tuple):
        return [_value(item) for item in value]
    name = type(value).__name__
    if dataclasses.is_dataclass(value) and _CLASSES.get(name) is type(value):
        fields = dataclasses.fields(value)
        encoded = {f.name: _value(getattr(value, f.name)) for f in fields if f.name not in skip}
        return {"$": name, "v": encoded}
    raise _NotCacheable(name)


def _decode(data: Any) -> Any:
    """The value :func:`_value` encoded, or None if the data is not such a value (a
    corrupt or foreign entry is a miss)."""
    try:
        return _revive(data)
    except (_NotCacheable, TypeError, ValueError, KeyError, AttributeError):
        return None


def _revive(data: Any) -> Any:
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if isinstance(data, list):
        return tuple(_revive(item) for item in data)
    if not isinstance(data, dict):
        raise _NotCacheable(type(data).__name__)
    kind, body = data["$"], data["v"]
    if kind == "Path":
        return Path(body)
    cls = _CLASSES[kind]
    values = {name: _revive(item) for name, item in body.items()}
    if cls is FileProbe:
        values["path"] = Path()
    names = {field.name for field in dataclasses.fields(cls)}
    if set(values) != names:
        raise _NotCacheable(kind)
    return cls(**values)
