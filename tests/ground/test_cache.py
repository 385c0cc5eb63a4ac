"""The user cache (zcprep.cache) and what the font search keeps in it.

A cache entry is only a shortcut: whatever happens to the folder, the answer is the one
computed without it. The font's verdict and coverage are reused on the next run, so that
run opens no font with fontTools, and every choice, note and error stays the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from fontgen import ASCII_PRINTABLE, build_cff, build_ttc, build_ttf, small_characters
from fs_helpers import permissions_bind
from zcprep.cache import CACHE_ENV, Store, cache_root, open_store
from zcprep.errors import ZcprepError
from zcprep.fonts import FontChoice, find_font, missing_characters

RARE = "䶮"  # CJK Extension A: not in the test font
EXT_B = "𠮷"


# --------------------------------------------------------------------------- the store


def test_where_the_cache_lives(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from platformdirs import user_cache_dir

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "mine"))
    assert cache_root() == tmp_path / "mine"
    for off in ("off", "OFF", "0", "", "  "):
        monkeypatch.setenv(CACHE_ENV, off)
        assert cache_root() is None
        assert open_store("probe", "t") is None
    monkeypatch.delenv(CACHE_ENV)
    expected = Path(user_cache_dir("zcprep", appauthor=False))
    assert cache_root() == expected
    assert "zcprep" in expected.parts


def test_values_round_trip_under_hashed_names(private_cache: Path) -> None:
    store = Store(private_cache, "probe", "tag1")
    key = "dossiers/张三/学历.pdf"
    assert store.get(key) is None
    assert store.put(key, {"pages": [1, 2.5, None, "第一页"]})
    assert store.get(key) == {"pages": [1, 2.5, None, "第一页"]}
    [entry] = store.folder.glob("*.json")
    assert "张三".encode() not in entry.read_bytes()
    assert (private_cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d1")
    assert list(store.folder.glob("*.tmp")) == []  # written via a temporary file, renamed
    assert Store(private_cache, "probe", "tag2").get(key) is None  # another tag, another folder


@pytest.mark.parametrize("junk", [b"", b"{", b"\xff\xfe", b"[1]", b'{"x": 1}'])
def test_a_corrupt_entry_is_a_miss(private_cache: Path, junk: bytes) -> None:
    store = Store(private_cache, "font", "t")
    store.put("k", [1])
    store.entry("k").write_bytes(junk)
    assert store.get("k") is None
    assert store.put("k", [2]) and store.get("k") == [2]


def test_a_cache_that_cannot_be_written_is_never_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    for root in (blocker, blocker / "below"):
        store = Store(root, "font", "t")
        assert store.put("k", [1]) is False
        assert store.get("k") is None
        store.prune()
    assert Store(tmp_path, "font", "t").put("k", object()) is False  # not JSON: not kept


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="chmod 0o500 on Windows only sets the read-only attribute, which folders ignore",
)
def test_a_read_only_cache_is_never_an_error(private_cache: Path) -> None:
    if not permissions_bind(private_cache.parent):
        pytest.skip("a folder's permissions do not bind this user")
    private_cache.chmod(0o500)
    try:
        store = Store(private_cache, "font", "t")
        assert store.put("k", [1]) is False
        assert store.get("k") is None
    finally:
        private_cache.chmod(0o700)


def test_a_namespace_stays_bounded(private_cache: Path) -> None:
    store = Store(private_cache, "probe", "now", limit=10)
    start = time.time() - 1000
    for number in range(25):
        store.put(f"key {number}", number)
        os.utime(store.entry(f"key {number}"), (start + number, start + number))
    store.prune()
    kept = [n for n in range(25) if store.get(f"key {n}") is not None]
    assert kept == list(range(16, 25))  # the newest 90 % of the limit


def test_a_namespace_stays_within_its_bytes(private_cache: Path) -> None:
    store = Store(private_cache, "probe", "now", size=12_000)
    start = time.time() - 1000
    for number in range(8):
        store.put(f"key {number}", "页" * 1000)  # 3,007 bytes each: three fit in 90 %
        os.utime(store.entry(f"key {number}"), (start + number, start + number))
    store.prune()
    kept = [n for n in range(8) if store.get(f"key {n}") is not None]
    assert kept == [5, 6, 7]


def test_pruning_drops_leftovers_and_old_namespaces(private_cache: Path) -> None:
    store = Store(private_cache, "probe", "now")
    store.put("k", 1)
    month_ago = time.time() - 31 * 24 * 3600
    leftover = store.folder / ".abc.tmp"
    leftover.write_bytes(b"half")
    os.utime(leftover, (month_ago, month_ago))
    fresh_leftover = store.folder / ".def.tmp"  # maybe another process writing right now
    fresh_leftover.write_bytes(b"half")
    old = Store(private_cache, "probe", "old")
    old.put("k", 1)
    os.utime(old.folder, (month_ago, month_ago))
    recent = Store(private_cache, "probe", "recent")
    recent.put("k", 1)
    other = Store(private_cache, "font", "old")
    other.put("k", 1)
    os.utime(other.folder, (month_ago, month_ago))
    store.prune()
    assert not leftover.exists() and fresh_leftover.exists()
    assert not old.folder.exists()
    assert recent.get("k") == 1 and other.get("k") == 1 and store.get("k") == 1


# --------------------------------------------------------------------------- the font


def font_entries(cache: Path) -> dict[Path, object]:
    return {path: json.loads(path.read_bytes())["v"] for path in cache.glob("font-v*-*/*.json")}


def verdicts(cache: Path) -> dict[Path, dict[str, object]]:
    return {p: v for p, v in font_entries(cache).items() if isinstance(v, dict)}


def test_the_font_verdict_is_reused_until_the_file_changes(
    tmp_path: Path, private_cache: Path
) -> None:
    first = build_ttf(tmp_path / "aaa.ttf")
    second = build_ttf(tmp_path / "bbb.ttf")
    assert find_font(search_dirs=[tmp_path]).path == first
    [(entry, verdict)] = verdicts(private_cache).items()
    assert verdict == {"index": 0}
    doctored = {"reason": "缓存里的结论", "kind": "restricted"}
    entry.write_text(json.dumps({"v": doctored}, ensure_ascii=False), encoding="utf-8")

    served = find_font(search_dirs=[tmp_path])
    assert served.path == second
    assert served.skipped == (f"{first}：缓存里的结论",)

    later = time.time() + 5
    os.utime(first, (later, later))  # the file changed: judged afresh
    assert find_font(search_dirs=[tmp_path]).path == first


RUN = """
import json, sys
from pathlib import Path
from zcprep.fonts import find_font, missing_characters
choice = find_font(search_dirs=[Path(sys.argv[1])])
missing = missing_characters(choice, sys.argv[2])
print(json.dumps([str(choice.path), choice.subfont_index, missing, "fontTools" in sys.modules]))
"""


def run_font_search(fonts: Path, text: str) -> list[object]:
    """find_font and missing_characters in a new process (a second run of zcprep)."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(fonts), text],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    return json.loads(done.stdout)


