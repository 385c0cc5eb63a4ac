"""check's per-file verdicts kept in the user cache: reused while the content is the same,
never a reason to fail, and never kept when they depend on the moment (a timeout)."""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
import time
from dataclasses import fields, replace
from pathlib import Path

import pytest

from check_helpers import encrypted_pdf, many_pages_pdf, png_bytes, scan_jpeg, scan_pdf, text_pdf
from fs_helpers import permissions_bind
from zcprep.probe import FileProbe, PageProbe, probe_file
from zcprep.probe.cached import _decode, _encode, probe_file_cached

DOCTORED = "这句话只可能来自缓存"


def settled(path: Path, data: bytes) -> Path:
    """Write ``data`` with a modification time a minute ago, as a file of a dossier that
    was not just written (a file written this very moment gets no stat entry)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    earlier = time.time_ns() - 60_000_000_000
    os.utime(path, ns=(earlier, earlier))
    return path


def entries(cache: Path, namespace: str) -> list[Path]:
    return sorted(cache.glob(f"{namespace}-v*-*/*.json"))


def the_entry(cache: Path, namespace: str = "probe") -> Path:
    [entry] = entries(cache, namespace)
    return entry


def doctor(entry: Path, **changes: object) -> None:
    """Change a stored verdict on purpose, the way only a read of it can show."""
    stored = json.loads(entry.read_bytes())
    stored["v"]["v"].update(changes)
    entry.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")


def test_an_unchanged_file_is_served_from_the_cache(tmp_path: Path, private_cache: Path) -> None:
    path = settled(tmp_path / "证书.pdf", text_pdf([["证书"]]))
    first = probe_file_cached(path)
    assert first == probe_file(path)
    doctor(the_entry(private_cache), detail=DOCTORED)
    assert probe_file_cached(path) == replace(first, detail=DOCTORED)

    settled(path, text_pdf([["另一份证书"], ["第二页"]]))  # new content: probed afresh
    again = probe_file_cached(path)
    assert again == probe_file(path)
    assert again.detail != DOCTORED
    assert len(entries(private_cache, "probe")) == 2


def test_an_unchanged_file_is_not_read_again(tmp_path: Path, private_cache: Path) -> None:
    """The stat entry gives the digest without hashing: pointing it at another file's
    digest (on purpose) brings that file's verdict back."""
    one = settled(tmp_path / "one.png", png_bytes((300, 400)))
    probe_file_cached(one)
    [place] = entries(private_cache, "digest")
    one_digest = json.loads(place.read_bytes())["v"]
    other = settled(tmp_path / "other.jpg", scan_jpeg((640, 480)))
    probe_file_cached(other)
    [other_place] = [entry for entry in entries(private_cache, "digest") if entry != place]
    place.write_bytes(other_place.read_bytes())
    assert probe_file_cached(one).image_size == (640, 480)
    assert json.loads(other_place.read_bytes())["v"] != one_digest


def test_a_file_written_just_now_gets_no_stat_entry(tmp_path: Path, private_cache: Path) -> None:
    """Another write within the file system's time resolution could keep its mtime."""
    path = tmp_path / "new.png"
    path.write_bytes(png_bytes((30, 40)))
    assert probe_file_cached(path).image_size == (30, 40)
    assert entries(private_cache, "digest") == []
    assert len(entries(private_cache, "probe")) == 1


def test_a_copy_elsewhere_hits_by_content(tmp_path: Path, private_cache: Path) -> None:
    original = settled(tmp_path / "张三" / "学历.pdf", text_pdf([["学历证书"]]))
    probe_file_cached(original)
    doctor(the_entry(private_cache), detail=DOCTORED)
    copy = tmp_path / "李四" / "复印件.png"
    copy.parent.mkdir()
    shutil.copyfile(original, copy)
    served = probe_file_cached(copy)
    assert served.detail == DOCTORED
    assert (served.path, served.kind, served.extension_kind) == (copy, "pdf", "png")
    assert len(entries(private_cache, "probe")) == 1


def test_no_path_is_written_into_the_cache(tmp_path: Path, private_cache: Path) -> None:
    path = settled(tmp_path / "王小明的身份证.jpg", scan_jpeg((200, 300)))
    probe_file_cached(path)
    written = b"".join(entry.read_bytes() for entry in private_cache.rglob("*.json"))
    assert written
    assert "王小明".encode() not in written and str(tmp_path).encode() not in written


