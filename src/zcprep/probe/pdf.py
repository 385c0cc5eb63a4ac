"""Reading a PDF as a reviewer would meet it: does it open, a password, each page.

pypdf reads the file from memory under the per-file time bound; any parser failure is
a finding in Chinese (:func:`pdf_error_text`), never a crash, and pypdf's notes on what
it repaired are collected instead of printed (:func:`quiet_pypdf`, also used by bind).
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from collections.abc import Iterator
from typing import Any

from zcprep.probe.alarm import ProbeTimeout, _alarm, _Deadline
from zcprep.probe.page import _probe_page
from zcprep.probe.result import FileProbe, PageProbe, _replace


class _Collector(logging.Handler):
    """Keeps pypdf's repair warnings ("EOF marker not found"…) off the terminal."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message not in self.messages:
            self.messages.append(message)


@contextlib.contextmanager
def quiet_pypdf() -> Iterator[_Collector]:
    """Collect pypdf's log warnings (its notes on what it repaired) instead of printing
    them; ``collector.messages`` holds them, each once."""
    logger = logging.getLogger("pypdf")
    collector = _Collector()
    saved = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield collector
    finally:
        logger.removeHandler(collector)
        logger.propagate = saved


def _probe_pdf(base: FileProbe, data: bytes, time_limit: float | None, alarm: bool) -> FileProbe:
    pages: list[PageProbe] = []
    state: dict[str, Any] = {"status": "ok", "detail": "", "restricted": None, "count": None}
    with quiet_pypdf() as collector:
        try:
            with _alarm(time_limit if alarm else None):
                _read_pdf(data, _Deadline(time_limit), pages, state)
        except ProbeTimeout:
            state["status"] = "timeout"
            state["detail"] = f"超过 {time_limit:g} 秒仍未读完"
    return _replace(
        base,
        status=state["status"],
        detail=state["detail"],
        restricted=state["restricted"],
        page_count=state["count"],
        pages=tuple(pages),
        repaired=tuple(collector.messages) if state["status"] == "ok" else (),
        failed_page=state.get("failed_page"),
    )


def _read_pdf(
    data: bytes, deadline: _Deadline, pages: list[PageProbe], state: dict[str, Any]
) -> None:
    """Fill ``pages`` and ``state``; the caller handles the time limit."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _open_encrypted(reader, state):
            return
        count = len(reader.pages)
    except ProbeTimeout:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is a finding, not a crash
        state["status"] = "unreadable"
        state["detail"] = pdf_error_text(exc)
        return
    state["count"] = count
    if count == 0:
        state["status"] = "unreadable"
        state["detail"] = "PDF 中没有任何页面"
        return
    for index in range(count):
        deadline.check()
        try:
            pages.append(_probe_page(reader.pages[index], index + 1))
        except ProbeTimeout:
            raise
        except Exception as exc:  # noqa: BLE001
            state["status"] = "unreadable"
            state["detail"] = f"第 {index + 1} 页无法读取（{pdf_error_text(exc)}）"
            state["failed_page"] = index + 1
            return


def _open_encrypted(reader: Any, state: dict[str, Any]) -> bool:
    """True when the PDF opens without a password (owner-only restrictions)."""
    from pypdf import PasswordType

    try:
        opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except Exception as exc:  # noqa: BLE001 - unsupported algorithm, missing crypto…
        state["status"] = "encrypted"
        state["detail"] = f"加密方式无法处理（{type(exc).__name__}）"
        return False
    if not opened:
        state["status"] = "encrypted"
        state["detail"] = "打开需要密码"
        return False
    state["restricted"] = _denied_permissions(reader)
    return True


_PERMISSION_NAMES = (
    ("PRINT", "打印"),
    ("MODIFY", "修改"),
    ("EXTRACT", "复制内容"),
    ("ASSEMBLE_DOC", "拼合页面"),
)


def _denied_permissions(reader: Any) -> tuple[str, ...]:
    from pypdf.constants import UserAccessPermissions

    try:
        granted = reader.user_access_permissions
    except Exception:  # noqa: BLE001
        return ()
    if granted is None:
        return ()
    return tuple(
        label
        for name, label in _PERMISSION_NAMES
        if not granted & getattr(UserAccessPermissions, name)
    )


def pdf_error_text(exc: BaseException) -> str:
    """What a pypdf failure means for the officer, in Chinese (never pypdf's English)."""
    text = str(exc)
    if "EOF marker" in text or "ended unexpectedly" in text or "truncated" in text.lower():
        return "文件不完整，可能下载或复制时中断"
    if "startxref" in text or "xref" in text.lower():
        return "文件结构损坏（交叉引用表错误）"
    return f"文件已损坏（{type(exc).__name__}）"
