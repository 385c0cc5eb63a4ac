"""Read-only probing of one dossier file: what it really is and what is inside.

Applicants rename files freely (a phone screenshot saved as 获奖证书.pdf, a Word file
"saved as" .pdf by typing the name), so the type comes from the first bytes, never from
the extension. PDFs are opened with pypdf to learn what a reviewer would meet: a file that
does not open, a password, pages that are not A4, scans too coarse to read, a 密级 marking
in the text layer. Each file is read once into memory (a file over MAX_PROBE_BYTES only at
its ends); nothing is ever written.

A pathological PDF (a content stream that makes the parser crawl) must not hang a batch:
probing stops at a per-file time limit and the result says how far it got, which
``check`` turns into a finding. On Unix, in a main thread, a SIGALRM timer interrupts the
parser wherever it is (cheap). Where there is no such timer (Windows, other threads) a
file is probed in a worker process that is terminated when it overruns (see
:class:`BoundedWorker`); ``ZCPREP_PROBE_ISOLATION=process`` forces that everywhere.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import logging
import math
import os
import pickle
import re
import signal
import stat
import struct
import threading
import time
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

# Files above this size are typed and fingerprinted from their ends only, never loaded:
# no applicant's scan is that big, a video or disk image dropped in by mistake may be.
MAX_PROBE_BYTES = 256 * 1024 * 1024
# Seconds one file may take before probing stops with status "timeout".
FILE_TIME_LIMIT = 20.0
MM_PER_POINT = 25.4 / 72
A4_MM = (210.0, 297.0)
A3_MM = (297.0, 420.0)
# Scanners and PDF printers round A4 differently (209.9 × 297.2, 8.27 × 11.69 in).
PAGE_TOLERANCE_MM = 3.0
# An image drawn over at least this share of a page is taken as a scan of the page.
SCAN_COVERAGE = 0.5

# Pillow refuses a picture over twice its MAX_IMAGE_PIXELS as a decompression bomb; bind
# reads pictures with Pillow, so check says the same about such a file.
MAX_IMAGE_PIXELS = 2 * 89_478_485
TOO_MANY_PIXELS = "图片头信息声称的像素数大得不合常理，文件已损坏或不是真正的扫描件"
NOT_REGULAR = "不是普通文件（可能是管道、设备或文件夹）"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

MARKING_RE = re.compile(r"(绝密|机密|秘密)\s*★")

Kind = Literal[
    "pdf",
    "jpeg",
    "png",
    "gif",
    "bmp",
    "tiff",
    "webp",
    "heic",
    "html",
    "ole",
    "docx",
    "xlsx",
    "pptx",
    "ofd",
    "archive",
    "empty",
    "unknown",
]
Status = Literal["ok", "unreadable", "encrypted", "timeout", "skipped"]

# The kinds a notice's ``formats`` may name (pdf, jpg, png) and what bind can use.
FORMAT_KIND: dict[str, Kind] = {"pdf": "pdf", "jpg": "jpeg", "png": "png"}
ACCEPTED_KINDS: frozenset[str] = frozenset(FORMAT_KIND.values())

KIND_LABELS: dict[str, str] = {
    "pdf": "PDF 文件",
    "jpeg": "JPG 图片",
    "png": "PNG 图片",
    "gif": "GIF 图片",
    "bmp": "BMP 图片",
    "tiff": "TIFF 图片",
    "webp": "WebP 图片",
    "heic": "HEIC 照片（苹果手机默认格式）",
    "html": "网页文件（HTML/MHT）",
    "ole": "Word/WPS/Excel 旧格式文档（.doc/.wps/.xls）",
    "docx": "Word 文档（.docx）",
    "xlsx": "Excel 表格（.xlsx）",
    "pptx": "PowerPoint 演示文稿（.pptx）",
    "ofd": "OFD 版式文件",
    "archive": "压缩包",
    "empty": "空文件",
    "unknown": "无法识别的文件",
}

# What a file name promises. Unknown extensions map to None.
EXTENSION_KIND: dict[str, Kind] = {
    "pdf": "pdf",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "jpe": "jpeg",
    "jfif": "jpeg",
    "png": "png",
    "gif": "gif",
    "bmp": "bmp",
    "tif": "tiff",
    "tiff": "tiff",
    "webp": "webp",
    "heic": "heic",
    "heif": "heic",
    "avif": "heic",
    "html": "html",
    "htm": "html",
    "mht": "html",
    "mhtml": "html",
    "doc": "ole",
    "wps": "ole",
    "xls": "ole",
    "et": "ole",
    "ppt": "ole",
    "dps": "ole",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
    "ofd": "ofd",
    "zip": "archive",
    "rar": "archive",
    "7z": "archive",
}

_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif")


@dataclass(frozen=True)
class PageProbe:
    """One PDF page as displayed (rotation applied)."""

    number: int
    width_mm: float
    height_mm: float
    rotation: int
    scan_dpi: float | None = None
    marking: str | None = None

    @property
    def size_class(self) -> str:
        """A4, A3 or "other", whatever the orientation."""
        return page_size_class(self.width_mm, self.height_mm)


@dataclass(frozen=True)
class FileProbe:
    """What probing learnt about one file.

    ``detail`` explains a non-ok status in Chinese. ``restricted`` is None for a PDF
    without encryption, else the permissions its owner password denies (maybe none).
    ``repaired`` holds pypdf's notes on structural errors it worked around.
    """

    path: Path
    size: int
    fingerprint: str | None
    kind: Kind
    extension_kind: Kind | None
    status: Status = "ok"
    detail: str = ""
    restricted: tuple[str, ...] | None = None
    page_count: int | None = None
    pages: tuple[PageProbe, ...] = ()
    image_size: tuple[int, int] | None = None
    repaired: tuple[str, ...] = field(default_factory=tuple)
    failed_page: int | None = None

    @property
    def image_dpi(self) -> float | None:
        """Resolution of a picture file if printed to fill an A4 page."""
        if self.image_size is None:
            return None
        return fitted_dpi(self.image_size, A4_MM)


def page_size_class(width_mm: float, height_mm: float) -> str:
    short, long = sorted((width_mm, height_mm))
    for name, (a, b) in (("A4", A4_MM), ("A3", A3_MM)):
        if abs(short - a) <= PAGE_TOLERANCE_MM and abs(long - b) <= PAGE_TOLERANCE_MM:
            return name
    return "other"


def fitted_dpi(pixels: tuple[int, int], page_mm: tuple[float, float]) -> float:
    """Dots per inch of an image stretched over a page, orientation matched."""
    short_px, long_px = sorted(pixels)
    short_mm, long_mm = sorted(page_mm)
    return min(short_px / (short_mm / 25.4), long_px / (long_mm / 25.4))


def fingerprint(data: bytes) -> str | None:
    """Size plus a hash of the first and last 64 KB: equal files always share it.

    Hashing every byte of a batch of scans cost a quarter of ``check``'s time on a
    2-core machine (sha256 at 250 MB/s), while files of the same size and ends are rare.
    Only files sharing a fingerprint are hashed in full (:func:`content_digest`).
    """
    if not data:
        return None
    edge = 65536
    sample = data if len(data) <= 2 * edge else data[:edge] + data[-edge:]
    return f"{len(data)}:{hashlib.blake2b(sample, digest_size=16).hexdigest()}"


def content_digest(path: Path) -> str:
    """sha256 of a whole file, read in blocks (never more than a block in memory)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def kind_from_name(name: str) -> Kind | None:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return EXTENSION_KIND.get(suffix)


