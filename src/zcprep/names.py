"""File and folder names that work on Windows, where most officers open the outputs.

One place for the rules, so that ``zcprep new`` (refuses a bad dossier name), ``zcprep
add`` (renames zip entries and reports it), ``render``, ``roster`` and the checklist's
``NN-材料名`` folders (rewrite names silently) cannot drift apart. The rules follow
Microsoft's "Naming Files, Paths, and Namespaces" as CPython's ``ntpath.isreserved``
reads it:

- no ``\\ / : * ? " < > |`` and no control character (U+0000–U+001F);
- no trailing dot or space (Windows silently drops them, so the name changes);
- no DOS device name (CON, PRN, AUX, NUL, CONIN$, CONOUT$, COM1–9, LPT1–9 and the
  superscript ¹²³ forms), even with an extension or trailing spaces (``CON.txt``,
  ``nul .pdf``): Windows opens the device instead of the file.

Names are NFC (macOS writes NFD; the same 姓名 must give the same folder). Lengths are
cut on character boundaries, never inside a UTF-8 sequence or before a combining mark.
"""

from __future__ import annotations

import re
import unicodedata

# Linux and macOS allow 255 bytes of UTF-8 per name (Windows 255 UTF-16 units): the
# tighter of the two for Chinese.
NAME_MAX_BYTES = 255
FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{digit}" for port in ("COM", "LPT") for digit in "123456789\u00b9\u00b2\u00b3"}
)
_TRAILING = " ."
_ZWJ = "\u200d"


def is_reserved(name: str) -> bool:
    """True for a DOS device name, with or without an extension (``CON``, ``con.txt``)."""
    return name.split(".", 1)[0].strip().upper() in RESERVED


def windows_problem(name: str) -> str | None:
    """Why ``name`` cannot be one Windows file or folder name (Chinese), or None if it can."""
    if not name:
        return "名字为空"
    bad = dict.fromkeys(FORBIDDEN.findall(name))
    if bad:
        shown = "、".join(_show(char) for char in bad)
        return f'含有 Windows 文件名不允许的字符 {shown}（\\ / : * ? " < > | 和控制字符都不行）'
    if name[-1] in _TRAILING:
        return "以点或空格结尾（Windows 会自动去掉结尾的点和空格，名字就变了）"
    if is_reserved(name):
        device = name.split(".", 1)[0].strip()
        return f"“{device}”是 Windows 保留的设备名（CON、PRN、AUX、NUL、COM1、LPT1 等），加扩展名也不行"
    return None


def portable_name(
    name: str,
    *,
    replacement: str = "_",
    max_chars: int | None = None,
    max_bytes: int | None = None,
    also_strip: str = "",
    fallback: str = "_",
) -> str:
    """``name`` made safe as one Windows file or folder name, changed as little as possible.

    Forbidden characters become ``replacement`` (one each, so different names stay
    different; ``""`` drops them); the result is NFC, at most ``max_chars`` characters
    and ``max_bytes`` UTF-8 bytes, never ends with a dot or space, and a device name gets
    a ``_`` in front (``CON.txt`` → ``_CON.txt``). ``also_strip`` lists characters to
    remove from both ends as well (e.g. a leading dot, which hides a file on macOS).
    An empty result gives ``fallback``, which must itself be portable. A name without a
    problem comes back unchanged, and applying the function twice changes nothing.
    """
    if FORBIDDEN.search(replacement) or replacement.endswith(tuple(_TRAILING)):
        raise ValueError(f"replacement {replacement!r} is not portable itself")
    if (max_chars is not None and max_chars < 1) or (max_bytes is not None and max_bytes < 1):
        raise ValueError("max_chars and max_bytes must be at least 1")
    tail = _TRAILING + also_strip
    text = unicodedata.normalize("NFC", FORBIDDEN.sub(replacement, name))
    text = truncate(text.lstrip(also_strip), max_chars, max_bytes).rstrip(tail)
    if is_reserved(text):
        text = truncate("_" + text, max_chars, max_bytes).rstrip(tail)
    return text or fallback


_SUFFIX = re.compile(r"\.[0-9A-Za-z]{1,10}")


def portable_file_name(name: str, max_bytes: int = NAME_MAX_BYTES) -> str:
    """``portable_name`` for a file that keeps its extension (``.pdf``, ``.jpeg``) when the
    name has to be cut to ``max_bytes``: a file without it would no longer open, nor be
    recognised as a scan."""
    fixed = portable_name(name)
    if len(fixed.encode("utf-8", "surrogatepass")) <= max_bytes:
        return fixed
    stem, dot, suffix = fixed.rpartition(".")
    if not (dot and stem and _SUFFIX.fullmatch(dot + suffix)) or len(dot + suffix) >= max_bytes:
        return portable_name(fixed, max_bytes=max_bytes)
    return portable_name(stem, max_bytes=max_bytes - len(dot + suffix)) + dot + suffix


def truncate(text: str, max_chars: int | None = None, max_bytes: int | None = None) -> str:
    """The longest start of ``text`` within both limits that does not split a character:
    no cut inside a UTF-8 sequence, before a combining mark or beside a zero-width joiner."""
    end = len(text) if max_chars is None else min(len(text), max_chars)
    if max_bytes is not None:
        used = 0
        for index, char in enumerate(text[:end]):
            used += len(char.encode("utf-8", "surrogatepass"))
            if used > max_bytes:
                end = index
                break
    while 0 < end < len(text) and (_joins_previous(text[end]) or text[end - 1] == _ZWJ):
        end -= 1
    return text[:end]


def _joins_previous(char: str) -> bool:
    """A mark or selector that belongs to the character before it."""
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or char == _ZWJ
        or "\ufe00" <= char <= "\ufe0f"
    )


def _show(char: str) -> str:
    return f"控制字符 U+{ord(char):04X}" if char < " " else f"“{char}”"
