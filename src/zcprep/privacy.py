"""What may reach a screen: private numbers masked, every character made printable.

Officers run zcprep in front of colleagues, paste its output into chats and attach it to
bug reports, so the terminal shows resident ID numbers as ``1101**********002X`` and
mobile numbers as ``138****0000`` unless ``--show-private`` is given (``--json`` and the
files under out/ keep them: those are the officer's own records). A number is quoted in
a message exactly when it is wrong, so attempts are masked too: any run of 14 or more
digits (spaces, hyphens and a final X allowed), a mobile number with a digit missing or
extra, whatever is quoted after 身份证号 or 联系电话, and, when the caller knows them
(:class:`PrivateValues`), the applicants' own id_number and phone values in every form
a message may quote them. The masks keep the length, so a table laid out with them looks
the same, and they run on the whole text before it is laid out, so a number a table
would wrap over two lines is masked too.

File names that are not UTF-8 (GBK bytes from a Windows zip) reach Python as lone
surrogates, which a UTF-8 terminal, a JSON file or a PDF cannot hold: :func:`printable`
decodes them as GB18030 where they are that, else shows � for each bad byte.

Applicant data and file names may hold terminal controls (ESC sequences that clear a
line, conceal text or write the clipboard, C1 controls, bidirectional overrides) that
would let an applicant hide or forge a line of zcprep's output: :func:`visible` shows
each as a visible mark (ESC as ␛, U+202E as <U+202E>) before text reaches a
terminal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from zcprep.idcard import mask_id, normalize_id

# An 18-character resident ID (last may be X) or a 15-digit old one, standing alone:
# not part of a longer run of digits (dates are 8 digits, sizes and page counts fewer).
# Also an attempt at one, exactly when it is quoted in a message because it is wrong: 14
# or more digits (17 or 19 included), maybe in groups with spaces or hyphens, maybe an X.
# Digits are any the terminal shows as digits (full-width ones too).
_ID = re.compile(r"(?<!\d)(?:\d{17}[\dXxＸｘ]|\d{15}|\d(?:[ -]?\d){13,}(?:[ -]?[XxＸｘ])?)(?!\d)")
# A mainland mobile number, 11 digits from 13x to 19x, maybe with +86 and - or spaces.
# Also a mistyped one (10 or 12 digits), which is quoted exactly when it is wrong.
_MOBILE = re.compile(r"(?<!\d)(?:(?:\+|00)?86[- ]?)?(1[3-9]\d(?:[- ]?\d){7,9})(?!\d)")
# Whatever zcprep quotes as someone's ID or phone (zcprep.idcard's messages, check's),
# whatever its shape: 身份证号“1101 0119”有 8 位, 联系电话是“139-1234”.
_LABELLED = re.compile(r"(身份证号码?|联系电话|手机号码?)((?:是|填的是|写的是)?“)([^”\n]{1,64})(”)")
# A run of digits that begins with a date of 1900-2099: a time stamp (no region code of
# an ID begins with 19 or 20).
_TIME_STAMP = re.compile(r"(?:19|20)[0-9]{2}[ -]?(?:0[1-9]|1[0-2])[ -]?(?:0[1-9]|[12][0-9]|3[01])")
# Exactly the shape of an ID (18 characters or 15 digits, no separators): always masked,
# whatever it begins with.
_ID_SHAPED = re.compile(r"\d{17}[\dXxＸｘ]|\d{15}")
_SURROGATE = re.compile(r"[\udc80-\udcff]")
# A value shorter than this reveals nothing and would mask unrelated numbers.
_SHORTEST_PRIVATE = 6
_PRIVATE_FIELDS = ("id_number", "phone")


def mask_private(text: str, private: PrivateValues | None = None) -> str:
    """ID numbers as 1101**********002X and mobile numbers as 138****0000, same length;
    with ``private``, also those values in any shape."""
    if any(char.isdigit() for char in text):
        text = _ID.sub(lambda m: _mask_id_like(m.group(0)), text)
        text = _MOBILE.sub(_mask_mobile, text)
    if private is not None:
        text = private.hide(text)
    if "“" in text:
        text = _LABELLED.sub(_mask_labelled, text)
    return text


def _mask_id_like(text: str) -> str:
    """A real ID's 4 and 4 characters stay; an attempt shorter than 15 keeps fewer. A
    time stamp (微信图片_20230508123456.jpg) stays as it is; a date joined to a longer run
    (20230508-110101199003071234.pdf) stays, and the rest is judged on its own."""
    stamp = None if _ID_SHAPED.fullmatch(text) else _TIME_STAMP.match(text)
    if stamp is not None:
        if _is_time_stamp(text):
            return text
        head, tail = text[: stamp.end()], text[stamp.end() :]
        return head + _ID.sub(lambda m: _mask_id_like(m.group(0)), tail)
    return mask_id(text) if len(text) >= 15 else hide(text)


def _is_time_stamp(text: str) -> bool:
    """yyyymmddHHMMSS, maybe with milliseconds (what cameras and WeChat name files by)."""
    digits = "".join(char for char in text if char.isdigit())
    if len(digits) not in (14, 17) or not digits.isascii():
        return False
    hour, minute, second = int(digits[8:10]), int(digits[10:12]), int(digits[12:14])
    return hour < 24 and minute < 60 and second < 60


def hide(text: str) -> str:
    """``text`` with its middle starred, same length: up to 4 characters stay at each
    end, and never more than a quarter of it at each (a short value keeps little)."""
    keep = min(4, len(text) // 4)
    if keep == 0:
        return "*" * len(text)
    return text[:keep] + "*" * (len(text) - 2 * keep) + text[-keep:]


def _mask_labelled(match: re.Match[str]) -> str:
    label, opening, value, closing = match.groups()
    return label + opening + hide(value) + closing


class PrivateValues:
    """The applicants' own id_number and phone values, in every form a message may quote
    them (as written, trimmed, full-width folded, without spaces and hyphens), so that
    even a value no pattern recognises (9 digits, letters) is masked on screen."""

    def __init__(self, values: Iterable[object]) -> None:
        forms = {form for value in values for form in _quoted_forms(value)}
        ordered = sorted(forms, key=len, reverse=True)  # the longest form wins
        self._masks = {form: hide(form) for form in ordered}
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    @classmethod
    def of_applicants(cls, records: Iterable[dict[str, object]]) -> PrivateValues:
        """From applicant.toml data: the values of its id_number and phone fields."""
        return cls(record.get(key) for record in records for key in _PRIVATE_FIELDS)

    def __bool__(self) -> bool:
        return self._pattern is not None

    def hide(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._masks[m.group(0)], text)


def _quoted_forms(value: object) -> set[str]:
    """How a message may quote a field's value: str() of what TOML gave (an unquoted
    number included), trimmed, NFKC-folded, and compacted as zcprep.idcard reads it."""
    forms: set[str] = set()
    for leaf in _leaves(value):
        text = str(leaf).strip()
        folded = unicodedata.normalize("NFKC", text)
        forms |= {text, folded, normalize_id(text), "".join(c for c in folded if c.isdigit())}
    return {form for form in forms if len(form) >= _SHORTEST_PRIVATE}


def _leaves(value: object) -> list[object]:
    """The values inside a list or table written by mistake (``id_number = [1101…]``),
    without recursion: TOML nests as deep as the parser allows."""
    leaves, pending = [], [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif item is not None and not isinstance(item, bool):
            leaves.append(item)
    return leaves


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


def visible(text: str) -> str:
    """``text`` as a terminal may show it: file-name bytes decoded (:func:`printable`),
    and every control a terminal would obey shown instead: C0 controls and DEL as their
    pictures (ESC as ␛, so "\\x1b[2K" reads ␛[2K), C1 controls, bidirectional
    overrides and isolates, and line and paragraph separators as <U+202E>. Newline and
    tab stay: they only lay text out."""
    text = printable(text)
    if not TERMINAL_CONTROLS.search(text):
        return text
    return TERMINAL_CONTROLS.sub(_mark, text)


# What a terminal obeys instead of showing: C0 but tab and newline, DEL, C1, the bidi
# marks, embeddings, overrides and isolates, and Unicode's own line and paragraph breaks.
TERMINAL_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]"
)
_DEL_PICTURE = "\u2421"


def _mark(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ … ␛ … ␟
    if code == 0x7F:
        return _DEL_PICTURE
    return f"<U+{code:04X}>"