def test_a_second_run_opens_no_font_and_reads_the_coverage(
    tmp_path: Path, private_cache: Path
) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    build_cff(fonts / "aaa-NotoSansCJK.otf")  # passed over: its verdict is kept too
    ttc = build_ttc(fonts / "bbb.ttc", ("cff", "ttf"))
    text = f"第 3 页 申报人：张三{RARE}{EXT_B}"
    assert run_font_search(fonts, text) == [str(ttc), 1, [RARE, EXT_B], True]
    assert run_font_search(fonts, text) == [str(ttc), 1, [RARE, EXT_B], False]

    [(entry, ranges)] = [(p, v) for p, v in font_entries(private_cache).items() if type(v) is list]
    assert isinstance(ranges, list)
    zhang = ord("张")
    pairs = list(zip(ranges[::2], ranges[1::2], strict=True))
    assert any(start <= zhang <= end for start, end in pairs)
    without_zhang: list[int] = []
    for start, end in pairs:
        pieces = [(start, zhang - 1), (zhang + 1, end)] if start <= zhang <= end else [(start, end)]
        without_zhang += [bound for low, high in pieces if low <= high for bound in (low, high)]
    entry.write_text(json.dumps({"v": without_zhang}), encoding="utf-8")
    assert run_font_search(fonts, text)[2] == ["张", RARE, EXT_B]  # read from the cache