def sniff(data: bytes) -> Kind:
    """The real type of a file from its leading bytes (and a zip's member names)."""
    if not data:
        return "empty"
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    simple = (
        (b"\xff\xd8\xff", "jpeg"),
        (PNG_SIGNATURE, "png"),
        (b"GIF87a", "gif"),
        (b"GIF89a", "gif"),
        (b"BM", "bmp"),
        (b"II*\x00", "tiff"),
        (b"MM\x00*", "tiff"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
        (b"Rar!\x1a\x07", "archive"),
        (b"7z\xbc\xaf\x27\x1c", "archive"),
    )
    for magic, kind in simple:
        if head.startswith(magic):
            return kind  # type: ignore[return-value]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "heic"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if _looks_like_html(head):
        return "html"
    return "unknown"


def sniff_file(path: Path) -> Kind:
    """:func:`sniff` on a file, reading its first bytes only (a zip: its directory too).

    Raises OSError when the file cannot be read; the caller makes sure it is a regular
    file (opening a pipe would wait forever).
    """
    with path.open("rb") as handle:
        head = handle.read(1024)
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    return sniff(head)


def _zip_kind(data: bytes | Path) -> Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return "archive"
    except OSError:
        if isinstance(data, Path):
            raise
        return "archive"
    prefixes: tuple[tuple[str, Kind], ...] = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))
    for prefix, kind in prefixes:
        if any(name.startswith(prefix) for name in names):
            return kind
    if any(name.rsplit("/", 1)[-1].upper() == "OFD.XML" for name in names):
        return "ofd"
    return "archive"


