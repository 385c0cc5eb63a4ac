"""How zcprep talks: rich consoles for data (stdout) and messages (stderr), the filter
every printed line passes (private numbers masked, terminal controls made visible), and
streams that survive a GBK console.

Every command module shows its results through these helpers, so that masking, colours
and encodings are decided in one place.
"""

from __future__ import annotations

import functools
import sys
from typing import Any


class View:
    """How this run shows private data: ``show_private`` is set by ``main``
    (``--show-private``), ``private`` by the command once it knows its dossiers."""

    show_private = False
    private: Any = None  # zcprep.privacy.PrivateValues of the dossiers this run reads


def shown(text: str) -> str:
    """The one filter every printed text passes: controls and undecodable names made
    visible, and unless ``--show-private`` ID and mobile numbers masked (zcprep.privacy)."""
    from zcprep.privacy import visible

    return _masked(visible(text))


def _masked(text: str) -> str:
    from zcprep.privacy import mask_private

    return text if View.show_private else mask_private(text, View.private)


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
                renderable = _shown_text(renderable)
            return super().render(renderable, options)

    return ShownConsole


def _shown_text(text: Any) -> Any:
    """A rich Text through :func:`shown`, its styles kept where they were: the controls
    are made visible piece by piece between style boundaries (a mark is longer than
    the character it shows), then the whole is masked (masks keep the length)."""
    from zcprep.privacy import visible

    if visible(text.plain) != text.plain:
        text = _visible_pieces(text)
    masked = _masked(text.plain)
    if masked != text.plain:
        text = text.copy()
        text.plain = masked
    return text


def _visible_pieces(text: Any) -> Any:
    from rich.text import Span, Text

    from zcprep.privacy import visible

    cuts = sorted({edge for span in text.spans for edge in (span.start, span.end)})
    result = text.blank_copy()
    for piece in text.divide(cuts):
        plain = visible(piece.plain)
        spans = [Span(0, len(plain), span.style) for span in piece.spans]
        result.append_text(Text(plain, spans=spans))
    return result


def out(file: Any = None) -> Any:
    """Data goes to stdout. Markup and emoji codes are off: a name written "[bold]" or
    ":warning:" is printed as written, never as a style or a symbol."""
    return _console_class()(file=file, highlight=False, soft_wrap=True, markup=False, emoji=False)


def err(file: Any = None) -> Any:
    """Messages go to stderr."""
    return _console_class()(
        file=file, stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False
    )


# Legacy code pages in which the classic Windows console (conhost) draws box characters
# and ✓ ★ · two columns wide (they are "ambiguous width" there), so borders misalign.
_LEGACY_CODECS = frozenset(
    {"gbk", "gb2312", "gb18030", "big5", "big5hkscs", "cp950", "cp932", "cp949", "shift_jis"}
    | {"euc_jp", "euc_kr", "johab", "hz"}
)
_MARKS = {"ok": ("✓", "OK"), "star": ("★", "*"), "dot": ("·", "-"), "arrow": ("→", "->")}


def is_legacy_encoding(encoding: str | None) -> bool:
    """The one place that decides: is this stream a legacy East Asian code page
    (cp936/GBK, cp950/Big5 …) rather than UTF-8?"""
    import codecs

    try:
        return codecs.lookup(encoding or "utf-8").name in _LEGACY_CODECS
    except LookupError:
        return False


# What a classic console's code page is as a codec (54936 is GB18030).
_CODE_PAGES = {936: "gbk", 950: "cp950", 932: "cp932", 949: "cp949", 54936: "gb18030"}


def _console_code_page(stream: Any) -> str | None:
    """On Windows Python writes a console as UTF-16 whatever its code page (the stream
    says "utf-8"), but conhost still draws by that code page. Windows Terminal
    (WT_SESSION) draws these characters one column wide: it keeps the UTF-8 look."""
    import os

    if sys.platform != "win32" or os.environ.get("WT_SESSION"):
        return None
    try:
        if not stream.isatty():
            return None
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        page = int(kernel32.GetConsoleOutputCP())
    except (AttributeError, OSError, ValueError):
        return None
    return _CODE_PAGES.get(page)


