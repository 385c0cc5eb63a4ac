"""zcprep's own words for a system error (zcprep.oserrors), never the system's.

Linux says "Permission denied" in English; a Chinese Windows says its own sentence ending
in "。", which gave "。。" once zcprep added its own. Windows' native codes (``winerror``)
cannot be raised on Linux: those errors are emulated by building the OSError object
Windows would raise (the errno Python derives, plus ``winerror``). The Linux errors are
real ones, raised by the system.
"""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pytest

from zcprep.oserrors import WINDOWS_MAX_PATH, os_error_text, os_problem

LIMIT_SENTENCE = "路径超过 Windows 的 260 字符限制"
ENGLISH = re.compile(r"\b[a-z]{4,}\b")  # a lower-case English word, as strerror has


def windows_error(code: int, winerror: int, filename: str | None = None) -> OSError:
    """Emulation: the OSError Python raises on Windows for ``winerror`` (Windows' own
    Chinese text as strerror, ending in 。)."""
    exc = OSError(code, "另一个程序正在使用此文件，进程无法访问。", filename)
    exc.winerror = winerror  # type: ignore[attr-defined]
    return exc


def assert_own_words(text: str, exc: OSError) -> None:
    """No strerror, no "。。", and no English word after the path it names."""
    assert exc.strerror is None or exc.strerror not in text
    assert "。。" not in text
    said = text.split("：", 1)[-1]
    assert not ENGLISH.search(said), text


@pytest.mark.parametrize(
    ("code", "winerror", "kind", "said"),
    [
        (errno.EACCES, 5, "denied", "没有访问权限"),
        (errno.EACCES, 32, "locked", "被其他程序占用"),
        (errno.EACCES, 33, "locked", "被其他程序占用"),
        (errno.ENOSPC, 112, "disk-full", "磁盘已满"),
        (errno.EINVAL, 206, "too-long", LIMIT_SENTENCE),
        (errno.EACCES, 19, "read-only", "只读"),
        (errno.EINVAL, 21, "not-ready", "磁盘未就绪"),
        (errno.ENOENT, 53, "network", "网络"),
        (errno.EINVAL, 64, "network", "网络"),
        (errno.ENOENT, 67, "network", "网络"),
        (errno.ENOENT, 2, "not-found", "找不到"),
        (errno.ENOENT, 3, "not-found", "找不到"),
    ],
)
def test_each_windows_code_has_its_own_words(
    code: int, winerror: int, kind: str, said: str
) -> None:
    """Emulated Windows errors (winerror set as Windows sets it)."""
    exc = windows_error(code, winerror, r"D:\职称\out\张三\申报材料.pdf")
    problem = os_problem(exc)
    assert problem.kind == kind
    text = os_error_text(exc, "out/张三/申报材料.pdf")
    assert text.startswith("out/张三/申报材料.pdf：") and said in text
    assert_own_words(text, exc)


@pytest.mark.parametrize("winerror", [2, 3])
def test_not_found_past_the_windows_limit_says_the_limit(winerror: int) -> None:
    """Emulation: Windows without long-path support reports a path past MAX_PATH as
    not found (winerror 3, sometimes 2)."""
    long_path = "D:\\" + "材" * WINDOWS_MAX_PATH + "\\证书.pdf"
    exc = windows_error(errno.ENOENT, winerror, long_path)
    text = os_error_text(exc, "dossiers/张三/证书.pdf")
    assert LIMIT_SENTENCE in text and r"D:\职称" in text
    assert_own_words(text, exc)


def test_a_short_missing_path_is_not_called_too_long() -> None:
    exc = windows_error(errno.ENOENT, 3, r"D:\职称\缺.pdf")
    assert os_problem(exc).kind == "not-found"


def test_a_real_name_too_long_says_the_limit(tmp_path: Path) -> None:
    """Real: a name over 255 bytes gives ENAMETOOLONG on Linux."""
    target = tmp_path / ("长" * 100 + ".pdf")  # 300 bytes in UTF-8
    with pytest.raises(OSError) as caught:
        target.write_bytes(b"x")
    assert caught.value.errno == errno.ENAMETOOLONG
    text = os_error_text(caught.value, "out/长.pdf")
    assert LIMIT_SENTENCE in text and r"D:\职称" in text
    assert_own_words(text, caught.value)


def real_errors(tmp_path: Path) -> list[OSError]:
    """Errors the system raises here, each with its English strerror."""
    (tmp_path / "文件").write_bytes(b"x")
    (tmp_path / "夹").mkdir()
    attempts = [
        lambda: (tmp_path / "没有").read_bytes(),  # ENOENT
        lambda: (tmp_path / "夹").read_bytes(),  # EISDIR
        lambda: (tmp_path / "文件" / "下").read_bytes(),  # ENOTDIR
        lambda: (tmp_path / "夹").rmdir() or (tmp_path / "夹").rmdir(),  # ENOENT again
        lambda: (tmp_path / ("x" * 300)).read_bytes(),  # ENAMETOOLONG
    ]
    found = []
    for attempt in attempts:
        try:
            attempt()
        except OSError as exc:
            found.append(exc)
    return found


def test_real_errors_never_show_the_english_text(tmp_path: Path) -> None:
    errors = real_errors(tmp_path)
    assert {e.errno for e in errors} >= {errno.ENOENT, errno.EISDIR, errno.ENOTDIR}
    for exc in errors:
        text = os_error_text(exc, "dossiers/张三")
        assert_own_words(text, exc)
        assert text.endswith("。")


def test_an_unknown_error_is_a_generic_sentence_with_its_number() -> None:
    exc = OSError(errno.EPROTO, "Protocol error")
    text = os_error_text(exc, "out/张三")
    assert "读写失败" in text and str(errno.EPROTO) in text
    assert_own_words(text, exc)