def _looks_like_html(head: bytes) -> bool:
    """A web page or a Word "save as web page" (.mht) file, in UTF-8 or UTF-16."""
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").replace(b"\x00", b"").lower()
    if text.startswith(b"mime-version:"):
        return True
    return text.startswith((b"<!doctype html", b"<html")) or b"<html" in text[:512]


# --- the time bound ----------------------------------------------------------------


class ProbeTimeout(BaseException):
    """Raised when a file exceeds its time limit.

    A BaseException, because pypdf's non-strict mode catches Exception in many places
    and would swallow the alarm.
    """


def signals_usable() -> bool:
    """Whether a SIGALRM timer can interrupt parsing here: Unix, the main thread, and no
    timer already set by someone else."""
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )


@contextlib.contextmanager
def _alarm(seconds: float | None) -> Iterator[None]:
    """Interrupt pure-Python parsing after ``seconds`` using SIGALRM where possible.

    Signals work only in the main thread of a process on Unix, which is where ``check``
    runs (also in its worker processes). Elsewhere, or when a timer is already set by
    someone else, this does nothing and only the cooperative deadline applies.
    """
    if seconds is None or seconds <= 0 or not signals_usable():
        yield
        return

    def _raise(signum: int, frame: Any) -> None:
        raise ProbeTimeout

    previous = signal.signal(signal.SIGALRM, _raise)
    # The alarm repeats: one raised inside a library's ``__del__`` or a broad
    # ``except BaseException`` is lost, and a lost alarm must not become a hang.
    signal.setitimer(signal.ITIMER_REAL, seconds, _ALARM_REPEAT)
    try:
        yield
    finally:
        _disarm(previous)


_ALARM_REPEAT = 1.0


def _disarm(previous: Any) -> None:
    """Stop the timer and restore the handler, even if a repeat arrives meanwhile."""
    while True:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            return
        except ProbeTimeout:
            continue


def time_bound(seconds: float | None) -> contextlib.AbstractContextManager[None]:
    """The same per-file alarm for other readers of dossier files (bind): the block
    raises :class:`ProbeTimeout` after ``seconds``. Where no alarm is possible it does
    nothing; such readers first run the same reading through :func:`run_bounded`."""
    return _alarm(seconds)


class _Deadline:
    def __init__(self, seconds: float | None) -> None:
        self.end = None if seconds is None else time.monotonic() + seconds

    def check(self) -> None:
        if self.end is not None and time.monotonic() > self.end:
            raise ProbeTimeout


# --- the worker process (where no alarm can interrupt the parser) ------------------

# "auto" (default): the alarm where signals_usable(), else the worker process.
# "process": always the worker (tests use it to run the Windows path on Linux).
# "inline": never the worker; where there is no alarm only the page-by-page deadline.
ISOLATION_ENV = "ZCPREP_PROBE_ISOLATION"
Isolation = Literal["auto", "process", "inline"]
# The worker finishes a slow file itself at the limit (the page-by-page deadline, with
# what it read so far); it is terminated only when one step overruns by this much more.
KILL_GRACE = 0.5
KILL_GRACE_SHARE = 0.1
# A spawned interpreter that imports pypdf and Pillow: about 0.3 s, far more on a busy
# Windows machine with an antivirus scanning every DLL it loads.
WORKER_START_LIMIT = 60.0

_T = TypeVar("_T")


class WorkerUnavailable(Exception):
    """No worker process can be started here (a sandbox, a daemonic parent process)."""