def outcome(action: Callable[[], FontChoice]) -> object:
    try:
        return action()
    except ZcprepError as error:
        return (type(error).__name__, str(error), error.hint)


def font_situations(root: Path) -> dict[str, Callable[[], FontChoice]]:
    """The situations of test_fonts, each a call of find_font."""
    mixed, cff, latin, locked, configured = (root / n for n in ("m", "c", "l", "r", "x"))
    for folder in (mixed, cff, latin, locked, configured):
        folder.mkdir()
    build_ttf(mixed / "aaa-generic.ttf")
    build_ttc(mixed / "wqy-zenhei.ttc", ("cff", "ttf"))
    build_cff(cff / "NotoSansCJK-Regular.otf")
    build_ttf(latin / "latin.ttf", chars=ASCII_PRINTABLE)
    build_ttf(locked / "simhei.ttf", chars=small_characters(), fs_type=0x0002, ps_name="L")
    ttc = build_ttc(configured / "mixed.ttc", ("cff", "ttf"))
    otf = build_cff(configured / "NotoSansCJKsc-Regular.otf")
    (configured / "notes.ttf").write_text("not a font", encoding="utf-8")
    no_cjk = build_ttf(configured / "latin.ttf", chars="ABC中")
    good = build_ttf(configured / "good.ttf")
    damaged = configured / "damaged.ttf"
    damaged.write_bytes(good.read_bytes()[:2000])
    return {
        "collection": lambda: find_font(search_dirs=[mixed]),
        "cff only": lambda: find_font(search_dirs=[cff]),
        "latin only": lambda: find_font(search_dirs=[latin]),
        "restricted": lambda: find_font(search_dirs=[locked]),
        "ttc face 0": lambda: find_font(ttc, 0),
        "ttc face 1": lambda: find_font(ttc, 1),
        "ttc face 5": lambda: find_font(ttc, 5),
        "ttc any": lambda: find_font(ttc),
        "cff": lambda: find_font(otf),
        "not a font": lambda: find_font(configured / "notes.ttf"),
        "no cjk": lambda: find_font(no_cjk),
        "index of a ttf": lambda: find_font(good, 1),
        "damaged": lambda: find_font(damaged),
        "locked": lambda: find_font(locked / "simhei.ttf"),
    }


def test_cached_verdicts_choose_warn_and_refuse_exactly_as_without(
    tmp_path: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    situations = font_situations(tmp_path)
    monkeypatch.setenv(CACHE_ENV, "off")
    without = {name: outcome(action) for name, action in situations.items()}
    monkeypatch.setenv(CACHE_ENV, str(private_cache))
    filling = {name: outcome(action) for name, action in situations.items()}
    stored = {
        path: (path.stat().st_ino, path.stat().st_mtime_ns) for path in verdicts(private_cache)
    }
    assert len(stored) == len(situations) - 1  # "restricted" and "locked" judge one file
    served = {name: outcome(action) for name, action in situations.items()}
    assert without == filling == served
    again = {
        path: (path.stat().st_ino, path.stat().st_mtime_ns) for path in verdicts(private_cache)
    }
    assert again == stored  # all served, none judged and written again
    assert isinstance(without["collection"], FontChoice)
    assert isinstance(without["damaged"], tuple) and "损坏" in str(without["damaged"])


def test_missing_characters_from_the_cache_match_the_font(tmp_path: Path) -> None:
    build_ttf(tmp_path / "tiny.ttf", chars=small_characters(RARE))
    choice = find_font(search_dirs=[tmp_path])
    text = f"申报人：张{RARE}，张三\n证明{EXT_B}{RARE}"
    assert missing_characters(choice, text) == [EXT_B]
    assert missing_characters(choice, text) == [EXT_B]
