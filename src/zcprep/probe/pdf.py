"""Reading a PDF as a reviewer would meet it: does it open, a password, each page.

pikepdf (qpdf) reads the file from memory under the per-file time bound, as bind reads
it, so check and bind share one verdict: what opens here is bound, what qpdf repairs is
"repaired" (bound from the repaired copy), what fails is a finding in Chinese
(:func:`pdf_error_text`), never a crash. pypdf is used only for the text layer (密级
markings, and a short file's :func:`text_digest`, which tells zcprep's own unsigned forms
from their scans); its log notes are collected instead of printed (:func:`quiet_pypdf`).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import re
import unicodedata
import warnings
from collections.abc import Iterator
from typing import Any

from zcprep.probe.alarm import ProbeTimeout, _alarm, _Deadline
from zcprep.probe.result import (
    TEXT_DIGEST_PAGES,
    ZCPREP_CREATOR,
    FileProbe,
    PageProbe,
    _replace,
)


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
    repaired: list[str] = []
    with quiet_pypdf():
        try:
            with _alarm(time_limit if alarm else None):
                _read_pdf(data, _Deadline(time_limit), pages, state, repaired)
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
        repaired=tuple(repaired) if state["status"] == "ok" else (),
        failed_page=state.get("failed_page"),
        creator=state.get("creator"),
        made_title=state.get("made_title"),
        text_digest=state.get("text_digest"),
    )


def _read_pdf(
    data: bytes,
    deadline: _Deadline,
    pages: list[PageProbe],
    state: dict[str, Any],
    repaired: list[str],
) -> None:
    """Fill ``pages``, ``state`` and ``repaired``; the caller handles the time limit.

    The file is opened with pikepdf, as bind opens it: qpdf repairs what it can (a bad
    cross-reference table, junk before the header, a missing /MediaBox) and says so in
    its warnings, which become ``repaired``.
    """
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        state["status"] = "encrypted"
        state["detail"] = "打开需要密码"
        return
    except ProbeTimeout:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is a finding, not a crash
        _unreadable(state, exc)
        return
    with pdf:
        _read_metadata(pdf, state)
        try:
            _read_pages(pdf, data, deadline, pages, state)
        except ProbeTimeout:
            raise
        except Exception as exc:  # noqa: BLE001
            _unreadable(state, exc)
        notes = _warnings(pdf)
        if not data.startswith(b"%PDF-"):  # qpdf skips it without a word; uploads may not
            notes.insert(0, "bytes before the PDF header")
        repaired.extend(dict.fromkeys(notes))


def _unreadable(state: dict[str, Any], exc: BaseException) -> None:
    text = str(exc).lower()
    if "encrypt" in text or "security handler" in text:
        state["status"] = "encrypted"
        state["detail"] = "加密方式无法处理"
        return
    state["status"] = "unreadable"
    state["detail"] = pdf_error_text(exc)


def _read_pages(
    pdf: Any, data: bytes, deadline: _Deadline, pages: list[PageProbe], state: dict[str, Any]
) -> None:
    from zcprep.probe.page import BrokenContent, marking_in, page_content, probe_page

    if pdf.is_encrypted:
        state["restricted"] = _denied_permissions(pdf)
    count = len(pdf.pages)
    state["count"] = count
    if count == 0:
        state["status"] = "unreadable"
        state["detail"] = "PDF 中没有任何页面"
        return
    texts = _TextLayer(data)
    fonts: dict[Any, Any] = {}
    words: list[str] = []  # the text of a short file's pages, for its text digest
    for index, page in enumerate(pdf.pages):  # pikepdf's pages[i] costs O(pages)
        deadline.check()
        try:
            content = page_content(page)
            probed = probe_page(page, index + 1, content, fonts)
        except BrokenContent:
            state["status"] = "unreadable"
            state["detail"] = f"第 {index + 1} 页的内容数据已损坏，打开后是空白页"
            state["failed_page"] = index + 1
            return
        except ProbeTimeout:
            raise
        except Exception as exc:  # noqa: BLE001
            state["status"] = "unreadable"
            state["detail"] = f"第 {index + 1} 页无法读取（{pdf_error_text(exc)}）"
            state["failed_page"] = index + 1
            return
        if probed.has_fonts:
            text = texts.page(index)
            marking = marking_in(text)
            if marking:
                probed = _replace_page(probed, marking=marking)
            words.append(text)
        pages.append(probed)
    if count <= TEXT_DIGEST_PAGES:
        state["text_digest"] = text_digest(words)


_METADATA_CHARS = 100
# What does not change the words: whitespace, zero-width characters, soft hyphens.
_INVISIBLE_RE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff\u00ad]+")


def _read_metadata(pdf: Any, state: dict[str, Any]) -> None:
    """The program that made the file, and the title of a form zcprep rendered."""
    try:
        info = pdf.docinfo
        creator = str(info.get("/Creator", ""))[:_METADATA_CHARS].strip()
        title = str(info.get("/Title", ""))[:_METADATA_CHARS].strip()
    except ProbeTimeout:
        raise
    except Exception:  # noqa: BLE001 - unreadable metadata says nothing about the pages
        return
    state["creator"] = creator or None
    if creator == ZCPREP_CREATOR:  # a form or letter; a volume's title names its applicant
        state["made_title"] = title or None


def text_digest(texts: list[str]) -> str | None:
    """A digest of the words of ``texts`` (None when there are none): Unicode width and
    compatibility forms folded (NFKC), whitespace and invisible characters dropped, so
    that the same page saved again, or printed to PDF, keeps it."""
    words = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", "".join(texts)))
    if not words:
        return None
    return "blake2b-128:" + hashlib.blake2b(words.encode("utf-8"), digest_size=16).hexdigest()


def _replace_page(page: PageProbe, **changes: Any) -> PageProbe:
    from dataclasses import replace

    return replace(page, **changes)


class _TextLayer:
    """pypdf's text extraction, opened only when a page has fonts; a file pypdf cannot
    read has no marking found (the verdict on the file is pikepdf's, not pypdf's)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.reader: Any = None
        self.failed = False

    def page(self, index: int) -> str:
        if self.failed:
            return ""
        try:
            if self.reader is None:
                from pypdf import PdfReader

                self.reader = PdfReader(io.BytesIO(self.data), strict=False)
                if self.reader.is_encrypted:
                    self.reader.decrypt("")
            return self.reader.pages[index].extract_text() or ""
        except ProbeTimeout:
            raise
        except Exception:  # noqa: BLE001 - no text layer to read: no marking found
            self.failed = True
            return ""