class WorkerCrashed(Exception):
    """The worker process died while reading a file (the file may be the cause)."""


def isolation(requested: Isolation | None = None) -> Literal["process", "inline"]:
    """How a file's time bound is enforced here: "inline" (the alarm, or only the
    page-by-page deadline) or "process" (the worker). ``requested`` overrides the
    ``ZCPREP_PROBE_ISOLATION`` environment variable; an unknown value means "auto"."""
    value = requested or os.environ.get(ISOLATION_ENV, "auto").strip().lower()
    if value in ("process", "inline"):
        return value  # type: ignore[return-value]
    return "inline" if signals_usable() else "process"


def kill_after(seconds: float) -> float:
    """How long the parent waits for a worker given a limit of ``seconds``."""
    return seconds + KILL_GRACE + seconds * KILL_GRACE_SHARE


def _worker_main(conn: Connection) -> None:
    """The worker's loop: run ``(function, args)`` requests until told to stop.

    Spawn-safe (a top-level function; requests name importable top-level functions).
    Ctrl+C reaches every process of the console; the parent handles it and stops the
    worker, which must not print a traceback of its own.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for heavy in ("pypdf", "PIL.Image"):  # imported before the clock of the first file runs
        with contextlib.suppress(ImportError):
            __import__(heavy)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if request is None:
            return
        function, args = request
        try:
            outcome: tuple[str, Any] = ("ok", function(*args))
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            outcome = ("raise", _portable(exc))
        try:
            conn.send(outcome)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            conn.send(("raise", RuntimeError(f"{type(exc).__name__}: {exc}")))
        except (EOFError, OSError):
            return


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling both ways, else a RuntimeError naming it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - exceptions with custom __init__ often fail to load
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


class BoundedWorker:
    """One persistent worker process that runs a function under a hard time limit.

    Starting a Python process costs a fraction of a second (more on Windows), so one
    worker serves file after file; it is terminated when a call overruns and a new one
    is started for the next call. Results come back through a pipe, pickled: plain
    values only (a FileProbe, None), never parsed PDF objects. The spawn start method is
    used everywhere, as on Windows: forking a process with threads is unsafe.
    """

    def __init__(self) -> None:
        self.starts = 0
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._lock = threading.Lock()
        self._unavailable = False
        self._finalizer_set = False

    @property
    def pid(self) -> int | None:
        """The running worker's process id, or None."""
        return self._process.pid if self._process is not None else None

    def call(self, function: Callable[..., _T], args: tuple[Any, ...], seconds: float) -> _T:
        """``function(*args)`` in the worker. Raises ProbeTimeout after ``seconds``
        (the worker is terminated), WorkerCrashed when it dies, WorkerUnavailable when
        no process can be started here, and whatever ``function`` raised."""
        with self._lock:
            conn = self._ready()
            try:
                try:
                    conn.send((function, args))
                except (EOFError, OSError):  # died between two files: one new try
                    self._stop(graceful=False)
                    conn = self._ready()
                    conn.send((function, args))
                if not conn.poll(seconds):
                    raise ProbeTimeout
                status, value = conn.recv()
            except (EOFError, OSError):
                self._stop(graceful=False)
                raise WorkerCrashed from None
            except BaseException:
                # A timeout, or Ctrl+C while waiting: the worker may still answer this
                # request later, so it can never serve the next one.
                self._stop(graceful=False)
                raise
        if status == "raise":
            raise value
        return value

    def close(self) -> None:
        """Stop the worker (it is started again by the next call)."""
        with self._lock:
            self._stop(graceful=True)

    def forget(self) -> None:
        """In a forked child: the parent's worker and pipe are not ours to use."""
        self._process, self._conn = None, None
        self._lock = threading.Lock()
        self._finalizer_set = False  # the parent's finalizer is not run in the child

    def _ready(self) -> Connection:
        if self._process is not None and self._conn is not None:
            if self._process.is_alive():
                return self._conn
            self._stop(graceful=False)
        if self._unavailable:
            raise WorkerUnavailable
        try:
            return self._start()
        except Exception as exc:
            self._unavailable = True
            raise WorkerUnavailable from exc

    def _start(self) -> Connection:
        import multiprocessing
        import multiprocessing.util

        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe(duplex=True)
        process = context.Process(
            target=_worker_main, args=(child,), name="zcprep-probe", daemon=True
        )
        try:
            process.start()
        except BaseException:
            parent.close()
            raise
        finally:
            child.close()  # the worker holds its own copy
        self._process, self._conn = process, parent
        self.starts += 1
        if not self._finalizer_set:
            # Runs at interpreter exit, also in multiprocessing children (which skip atexit).
            multiprocessing.util.Finalize(None, self.close, exitpriority=10)
            self._finalizer_set = True
        try:
            if not parent.poll(WORKER_START_LIMIT):
                raise OSError("the probe worker did not start in time")
            status, _pid = parent.recv()
        except BaseException:
            self._stop(graceful=False)
            raise
        if status != "ready":
            self._stop(graceful=False)
            raise OSError("the probe worker did not start")
        return parent

    def _stop(self, *, graceful: bool) -> None:
        process, conn = self._process, self._conn
        self._process, self._conn = None, None
        if conn is not None:
            if graceful:
                with contextlib.suppress(OSError, ValueError):
                    conn.send(None)
            conn.close()
        if process is None:
            return
        if graceful:
            process.join(2.0)
        if process.is_alive():
            process.terminate()
            process.join(5.0)
        if process.is_alive():
            process.kill()
            process.join()
        process.close()


