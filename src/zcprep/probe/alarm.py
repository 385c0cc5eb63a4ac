"""The per-file time bound inside the process: a SIGALRM timer and a page-by-page deadline.

A pathological PDF must not hang a batch. On Unix, in a main thread, the alarm interrupts
the parser wherever it is; elsewhere only the cooperative deadline applies, checked
between pages (the worker process in :mod:`zcprep.probe.process` is then the hard bound).
"""

from __future__ import annotations

import contextlib
import gc
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any


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
        if lands_where_lost(frame):
            signal.setitimer(signal.ITIMER_REAL, _ALARM_RETRY, _ALARM_REPEAT)
            return
        raise ProbeTimeout

    previous = signal.signal(signal.SIGALRM, _raise)
    try:
        # The alarm repeats: one raised inside a library's ``__del__`` or a broad
        # ``except BaseException`` is lost, and a lost alarm must not become a hang.
        # Armed inside the ``try``: a tiny limit may fire before the next line runs.
        signal.setitimer(signal.ITIMER_REAL, seconds, _ALARM_REPEAT)
        yield
    finally:
        _disarm(previous)


_ALARM_REPEAT = 1.0
_ALARM_RETRY = 0.01


def lands_where_lost(frame: Any) -> bool:
    """Whether an exception raised at ``frame`` would be lost: inside a gc callback or a
    finalizer Python reports it as unraisable and carries on. With a large heap a timer
    mostly expires during a collection, so the first Python code after it is a gc
    callback (hypothesis installs one): the alarm is then retried a moment later."""
    callbacks = {getattr(callback, "__code__", None) for callback in gc.callbacks}
    while frame is not None:
        if frame.f_code in callbacks or frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


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
