"""How zcprep talks: rich consoles for data (stdout) and messages (stderr), the privacy
filter every printed line passes, and streams that survive a GBK console.

Every command module shows its results through these helpers, so that masking, colours
and encodings are decided in one place.
"""

from __future__ import annotations

import functools
import sys
from typing import Any


class View:
    """How this run shows private data; set by ``main`` (``--show-private``)."""

    show_private = False


def shown(text: str) -> str:
    """The one filter every printed text passes: names made printable, and unless
    ``--show-private`` ID and mobile numbers masked (zcprep.privacy)."""
    from zcprep.privacy import mask_private, printable

    text = printable(text)
    return text if View.show_private else mask_private(text)


@functools.cache
def _console_class() -> Any:
    """A rich Console that filters every str and Text through :func:`shown` before
    laying it out, so that a number a table would wrap is masked whole."""
    from rich.console import Console
    from rich.text import Text

    class ShownConsole(Console):
        def render_str(self, text: str, *args: Any, **kwargs: Any) -> Any:
            return super().render_str(shown(text), *args, **kwargs)

        def render(self, renderable: Any, options: Any = None) -> Any:
            if isinstance(renderable, Text):
                masked = shown(renderable.plain)
                if masked != renderable.plain:
                    renderable = renderable.copy()
                    renderable.plain = masked
            return super().render(renderable, options)

    return ShownConsole


def out() -> Any:
    """Data goes to stdout. Markup is off: names and paths are printed as written."""
    return _console_class()(highlight=False, soft_wrap=True, markup=False)


def err() -> Any:
    """Messages go to stderr."""
    return _console_class()(stderr=True, highlight=False, soft_wrap=True, markup=False)


def styled(label: str, style: str, text: str) -> Any:
    from rich.text import Text

    return Text.assemble((label, style), text)


def say_warnings(warnings: list[str]) -> None:
    console = err()
    for warning in warnings:
        console.print(styled("提示：", "yellow", warning))


def report_error(message: str, hint: str | None) -> None:
    console = err()
    console.print(styled("错误：", "bold red", message))
    if hint:
        console.print(styled("怎么办：", "cyan", hint))


NO_DOSSIERS = "工作区中还没有档案，用 zcprep new 姓名 新建。"


def no_dossiers(ws: Any, names: list[str] | None) -> bool:
    """check, bind, render and roster alike: an empty workspace is said, not an error
    (exit 0). Names that are not there stay a usage error (dossier_paths says which)."""
    if names or ws.dossier_paths():
        return False
    err().print(NO_DOSSIERS)
    return True


def prepare_streams() -> None:
    """Make output survive any console encoding.

    On Chinese Windows ``zcprep check > 结果.txt`` gives a GBK stdout, which cannot hold
    "✓" (UnicodeEncodeError) and would write --json in GBK: output that is not a
    terminal is written as UTF-8. A terminal keeps its own encoding, but a character it
    cannot show becomes "?" instead of a crash.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            if stream.isatty():
                reconfigure(errors="replace")
            else:
                stream.flush()
                reconfigure(encoding="utf-8", errors="replace")
        except (OSError, ValueError, LookupError):  # a closed or exotic stream: leave it
            continue


def _is_utf8(stream: Any) -> bool:
    import codecs

    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "utf-8"
    except LookupError:
        return False


def echo_json(data: Any) -> None:
    """JSON for the officer's own records keeps private numbers; undecodable file-name
    bytes are made printable (a lone surrogate cannot be written as UTF-8)."""
    import json

    from zcprep.privacy import printable

    text = printable(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if _is_utf8(stream) or buffer is None:
        stream.write(text)
        stream.flush()
        return
    stream.flush()  # a terminal in another encoding: still UTF-8, as --json promises
    buffer.write(text.encode("utf-8"))
    buffer.flush()