worker = BoundedWorker()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=worker.forget)


def run_bounded(function: Callable[..., _T], args: tuple[Any, ...], seconds: float) -> _T:
    """``function(*args)`` in the worker process, terminated after ``seconds`` (plus a
    grace, see :func:`kill_after`) with :class:`ProbeTimeout`. ``function`` must be a
    top-level function of an importable module, ``args`` and its result picklable.
    Raises :class:`WorkerUnavailable` where no process can be started."""
    return worker.call(function, args, kill_after(seconds))


# --- probing -----------------------------------------------------------------------


def probe_file(
    path: Path, time_limit: float | None = FILE_TIME_LIMIT, *, isolation: Isolation | None = None
) -> FileProbe:
    """Probe one file; never raises for bad content (an unreadable disk file raises OSError,
    and so does anything but a regular file: reading a pipe would wait forever).

    ``isolation`` (default: the ``ZCPREP_PROBE_ISOLATION`` environment variable, else
    "auto") chooses how ``time_limit`` is enforced; see :func:`isolation`.
    """
    if time_limit is not None and time_limit > 0 and _isolation(isolation) == "process":
        try:
            found = run_bounded(_probe_task, (str(path.absolute()), time_limit), time_limit)
        except ProbeTimeout:
            return _timed_out(path, time_limit)
        except WorkerCrashed:
            return _replace(
                _ends_only(path),
                status="unreadable",
                detail="读取时检查程序意外退出，文件结构可能严重异常",
            )
        except WorkerUnavailable:
            pass  # no processes here: the page-by-page deadline only
        else:
            return _replace(found, path=path)
    return _probe_here(path, time_limit, alarm=True)


_isolation = isolation  # probe_file's parameter shadows the function's name


def _probe_task(path: str, time_limit: float) -> FileProbe:
    """What the worker runs for :func:`probe_file`: the terminating parent is the hard
    bound, so no alarm here (the same path Windows takes)."""
    return _probe_here(Path(path), time_limit, alarm=False)


def _probe_here(path: Path, time_limit: float | None, *, alarm: bool) -> FileProbe:
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, NOT_REGULAR, str(path))
    size = info.st_size
    if size > MAX_PROBE_BYTES:
        return _replace(
            _ends_only(path),
            status="skipped",
            detail=f"文件超过 {MAX_PROBE_BYTES // 1024 // 1024} MB，未逐页检查",
        )
    data = path.read_bytes()
    kind = sniff(data)
    base = FileProbe(
        path=path,
        size=len(data),
        fingerprint=fingerprint(data),
        kind=kind,
        extension_kind=kind_from_name(path.name),
    )
    if kind == "pdf":
        return _probe_pdf(base, data, time_limit, alarm)
    if kind == "jpeg":
        return _probe_jpeg(base, data)
    if kind == "png":
        return _probe_png(base, data)
    return base


