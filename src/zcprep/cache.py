"""What does not change between runs, remembered under the user's cache folder.

Choosing the font reads a 17 MB font collection, and check reads every page of every
file; neither answer changes until the file does. Such answers are kept as small JSON
files in the user's cache folder (Windows %LOCALAPPDATA%\\zcprep\\Cache, macOS
~/Library/Caches/zcprep, Linux ~/.cache/zcprep), never beside the dossiers: the folder
``ZCPREP_CACHE_DIR`` names replaces it, and "off" (or "0", or empty) turns caching off.

A cache is only ever a shortcut. A missing, corrupt, unreadable or unwritable entry is a
miss, and the caller computes the answer as if there were no cache; nothing here raises.
Each namespace folder's name carries the layout version and a tag of what its answers
depend on (the code that computes them, the libraries it uses), so a newer zcprep never
reads an older answer. A namespace keeps about :data:`MAX_ENTRIES` entries and
:data:`MAX_BYTES` bytes (a 3,000-page PDF's verdict is near a megabyte): now and then a
write drops the oldest-written ones, and namespaces of an older tag untouched for a
month are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_ENV = "ZCPREP_CACHE_DIR"
_OFF = frozenset({"", "0", "off", "false", "no", "none"})
# The layout of a namespace folder and of its entries; bump when either changes.
SCHEMA = 1
MAX_ENTRIES = 10_000
MAX_BYTES = 256 * 1024 * 1024
_KEEP_SHARE = 0.9
# A write checks the namespace's size when its entry's name starts with this (1 in 256).
_PRUNE_MARK = "00"
_STALE_SECONDS = 30 * 24 * 3600
_TEMP_SECONDS = 3600
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder holds zcprep's cache; it can be deleted at any time.\n"
)


def cache_root() -> Path | None:
    """The cache folder, or None when caching is off (or no user folder is known)."""
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        if value.strip().lower() in _OFF:
            return None
        return Path(value.strip()).expanduser().absolute()
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("zcprep", appauthor=False))
    except Exception:  # noqa: BLE001 - no library or no home folder: no cache, no failure
        return None


def stamp(parts: Iterable[object]) -> str:
    """A short hash of ``parts`` (their ``repr``), for a namespace's tag."""
    digest = hashlib.blake2b(digest_size=8)
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass") + b"\x00")
    return digest.hexdigest()


@lru_cache(maxsize=16)
def code_stamp(folder: Path) -> str:
    """A hash of the Python sources in ``folder`` and zcprep's version: answers computed
    by code that has changed since (an editable install, a new release) are not read.
    Where the sources cannot be read (a frozen build) the version alone counts."""
    from zcprep import __version__

    digest = hashlib.blake2b(__version__.encode("utf-8"), digest_size=8)
    try:
        for source in sorted(folder.glob("*.py")):
            digest.update(source.name.encode("utf-8") + b"\x00" + source.read_bytes())
    except OSError:
        pass
    return digest.hexdigest()


@lru_cache(maxsize=16)
def library_stamp(modules: tuple[str, ...]) -> str:
    """Where each library is installed and the size and time of its top module: an
    upgraded library (which may read files differently) gets a new stamp. Nothing is
    imported (asking the package metadata would cost more than the cache saves)."""
    from importlib.util import find_spec

    parts: list[object] = []
    for name in modules:
        try:
            spec = find_spec(name)
            origin = spec.origin if spec is not None else None
            info = Path(origin).stat() if origin else None
        except (ImportError, ValueError, OSError):
            info, origin = None, None
        parts.append((name, origin, info and (info.st_size, info.st_mtime_ns)))
    return stamp(parts)


class Store:
    """One namespace of the cache: JSON values under string keys.

    Keys are hashed into file names, so a key may hold a path or anything else; the
    key itself is not written. ``get`` returns None on any kind of miss, ``put`` returns
    whether the value was written.
    """

    def __init__(
        self, root: Path, name: str, tag: str, *, limit: int = MAX_ENTRIES, size: int = MAX_BYTES
    ) -> None:
        self.root = root
        self.name = name
        self.folder = root / f"{name}-v{SCHEMA}-{tag}"
        self.limit = limit
        self.size = size

    def entry(self, key: str) -> Path:
        """The file holding ``key``'s value (which may not exist)."""
        digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=20)
        return self.folder / f"{digest.hexdigest()}.json"

    def get(self, key: str) -> Any:
        try:
            entry = json.loads(self.entry(key).read_bytes())
        except (OSError, ValueError):
            return None
        return entry.get("v") if isinstance(entry, dict) else None

    def put(self, key: str, value: Any) -> bool:
        target = self.entry(key)
        try:
            data = json.dumps({"v": value}, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError):
            return False
        try:
            self._ensure_folder()
            _write_atomically(target, data.encode("utf-8"))
        except OSError:
            return False
        if target.name.startswith(_PRUNE_MARK):
            self.prune()
        return True

    def _ensure_folder(self) -> None:
        if self.folder.is_dir():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        tag = self.root / "CACHEDIR.TAG"
        if not tag.exists():
            _write_atomically(tag, _CACHEDIR_TAG.encode("ascii"))

    def prune(self) -> None:
        """Keep at most ``limit`` entries and ``size`` bytes (dropping the oldest-written
        down to 90 % of both),
        drop temporary files left by an interrupted write, and remove namespaces of
        the same name but another tag that nobody wrote to for a month."""
        now = time.time()
        entries: list[tuple[float, int, str]] = []
        try:
            with os.scandir(self.folder) as listing:
                for item in listing:
                    info = item.stat()
                    if item.name.endswith(".json"):
                        entries.append((info.st_mtime, info.st_size, item.path))
                    elif item.name.endswith(".tmp") and now - info.st_mtime > _TEMP_SECONDS:
                        _remove(item.path)
        except OSError:
            return
        count, total = len(entries), sum(size for _mtime, size, _path in entries)
        if count > self.limit or total > self.size:
            entries.sort()
            for _mtime, size, path in entries:
                if count <= self.limit * _KEEP_SHARE and total <= self.size * _KEEP_SHARE:
                    break
                _remove(path)
                count, total = count - 1, total - size
        self._drop_stale_namespaces(now)

    def _drop_stale_namespaces(self, now: float) -> None:
        import shutil

        try:
            siblings = list(self.root.glob(f"{self.name}-v*-*"))
            for folder in siblings:
                stale = now - folder.stat().st_mtime > _STALE_SECONDS
                if folder != self.folder and folder.is_dir() and stale:
                    shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            return


def open_store(name: str, tag: str, *, limit: int = MAX_ENTRIES) -> Store | None:
    """The namespace ``name`` for answers tagged ``tag``; None when caching is off."""
    root = cache_root()
    return None if root is None else Store(root, name, tag, limit=limit)


def _write_atomically(target: Path, data: bytes) -> None:
    """A temporary file in the same folder, then one rename: a reader sees the old entry
    or the new one, never half of one."""
    import tempfile  # only when writing: a run that only reads stays light

    fd, temp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(temp).replace(target)
    except BaseException:
        _remove(temp)
        raise


def _remove(path: str | Path) -> None:
    with contextlib.suppress(OSError):
        Path(path).unlink()
