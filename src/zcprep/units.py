"""Sizes as an officer reads them, shared by every message that names one."""

from __future__ import annotations


def size_text(size: int) -> str:
    """Bytes as an officer reads them: 850 KB, 12.3 MB."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"