def _ends_only(path: Path) -> FileProbe:
    """Type and fingerprint of a file from its ends (for files up to MAX_PROBE_BYTES the
    same values as :func:`sniff` and :func:`fingerprint` of the whole file)."""
    size = path.stat().st_size
    edge = 65536
    with path.open("rb") as handle:
        if size <= 2 * edge:
            sample = handle.read()
            head = sample[:edge]
        else:
            head = handle.read(edge)
            handle.seek(size - edge)
            sample = head + handle.read(edge)
    # A huge zip is typed from its head alone (its directory is at the far end).
    kind = sniff_file(path) if size <= MAX_PROBE_BYTES else sniff(head)
    digest = f"{size}:{hashlib.blake2b(sample, digest_size=16).hexdigest()}" if sample else None
    return FileProbe(
        path=path,
        size=size,
        fingerprint=digest,
        kind=kind,
        extension_kind=kind_from_name(path.name),
    )


def _timed_out(path: Path, time_limit: float) -> FileProbe:
    """The worker was terminated: nothing of what it read came back."""
    return _replace(_ends_only(path), status="timeout", detail=f"超过 {time_limit:g} 秒仍未读完")


def _replace(base: FileProbe, **changes: Any) -> FileProbe:
    from dataclasses import replace

    return replace(base, **changes)


class _Collector(logging.Handler):
    """Keeps pypdf's repair warnings ("EOF marker not found"…) off the terminal."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message not in self.messages:
            self.messages.append(message)


@contextlib.contextmanager
def quiet_pypdf() -> Iterator[_Collector]:
    """Collect pypdf's log warnings (its notes on what it repaired) instead of printing
    them; ``collector.messages`` holds them, each once."""
    logger = logging.getLogger("pypdf")
    collector = _Collector()
    saved = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield collector
    finally:
        logger.removeHandler(collector)
        logger.propagate = saved


def _probe_pdf(base: FileProbe, data: bytes, time_limit: float | None, alarm: bool) -> FileProbe:
    pages: list[PageProbe] = []
    state: dict[str, Any] = {"status": "ok", "detail": "", "restricted": None, "count": None}
    with quiet_pypdf() as collector:
        try:
            with _alarm(time_limit if alarm else None):
                _read_pdf(data, _Deadline(time_limit), pages, state)
        except ProbeTimeout:
            state["status"] = "timeout"
            state["detail"] = f"超过 {time_limit:g} 秒仍未读完"
    return _replace(
        base,
        status=state["status"],
        detail=state["detail"],
        restricted=state["restricted"],
        page_count=state["count"],
        pages=tuple(pages),
        repaired=tuple(collector.messages) if state["status"] == "ok" else (),
        failed_page=state.get("failed_page"),
    )


def _read_pdf(
    data: bytes, deadline: _Deadline, pages: list[PageProbe], state: dict[str, Any]
) -> None:
    """Fill ``pages`` and ``state``; the caller handles the time limit."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _open_encrypted(reader, state):
            return
        count = len(reader.pages)
    except ProbeTimeout:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is a finding, not a crash
        state["status"] = "unreadable"
        state["detail"] = pdf_error_text(exc)
        return
    state["count"] = count
    if count == 0:
        state["status"] = "unreadable"
        state["detail"] = "PDF 中没有任何页面"
        return
    for index in range(count):
        deadline.check()
        try:
            pages.append(_probe_page(reader.pages[index], index + 1))
        except ProbeTimeout:
            raise
        except Exception as exc:  # noqa: BLE001
            state["status"] = "unreadable"
            state["detail"] = f"第 {index + 1} 页无法读取（{pdf_error_text(exc)}）"
            state["failed_page"] = index + 1
            return


def _open_encrypted(reader: Any, state: dict[str, Any]) -> bool:
    """True when the PDF opens without a password (owner-only restrictions)."""
    from pypdf import PasswordType

    try:
        opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except Exception as exc:  # noqa: BLE001 - unsupported algorithm, missing crypto…
        state["status"] = "encrypted"
        state["detail"] = f"加密方式无法处理（{type(exc).__name__}）"
        return False
    if not opened:
        state["status"] = "encrypted"
        state["detail"] = "打开需要密码"
        return False
    state["restricted"] = _denied_permissions(reader)
    return True


