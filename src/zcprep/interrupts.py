"""Ctrl-C and worker processes: the parent handles it, a worker never prints its own
traceback.

Windows sends Ctrl-C to every process of the console, and POSIX terminals to the whole
process group, so a worker started without care dies with "Process SpawnProcess-N:
Traceback". Where it can (POSIX), Ctrl-C is held back while workers start
(:func:`ctrl_c_held`); each worker's first act is :func:`ignore_ctrl_c`, which also
drops a Ctrl-C held for it; the parent gets a held one right after.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


def ignore_ctrl_c() -> None:
    """A worker's start: Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextlib.contextmanager
def ctrl_c_held() -> Iterator[None]:
    """While the block starts workers, Ctrl-C waits (POSIX, main thread only)."""
    if not hasattr(signal, "pthread_sigmask") or (
        threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