_SOURCE_RE = re.compile(r"^stream <[^>]*>\s*")
# What qpdf notes but every viewer reads as meant: not a repair worth a finding.
_BENIGN = ("Resources is missing or invalid",)


def _warnings(pdf: Any) -> list[str]:
    """qpdf's notes on what it repaired, without the name of the memory buffer."""
    try:
        notes = [_SOURCE_RE.sub("", str(w)).lstrip(",: ") for w in pdf.get_warnings()]
    except Exception:  # noqa: BLE001
        return []
    return [note for note in notes if not any(benign in note for benign in _BENIGN)]


_PERMISSION_NAMES = (
    ("print_lowres", "打印"),
    ("modify_other", "修改"),
    ("extract", "复制内容"),
    ("modify_assembly", "拼合页面"),
)


def _denied_permissions(pdf: Any) -> tuple[str, ...]:
    try:
        allowed = pdf.allow
    except Exception:  # noqa: BLE001
        return ()
    return tuple(label for name, label in _PERMISSION_NAMES if not getattr(allowed, name, True))


def pdf_error_text(exc: BaseException) -> str:
    """What a PDF engine failure means for the officer, in Chinese (never the engine's
    English, never a Python class name)."""
    text = str(exc).lower()
    if "eof marker" in text or "ended unexpectedly" in text or "truncated" in text:
        return "文件不完整，可能下载或复制时中断"
    if "xref" in text or "trailer" in text or "damaged" in text:
        return "文件结构损坏，无法修复"
    if "recursion" in text or isinstance(exc, RecursionError):
        return "文件结构嵌套过深，无法读取"
    return "文件已损坏，无法读取"