def _legacy(console: Any) -> bool:
    stream = console.file
    encoding = getattr(stream, "encoding", None)
    return is_legacy_encoding(encoding) or is_legacy_encoding(_console_code_page(stream))


def mark(name: str, console: Any) -> str:
    """A marker ("ok", "star", "dot", "arrow") as ``console`` can draw it one column wide:
    ✓ ★ · → in UTF-8, OK * - -> in a legacy code page."""
    fancy, plain = _MARKS[name]
    return plain if _legacy(console) else fancy


def table_box(console: Any) -> Any:
    """The box every table uses: rich's default where UTF-8 draws it right, plain
    ASCII (+ - |) in a legacy code page."""
    from rich import box

    return box.ASCII if _legacy(console) else box.HEAVY_HEAD


def table(console: Any, **options: Any) -> Any:
    """A rich Table drawn with :func:`table_box` for ``console``."""
    from rich.table import Table

    return Table(box=table_box(console), **options)


# The width of a report written with --output: a file has no terminal to fit.
FILE_WIDTH = 100


def file_console() -> Any:
    """A console that lays out for a file: a fixed width, no colours, UTF-8 drawing.
    What it printed is :func:`file_text`."""
    import io

    buffer = io.StringIO()
    console = _console_class()(
        file=buffer,
        width=FILE_WIDTH,
        color_system=None,
        force_terminal=False,
        highlight=False,
        soft_wrap=True,
        markup=False,
        emoji=False,
    )
    console.zcprep_buffer = buffer
    return console


def file_text(console: Any) -> str:
    return str(console.zcprep_buffer.getvalue())


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
    """bind, render, roster and letter alike: an empty workspace is said, not an error
    (exit 0). Names that are not there stay a usage error (dossier_paths says which).
    Every command that reads the dossiers passes here first, so this is also where the
    screen learns their private values (:func:`learn_private`)."""
    learn_private(ws)
    if names or ws.dossier_paths():
        return False
    err().print(NO_DOSSIERS)
    return True


def learn_private(ws: Any) -> None:
    """Read every dossier's id_number and phone values, so that the screen masks them
    whatever their shape (9 digits, a letter inside, an unquoted number) and wherever
    they are quoted, a traceback included. All dossiers, not only those named: a batch
    finding may quote anyone's. A file that cannot be read is the command's to report."""
    from zcprep.errors import ZcprepError
    from zcprep.model.applicant import load_applicant
    from zcprep.privacy import PrivateValues

    View.private = None
    if View.show_private:
        return
    try:
        folders = ws.dossier_paths()
    except (ZcprepError, OSError):
        return
    records = []
    for folder in folders:
        try:
            records.append(load_applicant(folder).data)
        except (ZcprepError, OSError):
            continue
    View.private = PrivateValues.of_applicants(records)


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


def json_text(data: Any) -> str:
    """JSON for the officer's own records keeps private numbers and every character;
    undecodable file-name bytes are made printable (a lone surrogate cannot be written
    as UTF-8) and terminal controls escaped, so that printing it is safe."""
    import json

    from zcprep.privacy import TERMINAL_CONTROLS, printable

    text = printable(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"
    # json.dumps leaves DEL, C1 and bidi controls raw: as \u escapes they read back the same
    return TERMINAL_CONTROLS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def echo_json(data: Any) -> None:
    """:func:`json_text` on stdout, as UTF-8 whatever the console's encoding."""
    text = json_text(data)
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if _is_utf8(stream) or buffer is None:
        stream.write(text)
        stream.flush()
        return
    stream.flush()  # a terminal in another encoding: still UTF-8, as --json promises
    buffer.write(text.encode("utf-8"))
    buffer.flush()