_PERMISSION_NAMES = (
    ("PRINT", "打印"),
    ("MODIFY", "修改"),
    ("EXTRACT", "复制内容"),
    ("ASSEMBLE_DOC", "拼合页面"),
)


def _denied_permissions(reader: Any) -> tuple[str, ...]:
    from pypdf.constants import UserAccessPermissions

    try:
        granted = reader.user_access_permissions
    except Exception:  # noqa: BLE001
        return ()
    if granted is None:
        return ()
    return tuple(
        label
        for name, label in _PERMISSION_NAMES
        if not granted & getattr(UserAccessPermissions, name)
    )


def pdf_error_text(exc: BaseException) -> str:
    """What a pypdf failure means for the officer, in Chinese (never pypdf's English)."""
    text = str(exc)
    if "EOF marker" in text or "ended unexpectedly" in text or "truncated" in text.lower():
        return "文件不完整，可能下载或复制时中断"
    if "startxref" in text or "xref" in text.lower():
        return "文件结构损坏（交叉引用表错误）"
    return f"文件已损坏（{type(exc).__name__}）"


def _probe_page(page: Any, number: int) -> PageProbe:
    box = page.cropbox
    width = abs(float(box.width)) * MM_PER_POINT
    height = abs(float(box.height)) * MM_PER_POINT
    rotation = int(page.get("/Rotate", 0) or 0) % 360
    if rotation in (90, 270):
        width, height = height, width
    resources = _resolve(page.get("/Resources"))
    page_area = abs(float(box.width) * float(box.height)) or 1.0
    images, fonts = _paints(resources)
    dpi = _scan_dpi(page, resources, page_area) if images else None
    marking = _marking(page) if fonts else None  # a pure scan has no text layer to read
    return PageProbe(number, round(width, 1), round(height, 1), rotation, dpi, marking)


def _resolve(obj: Any) -> Any:
    return obj.get_object() if hasattr(obj, "get_object") else obj


def _xobjects(resources: Any) -> dict[str, Any]:
    if not resources or "/XObject" not in resources:
        return {}
    table = _resolve(resources["/XObject"]) or {}
    return {str(name): _resolve(table[name]) for name in table}


def _paints(resources: Any, depth: int = 0) -> tuple[bool, bool]:
    """(draws an image?, has a font?) for a resource dictionary and its form XObjects."""
    has_fonts = bool(resources) and "/Font" in resources
    has_images = False
    for xobject in _xobjects(resources).values():
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            has_images = True
        elif subtype == "/Form" and depth < 3:
            images, fonts = _paints(_resolve(xobject.get("/Resources")), depth + 1)
            has_images, has_fonts = has_images or images, has_fonts or fonts
        if has_images and has_fonts:
            break
    return has_images, has_fonts


# Content-stream tokens that move images around: q, Q, cm and Do.
_TOKEN_RE = re.compile(
    rb"(?<![^\s\]\)>])"
    rb"(?:([-+]?[\d.]+)\s+([-+]?[\d.]+)\s+([-+]?[\d.]+)\s+([-+]?[\d.]+)\s+([-+]?[\d.]+)\s+([-+]?[\d.]+)\s+cm"
    rb"|(q)|(Q)|/([^\s/\[\]()<>{}%]+)\s*Do)(?![^\s\[\(/<%])"
)
# Inline images (BI … ID <binary> EI) carry raw bytes that could look like operators.
_INLINE_IMAGE_RE = re.compile(rb"(?<![^\s])BI\s.*?\sID\s.*?\sEI(?![^\s])", re.DOTALL)
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m × n in PDF's row-vector convention (m applied first)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _drawn_images(
    content: bytes, resources: Any, ctm: Matrix, depth: int = 0
) -> Iterator[tuple[Any, Matrix]]:
    """Each image XObject painted by ``content`` with the matrix it is painted through.

    A regular-expression walk over q/Q/cm/Do is enough for scans (a handful of operators)
    and far cheaper than a full content-stream parse of text-heavy pages.
    """
    xobjects = _xobjects(resources)
    stack: list[Matrix] = []
    current = ctm
    for match in _TOKEN_RE.finditer(content):
        if match.group(1) is not None:
            try:
                step = tuple(float(match.group(i)) for i in range(1, 7))
            except ValueError:
                continue
            current = _multiply(step, current)  # type: ignore[arg-type]
        elif match.group(7):
            stack.append(current)
        elif match.group(8):
            current = stack.pop() if stack else ctm
        else:
            xobject = xobjects.get("/" + match.group(9).decode("latin-1"))
            if xobject is None:
                continue
            subtype = xobject.get("/Subtype")
            if subtype == "/Image":
                yield xobject, current
            elif subtype == "/Form" and depth < 3:
                form_matrix = tuple(float(v) for v in xobject.get("/Matrix", _IDENTITY))
                inner = _multiply(form_matrix, current)  # type: ignore[arg-type]
                yield from _drawn_images(
                    xobject.get_data(), _resolve(xobject.get("/Resources")), inner, depth + 1
                )


