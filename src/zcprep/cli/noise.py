"""Library warnings and log lines are not messages for the officer.

Pillow says "Image appears to be a malformed MPO file" on stderr, fontTools and pypdf log
in English; none of it says what to do, and a raw line in the middle of a table reads as
a failure. What matters of such a warning the core turns into a finding itself (qpdf's
repairs become "已自动修复"); the rest is silenced for the length of a command. With
``--debug`` everything is shown as the libraries write it.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator


@contextlib.contextmanager
def library_noise_hidden(debug: bool) -> Iterator[None]:
    """Within the block, Python warnings are ignored and log records that no handler
    takes are dropped (instead of logging's last-resort line on stderr)."""
    if debug:
        yield
        return
    handler = logging.NullHandler()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.removeHandler(handler)
