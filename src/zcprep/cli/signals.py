"""Closing the terminal, ``kill`` and Ctrl-Break end a run the way Ctrl-C does.

Python dies at once on SIGTERM (``kill``, a shutdown) and SIGHUP (the terminal window
closed), skipping every cleanup: a temporary ``.part`` file stays in out/, and for
``zcprep add`` a partial copy of up to 512 MB stays hidden in the dossier. While a command
runs, these signals (and SIGBREAK on Windows, which is also what closing a console window
sends) raise :class:`Terminated`, a KeyboardInterrupt, so the same cleanups run as for
Ctrl-C. The exit code is then 128 + the signal's number, as a shell reports a process
that a signal ended: 143 for SIGTERM, 129 for SIGHUP (Ctrl-C stays 130).

A signal that the caller ignores (``nohup`` ignores SIGHUP) stays ignored. Once one has
arrived, repeats are ignored for a few seconds: the cleanup it started must not be
interrupted in turn. A repeat after that ends the process at once, as without zcprep: a
library that swallowed the first one (a bare ``except:``) must not make it unstoppable.
Windows ends a process soon after its console window is closed, maybe before the cleanup
has run; what is left then is removed by the next run (zcprep.atomic.sweep_stale_parts).
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

EXIT_CTRL_C = 130
_SIGNAL_EXIT_BASE = 128
# An exception raised inside a finaliser or a gc callback is lost (Python reports it as
# unraisable and carries on): the signal is then raised again a moment later.
_RETRY_SECONDS = 0.01
# How long repeats of the signal are ignored while the cleanup it started runs.
_CLEANUP_SECONDS = 5.0


class Terminated(KeyboardInterrupt):
    """The run was ended by a signal (``signum``), not by Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _State:
    received: int | None = None
    at = 0.0  # time.monotonic() when it was received
    closing = False  # the handlers are being put back


def _ending_signals() -> list[int]:
    names = ("SIGTERM", "SIGHUP", "SIGBREAK")
    return [number for name in names if (number := getattr(signal, name, None)) is not None]


def _takes_over(signum: int) -> bool:
    """Whether the run handles ``signum`` itself: the ending signals when nobody else
    does, and Ctrl-C while it has Python's own handler (which would lose an interrupt
    that lands in a finaliser: the run would go on to the end)."""
    current = signal.getsignal(signum)
    if signum == signal.SIGINT:
        return current is signal.default_int_handler
    return current is signal.SIG_DFL


@contextlib.contextmanager
def ending_like_ctrl_c() -> Iterator[None]:
    """While the block runs, SIGTERM, SIGHUP and SIGBREAK raise :class:`Terminated`."""
    _State.received = None
    _State.closing = False
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in [*_ending_signals(), signal.SIGINT]:
            if _takes_over(signum):
                previous[signum] = signal.signal(signum, _end_run)
    try:
        yield
    finally:
        _State.closing = True  # a signal from here on waits for the handlers put back
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _end_run(signum: int, frame: Any) -> None:
    from zcprep.probe.alarm import lands_where_lost

    if _State.closing:
        return  # the command is over; its exit code says so
    if _State.received is not None:
        if time.monotonic() - _State.at > _CLEANUP_SECONDS:
            signal.signal(signum, signal.SIG_DFL)  # the first was swallowed: end as asked
            signal.raise_signal(signum)
        return  # already ending: let the cleanup finish
    if lands_where_lost(frame):
        timer = threading.Timer(_RETRY_SECONDS, signal.raise_signal, (signum,))
        timer.daemon = True
        timer.start()
        return
    _State.received = signum
    _State.at = time.monotonic()
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Terminated(signum)


def signal_received() -> bool:
    """Whether SIGTERM, SIGHUP or SIGBREAK arrived during the last run."""
    return _State.received is not None


def interrupted_exit_code() -> int:
    """128 + the signal that ended the run; 130 for Ctrl-C."""
    signum = _State.received
    return EXIT_CTRL_C if signum is None else _SIGNAL_EXIT_BASE + signum


_WHY = {
    "SIGTERM": "收到结束信号（SIGTERM，如关机或 kill）",
    "SIGHUP": "终端窗口已关闭（SIGHUP）",
    "SIGBREAK": "收到 Ctrl-Break 或控制台窗口已关闭（SIGBREAK）",
}


def report_interruption() -> int:
    """Say that the run was stopped (if anyone can still read it) and return its exit code."""
    from zcprep.cli.console import err

    signum = _State.received
    why = "已中断"
    if signum is not None and signum != signal.SIGINT:
        why = f"{_WHY.get(_signal_name(signum), '收到结束信号')}，已停止"
    with contextlib.suppress(OSError, ValueError):  # the terminal may be gone
        err().print(f"{why}；已写出的文件保持原样，未完成的输出没有留下。")
    return interrupted_exit_code()


def _signal_name(signum: int) -> str:
    with contextlib.suppress(ValueError):
        return signal.Signals(signum).name
    return str(signum)
