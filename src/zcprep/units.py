"""Sizes as an officer reads them (files in KB/MB) and as a screen or sheet shows them
(text width, a CJK character counting as two): shared by every message and table."""

from __future__ import annotations

import unicodedata


def size_text(size: int) -> str:
    """Bytes as an officer reads them: 850 KB, 12.3 MB."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


# 禁则 (kinsoku): marks that may not start a line (closing) or end one (opening), for
# every place zcprep breaks Chinese text into lines (the screen, the roster's cells).
NO_LINE_START = frozenset("）)］]｝}》〉」』】〕〗”’，,。.、；;：:！!？?%％…·")
NO_LINE_END = frozenset("（(［[｛{《〈「『【〔〖“‘")


def text_width(text: str) -> int:
    """Columns a terminal or a spreadsheet gives ``text``: East Asian wide and
    full-width characters take two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