def _scan_dpi(page: Any, resources: Any, page_area: float) -> float | None:
    """The resolution of the largest image covering most of the page, if any."""
    contents = page.get_contents()
    if contents is None:
        return None
    content = _INLINE_IMAGE_RE.sub(b" ", contents.get_data())
    best: tuple[float, float] | None = None
    for image, matrix in _drawn_images(content, resources, _IDENTITY):
        a, b, c, d, _, _ = matrix
        drawn_w, drawn_h = math.hypot(a, b), math.hypot(c, d)
        area = drawn_w * drawn_h
        if area < SCAN_COVERAGE * page_area or drawn_w <= 0 or drawn_h <= 0:
            continue
        try:
            px_w, px_h = int(image["/Width"]), int(image["/Height"])
        except (KeyError, TypeError, ValueError):
            continue
        dpi = min(px_w / (drawn_w / 72), px_h / (drawn_h / 72))
        if best is None or area > best[0]:
            best = (area, dpi)
    return round(best[1], 1) if best else None


def _marking(page: Any) -> str | None:
    """A 密级 marking (绝密★, 机密★, 秘密★) in the page's text layer, if any."""
    text = page.extract_text() or ""
    match = MARKING_RE.search(text)
    return match.group(0).replace(" ", "") if match else None


def _probe_jpeg(base: FileProbe, data: bytes) -> FileProbe:
    """Size from the header; a draft (1/8 scale) decode catches a truncated file cheaply."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            size = image.size
            image.draft("L", (max(1, size[0] // 8), max(1, size[1] // 8)))
            image.load()
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for bad data
        return _replace(base, status="unreadable", detail=_image_error_text(exc), page_count=1)
    return _replace(base, image_size=size, page_count=1)


def png_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(type, body) of each chunk of a PNG file's bytes, up to and including IEND.

    A chunk cut short by the end of the data is yielded with what there is; a PNG
    that ends before IEND is truncated.
    """
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(data):
        length, chunk = struct.unpack(">I4s", data[position : position + 8])
        yield chunk, data[position + 8 : position + 8 + length]
        if chunk == b"IEND":
            return
        position += 12 + length


def _probe_png(base: FileProbe, data: bytes) -> FileProbe:
    """Walk the chunks to IEND: a truncated PNG is found without decoding the pixels."""
    size: tuple[int, int] | None = None
    ended = False
    for chunk, body in png_chunks(data):
        if chunk == b"IHDR" and len(body) >= 8:
            size = struct.unpack(">II", body[:8])
        ended = chunk == b"IEND"
    if not ended:
        return _replace(
            base, status="unreadable", detail="图片不完整，可能下载或复制时中断", page_count=1
        )
    if size is None or 0 in size:
        return _replace(base, status="unreadable", detail="图片头信息损坏", page_count=1)
    if size[0] * size[1] > MAX_IMAGE_PIXELS:
        return _replace(base, status="unreadable", detail=TOO_MANY_PIXELS, page_count=1)
    return _replace(base, image_size=size, page_count=1)


def _image_error_text(exc: BaseException) -> str:
    if type(exc).__name__ == "DecompressionBombError":
        return TOO_MANY_PIXELS
    if "truncated" in str(exc).lower():
        return "图片不完整，可能下载或复制时中断"
    return f"图片已损坏（{type(exc).__name__}）"
