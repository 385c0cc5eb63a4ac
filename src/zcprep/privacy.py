"""What may reach a screen: private numbers masked, file names made printable.

Officers run zcprep in front of colleagues, paste its output into chats and attach it to
bug reports, so the terminal shows resident ID numbers as ``1101**********002X`` and
mobile numbers as ``138****0000`` unless ``--show-private`` is given (``--json`` and the
files under out/ keep them: those are the officer's own records). The masks keep the
length, so a table laid out with them looks the same, and they run on the whole text
before it is laid out, so a number a table would wrap over two lines is masked too.

File names that are not UTF-8 (GBK bytes from a Windows zip) reach Python as lone
surrogates, which a UTF-8 terminal, a JSON file or a PDF cannot hold: :func:`printable`
decodes them as GB18030 where they are that, else shows � for each bad byte.
"""

from __future__ import annotations

import re

from zcprep.idcard import mask_id

# An 18-character resident ID (last may be X) or a 15-digit old one, standing alone:
# not part of a longer run of digits (dates are 8 digits, sizes and page counts fewer).
# Also an attempt at one, exactly when it is quoted in a message because it is wrong: 14
# to 20 digits (17 or 19 included), maybe in groups with spaces or hyphens, maybe an X.
_ID = re.compile(
    r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15}|[0-9](?:[ -]?[0-9]){13,18}(?:[ -]?[Xx])?)(?![0-9])"
)
# A mainland mobile number, 11 digits from 13x to 19x, maybe with +86 and - or spaces.
# Also a mistyped one (10 or 12 digits), which is quoted exactly when it is wrong.
_MOBILE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[- ]?)?(1[3-9][0-9](?:[- ]?[0-9]){7,9})(?![0-9])")
_SURROGATE = re.compile(r"[\udc80-\udcff]")


def mask_private(text: str) -> str:
    """ID numbers as 1101**********002X and mobile numbers as 138****0000, same length."""
    if not any(char.isdigit() for char in text):
        return text
    text = _ID.sub(lambda m: mask_id(m.group(0)), text)
    return _MOBILE.sub(_mask_mobile, text)


def _mask_mobile(match: re.Match[str]) -> str:
    """Hide digits 4 to 7 of the number itself, keeping any prefix and separators."""
    start = match.start(1) - match.start(0)
    head, number = match.group(0)[:start], match.group(1)
    shown, digits = [], 0
    for char in number:
        if char.isdigit():
            digits += 1
            shown.append("*" if 4 <= digits <= 7 else char)
        else:
            shown.append(char)
    return head + "".join(shown)


def printable(text: str) -> str:
    """``text`` with any undecodable file-name bytes made readable (GB18030, else �)."""
    if not _SURROGATE.search(text):
        return text
    return _UNDECODED.sub(_decode_run, text)


# Bytes that are not UTF-8 arrive as U+DC80..U+DCFF; some GBK pairs happen to be valid
# UTF-8 and arrive as one character of U+0080..U+07FF (d6 a4, 证, becomes U+05A4), and a
# GBK trail byte may be plain ASCII (0x40-0x7E). A run of these is re-read as GB18030.
_UNDECODED = re.compile(
    r"(?:[\u0080-\u07ff]|[\udc80-\udcff]|(?<=[\udc81-\udcfe])[\x40-\x7e])*"
    r"[\udc80-\udcff]"
    r"(?:[\u0080-\u07ff]|[\udc80-\udcff]|(?<=[\udc81-\udcfe])[\x40-\x7e])*"
)


def _decode_run(match: re.Match[str]) -> str:
    raw = match.group(0).encode("utf-8", errors="surrogateescape")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace")