@pytest.mark.parametrize(
    "data",
    [
        scan_pdf(2),
        text_pdf([["第一页"], ["秘密★ 第二页"]]),
        encrypted_pdf(user_password="1234"),
        text_pdf([["x"]])[:300],
        png_bytes((50, 60)),
        png_bytes((50, 60))[:40],
        scan_jpeg((120, 80)),
        b"",
        b"plain text",
    ],
    ids=["scan", "marking", "password", "truncated", "png", "cut-png", "jpeg", "empty", "text"],
)
def test_a_verdict_comes_back_from_the_cache_exactly(
    tmp_path: Path, private_cache: Path, data: bytes
) -> None:
    path = settled(tmp_path / "a.pdf", data)
    fresh = probe_file(path)
    assert probe_file_cached(path) == fresh
    assert len(entries(private_cache, "probe")) == 1
    assert probe_file_cached(path) == fresh  # now from the cache


def test_every_field_survives_the_encoding() -> None:
    """Whatever fields the records gain, they are written and read back field by field."""
    page = PageProbe(number=3, width_mm=209.9, height_mm=297.2, rotation=90, scan_dpi=199.5)
    names = {field.name for field in fields(PageProbe)}
    boxes = {"media": (0.0, 0.0, 595.3, 841.9), "ink": (36.5, 40.25, 560.0, 800.0)}
    page = replace(page, marking="秘密★", **{k: v for k, v in boxes.items() if k in names})
    probe = FileProbe(
        path=Path("x.pdf"),
        size=12345,
        fingerprint="12345:abc",
        kind="pdf",
        extension_kind="pdf",
        status="ok",
        restricted=("打印", "修改"),
        page_count=2,
        pages=(page, replace(page, number=4, scan_dpi=None)),
        image_size=(10, 20),
        repaired=("xref table damaged",),
    )
    assert replace(_decode(_encode(probe)), path=probe.path) == probe


@pytest.mark.parametrize(
    "junk",
    [
        b"",
        b"{",
        b"\xff\xfe\x00garbage",
        b"null",
        b'{"v": [1, 2]}',
        b'{"v": {"$": "FileProbe", "v": {"size": 1}}}',
        b'{"v": {"$": "Mystery", "v": {}}}',
    ],
)
def test_a_corrupt_entry_is_a_miss(tmp_path: Path, private_cache: Path, junk: bytes) -> None:
    path = settled(tmp_path / "a.png", png_bytes((70, 80)))
    probe_file_cached(path)
    for entry in private_cache.rglob("*.json"):
        entry.write_bytes(junk)
    assert probe_file_cached(path) == probe_file(path)
    doctor(the_entry(private_cache), detail=DOCTORED)  # written again, whole
    assert probe_file_cached(path).detail == DOCTORED


def test_an_unusable_cache_folder_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = settled(tmp_path / "a.jpg", scan_jpeg((90, 60)))
    not_a_folder = tmp_path / "cache-is-a-file"
    not_a_folder.write_text("x", encoding="utf-8")
    monkeypatch.setenv("ZCPREP_CACHE_DIR", str(not_a_folder))
    assert probe_file_cached(path) == probe_file(path)
    assert probe_file_cached(path) == probe_file(path)


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="chmod 0o500 on Windows only sets the read-only attribute, which folders ignore",
)
def test_a_read_only_cache_folder_is_a_miss(tmp_path: Path, private_cache: Path) -> None:
    if not permissions_bind(private_cache.parent):
        pytest.skip("a folder's permissions do not bind this user")
    path = settled(tmp_path / "a.jpg", scan_jpeg((90, 60)))
    private_cache.chmod(0o500)
    try:
        assert probe_file_cached(path) == probe_file(path)
        assert list(private_cache.iterdir()) == []
    finally:
        private_cache.chmod(0o700)


def test_caching_off_writes_nothing(
    tmp_path: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    for variable in ("HOME", "XDG_CACHE_HOME", "LOCALAPPDATA"):
        monkeypatch.setenv(variable, str(home))
    path = settled(tmp_path / "a.pdf", text_pdf([["x"]]))
    for off in ("off", "0", ""):
        monkeypatch.setenv("ZCPREP_CACHE_DIR", off)
        assert probe_file_cached(path) == probe_file(path)
    assert list(private_cache.iterdir()) == []
    assert not home.exists()


def test_a_timeout_is_not_kept(tmp_path: Path, private_cache: Path) -> None:
    path = settled(tmp_path / "long.pdf", many_pages_pdf(300))
    # In a thread, inline, only the page-by-page deadline applies: a limit of a
    # microsecond is always over by the first page (and leaves no timer behind).
    found: list[FileProbe] = []
    thread = threading.Thread(
        target=lambda: found.append(probe_file_cached(path, 1e-6, isolation="inline"))
    )
    thread.start()
    thread.join()
    assert found[0].status == "timeout"
    assert entries(private_cache, "probe") == []
    whole = probe_file_cached(path, time_limit=None)
    assert whole == probe_file(path, time_limit=None)
    assert len(entries(private_cache, "probe")) == 1


def test_what_is_not_a_file_raises_as_probe_file_does(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        probe_file_cached(tmp_path)
    with pytest.raises(FileNotFoundError):
        probe_file_cached(tmp_path / "gone.pdf")
