"""The per-file time bound where no alarm can interrupt the parser: a worker process.

On Windows, or in a thread, a file is read in a persistent worker process that is
terminated when it overruns (:class:`BoundedWorker`); ``ZCPREP_PROBE_ISOLATION`` chooses
between this and the in-process alarm (:func:`isolation`). The worker is spawned, so it
re-imports this module: keep it free of heavy imports (pypdf and Pillow are loaded by the
worker itself, before the first file's clock runs).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import threading
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from zcprep.interrupts import ctrl_c_held, ignore_ctrl_c
from zcprep.probe.alarm import ProbeTimeout, signals_usable

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess


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


def silence_libraries() -> None:
    """Library warnings and log lines ("Image appears to be a malformed MPO file") never
    reach the officer's screen raw: what matters of them the probe turns into findings
    itself. The worker's stderr is the console's, so it is silenced as the CLI is."""
    warnings.simplefilter("ignore")
    logging.getLogger().addHandler(logging.NullHandler())


def _worker_main(conn: Connection) -> None:
    """The worker's loop: run ``(function, args)`` requests until told to stop.

    Spawn-safe (a top-level function; requests name importable top-level functions).
    Ctrl+C reaches every process of the console; the parent handles it and stops the
    worker, which must not print a traceback of its own.
    """
    ignore_ctrl_c()
    silence_libraries()
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
            with ctrl_c_held():
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
